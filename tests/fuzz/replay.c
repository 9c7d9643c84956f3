/*
** replay.c — a plain main() for the fuzz targets, so that the inputs kept
** in tests/fuzz/regressions/ (and the seeds) replay in `make test` without
** libFuzzer or clang: `fuzz_X_replay FILE|DIR...` runs every file given
** (a directory: its files, in byte order of names) through the target's
** LLVMFuzzerTestOneInput. A failed check aborts, as under libFuzzer. The
** last line is "NAME: N passed, 0 failed", one pass per input.
*/
#include "fuzz.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int cmp_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Run one file; 0 on success, 1 when it cannot be read. */
static int run_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "FAIL cannot open %s\n", path);
    return 1;
  }
  size_t n = 0, cap = 4096;
  uint8_t *buf = malloc(cap);
  for (;;) {
    if (!buf) {
      fprintf(stderr, "FAIL out of memory reading %s\n", path);
      fclose(f);
      return 1;
    }
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (n < cap) break;
    uint8_t *p = realloc(buf, cap *= 2);
    if (!p) free(buf);
    buf = p;
  }
  int bad = ferror(f);
  fclose(f);
  if (bad) {
    fprintf(stderr, "FAIL read error on %s\n", path);
    free(buf);
    return 1;
  }
  /* An exact-size copy, so ASan sees reads past the input's end. */
  uint8_t *in = malloc(n ? n : 1);
  if (!in) {
    free(buf);
    fprintf(stderr, "FAIL out of memory reading %s\n", path);
    return 1;
  }
  if (n) memcpy(in, buf, n);
  free(buf);
  LLVMFuzzerTestOneInput(in, n);
  free(in);
  return 0;
}

/* Run a file, or the files of a directory; counts into *ok and *bad. */
static void run_path(const char *path, int *ok, int *bad) {
  struct stat st;
  if (stat(path, &st) != 0) {
    fprintf(stderr, "FAIL cannot stat %s\n", path);
    (*bad)++;
    return;
  }
  if (!S_ISDIR(st.st_mode)) {
    if (run_file(path)) (*bad)++;
    else (*ok)++;
    return;
  }
  DIR *d = opendir(path);
  if (!d) {
    fprintf(stderr, "FAIL cannot open directory %s\n", path);
    (*bad)++;
    return;
  }
  char **names = NULL;
  size_t nn = 0, cap = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    if (nn == cap) {
      char **p = realloc(names, (cap = cap ? cap * 2 : 64) * sizeof *p);
      if (!p) break;
      names = p;
    }
    if (!(names[nn] = strdup(e->d_name))) break;
    nn++;
  }
  closedir(d);
  if (nn) qsort(names, nn, sizeof *names, cmp_name);
  for (size_t i = 0; i < nn; i++) {
    char p[4096];
    snprintf(p, sizeof p, "%s/%s", path, names[i]);
    run_path(p, ok, bad);
    free(names[i]);
  }
  free(names);
}

int main(int argc, char **argv) {
  int ok = 0, bad = 0;
  const char *name = strrchr(argv[0], '/');
  name = name ? name + 1 : argv[0];
  LLVMFuzzerInitialize(&argc, &argv);
  for (int i = 1; i < argc; i++) run_path(argv[i], &ok, &bad);
  printf("%s: %d passed, %d failed\n", name, ok, bad);
  return bad ? 1 : 0;
}
