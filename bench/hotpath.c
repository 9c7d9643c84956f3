/*
** hotpath.c — the hot-path benchmarks: analyzer throughput, indexing,
** query latency, for cari and its baselines in the same run (bench/run
** drives it; bench/README.md explains every figure). One mode per call:
**
**   hotpath configs [large|default]         the configurations (at 100k+;
**                                           cari's default)
**   hotpath analyze CORPUS N OUT            tokenizer and stemmer throughput
**   hotpath index CONFIG CORPUS N DB SCALE OUT [SETTINGS]
**   hotpath query CONFIG DB QUERIES SCALE PASSES OUT [SETTINGS]
**   hotpath report RAW JSON PLOTDATA        the table, JSON and plot data
**
** Configurations: `unicode61` (plain FTS5, the floor), `snowball-naive`
** (FTS5 with the afternoon Snowball tokenizer below), `cari:NAME` for each
** NAME in cari_stemmers(), `cari:NAME/surface` and `cari:NAME/stems`
** (CARI_OPEN_SURFACE, CARI_OPEN_NO_SURFACE), and
** `read` (index mode only: reads the corpus, stores nothing). SETTINGS,
** "key=value,...", try SQLite/FTS5 settings (parse_settings; bench/tune),
** and name the suite's own variants: `optimize=1` (the final merge, and
** cari's top-k tables), `exhaustive=1` (cari_search with
** CARI_SEARCH_EXHAUSTIVE, on the same database), `thesaurus=1` (with
** CARI_SEARCH_THESAURUS: mythes-id's synonyms), `synonyms=FILE` (a
** synonyms file, cari_open_opts.synonyms), `name=NAME` (record the
** run as NAME; otherwise as "CONFIG SETTINGS"). bench/run indexes with
** "optimize=1,name=CONFIG" and queries the exhaustive variant as
** "exhaustive=1,name=CONFIG exhaustive".
** Every measurement appends lines
** "scale<TAB>config<TAB>metric<TAB>value" to OUT; `report` takes medians
** and min-max over the repeated lines. Each `index` call is its own process,
** so its peak RSS is that configuration's alone.
**
** It uses cari only through include/cari.h; the baselines use sqlite3.h and
** libstemmer.h. It does not generate the corpus (gen_corpus.c does).
*/
#include "cari.h"

#include <libstemmer.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#define BATCH 1000          /* articles per transaction */
#define MAX_QUERIES 1024
#define MAX_RAW 200000

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU time of this process: beside the wall clock, because the machine
** may be shared (time spent waiting for a core is not ours). */
static double cpu_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("hotpath: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(1);
}

static void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) die("out of memory");
  return p;
}

static FILE *out_open(const char *path) {
  FILE *f = fopen(path, "a");
  if (!f) die("cannot append to %s", path);
  return f;
}

/* ------------------------------------------------------------------ */
/* The naive Snowball tokenizer: what a person writes in an afternoon.  */
/* Split on non-alphanumerics (bytes >= 0x80 count as letters), lower- */
/* case ASCII, sb_stemmer_stem each token. No normalisation, no cache. */
/* ------------------------------------------------------------------ */

typedef struct {
  struct sb_stemmer *sb;
  char buf[256];
} naive_tok;

static int naive_create(void *pCtx, const char **azArg, int nArg,
                        Fts5Tokenizer **ppOut) {
  (void)pCtx, (void)azArg, (void)nArg;
  naive_tok *t = sqlite3_malloc(sizeof *t);
  if (!t) return SQLITE_NOMEM;
  t->sb = sb_stemmer_new("indonesian", "UTF_8");
  if (!t->sb) {
    sqlite3_free(t);
    return SQLITE_ERROR;
  }
  *ppOut = (Fts5Tokenizer *)t;
  return SQLITE_OK;
}

static void naive_delete(Fts5Tokenizer *p) {
  naive_tok *t = (naive_tok *)p;
  sb_stemmer_delete(t->sb);
  sqlite3_free(t);
}

static int is_alnum_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c >= 0x80;
}

/* The naive word split of the analyzer benchmark: the next run of ASCII
** letters and digits at or after *i; its start in *st, its length returned
** (0 at the end), *i after it. */
static int next_word(const unsigned char *s, int len, int *i, int *st) {
  while (*i < len && !is_alnum_byte(s[*i])) (*i)++;
  *st = *i;
  while (*i < len && is_alnum_byte(s[*i])) (*i)++;
  return *i - *st;
}

static int naive_tokenize(Fts5Tokenizer *p, void *pCtx, int flags,
                          const char *pText, int nText,
                          int (*xToken)(void *, int, const char *, int, int,
                                        int)) {
  (void)flags;
  naive_tok *t = (naive_tok *)p;
  const unsigned char *s = (const unsigned char *)pText;
  int i = 0;
  while (i < nText) {
    while (i < nText && !is_alnum_byte(s[i])) i++;
    int start = i;
    while (i < nText && is_alnum_byte(s[i])) i++;
    int n = i - start;
    if (n == 0) break;
    if (n > (int)sizeof t->buf) n = (int)sizeof t->buf;
    for (int k = 0; k < n; k++) {
      unsigned char c = s[start + k];
      t->buf[k] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    const sb_symbol *st = sb_stemmer_stem(t->sb, (const sb_symbol *)t->buf, n);
    if (!st) return SQLITE_NOMEM;
    int rc = xToken(pCtx, 0, (const char *)st, sb_stemmer_length(t->sb),
                    start, i);
    if (rc) return rc;
  }
  return SQLITE_OK;
}

static fts5_api *get_fts5(sqlite3 *db) {
  fts5_api *api = NULL;
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
    die("no FTS5: %s", sqlite3_errmsg(db));
  sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
  sqlite3_step(st);
  sqlite3_finalize(st);
  if (!api) die("no fts5_api");
  return api;
}

static void naive_register(sqlite3 *db) {
  static fts5_tokenizer tok = {naive_create, naive_delete, naive_tokenize};
  fts5_api *api = get_fts5(db);
  if (api->xCreateTokenizer(api, "snowball_naive", NULL, &tok, NULL) !=
      SQLITE_OK)
    die("cannot register snowball_naive");
}

/* ------------------------------------------------------------------ */
/* Configurations                                                      */
/* ------------------------------------------------------------------ */

enum { CFG_UNICODE61, CFG_NAIVE, CFG_CARI, CFG_READ };

typedef struct {
  int kind;
  char stemmer[64]; /* CFG_CARI: the stemmer name */
  int flags;        /* CFG_CARI: cari_open flags of a new database */
} config;

/* "cari:NAME" opens with the library's defaults; "cari:NAME/stems" asks
** for a stems-only index, "cari:NAME/surface" for surface forms indexed
** beside the stems. */
static config parse_config(const char *name) {
  config c = {CFG_CARI, "", 0};
  if (strcmp(name, "unicode61") == 0) c.kind = CFG_UNICODE61;
  else if (strcmp(name, "snowball-naive") == 0) c.kind = CFG_NAIVE;
  else if (strcmp(name, "read") == 0) c.kind = CFG_READ;
  else if (strncmp(name, "cari:", 5) == 0) {
    snprintf(c.stemmer, sizeof c.stemmer, "%s", name + 5);
    char *slash = strchr(c.stemmer, '/');
    if (slash) {
      *slash = 0;
#ifdef CARI_OPEN_NO_SURFACE
      if (strcmp(slash + 1, "stems") == 0) c.flags = CARI_OPEN_NO_SURFACE;
      else if (strcmp(slash + 1, "surface") == 0) c.flags = CARI_OPEN_SURFACE;
      else
#endif
        die("unknown variant '%s'", slash + 1);
    }
  } else die("unknown configuration '%s'", name);
  return c;
}

static const char *default_stemmer(char *buf, size_t cap);

/* Every configuration; `large`: the ones run at 100k and beyond by default
** (the floor and cari's default); `default`: cari's default alone. */
static int mode_configs(const char *which) {
  char d[64];
  default_stemmer(d, sizeof d);
  if (strcmp(which, "default") == 0) {
    printf("cari:%s\n", d);
    return 0;
  }
  if (*which && strcmp(which, "large") != 0)
    die("configs: unknown list '%s' (large, default)", which);
  puts("unicode61");
  if (*which) { /* large */
    printf("cari:%s\n", d);
    return 0;
  }
  puts("snowball-naive");
  for (const char *const *s = cari_stemmers(); *s; s++)
    printf("cari:%s\n", *s);
#ifdef CARI_OPEN_NO_SURFACE
  /* The variant that is not the default: surface forms beside the stems. */
  printf("cari:%s/surface\n", d);
#endif
  return 0;
}

/* The stemmer a new cari database gets when none is named. */
static const char *default_stemmer(char *buf, size_t cap) {
  cari_db *db;
  buf[0] = 0;
  if (cari_open(":memory:", NULL, 0, &db) == CARI_OK)
    snprintf(buf, cap, "%s", cari_stemmer(db));
  cari_close(db);
  return buf;
}

/* ------------------------------------------------------------------ */
/* Baseline databases: cari's schema shape, another tokenizer           */
/* ------------------------------------------------------------------ */

/* Settings for the baseline's bulk load, "key=value,..." (see README). */
typedef struct {
  const char *journal;  /* journal_mode, default WAL (as cari) */
  const char *sync;     /* synchronous, default NORMAL (as cari) */
  long cache;           /* cache_size, 0 = SQLite's default */
  int page_size;        /* 0 = default */
  int secure_delete;    /* -1 = build default */
  int automerge, crisismerge, pgsz, usermerge; /* -1 = FTS5 default */
  int batch;            /* articles per transaction */
  int optimize;         /* final 'optimize' merge, timed */
  long mmap;            /* mmap_size for queries, 0 = none */
  int snippet;          /* queries: 0 = no snippets */
  const char *rank;     /* cari queries: ranking function ("bm25") */
  int exhaustive;       /* cari queries: CARI_SEARCH_EXHAUSTIVE */
  int thesaurus;        /* cari queries: CARI_SEARCH_THESAURUS */
  const char *synonyms; /* cari queries: cari_open_opts.synonyms */
  const char *name;     /* the run's name in OUT, NULL: "CONFIG SETTINGS" */
  int own;              /* a connection setting was given: cari runs on our
                        ** own connection (cari_open_sqlite) */
} settings;

static settings parse_settings(const char *s) {
  settings o = {"WAL", "NORMAL", 0,    0,    -1, -1, -1, -1, -1, BATCH,
                0,     0,        1,    NULL, 0,  0,    NULL, NULL, 0};
  static char copy[512];
  if (!s || !*s) return o;
  snprintf(copy, sizeof copy, "%s", s);
  for (char *tok = strtok(copy, ","); tok; tok = strtok(NULL, ",")) {
    char *eq = strchr(tok, '=');
    if (!eq) die("bad setting '%s'", tok);
    *eq = 0;
    const char *v = eq + 1;
    static const char *const conn[] = {
        "journal",   "sync",        "cache", "page_size", "secure_delete",
        "automerge", "crisismerge", "pgsz",  "usermerge", "mmap",
        NULL};
    for (int i = 0; conn[i]; i++)
      if (strcmp(tok, conn[i]) == 0) o.own = 1;
    if (strcmp(tok, "journal") == 0) o.journal = v;
    else if (strcmp(tok, "sync") == 0) o.sync = v;
    else if (strcmp(tok, "cache") == 0) o.cache = atol(v);
    else if (strcmp(tok, "page_size") == 0) o.page_size = atoi(v);
    else if (strcmp(tok, "secure_delete") == 0) o.secure_delete = atoi(v);
    else if (strcmp(tok, "automerge") == 0) o.automerge = atoi(v);
    else if (strcmp(tok, "crisismerge") == 0) o.crisismerge = atoi(v);
    else if (strcmp(tok, "pgsz") == 0) o.pgsz = atoi(v);
    else if (strcmp(tok, "usermerge") == 0) o.usermerge = atoi(v);
    else if (strcmp(tok, "batch") == 0) o.batch = atoi(v);
    else if (strcmp(tok, "optimize") == 0) o.optimize = atoi(v);
    else if (strcmp(tok, "mmap") == 0) o.mmap = atol(v);
    else if (strcmp(tok, "snippet") == 0) o.snippet = atoi(v);
    else if (strcmp(tok, "rank") == 0) o.rank = v;
    else if (strcmp(tok, "exhaustive") == 0) o.exhaustive = atoi(v);
    else if (strcmp(tok, "thesaurus") == 0) o.thesaurus = atoi(v);
    else if (strcmp(tok, "synonyms") == 0) o.synonyms = v;
    else if (strcmp(tok, "name") == 0) o.name = v;
    else if (strcmp(tok, "label") == 0) continue; /* names a run only */
    else die("unknown setting '%s'", tok);
  }
  if (o.batch < 1) o.batch = 1;
  return o;
}

static void exec(sqlite3 *db, const char *sql) {
  char *err = NULL;
  if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
    die("%s: %s", sql, err ? err : sqlite3_errmsg(db));
}

static void execf(sqlite3 *db, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *sql = sqlite3_vmprintf(fmt, ap);
  va_end(ap);
  if (!sql) die("out of memory");
  exec(db, sql);
  sqlite3_free(sql);
}

/* Connection pragmas; before the schema when page_size is set. */
static void apply_pragmas(sqlite3 *db, const settings *o) {
  if (o->page_size) execf(db, "PRAGMA page_size=%d", o->page_size);
  execf(db, "PRAGMA journal_mode=%s", o->journal);
  execf(db, "PRAGMA synchronous=%s", o->sync);
  if (o->cache) execf(db, "PRAGMA cache_size=%ld", o->cache);
  if (o->secure_delete >= 0)
    execf(db, "PRAGMA secure_delete=%d", o->secure_delete);
  if (o->mmap) execf(db, "PRAGMA mmap_size=%ld", o->mmap);
}

/* FTS5 options, on the table named `fts`. */
static void apply_fts(sqlite3 *db, const char *fts, const settings *o) {
  const char *name[] = {"automerge", "crisismerge", "pgsz", "usermerge"};
  int val[] = {o->automerge, o->crisismerge, o->pgsz, o->usermerge};
  for (int i = 0; i < 4; i++)
    if (val[i] >= 0)
      execf(db, "INSERT INTO %s(%s, rank) VALUES ('%s', %d)", fts, fts,
            name[i], val[i]);
}

static sqlite3 *base_open(const char *path, int kind, const settings *o,
                          int create) {
  sqlite3 *db;
  if (sqlite3_open_v2(path, &db,
                      SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0),
                      NULL) != SQLITE_OK)
    die("cannot open %s", path);
  naive_register(db);
  apply_pragmas(db, o);
  if (create) {
    execf(db,
          "CREATE TABLE articles(doc INTEGER PRIMARY KEY,"
          " id TEXT NOT NULL UNIQUE, title TEXT NOT NULL DEFAULT '',"
          " body TEXT NOT NULL DEFAULT '', url TEXT, date TEXT, tags TEXT);"
          "CREATE VIRTUAL TABLE articles_fts USING fts5(title, body,"
          " content='articles', content_rowid='doc', tokenize='%s');"
          "CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN"
          " INSERT INTO articles_fts(rowid, title, body)"
          "  VALUES (new.doc, new.title, new.body); END;"
          "CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN"
          " INSERT INTO articles_fts(articles_fts, rowid, title, body)"
          "  VALUES ('delete', old.doc, old.title, old.body); END;"
          "CREATE TRIGGER articles_au AFTER UPDATE OF title, body ON articles"
          " WHEN old.title IS NOT new.title OR old.body IS NOT new.body BEGIN"
          " INSERT INTO articles_fts(articles_fts, rowid, title, body)"
          "  VALUES ('delete', old.doc, old.title, old.body);"
          " INSERT INTO articles_fts(rowid, title, body)"
          "  VALUES (new.doc, new.title, new.body); END;",
          kind == CFG_NAIVE ? "snowball_naive" : "unicode61");
    apply_fts(db, "articles_fts", o);
  }
  return db;
}

/* ------------------------------------------------------------------ */
/* index                                                               */
/* ------------------------------------------------------------------ */

static long long file_size(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 ? (long long)st.st_size : 0;
}

/* Bytes of the full-text index's own tables, of cari's top-k tables
** (indexer/postings.c: tables named cari_postings* and cari_doclen*, and
** the cari_stale list, with their indexes; 0 when there are none), and of
** the file. One pass of dbstat's aggregate mode: a row per b-tree, which
** sqlite_master attributes to its table. */
static void db_sizes(const char *path, long long *fts, long long *topk,
                     long long *total) {
  char wal[4096];
  snprintf(wal, sizeof wal, "%s-wal", path);
  *total = file_size(path) + file_size(wal);
  *fts = *topk = 0;
  sqlite3 *db;
  sqlite3_stmt *st;
  if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2(db,
                         /* pageno is the page count in aggregate rows;
                         ** pgsize overflows 32 bits past 2 GB (1M) */
                         "SELECT coalesce(m.tbl_name, d.name), d.pageno *"
                         " (SELECT page_size FROM pragma_page_size())"
                         " FROM dbstat AS d LEFT JOIN sqlite_master AS m"
                         " ON m.name = d.name WHERE d.aggregate = 1",
                         -1, &st, NULL) == SQLITE_OK) {
    while (sqlite3_step(st) == SQLITE_ROW) {
      const char *t = (const char *)sqlite3_column_text(st, 0);
      long long n = sqlite3_column_int64(st, 1);
      if (!t) continue;
      if (strncmp(t, "articles_fts", 12) == 0) *fts += n;
      else if (strncmp(t, "cari_postings", 13) == 0 ||
               strncmp(t, "cari_doclen", 11) == 0 ||
               strcmp(t, "cari_stale") == 0)
        *topk += n;
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
}

/* The name a run's lines carry in OUT: `name=` if given, else the
** configuration followed by its settings. */
static const char *run_name(char *buf, size_t cap, const char *cname,
                            const char *sets, const settings *o) {
  if (o->name && *o->name) snprintf(buf, cap, "%s", o->name);
  else if (sets && *sets) snprintf(buf, cap, "%s %s", cname, sets);
  else snprintf(buf, cap, "%s", cname);
  return buf;
}

static void remove_db(const char *path) {
  char p[4096];
  remove(path);
  snprintf(p, sizeof p, "%s-wal", path);
  remove(p);
  snprintf(p, sizeof p, "%s-shm", path);
  remove(p);
  snprintf(p, sizeof p, "%s-journal", path);
  remove(p);
}

static int mode_index(int argc, char **argv) {
  if (argc < 8) die("usage: hotpath index CONFIG CORPUS N DB SCALE OUT [SET]");
  const char *cname = argv[2], *corpus = argv[3], *dbpath = argv[5];
  const char *scale = argv[6];
  long n = atol(argv[4]);
  config cfg = parse_config(cname);
  settings o = parse_settings(argc > 8 ? argv[8] : NULL);
  char cfgname[256];
  run_name(cfgname, sizeof cfgname, cname, argc > 8 ? argv[8] : NULL, &o);

  cari_reader *r;
  if (cari_reader_open(corpus, &r) != CARI_OK)
    die("%s", r ? cari_reader_errmsg(r) : "out of memory");
  remove_db(dbpath);

  double t = 0, t0 = now(), tc = 0, c0 = cpu_now();
  cari_db *cdb = NULL;
  sqlite3 *bdb = NULL;
  sqlite3_stmt *put = NULL, *begin = NULL, *commit = NULL;
  if (cfg.kind == CFG_CARI) {
    int rc;
    if (o.own) {
      /* Connection settings to try on cari: our own connection with the
      ** pragmas, wrapped by cari_open_sqlite() (the default surface
      ** option). */
      if (sqlite3_open(dbpath, &bdb) != SQLITE_OK) die("cannot open %s", dbpath);
      apply_pragmas(bdb, &o);
      cari_open_opts oo = CARI_OPEN_OPTS_INIT;
      oo.stemmer = cfg.stemmer;
      rc = cari_open_sqlite(bdb, &oo, &cdb);
      if (rc == CARI_OK) apply_fts(bdb, "articles_fts", &o);
    } else {
      rc = cari_open(dbpath, cfg.stemmer, cfg.flags, &cdb);
    }
    if (rc != CARI_OK) die("cari_open: %s", cari_errmsg(cdb));
  } else if (cfg.kind != CFG_READ) {
    bdb = base_open(dbpath, cfg.kind, &o, 1);
    /* The same statement cari runs for cari_put(), prepared once. */
    if (sqlite3_prepare_v3(bdb,
                           "INSERT INTO articles(id, title, body, url, date,"
                           " tags) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                           " ON CONFLICT(id) DO UPDATE SET"
                           " title=excluded.title, body=excluded.body,"
                           " url=excluded.url, date=excluded.date,"
                           " tags=excluded.tags",
                           -1, SQLITE_PREPARE_PERSISTENT, &put, NULL) ||
        sqlite3_prepare_v2(bdb, "BEGIN IMMEDIATE", -1, &begin, NULL) ||
        sqlite3_prepare_v2(bdb, "COMMIT", -1, &commit, NULL))
      die("prepare: %s", sqlite3_errmsg(bdb));
  }
  t += now() - t0;
  tc += cpu_now() - c0;

  long done = 0;
  long long bytes = 0;
  cari_article a;
  int rc;
  double tread = 0;
  for (;;) {
    t0 = now();
    rc = done < n ? cari_reader_next(r, &a) : CARI_DONE;
    tread += now() - t0;
    if (rc == CARI_DONE) break;
    if (rc != CARI_ROW) die("%s", cari_reader_errmsg(r));
    bytes += (long long)(a.title ? strlen(a.title) : 0) +
             (long long)(a.body ? strlen(a.body) : 0);
    t0 = now();
    c0 = cpu_now();
    if (cfg.kind == CFG_CARI) {
      if (done % o.batch == 0 && cari_begin(cdb) != CARI_OK)
        die("begin: %s", cari_errmsg(cdb));
      if (cari_put(cdb, &a) != CARI_OK) die("put: %s", cari_errmsg(cdb));
      if ((done + 1) % o.batch == 0 && cari_commit(cdb) != CARI_OK)
        die("commit: %s", cari_errmsg(cdb));
    } else if (cfg.kind != CFG_READ) {
      if (done % o.batch == 0) {
        sqlite3_step(begin);
        sqlite3_reset(begin);
      }
      sqlite3_bind_text(put, 1, a.id, -1, SQLITE_STATIC);
      sqlite3_bind_text(put, 2, a.title ? a.title : "", -1, SQLITE_STATIC);
      sqlite3_bind_text(put, 3, a.body ? a.body : "", -1, SQLITE_STATIC);
      sqlite3_bind_text(put, 4, a.url, -1, SQLITE_STATIC);
      sqlite3_bind_text(put, 5, a.date, -1, SQLITE_STATIC);
      sqlite3_bind_null(put, 6);
      if (sqlite3_step(put) != SQLITE_DONE)
        die("insert: %s", sqlite3_errmsg(bdb));
      sqlite3_reset(put);
      if ((done + 1) % o.batch == 0 && sqlite3_step(commit) != SQLITE_DONE)
        die("commit: %s", sqlite3_errmsg(bdb));
      sqlite3_reset(commit);
    }
    t += now() - t0;
    tc += cpu_now() - c0;
    done++;
  }
  cari_reader_close(r);
  if (done < n) die("%s has only %ld articles, %ld wanted", corpus, done, n);

  /* Last commit, optional merge, close (WAL checkpoint): all timed. */
  t0 = now();
  c0 = cpu_now();
  double topt = 0;
  if (cfg.kind == CFG_CARI) {
    if (done % o.batch != 0 && cari_commit(cdb) != CARI_OK)
      die("commit: %s", cari_errmsg(cdb));
    if (o.optimize) {
      double t1 = now();
      if (cari_optimize(cdb) != CARI_OK) die("optimize: %s", cari_errmsg(cdb));
      topt = now() - t1;
    }
    if (cari_close(cdb) != CARI_OK) die("close");
    if (bdb && sqlite3_close(bdb) != SQLITE_OK) die("close: busy");
  } else if (cfg.kind != CFG_READ) {
    if (done % o.batch != 0 && sqlite3_step(commit) != SQLITE_DONE)
      die("commit: %s", sqlite3_errmsg(bdb));
    sqlite3_finalize(put);
    sqlite3_finalize(begin);
    sqlite3_finalize(commit);
    if (o.optimize) {
      double t1 = now();
      exec(bdb, "INSERT INTO articles_fts(articles_fts) VALUES ('optimize')");
      topt = now() - t1;
    }
    if (sqlite3_close(bdb) != SQLITE_OK) die("close: busy");
  }
  t += now() - t0;
  tc += cpu_now() - c0;

  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  long long fts = 0, topk = 0, total = 0;
  if (cfg.kind != CFG_READ) db_sizes(dbpath, &fts, &topk, &total);

  FILE *f = out_open(argv[7]);
  fprintf(f, "%s\t%s\tindex_s\t%.4f\n", scale, cfgname, t);
  fprintf(f, "%s\t%s\tindex_art_s\t%.1f\n", scale, cfgname, (double)done / t);
  fprintf(f, "%s\t%s\tindex_cpu_s\t%.4f\n", scale, cfgname, tc);
  fprintf(f, "%s\t%s\tindex_cpu_art_s\t%.1f\n", scale, cfgname,
          (double)done / tc);
  fprintf(f, "%s\t%s\tindex_mb_s\t%.3f\n", scale, cfgname,
          (double)bytes / 1e6 / t);
  fprintf(f, "%s\t%s\tinput_mb\t%.1f\n", scale, cfgname, (double)bytes / 1e6);
  fprintf(f, "%s\t%s\tpeak_rss_mb\t%.1f\n", scale, cfgname,
          (double)ru.ru_maxrss / 1024.0);
  if (cfg.kind != CFG_READ) {
    fprintf(f, "%s\t%s\tdb_mb\t%.2f\n", scale, cfgname, (double)total / 1e6);
    fprintf(f, "%s\t%s\tfts_mb\t%.2f\n", scale, cfgname, (double)fts / 1e6);
  }
  if (cfg.kind == CFG_CARI)
    fprintf(f, "%s\t%s\ttopk_mb\t%.2f\n", scale, cfgname, (double)topk / 1e6);
  if (o.optimize)
    fprintf(f, "%s\t%s\toptimize_s\t%.3f\n", scale, cfgname, topt);
  fprintf(f, "%s\t%s\tread_s\t%.3f\n", scale, cfgname, tread);
  fclose(f);
  fprintf(stderr, "  %-20s %-5s %7.1f art/s %6.2f MB/s %6.1f s (cpu %.1f s,"
                  " optimize %.1f s)  rss %.0f MB  fts %.1f MB  topk %.1f MB"
                  "  (reading %.1f s, not counted)\n",
          cfgname, scale, (double)done / t, (double)bytes / 1e6 / t, t, tc,
          topt, (double)ru.ru_maxrss / 1024.0, (double)fts / 1e6,
          (double)topk / 1e6, tread);
  return 0;
}

/* ------------------------------------------------------------------ */
/* query                                                               */
/* ------------------------------------------------------------------ */

typedef struct {
  char band[16];
  char q[256];    /* as a person types it (cari's syntax) */
  char expr[512]; /* the same as an FTS5 expression, for the baselines */
} query;

/* The FTS5 expression cari's parser makes of these simple queries: words
** become OR'ed strings, "a b" a phrase, w* a prefix string. */
static void to_fts5(const char *q, char *out, size_t cap) {
  size_t n = 0;
  out[0] = 0;
  if (q[0] == '"') {
    snprintf(out, cap, "%s", q);
    return;
  }
  char copy[256];
  snprintf(copy, sizeof copy, "%s", q);
  for (char *w = strtok(copy, " "); w; w = strtok(NULL, " ")) {
    size_t len = strlen(w);
    int pre = len > 1 && w[len - 1] == '*';
    n += (size_t)snprintf(out + n, cap - n, "%s\"%.*s\"%s", n ? " OR " : "",
                          (int)(len - (size_t)pre), w, pre ? "*" : "");
    if (n >= cap) die("query too long");
  }
}

static int load_queries(const char *path, query *qs) {
  FILE *f = fopen(path, "r");
  if (!f) die("cannot read %s", path);
  char line[512];
  int n = 0;
  while (fgets(line, sizeof line, f) && n < MAX_QUERIES) {
    if (line[0] == '#' || line[0] == '\n') continue;
    line[strcspn(line, "\r\n")] = 0;
    char *tab = strchr(line, '\t');
    if (!tab) continue;
    *tab = 0;
    snprintf(qs[n].band, sizeof qs[n].band, "%.15s", line);
    snprintf(qs[n].q, sizeof qs[n].q, "%s", tab + 1);
    to_fts5(qs[n].q, qs[n].expr, sizeof qs[n].expr);
    n++;
  }
  fclose(f);
  return n;
}

typedef struct {
  config cfg;
  int flags;          /* cari_search flags */
  char ranking[64];   /* cari_search ranking, "" for the default */
  cari_db *cdb;
  sqlite3 *bdb;
  sqlite3_stmt *hits;
  long long checksum; /* bytes seen, so nothing is optimised away */
} searcher;

static void searcher_open(searcher *s, const char *cname, const char *path,
                          const settings *o) {
  memset(s, 0, sizeof *s);
  s->cfg = parse_config(cname);
  if (s->cfg.kind == CFG_CARI) {
#ifdef CARI_SEARCH_NO_SNIPPET
    if (!o->snippet) s->flags = CARI_SEARCH_NO_SNIPPET;
#endif
    if (o->exhaustive) {
#ifdef CARI_SEARCH_EXHAUSTIVE
      s->flags |= CARI_SEARCH_EXHAUSTIVE;
#else
      die("exhaustive=1: this cari.h has no CARI_SEARCH_EXHAUSTIVE");
#endif
    }
    if (o->thesaurus) {
#ifdef CARI_SEARCH_THESAURUS
      s->flags |= CARI_SEARCH_THESAURUS;
#else
      die("thesaurus=1: this cari.h has no CARI_SEARCH_THESAURUS");
#endif
    }
    if (o->rank) snprintf(s->ranking, sizeof s->ranking, "fn=%s", o->rank);
    if (o->cache || o->mmap) { /* settings to try: our own connection */
      if (sqlite3_open_v2(path, &s->bdb, SQLITE_OPEN_READONLY, NULL))
        die("cannot open %s", path);
      if (o->cache) execf(s->bdb, "PRAGMA cache_size=%ld", o->cache);
      if (o->mmap) execf(s->bdb, "PRAGMA mmap_size=%ld", o->mmap);
      if (cari_open_sqlite(s->bdb, NULL, &s->cdb) != CARI_OK)
        die("cari_open_sqlite %s: %s", path, cari_errmsg(s->cdb));
    } else {
      cari_open_opts oo = CARI_OPEN_OPTS_INIT;
      oo.flags = CARI_OPEN_READONLY;
#ifdef CARI_SEARCH_THESAURUS
      oo.synonyms = o->synonyms;
#else
      if (o->synonyms) die("synonyms=: this cari.h has no synonyms");
#endif
      if (cari_open_ex(path, &oo, &s->cdb) != CARI_OK)
        die("cari_open %s: %s", path, cari_errmsg(s->cdb));
    }
    return;
  }
  if (o->exhaustive || o->thesaurus)
    die("exhaustive=1 and thesaurus=1 are for cari configurations");
  s->bdb = base_open(path, s->cfg.kind, o, 0);
  /* The baseline's search, prepared once and reused: ranked, top 10, the
  ** title from the content table and a snippet of the body. */
  if (sqlite3_prepare_v3(s->bdb,
                         o->snippet
                             ? "SELECT rowid, title, snippet(articles_fts, 1,"
                               " '[', ']', '…', 24) FROM articles_fts WHERE"
                               " articles_fts MATCH ?1 ORDER BY rank LIMIT 10"
                             : "SELECT rowid, title, NULL FROM articles_fts"
                               " WHERE articles_fts MATCH ?1 ORDER BY rank"
                               " LIMIT 10",
                         -1, SQLITE_PREPARE_PERSISTENT, &s->hits,
                         NULL) != SQLITE_OK)
    die("prepare: %s", sqlite3_errmsg(s->bdb));
}

static void searcher_close(searcher *s) {
  if (s->cdb) cari_close(s->cdb);
  sqlite3_finalize(s->hits);
  if (s->bdb) sqlite3_close(s->bdb);
}

static size_t slen(const char *s) { return s ? strlen(s) : 0; }

static unsigned long long fnv(const char *s, int n);

/* Run one query to the end: every result's id, title and snippet. Returns
** the number of results; with `ids`, folds cari's result ids, in order,
** into *ids (the untimed warm pass: do two runs answer alike?). */
static int run_query(searcher *s, const query *q, unsigned long long *ids) {
  int rows = 0;
  if (s->cdb) {
    cari_cursor *c;
    cari_search_opts so = CARI_SEARCH_OPTS_INIT;
    so.flags = s->flags;
    so.max_ms = -1; /* timed in full, never cut (cari.h: max_ms) */
    if (s->ranking[0]) so.ranking = s->ranking;
    int rc = cari_search(s->cdb, q->q, -1, &so, &c);
    if (rc == CARI_QUERY) return 0;
    if (rc != CARI_OK) die("search '%s': %s", q->q, cari_errmsg(s->cdb));
    while ((rc = cari_next(c)) == CARI_ROW) {
      if (ids) {
        const char *id = cari_result_id(c);
        *ids = (*ids ^ fnv(id ? id : "", (int)slen(id))) * 1099511628211ULL;
      }
      s->checksum += (long long)(slen(cari_result_id(c)) +
                                 slen(cari_result_title(c)) +
                                 slen(cari_result_snippet(c)));
      rows++;
    }
    if (rc != CARI_DONE) die("next '%s': %s", q->q, cari_errmsg(s->cdb));
    cari_cursor_free(c);
    return rows;
  }
  sqlite3_bind_text(s->hits, 1, q->expr, -1, SQLITE_STATIC);
  int x;
  while ((x = sqlite3_step(s->hits)) == SQLITE_ROW) {
    s->checksum += sqlite3_column_int64(s->hits, 0) +
                   sqlite3_column_bytes(s->hits, 1) +
                   sqlite3_column_bytes(s->hits, 2);
    rows++;
  }
  if (x != SQLITE_DONE)
    die("query '%s': %s", q->expr, sqlite3_errmsg(s->bdb));
  sqlite3_reset(s->hits);
  return rows;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of sorted v[0..n). */
static double pct(const double *v, int n, double p) {
  if (n == 0) return 0;
  int k = (int)(p * n + 0.999999) - 1;
  if (k < 0) k = 0;
  if (k >= n) k = n - 1;
  return v[k];
}

static const char *const bands[] = {"common", "middle", "rare",   "two",
                                    "three",  "morph",  "phrase", "prefix",
                                    NULL};

/* p50, p95, p99 of the latencies of the queries in `band` (NULL: all of
** them), as "q_BAND[_cpu]_pNN" lines. */
static void emit_pcts(FILE *f, const char *scale, const char *cname,
                      const query *qs, int nq, const double *lat,
                      const char *band, const char *what) {
  static double v[MAX_QUERIES];
  int n = 0;
  for (int i = 0; i < nq; i++)
    if (!band || strcmp(qs[i].band, band) == 0) v[n++] = lat[i];
  if (!n) return;
  qsort(v, (size_t)n, sizeof *v, cmp_double);
  const double p[] = {0.50, 0.95, 0.99};
  const char *pn[] = {"p50", "p95", "p99"};
  for (int k = 0; k < 3; k++)
    fprintf(f, "%s\t%s\tq_%s%s_%s\t%.4f\n", scale, cname, band ? band : "all",
            what, pn[k], pct(v, n, p[k]));
}

static int mode_query(int argc, char **argv) {
  if (argc < 8) die("usage: hotpath query CONFIG DB QUERIES SCALE PASSES OUT");
  const char *cname = argv[2], *scale = argv[5];
  int passes = atoi(argv[6]);
  static query qs[MAX_QUERIES];
  int nq = load_queries(argv[4], qs);
  settings o = parse_settings(argc > 8 ? argv[8] : NULL);
  searcher s;
  searcher_open(&s, cname, argv[3], &o);
  char label[256];
  cname = run_name(label, sizeof label, cname, argc > 8 ? argv[8] : NULL, &o);
  /* Warm: every query once, results read to the end, their ids hashed. */
  static int rows[MAX_QUERIES];
  static unsigned long long ids[MAX_QUERIES];
  for (int i = 0; i < nq; i++) {
    ids[i] = 1469598103934665603ULL;
    rows[i] = run_query(&s, &qs[i], &ids[i]);
  }
  static double lat[MAX_QUERIES], cpu[MAX_QUERIES];
  FILE *f = out_open(argv[7]);
  for (int p = 0; p < passes; p++) {
    double tp = now();
    for (int i = 0; i < nq; i++) {
      double c0 = cpu_now(), t0 = now();
      run_query(&s, &qs[i], NULL);
      lat[i] = (now() - t0) * 1e3;
      cpu[i] = (cpu_now() - c0) * 1e3;
    }
    fprintf(f, "%s\t%s\tq_pass_s\t%.4f\n", scale, cname, now() - tp);
    emit_pcts(f, scale, cname, qs, nq, lat, NULL, "");
    emit_pcts(f, scale, cname, qs, nq, cpu, NULL, "_cpu");
    for (int b = 0; bands[b]; b++) {
      emit_pcts(f, scale, cname, qs, nq, lat, bands[b], "");
      emit_pcts(f, scale, cname, qs, nq, cpu, bands[b], "_cpu");
    }
  }
  /* Results per query (not timed): the configurations answer alike; and,
  ** for cari, a hash of each band's result ids in order (48 bits, exact in
  ** a double), so `report` can tell whether two runs of one database (the
  ** pruned and the exhaustive search) returned the same articles. */
  for (int b = 0; bands[b]; b++) {
    int n = 0, sum = 0;
    unsigned long long h = 1469598103934665603ULL;
    for (int i = 0; i < nq; i++)
      if (strcmp(qs[i].band, bands[b]) == 0) {
        n++, sum += rows[i];
        h = (h ^ ids[i]) * 1099511628211ULL;
      }
    if (!n) continue;
    fprintf(f, "%s\t%s\tq_%s_rows\t%.2f\n", scale, cname, bands[b],
            (double)sum / n);
    if (s.cdb)
      fprintf(f, "%s\t%s\tq_%s_ids\t%.0f\n", scale, cname, bands[b],
              (double)(h >> 16));
  }
  fclose(f);
  searcher_close(&s);
  fprintf(stderr, "  %-16s %-8s %d queries x %d passes (checksum %lld)\n",
          cname, scale, nq, passes, s.checksum % 1000);
  return 0;
}

/* ------------------------------------------------------------------ */
/* analyze: tokenizer and stemmer throughput                           */
/* ------------------------------------------------------------------ */

typedef struct {
  char **w;
  int *len;
  int n, cap;
  char **slot; /* hash table of n*2+ slots */
  size_t nslot;
} wordset;

static unsigned long long fnv(const char *s, int n) {
  unsigned long long h = 1469598103934665603ULL;
  for (int i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
  return h;
}

static void wordset_add(wordset *ws, const char *s, int n) {
  if ((size_t)ws->n * 2 + 2 >= ws->nslot) {
    size_t ns = ws->nslot ? ws->nslot * 2 : 1 << 16;
    char **t = calloc(ns, sizeof *t);
    if (!t) die("out of memory");
    for (size_t i = 0; i < ws->nslot; i++)
      if (ws->slot[i]) {
        size_t j = fnv(ws->slot[i], (int)strlen(ws->slot[i])) & (ns - 1);
        while (t[j]) j = (j + 1) & (ns - 1);
        t[j] = ws->slot[i];
      }
    free(ws->slot);
    ws->slot = t;
    ws->nslot = ns;
  }
  size_t j = fnv(s, n) & (ws->nslot - 1);
  for (; ws->slot[j]; j = (j + 1) & (ws->nslot - 1))
    if ((int)strlen(ws->slot[j]) == n && memcmp(ws->slot[j], s, (size_t)n) == 0)
      return;
  if (ws->n == ws->cap) {
    ws->cap = ws->cap ? ws->cap * 2 : 4096;
    ws->w = realloc(ws->w, (size_t)ws->cap * sizeof *ws->w);
    ws->len = realloc(ws->len, (size_t)ws->cap * sizeof *ws->len);
    if (!ws->w || !ws->len) die("out of memory");
  }
  char *c = xmalloc((size_t)n + 1);
  memcpy(c, s, (size_t)n);
  c[n] = 0;
  ws->w[ws->n] = c;
  ws->len[ws->n++] = n;
  ws->slot[j] = c;
}

typedef struct {
  long long tokens, bytes;
} tally;

static int count_fts5(void *ctx, int flags, const char *tok, int n, int s,
                      int e) {
  (void)flags, (void)tok, (void)s, (void)e;
  tally *t = ctx;
  t->tokens++;
  t->bytes += n;
  return SQLITE_OK;
}

static int count_cari(void *ctx, const char *term, int n, int s, int e) {
  (void)term, (void)s, (void)e;
  tally *t = ctx;
  t->tokens++;
  t->bytes += n;
  return 0;
}

#define ANALYZE_REPS 5

static double median(double *v, int n) {
  qsort(v, (size_t)n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void emit_reps(FILE *f, const char *cfg, const char *metric,
                      const double *v, int n) {
  for (int i = 0; i < n; i++)
    fprintf(f, "all\t%s\t%s\t%.1f\n", cfg, metric, v[i]);
}

static int mode_analyze(int argc, char **argv) {
  if (argc < 5) die("usage: hotpath analyze CORPUS N OUT");
  long n = atol(argv[3]);
  /* The text: bodies of the first N articles, one buffer, ~7 KB each. */
  cari_reader *r;
  if (cari_reader_open(argv[2], &r) != CARI_OK)
    die("%s", r ? cari_reader_errmsg(r) : "out of memory");
  char **docs = xmalloc((size_t)n * sizeof *docs);
  int *dlen = xmalloc((size_t)n * sizeof *dlen);
  long nd = 0;
  long long total = 0;
  cari_article a;
  while (nd < n && cari_reader_next(r, &a) == CARI_ROW) {
    dlen[nd] = (int)strlen(a.body);
    docs[nd] = xmalloc((size_t)dlen[nd] + 1);
    memcpy(docs[nd], a.body, (size_t)dlen[nd] + 1);
    total += dlen[nd];
    nd++;
  }
  cari_reader_close(r);
  /* Running words (naive split, lowercased) and the distinct ones. */
  wordset ws = {0};
  long long nrun = 0;
  char buf[256];
  for (long d = 0; d < nd; d++) {
    const unsigned char *s = (const unsigned char *)docs[d];
    int i = 0, len = dlen[d];
    int st, k;
    while ((k = next_word(s, len, &i, &st)) > 0) {
      if (k > (int)sizeof buf) k = (int)sizeof buf;
      for (int m = 0; m < k; m++)
        buf[m] = (char)(s[st + m] >= 'A' && s[st + m] <= 'Z' ? s[st + m] + 32
                                                             : s[st + m]);
      wordset_add(&ws, buf, k);
      nrun++;
    }
  }
  /* The running words again as one array, in text order, for the stemmer
  ** on running text (a second pass: no per-word allocation while timed). */
  char **run = xmalloc((size_t)nrun * sizeof *run);
  int *runlen = xmalloc((size_t)nrun * sizeof *runlen);
  char *arena = xmalloc((size_t)total + (size_t)nrun);
  {
    long long w = 0;
    size_t at = 0;
    for (long d = 0; d < nd; d++) {
      const unsigned char *s = (const unsigned char *)docs[d];
      int i = 0, len = dlen[d];
      int st, k;
      while ((k = next_word(s, len, &i, &st)) > 0) {
        if (k > 256) k = 256;
        run[w] = arena + at;
        for (int m = 0; m < k; m++)
          arena[at++] = (char)(s[st + m] >= 'A' && s[st + m] <= 'Z'
                                   ? s[st + m] + 32
                                   : s[st + m]);
        arena[at++] = 0;
        runlen[w++] = k;
      }
    }
  }
  fprintf(stderr, "  analyzer text: %ld articles, %.1f MB, %lld words, %d "
                  "distinct\n",
          nd, (double)total / 1e6, nrun, ws.n);
  FILE *f = out_open(argv[4]);
  fprintf(f, "all\tinfo\ttext_mb\t%.2f\nall\tinfo\ttext_words\t%lld\n"
             "all\tinfo\tdistinct_words\t%d\n",
          (double)total / 1e6, nrun, ws.n);
  double v[ANALYZE_REPS], w[ANALYZE_REPS], u[ANALYZE_REPS];

  /* FTS5 tokenizers, called directly through fts5_api. */
  sqlite3 *db;
  sqlite3_open(":memory:", &db);
  naive_register(db);
  fts5_api *api = get_fts5(db);
  const char *ftok[] = {"unicode61", "snowball_naive"};
  const char *fcfg[] = {"unicode61", "snowball-naive"};
  for (int k = 0; k < 2; k++) {
    void *ud;
    fts5_tokenizer tk;
    Fts5Tokenizer *t;
    if (api->xFindTokenizer(api, ftok[k], &ud, &tk) != SQLITE_OK ||
        tk.xCreate(ud, NULL, 0, &t) != SQLITE_OK)
      die("tokenizer %s", ftok[k]);
    tally ty = {0, 0};
    for (int rep = 0; rep < ANALYZE_REPS; rep++) {
      ty.tokens = 0;
      double t0 = now();
      for (long d = 0; d < nd; d++)
        tk.xTokenize(t, &ty, FTS5_TOKENIZE_DOCUMENT, docs[d], dlen[d],
                     count_fts5);
      double dt = now() - t0;
      v[rep] = (double)total / 1e6 / dt;
      w[rep] = (double)ty.tokens / dt;
    }
    emit_reps(f, fcfg[k], "tok_mb_s", v, ANALYZE_REPS);
    emit_reps(f, fcfg[k], "tok_words_s", w, ANALYZE_REPS);
    fprintf(stderr, "  %-16s tokenizer %.1f MB/s\n", fcfg[k],
            median(v, ANALYZE_REPS));
    tk.xDelete(t);
  }
  sqlite3_close(db);

  /* Snowball alone: distinct words, running words. */
  {
    struct sb_stemmer *sb = sb_stemmer_new("indonesian", "UTF_8");
    long long sum = 0;
    for (int rep = 0; rep < ANALYZE_REPS; rep++) {
      double t0 = now();
      for (int i = 0; i < ws.n; i++)
        sum += sb_stemmer_stem(sb, (const sb_symbol *)ws.w[i], ws.len[i])[0];
      v[rep] = ws.n / (now() - t0);
      t0 = now();
      for (long long i = 0; i < nrun; i++)
        sum += sb_stemmer_stem(sb, (const sb_symbol *)run[i], runlen[i])[0];
      w[rep] = (double)nrun / (now() - t0);
    }
    emit_reps(f, "snowball-naive", "stem_distinct_w_s", v, ANALYZE_REPS);
    emit_reps(f, "snowball-naive", "stem_running_w_s", w, ANALYZE_REPS);
    fprintf(stderr, "  %-16s stemmer %.0f words/s distinct (%lld)\n",
            "snowball", median(v, ANALYZE_REPS), sum % 10);
    sb_stemmer_delete(sb);
  }

  /* cari: each analyzer over the text, and over each distinct word. */
  for (const char *const *sn = cari_stemmers(); *sn; sn++) {
    cari_analyzer *an;
    cari_open_opts ao = CARI_OPEN_OPTS_INIT;
    ao.stemmer = *sn;
    if (cari_analyzer_new(&ao, &an) != CARI_OK)
      die("analyzer %s: %s", *sn, cari_analyzer_errmsg(an));
    char cname[64];
    snprintf(cname, sizeof cname, "cari:%s", *sn);
    tally ty = {0, 0};
    for (int rep = 0; rep < ANALYZE_REPS; rep++) {
      ty.tokens = 0;
      double t0 = now();
      for (long d = 0; d < nd; d++)
        if (cari_analyze(an, docs[d], dlen[d], count_cari, &ty) != CARI_OK)
          die("cari_analyze");
      double dt = now() - t0;
      v[rep] = (double)total / 1e6 / dt;
      w[rep] = (double)ty.tokens / dt;
      t0 = now();
      for (int i = 0; i < ws.n; i++)
        cari_analyze(an, ws.w[i], ws.len[i], count_cari, &ty);
      u[rep] = ws.n / (now() - t0);
    }
    emit_reps(f, cname, "tok_mb_s", v, ANALYZE_REPS);
    emit_reps(f, cname, "tok_words_s", w, ANALYZE_REPS);
    emit_reps(f, cname, "stem_running_w_s", w, ANALYZE_REPS);
    emit_reps(f, cname, "stem_distinct_w_s", u, ANALYZE_REPS);
    fprintf(stderr, "  %-16s analyzer %.1f MB/s, %.0f words/s distinct\n",
            cname, median(v, ANALYZE_REPS), median(u, ANALYZE_REPS));
    cari_analyzer_free(an);
  }
  fclose(f);
  for (long d = 0; d < nd; d++) free(docs[d]);
  for (int i = 0; i < ws.n; i++) free(ws.w[i]);
  free(docs), free(dlen), free(ws.w), free(ws.len), free(ws.slot);
  free(run), free(runlen), free(arena);
  return 0;
}

/* ------------------------------------------------------------------ */
/* report: medians and min-max, the table, JSON, plot data             */
/* ------------------------------------------------------------------ */

#define MAX_SERIES 8192
#define MAX_CONFIGS 96
#define MAX_SCALES 16

typedef struct {
  char scale[16], config[96], metric[40];
  double v[64];
  int n;
} series;

static series *ser;
static int nser;

static series *find_series(const char *sc, const char *cf, const char *m) {
  for (int i = 0; i < nser; i++)
    if (!strcmp(ser[i].scale, sc) && !strcmp(ser[i].config, cf) &&
        !strcmp(ser[i].metric, m))
      return &ser[i];
  return NULL;
}

typedef struct {
  double med, lo, hi;
  int n;
} stat3;

static stat3 get(const char *sc, const char *cf, const char *m) {
  stat3 s = {0, 0, 0, 0};
  series *x = find_series(sc, cf, m);
  if (!x || !x->n) return s;
  double v[64];
  memcpy(v, x->v, (size_t)x->n * sizeof *v);
  s.n = x->n;
  s.med = median(v, x->n);
  s.lo = v[0];
  s.hi = v[x->n - 1];
  return s;
}

static int has(const char *sc, const char *cf, const char *m) {
  return find_series(sc, cf, m) != NULL;
}

/* "12.3 (11.9-12.8)" in at most `w` columns. */
static const char *fmt3(stat3 s, int prec, char *buf, size_t cap) {
  if (!s.n) snprintf(buf, cap, "-");
  else if (s.n == 1) snprintf(buf, cap, "%.*f (1 run)", prec, s.med);
  else snprintf(buf, cap, "%.*f (%.*f-%.*f)", prec, s.med, prec, s.lo, prec,
                s.hi);
  return buf;
}

/* a/b as "0.93", or "-" when either is missing. */
static const char *fmt_ratio(double a, double b, int prec, char *buf,
                             size_t cap) {
  if (a > 0 && b > 0) snprintf(buf, cap, "%.*f", prec, a / b);
  else snprintf(buf, cap, "-");
  return buf;
}

static const char *fmt_date(double epoch, char *buf, size_t cap) {
  time_t t = (time_t)epoch;
  struct tm tm;
  if (epoch <= 0 || !localtime_r(&t, &tm)) snprintf(buf, cap, "an earlier run");
  else strftime(buf, cap, "%Y-%m-%d %H:%M", &tm);
  return buf;
}

/* "p50/p95/p99" of a band ("all" for every query), "-" when absent. */
static const char *fmt_pcts(const char *sc, const char *cf, const char *band,
                            char *buf, size_t cap) {
  char m[48];
  stat3 p[3];
  const char *pn[] = {"p50", "p95", "p99"};
  for (int k = 0; k < 3; k++) {
    snprintf(m, sizeof m, "q_%s_%s", band, pn[k]);
    p[k] = get(sc, cf, m);
  }
  if (!p[0].n) snprintf(buf, cap, "-");
  else snprintf(buf, cap, "%.2f/%.1f/%.1f", p[0].med, p[1].med, p[2].med);
  return buf;
}

/* Does the configuration have query figures at this scale? */
static int has_queries(const char *sc, const char *cf) {
  char m[48];
  if (has(sc, cf, "q_all_p50")) return 1;
  for (int b = 0; bands[b]; b++) {
    snprintf(m, sizeof m, "q_%s_p50", bands[b]);
    if (has(sc, cf, m)) return 1;
  }
  return 0;
}

/* "10k" -> 10000. */
static double scale_count(const char *sc) {
  return atof(sc) * (strchr(sc, 'M') ? 1e6 : strchr(sc, 'k') ? 1e3 : 1);
}

static int uniq(char names[][96], int n, int cap, const char *s) {
  for (int i = 0; i < n; i++)
    if (!strcmp(names[i], s)) return n;
  if (n == cap) die("report: more than %d names", cap);
  snprintf(names[n], 96, "%s", s);
  return n + 1;
}

/* A JSON number: integers (hashes, dates) exactly, the rest to 6 digits. */
static void jnum(FILE *j, double v) {
  if (v == (double)(long long)v && v > -1e15 && v < 1e15)
    fprintf(j, "%.0f", v);
  else fprintf(j, "%.6g", v);
}

/* A value for the plot data, NaN (a gap for gnuplot) when missing. */
static void pnum(FILE *p, stat3 s, int prec) {
  if (s.n && s.med > 0) fprintf(p, " %.*f", prec, s.med);
  else fprintf(p, " NaN");
}

/* Indexing rows reused from an earlier run (bench/run's cache): one line
** per date, naming the configurations. */
static void print_reused(const char *sc, char configs[][96], int ncf) {
  char di[64], dj[64];
  for (int i = 0; i < ncf; i++) {
    if (!has(sc, configs[i], "index_reused")) continue;
    fmt_date(get(sc, configs[i], "indexed_at").hi, di, sizeof di);
    int seen = 0;
    for (int j = 0; j < i && !seen; j++)
      seen = has(sc, configs[j], "index_reused") &&
             !strcmp(fmt_date(get(sc, configs[j], "indexed_at").hi, dj,
                              sizeof dj),
                     di);
    if (seen) continue;
    printf("(indexing reused from %s:", di);
    for (int j = i; j < ncf; j++)
      if (has(sc, configs[j], "index_reused") &&
          !strcmp(fmt_date(get(sc, configs[j], "indexed_at").hi, dj,
                           sizeof dj),
                  di))
        printf(" %s", configs[j]);
    printf("; BENCH_REINDEX=1 re-measures)\n");
  }
}

static int mode_report(int argc, char **argv) {
  if (argc < 5) die("usage: hotpath report RAW JSON PLOTDATA");
  FILE *f = fopen(argv[2], "r");
  if (!f) die("cannot read %s", argv[2]);
  ser = xmalloc(MAX_SERIES * sizeof *ser);
  char line[512];
  static char scales[MAX_SCALES][96], configs[MAX_CONFIGS][96];
  int nsc = 0, ncf = 0;
  while (fgets(line, sizeof line, f)) {
    char sc[16], cf[96], m[40];
    double val;
    line[strcspn(line, "\n")] = 0;
    char *a = strtok(line, "\t"), *b = strtok(NULL, "\t"),
         *c = strtok(NULL, "\t"), *d = strtok(NULL, "\t");
    if (!a || !b || !c || !d) continue;
    snprintf(sc, sizeof sc, "%s", a);
    snprintf(cf, sizeof cf, "%s", b);
    snprintf(m, sizeof m, "%s", c);
    val = atof(d);
    series *s = find_series(sc, cf, m);
    if (!s) {
      if (nser == MAX_SERIES) die("too many series");
      s = &ser[nser++];
      memset(s, 0, sizeof *s);
      snprintf(s->scale, sizeof s->scale, "%s", sc);
      snprintf(s->config, sizeof s->config, "%s", cf);
      snprintf(s->metric, sizeof s->metric, "%s", m);
    }
    if (s->n < 64) s->v[s->n++] = val;
    if (strcmp(sc, "all") != 0) nsc = uniq(scales, nsc, MAX_SCALES, sc);
    if (strcmp(cf, "info") != 0) ncf = uniq(configs, ncf, MAX_CONFIGS, cf);
  }
  fclose(f);
  char defs[64], dflt[80], dexh[96];
  snprintf(dflt, sizeof dflt, "cari:%s", default_stemmer(defs, sizeof defs));
  snprintf(dexh, sizeof dexh, "%s exhaustive", dflt);
  char b1[64], b2[64], b3[64], b4[64], b5[64], b6[64], b7[64], b8[64];

  int nan = 0;
  for (int i = 0; i < ncf; i++) nan += has("all", configs[i], "tok_mb_s");
  if (nan) {
    printf("\nANALYZER (text of %.0f words, %.1f MB; %.0f distinct words; "
           "median (min-max) of %d runs)\n",
           get("all", "info", "text_words").med,
           get("all", "info", "text_mb").med,
           get("all", "info", "distinct_words").med, ANALYZE_REPS);
    if (has("all", "info", "analyze_reused"))
      printf("(analyzer reused from %s; BENCH_REINDEX=1 re-measures)\n",
             fmt_date(get("all", "info", "analyzed_at").hi, b1, sizeof b1));
    printf("%-23s %-22s %-26s %-26s\n", "configuration", "tokenizer MB/s",
           "stem distinct kwords/s", "stem running kwords/s");
    for (int i = 0; i < ncf; i++) {
      stat3 t = get("all", configs[i], "tok_mb_s");
      if (!t.n) continue;
      stat3 d = get("all", configs[i], "stem_distinct_w_s");
      stat3 r = get("all", configs[i], "stem_running_w_s");
      d.med /= 1e3, d.lo /= 1e3, d.hi /= 1e3, r.med /= 1e3, r.lo /= 1e3,
          r.hi /= 1e3;
      printf("%-23s %-22s %-26s %-26s\n", configs[i], fmt3(t, 1, b1, 64),
             fmt3(d, 0, b2, 64), fmt3(r, 0, b3, 64));
    }
    printf("(snowball-naive stemmer columns: libstemmer alone; cari: "
           "cari_analyze per word / over the text)\n");
  }

  for (int s = 0; s < nsc; s++) {
    const char *sc = scales[s];
    stat3 base = get(sc, "unicode61", "index_art_s");
    stat3 bcpu = get(sc, "unicode61", "index_cpu_art_s");
    stat3 bsz = get(sc, "unicode61", "fts_mb");
    double input = 0;
    int runs = 0, nopt = 0;
    for (int i = 0; i < ncf; i++) {
      stat3 x = get(sc, configs[i], "input_mb");
      stat3 a = get(sc, configs[i], "index_art_s");
      if (x.n && input == 0) input = x.med;
      if (a.n > runs) runs = a.n;
      nopt += has(sc, configs[i], "optimize_s");
    }
    if (runs) {
      printf("\nINDEXING %s articles (%.0f MB of text; median (min-max) of "
             "%d run%s; %s)\n",
             sc, input, runs, runs > 1 ? "s" : "",
             nopt ? "timed to the end of the final optimize"
                  : "no final optimize");
      printf("%-23s %-20s %5s %-18s %-16s %5s %-16s %-9s %8s %5s %8s %8s\n",
             "configuration", "articles/s", "x", "input MB/s",
             "CPU-time art/s", "x", "optimize s", "peak MB", "fts MB", "x",
             "topk MB", "file MB");
      for (int i = 0; i < ncf; i++) {
        stat3 a = get(sc, configs[i], "index_art_s");
        if (!a.n) continue;
        stat3 mb = get(sc, configs[i], "index_mb_s");
        stat3 rss = get(sc, configs[i], "peak_rss_mb");
        stat3 fts = get(sc, configs[i], "fts_mb");
        stat3 tk = get(sc, configs[i], "topk_mb");
        stat3 db = get(sc, configs[i], "db_mb");
        stat3 ca = get(sc, configs[i], "index_cpu_art_s");
        stat3 op = get(sc, configs[i], "optimize_s");
        char name[100], tks[32];
        snprintf(name, sizeof name, "%.90s%s", configs[i],
                 strcmp(configs[i], dflt) == 0 ? " *" : "");
        if (tk.n) snprintf(tks, sizeof tks, "%.1f", tk.med);
        else snprintf(tks, sizeof tks, "-");
        printf("%-23s %-20s %5s %-18s %-16s %5s %-16s %-9s %8.1f %5s %8s "
               "%8.1f\n",
               name, fmt3(a, 0, b1, 64),
               fmt_ratio(a.med, base.med, 2, b2, 64),
               fmt3(mb, 2, b3, 64), fmt3(ca, 0, b4, 64),
               fmt_ratio(ca.med, bcpu.med, 2, b5, 64), fmt3(op, 1, b6, 64),
               fmt3(rss, 0, b7, 64), fts.med,
               fmt_ratio(fts.med, bsz.med, 2, b8, 64), tks, db.med);
      }
      print_reused(sc, configs, ncf);
    }

    int nq = 0;
    for (int i = 0; i < ncf; i++) nq += has_queries(sc, configs[i]);
    if (!nq) continue;
    printf("\nQUERIES %s articles: latency ms p50/p95/p99, warm, top 10 with "
           "snippets (median over passes); all: every query of the set\n",
           sc);
    printf("%-23s %-20s", "configuration", "all");
    for (int b = 0; bands[b]; b++) printf(" %-20s", bands[b]);
    printf("\n");
    for (int i = 0; i < ncf; i++) {
      if (!has_queries(sc, configs[i])) continue;
      printf("%-23s %-20s", configs[i],
             fmt_pcts(sc, configs[i], "all", b1, sizeof b1));
      for (int b = 0; bands[b]; b++)
        printf(" %-20s", fmt_pcts(sc, configs[i], bands[b], b1, sizeof b1));
      printf("\n");
    }
    /* Results per query, from the floor or else the first configuration
    ** that has them. */
    const char *ref = NULL;
    char m[64];
    snprintf(m, sizeof m, "q_%s_rows", bands[0]);
    if (has(sc, "unicode61", m)) ref = "unicode61";
    for (int i = 0; i < ncf && !ref; i++)
      if (has(sc, configs[i], m)) ref = configs[i];
    if (ref) {
      printf("%-23s %-20s", "  (results/query)", "");
      for (int b = 0; bands[b]; b++) {
        snprintf(m, sizeof m, "q_%s_rows", bands[b]);
        snprintf(b5, sizeof b5, "%.1f", get(sc, ref, m).med);
        printf(" %-20s", b5);
      }
      printf("\n");
    }
    /* The latency target: cari's default against the floor, every query. */
    stat3 u50 = get(sc, "unicode61", "q_all_p50");
    stat3 u99 = get(sc, "unicode61", "q_all_p99");
    printf("ratio to unicode61, all queries (target: cari p50 and p99 <= "
           "0.15x):");
    int shown = 0;
    const char *tgt[] = {dflt, dexh};
    for (int k = 0; k < 2; k++) {
      stat3 c50 = get(sc, tgt[k], "q_all_p50");
      stat3 c99 = get(sc, tgt[k], "q_all_p99");
      if (!c50.n) continue;
      fmt_ratio(c50.med, u50.med, 2, b1, 60);
      fmt_ratio(c99.med, u99.med, 2, b2, 60);
      printf("%s %s p50 %s%s, p99 %s%s", shown ? ";" : "", tgt[k], b1,
             *b1 == '-' ? "" : "x", b2, *b2 == '-' ? "" : "x");
      shown++;
    }
    if (!shown) printf(" - (no %s row)", dflt);
    else if (!u50.n) printf(" (no unicode61 row)");
    printf("\n");
    /* Pruned and exhaustive search on one database: the same articles? */
    for (int i = 0; i < ncf; i++) {
      char ex[128];
      snprintf(ex, sizeof ex, "%.96s exhaustive", configs[i]);
      if (!has_queries(sc, ex) || !has_queries(sc, configs[i])) continue;
      char diff[256] = "";
      int nb = 0, ndiff = 0;
      for (int b = 0; bands[b]; b++) {
        snprintf(m, sizeof m, "q_%s_ids", bands[b]);
        stat3 x = get(sc, configs[i], m), y = get(sc, ex, m);
        if (!x.n || !y.n) continue;
        nb++;
        if (x.lo != x.hi || y.lo != y.hi || x.med != y.med) {
          size_t at = strlen(diff);
          snprintf(diff + at, sizeof diff - at, " %s", bands[b]);
          ndiff++;
        }
      }
      if (!nb) continue;
      if (ndiff)
        printf("results: %s and its exhaustive search DIFFER in:%s\n",
               configs[i], diff);
      else
        printf("results: %s and its exhaustive search return the same "
               "articles in the same order (%d bands)\n",
               configs[i], nb);
    }
  }

  /* Growth: per-article indexing cost and query p50 from the smallest to
  ** the largest scale. */
  if (nsc > 1) {
    const char *s0 = scales[0], *s1 = scales[nsc - 1];
    printf("\nGROWTH %s -> %s articles (ratio of the larger to the smaller; "
           "linear = %.0f)\n",
           s0, s1, scale_count(s1) / scale_count(s0));
    printf("%-23s %10s %10s %10s %8s", "configuration", "index time",
           "index CPU", "fts size", "all");
    for (int b = 0; bands[b]; b++) printf(" %8s", bands[b]);
    printf("\n");
    for (int i = 0; i < ncf; i++) {
      const char *cf = configs[i];
      if (!has_queries(s0, cf) || !has_queries(s1, cf)) continue;
      const char *gm[] = {"index_s", "index_cpu_s", "fts_mb", "q_all_p50"};
      const int gw[] = {10, 10, 10, 8};
      printf("%-23s", cf);
      for (int k = 0; k < 4; k++)
        printf(" %*s", gw[k],
               fmt_ratio(get(s1, cf, gm[k]).med, get(s0, cf, gm[k]).med, 1,
                         b1, 64));
      for (int b = 0; bands[b]; b++) {
        char m[48];
        snprintf(m, sizeof m, "q_%s_p50", bands[b]);
        printf(" %8s",
               fmt_ratio(get(s1, cf, m).med, get(s0, cf, m).med, 1, b1, 64));
      }
      printf("\n");
    }
  }
  printf("\n* cari's default analyzer. x: relative to unicode61 (- when it is "
         "missing). articles/s: opening to close, the final optimize\n"
         "included (its share in 'optimize s'; cari's builds the top-k "
         "tables). fts MB: the full-text index's own pages (dbstat);\n"
         "topk MB: cari's top-k tables (cari_postings*, cari_doclen*, "
         "cari_stale, their indexes; 0 when absent); file MB: the file.\n"
         "'exhaustive': the same database searched with "
         "CARI_SEARCH_EXHAUSTIVE (FTS5 ORDER BY rank), not re-indexed.\n");

  /* JSON: every series with its values and summary, then the latency
  ** target's ratios. */
  FILE *j = fopen(argv[3], "w");
  if (!j) die("cannot write %s", argv[3]);
  fprintf(j, "{\n  \"generator\": \"bench/hotpath.c report\",\n"
             "  \"default_analyzer\": \"%s\",\n  \"series\": [\n",
          dflt);
  for (int i = 0; i < nser; i++) {
    stat3 s = get(ser[i].scale, ser[i].config, ser[i].metric);
    fprintf(j, "    {\"scale\": \"%s\", \"config\": \"%s\", \"metric\": "
               "\"%s\", \"median\": ",
            ser[i].scale, ser[i].config, ser[i].metric);
    jnum(j, s.med);
    fprintf(j, ", \"min\": ");
    jnum(j, s.lo);
    fprintf(j, ", \"max\": ");
    jnum(j, s.hi);
    fprintf(j, ", \"runs\": [");
    for (int k = 0; k < ser[i].n; k++) {
      if (k) fprintf(j, ", ");
      jnum(j, ser[i].v[k]);
    }
    fprintf(j, "]}%s\n", i + 1 < nser ? "," : "");
  }
  fprintf(j, "  ],\n  \"latency_target\": {\"description\": \"median over "
             "passes of the all-query p50 and p99, cari / unicode61, same "
             "run; target <= 0.15\", \"ratios\": [");
  int nr = 0;
  for (int s = 0; s < nsc; s++) {
    stat3 u50 = get(scales[s], "unicode61", "q_all_p50");
    stat3 u99 = get(scales[s], "unicode61", "q_all_p99");
    for (int i = 0; i < ncf; i++) {
      if (strncmp(configs[i], "cari:", 5) != 0) continue;
      stat3 c50 = get(scales[s], configs[i], "q_all_p50");
      stat3 c99 = get(scales[s], configs[i], "q_all_p99");
      if (!c50.n || !u50.n) continue;
      fprintf(j, "%s\n    {\"scale\": \"%s\", \"config\": \"%s\", "
                 "\"default\": %s, \"p50_ms\": %.4f, \"p99_ms\": %.4f, "
                 "\"unicode61_p50_ms\": %.4f, \"unicode61_p99_ms\": %.4f, "
                 "\"p50_ratio\": %.4f, \"p99_ratio\": %.4f}",
              nr++ ? "," : "", scales[s], configs[i],
              strncmp(configs[i], dflt, strlen(dflt)) == 0 &&
                      (configs[i][strlen(dflt)] == 0 ||
                       configs[i][strlen(dflt)] == ' ')
                  ? "true"
                  : "false",
              c50.med, c99.med, u50.med, u99.med,
              u50.med > 0 ? c50.med / u50.med : 0,
              u99.med > 0 ? c99.med / u99.med : 0);
    }
  }
  fprintf(j, "%s]}\n}\n", nr ? "\n  " : "");
  fclose(j);

  /* Plot data: one block per configuration (gnuplot `index`), rows per
  ** scale: articles, art/s (median min max), the p50 of each band in
  ** bands[] order, fts MB, CPU-time art/s, all-query p50 and p99, topk MB.
  ** NaN where a figure is missing (the exhaustive variant indexes
  ** nothing). */
  FILE *p = fopen(argv[4], "w");
  if (!p) die("cannot write %s", argv[4]);
  for (int i = 0; i < ncf; i++) {
    int any = 0;
    for (int s = 0; s < nsc; s++)
      any += has(scales[s], configs[i], "index_art_s") ||
             has_queries(scales[s], configs[i]);
    if (!any) continue;
    fprintf(p, "\"%s\"\n", configs[i]);
    for (int s = 0; s < nsc; s++) {
      stat3 a = get(scales[s], configs[i], "index_art_s");
      if (!a.n && !has_queries(scales[s], configs[i])) continue;
      fprintf(p, "%.0f", scale_count(scales[s]));
      if (a.n) fprintf(p, " %.1f %.1f %.1f", a.med, a.lo, a.hi);
      else fprintf(p, " NaN NaN NaN");
      for (int b = 0; bands[b]; b++) {
        char m[48];
        snprintf(m, sizeof m, "q_%s_p50", bands[b]);
        pnum(p, get(scales[s], configs[i], m), 4);
      }
      pnum(p, get(scales[s], configs[i], "fts_mb"), 2);
      pnum(p, get(scales[s], configs[i], "index_cpu_art_s"), 1);
      pnum(p, get(scales[s], configs[i], "q_all_p50"), 4);
      pnum(p, get(scales[s], configs[i], "q_all_p99"), 4);
      pnum(p, get(scales[s], configs[i], "topk_mb"), 2);
      fprintf(p, "\n");
    }
    fprintf(p, "\n\n");
  }
  fclose(p);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: hotpath configs|analyze|index|query|report ...\n");
    return 2;
  }
  if (!strcmp(argv[1], "configs")) return mode_configs(argc > 2 ? argv[2] : "");
  if (!strcmp(argv[1], "analyze")) return mode_analyze(argc, argv);
  if (!strcmp(argv[1], "index")) return mode_index(argc, argv);
  if (!strcmp(argv[1], "query")) return mode_query(argc, argv);
  if (!strcmp(argv[1], "report")) return mode_report(argc, argv);
  die("unknown mode '%s'", argv[1]);
  return 2;
}
