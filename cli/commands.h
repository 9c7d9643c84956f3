/*
** commands.h — `cari` subcommands that live in a file of their own in cli/,
** called from main.c with argv[0] the program name and argv[1] the first
** argument after the command. Each returns the exit status.
*/
#ifndef CARI_CLI_COMMANDS_H
#define CARI_CLI_COMMANDS_H

/* cli/eval.c: `cari eval`, relevance figures for a set of queries. */
int cari_cmd_eval(int argc, char **argv);

/* cli/discover.c: `cari suggest` and `cari related`. */
int cari_cmd_suggest(int argc, char **argv);
int cari_cmd_related(int argc, char **argv);

#endif
