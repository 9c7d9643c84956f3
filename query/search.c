/*
** search.c — the results cursor: the ranked rowids come from topk.c (pruned
** or exhaustive), then per shown row the article's stored fields and a
** snippet. It does not parse what people type (parse.c does) nor rank.
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
  sqlite3_stmt *snippet; /* FTS5 snippet() of one row; NULL: no snippets */
  const char *cur_snip; /* the current row's snippet (FTS5's or own) */
  char *own_snip;       /* qry_snippet's, owned */
  qry_topk *topk;       /* borrowed, for its analyzer */
  qry_snippet_opts so;  /* marks for qry_snippet (strings borrowed) */
  int want_snippet;
  char *expr;           /* owned copy of the MATCH expression */
  long long total;      /* -1 until asked */
  int have_doc;
  char *snip;           /* the current snippet on one line; owned */
  size_t snipcap;
};

/* x: the failing call's SQLite code (indexer/sqlerr.c). */
static int fail(sqlite3 *db, int x, const char *what, char *err,
                size_t errcap) {
  return idx_sql_fail(db, x, what, err, errcap);
}

int qry_open(sqlite3 *db, qry_topk *topk, const char *expr, const qry_opts *o,
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
  int rc = qry_topk_search(topk, c->expr, o, o->exhaustive, &c->res, err,
                           errcap);
  if (rc) {
    qry_cursor_free(c);
    return rc;
  }
  /* Snippets: our own (snippet.c) when every query word is one term, from
  ** the body read here; FTS5's snippet() for phrases and prefixes. */
  c->topk = topk;
  c->want_snippet = !o->no_snippet;
  c->so.words = words;
  c->so.open = o->mark_open;
  c->so.close = o->mark_close;
  c->so.ellipsis = o->ellipsis;
  int own = c->want_snippet && c->res.nterm > 0, x;
  if ((x = sqlite3_prepare_v2(db,
                              "SELECT id, title, url, date, body FROM "
                              IDX_TABLE " WHERE doc = ?1",
                              -1, &c->doc, NULL)) != SQLITE_OK ||
      (!o->no_snippet && !own &&
       (x = sqlite3_prepare_v2(db,
                               "SELECT snippet(" IDX_FTS ", 1, ?2, ?3, ?4, ?5)"
                               " FROM " IDX_FTS " WHERE " IDX_FTS
                               " MATCH ?1 AND rowid = ?6",
                               -1, &c->snippet, NULL)) != SQLITE_OK)) {
    rc = fail(db, x, "cannot prepare the search", err, errcap);
    qry_cursor_free(c);
    return rc;
  }
  if (c->res.expr) { /* what was searched: the count and FTS5's snippets */
    free(c->expr);
    c->expr = c->res.expr;
    c->res.expr = NULL;
  }
  if (c->snippet) {
    /* The marks are copied (TRANSIENT): a copy that fails leaves the
    ** parameter NULL, and snippet() would leave the marks out. */
    sqlite3_stmt *st = c->snippet;
    if ((x = sqlite3_bind_text(st, 1, c->expr, -1, SQLITE_STATIC)) ||
        (x = sqlite3_bind_text(st, 2, o->mark_open ? o->mark_open : "[", -1,
                               SQLITE_TRANSIENT)) ||
        (x = sqlite3_bind_text(st, 3, o->mark_close ? o->mark_close : "]", -1,
                               SQLITE_TRANSIENT)) ||
        (x = sqlite3_bind_text(st, 4, o->ellipsis ? o->ellipsis : "…", -1,
                               SQLITE_TRANSIENT)) ||
        (x = sqlite3_bind_int(st, 5, words))) {
      rc = fail(db, x, "cannot prepare the snippets", err, errcap);
      qry_cursor_free(c);
      return rc;
    }
  }
  *out = c;
  return CARI_OK;
}

static const char *one_line(qry_cursor *c, const char *s);

int qry_next(qry_cursor *c, char *err, size_t errcap) {
  if (c->have_doc) sqlite3_reset(c->doc);
  if (c->snippet) sqlite3_reset(c->snippet);
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
  if (c->want_snippet && !c->snippet) {
    free(c->own_snip);
    c->own_snip = NULL;
    /* No query word in the body (known from the postings): its first
    ** words, without reading the rest. */
    int none = c->res.hit[c->next - 1].body == 0;
    if (qry_snippet(qry_topk_analyzer(c->topk),
                    (const char *)sqlite3_column_text(c->doc, 4),
                    sqlite3_column_bytes(c->doc, 4),
                    (const char *const *)c->res.term, c->res.termlen,
                    none ? 0 : c->res.nterm, &c->so, &c->own_snip) != CARI_OK) {
      c->have_doc = 0;
      snprintf(err, errcap, "out of memory");
      return CARI_NOMEM;
    }
    c->cur_snip = c->own_snip;
  } else if (c->snippet) {
    sqlite3_bind_int64(c->snippet, 6, doc);
    x = sqlite3_step(c->snippet);
    if (x == SQLITE_ROW)
      c->cur_snip = (const char *)sqlite3_column_text(c->snippet, 0);
    else if (x != SQLITE_DONE) {
      c->have_doc = 0;
      return fail(c->db, x, "cannot make the snippet", err, errcap);
    }
  }
  /* On one line now, while an error can still be returned. */
  if (c->cur_snip && !one_line(c, c->cur_snip)) {
    c->have_doc = 0;
    snprintf(err, errcap, "out of memory");
    return CARI_NOMEM;
  }
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
  if (i == 4) return c->cur_snip ? c->snip : NULL; /* made by qry_next */
  return (const char *)sqlite3_column_text(c->doc, i);
}

const char *qry_expr(qry_cursor *c) { return c ? c->expr : NULL; }

double qry_score(qry_cursor *c) {
  return c->have_doc ? c->res.hit[c->next - 1].score : 0.0;
}

long long qry_total(qry_cursor *c, char *err, size_t errcap) {
  if (c->total >= 0) return c->total;
  sqlite3_stmt *st;
  int x = sqlite3_prepare_v2(c->db,
                             "SELECT count(*) FROM " IDX_FTS " WHERE " IDX_FTS
                             " MATCH ?1",
                             -1, &st, NULL);
  if (x != SQLITE_OK) {
    fail(c->db, x, "cannot count matches", err, errcap);
    return -1;
  }
  sqlite3_bind_text(st, 1, c->expr, -1, SQLITE_STATIC);
  if ((x = sqlite3_step(st)) == SQLITE_ROW)
    c->total = sqlite3_column_int64(st, 0);
  else fail(c->db, x, "cannot count matches", err, errcap);
  sqlite3_finalize(st);
  return c->total;
}

void qry_cursor_free(qry_cursor *c) {
  if (!c) return;
  qry_result_free(&c->res);
  free(c->own_snip);
  sqlite3_finalize(c->snippet);
  sqlite3_finalize(c->doc);
  free(c->expr);
  free(c->snip);
  free(c);
}
