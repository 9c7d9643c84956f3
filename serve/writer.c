/*
** writer.c — the server's writes: one cari_db for every put and remove,
** serialised by a mutex (searches use their own handles and, the database
** being in WAL mode, never wait for it), and one background thread with its
** own handle that runs cari_optimize when enough has changed since the last
** build, or when asked (POST /optimize), off the request path. It parses
** nothing (article.c does) and speaks no HTTP.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "serve.h"

struct srv_writer {
  pthread_mutex_t write_mu; /* held for each write on db */
  cari_db *db;
  pthread_mutex_t mu;       /* the state below */
  pthread_cond_t wake, done;
  cari_db *opt;             /* the optimizer thread's own handle */
  pthread_t thread;
  int started, stop, optimizing, last_rc;
  long optimize_after;      /* as configured: < 0 default, 0 never */
  long long changes, threshold, optimizes;
  unsigned long long asked, finished; /* generations of requested optimizes */
  time_t retry_at;          /* after a failed automatic optimize */
  char last_err[512];
};

/* The default threshold: a tenth of the articles (what `cari index` uses),
** at least 32, and at most 256 — past 256 replaced or removed articles
** every search is exhaustive until the next build (cari.h). */
static long long threshold_for(const srv_writer *w, long long count) {
  if (w->optimize_after >= 0) return w->optimize_after;
  long long t = count / 10;
  return t < 32 ? 32 : t > 256 ? 256 : t;
}

static void *optimizer(void *arg) {
  srv_writer *w = arg;
  pthread_mutex_lock(&w->mu);
  while (!w->stop) {
    int asked = w->asked > w->finished;
    int due = w->threshold > 0 && w->changes >= w->threshold &&
              time(NULL) >= w->retry_at;
    if (!asked && !due) {
      struct timespec ts;
      clock_gettime(CLOCK_REALTIME, &ts);
      ts.tv_sec += 1;
      pthread_cond_timedwait(&w->wake, &w->mu, &ts);
      continue;
    }
    unsigned long long gen = w->asked;
    long long base = w->changes;
    w->optimizing = 1;
    pthread_mutex_unlock(&w->mu);
    int rc = cari_optimize(w->opt);
    long long count = cari_count(w->opt);
    pthread_mutex_lock(&w->mu);
    w->optimizing = 0;
    w->last_rc = rc;
    snprintf(w->last_err, sizeof w->last_err, "%s",
             rc ? cari_errmsg(w->opt) : "");
    if (rc == CARI_OK) {
      w->changes -= base;
      w->optimizes++;
      if (count >= 0) w->threshold = threshold_for(w, count);
    } else {
      w->retry_at = time(NULL) + 60; /* not again at once by itself */
      fprintf(stderr, "cari serve: optimize failed: %s\n", w->last_err);
    }
    w->finished = gen;
    pthread_cond_broadcast(&w->done);
  }
  pthread_mutex_unlock(&w->mu);
  return NULL;
}

int srv_writer_new(const char *path, const cari_open_opts *oo,
                   long optimize_after, srv_writer **out, char *err,
                   size_t errcap) {
  srv_writer *w = calloc(1, sizeof *w);
  *out = NULL;
  if (!w) {
    snprintf(err, errcap, "out of memory");
    return CARI_NOMEM;
  }
  pthread_mutex_init(&w->write_mu, NULL);
  pthread_mutex_init(&w->mu, NULL);
  pthread_cond_init(&w->wake, NULL);
  pthread_cond_init(&w->done, NULL);
  w->optimize_after = optimize_after;
  cari_open_opts o = CARI_OPEN_OPTS_INIT;
  if (oo) o = *oo;
  int rc = cari_open_ex(path, &o, &w->db);
  o.flags |= CARI_OPEN_ONE_THREAD;
  if (rc == CARI_OK) rc = cari_open_ex(path, &o, &w->opt);
  if (rc != CARI_OK) {
    cari_db *bad = w->opt ? w->opt : w->db;
    snprintf(err, errcap, "%s", bad ? cari_errmsg(bad) : "out of memory");
    srv_writer_free(w);
    return rc;
  }
  w->threshold = threshold_for(w, cari_count(w->db));
  if ((rc = pthread_create(&w->thread, NULL, optimizer, w)) != 0) {
    snprintf(err, errcap, "cannot start the optimizer thread: %s",
             strerror(rc));
    srv_writer_free(w);
    return CARI_ERROR;
  }
  w->started = 1;
  *out = w;
  return CARI_OK;
}

void srv_writer_free(srv_writer *w) {
  if (!w) return;
  if (w->started) {
    pthread_mutex_lock(&w->mu);
    w->stop = 1;
    pthread_cond_broadcast(&w->wake);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
  }
  cari_close(w->opt);
  cari_close(w->db);
  pthread_cond_destroy(&w->wake);
  pthread_cond_destroy(&w->done);
  pthread_mutex_destroy(&w->mu);
  pthread_mutex_destroy(&w->write_mu);
  free(w);
}

static void changed(srv_writer *w, long long n) {
  pthread_mutex_lock(&w->mu);
  w->changes += n;
  if (w->threshold > 0 && w->changes >= w->threshold)
    pthread_cond_signal(&w->wake);
  pthread_mutex_unlock(&w->mu);
}

int srv_writer_put(srv_writer *w, const cari_article *a, char *err,
                   size_t errcap) {
  pthread_mutex_lock(&w->write_mu);
  int rc = cari_put(w->db, a);
  if (rc) snprintf(err, errcap, "%s", cari_errmsg(w->db));
  pthread_mutex_unlock(&w->write_mu);
  if (rc == CARI_OK) changed(w, 1);
  return rc;
}

int srv_writer_remove(srv_writer *w, const char *id, char *err,
                      size_t errcap) {
  pthread_mutex_lock(&w->write_mu);
  int rc = cari_remove(w->db, id);
  if (rc) snprintf(err, errcap, "%s", cari_errmsg(w->db));
  pthread_mutex_unlock(&w->write_mu);
  if (rc == CARI_OK) changed(w, 1);
  return rc;
}

int srv_writer_put_many(srv_writer *w, const srv_article *as, size_t n,
                        char *err, size_t errcap) {
  size_t i = 0;
  pthread_mutex_lock(&w->write_mu);
  int rc = cari_begin(w->db);
  if (rc) {
    snprintf(err, errcap, "%s", cari_errmsg(w->db));
    goto out;
  }
  for (; i < n; i++) {
    if ((rc = cari_put(w->db, &as[i].a)) != CARI_OK) {
      snprintf(err, errcap, "line %ld: %s (nothing stored)", as[i].line,
               cari_errmsg(w->db));
      break;
    }
  }
  if (rc == CARI_OK && (rc = cari_commit(w->db)) != CARI_OK)
    snprintf(err, errcap, "%s (nothing stored)", cari_errmsg(w->db));
  if (rc != CARI_OK && cari_rollback(w->db) != CARI_OK)
    fprintf(stderr, "cari serve: rollback failed: %s\n", cari_errmsg(w->db));
out:
  pthread_mutex_unlock(&w->write_mu);
  if (rc == CARI_OK) changed(w, (long long)n);
  return rc;
}

int srv_writer_optimize(srv_writer *w, int wait, char *err, size_t errcap) {
  int rc = CARI_OK;
  pthread_mutex_lock(&w->mu);
  unsigned long long mine = ++w->asked;
  pthread_cond_signal(&w->wake);
  if (wait) {
    while (w->finished < mine && !w->stop)
      pthread_cond_wait(&w->done, &w->mu);
    rc = w->finished >= mine ? w->last_rc : CARI_ERROR;
    snprintf(err, errcap, "%s",
             w->finished >= mine ? w->last_err : "the server is stopping");
  }
  pthread_mutex_unlock(&w->mu);
  return rc;
}

void srv_writer_state_get(srv_writer *w, srv_writer_state *s) {
  pthread_mutex_lock(&w->mu);
  s->changes = w->changes;
  s->threshold = w->threshold;
  s->optimizing = w->optimizing;
  s->optimizes = w->optimizes;
  s->last_rc = w->last_rc;
  pthread_mutex_unlock(&w->mu);
}
