/*
** test_stemmer_dev.c — accuracy of cari's Indonesian stemmer on the team's
** development lists (../shared/data/stem-dev, read at run time, never
** copied). Each list must stay at or above a floor set just under the
** level reached when the floor was written; the figures are printed.
** Without the lists the test reports itself skipped.
*/
#include "stemmer_id.h"
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DEV "../shared/data/stem-dev"

static const struct {
  const char *file, *what;
  double floor; /* percent */
} lists[] = {
    {"affixed.tsv", "surface -> root", 97.0},
    {"roots.tsv", "roots unchanged", 99.8},
    {"redup.tsv", "reduplication, base|whole", 99.6},
    {"ambiguous.tsv", "either root counts", 97.0},
};

/* Percent of the list's words whose stem is one of the `|`-separated gold
** stems; -1 when the file cannot be read. Prints a few misses. */
static double accuracy(sid_stemmer *st, const char *file, long *nwords) {
  char path[256];
  snprintf(path, sizeof path, DEV "/%s", file);
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  char line[1024], out[SID_MAX_WORD * 2 + 8];
  long n = 0, ok = 0, shown = 0;
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\r\n")] = 0;
    char *tab = strchr(line, '\t');
    if (!tab) continue;
    *tab = 0;
    int k = sid_stem(st, line, (int)(tab - line), out, (int)sizeof out);
    if (k < 0 || k >= (int)sizeof out) k = 0;
    out[k] = 0;
    int good = 0;
    for (char *g = tab + 1; g && !good;) {
      char *bar = strchr(g, '|');
      size_t gn = bar ? (size_t)(bar - g) : strlen(g);
      good = gn == (size_t)k && memcmp(g, out, gn) == 0;
      g = bar ? bar + 1 : NULL;
    }
    n++;
    ok += good;
    if (!good && shown < 3) {
      printf("  miss %s: %s -> %s (gold %s)\n", file, line, out, tab + 1);
      shown++;
    }
  }
  fclose(f);
  *nwords = n;
  return n ? 100.0 * (double)ok / (double)n : -1;
}

int main(void) {
  struct stat sb;
  if (stat(DEV, &sb) != 0) {
    printf("skipped: " DEV " not found\n");
    printf("stemmer-dev: 0 passed, 0 failed, 1 skipped\n");
    return 0;
  }
  char err[256];
  sid_lexicon *lx = sid_lexicon_load(SID_DEFAULT_DIC, "stemmer-id/roots_extra.txt",
                                     "stemmer-id/exceptions.tsv", err,
                                     sizeof err);
  CHECK("load", lx != NULL, "sid_lexicon_load: %s", err);
  if (!lx) return test_report("stemmer-dev");
  sid_stemmer *st = sid_new(lx);
  CHECK("new", st != NULL, "sid_new failed");
  printf("lexicon %s (%d entries)\n", sid_lexicon_checksum(lx),
         sid_lexicon_count(lx));
  for (size_t i = 0; st && i < sizeof lists / sizeof lists[0]; i++) {
    long n = 0;
    double acc = accuracy(st, lists[i].file, &n);
    CHECK(lists[i].file, acc >= lists[i].floor, "%s: %.3f%% < floor %.1f%%",
          lists[i].file, acc, lists[i].floor);
    printf("%-14s %7ld words  %7.3f%%  (floor %.1f%%; %s)\n", lists[i].file, n,
           acc, lists[i].floor, lists[i].what);
  }
  sid_free(st);
  sid_lexicon_free(lx);
  return test_report("stemmer-dev");
}
