/*
** search.c — run an FTS5 expression, ranked, with snippets. The ranking
** function (rank.c's cari_rank, or FTS5's bm25 for comparison) is set per
** query through FTS5's `rank MATCH`; FTS5 sorts by rank itself, so snippet()
** is computed only for the rows returned. It does not parse what people
** type (parse.c does).
*/
#include "query.h"
#include "cari.h"
#include "indexer.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct qry_cursor {
  sqlite3 *db;
  sqlite3_stmt *hits;   /* ranked rowids, scores and snippets */
  sqlite3_stmt *doc;    /* the article's stored fields by rowid */
  char *expr;           /* owned copy of the MATCH expression */
  long long total;      /* -1 until asked */
  int have_doc;
  char *snip;           /* the current snippet on one line; owned */
  size_t snipcap;
};

static int fail(sqlite3 *db, const char *what, char *err, size_t errcap) {
  snprintf(err, errcap, "%s: %s", what, sqlite3_errmsg(db));
  return sqlite3_errcode(db) == SQLITE_NOMEM ? CARI_NOMEM : CARI_ERROR;
}

int qry_open(sqlite3 *db, const char *expr, const qry_opts *o,
             qry_cursor **out, char *err, size_t errcap) {
  *out = NULL;
  qry_cursor *c = calloc(1, sizeof *c);
  if (!c || !(c->expr = strdup(expr))) {
    free(c);
    snprintf(err, errcap, "out of memory");
    return CARI_NOMEM;
  }
  c->db = db;
  c->total = -1;
  int words = o->snippet_words > 0 ? o->snippet_words : 24;
  if (words > 64) words = 64; /* FTS5's own limit */
  qry_ranking def;
  const qry_ranking *r = o->rank;
  if (!r) {
    qry_ranking_default(&def);
    r = &def;
  }
  /* The weights are digits, dots and commas only (parse.c writes them). */
  char *rankfn =
      r->fn == QRY_RANK_BM25
          ? sqlite3_mprintf("bm25(%.17g, %.17g)", r->w_title, r->w_body)
          : sqlite3_mprintf(
                "cari_rank(%.17g, %.17g, %.17g, %.17g, %.17g, %Q, %.17g, %.17g, "
                "%.17g)",
                r->k1, r->b_title, r->b_body, r->w_title, r->w_body,
                o->weights ? o->weights : "",
                o->question ? r->coord_question : r->coord, r->coord_max,
                o->question ? r->prox_question : r->prox);
  if (!rankfn) {
    qry_cursor_free(c);
    snprintf(err, errcap, "out of memory");
    return CARI_NOMEM;
  }
  const char *sql =
      o->no_snippet
          ? "SELECT rowid, -rank, NULL FROM " IDX_FTS " WHERE " IDX_FTS
            " MATCH ?1 AND rank MATCH ?8 ORDER BY rank LIMIT ?6 OFFSET ?7"
          : "SELECT rowid, -rank, snippet(" IDX_FTS ", 1, ?2, ?3, ?4, ?5)"
            " FROM " IDX_FTS " WHERE " IDX_FTS
            " MATCH ?1 AND rank MATCH ?8 ORDER BY rank LIMIT ?6 OFFSET ?7";
  if (sqlite3_prepare_v2(db, sql, -1, &c->hits, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(db,
                         "SELECT id, title, url, date FROM " IDX_TABLE
                         " WHERE doc = ?1",
                         -1, &c->doc, NULL) != SQLITE_OK) {
    int rc = fail(db, "cannot prepare the search", err, errcap);
    sqlite3_free(rankfn);
    qry_cursor_free(c);
    return rc;
  }
  sqlite3_bind_text(c->hits, 1, c->expr, -1, SQLITE_STATIC);
  sqlite3_bind_text(c->hits, 2, o->mark_open ? o->mark_open : "[", -1,
                    SQLITE_TRANSIENT);
  sqlite3_bind_text(c->hits, 3, o->mark_close ? o->mark_close : "]", -1,
                    SQLITE_TRANSIENT);
  sqlite3_bind_text(c->hits, 4, o->ellipsis ? o->ellipsis : "…", -1,
                    SQLITE_TRANSIENT);
  sqlite3_bind_int(c->hits, 5, words);
  sqlite3_bind_int(c->hits, 6, o->limit > 0 ? o->limit : 10);
  sqlite3_bind_int(c->hits, 7, o->offset > 0 ? o->offset : 0);
  sqlite3_bind_text(c->hits, 8, rankfn, -1, SQLITE_TRANSIENT);
  sqlite3_free(rankfn);
  *out = c;
  return CARI_OK;
}

int qry_next(qry_cursor *c, char *err, size_t errcap) {
  if (c->have_doc) sqlite3_reset(c->doc);
  c->have_doc = 0;
  int x = sqlite3_step(c->hits);
  if (x == SQLITE_DONE) return CARI_DONE;
  if (x != SQLITE_ROW) return fail(c->db, "search failed", err, errcap);
  sqlite3_bind_int64(c->doc, 1, sqlite3_column_int64(c->hits, 0));
  x = sqlite3_step(c->doc);
  if (x != SQLITE_ROW) {
    if (x == SQLITE_DONE) {
      snprintf(err, errcap, "index names article %lld, which is missing: "
               "run the integrity check",
               (long long)sqlite3_column_int64(c->hits, 0));
      return CARI_CORRUPT;
    }
    return fail(c->db, "cannot read the article", err, errcap);
  }
  c->have_doc = 1;
  return CARI_ROW;
}

/* A snippet is shown on one line: runs of white space (paragraph breaks in
** the body) become one space. NULL on out of memory. */
static const char *one_line(qry_cursor *c, const char *s) {
  size_t n = strlen(s);
  if (n + 1 > c->snipcap) {
    char *p = realloc(c->snip, n + 1);
    if (!p) return NULL;
    c->snip = p;
    c->snipcap = n + 1;
  }
  size_t k = 0;
  int space = 0;
  for (; *s; s++) {
    if (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r' || *s == '\f' ||
        *s == '\v') {
      space = k > 0;
      continue;
    }
    if (space) c->snip[k++] = ' ';
    space = 0;
    c->snip[k++] = *s;
  }
  c->snip[k] = 0;
  return c->snip;
}

const char *qry_field(qry_cursor *c, int i) {
  if (!c->have_doc) return NULL;
  if (i == 4) {
    const char *s = (const char *)sqlite3_column_text(c->hits, 2);
    return s ? one_line(c, s) : NULL;
  }
  return (const char *)sqlite3_column_text(c->doc, i);
}

double qry_score(qry_cursor *c) {
  return c->have_doc ? sqlite3_column_double(c->hits, 1) : 0.0;
}

long long qry_total(qry_cursor *c, char *err, size_t errcap) {
  if (c->total >= 0) return c->total;
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(c->db,
                         "SELECT count(*) FROM " IDX_FTS " WHERE " IDX_FTS
                         " MATCH ?1",
                         -1, &st, NULL) != SQLITE_OK) {
    fail(c->db, "cannot count matches", err, errcap);
    return -1;
  }
  sqlite3_bind_text(st, 1, c->expr, -1, SQLITE_STATIC);
  if (sqlite3_step(st) == SQLITE_ROW) c->total = sqlite3_column_int64(st, 0);
  else fail(c->db, "cannot count matches", err, errcap);
  sqlite3_finalize(st);
  return c->total;
}

void qry_cursor_free(qry_cursor *c) {
  if (!c) return;
  sqlite3_finalize(c->hits);
  sqlite3_finalize(c->doc);
  free(c->expr);
  free(c->snip);
  free(c);
}
