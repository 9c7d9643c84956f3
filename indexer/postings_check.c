/*
** postings_check.c — the consistency check of the top-k postings
** (postings.c's format) against FTS5's own index: every term's number of
** articles (fts5vocab) and every article's field lengths (FTS5's docsize
** table). Run by cari_check(). It does not repair anything (cari_optimize
** rebuilds the tables) and says nothing when the postings are behind the
** index (articles added, replaced or removed since the build): there is
** nothing exact to compare then.
*/
#include "indexer.h"
#include "cari.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WHAT "cannot check the top-k postings"

/* The build's last article into *max_doc, or -1 when the postings do not
** describe the index as it is (none, another version, changes since). */
static int checkable(sqlite3 *db, long long *max_doc, char *err,
                     size_t errcap) {
  long long nkey = 0, version = 0, nstale = 0, last = 0;
  *max_doc = -1;
  int x = idx_sql_int(db,
                      "SELECT count(*) FROM cari_meta WHERE key IN"
                      " ('topk_version','topk_max_doc','topk_avg_title',"
                      "'topk_avg_body','topk_k1','topk_b_title',"
                      "'topk_b_body','topk_build')",
                      &nkey);
  if (x == SQLITE_OK)
    x = idx_sql_int(db,
                    "SELECT value FROM cari_meta WHERE key = 'topk_version'",
                    &version);
  long long md = -1;
  if (x == SQLITE_OK)
    x = idx_sql_int(db,
                    "SELECT value FROM cari_meta WHERE key = 'topk_max_doc'",
                    &md);
  if (x != SQLITE_OK) return idx_sql_fail(db, x, WHAT, err, errcap);
  if (nkey != 8 || version != IDX_TOPK_VERSION || md < 0 ||
      md > ((long long)1 << 32))
    return CARI_OK;
  char sql[120];
  snprintf(sql, sizeof sql,
           "SELECT count(*) FROM cari_stale WHERE doc <= %lld", md);
  x = idx_sql_int(db, sql, &nstale);
  if (x == SQLITE_OK)
    x = idx_sql_int(db, "SELECT max(doc) FROM " IDX_TABLE, &last);
  if (x != SQLITE_OK) return idx_sql_fail(db, x, WHAT, err, errcap);
  if (nstale == 0 && last <= md) *max_doc = md;
  return CARI_OK;
}

/* Field lengths, from FTS5's own docsize table: per row a blob of
** SQLite-format varints, one per column (FTS5's file format; its
** xColumnSize is not filled in a full-table scan). *bad_doc is the first
** article whose lengths differ, or stays -1. */
static int check_lengths(sqlite3 *db, long long max_doc, long long *bad_doc,
                         char *err, size_t errcap) {
  unsigned *len = NULL;
  int rc = idx_doclen_read(db, max_doc, &len, err, errcap);
  if (rc) return rc;
  sqlite3_stmt *st;
  int x = sqlite3_prepare_v2(db, "SELECT id, sz FROM " IDX_FTS "_docsize",
                             -1, &st, NULL);
  if (x != SQLITE_OK) {
    cari_free(len);
    return idx_sql_fail(db, x, WHAT, err, errcap);
  }
  while ((x = sqlite3_step(st)) == SQLITE_ROW) {
    long long d = sqlite3_column_int64(st, 0);
    const unsigned char *p = sqlite3_column_blob(st, 1);
    int np = sqlite3_column_bytes(st, 1), at = 0;
    unsigned v[2] = {0, 0};
    for (int f = 0; f < 2; f++) {
      unsigned u = 0;
      int k = 0;
      while (at < np && k < 4) { /* big-endian 7-bit groups, high bit: more */
        unsigned char c = p[at++];
        u = u << 7 | (c & 0x7f);
        k++;
        if (!(c & 0x80)) break;
      }
      v[f] = u;
    }
    if (d < 0 || d > max_doc || len[d * 2] != v[0] || len[d * 2 + 1] != v[1]) {
      *bad_doc = d;
      break;
    }
  }
  if (*bad_doc < 0 && x != SQLITE_DONE)
    rc = idx_sql_fail(db, x, WHAT, err, errcap);
  sqlite3_finalize(st);
  cari_free(len);
  return rc;
}

/* Articles per term, in term order on both sides: *why says what differs
** at term (cap bytes), or stays NULL. */
static int compare_terms(sqlite3 *db, sqlite3_stmt *vs, sqlite3_stmt *st,
                         const char **why, char *term, size_t cap,
                         char *err, size_t errcap) {
  for (;;) {
    int a = sqlite3_step(vs), b = sqlite3_step(st);
    if (a == SQLITE_DONE && b == SQLITE_DONE) return CARI_OK;
    if (a != SQLITE_ROW && a != SQLITE_DONE)
      return idx_sql_fail(db, a, WHAT, err, errcap);
    if (b != SQLITE_ROW && b != SQLITE_DONE)
      return idx_sql_fail(db, b, WHAT, err, errcap);
    if (a != SQLITE_ROW || b != SQLITE_ROW) {
      *why = a == SQLITE_ROW ? "a term of the index has no postings"
                             : "postings of a term the index does not have";
      const char *tt =
          (const char *)sqlite3_column_text(a == SQLITE_ROW ? vs : st, 0);
      snprintf(term, cap, "%s", tt ? tt : "");
      return CARI_OK;
    }
    const char *ta = (const char *)sqlite3_column_text(vs, 0);
    const char *tb = (const char *)sqlite3_column_text(st, 0);
    if (!ta || !tb) /* terms are never NULL: out of memory */
      return idx_sql_fail(db, SQLITE_NOMEM, WHAT, err, errcap);
    snprintf(term, cap, "%s", ta);
    if (strcmp(ta, tb) != 0) {
      *why = "the terms differ";
      return CARI_OK;
    }
    idx_post_list l;
    int lr = idx_post_list_open(&l, sqlite3_column_blob(st, 1),
                                sqlite3_column_bytes(st, 1));
    if (lr == CARI_NOMEM) {
      snprintf(err, errcap, "out of memory");
      return lr;
    }
    long long n = 0;
    for (int i = 0; lr == CARI_OK && i < l.nblock; i++) n += l.blk[i].count;
    idx_post_list_free(&l);
    if (lr || n != sqlite3_column_int64(vs, 1)) {
      *why = lr ? "a postings list is damaged" : "article counts differ";
      return CARI_OK;
    }
  }
}

static int check_terms(sqlite3 *db, const char **why, char *term, size_t cap,
                       char *err, size_t errcap) {
  sqlite3_stmt *st = NULL, *vs = NULL;
  int rc = CARI_OK, x;
  if ((x = sqlite3_exec(db,
                        "CREATE VIRTUAL TABLE IF NOT EXISTS"
                        " temp.cari_check_vocab USING fts5vocab(main, "
                        IDX_FTS ", row)",
                        NULL, NULL, NULL)) != SQLITE_OK ||
      (x = sqlite3_prepare_v2(db,
                              "SELECT term, doc FROM temp.cari_check_vocab"
                              " ORDER BY term",
                              -1, &vs, NULL)) != SQLITE_OK ||
      (x = sqlite3_prepare_v2(db,
                              "SELECT term, data FROM cari_postings ORDER BY"
                              " term",
                              -1, &st, NULL)) != SQLITE_OK)
    rc = idx_sql_fail(db, x, WHAT, err, errcap);
  else
    rc = compare_terms(db, vs, st, why, term, cap, err, errcap);
  sqlite3_finalize(vs);
  sqlite3_finalize(st);
  sqlite3_exec(db, "DROP TABLE IF EXISTS temp.cari_check_vocab", NULL, NULL,
               NULL);
  return rc;
}

int idx_post_check(sqlite3 *db, char *err, size_t errcap) {
  long long max_doc, bad_doc = -1;
  int rc = checkable(db, &max_doc, err, errcap);
  if (rc || max_doc < 0) return rc;
  const char *why = NULL;
  char term[80] = "";
  rc = check_lengths(db, max_doc, &bad_doc, err, errcap);
  if (rc == CARI_OK && bad_doc >= 0) why = "field lengths differ";
  if (rc == CARI_OK && !why)
    rc = check_terms(db, &why, term, sizeof term, err, errcap);
  if (!rc && why) {
    if (bad_doc >= 0)
      snprintf(err, errcap, "top-k postings disagree with the index: %s for "
               "article row %lld (cari optimize rebuilds them)", why, bad_doc);
    else
      snprintf(err, errcap, "top-k postings disagree with the index: %s at "
               "term '%s' (cari optimize rebuilds them)", why, term);
    rc = CARI_CORRUPT;
  }
  return rc;
}
