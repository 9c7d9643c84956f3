/*
** blog_handler.c — how a C blog server embeds cari in its request handler:
** each worker thread opens its own handle once and keeps it, the handler
** searches and renders JSON (Jansson) into the response, and the handle
** closes when the worker ends. Two workers here answer the queries given
** on the command line, one JSON line each, in the order given.
**
**   blog_handler DB QUERY...
**
** A client of include/cari.h only; built and run by tests/sh/serve.sh.
** It is no HTTP server: `cari serve` (serve/) is one.
*/
#include "cari.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define WORKERS 2

typedef struct worker {
  const char *db_path;
  char **queries;
  int first, step, count;
  char **out;     /* out[i]: the response to queries[i], malloc'd */
  int failed;
} worker;

/* The request handler: one search on this worker's handle, as JSON.
** Returns a string the caller frees, or NULL. */
static char *handle_search(cari_db *db, const char *q) {
  cari_search_opts opts = {.size = sizeof opts, .limit = 5,
                           .mark_open = "<mark>",
                           .mark_close = "</mark>", .max_ms = 500};
  cari_cursor *c;
  int rc = cari_search(db, q, -1, &opts, &c);
  json_t *o;
  if (rc != CARI_OK) { /* nothing to search for, or too slow: say so */
    o = json_pack("{s:s, s:s}", "query", q, "error", cari_errmsg(db));
    char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    return s;
  }
  json_t *hits = json_array();
  while ((rc = cari_next(c)) == CARI_ROW) {
    const char *url = cari_result_url(c);
    /* Real code escapes the snippet's text before trusting the marks, as
    ** serve/render.c does; the marks here are for a JSON client. */
    json_array_append_new(hits, json_pack("{s:s, s:s, s:s?, s:s?}", "id",
                                          cari_result_id(c), "title",
                                          cari_result_title(c), "url", url,
                                          "snippet", cari_result_snippet(c)));
  }
  cari_cursor_free(c); /* before the next write or close on this handle */
  if (rc != CARI_DONE) {
    json_decref(hits);
    return NULL;
  }
  o = json_pack("{s:s, s:o}", "query", q, "results", hits);
  char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
  json_decref(o);
  return s;
}

static void *worker_main(void *arg) {
  worker *w = arg;
  cari_db *db;
  /* Once per thread: the handle lives as long as the worker. */
  if (cari_open(w->db_path, NULL, CARI_OPEN_READONLY, &db) != CARI_OK) {
    fprintf(stderr, "blog_handler: %s\n", cari_errmsg(db));
    cari_close(db);
    w->failed = 1;
    return NULL;
  }
  for (int i = w->first; i < w->count; i += w->step)
    if (!(w->out[i] = handle_search(db, w->queries[i]))) w->failed = 1;
  if (cari_close(db) != CARI_OK) w->failed = 1;
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: blog_handler DB QUERY...\n");
    return 2;
  }
  int n = argc - 2, failed = 0;
  char **out = calloc((size_t)n, sizeof *out);
  worker ws[WORKERS];
  pthread_t th[WORKERS];
  if (!out) return 3;
  for (int t = 0; t < WORKERS; t++) {
    ws[t] = (worker){argv[1], argv + 2, t, WORKERS, n, out, 0};
    if (pthread_create(&th[t], NULL, worker_main, &ws[t]) != 0) return 3;
  }
  for (int t = 0; t < WORKERS; t++) {
    pthread_join(th[t], NULL);
    failed |= ws[t].failed;
  }
  for (int i = 0; i < n; i++) {
    if (out[i]) puts(out[i]);
    free(out[i]);
  }
  free(out);
  return failed ? 3 : 0;
}
