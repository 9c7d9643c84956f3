/*
** discover.c — `cari suggest` (completions of the word being typed) and
** `cari related` (articles like a given one): what a blog shows beside
** its search box and under each post. A client of include/cari.h only;
** it does not search by query (main.c's `cari search` does).
*/
#include "cari.h"
#include "commands.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

enum { OKAY = 0, PARTIAL = 1, USAGE = 2, FAIL = 3 };

static int usage(const char *cmd, const char *msg) {
  fprintf(stderr, "cari %s: %s (see 'cari %s --help')\n", cmd, msg, cmd);
  return USAGE;
}

/* Printable on one line: control characters become U+FFFD. */
static void put_line(const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p < 0x20 || *p == 0x7f) fputs("\xEF\xBF\xBD", stdout);
    else if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {
      fputs("\xEF\xBF\xBD", stdout);
      p++;
    } else putchar(*p);
  }
}

static int get_limit(const char *cmd, const char *s, int *out) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || end == s || *end || v < 1 || v > 100) return 0;
  *out = (int)v;
  return 1;
}

/* Open read-only, or print why and return NULL. */
static cari_db *open_ro(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) {
    fprintf(stderr, "cari: no database at '%s' (create one with 'cari "
            "index')\n", path);
    return NULL;
  }
  cari_db *db;
  cari_open_opts oo = cli_open_opts(NULL, CARI_OPEN_READONLY); /* lexicon */
  if (cari_open_ex(path, &oo, &db) != CARI_OK) {
    fprintf(stderr, "cari: %s\n", cari_errmsg(db));
    cari_close(db);
    return NULL;
  }
  return db;
}

static const char *default_db(void) {
  const char *e = getenv("CARI_DB");
  return e && e[0] ? e : "cari.db";
}

/* The options both commands take: --db, --limit, --json, --help. */
typedef struct {
  const char *db;
  int limit, json;
} common_opts;

static int parse_common(const char *cmd, const char *help, int argc,
                        char **argv, common_opts *o) {
  static const struct option opts[] = {
      {"db", required_argument, 0, 'd'}, {"limit", required_argument, 0, 'l'},
      {"json", no_argument, 0, 'j'},     {"help", no_argument, 0, 'h'},
      {0, 0, 0, 0}};
  o->db = default_db();
  o->limit = 10;
  o->json = 0;
  int c;
  while ((c = getopt_long(argc, argv, "+d:l:jh", opts, NULL)) != -1) {
    switch (c) {
    case 'd': o->db = optarg; break;
    case 'l':
      if (!get_limit(cmd, optarg, &o->limit))
        return usage(cmd, "--limit wants a whole number from 1 to 100");
      break;
    case 'j': o->json = 1; break;
    case 'h': fputs(help, stdout); return -1;
    default: return usage(cmd, "unknown option");
    }
  }
  return OKAY;
}

static const char suggest_help[] =
    "usage: cari suggest [--db FILE] [--limit N] [--json] TEXT...\n"
    "Complete the last word of TEXT (what a reader has typed so far) with\n"
    "words of the index's articles as they are written, most frequent\n"
    "first; words found in articles together with TEXT's earlier words come\n"
    "first. One word a line.\n"
    "  --db FILE   database (default $CARI_DB or cari.db)\n"
    "  --limit N   suggestions (default 10, at most 100)\n"
    "  --json      {\"text\", \"suggestions\": [{\"word\", \"count\"}]}; count is\n"
    "              the number of articles holding the word\n"
    "Exit status: 0 suggestions found, 1 none, 2 usage, 3 failure.\n";

/* TEXT: the arguments joined by spaces (a trailing space is kept: "kopi "
** has no partial word). */
static char *join(int argc, char **argv, int from) {
  size_t n = 1;
  for (int i = from; i < argc; i++) n += strlen(argv[i]) + 1;
  char *s = malloc(n);
  if (!s) return NULL;
  s[0] = 0;
  for (int i = from; i < argc; i++) {
    if (i > from) strcat(s, " ");
    strcat(s, argv[i]);
  }
  return s;
}

int cari_cmd_suggest(int argc, char **argv) {
  common_opts o;
  int rc = parse_common("suggest", suggest_help, argc, argv, &o);
  if (rc) return rc < 0 ? OKAY : rc;
  if (optind >= argc) return usage("suggest", "no TEXT given");
  char *text = join(argc, argv, optind);
  cari_db *db = text ? open_ro(o.db) : NULL;
  if (!db) {
    if (!text) fputs("cari: out of memory\n", stderr);
    free(text);
    return FAIL;
  }
  cari_suggestion *s;
  int n;
  rc = cari_suggest(db, text, -1, o.limit, &s, &n);
  int status = rc ? FAIL : n ? OKAY : PARTIAL;
  if (rc) fprintf(stderr, "cari: %s\n", cari_errmsg(db));
  else if (o.json) {
    json_t *a = json_array();
    for (int i = 0; a && i < n; i++)
      json_array_append_new(a, json_pack("{s:s, s:I}", "word", s[i].word,
                                         "count", (json_int_t)s[i].count));
    json_t *j = a ? json_pack("{s:s, s:o}", "text", text, "suggestions", a)
                  : NULL;
    if (!j || json_dumpf(j, stdout, JSON_COMPACT) != 0) status = FAIL;
    putchar('\n');
    json_decref(j);
  } else {
    for (int i = 0; i < n; i++) {
      put_line(s[i].word);
      putchar('\n');
    }
  }
  cari_suggestions_free(s);
  cari_close(db);
  free(text);
  return status;
}

static const char related_help[] =
    "usage: cari related [--db FILE] [--limit N] [--json] ID\n"
    "The articles most like article ID (itself excluded), best first: its\n"
    "most distinctive words (frequent in it, rare in the collection; title\n"
    "words count more) searched for as one query.\n"
    "  --db FILE   database (default $CARI_DB or cari.db)\n"
    "  --limit N   articles (default 10, at most 100)\n"
    "  --json      {\"id\", \"results\": [{id, title, url, date, tags, score}]}\n"
    "Exit status: 0 found, 1 none (or no article ID), 2 usage, 3 failure.\n";

int cari_cmd_related(int argc, char **argv) {
  common_opts o;
  int rc = parse_common("related", related_help, argc, argv, &o);
  if (rc) return rc < 0 ? OKAY : rc;
  if (optind != argc - 1) return usage("related", "give one article ID");
  const char *id = argv[optind];
  cari_db *db = open_ro(o.db);
  if (!db) return FAIL;
  cari_search_opts so = {.size = sizeof so, .limit = o.limit,
                         .flags = CARI_SEARCH_NO_SNIPPET};
  cari_cursor *c;
  rc = cari_related(db, id, &so, &c);
  if (rc) {
    fprintf(stderr, "cari: %s\n", cari_errmsg(db));
    cari_close(db);
    return rc == CARI_NOTFOUND || rc == CARI_QUERY ? PARTIAL : FAIL;
  }
  json_t *res = o.json ? json_array() : NULL;
  int n = 0, status = OKAY;
  while ((rc = cari_next(c)) == CARI_ROW) {
    n++;
    const char *rid = cari_result_id(c), *title = cari_result_title(c);
    if (res) {
      json_t *tags = json_array();
      for (int i = 0; tags && i < cari_result_ntags(c); i++)
        json_array_append_new(tags, json_string(cari_result_tag(c, i)));
      const char *url = cari_result_url(c), *date = cari_result_date(c);
      json_array_append_new(
          res, json_pack("{s:s, s:s, s:o, s:o, s:o, s:f}", "id", rid, "title",
                         title ? title : "", "url",
                         url ? json_string(url) : json_null(), "date",
                         date ? json_string(date) : json_null(), "tags",
                         tags ? tags : json_null(), "score",
                         cari_result_score(c)));
    } else {
      printf("%d. ", n);
      put_line(title && title[0] ? title : rid);
      fputs("  (", stdout);
      put_line(rid);
      printf(")  %.2f\n", cari_result_score(c));
    }
  }
  if (rc != CARI_DONE) {
    fprintf(stderr, "cari: %s\n", cari_errmsg(db));
    status = FAIL;
  }
  if (res) {
    json_t *j = json_pack("{s:s, s:o}", "id", id, "results", res);
    if (!j || json_dumpf(j, stdout, JSON_COMPACT) != 0) status = FAIL;
    putchar('\n');
    json_decref(j);
  }
  if (status == OKAY && n == 0) status = PARTIAL;
  cari_cursor_free(c);
  cari_close(db);
  return status;
}
