/*
** test_concurrency.c — a blog server's day on one database file: reader
** threads and reader processes search (words, several words, prefixes,
** phrases, exclusions, with snippets and totals) while a writer adds,
** replaces and removes articles in batches and another handle optimizes.
** Every search must succeed and must be whole: the writer keeps exactly
** MARKED articles holding the word `penanda` in every commit, so any
** snapshot shows exactly that many, in its hits, its rows and its total.
** It does not measure speed; counts are printed for the record.
*/
#include "cari.h"
#include "test.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define START 400       /* articles before the day starts */
#define MARKED 7        /* articles holding `penanda`, at every commit */
#define ROUNDS 500      /* writer batches */
#define OPTIMIZES 6     /* optimizes during the day */
#define READERS 3       /* reader threads */
#define PROCS 2         /* reader processes */
#define PROC_SEARCHES 800

static char dir[] = "/tmp/cari-conc-XXXXXX";
static char path[256];
static atomic_int day_over;

static const char *const words[] = {
    "warga",   "berkumpul", "balai",   "desa",     "kopi",    "pagi",
    "sawah",   "petani",    "menanam", "padi",     "banjir",  "relawan",
    "sekolah", "guru",      "belajar", "membaca",  "pasar",   "pedagang",
    "sayur",   "harga",     "naik",    "turun",    "jalan",   "kampung",
    "gotong",  "royong",    "arisan",  "bulanan",  "kesehatan", "olahraga",
    "sepeda",  "kantor",    "batik",   "pekalongan", "wayang", "kulit"};
#define NWORDS (sizeof words / sizeof *words)

static uint64_t rnd(uint64_t *s) {
  *s ^= *s << 13;
  *s ^= *s >> 7;
  *s ^= *s << 17;
  return *s;
}

/* An article of random words; `mark` adds the word the invariant counts. */
static void text(uint64_t *s, char *buf, size_t cap, int n, int mark) {
  size_t k = 0;
  for (int i = 0; i < n && k + 32 < cap; i++)
    k += (size_t)snprintf(buf + k, cap - k, "%s%s", i ? " " : "",
                          words[rnd(s) % NWORDS]);
  if (mark && k + 32 < cap) snprintf(buf + k, cap - k, " penanda");
}

static int put(cari_db *db, uint64_t *s, const char *id, int mark) {
  char title[200], body[4000];
  text(s, title, sizeof title, 3, 0);
  text(s, body, sizeof body, 40 + (int)(rnd(s) % 200), mark);
  cari_article a = {id, title, body, NULL, NULL, NULL, 0, NULL, NULL};
  return cari_put(db, &a);
}

/* What one reader saw. */
typedef struct {
  long searches, rows, errors, torn;
  char first_error[300];
} tally;

static void note_error(tally *t, const char *what, int rc, cari_db *db) {
  if (t->errors++ == 0)
    snprintf(t->first_error, sizeof t->first_error, "%s: rc %d: %s", what,
             rc, cari_errmsg(db));
}

/* One search of a random query, every row read. */
static void search_once(cari_db *db, uint64_t *s, tally *t) {
  char q[200];
  int kind = (int)(rnd(s) % 6);
  const char *a = words[rnd(s) % NWORDS], *b = words[rnd(s) % NWORDS];
  switch (kind) {
  case 0: snprintf(q, sizeof q, "%s", a); break;
  case 1: snprintf(q, sizeof q, "%s %s", a, b); break;
  case 2: snprintf(q, sizeof q, "%.4s*", a); break;
  case 3: snprintf(q, sizeof q, "\"%s %s\"", a, b); break;
  case 4: snprintf(q, sizeof q, "%s -%s", a, b); break;
  default: snprintf(q, sizeof q, "penanda"); break;
  }
  /* No time limit: on a loaded machine (sanitizers, five processes on two
  ** cores) a search may take longer than the default, which is not what
  ** this test is about. */
  cari_search_opts o = {.limit = kind == 5 ? 100 : 10, .max_ms = -1};
  if (rnd(s) % 4 == 0) o.flags |= CARI_SEARCH_EXHAUSTIVE;
  cari_cursor *c = NULL;
  int rc = cari_search(db, q, -1, &o, &c);
  t->searches++;
  if (rc != CARI_OK) {
    note_error(t, q, rc, db);
    return;
  }
  int n = 0, x;
  while ((x = cari_next(c)) == CARI_ROW) {
    n++;
    if (!cari_result_id(c) || !cari_result_title(c) ||
        !cari_result_snippet(c))
      t->torn++;
  }
  t->rows += n;
  if (x != CARI_DONE) note_error(t, q, x, db);
  long long total = -1;
  int trc = cari_cursor_total(c, &total);
  if (trc != CARI_OK) note_error(t, "total", trc, db);
  /* The invariant: every snapshot holds exactly MARKED marked articles. */
  if (kind == 5 && (n != MARKED || total != MARKED)) {
    if (t->torn++ == 0 && t->errors == 0)
      snprintf(t->first_error, sizeof t->first_error,
               "penanda: %d rows, total %lld, want %d", n, total, MARKED);
  }
  /* Until the cursor is freed, this handle cannot write. */
  cari_cursor_free(c);
}

typedef struct {
  uint64_t seed;
  tally t;
} reader_arg;

static void *reader(void *p) {
  reader_arg *r = p;
  cari_db *db = NULL;
  int rc = cari_open(path, NULL, 0, &db);
  if (rc) {
    note_error(&r->t, "open", rc, db);
    cari_close(db);
    return NULL;
  }
  /* At least a few searches even if the writer finishes first. */
  for (long i = 0; !atomic_load(&day_over) || i < 50; i++)
    search_once(db, &r->seed, &r->t);
  if (cari_close(db) != CARI_OK) note_error(&r->t, "close", 1, db);
  return NULL;
}

typedef struct {
  long batches, puts, removes, optimizes, errors;
  char first_error[300];
} wtally;

static void wnote(wtally *w, const char *what, int rc, cari_db *db) {
  if (w->errors++ == 0)
    snprintf(w->first_error, sizeof w->first_error, "%s: rc %d: %s", what,
             rc, cari_errmsg(db));
}

/* The writer: each batch replaces a marked article by a new one (so the
** count of marked articles stays MARKED), adds, replaces and removes plain
** ones. */
static void *writer(void *p) {
  wtally *w = p;
  uint64_t s = 0x9e3779b97f4a7c15ull;
  cari_db *db = NULL;
  int rc = cari_open(path, NULL, 0, &db);
  if (rc) {
    wnote(w, "open", rc, db);
    cari_close(db);
    return NULL;
  }
  int next_mark = MARKED, next_plain = START;
  char id[32];
  for (int round = 0; round < ROUNDS; round++) {
    if ((rc = cari_begin(db))) {
      wnote(w, "begin", rc, db);
      continue;
    }
    snprintf(id, sizeof id, "m%d", next_mark - MARKED);
    if ((rc = cari_remove(db, id))) wnote(w, "remove marked", rc, db);
    snprintf(id, sizeof id, "m%d", next_mark++);
    if ((rc = put(db, &s, id, 1))) wnote(w, "put marked", rc, db);
    for (int i = 0; i < 3; i++) {
      snprintf(id, sizeof id, "p%d", next_plain++);
      if ((rc = put(db, &s, id, 0))) wnote(w, "put", rc, db);
      w->puts++;
    }
    snprintf(id, sizeof id, "p%d", (int)(rnd(&s) % (uint64_t)next_plain));
    if ((rc = put(db, &s, id, 0))) wnote(w, "replace", rc, db);
    snprintf(id, sizeof id, "p%d", (int)(rnd(&s) % (uint64_t)next_plain));
    rc = cari_remove(db, id);
    if (rc != CARI_OK && rc != CARI_NOTFOUND) wnote(w, "remove", rc, db);
    w->puts += 2;
    w->removes += 2;
    if ((rc = cari_commit(db))) wnote(w, "commit", rc, db);
    else w->batches++;
  }
  if (cari_close(db) != CARI_OK) wnote(w, "close", 1, db);
  return NULL;
}

/* Another handle optimizes now and then during the day. */
static void *optimizer(void *p) {
  wtally *w = p;
  cari_db *db = NULL;
  int rc = cari_open(path, NULL, 0, &db);
  if (rc) {
    wnote(w, "open", rc, db);
    cari_close(db);
    return NULL;
  }
  for (int i = 0; i < OPTIMIZES && !atomic_load(&day_over); i++) {
    usleep(150000);
    if ((rc = cari_optimize(db))) wnote(w, "optimize", rc, db);
    else w->optimizes++;
  }
  if (cari_close(db) != CARI_OK) wnote(w, "close", 1, db);
  return NULL;
}

/* A reader process: its own handle, PROC_SEARCHES searches; the tally goes
** back through a pipe. */
static pid_t reader_process(int i, int *fd) {
  int p[2];
  if (pipe(p) != 0) return -1;
  pid_t pid = fork();
  if (pid != 0) {
    close(p[1]);
    *fd = p[0];
    return pid;
  }
  close(p[0]);
  reader_arg r;
  memset(&r, 0, sizeof r);
  r.seed = 0x1234567ull + (uint64_t)i * 7919;
  cari_db *db = NULL;
  int rc = cari_open(path, NULL, 0, &db);
  if (rc) note_error(&r.t, "open", rc, db);
  else
    for (int k = 0; k < PROC_SEARCHES; k++) search_once(db, &r.seed, &r.t);
  cari_close(db);
  ssize_t n = write(p[1], &r.t, sizeof r.t);
  _exit(n == (ssize_t)sizeof r.t ? 0 : 1);
}

int main(void) {
  if (!mkdtemp(dir)) return 1;
  snprintf(path, sizeof path, "%s/c.db", dir);
  cari_db *db = NULL;
  int rc = cari_open(path, NULL, 0, &db);
  CHECK("open", rc == CARI_OK, "%s", cari_errmsg(db));
  uint64_t s = 42;
  char id[32];
  CHECK_INT("begin", cari_begin(db), CARI_OK);
  int bad = 0;
  for (int i = 0; i < MARKED; i++) {
    snprintf(id, sizeof id, "m%d", i);
    bad += put(db, &s, id, 1) != CARI_OK;
  }
  for (int i = 0; i < START; i++) {
    snprintf(id, sizeof id, "p%d", i);
    bad += put(db, &s, id, 0) != CARI_OK;
  }
  CHECK_INT("start puts", bad, 0);
  CHECK_INT("commit", cari_commit(db), CARI_OK);
  CHECK("optimize", cari_optimize(db) == CARI_OK, "%s", cari_errmsg(db));
  CHECK_INT("close", cari_close(db), CARI_OK);

  /* Processes first (fork before any thread), then the threads. */
  int fds[PROCS];
  pid_t pids[PROCS];
  for (int i = 0; i < PROCS; i++) {
    pids[i] = reader_process(i, &fds[i]);
    CHECK("fork", pids[i] > 0, "fork failed");
  }
  pthread_t rt[READERS], wt, ot;
  reader_arg ra[READERS];
  wtally wa, oa;
  memset(ra, 0, sizeof ra);
  memset(&wa, 0, sizeof wa);
  memset(&oa, 0, sizeof oa);
  for (int i = 0; i < READERS; i++) {
    ra[i].seed = 0xabcdefull + (uint64_t)i * 104729;
    CHECK_INT("reader thread", pthread_create(&rt[i], NULL, reader, &ra[i]),
              0);
  }
  CHECK_INT("writer thread", pthread_create(&wt, NULL, writer, &wa), 0);
  CHECK_INT("optimizer thread", pthread_create(&ot, NULL, optimizer, &oa), 0);
  CHECK_INT("writer join", pthread_join(wt, NULL), 0);
  atomic_store(&day_over, 1);
  CHECK_INT("optimizer join", pthread_join(ot, NULL), 0);
  tally all;
  memset(&all, 0, sizeof all);
  for (int i = 0; i < READERS; i++) {
    CHECK_INT("reader join", pthread_join(rt[i], NULL), 0);
    CHECK(ra[i].t.first_error[0] ? ra[i].t.first_error : "reader thread",
          ra[i].t.errors == 0 && ra[i].t.torn == 0,
          "thread %d: %ld errors, %ld torn of %ld searches", i, ra[i].t.errors,
          ra[i].t.torn, ra[i].t.searches);
    all.searches += ra[i].t.searches;
    all.rows += ra[i].t.rows;
    all.errors += ra[i].t.errors;
    all.torn += ra[i].t.torn;
  }
  long proc_searches = 0;
  for (int i = 0; i < PROCS; i++) {
    tally t;
    memset(&t, 0, sizeof t);
    ssize_t n = read(fds[i], &t, sizeof t);
    close(fds[i]);
    int status = 0;
    CHECK("wait", waitpid(pids[i], &status, 0) == pids[i], "waitpid");
    CHECK("process exit", WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "process %d status %d", i, status);
    CHECK("process tally", n == (ssize_t)sizeof t, "read %zd", n);
    CHECK(t.first_error[0] ? t.first_error : "reader process",
          t.errors == 0 && t.torn == 0 && t.searches == PROC_SEARCHES,
          "process %d: %ld errors, %ld torn of %ld searches", i, t.errors,
          t.torn, t.searches);
    proc_searches += t.searches;
    all.errors += t.errors;
    all.torn += t.torn;
  }
  CHECK(wa.first_error[0] ? wa.first_error : "writer", wa.errors == 0,
        "%ld errors", wa.errors);
  CHECK_INT("writer batches", wa.batches, ROUNDS);
  CHECK(oa.first_error[0] ? oa.first_error : "optimizer", oa.errors == 0,
        "%ld errors", oa.errors);
  CHECK("optimized during the day", oa.optimizes >= 1, "%ld", oa.optimizes);

  /* The day leaves a healthy index that still holds MARKED marked ones. */
  rc = cari_open(path, NULL, 0, &db);
  CHECK_INT("reopen", rc, CARI_OK);
  CHECK("check", cari_check(db) == CARI_OK, "%s", cari_errmsg(db));
  cari_cursor *c = NULL;
  int n = 0;
  if (cari_search(db, "penanda", -1, NULL, &c) == CARI_OK)
    while (cari_next(c) == CARI_ROW) n++;
  cari_cursor_free(c);
  CHECK_INT("marked at the end", n, MARKED);
  CHECK_INT("close at the end", cari_close(db), CARI_OK);

  printf("concurrency: %ld searches in %d threads (%ld rows), %ld in %d "
         "processes; writer %ld batches (%ld puts, %ld removes), %ld "
         "optimizes; %ld errors, %ld torn\n",
         all.searches, READERS, all.rows, proc_searches, PROCS, wa.batches,
         wa.puts, wa.removes, oa.optimizes, all.errors + wa.errors + oa.errors,
         all.torn);
  CHECK("remove the database", test_remove_db(path), "%s", strerror(errno));
  rmdir(dir);
  return test_report("concurrency");
}
