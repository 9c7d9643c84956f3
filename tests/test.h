/*
** test.h — the whole test framework: counters, checks that print the case id
** with the actual and expected values, and a report whose last line is
** "N passed, N failed". Each tests/test_*.c is one program; tests/run adds up
** their reports. Deliberately no fixtures, no registration, no allocation.
*/
#ifndef CARI_TEST_H
#define CARI_TEST_H

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int test_passed, test_failed;

#define T_FAIL(id, ...)                                                   \
  do {                                                                    \
    test_failed++;                                                        \
    fprintf(stderr, "FAIL %s:%d [%s] ", __FILE__, __LINE__, (id));        \
    fprintf(stderr, __VA_ARGS__);                                         \
    fputc('\n', stderr);                                                  \
  } while (0)

/* A boolean check with a case id and a printf-style explanation. */
#define CHECK(id, cond, ...)                                              \
  do {                                                                    \
    if (cond) test_passed++;                                              \
    else T_FAIL(id, __VA_ARGS__);                                         \
  } while (0)

#define CHECK_INT(id, got, want)                                          \
  do {                                                                    \
    long long g_ = (long long)(got), w_ = (long long)(want);              \
    CHECK(id, g_ == w_, "got %lld, want %lld (%s)", g_, w_, #got);        \
  } while (0)

/* NULL-safe string equality; prints both values. */
#define CHECK_STR(id, got, want)                                          \
  do {                                                                    \
    const char *g_ = (got), *w_ = (want);                                 \
    int ok_ = (g_ == NULL || w_ == NULL) ? g_ == w_ : strcmp(g_, w_) == 0;\
    CHECK(id, ok_, "got \"%s\", want \"%s\"", g_ ? g_ : "(null)",         \
          w_ ? w_ : "(null)");                                            \
  } while (0)

/* Remove a database file and its -wal and -shm files (those missing are
** fine). 1 when everything there is gone. */
static inline int test_remove_db(const char *path) {
  char side[1100];
  int ok = unlink(path) == 0 || errno == ENOENT;
  snprintf(side, sizeof side, "%s-wal", path);
  ok &= unlink(side) == 0 || errno == ENOENT;
  snprintf(side, sizeof side, "%s-shm", path);
  ok &= unlink(side) == 0 || errno == ENOENT;
  return ok;
}

/* Print the report and return the process exit status. */
static int test_report(const char *name) {
  printf("%s: %d passed, %d failed\n", name, test_passed, test_failed);
  return test_failed ? 1 : 0;
}

#endif
