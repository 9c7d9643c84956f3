/*
** test_crash.c — durability against a crash of the process: a child indexes
** batches (and optimizes now and then), telling the parent after each
** commit; the parent kills it with SIGKILL at a random moment. Every batch
** reported as stored must be there, whole; the batch in flight must be there
** whole or not at all; the database must reopen, pass cari_check, and rank
** the same through the top-k postings as exhaustively. Repeated with kills
** at different moments, some of them inside cari_optimize.
** It does not simulate a power loss (see the README: synchronous=NORMAL).
*/
#include "cari.h"
#include "test.h"

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define KILLS 12
#define PER_BATCH 25

static char dir[] = "/tmp/cari-crash-XXXXXX";

static const char *const words[] = {
    "warga", "berkumpul", "balai", "desa", "kopi", "sawah", "petani", "padi",
    "banjir", "relawan", "sekolah", "guru", "pasar", "sayur", "harga",
    "kampung", "arisan", "sepeda", "batik", "wayang", "membaca", "menanam"};
#define NWORDS (sizeof words / sizeof *words)

static uint64_t rnd(uint64_t *s) {
  *s ^= *s << 13;
  *s ^= *s >> 7;
  *s ^= *s << 17;
  return *s;
}

/* The child: batches until killed; after each commit, its number on the
** pipe. Every tenth batch is followed by an optimize (reported as -1 when
** it returns). */
static void child(const char *path, int fd, uint64_t seed) {
  cari_db *db = NULL;
  if (cari_open(path, NULL, 0, &db) != CARI_OK) _exit(2);
  long long start = cari_count(db);
  for (int b = (int)(start / PER_BATCH);; b++) {
    if (cari_begin(db) != CARI_OK) _exit(3);
    for (int i = 0; i < PER_BATCH; i++) {
      char id[32], body[2000];
      size_t k = 0;
      for (int w = 0; w < 60 + (int)(rnd(&seed) % 100); w++)
        k += (size_t)snprintf(body + k, sizeof body - k, "%s ",
                              words[rnd(&seed) % NWORDS]);
      snprintf(id, sizeof id, "b%d-%d", b, i);
      cari_article a = {id, words[rnd(&seed) % NWORDS], body, NULL, NULL,
                        NULL, 0, NULL, NULL};
      if (cari_put(db, &a) != CARI_OK) _exit(4);
    }
    if (cari_commit(db) != CARI_OK) _exit(5);
    if (write(fd, &b, sizeof b) != (ssize_t)sizeof b) _exit(6);
    if (b % 10 == 9) {
      if (cari_optimize(db) != CARI_OK) _exit(7);
      int m = -1;
      if (write(fd, &m, sizeof m) != (ssize_t)sizeof m) _exit(6);
    }
  }
}

int main(void) {
  if (!mkdtemp(dir)) return 1;
  char path[300];
  snprintf(path, sizeof path, "%s/k.db", dir);
  /* A new seed each run (printed; CRASH_SEED repeats one). */
  const char *env = getenv("CRASH_SEED");
  uint64_t seed = env ? strtoull(env, NULL, 10)
                      : (uint64_t)time(NULL) * 2654435761u + 1;
  if (!seed) seed = 1;
  printf("seed %llu\n", (unsigned long long)seed);
  int reported_max = -1, optimizes = 0, in_optimize_kills = 0;
  for (int k = 0; k < KILLS; k++) {
    int p[2];
    CHECK("pipe", pipe(p) == 0, "pipe");
    pid_t pid = fork();
    if (pid == 0) {
      close(p[0]);
      child(path, p[1], seed + (uint64_t)k);
    }
    close(p[1]);
    /* Wait for a few reports, then kill at a random moment. */
    int want = 1 + (int)(rnd(&seed) % 12), got = 0, v, last_was_batch = 0;
    while (got < want && read(p[0], &v, sizeof v) == (ssize_t)sizeof v) {
      if (v >= 0) {
        reported_max = v > reported_max ? v : reported_max;
        got++;
        last_was_batch = v % 10 == 9; /* an optimize follows */
      } else {
        optimizes++;
      }
    }
    usleep((useconds_t)(rnd(&seed) % 30000));
    CHECK("kill", kill(pid, SIGKILL) == 0, "kill");
    int status = 0;
    CHECK("wait", waitpid(pid, &status, 0) == pid, "waitpid");
    CHECK("killed", WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
          "child ended otherwise: status %d", status);
    /* Reports written before the kill are still in the pipe. */
    while (read(p[0], &v, sizeof v) == (ssize_t)sizeof v) {
      if (v >= 0) {
        reported_max = v > reported_max ? v : reported_max;
        last_was_batch = v % 10 == 9;
      } else {
        optimizes++;
        last_was_batch = 0;
      }
    }
    close(p[0]);
    in_optimize_kills += last_was_batch;

    /* Reopen: every reported batch is there, whole; nothing half. */
    cari_db *db = NULL;
    int rc = cari_open(path, NULL, 0, &db);
    CHECK("reopen", rc == CARI_OK, "kill %d: %s", k, cari_errmsg(db));
    if (rc) {
      cari_close(db);
      break;
    }
    CHECK("check", cari_check(db) == CARI_OK, "kill %d: %s", k,
          cari_errmsg(db));
    long long n = cari_count(db);
    CHECK("whole batches", n % PER_BATCH == 0, "kill %d: %lld articles", k,
          n);
    CHECK("reported batches stored", n >= (long long)(reported_max + 1) *
                                            PER_BATCH,
          "kill %d: %lld articles, %d batches reported", k, n,
          reported_max + 1);
    CHECK("at most one batch unreported",
          n <= (long long)(reported_max + 2) * PER_BATCH,
          "kill %d: %lld articles, %d batches reported", k, n,
          reported_max + 1);
    /* The top-k postings (from the last optimize that finished) rank as
    ** FTS5 does. */
    for (size_t w = 0; w < NWORDS; w += 5) {
      char q[80];
      snprintf(q, sizeof q, "%s %s", words[w], words[(w + 7) % NWORDS]);
      cari_search_opts o1 = {.limit = 10, .flags = CARI_SEARCH_NO_SNIPPET,
                             .max_ms = -1}; /* no time limit under load */
      cari_search_opts o2 = o1;
      o2.flags |= CARI_SEARCH_EXHAUSTIVE;
      char a[2000] = "", b[2000] = "";
      for (int pass = 0; pass < 2; pass++) {
        cari_cursor *c = NULL;
        char *buf = pass ? b : a;
        rc = cari_search(db, q, -1, pass ? &o2 : &o1, &c);
        CHECK("search", rc == CARI_OK, "kill %d: %s", k, cari_errmsg(db));
        size_t len = 0;
        while (rc == CARI_OK && cari_next(c) == CARI_ROW && len < 1900)
          len += (size_t)snprintf(buf + len, 2000 - len, "%s:%.17g ",
                                  cari_result_id(c), cari_result_score(c));
        cari_cursor_free(c);
      }
      CHECK_STR(q, a, b);
    }
    CHECK_INT("close", cari_close(db), CARI_OK);
  }
  printf("crash: %d kills, %d batches of %d reported stored, %d optimizes "
         "finished, %d kills during an optimize\n",
         KILLS, reported_max + 1, PER_BATCH, optimizes, in_optimize_kills);
  CHECK("remove the database", test_remove_db(path), "%s", strerror(errno));
  rmdir(dir);
  return test_report("crash");
}
