/*
** test_fault.c — out-of-memory fault loops, in the manner of SQLite's own:
** run a scenario (open, batch of puts, search, check, remove, close) again
** and again, failing the 1st, 2nd, 3rd... allocation, until a run sees no
** failure. Every run must end with a cari_rc (no crash, no leak under ASan),
** and the database must pass its integrity check afterwards. Allocations are
** failed in SQLite (SQLITE_CONFIG_MALLOC) and in cari's own code (this
** program is linked with --wrap=malloc,calloc,realloc; see the Makefile).
** Also: damaged database files give errors, not crashes.
*/
#include "cari.h"
#include "test.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static long fail_at;  /* fail the allocation with this number (0: never) */
static long nalloc;   /* allocations counted since the loop began */
static int failed;    /* did this run see a failure? */

static int should_fail(void) {
  if (fail_at <= 0) return 0;
  if (++nalloc == fail_at) {
    failed = 1;
    return 1;
  }
  return 0;
}

void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t k, size_t n);
void *__wrap_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n) { return should_fail() ? NULL : __real_malloc(n); }
void *__wrap_calloc(size_t k, size_t n) {
  return should_fail() ? NULL : __real_calloc(k, n);
}
void *__wrap_realloc(void *p, size_t n) {
  return should_fail() ? NULL : __real_realloc(p, n);
}

static sqlite3_mem_methods orig;
static void *f_malloc(int n) { return should_fail() ? NULL : orig.xMalloc(n); }
static void *f_realloc(void *p, int n) {
  return should_fail() ? NULL : orig.xRealloc(p, n);
}

static char dir[64];

static const cari_article arts[] = {
    {"a", "Warga berkumpul", "Warga berkumpul di balai desa setiap Minggu.",
     "https://contoh.id/a", "2024-01-01", NULL, 0, NULL},
    {"b", "Perkumpulan nelayan", "Perkumpulan itu mengumpulkan dana.", NULL,
     NULL, NULL, 0, NULL},
    {"c", "Kopi pagi", "Anak-anak minum susu, orang tua minum kopi.", NULL,
     NULL, NULL, 0, NULL},
};

static int valid_rc(int rc) {
  return rc == CARI_OK || rc == CARI_NOMEM || rc == CARI_ERROR ||
         rc == CARI_IO || rc == CARI_CORRUPT;
}

/* One run; returns the first non-OK code. */
static int scenario(const char *path) {
  cari_db *db = NULL;
  int rc = cari_open(path, NULL, 0, &db);
  if (rc) goto out;
  if ((rc = cari_begin(db))) goto out;
  for (size_t i = 0; i < 3; i++)
    if ((rc = cari_put(db, &arts[i]))) {
      cari_rollback(db);
      goto out;
    }
  if ((rc = cari_commit(db))) goto out;
  cari_cursor *c = NULL;
  if ((rc = cari_search(db, "kumpul \"warga berkumpul\" -kopi", -1, NULL, &c))) goto out;
  while ((rc = cari_next(c)) == CARI_ROW) {
    (void)cari_result_snippet(c);
    (void)cari_result_title(c);
  }
  if (rc == CARI_DONE) rc = CARI_OK;
  if (rc == CARI_OK && cari_cursor_total(c) < 0) rc = CARI_ERROR;
  cari_cursor_free(c);
  if (rc) goto out;
  if ((rc = cari_check(db))) goto out;
  rc = cari_remove(db, "b");
out:
  cari_close(db);
  return rc;
}

static void fault_loop(void) {
  char path[300];
  snprintf(path, sizeof path, "%s/f.db", dir);
  int bad = 0, runs = 0;
  for (fail_at = 1; fail_at < 20000; fail_at++) {
    unlink(path);
    nalloc = 0;
    failed = 0;
    int rc = scenario(path);
    long at = fail_at;
    fail_at = 0; /* no faults while we look at the result */
    runs++;
    if (!valid_rc(rc) || (!failed && rc != CARI_OK)) {
      if (bad++ < 5)
        fprintf(stderr, "fault at allocation %ld: rc %d (%s)\n", at, rc,
                cari_errstr(rc));
    }
    /* Whatever happened, the file is a sound database (or absent). */
    if (access(path, F_OK) == 0) {
      cari_db *db;
      int x = cari_open(path, NULL, 0, &db);
      if (x == CARI_OK) x = cari_check(db);
      if (x != CARI_OK && !(x == CARI_MISMATCH || x == CARI_NOTFOUND)) {
        if (bad++ < 5)
          fprintf(stderr, "after fault %ld: %s\n", at, cari_errmsg(db));
      }
      cari_close(db);
    }
    fail_at = at;
    if (!failed) break; /* the scenario ran to the end: done */
  }
  printf("fault loop: %d runs\n", runs);
  CHECK_INT("oom-runs-clean", bad, 0);
  CHECK("oom-loop-finished", fail_at < 20000, "never ran without a fault");
  fail_at = 0;
  unlink(path);
  char side[320];
  snprintf(side, sizeof side, "%s-wal", path);
  unlink(side);
  snprintf(side, sizeof side, "%s-shm", path);
  unlink(side);
}

/* A database file with garbage written over parts of it. */
static void damaged_files(void) {
  char path[300];
  snprintf(path, sizeof path, "%s/d.db", dir);
  cari_db *db;
  cari_open(path, NULL, 0, &db);
  for (int i = 0; i < 200; i++) {
    char id[16], body[200];
    snprintf(id, sizeof id, "d%d", i);
    snprintf(body, sizeof body, "warga berkumpul nomor %d di balai desa %d", i,
             i * 7);
    cari_article a = {id, "judul", body, NULL, NULL, NULL, 0, NULL};
    cari_put(db, &a);
  }
  cari_close(db);
  /* Fold the WAL into the file so the damage hits real pages. */
  sqlite3 *s;
  sqlite3_open(path, &s);
  sqlite3_exec(s, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
  sqlite3_close(s);
  FILE *f = fopen(path, "rb");
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  unsigned char *orig_bytes = malloc((size_t)size);
  fseek(f, 0, SEEK_SET);
  size_t got = fread(orig_bytes, 1, (size_t)size, f);
  fclose(f);
  CHECK("damaged-read", got == (size_t)size && size > 4096, "size %ld", size);
  int bad = 0;
  unsigned seed = 7;
  for (int round = 0; round < 40; round++) {
    f = fopen(path, "wb");
    fwrite(orig_bytes, 1, (size_t)size, f);
    /* Damage 64 bytes somewhere after the header page. */
    seed = seed * 1103515245u + 12345u;
    long at = 100 + (long)(seed % (unsigned)(size - 200));
    fseek(f, at, SEEK_SET);
    for (int k = 0; k < 64; k++) fputc((int)((seed >> (k % 24)) & 0xff), f);
    fclose(f);
    int rc = cari_open(path, NULL, 0, &db);
    if (rc == CARI_OK) {
      cari_cursor *c;
      if (cari_search(db, "warga", -1, NULL, &c) == CARI_OK) {
        while ((rc = cari_next(c)) == CARI_ROW) {}
        cari_cursor_free(c);
      }
      rc = cari_check(db);
    }
    if (!(rc == CARI_OK || rc == CARI_CORRUPT || rc == CARI_ERROR ||
          rc == CARI_MISMATCH || rc == CARI_DONE)) {
      if (bad++ < 3) fprintf(stderr, "damaged at %ld: rc %d\n", at, rc);
    }
    if (rc != CARI_OK && !cari_errmsg(db)[0] && bad++ < 3)
      fprintf(stderr, "damaged at %ld: rc %d with no message\n", at, rc);
    cari_close(db);
  }
  CHECK_INT("damaged-no-crash", bad, 0);
  free(orig_bytes);
  unlink(path);
}

int main(void) {
  /* Memory-backed when the machine has it: the loop writes many files. */
  snprintf(dir, sizeof dir, "%s/cari-fault-XXXXXX",
           access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
  if (!mkdtemp(dir)) return 1;
  /* The cari stemmer with a small dictionary: every allocation of its
  ** lexicon is still failed in turn, but each run loads in moments. */
  char dic[128];
  snprintf(dic, sizeof dic, "%s/tiny.dic", dir);
  FILE *df = fopen(dic, "w");
  if (!df) return 1;
  fputs("6\nwarga\nkumpul\ndesa\nnelayan\nkopi/A\nanak\n", df);
  fclose(df);
  setenv("CARI_DIC", dic, 1);
  sqlite3_config(SQLITE_CONFIG_GETMALLOC, &orig);
  sqlite3_mem_methods m = orig;
  m.xMalloc = f_malloc;
  m.xRealloc = f_realloc;
  sqlite3_config(SQLITE_CONFIG_MALLOC, &m);
  fault_loop();
  damaged_files();
  unlink(dic);
  rmdir(dir);
  return test_report("fault");
}
