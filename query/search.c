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

#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>
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
  const qry_filter *filter; /* borrowed, or NULL */
  qry_meta *meta;       /* borrowed, for filters' counts and facets */
  qry_facets facets;    /* made on first qry_facets() */
  int have_facets;
  char **tag;           /* the current row's tags as written, owned */
  int ntag;
  const qry_plan *pl;   /* the plan searched: borrowed until the cursor is
                        ** freed (qry_open) */
  char *own_expr;       /* the MATCH expression, when nothing was ranked */
};

/* x: the failing call's SQLite code (indexer/sqlerr.c). */
static int fail(sqlite3 *db, int x, const char *what, char *err,
                size_t errcap) {
  return idx_sql_fail(db, x, what, err, errcap);
}

/* Newest first; undated last; then by score, then rowid (as ranked). */
typedef struct {
  qry_hit h;
  long long sec;
} dated_hit;

static int cmp_dated(const void *a, const void *b) {
  const dated_hit *x = a, *y = b;
  if (x->sec != y->sec) return x->sec > y->sec ? -1 : 1;
  if (x->h.score != y->h.score) return x->h.score > y->h.score ? -1 : 1;
  return x->h.doc < y->h.doc ? -1 : x->h.doc > y->h.doc;
}

static int cmp_sec_desc(const void *a, const void *b) {
  long long x = *(const long long *)a, y = *(const long long *)b;
  return x > y ? -1 : x < y;
}

/* Sorted by date: the whole match set (meta.c) gives the articles and
** their dates; those that can be among the first offset + limit by date
** (every one as new as the k-th newest: ties at that date are settled by
** score) are ranked by topk.c, restricted to them, which gives their
** exact scores; then they are ordered by date. */
static int by_date(qry_topk *topk, const qry_plan *pl, const qry_opts *o,
                   qry_result *res, char *err, size_t errcap) {
  qry_scan sc;
  memset(&sc, 0, sizeof sc);
  sc.docs = cari_malloc(1024 * sizeof *sc.docs);
  sc.capdoc = 1024;
  long long *secs = NULL;
  qry_filter cand = {NULL, 0, 0};
  char *expr = NULL;
  int rc = sc.docs ? qry_plan_match(pl, &expr) : CARI_NOMEM;
  if (rc == CARI_OK)
    rc = qry_meta_scan(o->meta, topk, pl, expr, o->filter, &sc, err, errcap);
  cari_free(expr);
  int limit = o->limit > 0 ? o->limit : 10;
  long long k = (long long)limit + (o->offset > 0 ? o->offset : 0);
  if (rc == CARI_OK) {
    secs = cari_malloc(((size_t)sc.ndoc + 1) * sizeof *secs);
    long long maxd = sc.ndoc ? sc.docs[sc.ndoc - 1] : 0;
    cand.n = maxd + 1;
    cand.bits = cari_calloc((size_t)(maxd + 8) / 8 + 1, 1);
    if (!secs || !cand.bits) rc = CARI_NOMEM;
  }
  if (rc == CARI_OK) {
    for (long long i = 0; i < sc.ndoc; i++)
      secs[i] = qry_meta_sec(o->meta, sc.docs[i]);
    qsort(secs, (size_t)sc.ndoc, sizeof *secs, cmp_sec_desc);
    long long edge = sc.ndoc > k ? secs[k - 1] : INT64_MIN;
    for (long long i = 0; i < sc.ndoc; i++) {
      long long d = sc.docs[i];
      if (qry_meta_sec(o->meta, d) >= edge) {
        cand.bits[d >> 3] |= (unsigned char)(1u << (d & 7));
        cand.count++;
      }
    }
  }
  if (rc == CARI_OK && cand.count) {
    qry_opts c = *o;
    c.filter = &cand;
    c.sort_date = 0;
    c.offset = 0;
    c.limit = cand.count > 1000000 ? 1000000 : (int)cand.count;
    rc = qry_topk_search(topk, pl, &c, o->exhaustive, res, err, errcap);
  }
  if (rc == CARI_OK && res->nhit) {
    dated_hit *dh = cari_malloc((size_t)res->nhit * sizeof *dh);
    if (!dh) rc = CARI_NOMEM;
    for (int i = 0; dh && i < res->nhit; i++) {
      dh[i].h = res->hit[i];
      dh[i].sec = qry_meta_sec(o->meta, res->hit[i].doc);
    }
    if (dh) {
      qsort(dh, (size_t)res->nhit, sizeof *dh, cmp_dated);
      int off = o->offset > 0 ? o->offset : 0, n = 0;
      for (int i = off; i < res->nhit && n < limit; i++) res->hit[n++] = dh[i].h;
      res->nhit = n;
      cari_free(dh);
    }
  }
  if (rc == CARI_NOMEM) snprintf(err, errcap, "out of memory");
  cari_free(secs);
  cari_free(cand.bits);
  cari_free(sc.docs);
  return rc;
}

int qry_open(sqlite3 *db, qry_topk *topk, const qry_plan *pl,
             const qry_opts *o, qry_cursor **out, char *err, size_t errcap) {
  *out = NULL;
  qry_cursor *c = cari_calloc(1, sizeof *c);
  if (!c) {
    snprintf(err, errcap, "out of memory");
    return CARI_NOMEM;
  }
  c->db = db;
  c->total = -1;
  int words = o->snippet_words > 0 ? o->snippet_words : 24;
  if (words > 64) words = 64; /* FTS5's own limit, kept */
  c->filter = o->filter;
  c->meta = o->meta;
  c->pl = pl;
  /* A filter no article passes: nothing to rank (the snippet units are
  ** not needed either). */
  int rc = o->filter && o->filter->count == 0 ? qry_plan_match(pl, &c->own_expr)
           : o->sort_date && o->meta
               ? by_date(topk, pl, o, &c->res, err, errcap)
               : qry_topk_search(topk, pl, o, o->exhaustive, &c->res, err,
                                 errcap);
  if (rc == CARI_NOMEM) snprintf(err, errcap, "out of memory");
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
                             "SELECT id, title, url, date, body, author, tags"
                             " FROM " IDX_TABLE " WHERE doc = ?1",
                             -1, &c->doc, NULL);
  if (x == SQLITE_ERROR)
    x = sqlite3_prepare_v2(db,
                           "SELECT id, title, url, date, body, NULL, tags"
                           " FROM " IDX_TABLE " WHERE doc = ?1",
                           -1, &c->doc, NULL);
  if (x != SQLITE_OK) {
    rc = fail(db, x, "cannot prepare the search", err, errcap);
    qry_cursor_free(c);
    return rc;
  }
  c->expr = c->res.expr ? c->res.expr : c->own_expr; /* for the count */
  *out = c;
  return CARI_OK;
}

static void tags_clear(qry_cursor *c) {
  for (int i = 0; i < c->ntag; i++) cari_free(c->tag[i]);
  cari_free(c->tag);
  c->tag = NULL;
  c->ntag = 0;
}

/* The row's tags (a JSON array of strings), trimmed, as written. */
static int tags_read(qry_cursor *c) {
  const char *s = (const char *)sqlite3_column_text(c->doc, 6);
  if (!s) return sqlite3_column_type(c->doc, 6) == SQLITE_NULL ? CARI_OK
                                                               : CARI_NOMEM;
  json_t *a = json_loads(s, JSON_DECODE_ANY, NULL);
  if (!json_is_array(a)) { /* not cari's: no tags */
    json_decref(a);
    return CARI_OK;
  }
  size_t n = json_array_size(a);
  int rc = CARI_OK;
  if (!(c->tag = cari_calloc(n + 1, sizeof *c->tag))) rc = CARI_NOMEM;
  for (size_t i = 0; rc == CARI_OK && i < n; i++) {
    const char *t = json_string_value(json_array_get(a, i));
    if (!t) continue;
    size_t len = strlen(t);
    idx_trim(&t, &len);
    if (!len) continue;
    if (!(c->tag[c->ntag] = cari_strndup(t, len))) rc = CARI_NOMEM;
    else c->ntag++;
  }
  json_decref(a);
  return rc;
}

int qry_drop_hit(qry_cursor *c, long long doc, int offset, int limit) {
  int n = 0;
  for (int i = 0; i < c->res.nhit; i++)
    if (c->res.hit[i].doc != doc) c->res.hit[n++] = c->res.hit[i];
  int keep = n > offset ? n - offset : 0;
  if (keep > limit) keep = limit;
  if (keep > 0)
    memmove(c->res.hit, c->res.hit + offset, (size_t)keep * sizeof *c->res.hit);
  c->res.nhit = keep;
  c->next = 0;
  return CARI_OK;
}

int qry_next(qry_cursor *c, char *err, size_t errcap) {
  tags_clear(c);
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
  if (tags_read(c) != CARI_OK) {
    c->have_doc = 0;
    snprintf(err, errcap, "out of memory");
    return CARI_NOMEM;
  }
  if (c->want_snippet) {
    cari_free(c->own_snip);
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

int qry_facets_get(qry_cursor *c, int limit, const qry_facets **out,
                   char *err, size_t errcap) {
  *out = NULL;
  if (!c->meta) {
    snprintf(err, errcap, "no facets without the dates and tags tables");
    return CARI_ERROR;
  }
  if (!c->have_facets) {
    qry_scan sc;
    memset(&sc, 0, sizeof sc);
    sc.facet_limit = limit > 0 ? limit : 1;
    int rc = qry_meta_scan(c->meta, c->topk, c->pl, c->expr, c->filter, &sc,
                           err, errcap);
    if (rc) return rc;
    c->facets = sc.facets;
    c->total = sc.total;
    c->have_facets = 1;
  }
  *out = &c->facets;
  return CARI_OK;
}

int qry_tags(qry_cursor *c, const char *const **tags) {
  *tags = (const char *const *)c->tag;
  return c->have_doc ? c->ntag : 0;
}

int qry_total(qry_cursor *c, long long *n, char *err, size_t errcap) {
  *n = c->total;
  if (c->total >= 0) return CARI_OK;
  if (c->filter) { /* the matches the filter passes: one pass (meta.c) */
    qry_scan sc;
    memset(&sc, 0, sizeof sc);
    int rc = qry_meta_scan(c->meta, c->topk, c->pl, c->expr, c->filter, &sc,
                           err, errcap);
    if (rc == CARI_OK) c->total = sc.total;
    *n = c->total;
    return rc;
  }
  /* The common case, a plan of words, prefixes and exclusions with the
  ** top-k postings built: the match set from the postings the search read
  ** (a few nanoseconds an article, no positions; topk.c's qry_topk_count),
  ** exact. Else FTS5 counts, reading every match's positions. */
  long long nall = -1;
  int rc = c->topk ? qry_topk_count(c->topk, &c->res, &nall, err, errcap)
                   : CARI_OK;
  if (rc || nall >= 0) {
    if (rc == CARI_OK) c->total = nall;
    *n = c->total;
    return rc;
  }
  sqlite3_stmt *st;
  int x = sqlite3_prepare_v2(c->db,
                             "SELECT count(*) FROM " IDX_FTS " WHERE " IDX_FTS
                             " MATCH ?1",
                             -1, &st, NULL);
  if (x != SQLITE_OK) return fail(c->db, x, "cannot count matches", err, errcap);
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
  qry_facets_free(&c->facets);
  tags_clear(c);
  cari_free(c->own_expr);
  cari_free(c->own_snip);
  sqlite3_finalize(c->doc);
  cari_free(c);
}
