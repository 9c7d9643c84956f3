/*
** typo_cost.c — the benchmark of typo matching (issue 13): what the lookups of
** query/typo.c add to a search, beside its baseline from the same run on
** the same database: the same queries with CARI_SEARCH_NO_TYPO.
**
**   typo_cost DB QUERIES.tsv PASSES [OUT.tsv]
**
** DB is a cari database of bench/gen_corpus's articles, QUERIES.tsv
** gen_corpus's query set. Two sets are timed: the queries as given (their
** words are known: the lookups cost only the check that they are), and
** each query with one typing error in one word of 5 letters or more (the
** model of bench/typo-sets: a QWERTY neighbour, a deletion, an insertion
** or a transposition, seeded). Each with typos off, then on (and the
** misspelt ones with typo=0: the lookups without corrections); every search
** as a blog page makes it (the top 10 with snippets), warm (one untimed
** pass first), PASSES passes, reported as p50 and p99 of the wall clock
** and of the thread's CPU time, the difference of the p99s and their
** ratio; with OUT, also as lines
** "row<TAB>p50<TAB>p99<TAB>cpu_p50<TAB>cpu_p99<TAB>n". Through
** include/cari.h only; results are not checked (tests/test_typo.c does).
*/
#include "cari.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(int cpu) {
  struct timespec ts;
  clock_gettime(cpu ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void die(const char *what, cari_db *db) {
  fprintf(stderr, "typo_cost: %s%s%s\n", what, db ? ": " : "",
          db ? cari_errmsg(db) : "");
  exit(1);
}

#define MAXQ 400
static char *qtext[MAXQ], *qbad[MAXQ];
static int nq;

static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static unsigned rnd(unsigned n) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (unsigned)(rng % n);
}

/* QWERTY neighbours of a..z. */
static const char *const nb[26] = {
    "qwsz", "vghn", "xdfv", "ersfxc", "wrsdf", "rtdgcv", "tyfhvb", "yugjbn",
    "uojkl", "uihknm", "iojlm", "opk", "njk", "bhjm", "ipkl", "ol", "wa",
    "etdfg", "weadzx", "ryfgh", "yihjk", "cfgb", "qeasd", "zsdc", "tughj",
    "asx"};

/* q with one typing error in a random word of 5 letters a-z or more. */
static char *misspell(const char *q) {
  size_t n = strlen(q);
  char *out = malloc(n + 2);
  if (!out) die("out of memory", NULL);
  size_t start[64], len[64];
  int nw = 0;
  for (size_t i = 0; i < n && nw < 64;) {
    size_t j = i;
    while (j < n && q[j] >= 'a' && q[j] <= 'z') j++;
    if (j - i >= 5) {
      start[nw] = i;
      len[nw++] = j - i;
    }
    i = j > i ? j : i + 1;
  }
  memcpy(out, q, n + 1);
  if (!nw) return out;
  int w = (int)rnd((unsigned)nw);
  size_t at = start[w] + rnd((unsigned)len[w]), end = start[w] + len[w];
  char c = q[at], k = nb[c - 'a'][rnd((unsigned)strlen(nb[c - 'a']))];
  unsigned kind = rnd(100);
  if (kind < 40) {
    out[at] = k; /* a neighbouring key */
  } else if (kind < 65) {
    memmove(out + at, q + at + 1, n - at); /* deleted */
  } else if (kind < 80) {
    out[at + 1] = rnd(2) ? c : k; /* inserted after it */
    memcpy(out + at + 2, q + at + 1, n - at);
  } else {
    if (at + 1 == end) at--; /* swapped with the next letter */
    out[at] = q[at + 1];
    out[at + 1] = q[at];
  }
  return out;
}

static void load_queries(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) die("cannot read the query set", NULL);
  char line[1024];
  while (nq < MAXQ && fgets(line, sizeof line, f)) {
    char *tab = strchr(line, '\t');
    if (line[0] == '#' || !tab) continue;
    tab[1 + strcspn(tab + 1, "\n")] = 0;
    if (!(qtext[nq] = strdup(tab + 1))) die("out of memory", NULL);
    qbad[nq] = misspell(qtext[nq]);
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
  double p50, p99, cpu50, cpu99;
} result;

static FILE *out;

/* Time every query of set q with flags, PASSES passes after a warm one. */
static result run(cari_db *db, const char *name, char **q, int flags,
                  const char *ranking, int passes) {
  double *t = malloc((size_t)(nq * passes + 1) * sizeof *t);
  double *c = malloc((size_t)(nq * passes + 1) * sizeof *c);
  if (!t || !c) die("out of memory", NULL);
  cari_search_opts o = CARI_SEARCH_OPTS_INIT;
  o.flags = flags;
  o.ranking = ranking;
  int n = 0;
  for (int p = -1; p < passes; p++)
    for (int i = 0; i < nq; i++) {
      double w0 = now_ms(0), c0 = now_ms(1);
      cari_cursor *cur;
      int rc = cari_search(db, q[i], -1, &o, &cur);
      if (rc == CARI_QUERY) continue;
      if (rc) die("search", db);
      while ((rc = cari_next(cur)) == CARI_ROW) {
      }
      if (rc != CARI_DONE) die("next", db);
      cari_cursor_free(cur);
      if (p < 0) continue;
      t[n] = now_ms(0) - w0;
      c[n++] = now_ms(1) - c0;
    }
  result r = {pct(t, n, 0.5), pct(t, n, 0.99), pct(c, n, 0.5), pct(c, n, 0.99)};
  printf("  %-34s p50 %7.3f p99 %8.3f ms | cpu p50 %7.3f p99 %7.3f ms (%d)\n",
         name, r.p50, r.p99, r.cpu50, r.cpu99, n);
  if (out)
    fprintf(out, "%s\t%.4f\t%.4f\t%.4f\t%.4f\t%d\n", name, r.p50, r.p99,
            r.cpu50, r.cpu99, n);
  free(t);
  free(c);
  return r;
}

static void compare(const char *what, result off, result on) {
  printf("  %s: %+.3f ms at p50, %+.3f ms at p99 (%.2fx); cpu %+.3f ms at"
         " p50, %+.3f ms at p99 (%.2fx)\n", what, on.p50 - off.p50,
         on.p99 - off.p99, on.p99 / off.p99, on.cpu50 - off.cpu50,
         on.cpu99 - off.cpu99, on.cpu99 / off.cpu99);
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: typo_cost DB QUERIES.tsv PASSES [OUT.tsv]\n");
    return 2;
  }
  int passes = atoi(argv[3]);
  if (passes < 1) passes = 1;
  if (argc > 4 && !(out = fopen(argv[4], "w"))) die("cannot write OUT", NULL);
  load_queries(argv[2]);
  cari_db *db;
  if (cari_open(argv[1], NULL, CARI_OPEN_READONLY, &db)) die("open", db);
  printf("typo_cost: %lld articles, %d queries, %d passes (+1 warm)\n",
         cari_count(db), nq, passes);
  int changed = 0, dym = 0;
  for (int i = 0; i < nq; i++) {
    changed += strcmp(qtext[i], qbad[i]) != 0;
    cari_cursor *c;
    if (cari_search(db, qbad[i], -1, NULL, &c) == CARI_OK) {
      dym += cari_cursor_did_you_mean(c) != NULL;
      cari_cursor_free(c);
    }
  }
  printf("  %d of %d queries misspelt; %d of them with a did-you-mean\n",
         changed, nq, dym);
  result a = run(db, "queries as given, --no-typo", qtext, CARI_SEARCH_NO_TYPO,
                 NULL, passes);
  result b = run(db, "queries as given, typos on", qtext, 0, NULL, passes);
  result c = run(db, "misspelt, --no-typo", qbad, CARI_SEARCH_NO_TYPO, NULL,
                 passes);
  result e = run(db, "misspelt, lookups only (typo=0)", qbad, 0, "typo=0",
                 passes);
  result d = run(db, "misspelt, typos on", qbad, 0, NULL, passes);
  /* The check that known words are known; the lookups and did-you-mean
  ** of misspelt ones; what a misspelt query costs against the same query
  ** typed right (lookups and the corrections' longer search). */
  compare("typos on, queries as given", a, b);
  compare("lookups, misspelt (typo=0 vs --no-typo)", c, e);
  compare("misspelt typos on vs as given --no-typo", a, d);
  cari_close(db);
  for (int i = 0; i < nq; i++) {
    free(qtext[i]);
    free(qbad[i]);
  }
  if (out) fclose(out);
  return 0;
}
