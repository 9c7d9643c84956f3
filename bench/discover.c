/*
** discover.c — the benchmark of what a blog shows around its search box
** (issue 12): filtered searches, facet counts, related articles and
** suggestions, each beside its baseline from the same run on the same
** database: the same queries unfiltered, the same searches without facets.
**
**   discover DB QUERIES.tsv PASSES [OUT.tsv]
**
** DB is a cari database of bench/gen_corpus's articles (their tags and
** dates: "Kuliner" on about 10% of them, dates spread over ten years),
** QUERIES.tsv gen_corpus's query set. Every row is timed per call, warm
** (one untimed pass first), over PASSES passes, and reported as p50 and
** p99 in milliseconds of the wall clock and of the thread's CPU time (on a
** shared machine, waits for a core inflate the first only); with OUT, also
** as lines "row<TAB>p50<TAB>p99<TAB>cpu_p50<TAB>cpu_p99<TAB>n".
** It measures through include/cari.h only and does not check results
** (tests/test_filters.c does).
*/
#include "cari.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The thread's CPU time: on a shared machine, waits for a core inflate
** the wall clock, not this. */
static double cpu_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Per call: wall and CPU milliseconds, side by side. */
static double *cpu_t; /* the CPU times of the row being measured */
static int cpu_n;
static double t0_wall, t0_cpu;
static void tick(void) {
  t0_wall = now_ms();
  t0_cpu = cpu_ms();
}
static double tock(void) {
  cpu_t[cpu_n++] = cpu_ms() - t0_cpu;
  return now_ms() - t0_wall;
}

static void die(const char *what, cari_db *db) {
  fprintf(stderr, "discover: %s%s%s\n", what, db ? ": " : "",
          db ? cari_errmsg(db) : "");
  exit(1);
}

#define MAXQ 400
static char *qtext[MAXQ], *qband[MAXQ];
static int nq;

static void load_queries(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) die("cannot read the query set", NULL);
  char line[1024];
  while (nq < MAXQ && fgets(line, sizeof line, f)) {
    if (line[0] == '#') continue;
    char *tab = strchr(line, '\t');
    if (!tab) continue;
    *tab = 0;
    tab[1 + strcspn(tab + 1, "\n")] = 0;
    qband[nq] = strdup(line);
    qtext[nq] = strdup(tab + 1);
    if (!qband[nq] || !qtext[nq]) die("out of memory", NULL);
    nq++;
  }
  fclose(f);
  if (!nq) die("no queries", NULL);
}

static int cmp_d(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double pct(double *v, int n, double p) {
  qsort(v, (size_t)n, sizeof *v, cmp_d);
  int i = (int)(p * (n - 1) + 0.5);
  return v[i < 0 ? 0 : i >= n ? n - 1 : i];
}

typedef struct {
  const char *name;
  double p50, p99, cpu50, cpu99;
  int n;
} result;

static result rows[32];
static int nrows;
static FILE *out;

static result *report(const char *name, double *t, int n) {
  result *r = &rows[nrows++];
  r->name = name;
  r->n = n;
  r->p50 = pct(t, n, 0.50);
  r->p99 = pct(t, n, 0.99);
  r->cpu50 = pct(cpu_t, cpu_n, 0.50);
  r->cpu99 = pct(cpu_t, cpu_n, 0.99);
  printf("  %-30s p50 %7.3f p99 %8.3f ms | cpu p50 %7.3f p99 %7.3f ms"
         " (%d)\n", name, r->p50, r->p99, r->cpu50, r->cpu99, n);
  if (out)
    fprintf(out, "%s\t%.4f\t%.4f\t%.4f\t%.4f\t%d\n", name, r->p50, r->p99,
            r->cpu50, r->cpu99, n);
  cpu_n = 0;
  return r;
}

/* One search as a blog page makes it: the top 10 with snippets, read. */
static void search(cari_db *db, const char *q, const cari_search_opts *o,
                   int facets) {
  cari_cursor *c;
  int rc = cari_search(db, q, -1, o, &c);
  if (rc == CARI_QUERY) return;
  if (rc) die("search", db);
  while ((rc = cari_next(c)) == CARI_ROW) {
  }
  if (rc != CARI_DONE) die("next", db);
  if (facets) {
    const char *v;
    long long n;
    for (int f = 0; f < 2; f++)
      for (int i = 0; (rc = cari_cursor_facet(c, f ? "year" : "tags", i, &v,
                                             &n)) == CARI_ROW;
           i++) {
      }
    if (rc != CARI_DONE) die("facets", db);
  }
  cari_cursor_free(c);
}

/* Time every query of the set (or of one band) with options o. */
static result *time_searches(cari_db *db, const char *name, const char *band,
                             const cari_search_opts *o, int facets,
                             int passes) {
  double *t = malloc((size_t)(nq * passes + 1) * sizeof *t);
  if (!t) die("out of memory", NULL);
  int n = 0;
  for (int p = -1; p < passes; p++)
    for (int i = 0; i < nq; i++) {
      if (band && strcmp(qband[i], band)) continue;
      tick();
      search(db, qtext[i], o, facets);
      double w = tock();
      if (p >= 0) t[n++] = w;
      else cpu_n--;
    }
  result *r = report(name, t, n);
  free(t);
  return r;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: discover DB QUERIES.tsv PASSES [OUT.tsv]\n");
    return 2;
  }
  int passes = atoi(argv[3]);
  if (passes < 1) passes = 1;
  if (argc > 4 && !(out = fopen(argv[4], "w"))) die("cannot write OUT", NULL);
  load_queries(argv[2]);
  if (!(cpu_t = malloc(100000 * sizeof *cpu_t))) die("out of memory", NULL);
  cari_db *db;
  if (cari_open(argv[1], NULL, CARI_OPEN_READONLY, &db)) die("open", db);
  long long narticles = cari_count(db);
  printf("discover: %lld articles, %d queries, %d passes (+1 warm)\n",
         narticles, nq, passes);

  /* Filters: the same queries unfiltered, then filtered. */
  const char *kuliner[] = {"kuliner"};
  cari_search_opts base = CARI_SEARCH_OPTS_INIT, tag = CARI_SEARCH_OPTS_INIT,
                   year = CARI_SEARCH_OPTS_INIT, both = CARI_SEARCH_OPTS_INIT;
  tag.tags = both.tags = kuliner;
  tag.ntags = both.ntags = 1;
  year.from = both.from = "2020-01-01";
  year.to = both.to = "2020-12-31";
  result *u = time_searches(db, "search (all queries)", NULL, &base, 0, passes);
  result *ft = time_searches(db, "  --tag kuliner (~10%)", NULL, &tag, 0, passes);
  result *fy = time_searches(db, "  --from/--to one year", NULL, &year, 0,
                             passes);
  result *fb = time_searches(db, "  both", NULL, &both, 0, passes);
  cari_search_opts bydate = CARI_SEARCH_OPTS_INIT;
  bydate.sort = CARI_SORT_DATE;
  result *sd = time_searches(db, "  --sort date", NULL, &bydate, 0, passes);
  printf("  filtered p99 / unfiltered p99: tag %.2f, year %.2f, both %.2f;"
         " sorted by date %.2f (cpu: %.2f, %.2f, %.2f; %.2f)\n",
         ft->p99 / u->p99, fy->p99 / u->p99, fb->p99 / u->p99,
         sd->p99 / u->p99, ft->cpu99 / u->cpu99, fy->cpu99 / u->cpu99,
         fb->cpu99 / u->cpu99, sd->cpu99 / u->cpu99);

  /* Facets for the common words. */
  cari_search_opts fac = CARI_SEARCH_OPTS_INIT;
  fac.flags = CARI_SEARCH_FACETS;
  result *cb = time_searches(db, "search (common words)", "common", &base, 0,
                             passes);
  result *cf = time_searches(db, "  with --facets", "common", &fac, 1, passes);
  printf("  facets add %.2f ms at p99 (cpu %.2f)\n", cf->p99 - cb->p99,
         cf->cpu99 - cb->cpu99);

  /* Related articles: 200 articles spread over the collection. */
  int nrel = 200;
  double *t = malloc((size_t)(nrel * passes + 1) * sizeof *t);
  if (!t) die("out of memory", NULL);
  int n = 0;
  cari_search_opts ro = CARI_SEARCH_OPTS_INIT;
  ro.flags = CARI_SEARCH_NO_SNIPPET;
  for (int p = -1; p < passes; p++)
    for (int i = 0; i < nrel; i++) {
      char id[32];
      snprintf(id, sizeof id, "gen-%07lld",
               1 + (long long)i * narticles / nrel);
      tick();
      cari_cursor *c;
      int rc = cari_related(db, id, &ro, &c);
      if (rc) die("related", db);
      while ((rc = cari_next(c)) == CARI_ROW) {
      }
      if (rc != CARI_DONE) die("related next", db);
      cari_cursor_free(c);
      double w = tock();
      if (p >= 0) t[n++] = w;
      else cpu_n--;
    }
  report("related (top 10, no snippets)", t, n);
  free(t);

  /* Suggestions: the first 1-4 letters of the query set's words. */
  for (int len = 1; len <= 4; len++) {
    char name[40];
    snprintf(name, sizeof name, "suggest, %d letter%s", len,
             len > 1 ? "s" : "");
    t = malloc((size_t)(nq * passes + 1) * sizeof *t);
    if (!t) die("out of memory", NULL);
    n = 0;
    for (int p = -1; p < passes; p++)
      for (int i = 0; i < nq; i++) {
        const char *w = qtext[i];
        while (*w == '"') w++;
        char part[8];
        int k = 0;
        while (k < len && w[k] && w[k] != ' ' && w[k] != '*' && w[k] != '"')
          k++;
        if (k < len) continue;
        memcpy(part, w, (size_t)k);
        part[k] = 0;
        cari_suggestion *s;
        int ns;
        tick();
        if (cari_suggest(db, part, -1, 10, &s, &ns)) die("suggest", db);
        cari_suggestions_free(s);
        double wall = tock();
        if (p >= 0) t[n++] = wall;
        else cpu_n--;
      }
    report(strdup(name), t, n);
    free(t);
  }
  if (cari_close(db)) die("close", NULL);
  if (out && fclose(out)) die("cannot write OUT", NULL);
  return 0;
}
