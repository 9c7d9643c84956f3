/*
** direct.c — the baseline of bench/serve_load: one thread calling the
** library directly, round the same query list the HTTP load uses, for a
** fixed time, top 10 without snippets (CARI_SEARCH_NO_SNIPPET) and without
** the total, no time limit. Prints one line: searches, seconds, searches/s.
**
**   direct DB QUERIES.tsv SECONDS [snippets] [total]
**
** `snippets` and `total` add what `cari serve` does on top (snippets, and
** cari_cursor_total), to show what each costs.
**
** QUERIES.tsv is bench/gen_corpus's `band<TAB>query` list ('#' lines are
** comments). A client of include/cari.h only. It does no HTTP.
*/
#include "cari.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: direct DB QUERIES.tsv SECONDS [snippets] "
            "[total]\n");
    return 2;
  }
  double secs = atof(argv[3]);
  FILE *f = fopen(argv[2], "r");
  if (!f || secs <= 0) {
    fprintf(stderr, "direct: cannot read %s, or SECONDS not > 0\n", argv[2]);
    return 2;
  }
  char **qs = NULL, line[4096];
  size_t n = 0;
  while (fgets(line, sizeof line, f)) {
    char *tab = strchr(line, '\t');
    if (line[0] == '#' || !tab) continue;
    tab[1 + strcspn(tab + 1, "\r\n")] = 0;
    char **g = realloc(qs, (n + 1) * sizeof *qs);
    if (!g || !(g[n] = strdup(tab + 1))) return 3;
    qs = g;
    n++;
  }
  fclose(f);
  if (n == 0) {
    fprintf(stderr, "direct: no queries in %s\n", argv[2]);
    return 2;
  }
  cari_db *db;
  if (cari_open(argv[1], NULL, CARI_OPEN_READONLY, &db) != CARI_OK) {
    fprintf(stderr, "direct: %s\n", cari_errmsg(db));
    cari_close(db);
    return 3;
  }
  cari_search_opts so = {.size = sizeof so, .limit = 10,
                         .flags = CARI_SEARCH_NO_SNIPPET,
                         .max_ms = -1};
  int want_total = 0;
  for (int a = 4; a < argc; a++) {
    if (!strcmp(argv[a], "snippets")) so.flags = 0;
    else if (!strcmp(argv[a], "total")) want_total = 1;
    else {
      fprintf(stderr, "direct: unknown option '%s'\n", argv[a]);
      return 2;
    }
  }
  long long done = 0, rows = 0;
  int failed = 0;
  double t0 = now(), t = t0;
  for (size_t i = 0; t - t0 < secs; i = (i + 1) % n) {
    cari_cursor *c;
    int rc = cari_search(db, qs[i], -1, &so, &c);
    if (rc == CARI_OK) {
      long long total;
      if (want_total && (rc = cari_cursor_total(c, &total)) != CARI_OK) {
        fprintf(stderr, "direct: '%s': %s\n", qs[i], cari_errmsg(db));
        failed = 1;
        cari_cursor_free(c);
        break;
      }
      while ((rc = cari_next(c)) == CARI_ROW) rows++;
      cari_cursor_free(c);
    }
    if (rc != CARI_DONE && rc != CARI_QUERY) {
      fprintf(stderr, "direct: '%s': %s\n", qs[i], cari_errmsg(db));
      failed = 1;
      break;
    }
    done++;
    t = now();
  }
  printf("direct: %lld searches in %.2f s: %.1f searches/s (%lld rows%s%s)\n",
         done, t - t0, (double)done / (t - t0), rows,
         so.flags ? "" : ", snippets", want_total ? ", total" : "");
  for (size_t i = 0; i < n; i++) free(qs[i]);
  free(qs);
  return cari_close(db) == CARI_OK && !failed ? 0 : 3;
}
