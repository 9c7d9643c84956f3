/*
** optlock.c — how long a writer waits while cari_optimize() runs: the
** optimize on one connection, and on a second connection (a thread) an
** article put, or removed, every 10 ms until the optimize returns. Prints
** the optimize's wall time and the writer's longest wait for one call.
** It does not generate articles (gen_corpus does) and keeps no history:
** repeat it (on fresh copies of the loaded database) for medians.
**
**   optlock load CORPUS.jsonl N DB   index the first N articles, no optimize
**   optlock run DB                   optimize DB with a writer beside it
**   optlock alone DB                 optimize DB, no writer
**
** The writer's connection waits up to 10 minutes for the lock (so the wait
** is measured, not cut at cari's 5 s busy timeout); `fail` counts its calls
** that failed anyway.
*/
#include "cari.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int load(const char *corpus, long n, const char *path) {
  cari_db *db;
  cari_reader *r;
  if (cari_open(path, NULL, 0, &db) != CARI_OK) {
    fprintf(stderr, "optlock: %s\n", cari_errmsg(db));
    cari_close(db);
    return 1;
  }
  if (cari_reader_open(corpus, &r) != CARI_OK) {
    fprintf(stderr, "optlock: %s\n",
            r ? cari_reader_errmsg(r) : "out of memory");
    cari_reader_close(r);
    cari_close(db);
    return 1;
  }
  cari_article a;
  long i = 0;
  int rc = CARI_OK;
  while (rc == CARI_OK && i < n) {
    if ((rc = cari_begin(db)) != CARI_OK) break;
    int x = CARI_ROW;
    for (int k = 0; k < 1000 && i < n && rc == CARI_OK; k++, i++) {
      if ((x = cari_reader_next(r, &a)) != CARI_ROW) break;
      rc = cari_put(db, &a);
    }
    if (rc == CARI_OK) rc = cari_commit(db);
    if (x != CARI_ROW) break;
  }
  if (rc != CARI_OK) fprintf(stderr, "optlock: %s\n", cari_errmsg(db));
  cari_reader_close(r);
  int crc = cari_close(db);
  printf("loaded %ld articles\n", i);
  return rc != CARI_OK || crc != CARI_OK;
}

typedef struct {
  const char *path;
  volatile int done; /* set by the main thread when the optimize returned */
  int writes, fails;
  double max_wait;
  char err[300];
} writer;

static void *write_loop(void *arg) {
  writer *w = arg;
  sqlite3 *conn;
  cari_db *db = NULL;
  if (sqlite3_open(w->path, &conn) != SQLITE_OK) {
    snprintf(w->err, sizeof w->err, "cannot open %s", w->path);
    w->fails++;
    return NULL;
  }
  sqlite3_busy_timeout(conn, 600000);
  if (cari_open_sqlite(conn, NULL, &db) != CARI_OK) {
    snprintf(w->err, sizeof w->err, "%s", cari_errmsg(db));
    w->fails++;
  }
  for (int i = 0; db && !__atomic_load_n(&w->done, __ATOMIC_SEQ_CST); i++) {
    char id[40], body[200];
    snprintf(id, sizeof id, "optlock-%d", i / 2);
    snprintf(body, sizeof body, "tulisan baru nomor %d tentang kopi", i);
    cari_article a = {.id = id, .title = "Tulisan baru", .body = body};
    double t0 = now();
    int rc = i % 2 ? cari_remove(db, id) : cari_put(db, &a);
    double dt = now() - t0;
    if (rc != CARI_OK) {
      w->fails++;
      snprintf(w->err, sizeof w->err, "%s", cari_errmsg(db));
    }
    w->writes++;
    if (dt > w->max_wait) w->max_wait = dt;
    struct timespec ts = {0, 10 * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
  cari_close(db);
  sqlite3_close(conn);
  return NULL;
}

static int run(const char *path, int with_writer) {
  cari_db *db;
  if (cari_open(path, NULL, 0, &db) != CARI_OK) {
    fprintf(stderr, "optlock: %s\n", cari_errmsg(db));
    cari_close(db);
    return 1;
  }
  writer w;
  memset(&w, 0, sizeof w);
  w.path = path;
  pthread_t th;
  if (with_writer && pthread_create(&th, NULL, write_loop, &w) != 0) {
    fprintf(stderr, "optlock: no thread\n");
    cari_close(db);
    return 1;
  }
  double t0 = now();
  int rc = cari_optimize(db);
  double t1 = now();
  __atomic_store_n(&w.done, 1, __ATOMIC_SEQ_CST);
  if (with_writer) pthread_join(th, NULL);
  if (rc != CARI_OK) fprintf(stderr, "optlock: optimize: %s\n", cari_errmsg(db));
  printf("optimize %.3f s  writes %d  fail %d  longest writer wait %.3f s%s%s\n",
         t1 - t0, w.writes, w.fails, w.max_wait, w.fails ? "  last error: " : "",
         w.fails ? w.err : "");
  return (cari_close(db) != CARI_OK || rc != CARI_OK) ? 1 : 0;
}

int main(int argc, char **argv) {
  if (argc == 5 && strcmp(argv[1], "load") == 0)
    return load(argv[2], atol(argv[3]), argv[4]);
  if (argc == 3 && strcmp(argv[1], "run") == 0) return run(argv[2], 1);
  if (argc == 3 && strcmp(argv[1], "alone") == 0) return run(argv[2], 0);
  fprintf(stderr, "usage: optlock load CORPUS.jsonl N DB\n"
                  "       optlock run DB\n"
                  "       optlock alone DB\n");
  return 2;
}
