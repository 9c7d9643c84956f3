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
  cari_db **idle;
  int nidle, cap;
};

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

static cari_db *open_reader(const char *path, char *err, size_t errcap) {
  cari_db *db;
  if (cari_open(path, NULL, CARI_OPEN_READONLY, &db) != CARI_OK) {
    snprintf(err, errcap, "%s", db ? cari_errmsg(db) : "out of memory");
    cari_close(db);
    return NULL;
  }
  return db;
}

int srv_pool_new(const char *path, int cap, srv_pool **out, char *err,
                 size_t errcap) {
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
  /* One handle now: a database that cannot be opened fails at start. */
  cari_db *db = open_reader(path, err, errcap);
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
  return db ? db : open_reader(p->path, err, errcap);
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
  free(r->did_you_mean);
  memset(r, 0, sizeof *r);
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Copy the cursor's rows and count into r. */
static int collect(cari_db *db, cari_cursor *c, srv_results *r, int max_ms,
                   double t0, char *err, size_t errcap) {
  int rc = CARI_DONE;
  const char *note = cari_cursor_note(c);
  if (note && !(r->note = strdup(note))) return CARI_NOMEM;
  const char *dym = cari_cursor_did_you_mean(c);
  if (dym && !(r->did_you_mean = strdup(dym))) return CARI_NOMEM;
  rc = cari_cursor_total(c, &r->total);
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
    srv_hit *h = &r->hits[r->n++];
    h->score = cari_result_score(c);
    h->id = dup_or_null(cari_result_id(c));
    h->title = dup_or_null(cari_result_title(c));
    h->url = dup_or_null(cari_result_url(c));
    h->date = dup_or_null(cari_result_date(c));
    h->author = dup_or_null(cari_result_author(c));
    h->snippet = dup_or_null(cari_result_snippet(c));
    if (!h->id || copy_tags(h, c) != CARI_OK) return CARI_NOMEM;
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

int srv_search(srv_pool *p, const char *q, int limit, int offset, int max_ms,
               srv_results *r, char *err, size_t errcap) {
  double t0 = now_ms();
  memset(r, 0, sizeof *r);
  r->limit = limit;
  r->offset = offset;
  r->total = 0;
  if (!(r->query = strdup(q))) return CARI_NOMEM;
  cari_db *db = srv_pool_get(p, err, errcap);
  if (!db) return CARI_ERROR;
  cari_search_opts so = {.size = sizeof so, .limit = limit, .offset = offset,
                         .mark_open = "\1", .mark_close = "\2",
                         .max_ms = max_ms};
  cari_cursor *c = NULL;
  int rc = cari_search(db, q, -1, &so, &c);
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
    rc = collect(db, c, r, max_ms, t0, err, errcap);
  } else {
    snprintf(err, errcap, "%s", cari_errmsg(db));
  }
  cari_cursor_free(c);
  srv_pool_put(p, db);
  if (rc == CARI_NOMEM) snprintf(err, errcap, "out of memory");
  r->took_ms = now_ms() - t0;
  return rc;
}
