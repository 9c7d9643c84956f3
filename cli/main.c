/*
** main.c — the `cari` command: index, search, rm, check, stem (eval and
** serve live in files of their own). A client of
** include/cari.h only. Output for people on a terminal (progress, colour),
** plain text when piped, JSON with --json. Exit status: 0 success; 1 done
** but incomplete (records skipped, ids not found, no results); 2 usage
** error; 3 failure.
*/
#include "cari.h"
#include "commands.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <stdarg.h>

enum { EXIT_OKAY = 0, EXIT_PARTIAL = 1, EXIT_USAGE = 2, EXIT_FAIL = 3 };

static const char *prog = "cari";

/* Write text meant for a terminal: control characters (C0 but tab, DEL,
** C1) from articles, ids or file names become U+FFFD, so no text can move
** the cursor, recolour or retitle the terminal. \1 and \2 are the snippet
** marks this program asked the library for (the library keeps article text
** free of them): they become `open` and `close`. */
static void put_clean(FILE *f, const char *s, const char *open,
                      const char *close) {
  const unsigned char *p = (const unsigned char *)s;
  for (; *p; p++) {
    if (*p == 1 && open) fputs(open, f);
    else if (*p == 2 && close) fputs(close, f);
    else if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
      fputs("\xEF\xBF\xBD", f);
    else if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {
      fputs("\xEF\xBF\xBD", f);
      p++;
    } else putc(*p, f);
  }
}

/* One error line on stderr, "cari: ...", cleaned as put_clean does. */
static void errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void errorf(const char *fmt, ...) {
  char buf[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  fprintf(stderr, "%s: ", prog);
  put_clean(stderr, buf, NULL, NULL);
  putc('\n', stderr);
}

static void die_usage(const char *cmd, const char *msg) {
  fprintf(stderr, "%s%s%s: %s (see '%s %s --help')\n", prog, cmd ? " " : "",
          cmd ? cmd : "", msg, prog, cmd ? cmd : "");
  exit(EXIT_USAGE);
}

static const char *default_db(void) {
  const char *e = getenv("CARI_DB");
  return e && e[0] ? e : "cari.db";
}

static int parse_int(const char *cmd, const char *opt, const char *s, int min) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || end == s || *end || v < min || v > 1000000000) {
    char msg[160];
    snprintf(msg, sizeof msg, "%s wants a whole number >= %d, not '%s'", opt,
             min, s);
    die_usage(cmd, msg);
  }
  return (int)v;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *env_path(const char *name) {
  const char *e = getenv(name);
  return e && e[0] ? e : NULL;
}

cari_open_opts cli_open_opts(const char *stemmer, int flags) {
  cari_open_opts o = CARI_OPEN_OPTS_INIT;
  o.stemmer = stemmer;
  o.flags = flags;
  o.dic = env_path("CARI_DIC");
  o.roots = env_path("CARI_ROOTS");
  o.exceptions = env_path("CARI_EXCEPTIONS");
  o.thesaurus = env_path("CARI_THES");
  return o;
}

/* Open the database with o or exit with a one-line message. An existing
** file is required unless `create` is set. */
static cari_db *open_db_opts(const char *path, const cari_open_opts *o,
                             int create) {
  struct stat st;
  if (!create && stat(path, &st) != 0) {
    errorf("no database at '%s' (create one with 'cari index')", path);
    exit(EXIT_FAIL);
  }
  cari_db *db;
  int rc = cari_open_ex(path, o, &db);
  if (rc) {
    errorf("%s", cari_errmsg(db));
    cari_close(db);
    exit(EXIT_FAIL);
  }
  return db;
}

static cari_db *open_db(const char *path, const char *stemmer, int flags,
                        int create) {
  cari_open_opts o = cli_open_opts(stemmer, flags);
  return open_db_opts(path, &o, create);
}

/* ------------------------------------------------------------------ */

static const char index_help[] =
    "usage: cari index [--db FILE] [--stemmer NAME] [--batch N] [--json]\n"
    "                  [--format NAME] [--quiet] PATH...\n"
    "Add articles to the index, replacing those with the same id.\n"
    "PATH is a .jsonl/.ndjson, .md/.markdown, .html/.htm, .txt, or\n"
    ".xml/.rss/.atom file (WordPress or Blogger export, Atom, RSS 2.0 or\n"
    "1.0 feed, told apart by their contents), a directory of them (walked\n"
    "recursively), or - for JSONL on stdin.\n"
    "  --format NAME   read each file named, and -, as NAME: jsonl, xml,\n"
    "                  markdown, html, text (default auto: by extension)\n"
    "  --db FILE       database (default $CARI_DB or cari.db; created if new)\n"
    "  --stemmer NAME  analyzer of a new database: cari (default, our own,\n"
    "                  informal words read too), cari_formal (without them),\n"
    "                  snowball (libstemmer's), none\n"
    "  --surface       a new database also indexes each word as written, so\n"
    "                  exact forms rank first and prefixes match words as\n"
    "                  written (about twice the index, half the speed)\n"
    "  --no-surface    stems only (the default)\n"
    "  --batch N       articles per transaction (default 1000); a batch\n"
    "                  lands whole or not at all\n"
    "  --optimize WHEN merge the index and rebuild the top-k postings that\n"
    "                  make searches fast (cari_optimize): auto (default:\n"
    "                  when this run added at least a tenth of the\n"
    "                  articles), always, never\n"
    "  --json          print a JSON summary on stdout\n"
    "  --quiet         no progress or summary on a terminal\n"
    "Malformed records are reported (file:line) and skipped; exit status 1\n"
    "then, 3 on failure, 0 when everything landed. Malformed XML is\n"
    "reported with file:line:column; the entries before the error are\n"
    "indexed. Drafts, comments and other entries that are not articles\n"
    "are passed over and counted, by format, in the summary. A date that\n"
    "is not ISO 8601 (YYYY-MM-DD or a date-time) is reported as a warning\n"
    "with its file and line; the article is indexed, undated.\n";

/* Counts of one input format (cari_reader_format) in one run. */
#define MAX_FORMATS 16
#define MAX_REASONS 16
typedef struct fmt_stats {
  char name[16];
  long long indexed, pending, malformed, invalid;
  struct { char why[40]; long long n; } passed[MAX_REASONS];
  int npassed;
} fmt_stats;

/* The stats of format `name` ("" counts as "other"); the last slot takes
** what does not fit. */
static fmt_stats *fmt_get(fmt_stats *f, int *n, const char *name) {
  int i;
  if (!name || !*name) name = "other";
  for (i = 0; i < *n; i++)
    if (!strcmp(f[i].name, name)) return &f[i];
  if (*n == MAX_FORMATS) return &f[MAX_FORMATS - 1];
  memset(&f[*n], 0, sizeof f[*n]);
  snprintf(f[*n].name, sizeof f[*n].name, "%s", name);
  return &f[(*n)++];
}

/* Add the reader's passed-over counts. */
static void fmt_passed(fmt_stats *f, int *n, cari_reader *r) {
  const char *format, *reason;
  long long count;
  for (size_t i = 0;
       cari_reader_passed(r, i, &format, &reason, &count) == CARI_ROW; i++) {
    fmt_stats *s = fmt_get(f, n, format);
    int k;
    for (k = 0; k < s->npassed; k++)
      if (!strcmp(s->passed[k].why, reason)) break;
    if (k == s->npassed) {
      if (s->npassed == MAX_REASONS) k = MAX_REASONS - 1;
      else snprintf(s->passed[s->npassed++].why, sizeof s->passed[0].why,
                    "%s", reason);
    }
    s->passed[k].n += count;
  }
}

/* The batch landed (commit) or not (rollback): pending counts move or go. */
static void fmt_settle(fmt_stats *f, int n, int landed) {
  for (int i = 0; i < n; i++) {
    if (landed) f[i].indexed += f[i].pending;
    f[i].pending = 0;
  }
}

/* One summary line per format on stderr: "wxr: 12 indexed; passed over:
** 3 draft, 1 attachment; 1 malformed". */
static void fmt_print(const fmt_stats *f, int n) {
  for (int i = 0; i < n; i++) {
    long long passed = 0;
    for (int k = 0; k < f[i].npassed; k++) passed += f[i].passed[k].n;
    fprintf(stderr, "  %s: %lld indexed", f[i].name, f[i].indexed);
    if (passed) {
      fprintf(stderr, "; %lld passed over (", passed);
      for (int k = 0; k < f[i].npassed; k++) {
        fprintf(stderr, "%s%lld ", k ? ", " : "", f[i].passed[k].n);
        put_clean(stderr, f[i].passed[k].why, NULL, NULL);
      }
      fputc(')', stderr);
    }
    if (f[i].malformed) fprintf(stderr, "; %lld malformed", f[i].malformed);
    if (f[i].invalid) fprintf(stderr, "; %lld invalid", f[i].invalid);
    fputc('\n', stderr);
  }
}

/* {"wxr":{"indexed":12,"malformed":0,"invalid":0,"passed":{"draft":3}}} */
static json_t *fmt_json(const fmt_stats *f, int n) {
  json_t *o = json_object();
  for (int i = 0; o && i < n; i++) {
    json_t *p = json_object();
    for (int k = 0; p && k < f[i].npassed; k++)
      json_object_set_new(p, f[i].passed[k].why,
                          json_integer(f[i].passed[k].n));
    json_object_set_new(o, f[i].name,
                        json_pack("{s:I, s:I, s:I, s:o}", "indexed",
                                  (json_int_t)f[i].indexed, "malformed",
                                  (json_int_t)f[i].malformed, "invalid",
                                  (json_int_t)f[i].invalid, "passed",
                                  p ? p : json_object()));
  }
  return o;
}

typedef struct {
  long long indexed, skipped;
  long long bytes_done;
  double t0, last_draw;
  int progress;
} index_stats;

static void draw_progress(index_stats *s, cari_reader *r, int final) {
  double t = now();
  if (!s->progress || (!final && t - s->last_draw < 0.2)) return;
  s->last_draw = t;
  long long done = 0, total = 0;
  if (r) cari_reader_progress(r, &done, &total);
  double el = t - s->t0, mb = (double)(s->bytes_done + done) / 1e6;
  char left[64] = "";
  if (total > 0 && done > 0 && done < total)
    snprintf(left, sizeof left, ", %.0f s left",
             el * (double)(total - done) / (double)(s->bytes_done + done));
  fprintf(stderr, "\r\033[K%lld articles, %.1f MB/s%s", s->indexed,
          el > 0 ? mb / el : 0.0, left);
  fflush(stderr);
}

static int cmd_index(int argc, char **argv) {
  static const struct option opts[] = {
      {"db", required_argument, 0, 'd'},   {"stemmer", required_argument, 0, 's'},
      {"batch", required_argument, 0, 'b'}, {"json", no_argument, 0, 'j'},
      {"quiet", no_argument, 0, 'q'},      {"help", no_argument, 0, 'h'},
      {"no-surface", no_argument, 0, 'S'}, {"surface", no_argument, 0, 'U'},
      {"optimize", required_argument, 0, 'O'},
      {"format", required_argument, 0, 'F'},
      {0, 0, 0, 0}};
  const char *dbpath = default_db(), *stemmer = NULL, *format = NULL;
  fmt_stats fs[MAX_FORMATS];
  int nfs = 0;
  int batch = 1000, json = 0, quiet = 0, c, oflags = 0, optimize = -1;
  while ((c = getopt_long(argc, argv, "d:s:b:jqh", opts, NULL)) != -1) {
    switch (c) {
    case 'd': dbpath = optarg; break;
    case 's': stemmer = optarg; break;
    case 'b': batch = parse_int("index", "--batch", optarg, 1); break;
    case 'j': json = 1; break;
    case 'q': quiet = 1; break;
    case 'F': format = optarg; break;
    case 'S': oflags |= CARI_OPEN_NO_SURFACE; break;
    case 'U': oflags |= CARI_OPEN_SURFACE; break;
    case 'O':
      if (!strcmp(optarg, "auto")) optimize = -1;
      else if (!strcmp(optarg, "always")) optimize = 1;
      else if (!strcmp(optarg, "never")) optimize = 0;
      else die_usage("index", "--optimize takes auto, always or never");
      break;
    case 'h': fputs(index_help, stdout); return EXIT_OKAY;
    default: die_usage("index", "unknown option");
    }
  }
  if (optind >= argc) die_usage("index", "no PATH given");
  cari_db *db = open_db(dbpath, stemmer, oflags, 1);
  index_stats s = {0, 0, 0, now(), 0, !quiet && isatty(2)};
  int status = EXIT_OKAY, in_batch = 0, fatal = 0;
  long long pending = 0;
  for (int i = optind; i < argc && !fatal; i++) {
    cari_reader *r;
    int orc = cari_reader_open_as(argv[i], format, &r);
    if (orc != CARI_OK) {
      const char *err = r ? cari_reader_errmsg(r) : cari_errstr(orc);
      if (s.progress) fputs("\r\033[K", stderr);
      errorf("%s", err);
      if (orc == CARI_INVALID && format && !strstr(err, "directory")) {
        cari_reader_close(r);
        cari_close(db);
        die_usage("index", "unknown --format (jsonl, xml, markdown, html, "
                           "text or auto)");
      }
      cari_reader_close(r);
      status = EXIT_PARTIAL;
      s.skipped++;
      continue;
    }
    cari_article a;
    int rc;
    while ((rc = cari_reader_next(r, &a)) != CARI_DONE) {
      if (rc == CARI_FORMAT) {
        if (s.progress) fputs("\r\033[K", stderr);
        errorf("skipped %s", cari_reader_errmsg(r));
        s.skipped++;
        fmt_get(fs, &nfs, cari_reader_format(r))->malformed++;
        status = EXIT_PARTIAL;
        continue;
      }
      if (rc != CARI_ROW) {
        errorf("%s", cari_reader_errmsg(r));
        fatal = 1;
        break;
      }
      if (!in_batch) {
        if (cari_begin(db)) { fatal = 2; break; }
        in_batch = 1;
      }
      if (a.date && a.date[0] && cari_parse_date(a.date, NULL, NULL)) {
        if (s.progress) fputs("\r\033[K", stderr);
        errorf("warning: %s: date '%.60s' is not ISO 8601 (YYYY-MM-DD or a "
               "date-time): indexed undated", a.source ? a.source : a.id,
               a.date);
      }
      rc = cari_put(db, &a);
      if (rc == CARI_INVALID) {
        if (s.progress) fputs("\r\033[K", stderr);
        errorf("skipped %s", cari_errmsg(db));
        s.skipped++;
        fmt_get(fs, &nfs, cari_reader_format(r))->invalid++;
        status = EXIT_PARTIAL;
        continue;
      }
      if (rc) { fatal = 2; break; }
      s.indexed++;
      fmt_get(fs, &nfs, cari_reader_format(r))->pending++;
      if (++pending >= batch) {
        if (cari_commit(db)) { fatal = 2; break; }
        fmt_settle(fs, nfs, 1);
        in_batch = 0;
        pending = 0;
      }
      draw_progress(&s, r, 0);
    }
    long long done, total;
    cari_reader_progress(r, &done, &total);
    s.bytes_done += done;
    fmt_passed(fs, &nfs, r);
    cari_reader_close(r);
  }
  if (!fatal && in_batch && cari_commit(db)) fatal = 2;
  fmt_settle(fs, nfs, !fatal);
  if (fatal == 2) {
    if (s.progress) fputs("\r\033[K", stderr);
    errorf("%s (the current batch was not stored)", cari_errmsg(db));
    if (in_batch && cari_rollback(db)) errorf("%s", cari_errmsg(db));
    s.indexed -= pending; /* the batch's articles were not stored */
  }
  long long count = cari_count(db);
  if (!fatal && (optimize == 1 ||
                 (optimize == -1 && s.indexed > 0 && s.indexed * 10 >= count))) {
    if (s.progress) fputs("\r\033[Koptimizing…", stderr);
    if (cari_optimize(db)) {
      if (s.progress) fputs("\r\033[K", stderr);
      errorf("%s (the articles are stored; searches stay exhaustive until "
             "`cari index --optimize always` succeeds)", cari_errmsg(db));
      fatal = 1;
    }
  }
  double el = now() - s.t0;
  if (s.progress) {
    draw_progress(&s, NULL, 1);
    fprintf(stderr, "\r\033[Kindexed %lld articles (%.1f MB) in %.2f s%s%lld "
            "skipped; %lld in %s\n", s.indexed, (double)s.bytes_done / 1e6, el,
            ", ", s.skipped, cari_count(db), dbpath);
    fmt_print(fs, nfs);
  }
  if (json) {
    json_t *o = json_pack("{s:I, s:I, s:I, s:f, s:b, s:o}", "indexed",
                          (json_int_t)s.indexed, "skipped",
                          (json_int_t)s.skipped, "articles",
                          (json_int_t)cari_count(db), "seconds", el, "ok",
                          !fatal, "formats", fmt_json(fs, nfs));
    if (o) {
      json_dumpf(o, stdout, JSON_COMPACT | JSON_REAL_PRECISION(6));
      putchar('\n');
      json_decref(o);
    }
  }
  cari_close(db);
  return fatal ? EXIT_FAIL : status;
}

/* ------------------------------------------------------------------ */

static const char search_help[] =
    "usage: cari search [--db FILE] [--limit N] [--offset N] [--tag TAG]...\n"
    "                   [--from DATE] [--to DATE] [--sort relevance|date]\n"
    "                   [--no-typo] [--json [--facets]] [--synonyms FILE]\n"
    "                   [--no-synonyms] [--thesaurus] QUERY...\n"
    "Search the index; best matches first. The query's words are matched\n"
    "through the analyzer (berkumpul finds kumpul); an article need not hold\n"
    "every word. Syntax: \"a phrase\", -excluded, prefix*, OR.\n"
    "Options end at the first query word, so words may start with '-'.\n"
    "  --db FILE    database (default $CARI_DB or cari.db)\n"
    "  --limit N    results to show (default 10)\n"
    "  --offset N   results to skip first (default 0)\n"
    "  --tag TAG    only articles tagged TAG (repeatable: all must match;\n"
    "               compared trimmed and case folded)\n"
    "  --from DATE  only articles dated on or after DATE (YYYY-MM-DD)\n"
    "  --to DATE    only articles dated on or before DATE (inclusive)\n"
    "               Filters never change the order or the scores: the list\n"
    "               is the unfiltered one without the others.\n"
    "  --sort KEY   relevance (default) or date: newest first, ties by score\n"
    "               (undated articles last)\n"
    "  --json       one JSON object: {query, total, results: [{id, title,\n"
    "               url, date, author, tags, score, snippet}], note?};\n"
    "               snippet is HTML-escaped with matches in <mark>...</mark>;\n"
    "               total is null when counting ran out of time\n"
    "  --facets     with --json, add \"facets\": {\"tags\": {TAG: n, ...},\n"
    "               \"year\": {YEAR: n, ...}} counted over every match (not\n"
    "               only the page), most frequent first, 10 values each\n"
    "  --facet-limit N  values per facet (default 10)\n"
    "  --synonyms FILE  the synonyms file (default $CARI_SYNONYMS): one group\n"
    "               a line, 'kopdar = kopi darat, kopdaran'; each word of\n"
    "               the query also finds its synonyms, ranked below it\n"
    "  --no-synonyms    ignore the synonyms file\n"
    "  --thesaurus  also the synonyms of mythes-id's thesaurus ($CARI_THES,\n"
    "               default /usr/share/mythes/th_id_ID_v2.idx); off by\n"
    "               default: it costs more relevance than it gains (README)\n"
    "  --no-typo    match words only as the analyzer reads them: by default\n"
    "               a word of 5+ letters the index does not know also\n"
    "               matches its closest words (1 edit, 2 from 9 letters),\n"
    "               ranked below it (--no-typo: neither that nor the\n"
    "               line below)\n"
    "When a word is unknown and a close word is not, the first line is\n"
    "'Maksud Anda: QUERY' (with --json: \"did_you_mean\": QUERY).\n"
    "Bounds: the first 64 words, 32 exclusions and 8 prefixes count; a\n"
    "prefix needs 2 letters (a* is the word a) and matches at most its 32\n"
    "most frequent terms; a search stops after 2 s. What was cut is printed\n"
    "as a note on stderr (and as \"note\" with --json).\n"
    "Exit status: 0 results found, 1 none (or nothing to search for, or the\n"
    "search ran out of time), 2 usage, 3 failure.\n";

/* Append the snippet to a buffer as escaped HTML, \1 and \2 as <mark>. */
static char *snippet_html(const char *s) {
  size_t cap = strlen(s) * 6 + 1, n = 0;
  char *out = malloc(cap);
  if (!out) return NULL;
  for (; *s; s++) {
    const char *rep = NULL;
    switch (*s) {
    case '&': rep = "&amp;"; break;
    case '<': rep = "&lt;"; break;
    case '>': rep = "&gt;"; break;
    case '"': rep = "&quot;"; break;
    case '\1': rep = "<mark>"; break;
    case '\2': rep = "</mark>"; break;
    default: break;
    }
    if (rep) {
      size_t k = strlen(rep);
      memcpy(out + n, rep, k);
      n += k;
    } else {
      out[n++] = *s;
    }
  }
  out[n] = 0;
  return out;
}

static json_t *jstr(const char *s) { return s ? json_string(s) : json_null(); }

/* A date option's value, checked here so that a typo is a usage error. */
static const char *date_arg(const char *cmd, const char *opt, const char *v) {
  if (cari_parse_date(v, NULL, NULL) != CARI_OK) {
    char msg[200];
    snprintf(msg, sizeof msg, "%s wants an ISO 8601 date (YYYY-MM-DD), not "
             "'%.80s'", opt, v);
    die_usage(cmd, msg);
  }
  return v;
}

/* The result's tags as a JSON array. */
static json_t *jtags(cari_cursor *cur) {
  json_t *a = json_array();
  int n = cari_result_ntags(cur);
  for (int i = 0; a && i < n; i++)
    json_array_append_new(a, json_string(cari_result_tag(cur, i)));
  return a ? a : json_null();
}

/* {"tags": {...}, "year": {...}}, most frequent first (jansson keeps the
** order of insertion), or NULL with the error printed. */
static json_t *jfacets(cari_db *db, cari_cursor *cur) {
  static const char *const names[2] = {"tags", "year"};
  json_t *o = json_object();
  for (int f = 0; o && f < 2; f++) {
    json_t *v = json_object();
    const char *value;
    long long n;
    int rc, i = 0;
    while (v && (rc = cari_cursor_facet(cur, names[f], i++, &value, &n)) ==
                    CARI_ROW)
      json_object_set_new(v, value, json_integer(n));
    if (!v || rc != CARI_DONE) {
      if (v) errorf("%s", cari_errmsg(db));
      json_decref(v);
      json_decref(o);
      return NULL;
    }
    json_object_set_new(o, names[f], v);
  }
  return o;
}

static int cmd_search(int argc, char **argv) {
  static const struct option opts[] = {
      {"db", required_argument, 0, 'd'},    {"limit", required_argument, 0, 'l'},
      {"offset", required_argument, 0, 'o'}, {"json", no_argument, 0, 'j'},
      {"tag", required_argument, 0, 't'},   {"from", required_argument, 0, 'F'},
      {"to", required_argument, 0, 'T'},    {"sort", required_argument, 0, 's'},
      {"facets", no_argument, 0, 'A'},
      {"facet-limit", required_argument, 0, 'L'},
      {"synonyms", required_argument, 0, 'Y'},
      {"no-synonyms", no_argument, 0, 'N'},
      {"thesaurus", no_argument, 0, 'H'},
      {"no-typo", no_argument, 0, 'P'},
      {"help", no_argument, 0, 'h'},        {0, 0, 0, 0}};
  const char *dbpath = default_db(), *synonyms = env_path("CARI_SYNONYMS");
  int limit = 10, offset = 0, json = 0, c, facets = 0, facet_limit = 0;
  cari_search_opts so = CARI_SEARCH_OPTS_INIT;
  const char **tags = calloc((size_t)argc + 1, sizeof *tags);
  if (!tags) { fprintf(stderr, "%s: out of memory\n", prog); return EXIT_FAIL; }
  while ((c = getopt_long(argc, argv, "+d:l:o:jh", opts, NULL)) != -1) {
    switch (c) {
    case 'd': dbpath = optarg; break;
    case 'l': limit = parse_int("search", "--limit", optarg, 1); break;
    case 'o': offset = parse_int("search", "--offset", optarg, 0); break;
    case 'j': json = 1; break;
    case 't': tags[so.ntags++] = optarg; break;
    case 'F': so.from = date_arg("search", "--from", optarg); break;
    case 'T': so.to = date_arg("search", "--to", optarg); break;
    case 'A': facets = 1; break;
    case 'L': facet_limit = parse_int("search", "--facet-limit", optarg, 1); break;
    case 'Y': synonyms = optarg; break;
    case 'N': so.flags |= CARI_SEARCH_NO_SYNONYMS; break;
    case 'H': so.flags |= CARI_SEARCH_THESAURUS; break;
    case 'P': so.flags |= CARI_SEARCH_NO_TYPO; break;
    case 's':
      if (!strcmp(optarg, "relevance")) so.sort = CARI_SORT_RELEVANCE;
      else if (!strcmp(optarg, "date")) so.sort = CARI_SORT_DATE;
      else die_usage("search", "--sort takes relevance or date");
      break;
    case 'h': free(tags); fputs(search_help, stdout); return EXIT_OKAY;
    default:
      die_usage("search", "unknown option (to search for a word starting "
                          "with '-', put the query after --)");
    }
  }
  if (optind >= argc) die_usage("search", "no QUERY given");
  size_t qlen = 0;
  for (int i = optind; i < argc; i++) qlen += strlen(argv[i]) + 1;
  char *q = malloc(qlen + 1);
  if (!q) { fprintf(stderr, "%s: out of memory\n", prog); return EXIT_FAIL; }
  q[0] = 0;
  for (int i = optind; i < argc; i++) {
    if (i > optind) strcat(q, " ");
    strcat(q, argv[i]);
  }
  cari_open_opts oo = cli_open_opts(NULL, CARI_OPEN_READONLY);
  if (!(so.flags & CARI_SEARCH_NO_SYNONYMS)) oo.synonyms = synonyms;
  cari_db *db = open_db_opts(dbpath, &oo, 0);
  const char *nc = getenv("NO_COLOR");
  int color = !json && isatty(1) && !(nc && nc[0]);
  if (facets && !json) die_usage("search", "--facets needs --json");
  so.limit = limit;
  so.offset = offset;
  so.tags = tags;
  so.facet_limit = facet_limit;
  if (facets) so.flags |= CARI_SEARCH_FACETS;
  if (json) { so.mark_open = "\1"; so.mark_close = "\2"; }
  else { so.mark_open = "\1"; so.mark_close = "\2"; } /* put_clean's */
  cari_cursor *cur;
  int rc = cari_search(db, q, -1, &so, &cur), status = EXIT_OKAY;
  if (rc == CARI_QUERY) {
    errorf("%s", cari_errmsg(db));
    if (json) {
      json_t *o = json_pack("{s:s, s:i, s:[], s:s}", "query", q, "total", 0,
                            "results", "message", cari_errmsg(db));
      if (o) { json_dumpf(o, stdout, JSON_COMPACT); putchar('\n'); json_decref(o); }
    }
    free(tags);
    free(q);
    cari_close(db);
    return EXIT_PARTIAL;
  }
  if (rc) {
    errorf("%s", cari_errmsg(db));
    free(tags);
    free(q);
    cari_close(db);
    return rc == CARI_INVALID ? EXIT_USAGE : EXIT_FAIL;
  }
  const char *note = cari_cursor_note(cur);
  json_t *fjs = NULL;
  if (facets && !(fjs = jfacets(db, cur))) status = EXIT_FAIL;
  if (note) fprintf(stderr, "%s: note: %s\n", prog, note);
  const char *dym = cari_cursor_did_you_mean(cur);
  if (dym && !json) { /* before the results: read first */
    fputs("Maksud Anda: ", stdout);
    put_clean(stdout, dym, NULL, NULL);
    putchar('\n');
  }
  /* The total costs a count of every match: only when it is shown. */
  long long total = -1;
  if ((json || color || isatty(1)) && cari_cursor_total(cur, &total))
    errorf("%s", cari_errmsg(db));
  json_t *results = json ? json_array() : NULL;
  int n = 0;
  while ((rc = cari_next(cur)) == CARI_ROW) {
    n++;
    const char *title = cari_result_title(cur), *id = cari_result_id(cur);
    const char *snip = cari_result_snippet(cur);
    if (json) {
      char *html = snippet_html(snip ? snip : "");
      json_t *o = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:f, s:o}",
                            "id", jstr(id), "title", jstr(title), "url",
                            jstr(cari_result_url(cur)), "date",
                            jstr(cari_result_date(cur)), "author",
                            jstr(cari_result_author(cur)), "tags", jtags(cur),
                            "score", cari_result_score(cur), "snippet",
                            jstr(html));
      free(html);
      if (o) json_array_append_new(results, o);
    } else {
      printf(color ? "%d. \033[1m" : "%d. ", offset + n);
      put_clean(stdout, title && title[0] ? title : id ? id : "", NULL, NULL);
      const char *author = cari_result_author(cur);
      if (author && author[0]) {
        fputs(color ? "\033[0m \xE2\x80\x94 " : " \xE2\x80\x94 ", stdout);
        put_clean(stdout, author, NULL, NULL);
      }
      fputs(color ? "\033[0m  (" : "  (", stdout);
      put_clean(stdout, id ? id : "", NULL, NULL);
      printf(")  %.2f\n", cari_result_score(cur));
      if (snip && snip[0]) {
        fputs("   ", stdout);
        put_clean(stdout, snip, color ? "\033[1;31m" : "",
                  color ? "\033[0m" : "");
        putchar('\n');
      }
    }
  }
  if (rc != CARI_DONE) {
    errorf("%s", cari_errmsg(db));
    status = EXIT_FAIL;
  }
  if (json) {
    json_t *o = json_pack("{s:s, s:o, s:o}", "query", q, "total",
                          total >= 0 ? json_integer(total) : json_null(),
                          "results", results);
    if (o && note) json_object_set_new(o, "note", json_string(note));
    if (o && dym) json_object_set_new(o, "did_you_mean", json_string(dym));
    if (o && fjs) json_object_set_new(o, "facets", fjs);
    else json_decref(fjs);
    if (o) {
      json_dumpf(o, stdout, JSON_COMPACT);
      putchar('\n');
      json_decref(o);
    }
  } else if (n == 0 && status == EXIT_OKAY && total == 0 && isatty(1)) {
    printf("no results\n");
  } else if (color && status == EXIT_OKAY && total >= 0) {
    printf("\033[2m%d of %lld\033[0m\n", n, total);
  }
  if (status == EXIT_OKAY && n == 0) status = EXIT_PARTIAL;
  cari_cursor_free(cur);
  cari_close(db);
  free(tags);
  free(q);
  return status;
}

/* ------------------------------------------------------------------ */

static const char rm_help[] =
    "usage: cari rm [--db FILE] ID...\n"
    "Remove the articles with these ids, in one transaction.\n"
    "Exit status 1 if some id was not found (the others are removed).\n";

static int cmd_rm(int argc, char **argv) {
  static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  const char *dbpath = default_db();
  int c, status = EXIT_OKAY;
  while ((c = getopt_long(argc, argv, "+d:h", opts, NULL)) != -1) {
    switch (c) {
    case 'd': dbpath = optarg; break;
    case 'h': fputs(rm_help, stdout); return EXIT_OKAY;
    default: die_usage("rm", "unknown option");
    }
  }
  if (optind >= argc) die_usage("rm", "no ID given");
  cari_db *db = open_db(dbpath, NULL, 0, 0);
  if (cari_begin(db)) goto fail;
  for (int i = optind; i < argc; i++) {
    int rc = cari_remove(db, argv[i]);
    if (rc == CARI_NOTFOUND) {
      errorf("%s", cari_errmsg(db));
      status = EXIT_PARTIAL;
    } else if (rc) {
      /* The message first: the rollback is a call of its own. */
      errorf("%s (nothing removed)", cari_errmsg(db));
      if (cari_rollback(db))
        errorf("%s", cari_errmsg(db));
      cari_close(db);
      return EXIT_FAIL;
    }
  }
  if (cari_commit(db)) goto fail;
  cari_close(db);
  return status;
fail:
  errorf("%s (nothing removed)", cari_errmsg(db));
  cari_close(db);
  return EXIT_FAIL;
}

/* ------------------------------------------------------------------ */

static const char check_help[] =
    "usage: cari check [--db FILE]\n"
    "Check the database file, the full-text index, and that they agree.\n"
    "Prints 'ok' and the number of articles; exit status 3 if damaged.\n";

static int cmd_check(int argc, char **argv) {
  static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  const char *dbpath = default_db();
  int c;
  while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
    switch (c) {
    case 'd': dbpath = optarg; break;
    case 'h': fputs(check_help, stdout); return EXIT_OKAY;
    default: die_usage("check", "unknown option");
    }
  }
  if (optind < argc) die_usage("check", "unexpected argument");
  /* The full check needs to write (FTS5 runs it as an INSERT): read-only
  ** only when this process may not write the file. */
  int ro = access(dbpath, W_OK) != 0;
  cari_db *db = open_db(dbpath, NULL, ro ? CARI_OPEN_READONLY : 0, 0);
  int rc = cari_check(db);
  if (rc) errorf("%s", cari_errmsg(db));
  else printf("ok: %lld articles, stemmer %s%s\n", cari_count(db),
              cari_stemmer(db),
              ro ? " (read-only: the full-text index's own check skipped)"
                 : "");
  cari_close(db);
  return rc ? EXIT_FAIL : EXIT_OKAY;
}

/* ------------------------------------------------------------------ */

static const char stem_help[] =
    "usage: cari stem [--stemmer NAME] [WORD...]\n"
    "Print each word and the terms the index keeps for it, tab-separated;\n"
    "a word kept under several terms (an informal word and its formal\n"
    "reading: ngumpul -> kumpul|ngumpul) shows them '|'-separated, the term\n"
    "it counts as first. With no WORD, reads text from stdin.\n"
    "  --stemmer NAME  cari (default, our own, informal words read too),\n"
    "                  cari_formal (without them), snowball, none\n";

/* The terms of one word arrive one after another with the same offsets. */
typedef struct {
  const char *text;
  int start, end, open;
} stem_out;

static int print_stem(void *ctx, const char *term, int n, int start, int end) {
  stem_out *o = ctx;
  if (o->open && start == o->start && end == o->end) {
    printf("|%.*s", n, term);
    return 0;
  }
  if (o->open) putchar('\n');
  printf("%.*s\t%.*s", end - start, o->text + start, n, term);
  o->start = start;
  o->end = end;
  o->open = 1;
  return 0;
}

static int stem_text(cari_analyzer *an, const char *text, int len) {
  stem_out o = {text, 0, 0, 0};
  int rc = cari_analyze(an, text, len, print_stem, &o);
  if (o.open) putchar('\n');
  return rc;
}

static int cmd_stem(int argc, char **argv) {
  static const struct option opts[] = {{"stemmer", required_argument, 0, 's'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  const char *stemmer = NULL;
  int c;
  while ((c = getopt_long(argc, argv, "+s:h", opts, NULL)) != -1) {
    switch (c) {
    case 's': stemmer = optarg; break;
    case 'h': fputs(stem_help, stdout); return EXIT_OKAY;
    default: die_usage("stem", "unknown option");
    }
  }
  cari_analyzer *an;
  cari_open_opts o = cli_open_opts(stemmer, 0);
  int rc = cari_analyzer_new(&o, &an);
  if (rc == CARI_INVALID) {
    cari_analyzer_free(an);
    die_usage("stem", "unknown stemmer");
  }
  if (rc) {
    errorf("%s", an ? cari_analyzer_errmsg(an) : cari_errstr(rc));
    cari_analyzer_free(an);
    return EXIT_FAIL;
  }
  rc = CARI_OK;
  if (optind < argc) {
    for (int i = optind; i < argc && rc == CARI_OK; i++)
      rc = stem_text(an, argv[i], -1);
  } else {
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while (rc == CARI_OK && (n = getline(&line, &cap, stdin)) > 0)
      rc = stem_text(an, line, (int)n);
    free(line);
  }
  if (rc) errorf("%s", cari_analyzer_errmsg(an));
  cari_analyzer_free(an);
  return fflush(stdout) == 0 && rc == CARI_OK ? EXIT_OKAY : EXIT_FAIL;
}

/* ------------------------------------------------------------------ */

static const char main_help[] =
    "usage: cari COMMAND [OPTIONS] [ARGS]\n"
    "Indonesian full-text search on SQLite FTS5.\n"
    "Commands:\n"
    "  index   add articles from files, directories or stdin\n"
    "  search  search the index (filters by tag and date, facets, sort by date)\n"
    "  suggest complete the word being typed\n"
    "  related articles like a given one\n"
    "  rm      remove articles by id\n"
    "  check   check the database and index\n"
    "  stem    show the terms the index keeps for each word\n"
    "  eval    relevance figures (MRR, nDCG, MAP) for queries with judgements\n"
    "  serve   HTTP search API and search page (JSON, HTML, writes by token)\n"
    "'cari COMMAND --help' describes each. The database is $CARI_DB, or\n"
    "cari.db in the current directory, unless --db says otherwise.\n"
    "The cari stemmer's lexicon: $CARI_DIC (hunspell-id's word list, default\n"
    "/usr/share/hunspell/id_ID.dic), $CARI_ROOTS and $CARI_EXCEPTIONS\n"
    "(optional files of further roots and of word<TAB>stem exceptions).\n"
    "Synonyms (search, eval): $CARI_SYNONYMS (a synonyms file) and\n"
    "$CARI_THES (the thesaurus, default /usr/share/mythes/th_id_ID_v2.idx).\n"
    "  --version  print the version\n";

int main(int argc, char **argv) {
  if (argc < 2) {
    fputs(main_help, stderr);
    return EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
    fputs(main_help, stdout);
    return EXIT_OKAY;
  }
  if (!strcmp(cmd, "--version")) {
    printf("cari %s\n", cari_version());
    return EXIT_OKAY;
  }
  argv[1] = argv[0];
  argc--;
  argv++;
  if (!strcmp(cmd, "index")) return cmd_index(argc, argv);
  if (!strcmp(cmd, "search")) return cmd_search(argc, argv);
  if (!strcmp(cmd, "rm")) return cmd_rm(argc, argv);
  if (!strcmp(cmd, "check")) return cmd_check(argc, argv);
  if (!strcmp(cmd, "stem")) return cmd_stem(argc, argv);
  if (!strcmp(cmd, "eval")) return cari_cmd_eval(argc, argv);
  if (!strcmp(cmd, "serve")) return cari_cmd_serve(argc, argv);
  if (!strcmp(cmd, "suggest")) return cari_cmd_suggest(argc, argv);
  if (!strcmp(cmd, "related")) return cari_cmd_related(argc, argv);
  errorf("unknown command '%s' (see 'cari --help')", cmd);
  return EXIT_USAGE;
}
