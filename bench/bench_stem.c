/*
** bench_stem.c — speed and accuracy of cari's Indonesian stemmer (sid_stem)
** beside its baseline, libstemmer's Snowball `indonesian`, in the same run.
**
** Speed, in words per second, over two inputs: distinct words (the surfaces
** of ../shared/data/stem-dev/affixed.tsv, or the hunspell word list when
** that is absent) and running text (the tokens of
** ../shared/data/tydiqa-id/docs.jsonl, lowercased and split on non-letters,
** when present). Each is timed 7 times with CLOCK_MONOTONIC; the median and
** the min-max are printed, and the ratio of the medians. No stem cache.
** Accuracy of both stemmers on the dev lists, when present.
** Run from the project root: build/bench_stem [DIC]. Not a test: it never
** fails on a number.
*/
#include "stemmer_id.h"

#include <libstemmer.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define REPS 7
#define DEV "../shared/data/stem-dev/"
#define DOCS "../shared/data/tydiqa-id/docs.jsonl"

typedef struct {
  char *buf;    /* words, each NUL-terminated */
  int *off, *len;
  int n, cap;
  size_t nbuf, capbuf;
} wordlist;

static void die(const char *msg) {
  fprintf(stderr, "bench_stem: %s\n", msg);
  exit(1);
}

static void wl_add(wordlist *wl, const char *w, int n) {
  if (n <= 0) return;
  if (wl->n == wl->cap) {
    wl->cap = wl->cap ? wl->cap * 2 : 1 << 16;
    wl->off = realloc(wl->off, (size_t)wl->cap * sizeof *wl->off);
    wl->len = realloc(wl->len, (size_t)wl->cap * sizeof *wl->len);
    if (!wl->off || !wl->len) die("out of memory");
  }
  if (wl->nbuf + (size_t)n + 1 > wl->capbuf) {
    wl->capbuf = (wl->capbuf ? wl->capbuf * 2 : 1 << 20) + (size_t)n;
    wl->buf = realloc(wl->buf, wl->capbuf);
    if (!wl->buf) die("out of memory");
  }
  memcpy(wl->buf + wl->nbuf, w, (size_t)n);
  wl->buf[wl->nbuf + (size_t)n] = 0;
  wl->off[wl->n] = (int)wl->nbuf;
  wl->len[wl->n++] = n;
  wl->nbuf += (size_t)n + 1;
}

static void wl_free(wordlist *wl) {
  free(wl->buf);
  free(wl->off);
  free(wl->len);
}

/* First column of a TSV (or the word of a .dic line, without flags). */
static int load_column(const char *path, int dic, wordlist *wl) {
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  char line[1024];
  int first = 1;
  while (fgets(line, sizeof line, f)) {
    size_t k = strcspn(line, dic ? "/\t\r\n " : "\t\r\n");
    if (first && dic) { first = 0; continue; } /* the count */
    for (size_t i = 0; i < k; i++)
      if (line[i] >= 'A' && line[i] <= 'Z') line[i] = (char)(line[i] + 32);
    wl_add(wl, line, (int)k);
  }
  fclose(f);
  return 0;
}

static int is_letter(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* Tokens of the "body" strings of a JSONL file: lowercased, split on
** non-letters (a JSON escape counts as a non-letter). */
static int load_docs(const char *path, wordlist *wl) {
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  static char line[1 << 20];
  char tok[256];
  while (fgets(line, sizeof line, f)) {
    char *p = strstr(line, "\"body\": \"");
    if (!p) continue;
    p += 9;
    int n = 0;
    for (;; p++) {
      unsigned char c = (unsigned char)*p;
      if (c == 0 || c == '"' || c == '\\' || !is_letter(c)) {
        if (n > 0 && n < (int)sizeof tok) wl_add(wl, tok, n);
        n = 0;
        if (c == 0 || c == '"') break;
        if (c == '\\') p += p[1] == 'u' ? 5 : 1;
        continue;
      }
      if (n < (int)sizeof tok) tok[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
  }
  fclose(f);
  return 0;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

typedef struct {
  double med, min, max; /* words per second */
} rate;

static volatile unsigned long sink; /* keeps the stems from being optimised away */

static rate time_sid(sid_stemmer *st, const wordlist *wl) {
  double r[REPS];
  char out[SID_MAX_WORD * 2 + 8];
  for (int k = 0; k < REPS; k++) {
    unsigned long s = 0;
    double t = now();
    for (int i = 0; i < wl->n; i++)
      s += (unsigned long)sid_stem(st, wl->buf + wl->off[i], wl->len[i], out,
                                   (int)sizeof out);
    t = now() - t;
    sink += s;
    r[k] = wl->n / t;
  }
  qsort(r, REPS, sizeof r[0], cmp_double);
  return (rate){r[REPS / 2], r[0], r[REPS - 1]};
}

static rate time_snowball(struct sb_stemmer *sb, const wordlist *wl) {
  double r[REPS];
  for (int k = 0; k < REPS; k++) {
    unsigned long s = 0;
    double t = now();
    for (int i = 0; i < wl->n; i++) {
      sb_stemmer_stem(sb, (const sb_symbol *)(wl->buf + wl->off[i]), wl->len[i]);
      s += (unsigned long)sb_stemmer_length(sb);
    }
    t = now() - t;
    sink += s;
    r[k] = wl->n / t;
  }
  qsort(r, REPS, sizeof r[0], cmp_double);
  return (rate){r[REPS / 2], r[0], r[REPS - 1]};
}

static void speed(const char *name, const wordlist *wl, sid_stemmer *st,
                  struct sb_stemmer *sb) {
  rate a = time_sid(st, wl), b = time_snowball(sb, wl);
  printf("%-22s %9d  %7.2f M/s (%.2f-%.2f)  %7.2f M/s (%.2f-%.2f)  %5.2f\n",
         name, wl->n, a.med / 1e6, a.min / 1e6, a.max / 1e6, b.med / 1e6,
         b.min / 1e6, b.max / 1e6, a.med / b.med);
}

/* Accuracy on a dev list: gold is `a` or `a|b` (either counts). */
static void accuracy(const char *file, sid_stemmer *st, struct sb_stemmer *sb) {
  char path[256];
  snprintf(path, sizeof path, DEV "%s", file);
  FILE *f = fopen(path, "r");
  if (!f) return;
  char line[1024], out[SID_MAX_WORD * 2 + 8];
  long n = 0, ok_sid = 0, ok_sb = 0;
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\r\n")] = 0;
    char *tab = strchr(line, '\t');
    if (!tab) continue;
    *tab = 0;
    int wn = (int)(tab - line);
    int k = sid_stem(st, line, wn, out, (int)sizeof out);
    if (k < 0 || k >= (int)sizeof out) k = 0;
    const sb_symbol *s = sb_stemmer_stem(sb, (const sb_symbol *)line, wn);
    int ks = sb_stemmer_length(sb);
    n++;
    for (char *g = tab + 1; g;) {
      char *bar = strchr(g, '|');
      int gn = bar ? (int)(bar - g) : (int)strlen(g);
      int a = gn == k && memcmp(g, out, (size_t)k) == 0;
      int b = s && gn == ks && memcmp(g, s, (size_t)ks) == 0;
      if (a) ok_sid++, a = 0, k = -1; /* count each once */
      if (b) ok_sb++, ks = -1;
      g = bar ? bar + 1 : NULL;
    }
  }
  fclose(f);
  if (n)
    printf("%-22s %9ld  %7.2f %%                  %7.2f %%\n", file, n,
           100.0 * ok_sid / n, 100.0 * ok_sb / n);
}

int main(int argc, char **argv) {
  const char *dic = argc > 1 ? argv[1] : SID_DEFAULT_DIC;
  char err[512];
  double t = now();
  sid_lexicon *lx = sid_lexicon_load(dic, "stemmer-id/roots_extra.txt",
                                     "stemmer-id/exceptions.tsv", err,
                                     sizeof err);
  if (!lx) die(err);
  t = now() - t;
  sid_stemmer *st = sid_new(lx);
  struct sb_stemmer *sb = sb_stemmer_new("indonesian", "UTF_8");
  if (!st || !sb) die("out of memory");
  printf("lexicon: %d entries, checksum %s, loaded in %.1f ms\n",
         sid_lexicon_count(lx), sid_lexicon_checksum(lx), t * 1e3);

  wordlist distinct = {0}, running = {0};
  const char *dname = "distinct (stem-dev)";
  if (load_column(DEV "affixed.tsv", 0, &distinct)) {
    printf("skipped: " DEV " not found; distinct words from %s\n", dic);
    dname = "distinct (hunspell)";
    load_column(dic, 1, &distinct);
  }
  int have_docs = load_docs(DOCS, &running) == 0;
  if (!have_docs) printf("skipped: " DOCS " not found\n");

  printf("\n%-22s %9s  %-26s  %-26s  %5s\n", "words/s", "words",
         "sid_stem median (min-max)", "snowball median (min-max)", "ratio");
  if (distinct.n) speed(dname, &distinct, st, sb);
  if (have_docs && running.n) speed("running (tydiqa-id)", &running, st, sb);

  printf("\n%-22s %9s  %-26s  %-26s\n", "accuracy", "words", "sid_stem",
         "snowball");
  accuracy("affixed.tsv", st, sb);
  accuracy("roots.tsv", st, sb);
  accuracy("redup.tsv", st, sb);
  accuracy("ambiguous.tsv", st, sb);

  wl_free(&distinct);
  wl_free(&running);
  sb_stemmer_delete(sb);
  sid_free(st);
  sid_lexicon_free(lx);
  return 0;
}
