/*
** store.c — the article schema and every write to it: create or check the
** schema, put (add or replace), remove, count, integrity check, merging
** the full-text index's segments.
** It does not search (query/ does) and does not read files (corpus/ does).
**
** THE SCHEMA (version 1)
**
**   cari_meta(key PRIMARY KEY, value)          what built this database
**     schema_version    "1"
**     analyzer_version  IDX_ANALYZER_VERSION when the index was built
**     stemmer           the stemmer name ("snowball", "none")
**     surface           "1" when surface forms are indexed beside stems
**     lexicon           the `cari` stemmer's lexicon checksum (stemmer cari)
**
**   articles(doc INTEGER PRIMARY KEY,          FTS5 rowid (no AUTOINCREMENT:
**                                              the doc of a removed last
**                                              article may come back)
**            id TEXT UNIQUE NOT NULL,           the caller's id
**            title, body TEXT NOT NULL,         indexed
**            url, date TEXT,                    stored only
**            tags TEXT,                         a JSON array, stored only
**            author TEXT)                       stored only (issue 14)
**     `author` came after the first databases: a writer's open adds the
**     column to a database without it (ALTER TABLE ADD COLUMN, NULL for
**     the articles already there), so schema version 1 covers both; a
**     read-only open of such a database writes nothing and its searches
**     show no authors (query/search.c asks for the column only if there).
**     Authors are not in the full-text index: adding an FTS5 column would
**     mean re-indexing every existing database (README, "Authors").
**
**   articles_fts USING fts5(title, body, content='articles',
**                content_rowid='doc',
**                tokenize='indonesian stemmer NAME [surface]')
**     An external-content index: the text lives once, in `articles`.
**
** Triggers of this file: articles_ai, articles_ad, articles_au (below).
**
** TABLES, TRIGGERS AND KEYS OTHER FILES ADD (each explained where it lives)
**
**   indexer/postings.c  the top-k postings: cari_postings(id, term, …),
**                       cari_doclen(chunk, data), cari_words(word, term),
**                       cari_stale(doc, …) with the triggers cari_topk_ai,
**                       cari_topk_ad, cari_topk_au; while a build runs,
**                       cari_new_postings, cari_new_doclen, cari_new_words;
**                       cari_meta keys topk_version, topk_build,
**                       topk_max_doc, topk_avg_title, topk_avg_body,
**                       topk_k1, topk_b_title, topk_b_body, topk_gen,
**                       topk_watch.
**   indexer/meta.c      dates, tags, vocabulary: cari_dates(doc, sec, day),
**                       cari_tags(tag, doc, shown) and its index
**                       cari_tags_doc, cari_vocab(word, n), with the
**                       triggers cari_meta_ai, cari_meta_ad, cari_meta_au,
**                       cari_vocab_au.
**   indexer/postings_check.c  reads FTS5's own vocabulary through the
**                       temporary fts5vocab table temp.cari_check_vocab it
**                       creates when `cari check` runs (nothing on disk).
**
** Keeping the two in sync lives in one place: the three triggers below.
** Whoever writes `articles` — this file, or an embedder's own SQL on a
** connection with the tokenizer registered — updates the index in the same
** statement, so they cannot drift apart. An update that leaves title and
** body alone (say, a new url) does not touch the index.
**
** The recorded stemmer is authoritative: the FTS5 table names it in its
** tokenize= argument, and cari_meta names it for the checks at open. An
** analyzer version other than this build's means the terms on disk may not
** be what this build makes of a query: open refuses with CARI_MISMATCH.
*/
#include "indexer.h"
#include "cari.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SCHEMA_VERSION 1
#define MAX_ID 1024

struct idx_store {
  sqlite3 *db;
  char stemmer[32];
  int surface;
  sqlite3_stmt *put, *del, *count;
};

static const char schema_sql[] =
    "CREATE TABLE cari_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)"
    " WITHOUT ROWID;"
    "CREATE TABLE articles("
    " doc INTEGER PRIMARY KEY,"
    " id TEXT NOT NULL UNIQUE,"
    " title TEXT NOT NULL DEFAULT '',"
    " body TEXT NOT NULL DEFAULT '',"
    " url TEXT, date TEXT, tags TEXT, author TEXT);"
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
    "  VALUES (new.doc, new.title, new.body); END;";

/* x: the failing call's SQLite code (sqlerr.c). */
static int sql_fail(sqlite3 *db, int x, const char *what, char *err,
                    size_t errcap) {
  return idx_sql_fail(db, x, what, err, errcap);
}

/* The value of cari_meta[key] into buf ("" if absent); SQLite rc. */
static int meta_get(sqlite3 *db, const char *key, char *buf, size_t cap) {
  sqlite3_stmt *st;
  buf[0] = 0;
  int rc = sqlite3_prepare_v2(db, "SELECT value FROM cari_meta WHERE key=?",
                              -1, &st, NULL);
  if (rc != SQLITE_OK) return rc;
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step(st) == SQLITE_ROW) {
    const char *v = (const char *)sqlite3_column_text(st, 0);
    if (!v) { /* NOT NULL text: only out of memory gives NULL */
      sqlite3_finalize(st);
      return SQLITE_NOMEM;
    }
    snprintf(buf, cap, "%s", v);
  }
  return sqlite3_finalize(st); /* the step's error, if it failed */
}

static int table_count(sqlite3 *db, const char *where, long long *n) {
  char sql[256];
  snprintf(sql, sizeof sql, "SELECT count(*) FROM sqlite_master WHERE %s",
           where);
  return idx_sql_int(db, sql, n);
}

static int create_schema(sqlite3 *db, const char *stemmer, int surface,
                         const char *lexicon, char *err, size_t errcap) {
  char *sql = sqlite3_mprintf(
      "BEGIN; %s"
      "CREATE VIRTUAL TABLE articles_fts USING fts5(title, body,"
      " content='articles', content_rowid='doc',"
      " tokenize='indonesian stemmer %s%s');"
      "INSERT INTO cari_meta VALUES ('schema_version', '%d'),"
      " ('analyzer_version', '%d'), ('stemmer', %Q), ('surface', '%d'),"
      " ('lexicon', %Q);"
      "COMMIT;",
      schema_sql, stemmer, surface ? " surface" : "", SCHEMA_VERSION,
      IDX_ANALYZER_VERSION, stemmer, surface, lexicon ? lexicon : "");
  if (!sql) {
    snprintf(err, errcap, "out of memory");
    return CARI_NOMEM;
  }
  int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
  sqlite3_free(sql);
  if (rc != SQLITE_OK) {
    int crc = sql_fail(db, rc, "cannot create the cari schema", err, errcap);
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return crc;
  }
  return CARI_OK;
}

/* Check an existing database was built the way this build analyzes. */
static int check_schema(sqlite3 *db, const char *want, int want_surface,
                        char *got, size_t gotcap, int *surface, char *err,
                        size_t errcap) {
  char ver[32], aver[32], surf[8];
  int x;
  if ((x = meta_get(db, "schema_version", ver, sizeof ver)) != SQLITE_OK ||
      (x = meta_get(db, "analyzer_version", aver, sizeof aver)) != SQLITE_OK ||
      (x = meta_get(db, "stemmer", got, gotcap)) != SQLITE_OK ||
      (x = meta_get(db, "surface", surf, sizeof surf)) != SQLITE_OK)
    return sql_fail(db, x, "cannot read cari_meta", err, errcap);
  *surface = atoi(surf) == 1;
  if (atoi(ver) != SCHEMA_VERSION) {
    snprintf(err, errcap,
             "database has schema version %s; this build reads version %d",
             ver[0] ? ver : "(none)", SCHEMA_VERSION);
    return CARI_MISMATCH;
  }
  if (!idx_stemmer_known(got)) {
    snprintf(err, errcap,
             "database was indexed with stemmer '%s', which this build does "
             "not have",
             got);
    return CARI_MISMATCH;
  }
  if (atoi(aver) != IDX_ANALYZER_VERSION) {
    snprintf(err, errcap,
             "database was indexed by analyzer version %s; this build has "
             "version %d: index the articles again into a new database",
             aver, IDX_ANALYZER_VERSION);
    return CARI_MISMATCH;
  }
  if (want && strcmp(want, got) != 0) {
    snprintf(err, errcap,
             "database is indexed with stemmer '%s', not '%s': use another "
             "database file for '%s', or leave the stemmer out",
             got, want, want);
    return CARI_MISMATCH;
  }
  if (want_surface >= 0 && want_surface != *surface) {
    snprintf(err, errcap,
             "database is indexed %s surface forms; asked for %s: use another "
             "database file",
             *surface ? "with" : "without", want_surface ? "with" : "without");
    return CARI_MISMATCH;
  }
  return CARI_OK;
}

static int prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st) {
  return sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL);
}

/* The checksum of the lexicon the stemmer uses ("" if it uses none), or NULL
** with err set when it cannot be loaded. */
static const char *lexicon_sum(idx_fts5_global *g, const char *stemmer,
                               char *err, size_t errcap) {
  if (!idx_stemmer_lexical(stemmer)) return "";
  const sid_lexicon *lx = g ? idx_fts5_lexicon(g, err, errcap) : NULL;
  if (!g) snprintf(err, errcap, "no tokenizer registration to load from");
  return lx ? sid_lexicon_checksum(lx) : NULL;
}

int idx_store_open(sqlite3 *db, idx_fts5_global *g, const char *stemmer,
                   int surface, int readonly, idx_store **out, char *err,
                   size_t errcap) {
  long long nmeta = 0, nall = 0;
  char got[32];
  int rc, has_surface = 0, x;
  *out = NULL;
  if (stemmer && !idx_stemmer_known(stemmer)) {
    snprintf(err, errcap, "unknown stemmer '%s' (known: cari, snowball, none)",
             stemmer);
    return CARI_INVALID;
  }
  if ((x = table_count(db, "name='cari_meta'", &nmeta)) != SQLITE_OK ||
      (x = table_count(db, "1", &nall)) != SQLITE_OK)
    return sql_fail(db, x, "cannot read the database", err, errcap);
  if (nmeta == 0) {
    if (nall > 0) {
      snprintf(err, errcap, "not a cari database (it has other tables)");
      return CARI_MISMATCH;
    }
    if (readonly) {
      snprintf(err, errcap, "no cari database here (empty file)");
      return CARI_NOTFOUND;
    }
    snprintf(got, sizeof got, "%s", stemmer ? stemmer : IDX_DEFAULT_STEMMER);
    has_surface = surface < 0 ? IDX_DEFAULT_SURFACE : surface;
    const char *sum = lexicon_sum(g, got, err, errcap);
    rc = sum ? create_schema(db, got, has_surface, sum, err, errcap)
             : idx_lexicon_rc(err);
  } else {
    rc = check_schema(db, stemmer, surface, got, sizeof got, &has_surface,
                      err, errcap);
    if (rc == CARI_OK) { /* the lexicon must be the one that built it */
      char rec[40];
      const char *sum = lexicon_sum(g, got, err, errcap);
      if (!sum) rc = idx_lexicon_rc(err);
      else if ((x = meta_get(db, "lexicon", rec, sizeof rec)) != SQLITE_OK)
        rc = sql_fail(db, x, "cannot read cari_meta", err, errcap);
      else if (strcmp(rec, sum) != 0) {
        snprintf(err, errcap,
                 "database was indexed with another lexicon of the cari "
                 "stemmer (checksum %s, now %s): index the articles again "
                 "into a new database",
                 rec[0] ? rec : "none", sum);
        rc = CARI_MISMATCH;
      }
    }
  }
  if (rc != CARI_OK) return rc;
  long long has_author = 0;
  if ((x = idx_sql_int(db, "SELECT count(*) FROM pragma_table_info("
                       "'articles') WHERE name='author'", &has_author)) !=
      SQLITE_OK)
    return sql_fail(db, x, "cannot read the schema", err, errcap);
  if (!has_author && !readonly) {
    if ((x = sqlite3_exec(db, "ALTER TABLE articles ADD COLUMN author TEXT",
                          NULL, NULL, NULL)) != SQLITE_OK)
      return sql_fail(db, x, "cannot add the author column", err, errcap);
    has_author = 1;
  }

  idx_store *s = cari_calloc(1, sizeof *s);
  if (!s) {
    snprintf(err, errcap, "out of memory");
    return CARI_NOMEM;
  }
  s->db = db;
  s->surface = has_surface;
  snprintf(s->stemmer, sizeof s->stemmer, "%s", got);
  /* A read-only handle never runs put: without the column, it prepares
  ** the statement without it. */
  if ((x = prepare(db,
                   has_author
                       ? "INSERT INTO articles(id, title, body, url, date,"
                         " tags, author) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                         " ON CONFLICT(id) DO UPDATE SET title=excluded.title,"
                         " body=excluded.body, url=excluded.url,"
                         " date=excluded.date, tags=excluded.tags,"
                         " author=excluded.author"
                       : "INSERT INTO articles(id, title, body, url, date,"
                         " tags) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON"
                         " CONFLICT(id) DO UPDATE SET title=excluded.title,"
                         " body=excluded.body, url=excluded.url,"
                         " date=excluded.date, tags=excluded.tags",
                   &s->put)) != SQLITE_OK ||
      (x = prepare(db, "DELETE FROM articles WHERE id=?1", &s->del)) !=
          SQLITE_OK ||
      (x = prepare(db, "SELECT count(*) FROM articles", &s->count)) !=
          SQLITE_OK) {
    rc = sql_fail(db, x, "cannot prepare statements", err, errcap);
    idx_store_close(s);
    return rc;
  }
  *out = s;
  return CARI_OK;
}

void idx_store_close(idx_store *s) {
  if (!s) return;
  sqlite3_finalize(s->put);
  sqlite3_finalize(s->del);
  sqlite3_finalize(s->count);
  cari_free(s);
}

const char *idx_store_stemmer(const idx_store *s) { return s->stemmer; }
int idx_store_surface(const idx_store *s) { return s->surface; }

static int check_text(const idx_article *a, const char *field, const char *v,
                      char *err, size_t errcap) {
  size_t bad;
  if (v && !idx_utf8_valid(v, strlen(v), &bad)) {
    snprintf(err, errcap, "%s%sarticle '%.100s': %s is not valid UTF-8 "
             "(byte %zu)", a->source ? a->source : "",
             a->source ? ": " : "", a->id, field, bad);
    return CARI_INVALID;
  }
  return CARI_OK;
}

/* The tags as a JSON array text (jansson's: the caller frees it with
** cari_free_foreign()), or NULL if none. *rc is set to CARI_NOMEM on
** failure. */
static char *tags_json(const idx_article *a, int *rc) {
  *rc = CARI_OK;
  if (!a->tags || a->ntags == 0) return NULL;
  json_t *arr = json_array();
  if (!arr) goto nomem;
  for (size_t i = 0; i < a->ntags; i++)
    if (a->tags[i] && json_array_append_new(arr, json_string(a->tags[i]))) {
      json_decref(arr);
      goto nomem;
    }
  char *s = json_dumps(arr, JSON_COMPACT | JSON_ENSURE_ASCII);
  json_decref(arr);
  if (!s) goto nomem;
  return s;
nomem:
  *rc = CARI_NOMEM;
  return NULL;
}

int idx_store_put(idx_store *s, const idx_article *a, char *err,
                  size_t errcap) {
  const char *src = a->source ? a->source : "";
  const char *sep = a->source ? ": " : "";
  if (!a->id || !a->id[0]) {
    snprintf(err, errcap, "%s%sarticle has no id", src, sep);
    return CARI_INVALID;
  }
  if (strlen(a->id) > MAX_ID) {
    snprintf(err, errcap, "%s%sarticle id is longer than %d bytes", src, sep,
             MAX_ID);
    return CARI_INVALID;
  }
  int rc;
  if ((rc = check_text(a, "id", a->id, err, errcap)) ||
      (rc = check_text(a, "title", a->title, err, errcap)) ||
      (rc = check_text(a, "body", a->body, err, errcap)) ||
      (rc = check_text(a, "url", a->url, err, errcap)) ||
      (rc = check_text(a, "date", a->date, err, errcap)) ||
      (rc = check_text(a, "author", a->author, err, errcap)))
    return rc;
  for (size_t i = 0; i < a->ntags; i++)
    if ((rc = check_text(a, "a tag", a->tags[i], err, errcap))) return rc;
  char *tags = tags_json(a, &rc);
  if (rc) {
    snprintf(err, errcap, "out of memory");
    return rc;
  }
  sqlite3_stmt *st = s->put;
  sqlite3_bind_text(st, 1, a->id, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, a->title ? a->title : "", -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, a->body ? a->body : "", -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 4, a->url, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 5, a->date, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 6, tags, -1, SQLITE_STATIC);
  if (sqlite3_bind_parameter_count(st) >= 7)
    sqlite3_bind_text(st, 7, a->author && a->author[0] ? a->author : NULL,
                      -1, SQLITE_STATIC);
  int x = sqlite3_step(st);
  rc = CARI_OK;
  if (x != SQLITE_DONE) {
    char what[160];
    snprintf(what, sizeof what, "%s%scannot store article '%.100s'", src, sep,
             a->id);
    rc = sql_fail(s->db, x, what, err, errcap);
  }
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  cari_free_foreign(tags);
  return rc;
}

int idx_store_remove(idx_store *s, const char *id, char *err, size_t errcap) {
  sqlite3_stmt *st = s->del;
  sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
  int x = sqlite3_step(st), rc = CARI_OK;
  if (x != SQLITE_DONE)
    rc = sql_fail(s->db, x, "cannot remove the article", err, errcap);
  else if (sqlite3_changes(s->db) == 0) {
    snprintf(err, errcap, "no article with id '%.200s'", id);
    rc = CARI_NOTFOUND;
  }
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  return rc;
}

long long idx_store_count(idx_store *s) {
  long long n = -1;
  if (sqlite3_step(s->count) == SQLITE_ROW) n = sqlite3_column_int64(s->count, 0);
  sqlite3_reset(s->count);
  return n;
}

static int exec(idx_store *s, const char *sql, const char *what, char *err,
                size_t errcap) {
  int x = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
  if (x == SQLITE_OK) return CARI_OK;
  return sql_fail(s->db, x, what, err, errcap);
}

int idx_store_check(idx_store *s, char *err, size_t errcap) {
  sqlite3_stmt *st;
  int x = sqlite3_prepare_v2(s->db, "PRAGMA quick_check", -1, &st, NULL);
  if (x != SQLITE_OK) return sql_fail(s->db, x, "integrity check", err, errcap);
  int rc = CARI_OK;
  if ((x = sqlite3_step(st)) == SQLITE_ROW) {
    const char *r = (const char *)sqlite3_column_text(st, 0);
    if (!r) /* the text is there: only out of memory gives NULL */
      rc = sql_fail(s->db, SQLITE_NOMEM, "integrity check", err, errcap);
    else if (strcmp(r, "ok") != 0) {
      /* Out of memory inside the check is reported by SQLite 3.40 as a
      ** finding ("Page 9: unable to get the page. error code=7", 7 being
      ** SQLITE_NOMEM), or as the header alone: that is no damage. */
      const char *nl = strchr(r, '\n'), *c7 = strstr(r, "error code=7");
      if ((c7 && (c7[12] == 0 || c7[12] == '\n')) ||
          (!strncmp(r, "*** in database", 15) && (!nl || !nl[1])))
        rc = sql_fail(s->db, SQLITE_NOMEM, "integrity check", err, errcap);
      else {
        snprintf(err, errcap, "database file is damaged: %s", r);
        rc = CARI_CORRUPT;
      }
    }
  } else {
    rc = sql_fail(s->db, x, "integrity check", err, errcap);
  }
  sqlite3_finalize(st);
  if (rc) return rc;
  /* FTS5 runs its own check as an INSERT, which a read-only connection
  ** may not do: there the file's b-trees and the postings (topk.c) are
  ** checked, and the caller says what was skipped (cari.h). */
  if (sqlite3_db_readonly(s->db, "main") == 1) return CARI_OK;
  /* rank=1 also compares the index with the text in `articles`. */
  x = sqlite3_exec(s->db,
                   "INSERT INTO articles_fts(articles_fts, rank)"
                   " VALUES ('integrity-check', 1)",
                   NULL, NULL, NULL);
  if (x == SQLITE_OK) return CARI_OK;
  /* FTS5 reports a disagreement as SQLITE_CORRUPT (or a plain error);
  ** out of memory and I/O errors say nothing about the index. */
  rc = idx_sql_rc(x);
  if (rc != CARI_ERROR && rc != CARI_CORRUPT)
    return sql_fail(s->db, x, "full-text index check", err, errcap);
  sql_fail(s->db, x, "full-text index disagrees with the articles", err,
           errcap);
  return CARI_CORRUPT;
}

/* Pages of merged output per merge step: each step is one write
** transaction of a few tens of milliseconds (bench/README.md, optlock). */
#define MERGE_PAGES 200

/* FTS5's 'merge' with a negative page count first puts every segment on one
** level, then merges them a step at a time, carrying on from where the last
** step stopped (its state lives in the index's structure record). A step
** that found nothing to merge changes fewer than two rows (FTS5's
** documentation: compare sqlite3_total_changes before and after). */
int idx_store_merge(idx_store *s, const idx_hook *hook, char *err,
                    size_t errcap) {
  sqlite3_stmt *st;
  long long pages = 0;
  if (!sqlite3_get_autocommit(s->db)) {
    snprintf(err, errcap, "cannot merge the full-text index inside a "
             "transaction (a batch is open): commit it first");
    return CARI_INVALID;
  }
  int x = sqlite3_prepare_v2(s->db, "SELECT count(*) FROM " IDX_FTS "_data",
                             -1, &st, NULL);
  if (x != SQLITE_OK)
    return sql_fail(s->db, x, "cannot size the full-text index", err, errcap);
  if ((x = sqlite3_step(st)) == SQLITE_ROW) pages = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  if (x != SQLITE_ROW)
    return sql_fail(s->db, x, "cannot size the full-text index", err, errcap);
  char sql[120];
  snprintf(sql, sizeof sql,
           "INSERT INTO " IDX_FTS "(" IDX_FTS ", rank) VALUES ('merge', %d)",
           -MERGE_PAGES);
  /* A budget of three times the index, so that writers adding segments
  ** all along cannot keep it going for ever. */
  long long steps = 3 * pages / MERGE_PAGES + 8;
  for (long long i = 0; i < steps; i++) {
    /* The first step puts every segment on one level and starts merging
    ** it; the next ones (positive) carry on with that merge, which FTS5
    ** picks before any level writers added to meanwhile (a negative count
    ** would put those on one level again and start over). */
    if (i == 1)
      snprintf(sql, sizeof sql,
               "INSERT INTO " IDX_FTS "(" IDX_FTS ", rank)"
               " VALUES ('merge', %d)", MERGE_PAGES);
    double t0 = idx_now_ms();
    int rc = exec(s, "BEGIN IMMEDIATE", "cannot merge the full-text index",
                  err, errcap);
    if (rc) return rc;
    long long before = sqlite3_total_changes64(s->db);
    if ((rc = exec(s, sql, "cannot merge the full-text index", err,
                   errcap)) == CARI_OK)
      rc = exec(s, "COMMIT", "cannot merge the full-text index", err, errcap);
    if (rc) {
      if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
      return rc;
    }
    if (sqlite3_total_changes64(s->db) - before < 2) break;
    if (hook && hook->fn) hook->fn(hook->ctx, IDX_PHASE_MERGE);
    idx_pause_after(t0);
  }
  return CARI_OK;
}

double idx_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* A writer waiting in SQLite's busy handler polls the lock every 100 ms at
** worst and does not queue: a loop that takes the lock again at once can
** starve it. Leaving the lock free as long as it was just held (up to
** 100 ms) lets it in, for at most twice the time. */
void idx_pause_after(double t0) {
  double held = idx_now_ms() - t0;
  sqlite3_sleep(held < 1 ? 1 : held > 100 ? 100 : (int)held);
}
