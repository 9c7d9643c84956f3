/*
** postings.c — the top-k postings: a compact, non-positional copy of the
** index (per term: the articles holding it and how often, per field) kept in
** plain SQLite tables beside FTS5, rebuilt by cari_optimize(). They let the
** query side (query/topk.c) rank the best articles without scoring every
** match. This file builds and decodes them; it does not rank or search.
**
** THE TABLES
**
**   cari_postings(id INTEGER PRIMARY KEY, term TEXT UNIQUE NOT NULL,
**                 df_title INTEGER, df_body INTEGER, data BLOB)
**     One row per index term of the articles present at the build. df_* are
**     the numbers of articles holding the term in each field: the ranking
**     uses them (and not a live count) for every search of such a term, so
**     the pruned and the exhaustive search agree exactly. They are refreshed
**     by the next build, like every statistic here.
**
**   cari_doclen(chunk INTEGER PRIMARY KEY, data BLOB)
**     Field lengths in tokens (FTS5's column sizes) of articles
**     chunk*IDX_DOCLEN_CHUNK .. +IDX_DOCLEN_CHUNK-1: per article a varint
**     title length and a varint body length, 0 0 for a missing article.
**
**   cari_words(word TEXT PRIMARY KEY, term TEXT) WITHOUT ROWID
**     Every word as written (normalised) in the articles of the build whose
**     index term differs from it: `membuat` -> `buat`. A prefix query
**     (query/prefix.c) uses it to find the terms of the words it begins,
**     which a stems-only index does not hold as written (`membua*`).
**
**   cari_stale(doc INTEGER PRIMARY KEY, gen INTEGER NOT NULL DEFAULT 0)
**     Articles of the build that were since replaced or removed: their
**     postings are out of date and are skipped; replaced ones are ranked
**     through FTS5. Filled by the triggers below, with the generation
**     (topk_gen) current when the change happened; the build keeps only
**     the marks of its own generation (THE BUILD). Marks above
**     topk_max_doc are ignored by searches.
**
**   cari_new_postings, cari_new_doclen, cari_new_words
**     The next build's tables while it writes them; renamed to the three
**     above when it swaps them in.
**
**   cari_meta keys: topk_version, topk_build (a random name of the build,
**   so readers know to reload), topk_max_doc (articles above it came
**   after the build and are ranked through FTS5), topk_avg_title,
**   topk_avg_body (mean field lengths at the build), topk_k1,
**   topk_b_title, topk_b_body (the BM25 parameters of the block bounds),
**   topk_gen (the generation of the latest build begun), topk_watch (the
**   triggers mark changes of articles up to it: topk_max_doc, or every
**   article while a build runs).
**
** THE BUILD runs beside writers on other connections (WAL), in short
** transactions, none longer than a chunk of the new tables:
**   1. start: a new generation G = topk_gen + 1, topk_watch = every
**      article, empty cari_new_* tables (one write transaction).
**   2. read: every article from one read snapshot, begun after 1; the
**      snapshot's last article is the new topk_max_doc M. No lock is held
**      against writers.
**   3. write: the postings, words and lengths into cari_new_*, in
**      transactions of about CHUNK_BYTES each.
**   4. swap: drop the live tables, rename the new ones, delete the marks
**      of generations before G (their changes are in the snapshot) and
**      those above M (new articles, ranked as such), record M and the
**      statistics, topk_watch = M (one write transaction).
** A change committed after 1 is marked with G, so it survives the swap
** whether or not the snapshot saw it: its article is then ranked through
** FTS5, which is exact either way. A change committed before 1 is in the
** snapshot. Every transaction of 3 and 4 first checks that topk_gen is
** still G: a build started later has replaced cari_new_*, and this one
** stops, leaving the live tables as they were; the later one completes.
** A build that fails drops its new tables and sets topk_watch back; one
** killed mid-way leaves them (the next build drops them) and at worst
** marks above topk_max_doc, which searches ignore.
**
** THE DATA BLOB of a term (integers are unsigned LEB128 varints):
**
**   nblock
**   nblock block headers:  last_delta count nbytes gt gbt gbo
**   nblock block bodies:   count postings  doc_delta tfs [tf_title-3]
**
** tfs is tf_body*4 + min(tf_title, 3); when tf_title >= 3 a varint of
** tf_title - 3 follows. Most postings take 2 bytes (a title rarely holds a
** word more than twice, a body count below 32 fits tfs in one byte).
**
** Postings are in article order, IDX_POST_BLOCK per block. last_delta is the
** block's last article minus the previous block's last (0 before the
** first); doc_delta likewise from the posting before (the previous block's
** last article for a block's first posting). gt, gbt and gbo are
** little-endian IEEE float32, rounded up: the largest BM25 term-frequency
** factor
**   g = tf*(k1+1) / (tf + k1*(1 - b + b*len/avg))
** at the build's avg, k1 and b, of: the title among the block's articles
** whose title holds the term (gt), the body among those same articles
** (gbt), and the body among the others (gbo). With a query's title and
** body coefficients A and B (weight times idf), every score in the block
** is at most max(A*gt + B*gbt, B*gbo) — much less than A*gt + B*gbo when, as
** usual, only a few articles of a block hold the term in their title. A
** search also multiplies by max(1, avg_now/avg_build) when the mean length
** has grown since the build.
**
** WITHOUT A SECOND ANALYSIS: a handle that filled an empty table has the
** postings already (capture.c collects them from the tokenizer as FTS5
** indexes each article, into the same in-memory structure, idx_post_acc).
** Step 2 then reads the snapshot's doc, title and body only to compare them
** with what was captured (idx_text_sig of each field): all equal and none
** missing or extra, the captured postings are written as the snapshot's;
** otherwise the build reads and analyses as above (a second snapshot, also
** begun after step 1). Nothing else changes: same tables, same bytes
** (tests/test_capture.c), same transactions and swap.
**
** Memory: the build holds every posting in memory as varints (about 4 bytes
** each, ~120 MB per 100k blog-length articles) and writes them at the end.
** A reader's snapshot keeps the WAL from being checkpointed past it, so
** the WAL grows by what writers write during the build.
*/
#include "indexer.h"
#include "cari.h"

#include <math.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* varints and floats                                                  */
/* ------------------------------------------------------------------ */

int idx_varint_get(const unsigned char *p, const unsigned char *end,
                   uint64_t *v) {
  uint64_t x = 0;
  int shift = 0;
  const unsigned char *q = p;
  while (q < end && shift < 64) {
    unsigned char c = *q++;
    x |= (uint64_t)(c & 0x7f) << shift;
    if (!(c & 0x80)) {
      *v = x;
      return (int)(q - p);
    }
    shift += 7;
  }
  return 0; /* truncated or too long */
}

static int varint_put(unsigned char *p, uint64_t v) {
  int n = 0;
  while (v >= 0x80) {
    p[n++] = (unsigned char)(v | 0x80);
    v >>= 7;
  }
  p[n++] = (unsigned char)v;
  return n;
}

static void float_put(unsigned char *p, double d) {
  float f = (float)d;
  if ((double)f < d) f = nextafterf(f, INFINITY); /* round up: a bound */
  uint32_t u;
  memcpy(&u, &f, 4);
  for (int i = 0; i < 4; i++) p[i] = (unsigned char)(u >> (8 * i));
}

static double float_get(const unsigned char *p) {
  uint32_t u = 0;
  for (int i = 0; i < 4; i++) u |= (uint32_t)p[i] << (8 * i);
  float f;
  memcpy(&f, &u, 4);
  return (double)f;
}

/* ------------------------------------------------------------------ */
/* decoding                                                            */
/* ------------------------------------------------------------------ */

void idx_post_list_free(idx_post_list *l) {
  if (!l) return;
  cari_free(l->blk);
  memset(l, 0, sizeof *l);
}

int idx_post_list_open(idx_post_list *l, const void *data, int n) {
  const unsigned char *p = data, *end = p + (n > 0 ? n : 0);
  uint64_t nb, v[3];
  memset(l, 0, sizeof *l);
  int k = idx_varint_get(p, end, &nb);
  if (!k || nb > (uint64_t)n) return CARI_CORRUPT;
  p += k;
  l->blk = cari_calloc(nb + 1, sizeof *l->blk);
  if (!l->blk) return CARI_NOMEM;
  l->nblock = (int)nb;
  long long last = 0;
  for (int b = 0; b < l->nblock; b++) {
    for (int i = 0; i < 3; i++) {
      k = idx_varint_get(p, end, &v[i]);
      if (!k) goto bad;
      p += k;
    }
    if (end - p < 12 || v[1] == 0 || v[1] > IDX_POST_BLOCK) goto bad;
    idx_post_block *h = &l->blk[b];
    h->first_after = last;
    last += (long long)v[0];
    h->last = last;
    h->count = (int)v[1];
    h->nbytes = (int)v[2];
    h->gt = float_get(p);
    h->gbt = float_get(p + 4);
    h->gbo = float_get(p + 8);
    p += 12;
  }
  for (int b = 0; b < l->nblock; b++) {
    l->blk[b].data = p;
    if (end - p < l->blk[b].nbytes) goto bad;
    p += l->blk[b].nbytes;
  }
  if (p != end) goto bad;
  return CARI_OK;
bad:
  idx_post_list_free(l);
  return CARI_CORRUPT;
}

int idx_doclen_read(sqlite3 *db, long long max_doc, unsigned **out,
                    char *err, size_t errcap) {
  long long nlen = max_doc + 1;
  unsigned *len = cari_calloc((size_t)nlen * 2, sizeof *len);
  *out = NULL;
  if (!len) {
    snprintf(err, errcap, "out of memory");
    return CARI_NOMEM;
  }
  sqlite3_stmt *st;
  int x = sqlite3_prepare_v2(db, "SELECT chunk, data FROM cari_doclen", -1,
                             &st, NULL);
  if (x != SQLITE_OK) {
    cari_free(len);
    return idx_sql_fail(db, x, "cannot read the top-k lengths", err, errcap);
  }
  int rc = CARI_OK;
  while ((x = sqlite3_step(st)) == SQLITE_ROW) {
    long long doc = sqlite3_column_int64(st, 0) * IDX_DOCLEN_CHUNK;
    const unsigned char *p = sqlite3_column_blob(st, 1);
    const unsigned char *end = p + sqlite3_column_bytes(st, 1);
    while (p && p < end && doc < nlen) {
      uint64_t v[2];
      int k0 = idx_varint_get(p, end, &v[0]);
      int k1 = k0 ? idx_varint_get(p + k0, end, &v[1]) : 0;
      if (!k1) {
        rc = CARI_CORRUPT;
        break;
      }
      p += k0 + k1;
      if (doc >= 0) {
        len[doc * 2] = (unsigned)v[0];
        len[doc * 2 + 1] = (unsigned)v[1];
      }
      doc++;
    }
  }
  if (x != SQLITE_DONE && rc == CARI_OK)
    rc = idx_sql_fail(db, x, "cannot read the top-k lengths", err, errcap);
  else if (rc == CARI_CORRUPT)
    snprintf(err, errcap, "the top-k lengths are damaged: run cari optimize");
  sqlite3_finalize(st);
  if (rc == CARI_OK) *out = len;
  else cari_free(len);
  return rc;
}

/* idx_varint_get's fast path for the hot loop: one-byte values inline. */
static inline int varint_fast(const unsigned char *p, const unsigned char *end,
                              uint64_t *v) {
  if (p < end && !(*p & 0x80)) {
    *v = *p;
    return 1;
  }
  return idx_varint_get(p, end, v);
}

int idx_post_block_decode(const idx_post_list *l, int b, idx_posting *out) {
  const idx_post_block *h = &l->blk[b];
  const unsigned char *p = h->data, *end = p + h->nbytes;
  long long doc = h->first_after;
  for (int i = 0; i < h->count; i++) {
    uint64_t delta, tf, tt;
    int k = varint_fast(p, end, &delta);
    if (!k) return -1;
    p += k;
    if (!(k = varint_fast(p, end, &tf))) return -1;
    p += k;
    tt = tf & 3;
    if (tt == 3) { /* a title count of 3 or more follows */
      if (!(k = varint_fast(p, end, &tt))) return -1;
      p += k;
      tt += 3;
    }
    doc += (long long)delta;
    out[i].doc = doc;
    out[i].tf[0] = (int)tt;
    out[i].tf[1] = (int)(tf >> 2);
  }
  return doc == h->last && p == end ? h->count : -1;
}

/* ------------------------------------------------------------------ */
/* the build                                                           */
/* ------------------------------------------------------------------ */

typedef struct {
  char *term;           /* owned */
  int nterm;
  uint64_t hash;
  cari_buf post;        /* varint postings: doc_delta tf_title tf_body */
  long long last_doc;   /* of the last posting in post */
  long long cur_doc;    /* the article being read, when it holds the term */
  int tf[2];            /* counts in cur_doc */
  long long df[2];
  int npost;
} bterm;

typedef struct {
  long long doc;
  int len[2];
  uint64_t sig[2];      /* of title and body (idx_text_sig), when captured */
} bdoc;

/* The build's postings in memory: idx_post_acc to indexer/capture.c. */
typedef struct idx_post_acc {
  bterm *t;
  int nt;
  size_t capt;
  int *slot;            /* open addressing: index+1 into t, 0 empty */
  size_t nslot;         /* power of two */
  int *touched;         /* terms of the current article */
  int ntouched;
  size_t captouched;
  bdoc *d;
  long long nd;
  size_t capd;
  long long doc;
  int field;
  int oom;
  /* Words as written whose stem differs: word -> stem, for cari_words. */
  char **ww, **ws;      /* owned strings */
  int nw;
  size_t capw;
  int *wslot;
  size_t nwslot;
} build;

static uint64_t hash(const char *s, int n) {
  uint64_t h = 1469598103934665603ULL;
  for (int i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
  return h;
}

static int grow_slots(build *B) {
  size_t ns = B->nslot ? B->nslot * 2 : 65536;
  int *s = cari_calloc(ns, sizeof *s);
  if (!s) return -1;
  for (int i = 0; i < B->nt; i++) {
    size_t j = B->t[i].hash & (ns - 1);
    while (s[j]) j = (j + 1) & (ns - 1);
    s[j] = i + 1;
  }
  cari_free(B->slot);
  B->slot = s;
  B->nslot = ns;
  return 0;
}

/* The term's index in B->t, added when new; -1 on out of memory. */
static int term_id(build *B, const char *term, int n) {
  if ((size_t)B->nt * 2 >= B->nslot && grow_slots(B)) return -1;
  uint64_t h = hash(term, n);
  size_t j = h & (B->nslot - 1);
  while (B->slot[j]) {
    bterm *t = &B->t[B->slot[j] - 1];
    if (t->hash == h && t->nterm == n && memcmp(t->term, term, (size_t)n) == 0)
      return B->slot[j] - 1;
    j = (j + 1) & (B->nslot - 1);
  }
  int rc = 0;
  B->t = cari_grow(&rc, B->t, &B->capt, (size_t)B->nt + 1, sizeof *B->t);
  if (rc) return -1;
  bterm *t = &B->t[B->nt];
  memset(t, 0, sizeof *t);
  if (!(t->term = cari_malloc((size_t)n + 1))) return -1;
  memcpy(t->term, term, (size_t)n);
  t->term[n] = 0;
  t->nterm = n;
  t->hash = h;
  t->cur_doc = -1;
  B->slot[j] = ++B->nt;
  return B->nt - 1;
}

/* Add tf0 and tf1 occurrences of term to the current article; 1 on OOM. */
static int add_tf(build *B, const char *term, int n, int tf0, int tf1) {
  int id = term_id(B, term, n);
  if (id < 0) return B->oom = 1;
  bterm *t = &B->t[id];
  if (t->cur_doc != B->doc) {
    int rc = 0;
    B->touched = cari_grow(&rc, B->touched, &B->captouched,
                           (size_t)B->ntouched + 1, sizeof *B->touched);
    if (rc) return B->oom = 1;
    B->touched[B->ntouched++] = id;
    t->cur_doc = B->doc;
    t->tf[0] = t->tf[1] = 0;
  }
  t->tf[0] += tf0;
  t->tf[1] += tf1;
  return 0;
}

static int on_term(void *ctx, const char *term, int n, int start, int end,
                   int colocated) {
  build *B = ctx;
  if (!colocated) B->d[B->nd - 1].len[B->field]++;
  return add_tf(B, term, n, B->field == 0, B->field == 1);
}

/* Append the current article's posting to each of its terms. */
static int flush_doc(build *B) {
  for (int i = 0; i < B->ntouched; i++) {
    bterm *t = &B->t[B->touched[i]];
    int rc = 0;
    if (t->post.cap - t->post.n < 31 && cari_buf_grow(&rc, &t->post, 30))
      return -1; /* room for three varints and the NUL */
    unsigned char *p = (unsigned char *)t->post.p;
    size_t n = t->post.n;
    n += (size_t)varint_put(p + n, (uint64_t)(B->doc - t->last_doc));
    n += (size_t)varint_put(p + n, (uint64_t)t->tf[0]);
    n += (size_t)varint_put(p + n, (uint64_t)t->tf[1]);
    t->post.n = n;
    t->last_doc = B->doc;
    t->npost++;
    for (int f = 0; f < 2; f++) t->df[f] += t->tf[f] > 0;
  }
  B->ntouched = 0;
  return 0;
}

/* Record a word and its stem (once; only when they differ). */
static void words_put(build *B, const char *w, int n, const char *st, int m) {
  if (B->oom || (n == m && memcmp(w, st, (size_t)n) == 0)) return;
  if ((size_t)B->nw * 2 >= B->nwslot) {
    size_t ns = B->nwslot ? B->nwslot * 2 : 65536;
    int *sl = cari_calloc(ns, sizeof *sl);
    if (!sl) {
      B->oom = 1;
      return;
    }
    for (int i = 0; i < B->nw; i++) {
      size_t j = hash(B->ww[i], (int)strlen(B->ww[i])) & (ns - 1);
      while (sl[j]) j = (j + 1) & (ns - 1);
      sl[j] = i + 1;
    }
    cari_free(B->wslot);
    B->wslot = sl;
    B->nwslot = ns;
  }
  size_t j = hash(w, n) & (B->nwslot - 1);
  for (; B->wslot[j]; j = (j + 1) & (B->nwslot - 1)) {
    const char *x = B->ww[B->wslot[j] - 1];
    if ((int)strlen(x) == n && memcmp(x, w, (size_t)n) == 0) return;
  }
  /* Two arrays, one capacity: it moves when both have grown. */
  size_t cw = B->capw, cs = B->capw;
  int rc = 0;
  B->ww = cari_grow(&rc, B->ww, &cw, (size_t)B->nw + 1, sizeof *B->ww);
  B->ws = cari_grow(&rc, B->ws, &cs, (size_t)B->nw + 1, sizeof *B->ws);
  if (rc) {
    B->oom = 1;
    return;
  }
  B->capw = cw;
  char *a = cari_malloc((size_t)n + 1), *b = cari_malloc((size_t)m + 1);
  if (!a || !b) {
    cari_free(a);
    cari_free(b);
    B->oom = 1;
    return;
  }
  memcpy(a, w, (size_t)n);
  a[n] = 0;
  memcpy(b, st, (size_t)m);
  b[m] = 0;
  B->ww[B->nw] = a;
  B->ws[B->nw] = b;
  B->wslot[j] = ++B->nw;
}

static void main_hook(void *ctx, const char *w, int n, const char *st, int m) {
  words_put(ctx, w, n, st, m);
}

static void build_free(build *B) {
  for (int i = 0; i < B->nw; i++) {
    cari_free(B->ww[i]);
    cari_free(B->ws[i]);
  }
  cari_free(B->ww);
  cari_free(B->ws);
  cari_free(B->wslot);
  for (int i = 0; i < B->nt; i++) {
    cari_free(B->t[i].term);
    cari_buf_free(&B->t[i].post);
  }
  cari_free(B->t);
  cari_free(B->slot);
  cari_free(B->touched);
  cari_free(B->d);
}

static const bdoc *find_doc(const build *B, long long doc) {
  long long lo = 0, hi = B->nd - 1;
  if (doc - B->d[0].doc < B->nd && doc >= B->d[0].doc &&
      B->d[doc - B->d[0].doc].doc == doc)
    return &B->d[doc - B->d[0].doc]; /* dense numbering: direct */
  while (lo <= hi) {
    long long mid = (lo + hi) / 2;
    if (B->d[mid].doc == doc) return &B->d[mid];
    if (B->d[mid].doc < doc) lo = mid + 1;
    else hi = mid - 1;
  }
  return NULL;
}

/* Re-encode term t's postings as blocks with bounds into *out (cari_free). */
static int encode_term(const build *B, const bterm *t, const double avg[2],
                       double k1, const double b[2], unsigned char **out,
                       int *nout) {
  int nblock = (t->npost + IDX_POST_BLOCK - 1) / IDX_POST_BLOCK;
  size_t cap = 10 + (size_t)nblock * 42 + t->post.n + 8;
  unsigned char *o = cari_malloc(cap);
  unsigned char *body = cari_malloc(t->post.n + (size_t)t->npost + 1);
  if (!o || !body) {
    cari_free(o);
    cari_free(body);
    return CARI_NOMEM;
  }
  size_t n = (size_t)varint_put(o, (uint64_t)nblock), nb = 0;
  const unsigned char *p = (const unsigned char *)t->post.p;
  const unsigned char *end = p + t->post.n;
  long long doc = 0, prev_last = 0;
  for (int blk = 0; blk < nblock; blk++) {
    int count = t->npost - blk * IDX_POST_BLOCK;
    if (count > IDX_POST_BLOCK) count = IDX_POST_BLOCK;
    double gt = 0, gbt = 0, gbo = 0;
    size_t start = nb;
    for (int i = 0; i < count; i++) {
      uint64_t v[3];
      for (int j = 0; j < 3; j++) p += idx_varint_get(p, end, &v[j]);
      doc += (long long)v[0];
      nb += (size_t)varint_put(body + nb, v[0]);
      nb += (size_t)varint_put(body + nb, v[2] << 2 | (v[1] < 3 ? v[1] : 3));
      if (v[1] >= 3) nb += (size_t)varint_put(body + nb, v[1] - 3);
      const bdoc *d = find_doc(B, doc);
      double g[2] = {0, 0};
      for (int f = 0; f < 2 && d; f++) {
        if (!v[1 + f]) continue;
        g[f] = idx_bm25_tf((double)v[1 + f], k1, b[f], d->len[f], avg[f]);
      }
      if (!d) g[0] = g[1] = k1 + 1; /* cannot happen: the largest there is */
      if (v[1] || !d) {
        if (g[0] > gt) gt = g[0];
        if (g[1] > gbt) gbt = g[1];
      }
      if (!v[1] || !d) {
        if (g[1] > gbo) gbo = g[1];
      }
    }
    n += (size_t)varint_put(o + n, (uint64_t)(doc - prev_last));
    n += (size_t)varint_put(o + n, (uint64_t)count);
    n += (size_t)varint_put(o + n, (uint64_t)(nb - start));
    float_put(o + n, gt * (1 + 1e-6));
    float_put(o + n + 4, gbt * (1 + 1e-6));
    float_put(o + n + 8, gbo * (1 + 1e-6));
    n += 12;
    prev_last = doc;
  }
  memcpy(o + n, body, nb);
  cari_free(body);
  *out = o;
  *nout = (int)(n + nb);
  return CARI_OK;
}

/* x: the failing call's SQLite code (sqlerr.c). */
static int fail(sqlite3 *db, int x, const char *what, char *err,
                size_t errcap) {
  return idx_sql_fail(db, x, what, err, errcap);
}

/* ------------------------------------------------------------------ */
/* the schema, its upgrade, and the build's short transactions         */
/* ------------------------------------------------------------------ */

static const char drop_sql[] =
    "DROP TRIGGER IF EXISTS cari_topk_ai;"
    "DROP TRIGGER IF EXISTS cari_topk_ad;"
    "DROP TRIGGER IF EXISTS cari_topk_au;"
    "DROP TABLE IF EXISTS cari_postings;"
    "DROP TABLE IF EXISTS cari_doclen;"
    "DROP TABLE IF EXISTS cari_stale;"
    "DROP TABLE IF EXISTS cari_words;"
    "DROP TABLE IF EXISTS cari_new_postings;"
    "DROP TABLE IF EXISTS cari_new_doclen;"
    "DROP TABLE IF EXISTS cari_new_words;"
    "DELETE FROM cari_meta WHERE key LIKE 'topk_%';";

/* The tables a build writes beside the live ones, renamed at the swap. */
static const char stage_sql[] =
    "DROP TABLE IF EXISTS cari_new_postings;"
    "DROP TABLE IF EXISTS cari_new_doclen;"
    "DROP TABLE IF EXISTS cari_new_words;"
    "CREATE TABLE cari_new_postings(id INTEGER PRIMARY KEY,"
    " term TEXT NOT NULL UNIQUE, df_title INTEGER NOT NULL,"
    " df_body INTEGER NOT NULL, data BLOB NOT NULL);"
    "CREATE TABLE cari_new_doclen(chunk INTEGER PRIMARY KEY,"
    " data BLOB NOT NULL);"
    "CREATE TABLE cari_new_words(word TEXT PRIMARY KEY, term TEXT NOT NULL)"
    " WITHOUT ROWID;";

#define WATCH_SQL                                                          \
  "(SELECT CAST(value AS INTEGER) FROM cari_meta WHERE key='topk_watch')"
#define GEN_SQL                                                            \
  "coalesce((SELECT CAST(value AS INTEGER) FROM cari_meta"                 \
  " WHERE key='topk_gen'), 0)"
#define MARK_SQL(x)                                                        \
  " INSERT INTO cari_stale VALUES (" x ", " GEN_SQL ")"                    \
  " ON CONFLICT(doc) DO UPDATE SET gen = excluded.gen;"
static const char stale_sql[] =
    "CREATE TABLE IF NOT EXISTS cari_stale(doc INTEGER PRIMARY KEY,"
    " gen INTEGER NOT NULL DEFAULT 0);";
static const char triggers_sql[] =
    /* Whoever writes `articles` marks what the postings no longer describe,
    ** with the generation it happened in (a build keeps only the marks of
    ** its own generation: THE BUILD). An upsert, not INSERT OR IGNORE:
    ** inside a trigger fired by an UPSERT (store.c's put) SQLite applies
    ** the outer statement's conflict handling to OR IGNORE, so a second
    ** change of the same article failed on the key. */
    "CREATE TRIGGER IF NOT EXISTS cari_topk_ai AFTER INSERT ON articles"
    " WHEN new.doc <= " WATCH_SQL " BEGIN" MARK_SQL("new.doc") " END;"
    "CREATE TRIGGER IF NOT EXISTS cari_topk_ad AFTER DELETE ON articles"
    " WHEN old.doc <= " WATCH_SQL " BEGIN" MARK_SQL("old.doc") " END;"
    "CREATE TRIGGER IF NOT EXISTS cari_topk_au AFTER UPDATE OF doc, title,"
    " body ON articles WHEN old.doc <= " WATCH_SQL " OR new.doc <= " WATCH_SQL
    " BEGIN" MARK_SQL("old.doc") MARK_SQL("new.doc") " END;";

/* One integer of SQL into *v (0 when no row); SQLite rc. */
/* Databases written before the build ran beside writers carry triggers
** without generations (older still: INSERT OR IGNORE, which made the second
** change of an article fail) and a cari_stale without its gen column:
** bring them up to date. Marks recorded before get generation 0, older than
** any build's, which is right: the next build reads their articles. */
int idx_post_upgrade(sqlite3 *db, char *err, size_t errcap) {
  long long old = 0, stale = 0, gencol = 0;
  int x;
  if ((x = idx_sql_int(db,
              "SELECT count(*) FROM sqlite_master WHERE type='trigger'"
              " AND name LIKE 'cari_topk_a_' AND sql NOT LIKE '%topk_gen%'",
              &old)) != SQLITE_OK ||
      (x = idx_sql_int(db,
                   "SELECT count(*) FROM sqlite_master WHERE name='cari_stale'",
                   &stale)) != SQLITE_OK ||
      (stale && (x = idx_sql_int(db,
                             "SELECT count(*) FROM"
                             " pragma_table_info('cari_stale') WHERE name='gen'",
                             &gencol)) != SQLITE_OK))
    return fail(db, x, "cannot read the schema", err, errcap);
  if (!old && (!stale || gencol)) return CARI_OK;
  if ((x = sqlite3_exec(db, "SAVEPOINT cari_upgrade;", NULL, NULL, NULL)) !=
          SQLITE_OK ||
      (stale && !gencol &&
       (x = sqlite3_exec(db,
                    "ALTER TABLE cari_stale ADD COLUMN gen INTEGER NOT NULL"
                    " DEFAULT 0",
                    NULL, NULL, NULL)) != SQLITE_OK) ||
      (x = sqlite3_exec(db,
                   "DROP TRIGGER IF EXISTS cari_topk_ai;"
                   "DROP TRIGGER IF EXISTS cari_topk_ad;"
                   "DROP TRIGGER IF EXISTS cari_topk_au;"
                   "INSERT INTO cari_meta SELECT 'topk_watch', value FROM"
                   " cari_meta WHERE key='topk_max_doc'"
                   " ON CONFLICT(key) DO NOTHING;",
                   NULL, NULL, NULL)) != SQLITE_OK ||
      (stale &&
       (x = sqlite3_exec(db, triggers_sql, NULL, NULL, NULL)) != SQLITE_OK)) {
    int rc = fail(db, x, "cannot upgrade the top-k triggers", err, errcap);
    sqlite3_exec(db, "ROLLBACK TO cari_upgrade; RELEASE cari_upgrade;", NULL,
                 NULL, NULL);
    return rc;
  }
  if ((x = sqlite3_exec(db, "RELEASE cari_upgrade;", NULL, NULL, NULL)) !=
      SQLITE_OK)
    return fail(db, x, "cannot upgrade the top-k triggers", err, errcap);
  return CARI_OK;
}

static void hook_call(const idx_hook *hook, int phase) {
  if (hook && hook->fn) hook->fn(hook->ctx, phase);
}

/* BEGIN IMMEDIATE (the write lock first, waiting as the busy timeout
** says), then, for gen > 0, that no other build started since ours. */
static int wtx_begin(sqlite3 *db, long long gen, char *err, size_t errcap) {
  int x = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  if (x != SQLITE_OK)
    return fail(db, x, "cannot write the top-k postings", err, errcap);
  long long now = 0;
  if (gen > 0 && (x = idx_sql_int(db, "SELECT " GEN_SQL, &now)) != SQLITE_OK) {
    int rc = fail(db, x, "cannot read the top-k generation", err, errcap);
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
  }
  if (gen > 0 && now != gen) {
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    snprintf(err, errcap, "another cari_optimize started on this database "
             "while this one ran (generation %lld, this one %lld): this one "
             "stopped and changed nothing; the other builds the postings",
             now, gen);
    return CARI_ERROR;
  }
  return CARI_OK;
}

/* COMMIT; on failure the transaction is rolled back. */
static int wtx_commit(sqlite3 *db, char *err, size_t errcap) {
  int x = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
  if (x == SQLITE_OK) return CARI_OK;
  int rc = fail(db, x, "cannot write the top-k postings", err, errcap);
  if (!sqlite3_get_autocommit(db))
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
  return rc;
}

/* The build's first transaction: the bookkeeping (upgraded if old), a new
** generation in *gen, every change recorded from now on, empty new tables. */
static int build_start(sqlite3 *db, long long *gen, char *err, size_t errcap) {
  int rc = wtx_begin(db, 0, err, errcap);
  if (rc) return rc;
  char sql[200];
  int x = SQLITE_OK;
  if ((rc = idx_post_upgrade(db, err, errcap)) == CARI_OK &&
      ((x = idx_sql_int(db, "SELECT " GEN_SQL, gen)) != SQLITE_OK ||
       (snprintf(sql, sizeof sql,
                 "INSERT OR REPLACE INTO cari_meta VALUES ('topk_gen',"
                 " '%lld'), ('topk_watch', '%lld')",
                 ++*gen, (long long)INT64_MAX),
        (x = sqlite3_exec(db, sql, NULL, NULL, NULL)) != SQLITE_OK) ||
       (x = sqlite3_exec(db, stale_sql, NULL, NULL, NULL)) != SQLITE_OK ||
       (x = sqlite3_exec(db, triggers_sql, NULL, NULL, NULL)) != SQLITE_OK ||
       (x = sqlite3_exec(db, stage_sql, NULL, NULL, NULL)) != SQLITE_OK))
    rc = fail(db, x, "cannot start the top-k build", err, errcap);
  if (rc) {
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
  }
  return wtx_commit(db, err, errcap);
}

/* After a failure: when the build is still the latest, drop its new tables
** and record changes as before it. Best effort (the state searches use is
** untouched either way: topk.c ignores marks above topk_max_doc). */
static void build_abandon(sqlite3 *db, long long gen) {
  char err[200];
  if (!sqlite3_get_autocommit(db)) sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
  if (gen <= 0 || wtx_begin(db, gen, err, sizeof err) != CARI_OK) return;
  if (sqlite3_exec(db,
                   "DROP TABLE IF EXISTS cari_new_postings;"
                   "DROP TABLE IF EXISTS cari_new_doclen;"
                   "DROP TABLE IF EXISTS cari_new_words;"
                   "DELETE FROM cari_meta WHERE key='topk_watch';"
                   "INSERT INTO cari_meta SELECT 'topk_watch', value FROM"
                   " cari_meta WHERE key='topk_max_doc';",
                   NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

/* The new tables are written in transactions of about this many bytes, so
** writers on other connections wait at most for one of them. */
#define CHUNK_BYTES (256 << 10)

typedef struct {
  sqlite3 *db;
  long long gen;
  const idx_hook *hook;
  size_t bytes; /* written in the open transaction */
  double t0;    /* when it began (idx_now_ms) */
} chunker;

/* Count n bytes written; past CHUNK_BYTES, commit, let waiting writers in,
** and begin the next. */
static int chunk_add(chunker *c, size_t n, char *err, size_t errcap) {
  c->bytes += n;
  if (c->bytes < CHUNK_BYTES) return CARI_OK;
  c->bytes = 0;
  int rc = wtx_commit(c->db, err, errcap);
  if (rc) return rc;
  hook_call(c->hook, IDX_PHASE_WRITE);
  idx_pause_after(c->t0);
  c->t0 = idx_now_ms();
  return wtx_begin(c->db, c->gen, err, errcap);
}

static int write_postings(chunker *c, build *B, const double avg[2],
                          double k1, const double b[2], char *err,
                          size_t errcap) {
  sqlite3 *db = c->db;
  sqlite3_stmt *st = NULL;
  int rc = CARI_OK;
  int x = sqlite3_prepare_v2(db,
                             "INSERT INTO cari_new_postings VALUES"
                             " (NULL,?,?,?,?)",
                             -1, &st, NULL);
  if (x != SQLITE_OK)
    return fail(db, x, "cannot write the top-k postings", err, errcap);
  for (int i = 0; rc == CARI_OK && i < B->nt; i++) {
    bterm *t = &B->t[i];
    unsigned char *data;
    int n;
    rc = encode_term(B, t, avg, k1, b, &data, &n);
    if (rc) {
      snprintf(err, errcap, "out of memory");
      break;
    }
    sqlite3_bind_text(st, 1, t->term, t->nterm, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, t->df[0]);
    sqlite3_bind_int64(st, 3, t->df[1]);
    sqlite3_bind_blob(st, 4, data, n, cari_free);
    if ((x = sqlite3_step(st)) != SQLITE_DONE)
      rc = fail(db, x, "cannot write the top-k postings", err, errcap);
    sqlite3_reset(st);
    cari_buf_free(&t->post); /* written: give the memory back as we go */
    if (rc == CARI_OK) rc = chunk_add(c, (size_t)n + (size_t)t->nterm, err, errcap);
  }
  sqlite3_finalize(st);
  return rc;
}

/* Words as written and their stems, for prefixes (query/prefix.c). */
static int write_words(chunker *c, build *B, char *err, size_t errcap) {
  sqlite3_stmt *st;
  int rc = CARI_OK;
  int x = sqlite3_prepare_v2(c->db, "INSERT INTO cari_new_words VALUES (?,?)",
                             -1, &st, NULL);
  if (x != SQLITE_OK)
    return fail(c->db, x, "cannot write the top-k words", err, errcap);
  for (int i = 0; rc == CARI_OK && i < B->nw; i++) {
    sqlite3_bind_text(st, 1, B->ww[i], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, B->ws[i], -1, SQLITE_STATIC);
    if ((x = sqlite3_step(st)) != SQLITE_DONE)
      rc = fail(c->db, x, "cannot write the top-k words", err, errcap);
    sqlite3_reset(st);
    if (rc == CARI_OK)
      rc = chunk_add(c, strlen(B->ww[i]) + strlen(B->ws[i]) + 8, err, errcap);
  }
  sqlite3_finalize(st);
  return rc;
}

/* Field lengths, IDX_DOCLEN_CHUNK articles per row. */
static int write_doclen(chunker *c, build *B, char *err, size_t errcap) {
  sqlite3_stmt *st;
  int rc = CARI_OK;
  int x = sqlite3_prepare_v2(c->db, "INSERT INTO cari_new_doclen VALUES (?,?)",
                             -1, &st, NULL);
  if (x != SQLITE_OK)
    return fail(c->db, x, "cannot write the top-k lengths", err, errcap);
  unsigned char *buf = cari_malloc(IDX_DOCLEN_CHUNK * 20);
  if (!buf) {
    snprintf(err, errcap, "out of memory");
    rc = CARI_NOMEM;
  }
  for (long long i = 0; rc == CARI_OK && i < B->nd;) {
    long long chunk = B->d[i].doc / IDX_DOCLEN_CHUNK, first = chunk * IDX_DOCLEN_CHUNK;
    int n = 0;
    for (long long doc = first; doc < first + IDX_DOCLEN_CHUNK; doc++) {
      int l0 = 0, l1 = 0;
      if (i < B->nd && B->d[i].doc == doc) {
        l0 = B->d[i].len[0];
        l1 = B->d[i].len[1];
        i++;
      }
      n += varint_put(buf + n, (uint64_t)l0);
      n += varint_put(buf + n, (uint64_t)l1);
    }
    sqlite3_bind_int64(st, 1, chunk);
    sqlite3_bind_blob(st, 2, buf, n, SQLITE_STATIC);
    if ((x = sqlite3_step(st)) != SQLITE_DONE)
      rc = fail(c->db, x, "cannot write the top-k lengths", err, errcap);
    sqlite3_reset(st);
    if (rc == CARI_OK) rc = chunk_add(c, (size_t)n, err, errcap);
  }
  cari_free(buf);
  sqlite3_finalize(st);
  return rc;
}

/* The last transaction: the new tables replace the live ones, the marks of
** older generations and of articles above the snapshot go, and the meta
** values name the build. */
static int swap_in(sqlite3 *db, long long gen, long long max_doc,
                   const double avg[2], double k1, const double b[2],
                   char *err, size_t errcap) {
  int rc = wtx_begin(db, gen, err, errcap);
  if (rc) return rc;
  /* C's printf, not SQLite's: %.17g must round-trip the doubles exactly
  ** (the search compares k1 and b with its own). */
  char sql[900];
  unsigned long long id;
  sqlite3_randomness(sizeof id, &id); /* names this build: readers reload */
  snprintf(sql, sizeof sql,
           "DROP TABLE IF EXISTS cari_postings;"
           "DROP TABLE IF EXISTS cari_doclen;"
           "DROP TABLE IF EXISTS cari_words;"
           "ALTER TABLE cari_new_postings RENAME TO cari_postings;"
           "ALTER TABLE cari_new_doclen RENAME TO cari_doclen;"
           "ALTER TABLE cari_new_words RENAME TO cari_words;"
           "DELETE FROM cari_stale WHERE gen < %lld OR doc > %lld;"
           "DELETE FROM cari_meta WHERE key LIKE 'topk_%%';"
           "INSERT INTO cari_meta VALUES ('topk_version', '%d'),"
           " ('topk_max_doc', '%lld'), ('topk_avg_title', '%.17g'),"
           " ('topk_avg_body', '%.17g'), ('topk_k1', '%.17g'),"
           " ('topk_b_title', '%.17g'), ('topk_b_body', '%.17g'),"
           " ('topk_build', '%016llx'), ('topk_gen', '%lld'),"
           " ('topk_watch', '%lld')",
           gen, max_doc, IDX_TOPK_VERSION, max_doc, avg[0], avg[1], k1, b[0],
           b[1], id, gen, max_doc);
  int x = sqlite3_exec(db, sql, NULL, NULL, NULL);
  if (x != SQLITE_OK) {
    rc = fail(db, x, "cannot swap in the top-k postings", err, errcap);
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
  }
  return wtx_commit(db, err, errcap);
}

static int write_all(sqlite3 *db, build *B, long long gen, double k1,
                     const double b[2], const idx_hook *hook, char *err,
                     size_t errcap) {
  double avg[2] = {1, 1};
  long long total[2] = {0, 0};
  for (long long i = 0; i < B->nd; i++)
    for (int f = 0; f < 2; f++) total[f] += B->d[i].len[f];
  for (int f = 0; f < 2; f++)
    if (B->nd > 0 && total[f] > 0) avg[f] = (double)total[f] / (double)B->nd;
  chunker c = {db, gen, hook, 0, idx_now_ms()};
  int rc = wtx_begin(db, gen, err, errcap);
  if (rc) return rc;
  if ((rc = write_postings(&c, B, avg, k1, b, err, errcap)) == CARI_OK &&
      (rc = write_words(&c, B, err, errcap)) == CARI_OK &&
      (rc = write_doclen(&c, B, err, errcap)) == CARI_OK)
    rc = wtx_commit(db, err, errcap);
  if (rc) return rc; /* the caller rolls back what is open */
  hook_call(hook, IDX_PHASE_SWAP);
  return swap_in(db, gen, B->nd ? B->d[B->nd - 1].doc : 0, avg, k1, b, err,
                 errcap);
}
/* ------------------------------------------------------------------ */
/* reading and analysing the articles, on two threads                  */
/* ------------------------------------------------------------------ */

/* A batch of articles read from the table, their texts copied. */
#define BATCH 512
typedef struct {
  long long doc[BATCH];
  cari_buf text[BATCH][2]; /* title and body, reused batch after batch */
  int n;
} batch;

/* The helper thread's output: per article, its terms as records
** [field 1][colocated 1][len 2][bytes], replayed by the main thread in
** article order. */
typedef struct {
  idx_analyzer *an;
  const batch *bt;
  int from, to;
  cari_buf rec;
  size_t *end; /* end offset of each article's records */
  int field;
  int oom;
} helper;

static int rec_term(void *ctx, const char *term, int n, int start, int end,
                    int colocated) {
  helper *h = ctx;
  if (n > 0xffff) n = 0xffff;
  int rc = 0;
  if (cari_buf_grow(&rc, &h->rec, (size_t)n + 4)) return h->oom = 1;
  unsigned char *r = (unsigned char *)h->rec.p + h->rec.n;
  r[0] = (unsigned char)h->field;
  r[1] = (unsigned char)(colocated != 0);
  r[2] = (unsigned char)(n & 0xff);
  r[3] = (unsigned char)(n >> 8);
  memcpy(r + 4, term, (size_t)n);
  h->rec.n += (size_t)n + 4;
  return 0;
}

/* The helper's words: a record [2][stem length][word length, 2][word][stem]. */
static void helper_hook(void *ctx, const char *w, int n, const char *st,
                        int m) {
  helper *h = ctx;
  if (h->oom || n > 0xffff || m > 0xff ||
      (n == m && memcmp(w, st, (size_t)n) == 0))
    return;
  int rc = 0;
  if (cari_buf_grow(&rc, &h->rec, (size_t)(n + m) + 4)) {
    h->oom = 1;
    return;
  }
  unsigned char *r = (unsigned char *)h->rec.p + h->rec.n;
  r[0] = 2;
  r[1] = (unsigned char)m;
  r[2] = (unsigned char)(n & 0xff);
  r[3] = (unsigned char)(n >> 8);
  memcpy(r + 4, w, (size_t)n);
  memcpy(r + 4 + n, st, (size_t)m);
  h->rec.n += (size_t)(n + m) + 4;
}

static void *helper_run(void *arg) {
  helper *h = arg;
  h->rec.n = 0;
  for (int i = h->from; i < h->to && !h->oom; i++) {
    for (int f = 0; f < 2 && !h->oom; f++) {
      h->field = f;
      const cari_buf *t = &h->bt->text[i][f];
      if (t->p &&
          idx_analyze(h->an, t->p, (int)t->n, 0, rec_term,
                      h) < 0)
        h->oom = 1;
    }
    h->end[i] = h->rec.n;
  }
  return NULL;
}

static int start_doc(build *B, long long doc) {
  int rc = 0;
  B->d = cari_grow(&rc, B->d, &B->capd, (size_t)B->nd + 1, sizeof *B->d);
  if (rc) return -1;
  B->doc = doc;
  B->d[B->nd].doc = doc;
  B->d[B->nd].len[0] = B->d[B->nd].len[1] = 0;
  B->d[B->nd].sig[0] = B->d[B->nd].sig[1] = 0;
  B->nd++;
  return 0;
}

/* ------------------------------------------------------------------ */
/* postings collected while the articles were put (indexer/capture.c)  */
/* ------------------------------------------------------------------ */

uint64_t idx_text_sig(const void *text, size_t n) {
  const unsigned char *p = text;
  uint64_t h = 0x9E3779B97F4A7C15ULL ^ (uint64_t)n;
  for (; n >= 8; n -= 8, p += 8) {
    uint64_t w;
    memcpy(&w, p, 8);
    h = (h ^ w) * 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 31;
  }
  for (; n > 0; n--, p++) h = (h ^ *p) * 0x94D049BB133111EBULL;
  h ^= h >> 29;
  return h * 0xBF58476D1CE4E5B9ULL ^ (h >> 32);
}

idx_post_acc *idx_post_acc_new(void) { return cari_calloc(1, sizeof(build)); }

void idx_post_acc_free(idx_post_acc *A) {
  if (!A) return;
  build_free(A);
  cari_free(A);
}

int idx_post_acc_doc(idx_post_acc *A, long long doc, const uint64_t sig[2]) {
  if (A->oom || (A->nd && doc <= A->doc) || doc < 1 || start_doc(A, doc))
    return A->oom = 1, -1;
  A->d[A->nd - 1].sig[0] = sig[0];
  A->d[A->nd - 1].sig[1] = sig[1];
  return 0;
}

int idx_post_acc_term(idx_post_acc *A, const char *term, int n,
                      const int tf[2]) {
  if (A->oom || A->nd == 0) return -1;
  return add_tf(A, term, n, tf[0], tf[1]) ? -1 : 0;
}

void idx_post_acc_len(idx_post_acc *A, const int len[2]) {
  if (A->nd == 0) return;
  A->d[A->nd - 1].len[0] += len[0];
  A->d[A->nd - 1].len[1] += len[1];
}

void idx_post_acc_word(idx_post_acc *A, const char *w, int n, const char *st,
                       int m) {
  words_put(A, w, n, st, m);
}

int idx_post_acc_end(idx_post_acc *A) {
  if (A->oom || flush_doc(A)) return A->oom = 1, -1;
  return 0;
}

/* Whether the snapshot's articles are exactly A's, text for text: then A's
** postings are the build's (*same = 1). Runs in the caller's read
** transaction. */
static int verify_acc(sqlite3 *db, const build *A, const idx_hook *hook,
                      int *same, char *err, size_t errcap) {
  sqlite3_stmt *st = NULL;
  *same = 0;
  int x = sqlite3_prepare_v2(db, "SELECT doc, title, body FROM " IDX_TABLE
                             " ORDER BY doc", -1, &st, NULL);
  if (x != SQLITE_OK) return fail(db, x, "cannot read the articles", err, errcap);
  long long i = 0;
  int ok = !A->oom;
  while (ok && (x = sqlite3_step(st)) == SQLITE_ROW) {
    if (i == 0) hook_call(hook, IDX_PHASE_READ);
    if (i >= A->nd || sqlite3_column_int64(st, 0) != A->d[i].doc) ok = 0;
    for (int f = 0; f < 2 && ok; f++) {
      const void *t = sqlite3_column_blob(st, 1 + f);
      int n = sqlite3_column_bytes(st, 1 + f);
      if (!t && n > 0) {
        sqlite3_finalize(st);
        snprintf(err, errcap, "out of memory");
        return CARI_NOMEM;
      }
      /* (NULL, which the schema refuses, has no terms, as "" has.) */
      if (idx_text_sig(t ? t : "", (size_t)n) != A->d[i].sig[f]) ok = 0;
    }
    i++;
  }
  if (ok && x != SQLITE_DONE) {
    sqlite3_finalize(st);
    return fail(db, x, "cannot read the articles", err, errcap);
  }
  sqlite3_finalize(st);
  *same = ok && i == A->nd;
  return CARI_OK;
}

/* Analyse the batch into B: the first half here with `an`, the second on a
** thread with `an2` (when given), replayed here in order. 0 or -1 (OOM). */
static int analyse_batch(build *B, const batch *bt, idx_analyzer *an,
                         idx_analyzer *an2, helper *h) {
  int half = an2 && bt->n > 8 ? bt->n / 2 : bt->n;
  pthread_t th;
  int threaded = 0;
  if (half < bt->n) {
    h->an = an2;
    h->bt = bt;
    h->from = half;
    h->to = bt->n;
    h->oom = 0;
    threaded = pthread_create(&th, NULL, helper_run, h) == 0;
    if (!threaded) half = bt->n; /* no thread: do it all here */
  }
  int rc = 0;
  for (int i = 0; i < half && !rc; i++) {
    if (start_doc(B, bt->doc[i])) rc = -1;
    for (int f = 0; f < 2 && !rc; f++) {
      B->field = f;
      const cari_buf *t = &bt->text[i][f];
      if (t->p && idx_analyze(an, t->p, (int)t->n, 0, on_term, B) != 0)
        rc = -1;
    }
    if (!rc && (B->oom || flush_doc(B))) rc = -1;
  }
  if (threaded) {
    pthread_join(th, NULL);
    if (h->oom) rc = -1;
    size_t at = 0;
    for (int i = half; i < bt->n && !rc; i++) {
      if (start_doc(B, bt->doc[i])) rc = -1;
      while (!rc && at < h->end[i]) {
        const unsigned char *r = (const unsigned char *)h->rec.p + at;
        int n = r[2] | r[3] << 8;
        if (r[0] == 2) { /* a word and its stem */
          words_put(B, (const char *)r + 4, n, (const char *)r + 4 + n, r[1]);
          at += (size_t)(n + r[1]) + 4;
          continue;
        }
        B->field = r[0];
        on_term(B, (const char *)r + 4, n, 0, 0, r[1]);
        at += (size_t)n + 4;
      }
      if (!rc && (B->oom || flush_doc(B))) rc = -1;
    }
  }
  return rc;
}

/* Read every article of one snapshot into B. */
static int read_all(sqlite3 *db, build *B, batch *bt, idx_analyzer *an,
                    idx_analyzer *an2, helper *h, const idx_hook *hook,
                    char *err, size_t errcap) {
  sqlite3_stmt *st = NULL;
  int rc = CARI_OK, x = SQLITE_ROW, nbatch = 0;
  if ((x = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL)) != SQLITE_OK ||
      (x = sqlite3_prepare_v2(db,
                              "SELECT doc, title, body FROM " IDX_TABLE
                              " ORDER BY doc",
                              -1, &st, NULL)) != SQLITE_OK) {
    rc = fail(db, x, "cannot read the articles", err, errcap);
    goto done;
  }
  x = SQLITE_ROW;
  while (x == SQLITE_ROW) {
    bt->n = 0;
    while (bt->n < BATCH && (x = sqlite3_step(st)) == SQLITE_ROW) {
      int i = bt->n;
      bt->doc[i] = sqlite3_column_int64(st, 0);
      if (bt->doc[i] < 1) { /* only an embedder's own SQL can write these */
        snprintf(err, errcap, "article row %lld: the top-k postings need "
                 "positive rowids", bt->doc[i]);
        rc = CARI_INVALID;
        goto done;
      }
      for (int f = 0; f < 2; f++) {
        const char *t = (const char *)sqlite3_column_text(st, 1 + f);
        if (!t && sqlite3_column_type(st, 1 + f) != SQLITE_NULL)
          goto oom; /* the conversion to text failed */
        int n = sqlite3_column_bytes(st, 1 + f), brc = 0;
        if (cari_buf_set(&brc, &bt->text[i][f], t ? t : "",
                         t ? (size_t)n : 0))
          goto oom;
      }
      bt->n++;
    }
    if (bt->n && analyse_batch(B, bt, an, an2, h)) goto oom;
    if (nbatch++ == 0) hook_call(hook, IDX_PHASE_READ);
  }
  if (x != SQLITE_DONE)
    rc = fail(db, x, "cannot read the articles", err, errcap);
  goto done;
oom:
  snprintf(err, errcap, "out of memory");
  rc = CARI_NOMEM;
done:
  sqlite3_finalize(st);
  /* Ends the read transaction (a failed COMMIT of a read leaves it open). */
  if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK &&
      !sqlite3_get_autocommit(db))
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
  return rc;
}

/* The build from postings collected while the articles were put: when a
** snapshot begun after build_start holds exactly A's articles (*used = 1),
** A's postings are written as the snapshot's. */
static int build_from(sqlite3 *db, build *A, long long gen, double k1,
                      const double b[2], const idx_hook *hook, int *used,
                      char *err, size_t errcap) {
  *used = 0;
  int x = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), rc = CARI_OK;
  if (x != SQLITE_OK)
    return fail(db, x, "cannot read the articles", err, errcap);
  rc = verify_acc(db, A, hook, used, err, errcap);
  if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK &&
      !sqlite3_get_autocommit(db))
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
  if (rc || !*used) return rc;
  return write_all(db, A, gen, k1, b, hook, err, errcap);
}

int idx_post_build(sqlite3 *db, idx_analyzer *an, idx_analyzer *an2,
                   idx_post_acc *acc, int *used_acc, double k1, double b_title,
                   double b_body, const idx_hook *hook, char *err,
                   size_t errcap) {
  if (used_acc) *used_acc = 0;
  if (!sqlite3_get_autocommit(db)) {
    idx_post_acc_free(acc);
    snprintf(err, errcap, "cannot build the top-k postings inside a "
             "transaction (a batch is open): commit it first");
    return CARI_INVALID;
  }
  build B;
  memset(&B, 0, sizeof B);
  const double b[2] = {b_title, b_body};
  long long gen = 0;
  batch *bt = cari_calloc(1, sizeof *bt);
  helper h;
  memset(&h, 0, sizeof h);
  h.end = cari_calloc(BATCH, sizeof *h.end);
  int rc = CARI_OK;
  if (!bt || !h.end) {
    snprintf(err, errcap, "out of memory");
    rc = CARI_NOMEM;
  }
  if (rc == CARI_OK) rc = build_start(db, &gen, err, errcap);
  int used = 0;
  if (rc == CARI_OK && acc)
    rc = build_from(db, acc, gen, k1, b, hook, &used, err, errcap);
  idx_post_acc_free(acc);
  if (rc == CARI_OK && !used) {
    idx_analyzer_hook(an, main_hook, &B);
    if (an2) idx_analyzer_hook(an2, helper_hook, &h);
    rc = read_all(db, &B, bt, an, an2, &h, hook, err, errcap);
    idx_analyzer_hook(an, NULL, NULL);
    if (an2) idx_analyzer_hook(an2, NULL, NULL);
  }
  if (bt)
    for (int i = 0; i < BATCH; i++) {
      cari_buf_free(&bt->text[i][0]);
      cari_buf_free(&bt->text[i][1]);
    }
  cari_free(bt);
  cari_buf_free(&h.rec);
  cari_free(h.end);
  if (rc == CARI_OK && !used)
    rc = write_all(db, &B, gen, k1, b, hook, err, errcap);
  build_free(&B);
  if (rc != CARI_OK) build_abandon(db, gen);
  else if (used_acc) *used_acc = used;
  return rc;
}

int idx_post_drop(sqlite3 *db, char *err, size_t errcap) {
  int x = sqlite3_exec(db, drop_sql, NULL, NULL, NULL);
  if (x != SQLITE_OK)
    return fail(db, x, "cannot drop the top-k postings", err, errcap);
  return CARI_OK;
}
