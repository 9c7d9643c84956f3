/*
** cari.c — the handle behind include/cari.h: opens the connection, registers
** the tokenizer, keeps the last error message, and forwards each call to the
** module that does the work (indexer/store.c, query/, corpus/). It holds no
** logic of its own beyond argument checks and transaction state.
*/
#include "cari.h"
#include "indexer.h"
#include "internal.h"
#include "query.h"

#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cari_db {
  sqlite3 *conn;
  int own_conn;       /* cari opened conn and closes it */
  idx_store *store;   /* NULL on a handle that only carries an error */
  idx_tokenizer *tok; /* for query translation */
  idx_fts5_global *g; /* the tokenizer registration's state (its lexicon) */
  idx_analyzer *an;   /* the index's analyzer, made when first needed */
  qry_topk *topk;     /* the searcher, made when first needed */
  int in_batch;
  int ncursors;       /* open cursors: close refuses while > 0 */
  idx_hook hook;      /* tests only: called between optimize's steps */
  char err[1024];
};

struct cari_cursor {
  cari_db *db;
  qry_cursor *q;
  char *expr;
  char *weights;
};

const char *cari_version(void) { return CARI_VERSION; }

const char *cari_errstr(int rc) {
  switch (rc) {
  case CARI_OK: return "ok";
  case CARI_ERROR: return "error";
  case CARI_NOMEM: return "out of memory";
  case CARI_IO: return "input/output error";
  case CARI_CORRUPT: return "database is damaged";
  case CARI_MISMATCH: return "database was built differently";
  case CARI_INVALID: return "invalid argument";
  case CARI_QUERY: return "nothing to search for";
  case CARI_NOTFOUND: return "not found";
  case CARI_FORMAT: return "malformed input";
  case CARI_ROW: return "row ready";
  case CARI_DONE: return "no more rows";
  default: return "unknown error code";
  }
}

static int set_err(cari_db *db, int rc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(db->err, sizeof db->err, fmt, ap);
  va_end(ap);
  return rc;
}

const char *cari_errmsg(cari_db *db) {
  return db ? db->err : "no database handle (out of memory)";
}

static int sql_rc(cari_db *db, const char *what) {
  int x = sqlite3_errcode(db->conn);
  int rc = x == SQLITE_NOMEM ? CARI_NOMEM
           : (x == SQLITE_CORRUPT || x == SQLITE_NOTADB) ? CARI_CORRUPT
           : (x == SQLITE_CANTOPEN || x == SQLITE_IOERR || x == SQLITE_FULL ||
              x == SQLITE_READONLY || x == SQLITE_PERM) ? CARI_IO
           : CARI_ERROR;
  return set_err(db, rc, "%s: %s", what, sqlite3_errmsg(db->conn));
}

/* Common tail of both opens: tokenizer, store, query tokenizer. */
static int attach(cari_db *db, const char *stemmer, int flags) {
  int readonly = (flags & CARI_OPEN_READONLY) != 0;
  int surface = (flags & CARI_OPEN_SURFACE)      ? 1
                : (flags & CARI_OPEN_NO_SURFACE) ? 0
                                                 : -1;
  idx_fts5_global *g = NULL;
  if (idx_fts5_register(db->conn, &g) != SQLITE_OK ||
      qry_rank_register(db->conn) != SQLITE_OK)
    return sql_rc(db, "cannot register the indonesian tokenizer");
  db->g = g;
  /* The top-k bookkeeping first: triggers an older version wrote may not
  ** compile against today's tables, and the store prepares statements
  ** that fire them. */
  int rc = readonly ? CARI_OK
                    : idx_post_upgrade(db->conn, db->err, sizeof db->err);
  if (rc) return rc;
  rc = idx_store_open(db->conn, g, stemmer, surface, readonly, &db->store,
                      db->err, sizeof db->err);
  if (rc) return rc;
  db->tok = idx_tokenizer_new();
  if (!db->tok) return set_err(db, CARI_NOMEM, "out of memory");
  return CARI_OK;
}

int cari_open(const char *path, const char *stemmer, int flags, cari_db **out) {
  cari_db *db = calloc(1, sizeof *db);
  *out = db;
  if (!db) return CARI_NOMEM;
  db->own_conn = 1;
  if (!path || !path[0])
    return set_err(db, CARI_INVALID, "no database file named");
  int oflags = (flags & CARI_OPEN_READONLY)
                   ? SQLITE_OPEN_READONLY
                   : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  if (sqlite3_open_v2(path, &db->conn, oflags, NULL) != SQLITE_OK) {
    if (!db->conn) return set_err(db, CARI_NOMEM, "out of memory");
    return set_err(db, CARI_IO, "cannot open database '%s': %s", path,
                   sqlite3_errmsg(db->conn));
  }
  sqlite3_extended_result_codes(db->conn, 0);
  sqlite3_busy_timeout(db->conn, 5000);
  /* WAL: readers (a blog server's searches) never wait for a writer. */
  if (!(flags & CARI_OPEN_READONLY)) {
    if (sqlite3_exec(db->conn,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                     NULL, NULL, NULL) != SQLITE_OK) {
      int rc = sql_rc(db, "cannot open database");
      if (rc == CARI_CORRUPT)
        set_err(db, rc, "'%s' is not a database or is damaged", path);
      return rc;
    }
  }
  int rc = attach(db, stemmer, flags);
  if (rc == CARI_CORRUPT && strstr(db->err, "not a database"))
    set_err(db, rc, "'%s' is not a database or is damaged", path);
  return rc;
}

int cari_open_sqlite(sqlite3 *conn, const char *stemmer, cari_db **out) {
  cari_db *db = calloc(1, sizeof *db);
  *out = db;
  if (!db) return CARI_NOMEM;
  if (!conn) return set_err(db, CARI_INVALID, "no connection given");
  db->conn = conn;
  return attach(db, stemmer,
                sqlite3_db_readonly(conn, "main") == 1 ? CARI_OPEN_READONLY : 0);
}

int cari_close(cari_db *db) {
  if (!db) return CARI_OK;
  if (db->ncursors > 0)
    return set_err(db, CARI_ERROR, "%d cursor(s) still open", db->ncursors);
  if (db->in_batch) sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
  idx_store_close(db->store);
  idx_tokenizer_free(db->tok);
  qry_topk_free(db->topk);
  idx_analyzer_free(db->an);
  if (db->own_conn) sqlite3_close(db->conn);
  free(db);
  return CARI_OK;
}

static int ready(cari_db *db) {
  if (!db) return CARI_INVALID;
  db->err[0] = 0;
  if (!db->store)
    return set_err(db, CARI_ERROR, "the database is not open");
  return CARI_OK;
}

const char *cari_stemmer(cari_db *db) {
  return db && db->store ? idx_store_stemmer(db->store) : NULL;
}

int cari_put(cari_db *db, const cari_article *a) {
  int rc = ready(db);
  if (rc) return rc;
  if (!a) return set_err(db, CARI_INVALID, "no article given");
  idx_article ia = {a->id,   a->title, a->body,  a->url,
                    a->date, a->tags,  a->ntags, a->source};
  return idx_store_put(db->store, &ia, db->err, sizeof db->err);
}

int cari_remove(cari_db *db, const char *id) {
  int rc = ready(db);
  if (rc) return rc;
  if (!id || !id[0]) return set_err(db, CARI_INVALID, "no id given");
  return idx_store_remove(db->store, id, db->err, sizeof db->err);
}

long long cari_count(cari_db *db) {
  if (ready(db)) return -1;
  return idx_store_count(db->store);
}

static int tx(cari_db *db, const char *sql, int want_batch, int next_batch) {
  int rc = ready(db);
  if (rc) return rc;
  if (db->in_batch != want_batch)
    return set_err(db, CARI_INVALID, want_batch ? "no batch is open"
                                                : "a batch is already open");
  if (sqlite3_exec(db->conn, sql, NULL, NULL, NULL) != SQLITE_OK) {
    rc = sql_rc(db, sql);
    /* A failed COMMIT may leave the transaction open: drop it, so that the
    ** batch is all-or-nothing. */
    if (!sqlite3_get_autocommit(db->conn))
      sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
    db->in_batch = 0;
    return rc;
  }
  db->in_batch = next_batch;
  return CARI_OK;
}

int cari_begin(cari_db *db) { return tx(db, "BEGIN IMMEDIATE", 0, 1); }
int cari_commit(cari_db *db) { return tx(db, "COMMIT", 1, 0); }
int cari_rollback(cari_db *db) { return tx(db, "ROLLBACK", 1, 0); }

static int searcher(cari_db *db);

int cari_check(cari_db *db) {
  int rc = ready(db);
  if (rc) return rc;
  rc = idx_store_check(db->store, db->err, sizeof db->err);
  if (rc == CARI_OK) rc = searcher(db);
  if (rc == CARI_OK) rc = qry_topk_check(db->topk, db->err, sizeof db->err);
  return rc;
}

/* The index's analyzer (its stemmer, the connection's lexicon) and the
** searcher, made on first use. */
static int searcher(cari_db *db) {
  if (db->topk) return CARI_OK;
  const char *stemmer = idx_store_stemmer(db->store);
  const sid_lexicon *lx = NULL;
  if (strcmp(stemmer, "cari") == 0 &&
      !(lx = idx_fts5_lexicon(db->g, db->err, sizeof db->err)))
    return CARI_ERROR;
  if (!db->an && !(db->an = idx_analyzer_new(stemmer, lx, db->err,
                                             sizeof db->err)))
    return CARI_NOMEM;
  if (!(db->topk = qry_topk_new(db->conn, db->an)))
    return set_err(db, CARI_NOMEM, "out of memory");
  return CARI_OK;
}

int cari_optimize(cari_db *db) {
  int rc = ready(db);
  if (rc) return rc;
  if (db->in_batch || !sqlite3_get_autocommit(db->conn))
    return set_err(db, CARI_INVALID, "cannot optimize inside a batch or "
                   "transaction: commit it first");
  rc = idx_store_merge(db->store, &db->hook, db->err, sizeof db->err);
  if (rc == CARI_OK) rc = searcher(db);
  if (rc) return rc;
  /* Top-k postings need stems only; with surface forms searches stay
  ** exhaustive (bench/README.md). */
  if (idx_store_surface(db->store))
    return idx_post_drop(db->conn, db->err, sizeof db->err);
  qry_ranking r;
  qry_ranking_default(&r);
  /* A second analyzer for the build's helper thread (same stemmer and
  ** lexicon; the lexicon is only read). Without one the build runs alone. */
  const char *stemmer = idx_store_stemmer(db->store);
  const sid_lexicon *lx = strcmp(stemmer, "cari") == 0
                              ? idx_fts5_lexicon(db->g, db->err, sizeof db->err)
                              : NULL;
  idx_analyzer *an2 = idx_analyzer_new(stemmer, lx, db->err, sizeof db->err);
  rc = idx_post_build(db->conn, db->an, an2, r.k1, r.b_title, r.b_body,
                      &db->hook, db->err, sizeof db->err);
  idx_analyzer_free(an2);
  return rc;
}

void cari_test_optimize_hook(cari_db *db, void (*fn)(void *ctx, int phase),
                             void *ctx) {
  if (!db) return;
  db->hook.fn = fn;
  db->hook.ctx = ctx;
}

int cari_search(cari_db *db, const char *query, int len,
                const cari_search_opts *opts, cari_cursor **out) {
  if (out) *out = NULL;
  int rc = ready(db);
  if (rc) return rc;
  if (!query || !out) return set_err(db, CARI_INVALID, "no query given");
  if (len < 0) len = (int)strlen(query);
  cari_cursor *c = calloc(1, sizeof *c);
  if (!c) return set_err(db, CARI_NOMEM, "out of memory");
  c->db = db;
  cari_search_opts none;
  memset(&none, 0, sizeof none);
  if (!opts) opts = &none;
  qry_ranking rank;
  int question = 0;
  rc = qry_ranking_parse(opts->ranking, &rank, db->err, sizeof db->err);
  rank.index_surface = idx_store_surface(db->store);
  if (rc == CARI_OK)
    rc = qry_translate(db->tok, query, len, &rank, &c->expr, &c->weights,
                       &question, db->err, sizeof db->err);
  if (rc == CARI_OK) rc = searcher(db);
  if (rc == CARI_OK) {
    qry_opts o = {opts->limit,     opts->offset,     opts->snippet_words,
                  opts->mark_open, opts->mark_close, opts->ellipsis,
                  opts->flags & CARI_SEARCH_NO_SNIPPET, &rank, c->weights,
                  question, (opts->flags & CARI_SEARCH_EXHAUSTIVE) != 0};
    rc = qry_open(db->conn, db->topk, c->expr, &o, &c->q, db->err,
                  sizeof db->err);
  }
  if (rc) {
    free(c->expr);
    free(c->weights);
    free(c);
    return rc;
  }
  db->ncursors++;
  *out = c;
  return CARI_OK;
}

int cari_next(cari_cursor *c) {
  if (!c) return CARI_INVALID;
  return qry_next(c->q, c->db->err, sizeof c->db->err);
}

const char *cari_result_id(cari_cursor *c) { return qry_field(c->q, 0); }
const char *cari_result_title(cari_cursor *c) { return qry_field(c->q, 1); }
const char *cari_result_url(cari_cursor *c) { return qry_field(c->q, 2); }
const char *cari_result_date(cari_cursor *c) { return qry_field(c->q, 3); }
const char *cari_result_snippet(cari_cursor *c) { return qry_field(c->q, 4); }
double cari_result_score(cari_cursor *c) { return qry_score(c->q); }

long long cari_cursor_total(cari_cursor *c) {
  return qry_total(c->q, c->db->err, sizeof c->db->err);
}

const char *cari_cursor_expr(cari_cursor *c) {
  const char *e = c ? qry_expr(c->q) : NULL;
  return e ? e : c ? c->expr : NULL;
}

void cari_cursor_free(cari_cursor *c) {
  if (!c) return;
  qry_cursor_free(c->q);
  free(c->expr);
  free(c->weights);
  c->db->ncursors--;
  free(c);
}

/* ------------------------------------------------------------------ */

struct cari_analyzer {
  idx_analyzer *an;
  cari_token_fn fn;
  void *ctx;
};

int cari_analyzer_new(const char *stemmer, cari_analyzer **out) {
  char err[400];
  *out = NULL;
  if (stemmer && !idx_stemmer_known(stemmer)) return CARI_INVALID;
  cari_analyzer *a = calloc(1, sizeof *a);
  if (!a) return CARI_NOMEM;
  a->an = idx_analyzer_new(stemmer, NULL, err, sizeof err);
  if (!a->an) {
    free(a);
    return strstr(err, "lexicon") ? CARI_IO : CARI_NOMEM;
  }
  *out = a;
  return CARI_OK;
}

void cari_analyzer_free(cari_analyzer *a) {
  if (!a) return;
  idx_analyzer_free(a->an);
  free(a);
}

static int analyze_cb(void *ctx, const char *term, int n, int start, int end,
                      int colocated) {
  (void)colocated; /* cari_analyze never asks for surface forms */
  cari_analyzer *a = ctx;
  return a->fn(a->ctx, term, n, start, end) ? 1 : 0;
}

int cari_analyze(cari_analyzer *a, const char *text, int len, cari_token_fn fn,
                 void *ctx) {
  if (!a || !text || !fn) return CARI_INVALID;
  if (len < 0) len = (int)strlen(text);
  a->fn = fn;
  a->ctx = ctx;
  int rc = idx_analyze(a->an, text, len, 0, analyze_cb, a);
  return rc < 0 ? CARI_NOMEM : rc > 0 ? CARI_ERROR : CARI_OK;
}

const char *const *cari_stemmers(void) { return idx_stemmer_names(); }
