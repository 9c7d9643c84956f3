/*
** search.c — the readers' pool and one search run to its end: a read-only
** cari_db handle is checked out for the request, the results are copied out
** of the cursor, and the handle goes back. WAL mode lets these searches run
** beside the writer without waiting. It renders nothing (render.c does).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "serve.h"

struct srv_pool {
  pthread_mutex_t mu;
  char *path;
  cari_open_opts oo;      /* borrowed strings; CARI_OPEN_READONLY set */
  cari_db **idle;
  int nidle, cap;
};

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

static cari_db *open_reader(const srv_pool *p, char *err, size_t errcap) {
  cari_db *db;
  if (cari_open_ex(p->path, &p->oo, &db) != CARI_OK) {
    snprintf(err, errcap, "%s", db ? cari_errmsg(db) : "out of memory");
    cari_close(db);
    return NULL;
  }
  return db;
}

int srv_pool_new(const char *path, const cari_open_opts *oo, int cap,
                 srv_pool **out, char *err, size_t errcap) {
  srv_pool *p = calloc(1, sizeof *p);
  *out = NULL;
  if (!p || !(p->path = strdup(path)) ||
      !(p->idle = calloc((size_t)cap, sizeof *p->idle))) {
    if (p) free(p->path);
    free(p);
    snprintf(err, errcap, "out of memory");
    return CARI_NOMEM;
  }
  pthread_mutex_init(&p->mu, NULL);
  p->cap = cap;
  cari_open_opts dflt = CARI_OPEN_OPTS_INIT;
  p->oo = oo ? *oo : dflt;
  p->oo.flags |= CARI_OPEN_READONLY;
  /* One handle now: a database that cannot be opened fails at start. */
  cari_db *db = open_reader(p, err, errcap);
  if (!db) {
    srv_pool_free(p);
    return CARI_ERROR;
  }
  p->idle[p->nidle++] = db;
  *out = p;
  return CARI_OK;
}

cari_db *srv_pool_get(srv_pool *p, char *err, size_t errcap) {
  cari_db *db = NULL;
  pthread_mutex_lock(&p->mu);
  if (p->nidle > 0) db = p->idle[--p->nidle];
  pthread_mutex_unlock(&p->mu);
  return db ? db : open_reader(p, err, errcap);
}

void srv_pool_put(srv_pool *p, cari_db *db) {
  pthread_mutex_lock(&p->mu);
  if (p->nidle < p->cap) {
    p->idle[p->nidle++] = db;
    db = NULL;
  }
  pthread_mutex_unlock(&p->mu);
  cari_close(db); /* more handles than threads: the extra one goes */
}

void srv_pool_free(srv_pool *p) {
  if (!p) return;
  for (int i = 0; i < p->nidle; i++) cari_close(p->idle[i]);
  pthread_mutex_destroy(&p->mu);
  free(p->idle);
  free(p->path);
  free(p);
}

/* The result's tags into h (h->ntags of them once all are copied). */
static int copy_tags(srv_hit *h, cari_cursor *c) {
  int n = cari_result_ntags(c);
  if (n <= 0) return CARI_OK;
  if (!(h->tags = calloc((size_t)n, sizeof *h->tags))) return CARI_NOMEM;
  for (; h->ntags < n; h->ntags++)
    if (!(h->tags[h->ntags] = dup_or_null(cari_result_tag(c, h->ntags))))
      return CARI_NOMEM;
  return CARI_OK;
}

static void facet_free(srv_facet *f) {
  for (int i = 0; i < f->n; i++) free(f->value[i]);
  free(f->value);
  free(f->count);
}

void srv_results_free(srv_results *r) {
  for (int i = 0; i < r->n; i++) {
    srv_hit *h = &r->hits[i];
    free(h->id);
    free(h->title);
    free(h->url);
    free(h->date);
    free(h->author);
    free(h->snippet);
    for (int t = 0; t < h->ntags; t++) free(h->tags[t]);
    free(h->tags);
  }
  free(r->hits);
  free(r->query);
  free(r->note);
  free(r->message);
  facet_free(&r->facets[0]);
  facet_free(&r->facets[1]);
  free(r->did_you_mean);
  memset(r, 0, sizeof *r);
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The cursor's facets ("tags", then "year") into r->facets. */
static int copy_facets(cari_cursor *c, int limit, srv_results *r) {
  static const char *const names[2] = {"tags", "year"};
  for (int f = 0; f < 2; f++) {
    srv_facet *sf = &r->facets[f];
    if (!(sf->value = calloc((size_t)limit, sizeof *sf->value)) ||
        !(sf->count = calloc((size_t)limit, sizeof *sf->count)))
      return CARI_NOMEM;
    const char *value;
    long long n;
    int rc = CARI_DONE;
    while (sf->n < limit && (rc = cari_cursor_facet(c, names[f], sf->n, &value,
                                                    &n)) == CARI_ROW) {
      if (!(sf->value[sf->n] = strdup(value))) return CARI_NOMEM;
      sf->count[sf->n++] = n;
    }
    if (sf->n < limit && rc != CARI_DONE) return rc;
  }
  r->has_facets = 1;
  return CARI_OK;
}

/* Copy one row of the cursor into h (its strings owned by h). */
static int copy_hit(cari_cursor *c, srv_hit *h) {
  h->score = cari_result_score(c);
  h->id = dup_or_null(cari_result_id(c));
  h->title = dup_or_null(cari_result_title(c));
  h->url = dup_or_null(cari_result_url(c));
  h->date = dup_or_null(cari_result_date(c));
  h->author = dup_or_null(cari_result_author(c));
  h->snippet = dup_or_null(cari_result_snippet(c));
  if (!h->id || copy_tags(h, c) != CARI_OK) return CARI_NOMEM;
  return CARI_OK;
}

/* Copy the cursor's rows and count into r. */
static int collect(cari_db *db, cari_cursor *c, srv_results *r,
                   int facet_limit, int max_ms, double t0, char *err,
                   size_t errcap) {
  int rc = CARI_DONE;
  const char *note = cari_cursor_note(c);
  if (note && !(r->note = strdup(note))) return CARI_NOMEM;
  /* The facets first: their pass over the match set makes the total too. */
  rc = facet_limit > 0 ? copy_facets(c, facet_limit, r) : CARI_OK;
  const char *dym = cari_cursor_did_you_mean(c);
  if (rc == CARI_OK && dym && !(r->did_you_mean = strdup(dym)))
    rc = CARI_NOMEM;
  if (rc == CARI_OK) rc = cari_cursor_total(c, &r->total);
  if (rc == CARI_QUERY) {
    r->total = -1; /* as `cari search --json`: null when out of time */
  } else if (rc != CARI_OK) {
    snprintf(err, errcap, "%s", cari_errmsg(db));
    return rc;
  }
  if (!(r->hits = calloc((size_t)r->limit, sizeof *r->hits))) return CARI_NOMEM;
  while (r->n < r->limit) {
    /* The request's own deadline, between calls (each call also stops at
    ** max_ms): a request takes at most about twice the limit. */
    if (max_ms > 0 && now_ms() - t0 >= max_ms) {
      r->timed_out = 1;
      snprintf(err, errcap, "the search took longer than %d ms", max_ms);
      return CARI_OK;
    }
    if ((rc = cari_next(c)) != CARI_ROW) break;
    if (copy_hit(c, &r->hits[r->n++]) != CARI_OK) return CARI_NOMEM;
  }
  if (rc == CARI_QUERY && max_ms > 0 && now_ms() - t0 >= max_ms) {
    r->timed_out = 1;
    snprintf(err, errcap, "%s", cari_errmsg(db));
    return CARI_OK;
  }
  if (rc != CARI_ROW && rc != CARI_DONE) {
    snprintf(err, errcap, "%s", cari_errmsg(db));
    return rc;
  }
  return CARI_OK;
}

int srv_search(srv_pool *p, const srv_query *sq, srv_results *r, char *err,
               size_t errcap) {
  double t0 = now_ms();
  int max_ms = sq->max_ms;
  memset(r, 0, sizeof *r);
  r->limit = sq->limit;
  r->offset = sq->offset;
  r->total = 0;
  if (!(r->query = strdup(sq->q))) return CARI_NOMEM;
  cari_db *db = srv_pool_get(p, err, errcap);
  if (!db) return CARI_ERROR;
  cari_search_opts so = CARI_SEARCH_OPTS_INIT;
  so.limit = sq->limit;
  so.offset = sq->offset;
  so.mark_open = "\1";
  so.mark_close = "\2";
  so.max_ms = max_ms;
  so.tags = sq->tags;
  so.ntags = sq->ntags;
  so.from = sq->from;
  so.to = sq->to;
  so.sort = sq->sort;
  so.facet_limit = sq->facet_limit;
  if (sq->facet_limit > 0) so.flags |= CARI_SEARCH_FACETS;
  cari_cursor *c = NULL;
  int rc = cari_search(db, sq->q, -1, &so, &c);
  if (rc == CARI_QUERY) {
    /* Nothing to search for, or out of time before the first result: the
    ** library says which; the clock tells them apart here. */
    if (max_ms > 0 && now_ms() - t0 >= max_ms) {
      r->timed_out = 1;
      snprintf(err, errcap, "%s", cari_errmsg(db));
    } else if (!(r->message = strdup(cari_errmsg(db)))) {
      rc = CARI_NOMEM;
    }
    if (rc != CARI_NOMEM) rc = CARI_OK;
  } else if (rc == CARI_OK) {
    rc = collect(db, c, r, sq->facet_limit, max_ms, t0, err, errcap);
  } else {
    snprintf(err, errcap, "%s", cari_errmsg(db));
  }
  cari_cursor_free(c);
  srv_pool_put(p, db);
  if (rc == CARI_NOMEM) snprintf(err, errcap, "out of memory");
  r->took_ms = now_ms() - t0;
  return rc;
}

int srv_related(srv_pool *p, const char *id, int limit, int max_ms,
                srv_results *r, char *err, size_t errcap) {
  double t0 = now_ms();
  memset(r, 0, sizeof *r);
  r->limit = limit;
  if (!(r->query = strdup(id))) return CARI_NOMEM;
  cari_db *db = srv_pool_get(p, err, errcap);
  if (!db) return CARI_ERROR;
  cari_search_opts so = CARI_SEARCH_OPTS_INIT;
  so.limit = limit;
  so.flags = CARI_SEARCH_NO_SNIPPET;
  so.max_ms = max_ms;
  cari_cursor *c = NULL;
  int rc = cari_related(db, id, &so, &c);
  if (rc == CARI_OK) {
    r->hits = calloc((size_t)limit, sizeof *r->hits);
    if (!r->hits) rc = CARI_NOMEM;
    while (rc == CARI_OK && r->n < limit &&
           (rc = cari_next(c)) == CARI_ROW)
      rc = copy_hit(c, &r->hits[r->n++]);
    if (rc == CARI_DONE || rc == CARI_ROW) rc = CARI_OK;
  } else if (rc == CARI_QUERY && !(max_ms > 0 && now_ms() - t0 >= max_ms)) {
    /* The article has no word to search by: no related ones. */
    rc = (r->message = strdup(cari_errmsg(db))) ? CARI_OK : CARI_NOMEM;
  }
  if (rc != CARI_OK && rc != CARI_NOMEM)
    snprintf(err, errcap, "%s", cari_errmsg(db));
  if (rc == CARI_QUERY) r->timed_out = 1, rc = CARI_OK;
  cari_cursor_free(c);
  srv_pool_put(p, db);
  if (rc == CARI_NOMEM) snprintf(err, errcap, "out of memory");
  r->took_ms = now_ms() - t0;
  return rc;
}

int srv_suggest(srv_pool *p, const char *text, int limit,
                cari_suggestion **out, int *n, char *err, size_t errcap) {
  *out = NULL;
  *n = 0;
  cari_db *db = srv_pool_get(p, err, errcap);
  if (!db) return CARI_ERROR;
  int rc = cari_suggest(db, text, -1, limit, out, n);
  if (rc) snprintf(err, errcap, "%s", cari_errmsg(db));
  srv_pool_put(p, db);
  return rc;
}
