/*
** test_fault.c — out-of-memory fault loops, in the manner of SQLite's own,
** over a blog's whole life (see "The whole life of a blog" below): each
** step (create, load, optimize, replace, add, remove, searches of every
** kind before and after the build and after changes, check, reopen) is run
** again and again, failing its 1st, 2nd, 3rd... allocation, until a run
** sees no failure. A run must give the right answer (the fault-free one,
** to the bit) or CARI_NOMEM; a retry must then succeed, and the database
** must stay healthy. Allocations are failed in SQLite (its own seam,
** SQLITE_CONFIG_MALLOC) and in cari's own code (the allocation seam's test
** hook, mem/fault.h), counted as one sequence; the other libraries'
** (utf8proc, jansson, libxml2, gumbo) are never failed. `make test` fails
** every 7th point; FAULT_FULL=1 fails every one (`make fault-full`);
** FAULT_STRIDE=N and FAULT_CASE=id narrow a run (a case named goes on
** after its third failure). Also: damaged database
** files give errors, not crashes.
*/
#include "cari.h"
#include "fault.h"
#include "indexer.h"
#include "query.h"
#include "test.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
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

/* cari's allocations, through the seam's hook. */
static int seam_fails(void *ctx, size_t n) { return should_fail(); }

static sqlite3_mem_methods orig;
static void *f_malloc(int n) { return should_fail() ? NULL : orig.xMalloc(n); }
static void *f_realloc(void *p, int n) {
  return should_fail() ? NULL : orig.xRealloc(p, n);
}

static char dir[64];
/* The cari stemmer's small dictionary (main writes it), passed to every
** open: the library reads no environment variable. */
static char tiny_dic[128];

static int fault_open(const char *path, cari_db **db) {
  cari_open_opts o = CARI_OPEN_OPTS_INIT;
  o.dic = tiny_dic;
  return cari_open_ex(path, &o, db);
}

/* ------------------------------------------------------------------ */
/* The whole life of a blog, one step at a time                        */
/* ------------------------------------------------------------------ */

/*
** A blog's life: its database created, a batch of articles stored,
** optimized (the top-k postings built), articles replaced, removed and
** added, searched (words, several words, prefixes, phrases, exclusions,
** with snippets) before and after those changes, checked, closed and
** reopened. Each step is a case: the database is put in the state before
** the step (fault-free, from a saved copy), a handle is opened on it
** (fault-free, except for the steps that open), and the step runs with the
** Nth allocation failed, N = 1, 2, ... until a run sees no failure.
**
** A run passes when the step gives the right answer (the same text as a
** fault-free reference run: ids, titles, order, scores to the bit,
** snippets, totals) or fails with CARI_NOMEM (CARI_IO for the steps that
** open the file) and a message; then the same step retried on the same
** handle without faults gives the right answer, and afterwards a fresh
** handle finds the database healthy (cari_check) and in the state the step
** leads to (the same count and search answers as the reference).
**
** Run time: every allocation point is failed when FAULT_FULL=1 is set;
** `make test` fails every FAULT_STRIDE-th (default 7, with a different
** start per case so that consecutive points are not always skipped).
*/
static const cari_article life[] = {
    {"rapat", "Rapat warga",
     "Warga berkumpul di balai desa. Perkumpulan pemuda mengumpulkan dana "
     "untuk perbaikan jalan desa.", "https://contoh.id/rapat", "2024-01-02",
     NULL, 0, NULL, NULL},
    {"kopi", "Kopi pagi di warung",
     "Secangkir kopi hitam di warung dekat balai desa. Orang tua minum kopi, "
     "anak-anak minum susu.", NULL, "2024-01-03", NULL, 0, NULL, NULL},
    {"nelayan", "Perkumpulan nelayan",
     "Nelayan berkumpul di pantai sebelum melaut. Mereka mengumpulkan hasil "
     "tangkapan bersama.", NULL, NULL, NULL, 0, NULL, NULL},
    {"pasar", "Pasar desa",
     "Pasar desa ramai setiap Minggu. Warga membeli sayur, kopi dan ikan "
     "dari nelayan.", NULL, NULL, NULL, 0, NULL, NULL},
    {"sekolah", "Kebun sekolah",
     "Anak-anak belajar menanam sayur di kebun sekolah bersama guru dan "
     "warga desa.", NULL, NULL, NULL, 0, NULL, NULL},
    {"ronda", "Ronda malam",
     "Warga berjaga bergantian. Kopi dan singkong menemani ronda di pos "
     "kampung.", NULL, NULL, NULL, 0, NULL, NULL},
};
static const cari_article changed[] = { /* after the build */
    {"kopi", "Kopi sore di warung", /* replaced */
     "Kopi susu sore hari di warung desa, warga berkumpul bercerita.", NULL,
     NULL, NULL, 0, NULL, NULL},
    {"banjir", "Relawan banjir", /* new */
     "Relawan dan warga berkumpul mengumpulkan bantuan untuk korban banjir "
     "di desa.", NULL, NULL, NULL, 0, NULL, NULL},
    {"batik", "Belajar membatik", /* new */
     "Pemuda desa belajar membatik bersama pengrajin di balai desa.", NULL,
     NULL, NULL, 0, NULL, NULL},
};

/* The searches of the cases and of every state's fingerprint. */
static const char *const queries[] = {
    "kumpul",                /* one word */
    "warga desa kopi",       /* several words */
    "kum* desa",             /* a prefix (aliases from the build's words) */
    "\"balai desa\"",        /* a phrase: FTS5 snippets */
    "warga -kopi",           /* an exclusion */
    "di mana warga berkumpul?", /* a question */
};
#define NQUERY (sizeof queries / sizeof *queries)

#define FP_CAP 16384 /* a step's answer as text */

/* Append to out (NUL-terminated, cap bytes); never allocates. */
static void put_text(char *out, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void put_text(char *out, size_t cap, const char *fmt, ...) {
  size_t n = strlen(out);
  if (n + 1 >= cap) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(out + n, cap - n, fmt, ap);
  va_end(ap);
}

/* Search q and append the answer to out: every result's id, title, score
** (its exact bits), snippet; the total. A cari_rc. cari_cursor_total has no
** code of its own: -1 with an out-of-memory message counts as CARI_NOMEM. */
static int search_text(cari_db *db, const char *q, int limit, int offset,
                       char *out, size_t cap) {
  cari_search_opts o = CARI_SEARCH_OPTS_INIT;
  o.limit = limit;
  o.offset = offset;
  cari_cursor *c = NULL;
  int rc = cari_search(db, q, -1, &o, &c);
  if (rc) return rc;
  put_text(out, cap, "%s:\n", q);
  while ((rc = cari_next(c)) == CARI_ROW) {
    const char *id = cari_result_id(c), *title = cari_result_title(c);
    const char *snip = cari_result_snippet(c);
    put_text(out, cap, " %s|%s|%a|%s\n", id ? id : "(null)",
             title ? title : "(null)", cari_result_score(c),
             snip ? snip : "(null)");
  }
  if (rc == CARI_DONE) {
    long long total = -1;
    rc = cari_cursor_total(c, &total);
    put_text(out, cap, " total %lld\n", total);
  }
  cari_cursor_free(c);
  return rc;
}

/* Where two texts first differ, for messages: "line N: got ... want ...". */
static const char *first_diff(const char *a, const char *b, char *buf,
                              size_t cap) {
  int line = 1;
  const char *la = a, *lb = b;
  while (*a && *a == *b) {
    if (*a == '\n') {
      line++;
      la = a + 1;
      lb = b + 1;
    }
    a++;
    b++;
  }
  snprintf(buf, cap, "line %d: got '%.*s' want '%.*s'", line,
           (int)strcspn(la, "\n"), la, (int)strcspn(lb, "\n"), lb);
  return buf;
}

/*
** SQLite 3.40.1's FTS5 loses an out-of-memory error inside a step of
** `snippet() ... WHERE MATCH ?1 AND rowid = ?` (search.c's phrase snippets):
** the step gives SQLITE_ROW and a snippet with no match marked (a function
** inside libsqlite3 gets SQLITE_NOMEM from its callee and returns
** SQLITE_OK: seen with gdb). Nothing outside SQLite can tell. Such an
** answer is counted apart, not failed, when it differs from the reference
** only by the marks missing from snippets of a phrase query (a section
** whose query starts with '"'); any other difference fails.
*/
static int only_phrase_marks_lost(const char *a, const char *b) {
  int phrase = 0, differ = 0;
  while (*a && *b) {
    size_t na = strcspn(a, "\n"), nb = strcspn(b, "\n");
    if (*b != ' ') phrase = *b == '"'; /* a query's header line */
    if (na != nb || memcmp(a, b, na) != 0) {
      if (!phrase || *b != ' ') return 0;
      size_t i = 0, j = 0; /* b without its marks must be a */
      while (j < nb) {
        if (b[j] == '[' || b[j] == ']') {
          j++;
          continue;
        }
        if (i >= na || a[i] != b[j]) return 0;
        i++;
        j++;
      }
      if (i != na) return 0;
      differ = 1;
    }
    a += na + (a[na] == '\n');
    b += nb + (b[nb] == '\n');
  }
  return differ && !*a && !*b;
}

/* A step: runs on *db (the steps that open set it), appends its answer. */
typedef int (*step_fn)(cari_db **db, const char *path, const char *arg,
                       char *out, size_t cap);

static int step_open(cari_db **db, const char *path, const char *arg,
                     char *out, size_t cap) {
  cari_close(*db); /* a retry: the failed open's handle */
  *db = NULL;
  int rc = fault_open(path, db);
  if (rc == CARI_OK && arg) rc = search_text(*db, arg, 10, 0, out, cap);
  return rc;
}

/* A batch of n articles. On failure the message goes to out (the
** rollback that follows clears cari_errmsg). */
static int put_all(cari_db *db, const cari_article *a, size_t n, char *out,
                   size_t cap) {
  int rc = cari_begin(db);
  for (size_t i = 0; rc == CARI_OK && i < n; i++) rc = cari_put(db, &a[i]);
  if (rc == CARI_OK) rc = cari_commit(db);
  if (rc == CARI_OK) return rc;
  put_text(out, cap, "%s", cari_errmsg(db));
  int rb = cari_rollback(db); /* after a failed put the batch is open */
  if (rb != CARI_OK && rb != CARI_INVALID) /* INVALID: no batch open */
    put_text(out, cap, "; rollback: %s", cari_errmsg(db));
  return rb == CARI_OK || rb == CARI_INVALID ? rc : rb;
}

static int step_load(cari_db **db, const char *path, const char *arg,
                     char *out, size_t cap) {
  return put_all(*db, life, sizeof life / sizeof *life, out, cap);
}

static int step_optimize(cari_db **db, const char *path, const char *arg,
                         char *out, size_t cap) {
  return cari_optimize(*db);
}

static int step_replace(cari_db **db, const char *path, const char *arg,
                        char *out, size_t cap) {
  return cari_put(*db, &changed[0]);
}

static int step_add(cari_db **db, const char *path, const char *arg,
                    char *out, size_t cap) {
  return put_all(*db, changed + 1, 2, out, cap);
}

static int step_remove(cari_db **db, const char *path, const char *arg,
                       char *out, size_t cap) {
  return cari_remove(*db, arg);
}

static int step_check(cari_db **db, const char *path, const char *arg,
                      char *out, size_t cap) {
  return cari_check(*db);
}

static int step_search(cari_db **db, const char *path, const char *arg,
                       char *out, size_t cap) {
  return search_text(*db, arg, 10, 0, out, cap);
}

/* Every query, the second page of one: the whole search side warm. */
static int step_searches(cari_db **db, const char *path, const char *arg,
                         char *out, size_t cap) {
  int rc = CARI_OK;
  for (size_t i = 0; rc == CARI_OK && i < NQUERY; i++)
    rc = search_text(*db, queries[i], 10, 0, out, cap);
  if (rc == CARI_OK) rc = search_text(*db, "desa", 2, 1, out, cap);
  return rc;
}

/* The states a step starts from, saved as file images. */
enum { S_NONE, S_EMPTY, S_LOADED, S_BUILT, S_CHANGED, S_REMOVED, NSTATE };
static const char *const state_name[NSTATE] = {
    "none", "empty", "loaded", "built", "changed", "removed"};

typedef struct {
  const char *id;
  int from, to;     /* states before and after the step */
  int handle;       /* 1: a handle is opened (fault-free) before the step */
  int warm;         /* 1: ... and has searched once (the top-k state read) */
  int io_ok;        /* CARI_IO is an acceptable failure (the step opens) */
  step_fn fn;
  const char *arg;
} life_case;

static const life_case cases[] = {
    {"create", S_NONE, S_EMPTY, 0, 0, 1, step_open, NULL},
    {"load", S_EMPTY, S_LOADED, 1, 0, 0, step_load, NULL},
    {"search-unbuilt", S_LOADED, S_LOADED, 1, 0, 0, step_searches, NULL},
    {"optimize", S_LOADED, S_BUILT, 1, 0, 0, step_optimize, NULL},
    {"reopen-search", S_BUILT, S_BUILT, 0, 0, 1, step_open, "warga desa"},
    {"word-cold", S_BUILT, S_BUILT, 1, 0, 0, step_search, "kumpul"},
    {"words-cold", S_BUILT, S_BUILT, 1, 0, 0, step_search, "warga desa kopi"},
    {"prefix-cold", S_BUILT, S_BUILT, 1, 0, 0, step_search, "kum* desa"},
    {"phrase-cold", S_BUILT, S_BUILT, 1, 0, 0, step_search, "\"balai desa\""},
    {"searches-warm", S_BUILT, S_BUILT, 1, 1, 0, step_searches, NULL},
    {"check-built", S_BUILT, S_BUILT, 1, 0, 0, step_check, NULL},
    {"replace", S_BUILT, -1, 1, 1, 0, step_replace, NULL},
    {"add", S_BUILT, -1, 1, 1, 0, step_add, NULL},
    {"remove", S_CHANGED, S_REMOVED, 1, 1, 0, step_remove, "pasar"},
    {"searches-stale-new", S_REMOVED, S_REMOVED, 1, 0, 0, step_searches,
     NULL},
    {"searches-stale-warm", S_REMOVED, S_REMOVED, 1, 1, 0, step_searches,
     NULL},
    {"check-stale", S_REMOVED, S_REMOVED, 1, 0, 0, step_check, NULL},
    {"optimize-again", S_REMOVED, -1, 1, 0, 0, step_optimize, NULL},
};
#define NCASE (sizeof cases / sizeof *cases)

typedef struct {
  unsigned char *img[NSTATE]; /* file images; NULL for S_NONE */
  size_t nimg[NSTATE];
  char *fp[NSTATE];           /* each state's fingerprint */
  char path[300];
} life_env;

/* Put the database in state s (fault-free). 1 on success. */
static int set_state(const life_env *E, int s) {
  if (!test_remove_db(E->path)) return 0;
  if (s == S_NONE) return 1;
  FILE *f = fopen(E->path, "wb");
  if (!f) return 0;
  int ok = fwrite(E->img[s], 1, E->nimg[s], f) == E->nimg[s];
  return (fclose(f) == 0) & ok;
}

/* Save the closed database at E->path as state s. 1 on success. */
static int save_state(life_env *E, int s) {
  FILE *f = fopen(E->path, "rb");
  if (!f) return 0;
  int ok = fseek(f, 0, SEEK_END) == 0;
  long n = ok ? ftell(f) : -1;
  ok = ok && n > 0 && fseek(f, 0, SEEK_SET) == 0;
  E->img[s] = ok ? malloc((size_t)n) : NULL;
  ok = ok && E->img[s] && fread(E->img[s], 1, (size_t)n, f) == (size_t)n;
  E->nimg[s] = ok ? (size_t)n : 0;
  return (fclose(f) == 0) & ok;
}

/* The state of the database at E->path as text, from a fresh handle: its
** count and every query's answer. Health first: cari_check must pass. A
** cari_rc; the text in out. */
static int state_text(const life_env *E, char *out, size_t cap) {
  out[0] = 0;
  cari_db *db = NULL;
  int rc = fault_open(E->path, &db);
  if (rc == CARI_OK) rc = cari_check(db);
  if (rc == CARI_OK) put_text(out, cap, "count %lld\n", cari_count(db));
  for (size_t i = 0; rc == CARI_OK && i < NQUERY; i++)
    rc = search_text(db, queries[i], 10, 0, out, cap);
  if (rc) put_text(out, cap, "error %d: %s\n", rc, cari_errmsg(db));
  int crc = cari_close(db);
  return rc ? rc : crc;
}

/* Run the step fault-free from `from` and return the file's state text
** (malloc'd) and the step's own answer (ans, cap). */
static int reference(life_env *E, const life_case *k, char *ans, size_t cap,
                     char **state) {
  char *st = calloc(1, FP_CAP);
  if (!st || !set_state(E, k->from)) {
    free(st);
    return CARI_ERROR;
  }
  cari_db *db = NULL;
  int rc = k->handle ? fault_open(E->path, &db) : CARI_OK;
  char warm[FP_CAP] = "";
  if (rc == CARI_OK && k->warm) rc = search_text(db, "warga", 10, 0, warm, sizeof warm);
  ans[0] = 0;
  if (rc == CARI_OK) rc = k->fn(&db, E->path, k->arg, ans, cap);
  int crc = cari_close(db);
  if (rc == CARI_OK) rc = crc;
  if (rc == CARI_OK) rc = state_text(E, st, FP_CAP);
  *state = st;
  return rc;
}

/* One case's fault loop. Counts into *points, *nomem, *right. */
static void life_loop(life_env *E, const life_case *k, long stride,
                      int max_bad, long *points, long *nomem, long *right,
                      long *lost) {
  char ref[FP_CAP], *ref_state = NULL;
  int rc = reference(E, k, ref, sizeof ref, &ref_state);
  CHECK(k->id, rc == CARI_OK, "reference run: rc %d: %s", rc,
        ref_state ? ref_state : "");
  if (rc) {
    free(ref_state);
    return;
  }
  if (k->to >= 0) /* the step leads where the next cases start */
    CHECK(k->id, strcmp(ref_state, E->fp[k->to]) == 0,
          "reference state is not '%s':\n%s\nwant\n%s", state_name[k->to],
          ref_state, E->fp[k->to]);
  static char ans[FP_CAP], again[FP_CAP], st[FP_CAP];
  int bad = 0;
  long first = 1 + (long)(k - cases) % stride;
  for (long at = first; bad < max_bad; at += stride) {
    if (!set_state(E, k->from)) {
      T_FAIL(k->id, "cannot restore state '%s'", state_name[k->from]);
      break;
    }
    cari_db *db = NULL;
    rc = k->handle ? fault_open(E->path, &db) : CARI_OK;
    ans[0] = 0;
    if (rc == CARI_OK && k->warm) rc = search_text(db, "warga", 10, 0, ans, sizeof ans);
    if (rc) {
      T_FAIL(k->id, "fault-free set-up: rc %d: %s", rc, cari_errmsg(db));
      cari_close(db);
      break;
    }
    ans[0] = 0;
    nalloc = 0;
    failed = 0;
    fail_at = at;
    rc = k->fn(&db, E->path, k->arg, ans, sizeof ans);
    fail_at = 0;
    int hit = failed;
    char msg[1100], dbuf[1200];
    /* The step's message: the handle's, or what the step kept in ans. */
    snprintf(msg, sizeof msg, "%.1000s",
             cari_errmsg(db)[0] ? cari_errmsg(db) : ans);
    if (hit) (*points)++;
    if (rc == CARI_OK && strcmp(ans, ref) != 0 &&
        only_phrase_marks_lost(ans, ref)) {
      (*lost)++;
    } else if (rc == CARI_OK) {
      if (strcmp(ans, ref) != 0 && bad++ < max_bad)
        T_FAIL(k->id, "fault %ld: CARI_OK with a wrong answer: %s", at,
               first_diff(ans, ref, dbuf, sizeof dbuf));
      if (hit) (*right)++;
    } else if (!hit) {
      if (bad++ < max_bad) T_FAIL(k->id, "no fault: rc %d: %s", rc, msg);
    } else if (rc == CARI_NOMEM || (k->io_ok && rc == CARI_IO)) {
      (*nomem)++;
      if (!msg[0] && bad++ < max_bad)
        T_FAIL(k->id, "fault %ld: rc %d without a message", at, rc);
      /* The same step again, no faults: the right answer. */
      again[0] = 0;
      int rc2 = k->fn(&db, E->path, k->arg, again, sizeof again);
      if ((rc2 != CARI_OK || strcmp(again, ref) != 0) && bad++ < max_bad)
        T_FAIL(k->id, "fault %ld (rc %d: %s), then the retry: rc %d (%s): %s",
               at, rc, msg, rc2, cari_errmsg(db),
               first_diff(again, ref, dbuf, sizeof dbuf));
    } else if (bad++ < max_bad) {
      T_FAIL(k->id, "fault %ld: rc %d (%s): %s", at, rc, cari_errstr(rc), msg);
    }
    int crc = cari_close(db);
    if (crc != CARI_OK && bad++ < max_bad)
      T_FAIL(k->id, "fault %ld: close: rc %d", at, crc);
    /* A fresh handle: healthy, and where the step leads. */
    int src = state_text(E, st, sizeof st);
    if ((src != CARI_OK || strcmp(st, ref_state) != 0) && bad++ < max_bad)
      T_FAIL(k->id, "after fault %ld (rc %d: %s): state rc %d: %s", at, rc,
             msg, src, first_diff(st, ref_state, dbuf, sizeof dbuf));
    if (!hit) break; /* the step ran to its end: every point was failed */
  }
  if (bad == 0) test_passed++;
  free(ref_state);
}

/* Build the states fault-free, one after the other, and their texts. */
static int life_setup(life_env *E) {
  cari_db *db = NULL;
  char ans[FP_CAP] = "";
  if (!test_remove_db(E->path)) return 0;
  int rc = fault_open(E->path, &db);
  rc = rc ? rc : cari_close(db);
  if (rc || !save_state(E, S_EMPTY)) return 0;
  db = NULL;
  rc = fault_open(E->path, &db);
  if (rc == CARI_OK) rc = put_all(db, life, sizeof life / sizeof *life, ans,
                                  sizeof ans);
  int crc = cari_close(db);
  if (rc || crc || !save_state(E, S_LOADED)) return 0;
  db = NULL;
  rc = fault_open(E->path, &db);
  if (rc == CARI_OK) rc = cari_optimize(db);
  crc = cari_close(db);
  if (rc || crc || !save_state(E, S_BUILT)) return 0;
  db = NULL;
  rc = fault_open(E->path, &db);
  if (rc == CARI_OK) rc = cari_put(db, &changed[0]);
  if (rc == CARI_OK) rc = put_all(db, changed + 1, 2, ans, sizeof ans);
  crc = cari_close(db);
  if (rc || crc || !save_state(E, S_CHANGED)) return 0;
  db = NULL;
  rc = fault_open(E->path, &db);
  if (rc == CARI_OK) rc = cari_remove(db, "pasar");
  crc = cari_close(db);
  if (rc || crc || !save_state(E, S_REMOVED)) return 0;
  for (int s = S_EMPTY; s < NSTATE; s++) {
    E->fp[s] = calloc(1, FP_CAP);
    if (!E->fp[s] || !set_state(E, s) ||
        state_text(E, E->fp[s], FP_CAP) != CARI_OK) {
      fprintf(stderr, "state %s: %s\n", state_name[s], E->fp[s] ? E->fp[s] : "");
      return 0;
    }
  }
  return 1;
}

/* The loop would prove little if the searches never took the pruned path:
** on the built state the word queries must be answered from the top-k
** postings (the internal API says which path answered). */
static void pruned_path_used(life_env *E) {
  char err[400];
  sqlite3 *conn = NULL;
  cari_db *db = NULL;
  cari_open_opts tiny = CARI_OPEN_OPTS_INIT;
  tiny.dic = tiny_dic;
  idx_lexicon_paths tiny_paths = {tiny_dic, NULL, NULL};
  int ok = set_state(E, S_BUILT) &&
           sqlite3_open(E->path, &conn) == SQLITE_OK &&
           cari_open_sqlite(conn, &tiny, &db) == CARI_OK;
  CHECK("pruned-setup", ok, "open: %s", cari_errmsg(db));
  sid_lexicon *lx = ok ? idx_lexicon_load(&tiny_paths, err, sizeof err) : NULL;
  idx_analyzer *an = lx ? idx_analyzer_new("cari", lx, err, sizeof err) : NULL;
  qry_topk *tk = an ? qry_topk_new(conn, an) : NULL;
  idx_tokenizer *tok = idx_tokenizer_new();
  CHECK("pruned-setup", tk && tok, "searcher: %s", err);
  const char *want[] = {"kumpul", "warga desa kopi", "kum* desa",
                        "warga -kopi"};
  for (size_t i = 0; tk && tok && i < sizeof want / sizeof *want; i++) {
    qry_ranking r;
    qry_ranking_default(&r);
    qry_plan *pl = NULL;
    int rc = qry_translate(tok, want[i], (int)strlen(want[i]), &r, &pl, NULL,
                           0, err, sizeof err);
    qry_opts o;
    memset(&o, 0, sizeof o);
    o.rank = &r;
    qry_result res;
    memset(&res, 0, sizeof res);
    if (rc == CARI_OK) rc = qry_topk_search(tk, pl, &o, 0, &res, err, sizeof err);
    CHECK(want[i], rc == CARI_OK && res.pruned == 1 && res.nhit > 0,
          "rc %d, pruned %d, %d hits: %s", rc, res.pruned, res.nhit,
          rc ? err : "");
    qry_result_free(&res);
    qry_plan_free(pl);
  }
  idx_tokenizer_free(tok);
  qry_topk_free(tk);
  idx_analyzer_free(an);
  sid_lexicon_free(lx);
  CHECK_INT("pruned-close", cari_close(db), CARI_OK);
  CHECK_INT("pruned-close-conn", sqlite3_close(conn), SQLITE_OK);
}

static void life_faults(void) {
  life_env E;
  memset(&E, 0, sizeof E);
  snprintf(E.path, sizeof E.path, "%s/life.db", dir);
  const char *full = getenv("FAULT_FULL"), *sv = getenv("FAULT_STRIDE");
  long stride = full && full[0] == '1' ? 1 : sv ? atol(sv) : 7;
  if (stride < 1) stride = 1;
  int ok = life_setup(&E);
  CHECK("life-setup", ok, "cannot build the states");
  if (ok) pruned_path_used(&E);
  const char *only = getenv("FAULT_CASE");
  long total[4] = {0, 0, 0, 0};
  for (size_t i = 0; ok && i < NCASE; i++) {
    if (only && strcmp(only, cases[i].id) != 0) continue;
    long points = 0, nomem = 0, right = 0, lost = 0;
    /* A case stops after 3 failures, or goes on with FAULT_CASE. */
    life_loop(&E, &cases[i], stride, only ? 1 << 30 : 3, &points, &nomem,
              &right, &lost);
    printf("  %-20s %6ld faults: %6ld NOMEM/IO, %6ld right answers, %ld "
           "FTS5 snippets unmarked\n", cases[i].id, points, nomem, right, lost);
    total[0] += points;
    total[1] += nomem;
    total[2] += right;
    total[3] += lost;
  }
  printf("life: stride %ld, %ld faults injected: %ld NOMEM/IO, %ld right "
         "answers, %ld FTS5 snippets unmarked (SQLite, see "
         "only_phrase_marks_lost)\n", stride, total[0], total[1], total[2],
         total[3]);
  for (int s = 0; s < NSTATE; s++) {
    free(E.img[s]);
    free(E.fp[s]);
  }
  CHECK("life-cleanup", test_remove_db(E.path), "cannot remove %s", E.path);
}

/* The one SQLite-to-cari_rc mapper (indexer/sqlerr.c), row by row, and
** its message: the connection's only when it belongs to the code given. */
static void mapper_table(void) {
  static const struct {
    const char *id;
    int sqlite_rc, want;
  } rows[] = {
      {"map-nomem", SQLITE_NOMEM, CARI_NOMEM},
      {"map-ioerr-nomem", SQLITE_IOERR_NOMEM, CARI_NOMEM},
      {"map-corrupt", SQLITE_CORRUPT, CARI_CORRUPT},
      {"map-corrupt-vtab", SQLITE_CORRUPT_VTAB, CARI_CORRUPT},
      {"map-notadb", SQLITE_NOTADB, CARI_CORRUPT},
      {"map-ioerr-read", SQLITE_IOERR_READ, CARI_IO},
      {"map-full", SQLITE_FULL, CARI_IO},
      {"map-cantopen", SQLITE_CANTOPEN, CARI_IO},
      {"map-readonly", SQLITE_READONLY, CARI_IO},
      {"map-perm", SQLITE_PERM, CARI_IO},
      {"map-busy", SQLITE_BUSY, CARI_IO},
      {"map-busy-snapshot", SQLITE_BUSY_SNAPSHOT, CARI_IO},
      {"map-locked", SQLITE_LOCKED, CARI_IO},
      {"map-error", SQLITE_ERROR, CARI_ERROR},
      {"map-constraint", SQLITE_CONSTRAINT, CARI_ERROR},
      {"map-done", SQLITE_DONE, CARI_ERROR}, /* a caller's mistake */
  };
  for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
    CHECK_INT(rows[i].id, idx_sql_rc(rows[i].sqlite_rc), rows[i].want);
  /* The connection's last error is a syntax error; asked about NOMEM the
  ** mapper must not borrow its message. */
  sqlite3 *conn = NULL;
  char err[200];
  CHECK_INT("map-open", sqlite3_open(":memory:", &conn), SQLITE_OK);
  int x = sqlite3_exec(conn, "SELEC 1", NULL, NULL, NULL);
  CHECK_INT("map-syntax", x, SQLITE_ERROR);
  CHECK_INT("map-msg-own", idx_sql_fail(conn, x, "w", err, sizeof err),
            CARI_ERROR);
  CHECK("map-msg-own", strstr(err, "w: ") == err && strstr(err, "syntax"),
        "%s", err);
  CHECK_INT("map-msg-other",
            idx_sql_fail(conn, SQLITE_NOMEM, "w", err, sizeof err),
            CARI_NOMEM);
  CHECK_STR("map-msg-other", err, "w: out of memory");
  CHECK_INT("map-msg-row", idx_sql_fail(conn, SQLITE_ROW, "w", err, sizeof err),
            CARI_ERROR);
  CHECK("map-msg-row", strstr(err, "another row") == NULL, "%s", err);
  CHECK_INT("map-close", sqlite3_close(conn), SQLITE_OK);
}

/* A database file with garbage written over parts of it. */
static void damaged_files(void) {
  char path[300];
  snprintf(path, sizeof path, "%s/d.db", dir);
  cari_db *db;
  CHECK_INT("damaged-open", fault_open(path, &db), CARI_OK);
  for (int i = 0; i < 200; i++) {
    char id[16], body[200];
    snprintf(id, sizeof id, "d%d", i);
    snprintf(body, sizeof body, "warga berkumpul nomor %d di balai desa %d", i,
             i * 7);
    cari_article a = {id, "judul", body, NULL, NULL, NULL, 0, NULL, NULL};
    CHECK("damaged-setup-put", cari_put(db, &a) == CARI_OK, "%s",
          cari_errmsg(db));
  }
  CHECK_INT("damaged-setup-close", cari_close(db), CARI_OK);
  /* Fold the WAL into the file so the damage hits real pages. */
  sqlite3 *s;
  CHECK_INT("damaged-setup-open", sqlite3_open(path, &s), SQLITE_OK);
  CHECK_INT("damaged-setup-fold",
            sqlite3_exec(s, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL),
            SQLITE_OK);
  CHECK_INT("damaged-setup-close2", sqlite3_close(s), SQLITE_OK);
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
    int rc = fault_open(path, &db);
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
  snprintf(tiny_dic, sizeof tiny_dic, "%s/tiny.dic", dir);
  FILE *df = fopen(tiny_dic, "w");
  if (!df) return 1;
  if (fputs("6\nwarga\nkumpul\ndesa\nnelayan\nkopi/A\nanak\n", df) < 0 ||
      fclose(df) != 0)
    return 1;
  sqlite3_config(SQLITE_CONFIG_GETMALLOC, &orig);
  sqlite3_mem_methods m = orig;
  m.xMalloc = f_malloc;
  m.xRealloc = f_realloc;
  sqlite3_config(SQLITE_CONFIG_MALLOC, &m);
  cari_mem_fault_hook(seam_fails, NULL);
  mapper_table();
  life_faults();
  damaged_files();
  unlink(tiny_dic);
  rmdir(dir);
  return test_report("fault");
}
