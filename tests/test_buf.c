/*
** test_buf.c — the allocation seam and the growable buffer (mem/mem.h):
** rows of appends with the text and length they must leave; every row again
** with each of its allocations failed in turn through the seam's test hook
** (the sticky code set, the buffer as it was before the failing call, later
** calls doing nothing); sizes whose sums overflow; cari_grow for arrays.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fault.h"
#include "mem.h"
#include "test.h"

/* The hook: fail allocation number `at` (1 = the first after arming). */
typedef struct {
  long at, count;
  int fired;
} nth;

static int fail_nth(void *ctx, size_t n) {
  nth *f = ctx;
  if (++f->count != f->at) return 0;
  f->fired = 1;
  return 1;
}

/* A row: a series of operations on one buffer. Each op is a letter and
** its text: 'a' add the text, 's' set it, 'c' add its first byte, 'p'
** printf "<%s|%d>" with the text and its length, 'C' clear, 'S' adds the
** C string, 'B' add the text 100 times (doubling past 1000 bytes). */
typedef struct {
  const char *id;
  const char *ops[8]; /* "a:text" ... NULL-terminated */
  const char *want;   /* NULL: the text is checked by want_len only */
  size_t want_len;
} row;

static const row rows[] = {
    {"empty", {NULL}, "", 0},
    {"add", {"a:abc", NULL}, "abc", 3},
    {"add-empty", {"a:", NULL}, "", 0},
    {"adds", {"a:ab", "S:cd", "a:", NULL}, "abcd", 4},
    {"addc", {"c:x", "c:y", NULL}, "xy", 2},
    {"set", {"a:abc", "s:de", NULL}, "de", 2},
    {"clear", {"a:abc", "C:", "a:z", NULL}, "z", 1},
    {"printf", {"a:[", "p:kopi", "a:]", NULL}, "[<kopi|4>]", 10},
    {"printf-long", {"p:0123456789012345678901234567890123456789012345678901"
                     "2345678901234567890123456789012345678901234567890123"
                     "4567890123456789012345678901234567890123456789012345"
                     "6789012345678901234567890123456789012345678901234567"
                     "890123456789",
                     NULL},
     NULL, 226},
    {"grow", {"a:x", "B:0123456789", "a:y", NULL}, NULL, 1002},
};

/* Run one operation. The buffer's code afterwards. */
static int run_op(int *rc, cari_buf *b, const char *op) {
  const char *t = op + 2;
  switch (op[0]) {
  case 'a': return cari_buf_add(rc, b, t, strlen(t));
  case 's': return cari_buf_set(rc, b, t, strlen(t));
  case 'c': return cari_buf_addc(rc, b, t[0]);
  case 'S': return cari_buf_adds(rc, b, t);
  case 'p': return cari_buf_printf(rc, b, "<%s|%d>", t, (int)strlen(t));
  case 'C': cari_buf_clear(b); return *rc;
  case 'B':
    for (int i = 0; i < 100; i++) cari_buf_add(rc, b, t, strlen(t));
    return *rc;
  }
  return -1;
}

/* The fault-free answers. */
static void rows_plain(void) {
  for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
    const row *r = &rows[i];
    cari_buf b = CARI_BUF_INIT;
    int rc = 0;
    for (int k = 0; r->ops[k]; k++) run_op(&rc, &b, r->ops[k]);
    CHECK_INT(r->id, rc, 0);
    CHECK_INT(r->id, b.n, r->want_len);
    CHECK(r->id, strlen(cari_buf_str(&b)) == b.n, "NUL at %zu, n %zu",
          strlen(cari_buf_str(&b)), b.n);
    if (r->want) CHECK_STR(r->id, cari_buf_str(&b), r->want);
    CHECK(r->id, b.n == 0 || b.cap > b.n, "cap %zu n %zu", b.cap, b.n);
    cari_buf_free(&b);
    CHECK(r->id, !b.p && !b.n && !b.cap, "free left %p %zu %zu", (void *)b.p,
          b.n, b.cap);
  }
}

/* Every row with its 1st, 2nd, ... allocation failed: the op that meets
** the failure sets the code and leaves the buffer as before it; every op
** after it leaves the buffer alone. */
static void rows_failing(void) {
  for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
    const row *r = &rows[i];
    int points = 0;
    for (long at = 1;; at++) {
      nth f = {at, 0, 0};
      cari_buf b = CARI_BUF_INIT;
      int rc = 0, bad = 0;
      for (int k = 0; r->ops[k]; k++) {
        char *before = cari_strdup(cari_buf_str(&b)); /* not failed */
        if (!before) {
          bad++;
          break;
        }
        size_t n = b.n;
        int was = rc, fired = f.fired;
        cari_mem_fault_hook(fail_nth, &f);
        run_op(&rc, &b, r->ops[k]);
        cari_mem_fault_hook(NULL, NULL);
        int here = f.fired && !fired;
        if (here && rc != CARI_MEM_NOMEM) bad++;
        /* What was there stays; 'B' (100 adds) may have added whole
        ** copies before its failing add; 'C' empties regardless. */
        size_t step = r->ops[k][0] == 'B' ? strlen(r->ops[k] + 2) : 0;
        int kept = b.n >= n && memcmp(cari_buf_str(&b), before, n) == 0 &&
                   (step ? (b.n - n) % step == 0 : b.n == n);
        if ((was || here) && r->ops[k][0] != 'C' && !kept) bad++;
        cari_free(before);
      }
      CHECK(r->id, bad == 0, "allocation %ld failed: %d wrong ops", at, bad);
      cari_buf_free(&b);
      if (!f.fired) {
        CHECK_INT(r->id, rc, 0);
        break;
      }
      points++;
    }
    CHECK(r->id, r->want_len == 0 || points > 0, "no allocation failed");
  }
}

/* Sizes whose sums overflow: refused before any allocation. */
static void overflow(void) {
  cari_buf b = CARI_BUF_INIT;
  int rc = 0;
  CHECK_INT("ovf-setup", cari_buf_add(&rc, &b, "abc", 3), 0);
  CHECK_INT("ovf-grow", cari_buf_grow(&rc, &b, SIZE_MAX), CARI_MEM_NOMEM);
  CHECK_STR("ovf-kept", cari_buf_str(&b), "abc");
  rc = 0;
  CHECK_INT("ovf-grow-edge", cari_buf_grow(&rc, &b, SIZE_MAX - 3),
            CARI_MEM_NOMEM); /* n + more + 1 == SIZE_MAX + 1 */
  rc = 0;
  CHECK_INT("ovf-add", cari_buf_add(&rc, &b, "x", SIZE_MAX), CARI_MEM_NOMEM);
  CHECK_INT("ovf-kept-n", b.n, 3);
  rc = 0;
  int *a = NULL;
  size_t cap = 0;
  a = cari_grow(&rc, a, &cap, SIZE_MAX / 2, sizeof *a);
  CHECK_INT("ovf-array", rc, CARI_MEM_NOMEM);
  CHECK("ovf-array", a == NULL && cap == 0, "cap %zu", cap);
  rc = 0;
  CHECK_INT("ovf-calloc", cari_calloc(SIZE_MAX / 2, 4) == NULL, 1);
  CHECK_INT("ovf-calloc-edge", cari_calloc((SIZE_MAX >> 2) + 1, 4) == NULL, 1);
  cari_buf_free(&b);
}

/* cari_grow: doubling from 8, `need` when larger, a sticky code, a failed
** growth keeping the array. */
static void arrays(void) {
  static const struct {
    const char *id;
    size_t cap, need, want;
  } g[] = {
      {"grow-first", 0, 1, 8},   {"grow-need", 0, 20, 20},
      {"grow-double", 8, 9, 16}, {"grow-room", 16, 16, 16},
      {"grow-big", 16, 100, 100},
  };
  for (size_t i = 0; i < sizeof g / sizeof *g; i++) {
    int rc = 0;
    size_t cap = g[i].cap;
    long *a = g[i].cap ? cari_calloc(g[i].cap, sizeof *a) : NULL;
    if (a) a[g[i].cap - 1] = 42;
    a = cari_grow(&rc, a, &cap, g[i].need, sizeof *a);
    CHECK_INT(g[i].id, rc, 0);
    CHECK_INT(g[i].id, cap, g[i].want);
    if (g[i].cap) CHECK_INT(g[i].id, a[g[i].cap - 1], 42);
    cari_free(a);
  }
  int rc = CARI_MEM_NOMEM;
  size_t cap = 0;
  CHECK("grow-sticky", cari_grow(&rc, NULL, &cap, 4, 1) == NULL && cap == 0,
        "cap %zu", cap);
  nth f = {1, 0, 0};
  rc = 0;
  cap = 8;
  int *a = cari_calloc(8, sizeof *a);
  CHECK("grow-fail-setup", a != NULL, "calloc");
  cari_mem_fault_hook(fail_nth, &f);
  int *b = cari_grow(&rc, a, &cap, 9, sizeof *a);
  cari_mem_fault_hook(NULL, NULL);
  CHECK("grow-fail", rc == CARI_MEM_NOMEM && b == a && cap == 8,
        "rc %d cap %zu", rc, cap);
  cari_free(a);
}

/* The seam's functions, and its hook failing each of them. */
static void seam(void) {
  char *s = cari_strndup("kopi susu", 4);
  CHECK_STR("strndup", s, "kopi");
  cari_free(s);
  s = cari_strndup("ab", 10);
  CHECK_STR("strndup-short", s, "ab");
  cari_free(s);
  s = cari_strdup("teh");
  CHECK_STR("strdup", s, "teh");
  cari_free(s);
  cari_free(NULL);
  nth f = {1, 0, 0};
  cari_mem_fault_hook(fail_nth, &f);
  void *p[5];
  p[0] = cari_malloc(8);
  f.count = 0;
  p[1] = cari_calloc(2, 8);
  f.count = 0;
  p[2] = cari_realloc(NULL, 8);
  f.count = 0;
  p[3] = cari_strdup("x");
  f.count = 0;
  p[4] = cari_strndup("xy", 1);
  cari_mem_fault_hook(NULL, NULL);
  for (int i = 0; i < 5; i++) CHECK("hook-fails", p[i] == NULL, "call %d", i);
  p[0] = cari_malloc(8);
  CHECK("hook-removed", p[0] != NULL, "malloc after the hook");
  cari_free(p[0]);
  cari_buf b = CARI_BUF_INIT;
  int rc = 0;
  cari_buf_adds(&rc, &b, "pagi");
  char *t = cari_buf_take(&b);
  CHECK_STR("take", t, "pagi");
  CHECK("take-empties", !b.p && !b.n && !b.cap, "n %zu", b.n);
  cari_free(t);
  CHECK("take-none", cari_buf_take(&b) == NULL, "never added to");
}

int main(void) {
  rows_plain();
  rows_failing();
  overflow();
  arrays();
  seam();
  return test_report("buf");
}
