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
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct cari_db {
  sqlite3 *conn;
  int own_conn;       /* cari opened conn and closes it */
  idx_store *store;   /* NULL on a handle that only carries an error */
  idx_tokenizer *tok; /* for query translation */
  idx_fts5_global *g; /* the tokenizer registration's state (its lexicon) */
  idx_vocab *vocab;   /* the vocabulary's pending counts (indexer/meta.c),
                      ** owned by the connection */
  idx_analyzer *an;   /* the index's analyzer, made when first needed */
  idx_capture *cap;   /* top-k postings collected as articles are put
                      ** (indexer/capture.c); NULL when read-only */
  qry_topk *topk;     /* the searcher, made when first needed */
  qry_meta *meta;     /* dates and tags in memory, made when first needed */
  qry_syns *syns;     /* the user's synonyms file, or NULL */
  qry_thes *thes;     /* the thesaurus, read on the first search using it */
  char *thes_path;    /* owned copy of cari_open_opts.thesaurus, or NULL */
  int in_batch;
  int fts_stale;      /* a write failed: FTS5's state must be reset (recover) */
  int ncursors;       /* open cursors: close refuses while > 0 */
  int snapshot;       /* the cursors' read transaction is open (cari began
                      ** it: no batch or transaction of the caller's) */
  idx_hook hook;      /* tests only: called between optimize's steps */
  int captured;       /* builds that wrote captured postings (tests) */
  int one_thread;     /* CARI_OPEN_ONE_THREAD: no helper thread in optimize */
  char err[1024];
};

struct cari_cursor {
  cari_db *db;
  qry_cursor *q;
  char *note;  /* what the bounds cut, or NULL; owned */
  int max_ms;  /* each call's time budget; < 0 none */
  qry_filter *filter; /* owned, or NULL */
  qry_plan *plan;     /* owned: the plan searched (its total and facets
                      ** read it again) */
  int facets;         /* CARI_SEARCH_FACETS */
  int facet_limit;
  char *dym;          /* the did-you-mean query, or NULL; owned */
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

/* x: the failing call's SQLite code (indexer/sqlerr.c). */
static int sql_rc(cari_db *db, int x, const char *what) {
  return idx_sql_fail(db->conn, x, what, db->err, sizeof db->err);
}

/* Common tail of both opens: tokenizer, store, query tokenizer. */
static int attach(cari_db *db, const cari_open_opts *o, int flags) {
  const char *stemmer = o->stemmer;
  idx_lexicon_paths paths = {o->dic, o->roots, o->exceptions};
  int readonly = (flags & CARI_OPEN_READONLY) != 0;
  db->one_thread = (flags & CARI_OPEN_ONE_THREAD) != 0;
  int surface = (flags & CARI_OPEN_SURFACE)      ? 1
                : (flags & CARI_OPEN_NO_SURFACE) ? 0
                                                 : -1;
  idx_fts5_global *g = NULL;
  int x;
  if ((x = idx_fts5_register(db->conn, &paths, &g)) != SQLITE_OK ||
      (x = idx_meta_register(db->conn, &db->vocab)) != SQLITE_OK ||
      (x = qry_rank_register(db->conn)) != SQLITE_OK)
    return sql_rc(db, x, "cannot register the indonesian tokenizer");
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
  /* Dates, tags and the vocabulary (indexer/meta.c): a database made
  ** before them gains them at its first writable open. */
  if (!readonly && (rc = idx_meta_ensure(db->conn, db->err, sizeof db->err)))
    return rc;
  if (!readonly && !(db->cap = idx_capture_new(db->conn, g)))
    return set_err(db, CARI_NOMEM, "out of memory");
  if (!readonly &&
      (rc = idx_capture_start(db->cap, db->err, sizeof db->err)))
    return rc;
  db->tok = idx_tokenizer_new();
  if (!db->tok) return set_err(db, CARI_NOMEM, "out of memory");
  if (o->thesaurus && o->thesaurus[0] && !(db->thes_path = cari_strdup(o->thesaurus)))
    return set_err(db, CARI_NOMEM, "out of memory");
  if (o->synonyms && o->synonyms[0])
    return qry_syns_load(o->synonyms, db->tok, &db->syns, db->err,
                         sizeof db->err);
  return CARI_OK;
}

/* A WAL database that a reader may not write beside: SQLite reads it only
** through its -shm file, or as immutable (no locks). Writers keep -wal and
** -shm (PERSIST_WAL), so those are missing only when the file was copied
** there alone, as a read-only deployment does; then, and only then, it is
** opened immutable: "file:PATH?immutable=1", or NULL for a normal open. */
static char *immutable_uri(const char *path) {
  char side[4096];
  if (snprintf(side, sizeof side, "%s-shm", path) >= (int)sizeof side ||
      access(side, F_OK) == 0)
    return NULL;
  snprintf(side, sizeof side, "%s-wal", path);
  if (access(side, F_OK) == 0) return NULL;
  /* The directory: may this process create the -shm file there? */
  snprintf(side, sizeof side, "%s", path);
  char *slash = strrchr(side, '/');
  if (!slash) snprintf(side, sizeof side, ".");
  else if (slash == side) side[1] = 0;
  else *slash = 0;
  if (access(side, W_OK) == 0) return NULL;
  /* Only a WAL database (file format bytes 18 and 19 are 2). */
  FILE *f = fopen(path, "rb");
  unsigned char h[20];
  int wal = f && fread(h, 1, sizeof h, f) == sizeof h && h[18] == 2 &&
            h[19] == 2;
  if (f) fclose(f);
  if (!wal) return NULL;
  cari_buf u = CARI_BUF_INIT;
  int rc = CARI_OK;
  cari_buf_adds(&rc, &u, "file:");
  for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
    if (*p == '%' || *p == '?' || *p == '#' || *p < 0x21 || *p >= 0x7f)
      cari_buf_printf(&rc, &u, "%%%02X", *p);
    else cari_buf_addc(&rc, &u, *p);
  }
  if (cari_buf_adds(&rc, &u, "?immutable=1")) cari_buf_free(&u);
  return cari_buf_take(&u);
}

/* The caller's options struct into o (this library's size): its first
** `size` bytes over zeros. CARI_INVALID, with a message in err, when size
** is below `first` (the struct's first version: it was zeroed, not
** initialised with `init`) or names non-zero bytes past what this library
** knows (a newer cari.h's fields). */
static int opts_copy(void *o, size_t cap, const void *src, size_t first,
                     const char *init, char *err, size_t errcap) {
  const unsigned char *b = src;
  size_t n;
  memcpy(&n, src, sizeof n);
  memset(o, 0, cap);
  int newer = 0;
  for (size_t i = cap; n >= first && i < n && !newer; i++) newer = b[i] != 0;
  if (n < first || newer) {
    snprintf(err, errcap, "the options' size field is %zu: %s", n,
             newer ? "they set fields of a newer cari.h than this library's"
                   : "initialise the struct with ");
    if (!newer) snprintf(err + strlen(err), errcap - strlen(err), "%s", init);
    return CARI_INVALID;
  }
  memcpy(o, src, n < cap ? n : cap);
  return CARI_OK;
}
#define OPEN_OPTS_V1 \
  (offsetof(cari_open_opts, exceptions) + sizeof(const char *))
#define SEARCH_OPTS_V1 (offsetof(cari_search_opts, max_ms) + sizeof(int))

/* The caller's search options (NULL: the defaults) into *so: a cari_rc. */
static int search_opts(cari_db *db, const cari_search_opts *opts,
                       cari_search_opts *so) {
  static const cari_search_opts defaults = CARI_SEARCH_OPTS_INIT;
  return opts_copy(so, sizeof *so, opts ? opts : &defaults, SEARCH_OPTS_V1,
                   "CARI_SEARCH_OPTS_INIT", db->err, sizeof db->err);
}

int cari_open(const char *path, const char *stemmer, int flags,
              cari_db **out) {
  cari_open_opts o = CARI_OPEN_OPTS_INIT;
  o.stemmer = stemmer;
  o.flags = flags;
  return cari_open_ex(path, &o, out);
}

/* A new handle into *out (NULL: CARI_NOMEM), its options read from opts. */
static int new_handle(const cari_open_opts *opts, cari_open_opts *o,
                      cari_db **out) {
  cari_db *db = cari_calloc(1, sizeof *db);
  *out = db;
  if (!db) return CARI_NOMEM;
  static const cari_open_opts defaults = CARI_OPEN_OPTS_INIT;
  return opts_copy(o, sizeof *o, opts ? opts : &defaults, OPEN_OPTS_V1,
                   "CARI_OPEN_OPTS_INIT", db->err, sizeof db->err);
}

int cari_open_ex(const char *path, const cari_open_opts *opts,
                 cari_db **out) {
  cari_open_opts o;
  if (!out) return CARI_INVALID;
  int rc = new_handle(opts, &o, out);
  cari_db *db = *out;
  if (rc) return rc;
  int flags = o.flags;
  db->own_conn = 1;
  if (!path || !path[0])
    return set_err(db, CARI_INVALID, "no database file named");
  int oflags = (flags & CARI_OPEN_READONLY)
                   ? SQLITE_OPEN_READONLY
                   : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  char *uri = (flags & CARI_OPEN_READONLY) ? immutable_uri(path) : NULL;
  int ox = uri ? sqlite3_open_v2(uri, &db->conn, oflags | SQLITE_OPEN_URI, NULL)
               : sqlite3_open_v2(path, &db->conn, oflags, NULL);
  cari_free(uri);
  if (ox != SQLITE_OK) {
    if (!db->conn) return set_err(db, CARI_NOMEM, "out of memory");
    rc = idx_sql_rc(ox);
    return set_err(db, rc == CARI_ERROR ? CARI_IO : rc,
                   "cannot open database '%s': %s", path,
                   sqlite3_errmsg(db->conn));
  }
  sqlite3_extended_result_codes(db->conn, 0);
  sqlite3_busy_timeout(db->conn, 5000);
  /* WAL: readers (a blog server's searches) never wait for a writer. */
  if (!(flags & CARI_OPEN_READONLY)) {
    /* The -wal and -shm files stay when the last writer closes, so that a
    ** user who may only read the file and not write its directory can
    ** still search (SQLite needs them to read a WAL database). */
    int persist = 1;
    sqlite3_file_control(db->conn, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
    int x = sqlite3_exec(db->conn,
                         "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                         "PRAGMA journal_size_limit=67108864;",
                         NULL, NULL, NULL);
    if (x != SQLITE_OK) {
      rc = sql_rc(db, x, "cannot open database");
      if (rc == CARI_CORRUPT)
        set_err(db, rc, "'%s' is not a database or is damaged", path);
      return rc;
    }
  }
  rc = attach(db, &o, flags);
  if (rc == CARI_CORRUPT && strstr(db->err, "not a database"))
    set_err(db, rc, "'%s' is not a database or is damaged", path);
  return rc;
}

int cari_open_sqlite(sqlite3 *conn, const cari_open_opts *opts,
                     cari_db **out) {
  cari_open_opts o;
  if (!out) return CARI_INVALID;
  int rc = new_handle(opts, &o, out);
  cari_db *db = *out;
  if (rc) return rc;
  if (!conn) return set_err(db, CARI_INVALID, "no connection given");
  db->conn = conn;
  int ro = sqlite3_db_readonly(conn, "main") == 1 ? CARI_OPEN_READONLY : 0;
  return attach(db, &o, o.flags | ro);
}

int cari_close(cari_db *db) {
  if (!db) return CARI_OK;
  if (db->ncursors > 0)
    return set_err(db, CARI_ERROR, "%d cursor(s) still open", db->ncursors);
  if (db->in_batch) sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
  idx_capture_free(db->cap);
  idx_store_close(db->store);
  idx_tokenizer_free(db->tok);
  qry_topk_free(db->topk);
  qry_meta_free(db->meta);
  qry_syns_free(db->syns);
  qry_thes_free(db->thes);
  cari_free(db->thes_path);
  idx_analyzer_free(db->an);
  if (db->own_conn) sqlite3_close(db->conn);
  cari_free(db);
  return CARI_OK;
}

/*
** SQLite 3.40.1's FTS5 can keep stale state on its connection after a
** write that failed (out of memory, say) was rolled back: the next writes
** on that connection then damage the index on disk (tests/test_fault.c
** found it; plain FTS5 with its own tokenizer does the same). A schema
** change rolled back makes SQLite drop its virtual-table objects, so FTS5
** reads its state from the file again. That runs outside a transaction
** only: inside a batch, nothing but cari_rollback() is accepted until then.
*/
static int recover(cari_db *db) {
  /* Not while cursors read their snapshot: searches are safe; the reset
  ** runs before the next write, which waits for the cursors anyway. */
  if (!db->fts_stale || db->snapshot) return CARI_OK;
  if (!sqlite3_get_autocommit(db->conn))
    return set_err(db, CARI_ERROR, "an earlier write of this batch failed: "
                   "call cari_rollback() and start the batch again");
  int x = sqlite3_exec(db->conn,
                       "SAVEPOINT cari_reset; CREATE TABLE cari_reset(x);"
                       " ROLLBACK TO cari_reset; RELEASE cari_reset;",
                       NULL, NULL, NULL);
  if (x != SQLITE_OK) {
    int rc = sql_rc(db, x, "cannot recover from an earlier failed write");
    if (!sqlite3_get_autocommit(db->conn))
      sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
    return rc; /* tried again by the next call */
  }
  db->fts_stale = 0;
  return CARI_OK;
}

/* After a write: a failure that reached SQLite leaves FTS5 to be reset. */
static int wrote(cari_db *db, int rc) {
  if (rc != CARI_OK && rc != CARI_INVALID && rc != CARI_NOTFOUND &&
      rc != CARI_MISMATCH)
    db->fts_stale = 1;
  return rc;
}

/* The checks every call starts with; then recover() from a failed write
** (not before cari_rollback(), which is how a failed batch ends). */
static int ready_only(cari_db *db) {
  if (!db) return CARI_INVALID;
  db->err[0] = 0;
  if (!db->store)
    return set_err(db, CARI_ERROR, "the database is not open");
  return CARI_OK;
}

static int ready(cari_db *db) {
  int rc = ready_only(db);
  return rc ? rc : recover(db);
}

/* Writes wait until the cursors are freed: they read one snapshot, which
** a write on this connection would either join (landing only when the last
** cursor is freed) or fail to upgrade (when another connection wrote). */
static int ready_write(cari_db *db) {
  int rc = ready_only(db);
  if (rc == CARI_OK && db->snapshot)
    return set_err(db, CARI_INVALID,
                   "%d search cursor(s) open: free them before writing (a "
                   "search reads one snapshot until its cursor is freed)",
                   db->ncursors);
  return rc ? rc : recover(db);
}

/* End the cursors' read transaction when the last one is freed (or the
** search that began it failed). It only read: a failed COMMIT is rolled
** back. */
static void snapshot_end(cari_db *db) {
  if (!db->snapshot || db->ncursors > 0) return;
  db->snapshot = 0;
  if (sqlite3_exec(db->conn, "COMMIT", NULL, NULL, NULL) != SQLITE_OK &&
      !sqlite3_get_autocommit(db->conn))
    sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
}

const char *cari_stemmer(cari_db *db) {
  return db && db->store ? idx_store_stemmer(db->store) : NULL;
}

/* Inside a batch that SQLite already rolled back (after out of memory,
** say), a write would land on its own: refuse until cari_rollback(). */
static int batch_lost(cari_db *db) {
  if (!db->in_batch || !sqlite3_get_autocommit(db->conn)) return CARI_OK;
  return set_err(db, CARI_ERROR, "the batch was rolled back after an earlier "
                 "failure: call cari_rollback() and start again");
}

int cari_put(cari_db *db, const cari_article *a) {
  int rc = ready_write(db);
  if (rc || (rc = batch_lost(db))) return rc;
  if (!a) return set_err(db, CARI_INVALID, "no article given");
  idx_article ia = {a->id,   a->title, a->body,  a->url,    a->date,
                    a->tags, a->ntags, a->source, a->author};
  /* In a batch the vocabulary's counts wait for its commit. */
  idx_vocab_defer(db->vocab, db->in_batch);
  idx_capture_put_begin(db->cap);
  rc = idx_store_put(db->store, &ia, db->err, sizeof db->err);
  idx_capture_put_end(db->cap, rc);
  idx_vocab_defer(db->vocab, 0);
  int vrc = idx_vocab_settle(db->vocab, rc == CARI_OK);
  if (rc == CARI_OK && vrc) rc = set_err(db, vrc, "out of memory");
  return wrote(db, rc);
}

int cari_remove(cari_db *db, const char *id) {
  int rc = ready_write(db);
  if (rc || (rc = batch_lost(db))) return rc;
  if (!id || !id[0]) return set_err(db, CARI_INVALID, "no id given");
  idx_vocab_defer(db->vocab, db->in_batch);
  idx_capture_stop(db->cap); /* it follows articles added only */
  rc = idx_store_remove(db->store, id, db->err, sizeof db->err);
  idx_vocab_defer(db->vocab, 0);
  int vrc = idx_vocab_settle(db->vocab, rc == CARI_OK);
  if (rc == CARI_OK && vrc) rc = set_err(db, vrc, "out of memory");
  return wrote(db, rc);
}

long long cari_count(cari_db *db) {
  if (ready(db)) return -1;
  return idx_store_count(db->store);
}

static int tx(cari_db *db, const char *sql, int want_batch, int next_batch) {
  int rolling = strcmp(sql, "ROLLBACK") == 0;
  int rc = rolling ? ready_only(db) : ready_write(db);
  if (rc) return rc;
  if (db->in_batch != want_batch)
    return set_err(db, CARI_INVALID, want_batch ? "no batch is open"
                                                : "a batch is already open");
  /* SQLite rolls a transaction back by itself after some failures (out of
  ** memory, disk full): the batch is then already dropped. */
  if (rolling) {
    idx_vocab_drop(db->vocab);
    idx_capture_stop(db->cap); /* it holds the batch's articles */
  }
  if (rolling && sqlite3_get_autocommit(db->conn)) {
    db->in_batch = 0;
    recover(db); /* failing, it is tried again by the next call */
    db->err[0] = 0;
    return CARI_OK;
  }
  if (want_batch && strcmp(sql, "COMMIT") == 0 &&
      sqlite3_get_autocommit(db->conn)) {
    db->in_batch = 0;
    idx_vocab_drop(db->vocab);
    idx_capture_stop(db->cap);
    return set_err(db, CARI_ERROR, "the batch was rolled back after an "
                   "earlier failure: none of it was stored");
  }
  /* The batch's vocabulary counts go in before its COMMIT. */
  if (want_batch && !rolling &&
      (rc = idx_vocab_flush(db->vocab, db->err, sizeof db->err))) {
    sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
    db->in_batch = 0;
    return wrote(db, rc);
  }
  int x = sqlite3_exec(db->conn, sql, NULL, NULL, NULL);
  if (x != SQLITE_OK) {
    rc = sql_rc(db, x, sql);
    /* A failed COMMIT may leave the transaction open: drop it, so that the
    ** batch is all-or-nothing. */
    if (!sqlite3_get_autocommit(db->conn))
      sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
    if (want_batch) idx_capture_stop(db->cap);
    db->in_batch = 0;
    return want_batch && !rolling ? wrote(db, rc) : rc; /* COMMIT: reset */
  }
  db->in_batch = next_batch;
  if (rolling) {
    recover(db); /* failing, it is tried again by the next call */
    db->err[0] = 0;
  }
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
  if (rc == CARI_OK) rc = idx_post_check(db->conn, db->err, sizeof db->err);
  return rc;
}

/* The index's analyzer (its stemmer, the connection's lexicon) and the
** searcher, made on first use. */
static int searcher(cari_db *db) {
  if (db->topk) return CARI_OK;
  const char *stemmer = idx_store_stemmer(db->store);
  const sid_lexicon *lx = NULL;
  if (idx_stemmer_lexical(stemmer) &&
      !(lx = idx_fts5_lexicon(db->g, db->err, sizeof db->err)))
    return idx_lexicon_rc(db->err);
  if (!db->an && !(db->an = idx_analyzer_new(stemmer, lx, db->err,
                                             sizeof db->err)))
    return CARI_NOMEM;
  if (!(db->topk = qry_topk_new(db->conn, db->an)))
    return set_err(db, CARI_NOMEM, "out of memory");
  return CARI_OK;
}

int cari_optimize(cari_db *db) {
  int rc = ready_write(db);
  if (rc) return rc;
  if (db->in_batch || !sqlite3_get_autocommit(db->conn))
    return set_err(db, CARI_INVALID, "cannot optimize inside a batch or "
                   "transaction: commit it first");
  rc = wrote(db, idx_store_merge(db->store, &db->hook, db->err,
                                 sizeof db->err));
  if (rc == CARI_OK)
    rc = wrote(db, idx_meta_purge(db->conn, db->err, sizeof db->err));
  if (rc == CARI_OK) rc = searcher(db);
  if (rc) return rc;
  /* Top-k postings need stems only; with surface forms searches stay
  ** exhaustive (bench/README.md). */
  if (idx_store_surface(db->store)) {
    idx_capture_stop(db->cap);
    return wrote(db, idx_post_drop(db->conn, db->err, sizeof db->err));
  }
  qry_ranking r;
  qry_ranking_default(&r);
  /* A second analyzer for the build's helper thread (same stemmer and
  ** lexicon; the lexicon is only read). Without one the build runs alone. */
  const char *stemmer = idx_store_stemmer(db->store);
  const sid_lexicon *lx = idx_stemmer_lexical(stemmer)
                              ? idx_fts5_lexicon(db->g, db->err, sizeof db->err)
                              : NULL;
  idx_analyzer *an2 = db->one_thread ? NULL
                                     : idx_analyzer_new(stemmer, lx, db->err,
                                                        sizeof db->err);
  /* Postings collected while this handle filled the table, if any: the
  ** build uses them when the table still holds exactly those articles. */
  idx_post_acc *acc = idx_capture_take(db->cap);
  int used = 0;
  rc = idx_post_build(db->conn, db->an, an2, acc, &used, r.k1, r.b_title,
                      r.b_body, &db->hook, db->err, sizeof db->err);
  db->captured += used;
  idx_analyzer_free(an2);
  return wrote(db, rc);
}

/* After a call that ran with budget B: a failure because the budget ran
** out becomes CARI_QUERY with a message that says so. */
static int budget_rc(cari_db *db, qry_budget *B, int rc, int ms,
                     const char *what) {
  if (!qry_budget_end(B) || rc == CARI_OK || rc == CARI_NOMEM ||
      rc == CARI_ROW || rc == CARI_DONE)
    return rc;
  return set_err(db, CARI_QUERY,
                 "%s took longer than %d ms and was stopped (its time "
                 "limit, cari_search_opts.max_ms): search for fewer or "
                 "longer words", what, ms);
}

/* The note: the parser's cuts, then the prefix expansion's. */
static int make_note(cari_cursor *c, const char *parsed) {
  const char *expanded = qry_note(c->q);
  if (!parsed[0] && !expanded) return CARI_OK;
  cari_buf b = CARI_BUF_INIT;
  int rc = CARI_OK;
  if (cari_buf_printf(&rc, &b, "%s%s%s", parsed,
                      parsed[0] && expanded ? "; " : "",
                      expanded ? expanded : ""))
    return rc;
  c->note = cari_buf_take(&b);
  return CARI_OK;
}

void cari_test_optimize_hook(cari_db *db, void (*fn)(void *ctx, int phase),
                             void *ctx) {
  if (!db) return;
  db->hook.fn = fn;
  db->hook.ctx = ctx;
}

int cari_test_captured(cari_db *db) { return db ? db->captured : 0; }

int cari_parse_date(const char *text, long long *seconds, long long *day) {
  if (!text) return CARI_INVALID;
  return idx_date_parse(text, strlen(text), seconds, day) ? CARI_OK
                                                          : CARI_INVALID;
}

/* The filter of opts (NULL when it has none) into *out. */
static int make_filter(cari_db *db, const cari_search_opts *opts,
                       qry_filter **out) {
  *out = NULL;
  qry_filter_spec fs = {opts->tags, opts->ntags > 0 ? opts->ntags : 0, 0, 0,
                        0, 0};
  const char *bound[2] = {opts->from, opts->to};
  long long *day[2] = {&fs.from_day, &fs.to_day};
  int *has[2] = {&fs.has_from, &fs.has_to};
  for (int i = 0; i < 2; i++) {
    if (!bound[i]) continue;
    if (!idx_date_parse(bound[i], strlen(bound[i]), NULL, day[i]))
      return set_err(db, CARI_INVALID, "%s date '%.100s' is not ISO 8601 "
                     "(YYYY-MM-DD, or a date and time)",
                     i ? "the 'to'" : "the 'from'", bound[i]);
    *has[i] = 1;
  }
  if (fs.ntags && !fs.tags)
    return set_err(db, CARI_INVALID, "ntags is %d but no tags are given",
                   fs.ntags);
  for (int i = 0; i < fs.ntags; i++)
    if (!fs.tags[i]) return set_err(db, CARI_INVALID, "tag %d is NULL", i);
  if (!fs.ntags && !fs.has_from && !fs.has_to) return CARI_OK;
  return qry_filter_make(db->meta, &fs, out, db->err, sizeof db->err);
}

/* Search the cursor's plan (from qry_translate, or cari_related's) with
** the options; `note` is what the translation cut. The cursor's snapshot
** has begun. */
static int search_expr(cari_db *db, cari_cursor *c, const qry_ranking *rank,
                       const cari_search_opts *opts, const char *note) {
  int rc = searcher(db);
  int want_meta = opts->ntags > 0 || opts->from || opts->to ||
                  opts->sort == CARI_SORT_DATE ||
                  (opts->flags & CARI_SEARCH_FACETS);
  if (opts->sort != CARI_SORT_RELEVANCE && opts->sort != CARI_SORT_DATE)
    return set_err(db, CARI_INVALID, "unknown sort %d (CARI_SORT_RELEVANCE "
                   "or CARI_SORT_DATE)", opts->sort);
  if (rc == CARI_OK && want_meta && !db->meta &&
      !(db->meta = qry_meta_new(db->conn)))
    rc = set_err(db, CARI_NOMEM, "out of memory");
  qry_budget B;
  qry_budget_begin(&B, db->conn, c->max_ms);
  if (rc == CARI_OK && want_meta)
    rc = qry_meta_refresh(db->meta, db->err, sizeof db->err);
  if (rc == CARI_OK) rc = make_filter(db, opts, &c->filter);
  if (rc == CARI_OK) {
    qry_opts o = {opts->limit,     opts->offset,     opts->snippet_words,
                  opts->mark_open, opts->mark_close, opts->ellipsis,
                  opts->flags & CARI_SEARCH_NO_SNIPPET, rank,
                  (opts->flags & CARI_SEARCH_EXHAUSTIVE) != 0, c->filter,
                  opts->sort == CARI_SORT_DATE, 0,
                  want_meta ? db->meta : NULL};
    rc = qry_open(db->conn, db->topk, c->plan, &o, &c->q, db->err,
                  sizeof db->err);
  }
  rc = budget_rc(db, &B, rc, c->max_ms, "the search");
  c->facets = (opts->flags & CARI_SEARCH_FACETS) != 0;
  c->facet_limit = opts->facet_limit > 0 ? opts->facet_limit
                                         : CARI_FACET_LIMIT;
  if (rc == CARI_OK && make_note(c, note) != CARI_OK)
    rc = set_err(db, CARI_NOMEM, "out of memory");
  return rc;
}

/* A new cursor with its snapshot begun into *out: a cari_rc. */
static int cursor_begin(cari_db *db, const cari_search_opts *opts,
                        cari_cursor **out) {
  cari_cursor *c = *out = cari_calloc(1, sizeof *c);
  if (!c) return set_err(db, CARI_NOMEM, "out of memory");
  /* One search reads one snapshot, from its first row to cari_cursor_free:
  ** a read transaction unless the caller has one open (a batch). Cursors
  ** open together share it. */
  if (!db->snapshot && sqlite3_get_autocommit(db->conn)) {
    int x = sqlite3_exec(db->conn, "BEGIN", NULL, NULL, NULL);
    if (x != SQLITE_OK) {
      cari_free(c);
      *out = NULL;
      return sql_rc(db, x, "cannot start the search");
    }
    db->snapshot = 1;
  }
  c->db = db;
  c->max_ms = opts->max_ms == 0 ? QRY_BUDGET_MS : opts->max_ms < 0 ? -1
                                                   : opts->max_ms;
  return CARI_OK;
}

/* The end of a search: the cursor handed out, or freed on failure. */
static int cursor_end(cari_db *db, cari_cursor *c, int rc, cari_cursor **out) {
  if (rc) {
    qry_cursor_free(c->q);
    qry_filter_free(c->filter);
    qry_plan_free(c->plan);
    cari_free(c->note);
    cari_free(c->dym);
    cari_free(c);
    snapshot_end(db);
    return rc;
  }
  db->ncursors++;
  *out = c;
  return CARI_OK;
}

/* The cursor's plan with its words' synonyms, when the search asks for
** them (query/synonym.c): the thesaurus is read on first use. */
static int add_synonyms(cari_db *db, cari_cursor *c, const qry_ranking *rank,
                        int flags) {
  int thes = (flags & CARI_SEARCH_THESAURUS) != 0;
  const qry_syns *user = flags & CARI_SEARCH_NO_SYNONYMS ? NULL : db->syns;
  if ((!thes && !user) || rank->w_synonym <= 0) return CARI_OK;
  int rc = searcher(db);
  if (rc == CARI_OK && thes && !db->thes)
    rc = qry_thes_open(db->thes_path ? db->thes_path : QRY_THES_DEFAULT,
                       db->tok, &db->thes, db->err, sizeof db->err);
  qry_syn_source src = {thes ? db->thes : NULL, user, rank->w_synonym};
  qry_plan *x = NULL;
  if (rc == CARI_OK)
    rc = qry_expand_synonyms(&src, db->tok, db->an, c->plan, &x, db->err,
                             sizeof db->err);
  if (x) {
    qry_plan_free(c->plan);
    c->plan = x;
  }
  return rc;
}

/* Typing errors (query/typo.c): the plan's rarely known words matched to
** close words of the vocabulary (unless typo=0), and the did-you-mean
** query; neither with CARI_SEARCH_NO_TYPO. */
static int typos(cari_db *db, cari_cursor *c, const qry_ranking *rank,
                 const cari_search_opts *opts, const char *q, int len,
                 char *note, size_t notecap) {
  if (opts->flags & CARI_SEARCH_NO_TYPO) return CARI_OK;
  int rc = searcher(db);
  const char *stemmer = idx_store_stemmer(db->store);
  const sid_lexicon *lx = NULL;
  if (rc == CARI_OK && idx_stemmer_lexical(stemmer) &&
      !(lx = idx_fts5_lexicon(db->g, db->err, sizeof db->err)))
    rc = idx_lexicon_rc(db->err);
  /* Inside a batch: its vocabulary counts so far first. */
  if (rc == CARI_OK && db->in_batch)
    rc = wrote(db, idx_vocab_flush(db->vocab, db->err, sizeof db->err));
  if (rc) return rc;
  qry_typo_opts to = {rank->w_typo, rank->typo_swap, rank->function_words,
                      lx};
  qry_typo T;
  rc = qry_typo_expand(db->conn, db->an, db->tok, c->plan, &to, &T, db->err,
                       sizeof db->err);
  if (rc == CARI_OK &&
      qry_typo_did_you_mean(db->tok, q, len, &T, &c->dym) != CARI_OK)
    rc = set_err(db, CARI_NOMEM, "out of memory");
  if (rc == CARI_OK && T.skipped) { /* nothing is cut silently */
    size_t n = strlen(note);
    snprintf(note + n, notecap - n, "%styping errors were looked for in the "
             "first %d unknown words only (%d more not)", n ? "; " : "",
             QRY_TYPO_MAX_WORDS, T.skipped);
  }
  if (rc == CARI_OK && T.plan) {
    qry_plan_free(c->plan);
    c->plan = T.plan;
    T.plan = NULL;
  }
  qry_typo_clear(&T);
  return rc;
}

const char *cari_cursor_did_you_mean(cari_cursor *c) {
  return c ? c->dym : NULL;
}

int cari_search(cari_db *db, const char *query, int len,
                const cari_search_opts *opts, cari_cursor **out) {
  if (out) *out = NULL;
  int rc = ready(db);
  if (rc) return rc;
  if (!query || !out) return set_err(db, CARI_INVALID, "no query given");
  if (len < 0) len = (int)strlen(query);
  cari_search_opts so;
  if ((rc = search_opts(db, opts, &so))) return rc;
  opts = &so;
  cari_cursor *c;
  if ((rc = cursor_begin(db, opts, &c))) return rc;
  qry_ranking rank;
  char note[512] = "";
  rc = qry_ranking_parse(opts->ranking, &rank, db->err, sizeof db->err);
  rank.index_surface = idx_store_surface(db->store);
  rank.index_informal = strcmp(idx_store_stemmer(db->store), "cari") == 0;
  if (rc == CARI_OK)
    rc = qry_translate(db->tok, query, len, &rank, &c->plan, note,
                       sizeof note, db->err, sizeof db->err);
  if (rc == CARI_OK)
    rc = typos(db, c, &rank, opts, query, len, note, sizeof note);
  if (rc == CARI_OK) rc = add_synonyms(db, c, &rank, opts->flags);
  if (rc == CARI_OK) rc = search_expr(db, c, &rank, opts, note);
  return cursor_end(db, c, rc, out);
}

int cari_next(cari_cursor *c) {
  if (!c) return CARI_INVALID;
  qry_budget B;
  qry_budget_begin(&B, c->db->conn, c->max_ms);
  int rc = qry_next(c->q, c->db->err, sizeof c->db->err);
  return budget_rc(c->db, &B, rc, c->max_ms, "making a snippet");
}

/* NULL-safe: a NULL cursor (a failed cari_search's *out) has no fields. */
const char *cari_result_id(cari_cursor *c) {
  return c ? qry_field(c->q, 0) : NULL;
}
const char *cari_result_title(cari_cursor *c) {
  return c ? qry_field(c->q, 1) : NULL;
}
const char *cari_result_url(cari_cursor *c) {
  return c ? qry_field(c->q, 2) : NULL;
}
const char *cari_result_date(cari_cursor *c) {
  return c ? qry_field(c->q, 3) : NULL;
}
const char *cari_result_snippet(cari_cursor *c) {
  return c ? qry_field(c->q, 4) : NULL;
}
const char *cari_result_author(cari_cursor *c) {
  return c ? qry_field(c->q, 5) : NULL;
}
double cari_result_score(cari_cursor *c) { return c ? qry_score(c->q) : 0.0; }

int cari_cursor_total(cari_cursor *c, long long *total) {
  if (total) *total = -1;
  if (!c || !total) return CARI_INVALID;
  qry_budget B;
  qry_budget_begin(&B, c->db->conn, c->max_ms);
  int rc = qry_total(c->q, total, c->db->err, sizeof c->db->err);
  rc = budget_rc(c->db, &B, rc, c->max_ms, "counting the matches");
  if (rc != CARI_OK) *total = -1;
  return rc;
}

const char *cari_cursor_note(cari_cursor *c) { return c ? c->note : NULL; }

const char *cari_cursor_expr(cari_cursor *c) {
  return c ? qry_expr(c->q) : NULL;
}

int cari_result_ntags(cari_cursor *c) {
  const char *const *t;
  return c ? qry_tags(c->q, &t) : 0;
}

const char *cari_result_tag(cari_cursor *c, int i) {
  const char *const *t;
  int n = c ? qry_tags(c->q, &t) : 0;
  return i >= 0 && i < n ? t[i] : NULL;
}

int cari_cursor_facet(cari_cursor *c, const char *facet, int i,
                      const char **value, long long *count) {
  if (value) *value = NULL;
  if (count) *count = 0;
  if (!c || !facet || !value || !count) return CARI_INVALID;
  int f = strcmp(facet, "tags") == 0 ? 0 : strcmp(facet, "year") == 0 ? 1 : -1;
  if (f < 0)
    return set_err(c->db, CARI_INVALID, "no facet '%.40s' (tags, year)",
                   facet);
  if (!c->facets)
    return set_err(c->db, CARI_INVALID, "the search was made without "
                   "CARI_SEARCH_FACETS");
  const qry_facets *fc;
  qry_budget B;
  qry_budget_begin(&B, c->db->conn, c->max_ms);
  int rc = qry_facets_get(c->q, c->facet_limit, &fc, c->db->err,
                          sizeof c->db->err);
  rc = budget_rc(c->db, &B, rc, c->max_ms, "counting the facets");
  if (rc) return rc;
  if (i < 0 || i >= fc->f[f].n) return CARI_DONE;
  *value = fc->f[f].value[i];
  *count = fc->f[f].count[i];
  return CARI_ROW;
}

void cari_cursor_free(cari_cursor *c) {
  if (!c) return;
  qry_cursor_free(c->q);
  qry_filter_free(c->filter);
  qry_plan_free(c->plan);
  cari_free(c->note);
  cari_free(c->dym);
  c->db->ncursors--;
  snapshot_end(c->db);
  cari_free(c);
}

int cari_suggest(cari_db *db, const char *text, int len, int limit,
                 cari_suggestion **out, int *n) {
  if (out) *out = NULL;
  if (n) *n = 0;
  int rc = ready(db);
  if (rc) return rc;
  if (!text || !out || !n)
    return set_err(db, CARI_INVALID, "no text or no place for the result");
  if (len < 0) len = (int)strlen(text);
  /* Inside a batch: its counts so far first. */
  if (db->in_batch &&
      (rc = wrote(db, idx_vocab_flush(db->vocab, db->err, sizeof db->err))))
    return rc;
  return qry_suggest(db->conn, db->tok, text, len, limit, out, n, db->err,
                     sizeof db->err);
}

void cari_suggestions_free(cari_suggestion *s) { cari_free(s); }

/* The article's title and body, and the number of articles. */
static int related_article(cari_db *db, const char *id, char **title,
                           char **body, long long *doc, long long *nrow) {
  sqlite3_stmt *st;
  int x = sqlite3_prepare_v2(db->conn, "SELECT title, body, doc FROM "
                             IDX_TABLE " WHERE id = ?1", -1, &st, NULL);
  if (x != SQLITE_OK) return sql_rc(db, x, "cannot read the article");
  sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
  int rc = CARI_OK;
  if ((x = sqlite3_step(st)) == SQLITE_ROW) {
    const char *t = (const char *)sqlite3_column_text(st, 0);
    const char *b = (const char *)sqlite3_column_text(st, 1);
    *doc = sqlite3_column_int64(st, 2);
    *title = cari_strdup(t ? t : "");
    *body = cari_strdup(b ? b : "");
    if (!*title || !*body) rc = set_err(db, CARI_NOMEM, "out of memory");
  } else if (x == SQLITE_DONE) {
    rc = set_err(db, CARI_NOTFOUND, "no article with id '%.200s'", id);
  } else {
    rc = sql_rc(db, x, "cannot read the article");
  }
  sqlite3_finalize(st);
  /* The number of articles as the ranking counts it (FTS5's own record,
  ** not a count of the table). */
  if (rc == CARI_OK && (x = qry_nrow(db->conn, nrow)) != SQLITE_OK)
    rc = sql_rc(db, x, "cannot count the articles");
  return rc;
}

int cari_related(cari_db *db, const char *id, const cari_search_opts *opts,
                 cari_cursor **out) {
  if (out) *out = NULL;
  int rc = ready(db);
  if (rc) return rc;
  if (!id || !out) return set_err(db, CARI_INVALID, "no article id given");
  cari_search_opts so;
  if ((rc = search_opts(db, opts, &so))) return rc;
  opts = &so;
  cari_cursor *c;
  if ((rc = cursor_begin(db, opts, &c))) return rc;
  qry_ranking rank;
  char *title = NULL, *body = NULL;
  long long doc = -1, nrow = 0;
  rc = qry_ranking_parse(opts->ranking, &rank, db->err, sizeof db->err);
  rank.index_surface = idx_store_surface(db->store);
  rank.index_informal = strcmp(idx_store_stemmer(db->store), "cari") == 0;
  /* Many words, none required to be near another: proximity would only
  ** send most candidates to FTS5 one by one. */
  rank.prox = rank.prox_question = 0;
  if (rc == CARI_OK) rc = searcher(db);
  if (rc == CARI_OK)
    rc = related_article(db, id, &title, &body, &doc, &nrow);
  if (rc == CARI_OK)
    rc = qry_related_plan(db->conn, db->an, title, body, nrow, &c->plan,
                          db->err, sizeof db->err);
  cari_free(title);
  cari_free(body);
  /* One more than asked: the article itself is among the best. */
  cari_search_opts o = *opts;
  o.limit = (opts->limit > 0 ? opts->limit : 10) +
            (opts->offset > 0 ? opts->offset : 0) + 1;
  o.offset = 0;
  if (rc == CARI_OK) rc = search_expr(db, c, &rank, &o, "");
  if (rc == CARI_OK)
    rc = qry_drop_hit(c->q, doc, opts->offset > 0 ? opts->offset : 0,
                      opts->limit > 0 ? opts->limit : 10);
  return cursor_end(db, c, rc, out);
}

/* ------------------------------------------------------------------ */

struct cari_analyzer {
  idx_analyzer *an; /* NULL on a handle that only carries an error */
  sid_lexicon *lx;  /* owned; the `cari` stemmer's, else NULL */
  cari_token_fn fn;
  void *ctx;
  char err[512];
};

int cari_analyzer_new(const cari_open_opts *opts, cari_analyzer **out) {
  if (!out) return CARI_INVALID;
  cari_analyzer *a = cari_calloc(1, sizeof *a);
  *out = a;
  if (!a) return CARI_NOMEM;
  static const cari_open_opts defaults = CARI_OPEN_OPTS_INIT;
  cari_open_opts o;
  int rc = opts_copy(&o, sizeof o, opts ? opts : &defaults, OPEN_OPTS_V1,
                     "CARI_OPEN_OPTS_INIT", a->err, sizeof a->err);
  if (rc) return rc;
  const char *stemmer = o.stemmer ? o.stemmer : IDX_DEFAULT_STEMMER;
  if (!idx_stemmer_known(stemmer)) {
    snprintf(a->err, sizeof a->err,
             "unknown stemmer '%s' (known: cari, snowball, none)", stemmer);
    return CARI_INVALID;
  }
  if (idx_stemmer_lexical(stemmer)) {
    idx_lexicon_paths paths = {o.dic, o.roots, o.exceptions};
    if (!(a->lx = idx_lexicon_load(&paths, a->err, sizeof a->err)))
      return idx_lexicon_rc(a->err);
  }
  if (!(a->an = idx_analyzer_new(stemmer, a->lx, a->err, sizeof a->err)))
    return CARI_NOMEM;
  return CARI_OK;
}

const char *cari_analyzer_errmsg(cari_analyzer *a) {
  return a ? a->err : "no analyzer handle (out of memory)";
}

void cari_analyzer_free(cari_analyzer *a) {
  if (!a) return;
  idx_analyzer_free(a->an);
  sid_lexicon_free(a->lx);
  cari_free(a);
}

static int analyze_cb(void *ctx, const char *term, int n, int start, int end,
                      int colocated) {
  (void)colocated; /* cari_analyze never asks for surface forms */
  cari_analyzer *a = ctx;
  return a->fn(a->ctx, term, n, start, end) ? 1 : 0;
}

int cari_analyze(cari_analyzer *a, const char *text, int len, cari_token_fn fn,
                 void *ctx) {
  if (!a) return CARI_INVALID;
  a->err[0] = 0;
  if (!a->an) {
    snprintf(a->err, sizeof a->err, "the analyzer was not created");
    return CARI_INVALID;
  }
  if (!text || !fn) {
    snprintf(a->err, sizeof a->err, "no %s given", !text ? "text" : "callback");
    return CARI_INVALID;
  }
  if (len < 0) len = (int)strlen(text);
  a->fn = fn;
  a->ctx = ctx;
  int rc = idx_analyze(a->an, text, len, 0, analyze_cb, a);
  if (rc) snprintf(a->err, sizeof a->err, "%s", rc < 0 ? "out of memory"
                                                       : "the callback stopped");
  return rc < 0 ? CARI_NOMEM : rc > 0 ? CARI_ERROR : CARI_OK;
}

const char *const *cari_stemmers(void) { return idx_stemmer_names(); }
