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
** When it captures: on a handle whose first put finds no article in the
** table (a database being filled: `cari index` of a new corpus), until the
** first cari_optimize takes the postings. It stops for good (memory given
** back; the build then analyses as before) at the first thing it cannot
** follow in article order: a put that replaces an article's text (FTS5
** tokenizes old and new text), a put that failed after FTS5 saw its text,
** a removal, a batch rolled back, or a document tokenized on the
** connection without its tap (an embedder's own SQL). A put that leaves
** title and body alone tokenizes nothing and changes nothing here.
**
** Memory: the postings of every article put (as the build holds them;
** about 4 bytes a posting), plus the current article's terms.
*/
#include "indexer.h"
#include "cari.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

enum { CAP_UNDECIDED, CAP_ON, CAP_OFF };

/* The current put's tokenizations: records [kind 1][len 4][bytes] (kind
** 0: a term, 1: a colocated term, 2: a word, followed by [len 4][stem]). */
struct idx_capture {
  sqlite3 *db;
  idx_fts5_global *g;
  int state;
  idx_post_acc *acc;      /* owned while CAP_ON */
  long long last_doc;     /* the last article captured */
  unsigned long untapped; /* idx_fts5_untapped when the capture began */
  idx_tap tap;
  int ncalls;             /* tokenizations in this put */
  uint64_t sig[2];        /* of the first two */
  size_t at[2];           /* where their records begin */
  unsigned char *rec;
  size_t n, cap;
  int oom;
};

static int room(idx_capture *c, size_t need) {
  if (c->cap - c->n >= need) return 0;
  size_t cap = c->cap ? c->cap * 2 : 1 << 16;
  while (cap - c->n < need) cap *= 2;
  unsigned char *r = realloc(c->rec, cap);
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
  if (c->ncalls < 2) {
    c->sig[c->ncalls] = idx_text_sig(text ? text : "", (size_t)(n > 0 ? n : 0));
    c->at[c->ncalls] = c->n;
  }
  c->ncalls++;
}

static int tap_term(void *ctx, const char *term, int n, int start, int end,
                    int colocated) {
  idx_capture *c = ctx;
  if (c->oom || c->ncalls > 2 || room(c, (size_t)n + 5)) return 0;
  c->rec[c->n++] = colocated ? 1 : 0;
  put_bytes(c, term, n);
  return 0;
}

static void tap_word(void *ctx, const char *w, int n, const char *st, int m) {
  idx_capture *c = ctx;
  if (c->oom || c->ncalls > 2 || room(c, (size_t)n + (size_t)m + 9)) return;
  c->rec[c->n++] = 2;
  put_bytes(c, w, n);
  put_bytes(c, st, m);
}

idx_capture *idx_capture_new(sqlite3 *db, idx_fts5_global *g) {
  idx_capture *c = calloc(1, sizeof *c);
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
  free(c->rec);
  c->rec = NULL;
  c->n = c->cap = 0;
}

void idx_capture_free(idx_capture *c) {
  if (!c) return;
  idx_capture_stop(c);
  free(c);
}

/* The first put decides: capture only into a table with no article. */
static void decide(idx_capture *c) {
  sqlite3_stmt *st = NULL;
  int empty = 0;
  if (sqlite3_prepare_v2(c->db, "SELECT max(doc) IS NULL FROM " IDX_TABLE,
                         -1, &st, NULL) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    empty = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  if (!empty || !(c->acc = idx_post_acc_new())) {
    c->state = CAP_OFF;
    return;
  }
  c->state = CAP_ON;
  c->untapped = idx_fts5_untapped(c->g);
  idx_fts5_capture(c->g, 1);
}

void idx_capture_put_begin(idx_capture *c) {
  if (!c) return;
  if (c->state == CAP_UNDECIDED) decide(c);
  if (c->state != CAP_ON) return;
  c->ncalls = 0;
  c->n = 0;
  c->oom = 0;
  idx_fts5_tap(c->g, &c->tap);
}

/* Replay the records of field f (records from..to) into the postings. */
static int replay(idx_capture *c, int f, size_t from, size_t to) {
  const unsigned char *r = c->rec;
  while (from < to) {
    int kind = r[from];
    uint32_t n, m;
    memcpy(&n, r + from + 1, 4);
    const char *s = (const char *)r + from + 5;
    from += 5 + n;
    if (kind == 2) {
      memcpy(&m, r + from, 4);
      idx_post_acc_word(c->acc, s, (int)n, (const char *)r + from + 4, (int)m);
      from += 4 + m;
    } else if (idx_post_acc_term(c->acc, f, s, (int)n, kind)) {
      return -1;
    }
  }
  return 0;
}

void idx_capture_put_end(idx_capture *c, int rc) {
  if (!c || c->state != CAP_ON) return;
  idx_fts5_tap(c->g, NULL);
  if (c->ncalls == 0 && rc == CARI_OK) return; /* no text changed */
  /* A new article: its title's tokenization, then its body's. */
  long long doc = sqlite3_last_insert_rowid(c->db);
  if (rc != CARI_OK || c->ncalls != 2 || c->oom || doc <= c->last_doc ||
      idx_post_acc_doc(c->acc, doc, c->sig) || replay(c, 0, c->at[0], c->at[1]) ||
      replay(c, 1, c->at[1], c->n) || idx_post_acc_end(c->acc)) {
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
