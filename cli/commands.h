/*
** commands.h — `cari` subcommands that live in a file of their own in cli/,
** called from main.c with argv[0] the program name and argv[1] the first
** argument after the command. Each returns the exit status.
*/
#ifndef CARI_CLI_COMMANDS_H
#define CARI_CLI_COMMANDS_H

#include "cari.h"

/* cli/eval.c: `cari eval`, relevance figures for a set of queries. */
int cari_cmd_eval(int argc, char **argv);

/* cli/main.c: the options every command opens a database or an analyzer
** with: `stemmer` and `flags` as given, and the `cari` stemmer's lexicon
** from $CARI_DIC, $CARI_ROOTS and $CARI_EXCEPTIONS (unset or empty: the
** defaults). The command reads the environment; the library does not. The
** strings are the environment's. */
cari_open_opts cli_open_opts(const char *stemmer, int flags);

/* serve/main.c: `cari serve`, the HTTP API and search page (built into the
** `cari` command; serve/ is a client of include/cari.h only). */
int cari_cmd_serve(int argc, char **argv);

/* cli/discover.c: `cari suggest` and `cari related`. */
int cari_cmd_suggest(int argc, char **argv);
int cari_cmd_related(int argc, char **argv);

#endif
