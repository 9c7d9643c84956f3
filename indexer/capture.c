/*
** capture.c — the top-k postings collected while articles are put, so that
** cari_optimize does not analyse every article a second time (issue 15).
** FTS5 already runs the analyzer on each title and body it indexes; a tap
** on the tokenizer (fts5_tokenizer.c) hands this file the same terms and
** stemmed words, which it adds to an idx_post_acc (postings.c) article by
** article. It does not write anything, nor decide whether the postings may
** be used: postings.c's build compares every article of its snapshot with
** what was collected (doc and signatures of title and body) and analyses
** the articles itself unless all of them match.
**
** When it captures: on a writable handle opened on a table with no article
** (a database being filled: `cari index` of a new corpus), until the
** first cari_optimize takes the postings. It stops for good (memory given
** back; the build then analyses as before) past MAX_POSTINGS, or at the
** first thing it cannot follow in article order: a put that replaces an
** article's text (FTS5 tokenizes old and new text), a put that failed
** after FTS5 saw its text, a removal, a batch rolled back, or a document
** tokenized on the connection without its tap (an embedder's own SQL, an
** integrity check). A put that leaves
** title and body alone tokenizes nothing and changes nothing here.
**
** Each put's terms are first counted per distinct term in a small table of
** the put's own (a cache-resident one), so the build's large table of
** every term is looked up once per distinct term of an article, not once
** per token: the same postings, in the same order, for about half the
** lookups.
**
** Memory: the postings of every article put (as the build holds them;
** about 4 bytes a posting), plus the current article's terms.
*/
#include "indexer.h"
#include "cari.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CAP_UNDECIDED, CAP_ON, CAP_OFF };

/* Past this many postings (about 4 bytes each in memory, plus the terms)
** the capture stops and gives its memory back: a writer handle that never
** optimizes (cari serve's) does not hold more, and the build analyses as
** before. The benchmarks' open-vocabulary corpus has 466 distinct terms an
** article (4.66 M postings at 10k, FTS5's vocabulary counts): the bound
** lies beyond 100k articles (~47 M), short of 1M. */
#define MAX_POSTINGS (64LL << 20)

/* The current put's terms, counted per distinct term in the order of
** their first occurrence (what the build would add token by token), and
** its stemmed words, their bytes in `rec`. */
typedef struct {
  uint32_t off, n; /* the term's bytes in rec */
  int tf[2];
} cterm;

struct idx_capture {
  sqlite3 *db;
  idx_fts5_global *g;
  int state;
  idx_post_acc *acc;      /* owned while CAP_ON */
  long long last_doc;     /* the last article captured */
  long long npost;        /* postings captured */
  unsigned long untapped; /* idx_fts5_untapped when the capture began */
  idx_tap tap;
  int ncalls;             /* tokenizations in this put */
  uint64_t sig[2];        /* of the first two (title, body) */
  int len[2];             /* their lengths in tokens */
  cterm *t;               /* distinct terms */
  int nt, capt;
  uint32_t *slot;         /* open addressing: index+1 into t, or 0 */
  uint32_t *stamp;        /* slot valid when stamp == put (no clearing) */
  uint32_t nslot, put;
  uint32_t *word;         /* offsets in rec of [n 4][word][m 4][stem] */
  int nword, capword;
  unsigned char *rec;
  size_t n, cap;
  int oom;
};

static int room(idx_capture *c, size_t need) {
  if (c->cap - c->n >= need) return 0;
  size_t cap = c->cap ? c->cap * 2 : 1 << 16;
  while (cap - c->n < need) cap *= 2;
  unsigned char *r = cari_realloc(c->rec, cap);
  if (!r) return c->oom = 1, -1;
  c->rec = r;
  c->cap = cap;
  return 0;
}

static void put_bytes(idx_capture *c, const char *s, int n) {
  uint32_t k = (uint32_t)n;
  memcpy(c->rec + c->n, &k, 4);
  memcpy(c->rec + c->n + 4, s, (size_t)n);
  c->n += 4 + (size_t)n;
}

static void tap_begin(void *ctx, const char *text, int n) {
  idx_capture *c = ctx;
  if (c->ncalls < 2)
    c->sig[c->ncalls] = idx_text_sig(text ? text : "", (size_t)(n > 0 ? n : 0));
  c->ncalls++;
}

static uint32_t term_hash(const char *s, int n) {
  uint32_t h = 2166136261u;
  for (int i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

/* Double the slots (or make the first) and put every term of this put in. */
static int grow(idx_capture *c) {
  uint32_t ns = c->nslot ? c->nslot * 2 : 4096;
  uint32_t *s = cari_malloc(ns * sizeof *s), *st = cari_calloc(ns, sizeof *st);
  if (!s || !st) {
    cari_free(s);
    cari_free(st);
    return c->oom = 1, -1;
  }
  cari_free(c->slot);
  cari_free(c->stamp);
  c->slot = s;
  c->stamp = st;
  c->nslot = ns;
  for (int i = 0; i < c->nt; i++) {
    const char *w = (const char *)c->rec + c->t[i].off;
    uint32_t j = term_hash(w, (int)c->t[i].n) & (ns - 1);
    while (st[j] == c->put) j = (j + 1) & (ns - 1);
    st[j] = c->put;
    s[j] = (uint32_t)i + 1;
  }
  return 0;
}

static int tap_term(void *ctx, const char *term, int n, int start, int end,
                    int colocated) {
  idx_capture *c = ctx;
  int f = c->ncalls - 1;
  if (c->oom || f > 1) return 0;
  if (!colocated) c->len[f]++;
  if ((uint32_t)(c->nt + 1) * 2 > c->nslot && grow(c)) return 0;
  uint32_t j = term_hash(term, n) & (c->nslot - 1);
  for (; c->stamp[j] == c->put; j = (j + 1) & (c->nslot - 1)) {
    cterm *t = &c->t[c->slot[j] - 1];
    if (t->n == (uint32_t)n && memcmp(c->rec + t->off, term, (size_t)n) == 0) {
      t->tf[f]++;
      return 0;
    }
  }
  if (c->nt == c->capt) {
    int cap = c->capt ? c->capt * 2 : 1024;
    cterm *t = cari_realloc(c->t, (size_t)cap * sizeof *t);
    if (!t) return c->oom = 1, 0;
    c->t = t;
    c->capt = cap;
  }
  if (room(c, (size_t)n)) return 0;
  cterm *t = &c->t[c->nt];
  t->off = (uint32_t)c->n;
  t->n = (uint32_t)n;
  t->tf[0] = t->tf[1] = 0;
  t->tf[f] = 1;
  memcpy(c->rec + c->n, term, (size_t)n);
  c->n += (size_t)n;
  c->stamp[j] = c->put;
  c->slot[j] = (uint32_t)++c->nt;
  return 0;
}

static void tap_word(void *ctx, const char *w, int n, const char *st, int m) {
  idx_capture *c = ctx;
  if (c->oom || c->ncalls > 2 || room(c, (size_t)n + (size_t)m + 8)) return;
  if (c->nword == c->capword) {
    int cap = c->capword ? c->capword * 2 : 256;
    uint32_t *p = cari_realloc(c->word, (size_t)cap * sizeof *p);
    if (!p) {
      c->oom = 1;
      return;
    }
    c->word = p;
    c->capword = cap;
  }
  c->word[c->nword++] = (uint32_t)c->n;
  put_bytes(c, w, n);
  put_bytes(c, st, m);
}

idx_capture *idx_capture_new(sqlite3 *db, idx_fts5_global *g) {
  idx_capture *c = cari_calloc(1, sizeof *c);
  if (!c) return NULL;
  c->db = db;
  c->g = g;
  c->tap = (idx_tap){c, tap_begin, tap_term, tap_word};
  return c;
}

void idx_capture_stop(idx_capture *c) {
  if (!c) return;
  if (c->state == CAP_ON) idx_fts5_capture(c->g, 0);
  idx_fts5_tap(c->g, NULL);
  idx_post_acc_free(c->acc);
  c->acc = NULL;
  c->state = CAP_OFF;
  cari_free(c->rec);
  cari_free(c->t);
  cari_free(c->slot);
  cari_free(c->stamp);
  cari_free(c->word);
  c->rec = NULL;
  c->t = NULL;
  c->slot = c->stamp = c->word = NULL;
  c->n = c->cap = 0;
  c->nt = c->capt = c->nword = c->capword = 0;
  c->nslot = 0;
}

void idx_capture_free(idx_capture *c) {
  if (!c) return;
  idx_capture_stop(c);
  cari_free(c);
}

/* Capture only into a table with no article. (At open, not at the first
** put: a statement that fails for want of memory inside a transaction
** makes SQLite roll the whole transaction back, which a put must report.) */
int idx_capture_start(idx_capture *c, char *err, size_t errcap) {
  sqlite3_stmt *st = NULL;
  int x = sqlite3_prepare_v2(c->db, "SELECT max(doc) IS NULL FROM " IDX_TABLE,
                             -1, &st, NULL);
  if (x == SQLITE_OK && (x = sqlite3_step(st)) == SQLITE_ROW) x = SQLITE_OK;
  int empty = x == SQLITE_OK && sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  if (x != SQLITE_OK)
    return idx_sql_fail(c->db, x, "cannot read the articles", err, errcap);
  c->state = CAP_OFF;
  if (!empty) return CARI_OK;
  if (!(c->acc = idx_post_acc_new())) {
    snprintf(err, errcap, "out of memory");
    return CARI_NOMEM;
  }
  c->state = CAP_ON;
  c->untapped = idx_fts5_untapped(c->g);
  idx_fts5_capture(c->g, 1);
  return CARI_OK;
}

void idx_capture_put_begin(idx_capture *c) {
  if (!c || c->state != CAP_ON) return;
  c->ncalls = 0;
  c->n = 0;
  c->nt = c->nword = 0;
  c->len[0] = c->len[1] = 0;
  c->oom = 0;
  if (++c->put == 0) { /* stamps wrapped: clear them once */
    if (c->stamp) memset(c->stamp, 0, c->nslot * sizeof *c->stamp);
    c->put = 1;
  }
  idx_fts5_tap(c->g, &c->tap);
}

/* The put's terms, lengths and words into the postings. */
static int replay(idx_capture *c) {
  for (int i = 0; i < c->nt; i++)
    if (idx_post_acc_term(c->acc, (const char *)c->rec + c->t[i].off,
                          (int)c->t[i].n, c->t[i].tf))
      return -1;
  idx_post_acc_len(c->acc, c->len);
  for (int i = 0; i < c->nword; i++) {
    const unsigned char *r = c->rec + c->word[i];
    uint32_t n, m;
    memcpy(&n, r, 4);
    memcpy(&m, r + 4 + n, 4);
    idx_post_acc_word(c->acc, (const char *)r + 4, (int)n,
                      (const char *)r + 8 + n, (int)m);
  }
  return 0;
}

void idx_capture_put_end(idx_capture *c, int rc) {
  if (!c || c->state != CAP_ON) return;
  idx_fts5_tap(c->g, NULL);
  /* Nothing reached FTS5: no text changed (a url changed, or the article
  ** was refused before any SQL ran). */
  if (c->ncalls == 0) return;
  /* A new article: its title's tokenization, then its body's. */
  long long doc = sqlite3_last_insert_rowid(c->db);
  if (rc != CARI_OK || c->ncalls != 2 || c->oom || doc <= c->last_doc ||
      idx_post_acc_doc(c->acc, doc, c->sig) || replay(c) ||
      idx_post_acc_end(c->acc) || (c->npost += c->nt) > MAX_POSTINGS) {
    idx_capture_stop(c);
    return;
  }
  c->last_doc = doc;
}

idx_post_acc *idx_capture_take(idx_capture *c) {
  idx_post_acc *a = NULL;
  if (!c) return NULL;
  if (c->state == CAP_ON && idx_fts5_untapped(c->g) == c->untapped) {
    a = c->acc;
    c->acc = NULL;
  }
  idx_capture_stop(c);
  return a;
}
