/*
** search.c — the results cursor: the ranked rowids come from topk.c (pruned
** or exhaustive), then per shown row the article's stored fields and a
** snippet (snippet.c's, for words, phrases and prefixes alike: FTS5's
** snippet() is quadratic in a phrase's occurrences). It does not parse what
** people type (parse.c does) nor rank.
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
  qry_result res;       /* the ranked rowids and scores (topk.c) */
  int next;             /* index of the next hit */
  sqlite3_stmt *doc;    /* the article's stored fields by rowid */
  const char *cur_snip; /* the current row's snippet, or NULL */
  char *own_snip;       /* qry_snippet's, owned */
  qry_topk *topk;       /* borrowed, for its analyzer */
  qry_snippet_opts so;  /* marks for qry_snippet (strings borrowed) */
  int want_snippet;
  const char *expr;     /* the MATCH expression searched (res.expr) */
  long long total;      /* -1 until asked */
  int have_doc;
};

/* x: the failing call's SQLite code (indexer/sqlerr.c). */
static int fail(sqlite3 *db, int x, const char *what, char *err,
                size_t errcap) {
  return idx_sql_fail(db, x, what, err, errcap);
}

int qry_open(sqlite3 *db, qry_topk *topk, const qry_plan *pl,
             const qry_opts *o, qry_cursor **out, char *err, size_t errcap) {
  *out = NULL;
  qry_cursor *c = calloc(1, sizeof *c);
  if (!c) {
    snprintf(err, errcap, "out of memory");
    return CARI_NOMEM;
  }
  c->db = db;
  c->total = -1;
  int words = o->snippet_words > 0 ? o->snippet_words : 24;
  if (words > 64) words = 64; /* FTS5's own limit, kept */
  int rc = qry_topk_search(topk, pl, o, o->exhaustive, &c->res, err, errcap);
  if (rc) {
    qry_cursor_free(c);
    return rc;
  }
  /* Snippets: snippet.c's, from the body read here, for the query's units
  ** (its words and phrases, from topk.c). */
  c->topk = topk;
  c->want_snippet = !o->no_snippet;
  c->so.words = words;
  c->so.open = o->mark_open;
  c->so.close = o->mark_close;
  c->so.ellipsis = o->ellipsis;
  /* A database from before authors were stored, opened read-only, has
  ** no author column (store.c): then NULL stands for it. */
  int x = sqlite3_prepare_v2(db,
                             "SELECT id, title, url, date, body, author FROM "
                             IDX_TABLE " WHERE doc = ?1",
                             -1, &c->doc, NULL);
  if (x == SQLITE_ERROR)
    x = sqlite3_prepare_v2(db,
                           "SELECT id, title, url, date, body, NULL FROM "
                           IDX_TABLE " WHERE doc = ?1",
                           -1, &c->doc, NULL);
  if (x != SQLITE_OK) {
    rc = fail(db, x, "cannot prepare the search", err, errcap);
    qry_cursor_free(c);
    return rc;
  }
  c->expr = c->res.expr; /* what was searched: for the count */
  *out = c;
  return CARI_OK;
}

int qry_next(qry_cursor *c, char *err, size_t errcap) {
  if (c->have_doc) sqlite3_reset(c->doc);
  c->have_doc = 0;
  c->cur_snip = NULL;
  if (c->next >= c->res.nhit) return CARI_DONE;
  long long doc = c->res.hit[c->next++].doc;
  sqlite3_bind_int64(c->doc, 1, doc);
  int x = sqlite3_step(c->doc);
  if (x != SQLITE_ROW) {
    if (x == SQLITE_DONE) {
      snprintf(err, errcap, "index names article %lld, which is missing: "
               "run the integrity check", doc);
      return CARI_CORRUPT;
    }
    return fail(c->db, x, "cannot read the article", err, errcap);
  }
  c->have_doc = 1;
  if (c->want_snippet) {
    free(c->own_snip);
    c->own_snip = NULL;
    /* No query word in the body (known from the postings): its first
    ** words, without reading the rest. */
    int none = c->res.hit[c->next - 1].body == 0;
    const char *body = (const char *)sqlite3_column_text(c->doc, 4);
    /* A text value read as NULL: its conversion ran out of memory. */
    if ((!body && sqlite3_column_type(c->doc, 4) != SQLITE_NULL) ||
        qry_snippet(qry_topk_analyzer(c->topk),
                    body ? body : "", body ? sqlite3_column_bytes(c->doc, 4) : 0,
                    (const char *const *)c->res.term, c->res.termlen,
                    none ? 0 : c->res.nterm, &c->so, &c->own_snip) != CARI_OK) {
      c->have_doc = 0;
      snprintf(err, errcap, "out of memory");
      return CARI_NOMEM;
    }
    c->cur_snip = c->own_snip;
  }
  return CARI_ROW;
}

const char *qry_field(qry_cursor *c, int i) {
  if (!c->have_doc) return NULL;
  if (i == 4) return c->cur_snip; /* one line already (snippet.c) */
  return (const char *)sqlite3_column_text(c->doc, i);
}

const char *qry_expr(qry_cursor *c) { return c ? c->expr : NULL; }

const char *qry_note(qry_cursor *c) { return c ? c->res.note : NULL; }

double qry_score(qry_cursor *c) {
  return c->have_doc ? c->res.hit[c->next - 1].score : 0.0;
}

int qry_total(qry_cursor *c, long long *n, char *err, size_t errcap) {
  *n = c->total;
  if (c->total >= 0) return CARI_OK;
  sqlite3_stmt *st;
  int x = sqlite3_prepare_v2(c->db,
                             "SELECT count(*) FROM " IDX_FTS " WHERE " IDX_FTS
                             " MATCH ?1",
                             -1, &st, NULL);
  if (x != SQLITE_OK) return fail(c->db, x, "cannot count matches", err, errcap);
  int rc = CARI_OK;
  sqlite3_bind_text(st, 1, c->expr, -1, SQLITE_STATIC);
  if ((x = sqlite3_step(st)) == SQLITE_ROW)
    c->total = sqlite3_column_int64(st, 0);
  else rc = fail(c->db, x, "cannot count matches", err, errcap);
  sqlite3_finalize(st);
  *n = c->total;
  return rc;
}

void qry_cursor_free(qry_cursor *c) {
  if (!c) return;
  qry_result_free(&c->res);
  free(c->own_snip);
  sqlite3_finalize(c->doc);
  free(c);
}
