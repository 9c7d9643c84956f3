/*
** topk.c — ranked search for the best k articles without scoring every
** match. FTS5 ranks by calling cari_rank() on every article that matches;
** for a common word that is most of the collection. Here the top-k postings
** (indexer/postings.c) answer instead when they can, and FTS5 `ORDER BY
** rank` when they cannot; both give the same articles, in the same order,
** with the same scores to the last bit. It does not make snippets or read
** the articles' fields (search.c does), nor look up the query's terms
** (lookup.c) or expand its prefixes (prefix.c).
**
** WHEN THE POSTINGS ANSWER
**
** The ranking is cari_rank with the build's k1 and b, on an index without
** surface forms; every phrase of the plan (parse.c) is one term (a prefix
** or a word with aliases: their merged postings); k = offset + limit <= QRY_TOPK_MAX; the postings exist.
** Otherwise the search is exhaustive (FTS5), still using the postings'
** document frequencies so scores do not depend on the path.
**
** HOW (one query word): the term's postings come in blocks of 128 with a
** bound on the score of every article in the block (the largest BM25
** term-frequency factor per field, times the query's idf and weights).
** Blocks are read best bound first and scored exactly; reading stops when
** the next bound is below the k-th best score so far (block-max top-k,
** the impact-ordered idea at block granularity).
**
** HOW (several words): every posting of the query's terms is read (they are
** compact: a few bytes each, no positions) and accumulated per article in
** phrase order, which gives the BM25 sum and coordination exactly. Only
** proximity needs positions. An article holding one query word gets no
** proximity bonus, so its score is final; one holding several is bounded
** by score * (1 + prox). Articles whose bound reaches the k-th best are
** scored by FTS5 one by one (rowid = ?), best bound first, until the bound
** falls below the k-th best exact score: usually a handful.
**
** CHANGES SINCE THE BUILD: articles above topk_max_doc are ranked by an
** FTS5 query restricted to those rowids; replaced ones (cari_stale) are
** skipped in the postings and ranked by FTS5 one by one; removed ones are
** skipped. More than QRY_TOPK_MAX_STALE of them: exhaustive until the next
** cari_optimize().
*/
#include "query.h"
#include "cari.h"
#include "indexer.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QRY_TOPK_MAX 1000      /* larger k: exhaustive */
#define BOUND_SLACK (1 + 1e-9) /* bounds are computed in another order */

struct qry_topk {
  qry_build B; /* the build, cached until the database changes */
  /* Dense per-article accumulators for several words, up to max_doc. */
  double *acc;
  uint64_t *mask;
  long long nacc;
  long long *touched;
  long long ntouched;
  size_t captouched;
  sqlite3_stmt *stats, *probe, *delta;
  const qry_filter *filter; /* the current search's filter, or NULL */
};

qry_topk *qry_topk_new(sqlite3 *db, idx_analyzer *an) {
  qry_topk *t = cari_calloc(1, sizeof *t);
  if (!t) return NULL;
  t->B.db = db;
  t->B.an = an;
  t->B.seen_version = -1;
  return t;
}

struct idx_analyzer *qry_topk_analyzer(qry_topk *t) { return t->B.an; }

void qry_topk_free(qry_topk *t) {
  if (!t) return;
  qry_build_clear(&t->B);
  sqlite3_finalize(t->stats);
  sqlite3_finalize(t->probe);
  sqlite3_finalize(t->delta);
  cari_free(t->acc);
  cari_free(t->mask);
  cari_free(t->touched);
  cari_free(t);
}

void qry_result_free(qry_result *r) {
  if (!r) return;
  cari_free(r->hit);
  for (int i = 0; i < r->nterm; i++) cari_free(r->term[i]);
  cari_free(r->term);
  cari_free(r->termlen);
  cari_free(r->expr);
  cari_free(r->note);
  qry_terms_free(&r->terms);
  qry_plan_free(r->xpl);
  memset(r, 0, sizeof *r);
}

/* x: the failing call's SQLite code (indexer/sqlerr.c). */
static int sql_err(sqlite3 *db, int x, const char *what, char *err,
                   size_t errcap) {
  return idx_sql_fail(db, x, what, err, errcap);
}

/* ------------------------------------------------------------------ */
/* the k best                                                          */
/* ------------------------------------------------------------------ */

typedef struct {
  qry_hit *h; /* a heap: the worst kept hit at h[0] */
  int n, k;
  const qry_filter *f; /* NULL, or only the articles it passes enter */
} heap;

/* a ranks before b: higher score, then lower rowid (ORDER BY rank, rowid). */
static int before(const qry_hit *a, const qry_hit *b) {
  return a->score > b->score || (a->score == b->score && a->doc < b->doc);
}

/* Sift h[i] down: with best 0 the worst hit rises to the top (the k best
** kept), with best 1 the best (the blocks' bounds, read best first). */
static void sift(heap *H, int i, int best) {
  for (;;) {
    int l = 2 * i + 1, r = l + 1, w = i;
    for (int c = l; c <= r; c++)
      if (c < H->n && (best ? before(&H->h[c], &H->h[w])
                            : before(&H->h[w], &H->h[c])))
        w = c;
    if (w == i) return;
    qry_hit x = H->h[i];
    H->h[i] = H->h[w];
    H->h[w] = x;
    i = w;
  }
}

/* body: 1 when the article's body holds a query word, 0 when it does not
** (then its snippet is its first words, found without reading it all), -1
** unknown. */
static void push(heap *H, long long doc, double score, int body) {
  if (H->f && !qry_filter_has(H->f, doc)) return;
  qry_hit x = {doc, score, body};
  if (H->n < H->k) {
    int i = H->n++;
    H->h[i] = x;
    while (i > 0 && before(&H->h[(i - 1) / 2], &H->h[i])) {
      qry_hit y = H->h[i];
      H->h[i] = H->h[(i - 1) / 2];
      H->h[(i - 1) / 2] = y;
      i = (i - 1) / 2;
    }
    return;
  }
  if (!before(&x, &H->h[0])) return;
  H->h[0] = x;
  sift(H, 0, 0);
}

/* Can a score up to `bound` still enter? */
static int may_enter(const heap *H, double bound) {
  return H->n < H->k || bound >= H->h[0].score;
}

static int cmp_hit(const void *a, const void *b) {
  return before(a, b) ? -1 : before(b, a) ? 1 : 0;
}

/* Is phrase i (ph) a synonym of its lead's word (rank.c)? */
static int is_synonym(const qry_phrase *ph, int i) {
  return ph->kind == QRY_SYNONYM && ph->lead != i;
}

/* Does phrase i (ph) stand for its lead's word while scored on its own: a
** synonym or a correction (rank.c)? */
static int stands_for(const qry_phrase *ph, int i) {
  return (ph->kind == QRY_SYNONYM || ph->kind == QRY_TYPO) && ph->lead != i;
}

/* The query word phrase i (p) holds for coordination and proximity. */
static int word_of(const qry_term *p, int i) {
  return stands_for(p->ph, i) ? p->ph->lead : i;
}

/* What every score of one search is computed from. */
typedef struct {
  const qry_ranking *r;
  double coord, prox;   /* as this query applies them */
  qry_stats st;         /* N and the mean field lengths, as cari_rank's */
  int ncore;
  const char *expr;     /* the MATCH expression */
  const unsigned char *arg; /* cari_rank's argument (qry_rank_encode) */
  int narg;
} scoring;

/* FTS5 scores rows of the expression: rowid > from (one statement), or
** rowid = from (eq). Every row is pushed. cari_rank is called directly,
** its argument bound: cheaper per statement than `rank MATCH` text, and
** the same function on the same argument. */
static int fts_score(qry_topk *t, const scoring *S, heap *H, long long from,
                     int eq, char *err, size_t errcap) {
  sqlite3_stmt **st = eq ? &t->probe : &t->delta;
#define RANK_CALL "SELECT rowid, -cari_rank(" IDX_FTS ", ?2) FROM " IDX_FTS \
                  " WHERE " IDX_FTS " MATCH ?1 AND rowid "
  int x;
  if (!*st &&
      (x = sqlite3_prepare_v3(t->B.db, eq ? RANK_CALL "= ?3" : RANK_CALL "> ?3",
                              -1, SQLITE_PREPARE_PERSISTENT, st,
                              NULL)) != SQLITE_OK)
    return sql_err(t->B.db, x, "cannot prepare the search", err, errcap);
#undef RANK_CALL
  sqlite3_bind_text(*st, 1, S->expr, -1, SQLITE_STATIC);
  sqlite3_bind_blob(*st, 2, S->arg, S->narg, SQLITE_STATIC);
  sqlite3_bind_int64(*st, 3, from);
  while ((x = sqlite3_step(*st)) == SQLITE_ROW)
    push(H, sqlite3_column_int64(*st, 0), sqlite3_column_double(*st, 1), -1);
  sqlite3_reset(*st);
  if (x != SQLITE_DONE) return sql_err(t->B.db, x, "search failed", err, errcap);
  return CARI_OK;
}

static int excluded(const long long *ex, int nex, long long doc) {
  int lo = 0, hi = nex - 1;
  while (lo <= hi) {
    int mid = (lo + hi) / 2;
    if (ex[mid] == doc) return 1;
    if (ex[mid] < doc) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

/* Is doc one the postings rank: of the build, not replaced, not excluded,
** passing the search's filter (checked before scoring: a filtered list is
** the unfiltered one without the articles the filter rejects)? */
static inline int rankable(const qry_topk *t, const long long *ex, int nex,
                           long long doc) {
  return doc <= t->B.max_doc && !(t->B.nstale && qry_build_stale(&t->B, doc)) &&
         !(nex && excluded(ex, nex, doc)) &&
         !(t->filter && !qry_filter_has(t->filter, doc));
}

static int cmp_ll(const void *a, const void *b) {
  long long x = *(const long long *)a, y = *(const long long *)b;
  return x < y ? -1 : x > y;
}

/* Every article holding an excluded phrase's term, sorted. */
static int excluded_docs(const qry_terms *ts, long long **out, int *nout) {
  long long n = 0, *v = NULL;
  size_t cap = 0;
  idx_posting buf[IDX_POST_BLOCK];
  for (int i = 0; i < ts->n; i++) {
    const qry_term *p = &ts->p[i];
    if (p->ph->weight != 0 || !p->found || p->ph->kind == QRY_ALIAS) continue;
    for (int b = 0; b < qry_term_nblocks(p); b++) {
      int c = qry_term_block(p, b, buf);
      if (c < 0) {
        cari_free(v);
        return CARI_CORRUPT;
      }
      int rc = CARI_OK;
      v = cari_grow(&rc, v, &cap, (size_t)(n + c), sizeof *v);
      if (rc) {
        cari_free(v);
        return rc;
      }
      for (int j = 0; j < c; j++) v[n++] = buf[j].doc;
    }
  }
  if (n > 1) qsort(v, (size_t)n, sizeof *v, cmp_ll);
  *out = v;
  *nout = (int)n;
  return CARI_OK;
}

/* The BM25 sum over the fields of one posting of term p (without p's
** weight), in cari_rank's order; *fields gets the fields it is in. */
static inline double posting_sum(const qry_topk *t, const scoring *S,
                                 const qry_term *p, const idx_posting *x,
                                 int *fields) {
  const unsigned *len = &t->B.len[x->doc * 2];
  double W[2] = {S->r->w_title, S->r->w_body};
  double bf[2] = {S->r->b_title, S->r->b_body};
  double s = 0;
  *fields = 0;
  for (int f = 0; f < 2; f++) {
    if (x->tf[f]) *fields |= 1 << f;
    if (!x->tf[f] || W[f] == 0) continue;
    s += qry_field_score(W[f], p->idf[f], x->tf[f], S->r->k1, bf[f],
                         (double)len[f], S->st.avg[f]);
  }
  return s;
}

/* The bound of w * s of each block of p's postings into bb (a prefix's
** merged list has none: HUGE_VAL). The mean lengths may have grown since
** the build (drift): the bounds, computed with the build's, grow with them. */
static void block_bounds(const qry_topk *t, const scoring *S,
                         const qry_term *p, double *bb) {
  double drift[2], W[2] = {S->r->w_title, S->r->w_body};
  for (int f = 0; f < 2; f++)
    drift[f] = S->st.avg[f] > t->B.avg_build[f] && t->B.avg_build[f] > 0
                   ? S->st.avg[f] / t->B.avg_build[f]
                   : 1.0;
  for (int b = 0; b < qry_term_nblocks(p); b++) {
    if (p->flat) {
      bb[b] = HUGE_VAL;
      continue;
    }
    double u = idx_post_bound(&p->list.blk[b], W[0] * p->idf[0] * drift[0],
                              W[1] * p->idf[1] * drift[1]);
    bb[b] = u * p->ph->weight * BOUND_SLACK;
  }
}

/* Block-max top-k for one positive term. */
static int run_one(qry_topk *t, const scoring *S, const qry_term *p, heap *H,
                   const long long *ex, int nex) {
  int nb = qry_term_nblocks(p);
  if (!nb) return CARI_OK;
  qry_hit *order = cari_malloc((size_t)nb * sizeof *order);
  double *bb = cari_malloc((size_t)nb * sizeof *bb);
  if (!order || !bb) {
    cari_free(order);
    cari_free(bb);
    return CARI_NOMEM;
  }
  block_bounds(t, S, p, bb);
  /* Every article here holds one word of the query: its coordination
  ** factor (1 unless the query has other words) bounds its score too. */
  double cf = qry_coord(1.0, 1, S->ncore, S->coord, S->r->coord_max);
  for (int b = 0; b < nb; b++) {
    order[b].doc = b;
    order[b].score = bb[b] * cf;
  }
  cari_free(bb);
  /* Best bound first: a max-heap of the blocks (built in O(nb), popped
  ** only as far as needed; a full sort cost more than the blocks read). */
  heap B = {order, nb, nb, NULL};
  for (int i = nb / 2 - 1; i >= 0; i--) sift(&B, i, 1);
  idx_posting buf[IDX_POST_BLOCK];
  int rc = CARI_OK;
  while (B.n > 0) {
    qry_hit top = B.h[0];
    B.h[0] = B.h[--B.n];
    sift(&B, 0, 1);
    if (!may_enter(H, top.score)) break;
    int c = qry_term_block(p, (int)top.doc, buf);
    if (c < 0) {
      rc = CARI_CORRUPT;
      break;
    }
    for (int j = 0; j < c; j++) {
      if (!rankable(t, ex, nex, buf[j].doc)) continue;
      int fl;
      double s = posting_sum(t, S, p, &buf[j], &fl);
      double score = 0;
      score += p->ph->weight * s;
      /* It holds one word of the query (cari_rank's factor for one). */
      score = qry_coord(score, 1, S->ncore, S->coord, S->r->coord_max);
      push(H, buf[j].doc, score, buf[j].tf[1] > 0);
    }
  }
  cari_free(order);
  return rc;
}

/* The articles whose score still waits for its proximity bonus: cand[i]
** holds each one's bound (score * (1 + prox)); low the k best lower
** bounds of every article seen. Those whose bound reaches the k-th lower
** bound are scored by FTS5, best bound first, until no bound left can
** enter H. */
static int proximity(qry_topk *t, const scoring *S, heap *H, const heap *low,
                     qry_hit *cand, long long ncand, char *err,
                     size_t errcap) {
  double floor = low->n == low->k ? low->h[0].score : -HUGE_VAL;
  long long keep = 0;
  for (long long i = 0; i < ncand; i++)
    if (cand[i].score >= floor) cand[keep++] = cand[i];
  if (keep > 1) qsort(cand, (size_t)keep, sizeof *cand, cmp_hit);
  int rc = CARI_OK;
  for (long long i = 0; rc == CARI_OK && i < keep; i++) {
    if (!may_enter(H, cand[i].score)) break;
    rc = fts_score(t, S, H, cand[i].doc, 1, err, errcap);
  }
  return rc;
}

static int grow_acc(qry_topk *t) {
  if (t->nacc >= t->B.max_doc + 1) return CARI_OK;
  cari_free(t->acc);
  cari_free(t->mask);
  t->nacc = t->B.max_doc + 1;
  t->acc = cari_calloc((size_t)t->nacc, sizeof *t->acc);
  t->mask = cari_calloc((size_t)t->nacc, sizeof *t->mask);
  if (!t->acc || !t->mask) {
    cari_free(t->acc);
    cari_free(t->mask);
    t->acc = NULL;
    t->mask = NULL;
    t->nacc = 0;
    return CARI_NOMEM;
  }
  return CARI_OK;
}

/* Mark doc as touched (its accumulator starts at 0). */
static int touch(qry_topk *t, long long d) {
  int rc = CARI_OK;
  t->touched = cari_grow(&rc, t->touched, &t->captouched,
                         (size_t)t->ntouched + 1, sizeof *t->touched);
  if (rc) return rc;
  t->touched[t->ntouched++] = d;
  t->acc[d] = 0;
  return CARI_OK;
}


/* Every posting of the positive terms into the accumulators, in phrase
** order: acc[d] the weighted BM25 sum, mask[d] a bit per word held (a
** synonym's or a correction's: its word's). */
static int accumulate(qry_topk *t, const scoring *S, const qry_terms *ts) {
  idx_posting buf[IDX_POST_BLOCK];
  int bit = 0, rc = CARI_OK;
  int *bits = cari_malloc(((size_t)ts->n + 1) * sizeof *bits);
  if (!bits) return CARI_NOMEM;
  t->ntouched = 0;
  for (int i = 0; i < ts->n && rc == CARI_OK; i++) {
    const qry_term *p = &ts->p[i];
    if (p->ph->weight == 0) continue;
    int w = word_of(p, i);
    bits[i] = w == i ? bit++ : bits[w];
    uint64_t m = (uint64_t)1 << (bits[i] & 63);
    if (!p->found) continue;
    for (int b = 0; b < qry_term_nblocks(p) && rc == CARI_OK; b++) {
      int c = qry_term_block(p, b, buf);
      if (c < 0) rc = CARI_CORRUPT;
      for (int j = 0; j < c; j++) {
        long long d = buf[j].doc;
        if (d > t->B.max_doc) continue;
        if (!t->mask[d] && (rc = touch(t, d)) != CARI_OK) break;
        t->mask[d] |= m;
        int fl;
        t->acc[d] += p->ph->weight * posting_sum(t, S, p, &buf[j], &fl);
      }
    }
  }
  cari_free(bits);
  return rc;
}

/* Several positive terms: exact BM25 sums from all postings; proximity
** from FTS5 for the few articles whose bound reaches the k best. */
static int run_many(qry_topk *t, const scoring *S, const qry_terms *ts,
                    heap *H, const long long *ex, int nex, char *err,
                    size_t errcap) {
  int rc = grow_acc(t);
  if (rc == CARI_OK) rc = accumulate(t, S, ts);
  /* Final scores for articles with one word; bounds for the others. The
  ** k-th best lower bound (every score >= its BM25 part) prunes early. */
  qry_hit *cand = NULL;
  long long ncand = 0;
  heap low = {NULL, 0, H->k, H->f};
  if (rc == CARI_OK) {
    cand = cari_malloc((size_t)(t->ntouched + 1) * sizeof *cand);
    low.h = cari_malloc((size_t)H->k * sizeof *low.h);
    if (!cand || !low.h) rc = CARI_NOMEM;
  }
  double coordf[66] = {0};
  for (long long i = 0; rc == CARI_OK && i < t->ntouched; i++) {
    long long d = t->touched[i];
    if (!rankable(t, ex, nex, d)) continue;
    int held = 0;
    for (uint64_t m = t->mask[d]; m; m &= m - 1) held++;
    /* qry_coord's pow() once per count of words held, not per article:
    ** the same factor, so the same product. */
    if (!coordf[held]) coordf[held] = qry_coord(1.0, held, S->ncore, S->coord,
                                                S->r->coord_max);
    double base = coordf[held] == 1.0 ? t->acc[d] : t->acc[d] * coordf[held];
    if (held < 2 || S->prox <= 0) {
      push(H, d, base, -1);
    } else {
      push(&low, d, base, -1);
      cand[ncand].doc = d;
      cand[ncand++].score = base * (1 + S->prox) * BOUND_SLACK;
    }
  }
  for (long long i = 0; t->mask && i < t->ntouched; i++)
    t->mask[t->touched[i]] = 0;
  if (rc == CARI_OK) rc = proximity(t, S, H, &low, cand, ncand, err, errcap);
  cari_free(cand);
  cari_free(low.h);
  return rc;
}

/* ------------------------------------------------------------------ */
/* MaxScore                                                            */
/* ------------------------------------------------------------------ */

/* A term's postings read in article order, a block at a time. */
typedef struct {
  const qry_term *p;
  int idx;          /* its place among the query's phrases */
  double ub;        /* bound of w * s over all its postings */
  double *bb;       /* bound per block (points into maxscore.bbs) */
  int nb, b, n, i;  /* blocks; current block; decoded count (-1: not yet) */
  idx_posting buf[IDX_POST_BLOCK];
} cursor;

static long long cur_doc(cursor *c) {
  if (c->b >= c->nb) return INT64_MAX;
  if (c->n < 0) {
    c->n = qry_term_block(c->p, c->b, c->buf);
    c->i = 0;
    if (c->n <= 0) { /* damaged: treated as the end (the caller checks) */
      c->b = c->nb;
      c->n = -2;
      return INT64_MAX;
    }
  }
  return c->buf[c->i].doc;
}

static void cur_next(cursor *c) {
  if (++c->i >= c->n) {
    c->b++;
    c->n = -1;
  }
}

/* Move past the blocks ending before d without decoding them. */
static void cur_skip(cursor *c, long long d) {
  while (c->b < c->nb && c->p->list.blk[c->b].last < d) {
    c->b++;
    c->n = -1;
  }
}

/* Move to the first posting at or after doc d. */
static void cur_seek(cursor *c, long long d) {
  cur_skip(c, d);
  while (cur_doc(c) < d) cur_next(c);
}

/* Bound of the cursor's term on articles in [lo, hi]: the largest bound of
** its blocks that may hold one (-1 when none). Moves past blocks before lo. */
static double range_bound(cursor *c, long long lo, long long hi) {
  cur_skip(c, lo);
  double u = -1; /* no block */
  for (int b = c->b; b < c->nb && c->p->list.blk[b].first_after < hi; b++)
    if (c->bb[b] > u) u = c->bb[b];
  return u;
}

static int cmp_ub(const void *a, const void *b) {
  const cursor *x = *(cursor *const *)a, *y = *(cursor *const *)b;
  return x->ub < y->ub ? -1 : x->ub > y->ub;
}

/* The state of one MaxScore run: owns every array it allocates. */
typedef struct {
  int n;           /* terms with postings */
  cursor *cs;      /* their cursors */
  cursor **ord;    /* the same, by bound ascending */
  double *bbs;     /* every block's bound */
  double *pre;     /* pre[j]: the sum of ord[<j]'s bounds */
  double *rb;      /* rb[j]: ord[j]'s bound on the current article */
  double *ws;      /* per phrase: the current article's w * s ... */
  char *has;       /* ... and whether it holds the phrase */
  char *word;      /* per phrase: the article holds its word (a synonym
                   ** or a correction holds its lead's) */
  int nphrase;
  qry_hit *cand;   /* articles waiting for their proximity bonus */
  long long ncand;
  size_t capcand;
  heap low;        /* the k best lower bounds */
  double coordf[66], pf; /* coordination per words held; 1 + prox */
  double prox;
  /* The current article: its score so far, words held, fields per count. */
  double sum;
  int held, fields[2];
} maxscore;

static void ms_free(maxscore *M) {
  cari_free(M->cs);
  cari_free(M->ord);
  cari_free(M->bbs);
  cari_free(M->pre);
  cari_free(M->rb);
  cari_free(M->ws);
  cari_free(M->has);
  cari_free(M->word);
  cari_free(M->cand);
  cari_free(M->low.h);
}

/* The cursors of the positive terms with postings, ordered by bound. */
static int ms_init(maxscore *M, const qry_topk *t, const scoring *S,
                   const qry_terms *ts, int k) {
  int nbt = 0;
  memset(M, 0, sizeof *M);
  for (int i = 0; i < ts->n; i++)
    if (ts->p[i].ph->weight > 0 && ts->p[i].found) {
      M->n++;
      nbt += qry_term_nblocks(&ts->p[i]);
    }
  int n = M->n;
  M->nphrase = ts->n;
  M->cs = cari_calloc((size_t)n + 1, sizeof *M->cs);
  M->ord = cari_calloc((size_t)n + 1, sizeof *M->ord);
  M->bbs = cari_malloc(((size_t)nbt + 1) * sizeof *M->bbs);
  M->pre = cari_calloc((size_t)n + 1, sizeof *M->pre);
  M->rb = cari_calloc((size_t)n + 1, sizeof *M->rb);
  M->ws = cari_calloc((size_t)ts->n + 1, sizeof *M->ws);
  M->has = cari_calloc((size_t)ts->n + 1, 1);
  M->word = cari_calloc((size_t)ts->n + 1, 1);
  M->low = (heap){cari_malloc((size_t)k * sizeof(qry_hit)), 0, k, t->filter};
  if (!M->cs || !M->ord || !M->bbs || !M->pre || !M->rb || !M->ws ||
      !M->has || !M->word || !M->low.h)
    return CARI_NOMEM;
  for (int i = 0, j = 0, off = 0; i < ts->n; i++) {
    const qry_term *p = &ts->p[i];
    if (!(p->ph->weight > 0 && p->found)) continue;
    cursor *c = &M->cs[j];
    c->p = p;
    c->idx = i;
    c->nb = qry_term_nblocks(p);
    c->n = -1;
    c->bb = M->bbs + off;
    off += c->nb;
    block_bounds(t, S, p, c->bb);
    for (int b = 0; b < c->nb; b++)
      if (c->bb[b] > c->ub) c->ub = c->bb[b];
    M->ord[j++] = c;
  }
  qsort(M->ord, (size_t)n, sizeof *M->ord, cmp_ub);
  /* Coordination for h words held; the proximity bonus is at most 1+prox. */
  for (int h = 0; h <= 65; h++)
    M->coordf[h] = qry_coord(1.0, h, S->ncore, S->coord, S->r->coord_max);
  M->prox = S->prox;
  M->pf = S->prox > 0 ? 1 + S->prox : 1;
  for (int j = 0; j < n; j++) M->pre[j + 1] = M->pre[j] + M->ord[j]->ub;
  return CARI_OK;
}

/* The bound of an article holding h words whose w * s sum to at most sum. */
static double ms_bound(const maxscore *M, int h, double sum) {
  return h <= 0 ? 0.0
                : (h >= 2 ? M->pf : 1.0) * M->coordf[h > 65 ? 65 : h] * sum;
}

/* May an article in [d, end] enter, given ord[0..m) non-essential? First
** the essential terms' current blocks, then the others' blocks too. */
static int ms_range_may_enter(maxscore *M, int m, long long d, long long end,
                              double theta) {
  double sb = 0;
  int hb = 0;
  for (int j = m; j < M->n; j++) {
    cursor *c = M->ord[j];
    if (c->b < c->nb && c->p->list.blk[c->b].first_after < end) {
      sb += c->bb[c->b];
      hb++;
    }
  }
  if (ms_bound(M, hb + m, sb + M->pre[m]) < theta) return 0;
  double sne = 0;
  int hne = 0;
  for (int j = 0; j < m; j++) {
    double u = range_bound(M->ord[j], d, end);
    if (u < 0) continue;
    sne += u;
    hne++;
  }
  return ms_bound(M, hb + hne, sb + sne) >= theta;
}

/* Add the posting under c to the current article. */
static void ms_take(maxscore *M, const qry_topk *t, const scoring *S,
                    cursor *c) {
  int fl;
  double w = c->p->ph->weight *
             posting_sum(t, S, c->p, &c->buf[c->i], &fl);
  M->ws[c->idx] = w;
  M->has[c->idx] = 1;
  M->sum += w;
  int word = word_of(c->p, c->idx); /* held once, by it or its stand-ins */
  M->held += !M->word[word];
  M->word[word] = 1;
  for (int f = 0; f < 2; f++) M->fields[f] += (fl >> f) & 1;
}

/* Article d: the essential terms exactly, then the non-essential ones
** probed while the bound still reaches theta. 1 when it may enter. */
static int ms_score_doc(maxscore *M, const qry_topk *t, const scoring *S,
                        int m, long long d, double theta) {
  M->sum = 0;
  M->held = M->fields[0] = M->fields[1] = 0;
  memset(M->has, 0, (size_t)M->nphrase);
  memset(M->word, 0, (size_t)M->nphrase);
  for (int j = m; j < M->n; j++)
    if (cur_doc(M->ord[j]) == d) ms_take(M, t, S, M->ord[j]);
  double rest = 0; /* the bound of ord[<m] on d (their blocks holding d) */
  int nrest = 0;
  for (int j = 0; j < m; j++) {
    double u = range_bound(M->ord[j], d, d);
    M->rb[j] = u;
    if (u < 0) continue;
    rest += u;
    nrest++;
  }
  int skip = ms_bound(M, M->held + nrest, M->sum + rest) < theta;
  for (int j = m - 1; !skip && j >= 0; j--) {
    cursor *c = M->ord[j];
    if (M->rb[j] < 0) continue; /* no block of it can hold d */
    rest -= M->rb[j];
    nrest--;
    cur_seek(c, d);
    if (cur_doc(c) == d) ms_take(M, t, S, c);
    skip = ms_bound(M, M->held + nrest, M->sum + rest) < theta;
  }
  return !skip;
}

/* The current article d's score (in phrase order, as cari_rank adds) into
** H, or its bound among the candidates for proximity; its lower bound
** into low. */
static int ms_keep(maxscore *M, heap *H, long long d) {
  double acc = 0;
  for (int i = 0; i < M->nphrase; i++)
    if (M->has[i]) acc += M->ws[i];
  double cf = M->coordf[M->held];
  double base = cf == 1.0 ? acc : acc * cf;
  if (M->held < 2 || M->prox <= 0 || (M->fields[0] < 2 && M->fields[1] < 2)) {
    push(H, d, base, M->fields[1] > 0);
  } else {
    int rc = CARI_OK;
    M->cand = cari_grow(&rc, M->cand, &M->capcand, (size_t)M->ncand + 1,
                        sizeof *M->cand);
    if (rc) return rc;
    M->cand[M->ncand].doc = d;
    M->cand[M->ncand++].score = base * M->pf * BOUND_SLACK;
  }
  push(&M->low, d, base, -1);
  return CARI_OK;
}

/* Several positive terms, block-max MaxScore: terms are ordered by their
** bound; the cheapest ones whose bounds together cannot reach the k-th best
** score so far are "non-essential": only the articles of the others are
** visited (whole blocks skipped when their bounds are too low), and the
** non-essential lists are only probed for those articles. Scores are the
** exact BM25 sums times coordination, summed in phrase order as cari_rank
** does; proximity as in run_many. */
static int run_maxscore(qry_topk *t, const scoring *S, const qry_terms *ts,
                        heap *H, const long long *ex, int nex, char *err,
                        size_t errcap) {
  maxscore M;
  int rc = ms_init(&M, t, S, ts, H->k);
  int m = 0, n = M.n; /* ord[0..m) are non-essential */
  while (rc == CARI_OK) {
    double theta = M.low.n == M.low.k ? M.low.h[0].score : -HUGE_VAL;
    while (m < n && ms_bound(&M, m + 1, M.pre[m + 1]) < theta) m++;
    if (m == n) break;
    long long d = INT64_MAX, end = INT64_MAX;
    for (int j = m; j < n; j++) {
      long long x = cur_doc(M.ord[j]);
      if (x < d) d = x;
      if (M.ord[j]->b < M.ord[j]->nb) {
        long long last = M.ord[j]->p->list.blk[M.ord[j]->b].last;
        if (last < end) end = last;
      }
    }
    if (d == INT64_MAX) break;
    /* Every article in [d, end] is bounded by the terms' blocks there. */
    if (!ms_range_may_enter(&M, m, d, end, theta)) {
      for (int j = m; j < n; j++) cur_seek(M.ord[j], end + 1);
      continue;
    }
    if (rankable(t, ex, nex, d) && ms_score_doc(&M, t, S, m, d, theta))
      rc = ms_keep(&M, H, d);
    for (int j = m; j < n; j++)
      if (cur_doc(M.ord[j]) == d) cur_next(M.ord[j]);
  }
  for (int j = 0; M.cs && j < n; j++) /* cs is NULL when its calloc failed */
    if (M.cs[j].n == -2) rc = CARI_CORRUPT;
  if (rc == CARI_OK)
    rc = proximity(t, S, H, &M.low, M.cand, M.ncand, err, errcap);
  ms_free(&M);
  return rc;
}

/* ------------------------------------------------------------------ */
/* the search                                                          */
/* ------------------------------------------------------------------ */

/* One search's plan and what is derived from it, all owned. */
typedef struct {
  const qry_plan *pl; /* the plan searched: the caller's, or xpl */
  qry_plan *xpl;      /* the expanded plan, or NULL */
  char *note;         /* what the expansion cut, or NULL */
  char *expr;         /* pl's MATCH expression */
  qry_terms ts;       /* pl's terms and postings */
  unsigned char *arg; /* cari_rank's argument */
  int narg;
  char *rankfn;       /* the ranking as `rank MATCH` text (sqlite3_malloc),
                      ** for the exhaustive search */
} search_state;

static void state_free(search_state *Q) {
  qry_plan_free(Q->xpl);
  cari_free(Q->note);
  cari_free(Q->expr);
  qry_terms_free(&Q->ts);
  cari_free(Q->arg);
  sqlite3_free(Q->rankfn);
}

/* cari_rank's argument for this query, with the known dfs. */
static int rank_arg(search_state *Q, const qry_ranking *r, int question) {
  const qry_terms *ts = &Q->ts;
  qry_rank_args a = {r->k1, {r->b_title, r->b_body}, {r->w_title, r->w_body},
                     question ? r->coord_question : r->coord, r->coord_max,
                     question ? r->prox_question : r->prox, ts->n, NULL};
  if (!(a.ph = cari_malloc(((size_t)ts->n + 1) * sizeof *a.ph))) return CARI_NOMEM;
  for (int i = 0; i < ts->n; i++) {
    const qry_term *p = &ts->p[i];
    qry_rank_phrase q = {p->ph->weight, p->ph->kind, p->ph->lead,
                         {p->found ? p->df[0] : -1, p->found ? p->df[1] : -1}};
    a.ph[i] = q;
  }
  int rc = qry_rank_encode(&a, &Q->arg, &Q->narg);
  cari_free(a.ph);
  return rc;
}

/* The ranking function as FTS5 `rank MATCH` text: the argument as an SQL
** blob literal. */
static char *rank_sql(const qry_ranking *r, const search_state *Q) {
  if (r->fn == QRY_RANK_BM25)
    return sqlite3_mprintf("bm25(%!.17g, %!.17g)", r->w_title, r->w_body);
  static const char hex[] = "0123456789abcdef";
  char *s = sqlite3_malloc64((sqlite3_uint64)Q->narg * 2 + 16), *p = s;
  if (!s) return NULL;
  p += sprintf(p, "cari_rank(X'");
  for (int i = 0; i < Q->narg; i++) {
    *p++ = hex[Q->arg[i] >> 4];
    *p++ = hex[Q->arg[i] & 15];
  }
  strcpy(p, "')");
  return s;
}

static int exhaustive(qry_topk *t, const char *expr, const char *rankfn,
                      int k, heap *H, char *err, size_t errcap) {
  sqlite3_stmt *st;
  int x = sqlite3_prepare_v2(t->B.db,
                             "SELECT rowid, -rank FROM " IDX_FTS " WHERE "
                             IDX_FTS " MATCH ?1 AND rank MATCH ?2 ORDER BY"
                             " rank, rowid LIMIT ?3",
                             -1, &st, NULL);
  if (x != SQLITE_OK)
    return sql_err(t->B.db, x, "cannot prepare the search", err, errcap);
  sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, rankfn, -1, SQLITE_STATIC);
  sqlite3_bind_int(st, 3, H->f ? -1 : k); /* filtered: push() picks */
  while ((x = sqlite3_step(st)) == SQLITE_ROW)
    push(H, sqlite3_column_int64(st, 0), sqlite3_column_double(st, 1), -1);
  int rc = x == SQLITE_DONE ? CARI_OK
                            : sql_err(t->B.db, x, "search failed", err, errcap);
  sqlite3_finalize(st);
  return rc;
}

/* N and the fields' mean lengths as cari_rank sees them (cari_stats fills
** S->st); *empty 1 when the index has no article. */
static int stats(qry_topk *t, scoring *S, int *empty, char *err,
                 size_t errcap) {
  int x;
  if (!t->stats &&
      (x = sqlite3_prepare_v3(t->B.db,
                              "SELECT cari_stats(" IDX_FTS ", ?1) FROM " IDX_FTS
                              " LIMIT 1",
                              -1, SQLITE_PREPARE_PERSISTENT, &t->stats,
                              NULL)) != SQLITE_OK)
    return sql_err(t->B.db, x, "cannot prepare the search", err, errcap);
  S->st.nrow = 0;
  S->st.avg[0] = S->st.avg[1] = qry_avg(0, 0);
  sqlite3_bind_pointer(t->stats, 1, &S->st, QRY_STATS_POINTER, NULL);
  x = sqlite3_step(t->stats);
  *empty = x == SQLITE_DONE;
  sqlite3_reset(t->stats);
  sqlite3_clear_bindings(t->stats);
  if (x != SQLITE_ROW && x != SQLITE_DONE)
    return sql_err(t->B.db, x, "search failed", err, errcap);
  return CARI_OK;
}

/* The plan to search (prefixes expanded when the postings are there), its
** expression, terms, and ranking argument. */
static int prepare(qry_topk *t, const qry_plan *pl, const qry_ranking *r,
                   search_state *Q, char *err, size_t errcap) {
  int postings = t->B.have && r->fn == QRY_RANK_CARI;
  Q->pl = pl;
  int rc = qry_terms_analyse(&t->B, pl, &Q->ts, err, errcap);
  if (rc == CARI_OK && postings && !r->index_surface)
    rc = qry_expand_prefixes(&t->B, pl, &Q->ts, &Q->xpl, &Q->note, err,
                             errcap);
  if (rc == CARI_OK && Q->xpl) { /* the expanded plan's own terms */
    qry_terms_free(&Q->ts);
    Q->pl = Q->xpl;
    rc = qry_terms_analyse(&t->B, Q->pl, &Q->ts, err, errcap);
  }
  if (rc == CARI_OK && postings)
    rc = qry_terms_postings(&t->B, &Q->ts, err, errcap);
  if (rc == CARI_OK && (qry_plan_match(Q->pl, &Q->expr) != CARI_OK ||
                        rank_arg(Q, r, pl->question) != CARI_OK)) {
    snprintf(err, errcap, "out of memory");
    rc = CARI_NOMEM;
  }
  return rc;
}

/* May the postings answer? *one: the positive term when it is the only
** one; *flat: a positive term has merged postings (no block bounds). */
static int prunable(const qry_topk *t, const qry_ranking *r,
                    const qry_terms *ts, int k, const qry_term **one,
                    int *flat) {
  int pruned = t->B.have && r->fn == QRY_RANK_CARI && !r->index_surface &&
               k <= QRY_TOPK_MAX && r->k1 == t->B.k1 &&
               r->b_title == t->B.b[0] && r->b_body == t->B.b[1];
  int npos = 0, ncore = 0, nfound = 0;
  const qry_term *last = NULL, *found = NULL;
  *flat = 0;
  for (int i = 0; pruned && i < ts->n; i++) {
    const qry_term *p = &ts->p[i];
    const qry_phrase *ph = p->ph;
    if (p->nterm < 0 || ((ph->prefix || p->group) && !p->found) ||
        ph->kind == QRY_SURFACE || ph->weight < 0)
      pruned = 0;
    else if (ph->weight > 0) {
      npos++;
      ncore += !stands_for(ph, i);
      last = p;
      nfound += p->found;
      if (p->found) found = p;
    }
  }
  /* One term with postings (a misspelt word has none, its correction
  ** has): no article of the build holds another, so one list decides. */
  *one = npos == 1 ? last : nfound == 1 ? found : NULL;
  for (int i = 0; i < ts->n; i++)
    *flat |= ts->p[i].ph->weight > 0 && ts->p[i].flat != NULL;
  /* 64 words: the accumulators' mask has a bit per word. */
  return pruned && npos > 0 && ncore <= 64 ? npos : 0;
}

/* The pruned search into H: the postings' strategy for the query's words,
** then FTS5 for what came after the build or was replaced since. */
static int run_pruned(qry_topk *t, const qry_ranking *r, int question,
                      search_state *Q, int npos, const qry_term *one,
                      int flat, heap *H, char *err, size_t errcap) {
  scoring S = {r, question ? r->coord_question : r->coord,
               question ? r->prox_question : r->prox, {0, {1, 1}}, 0,
               Q->expr, Q->arg, Q->narg};
  int empty = 0;
  long long *ex = NULL;
  int nex = 0;
  int rc = stats(t, &S, &empty, err, errcap);
  for (int i = 0; i < Q->ts.n; i++) {
    qry_term *p = &Q->ts.p[i];
    int syn = is_synonym(p->ph, i);
    if (p->ph->weight > 0 && !stands_for(p->ph, i)) S.ncore++;
    for (int f = 0; f < 2; f++) {
      p->idf[f] = qry_idf(S.st.nrow, p->df[f]);
      if (syn) p->idf[f] = qry_syn_idf(p->idf[f], Q->ts.p[p->ph->lead].idf[f]);
    }
  }
  if (rc != CARI_OK || empty) return rc;
  rc = excluded_docs(&Q->ts, &ex, &nex);
  if (rc == CARI_OK)
    rc = one ? run_one(t, &S, one, H, ex, nex)
         : flat    ? run_many(t, &S, &Q->ts, H, ex, nex, err, errcap)
                   : run_maxscore(t, &S, &Q->ts, H, ex, nex, err, errcap);
  cari_free(ex);
  if (rc == CARI_NOMEM) snprintf(err, errcap, "out of memory");
  else if (rc == CARI_CORRUPT)
    snprintf(err, errcap, "the top-k postings are damaged: run cari optimize");
  if (rc == CARI_OK && t->B.last_doc > t->B.max_doc)
    rc = fts_score(t, &S, H, t->B.max_doc, 0, err, errcap);
  for (int i = 0; rc == CARI_OK && i < t->B.nstale; i++)
    rc = fts_score(t, &S, H, t->B.stale[i], 1, err, errcap);
  return rc;
}

/* The hits after the offset, and the positive words and phrases (aliases
** of positive words too) as snippet.c's units. */
static int results(qry_topk *t, const qry_opts *o, const search_state *Q,
                   heap *H, int offset, qry_result *res) {
  qsort(H->h, (size_t)H->n, sizeof *H->h, cmp_hit);
  int n = H->n > offset ? H->n - offset : 0;
  if (!(res->hit = cari_malloc((size_t)(n + 1) * sizeof *res->hit)))
    return CARI_NOMEM;
  memcpy(res->hit, H->h + offset, (size_t)n * sizeof *res->hit);
  res->nhit = n;
  const qry_plan *pl = Q->pl;
  int nt = 0;
#define SHOWN(x) ((x)->kind != QRY_SURFACE && pl->p[(x)->lead].weight > 0)
  for (int i = 0; i < pl->n; i++) nt += SHOWN(&pl->p[i]);
  if (!nt || o->no_snippet) return CARI_OK;
  res->term = cari_calloc((size_t)nt, sizeof *res->term);
  res->termlen = cari_calloc((size_t)nt, sizeof *res->termlen);
  if (!res->term || !res->termlen) return CARI_NOMEM;
  for (int i = 0; i < pl->n; i++) {
    const qry_phrase *p = &pl->p[i];
    if (!SHOWN(p)) continue;
    int rc = qry_snippet_unit(t->B.an, p->text, p->ntext, p->prefix,
                              &res->term[res->nterm], &res->termlen[res->nterm]);
    if (rc) return rc;
    if (res->term[res->nterm]) res->nterm++;
  }
#undef SHOWN
  return CARI_OK;
}

static int search(qry_topk *t, const qry_plan *pl, const qry_opts *o,
                  int exhaust, qry_result *res, char *err, size_t errcap) {
  memset(res, 0, sizeof *res);
  qry_ranking def;
  const qry_ranking *r = o->rank;
  if (!r) {
    qry_ranking_default(&def);
    r = &def;
  }
  int limit = o->limit > 0 ? o->limit : 10, offset = o->offset > 0 ? o->offset : 0;
  long long kk = (long long)limit + offset;
  int k = kk > 1000000 ? 1000000 : (int)kk;
  search_state Q;
  memset(&Q, 0, sizeof Q);
  heap H = {NULL, 0, k, o->filter};
  t->filter = o->filter;
  int rc = qry_build_refresh(&t->B, err, errcap);
  if (rc == CARI_OK) rc = prepare(t, pl, r, &Q, err, errcap);
  const qry_term *one = NULL;
  int flat = 0;
  int npos = rc == CARI_OK && !exhaust ? prunable(t, r, &Q.ts, k, &one, &flat)
                                       : 0;
  if (rc == CARI_OK &&
      (!(H.h = cari_malloc((size_t)k * sizeof *H.h)) ||
       (!npos && !(Q.rankfn = rank_sql(r, &Q))))) {
    snprintf(err, errcap, "out of memory");
    rc = CARI_NOMEM;
  }
  if (rc == CARI_OK)
    rc = npos ? run_pruned(t, r, pl->question, &Q, npos, one, flat, &H, err,
                           errcap)
              : exhaustive(t, Q.expr, Q.rankfn, k, &H, err, errcap);
  if (rc == CARI_OK) rc = results(t, o, &Q, &H, offset, res);
  if (rc == CARI_NOMEM) snprintf(err, errcap, "out of memory");
  if (rc == CARI_OK) {
    res->pruned = npos > 0;
    res->expanded = Q.xpl != NULL;
    res->expr = Q.expr; /* the expression searched, for counts */
    Q.expr = NULL;
    res->note = Q.note; /* what the expansion cut */
    Q.note = NULL;
    if (t->B.have && r->fn == QRY_RANK_CARI) { /* postings read: kept for */
      res->terms = Q.ts;                       /* qry_topk_count */
      res->xpl = Q.xpl;
      memset(&Q.ts, 0, sizeof Q.ts);
      Q.xpl = NULL;
    }
  }
  cari_free(H.h);
  state_free(&Q);
  if (rc) qry_result_free(res);
  return rc;
}

/* One read transaction around the whole search, when the caller has none:
** the build's lengths, the postings and FTS5 are then read from one
** snapshot, even if another connection rebuilds the postings meanwhile. */
int qry_topk_search(qry_topk *t, const qry_plan *pl, const qry_opts *o,
                    int exhaust, qry_result *res, char *err, size_t errcap) {
  int own = sqlite3_get_autocommit(t->B.db), x;
  if (own &&
      (x = sqlite3_exec(t->B.db, "BEGIN", NULL, NULL, NULL)) != SQLITE_OK) {
    memset(res, 0, sizeof *res);
    return sql_err(t->B.db, x, "cannot start the search", err, errcap);
  }
  int rc = search(t, pl, o, exhaust, res, err, errcap);
  t->filter = NULL;
  if (own && sqlite3_exec(t->B.db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    sqlite3_exec(t->B.db, "ROLLBACK", NULL, NULL, NULL); /* only read */
  return rc;
}

/* ------------------------------------------------------------------ */
/* the match set                                                       */
/* ------------------------------------------------------------------ */

/* The articles FTS5 matches expr with among rowid = doc (eq) or rowid >
** doc: appended to *v (grown, *cap its room), or only counted in *n when
** v is NULL. SQLite rc. */
static int fts_rows(qry_topk *t, const char *expr, long long doc, int eq,
                    long long **v, long long *n, long long *cap) {
  sqlite3_stmt *st;
  int x = sqlite3_prepare_v2(t->B.db, eq ? "SELECT rowid FROM " IDX_FTS
                             " WHERE " IDX_FTS " MATCH ?1 AND rowid = ?2"
                                         : "SELECT rowid FROM " IDX_FTS
                             " WHERE " IDX_FTS " MATCH ?1 AND rowid > ?2",
                             -1, &st, NULL);
  if (x != SQLITE_OK) return x;
  sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, doc);
  while ((x = sqlite3_step(st)) == SQLITE_ROW) {
    if (v && *n == *cap) {
      long long c = *cap ? *cap * 2 : 1024;
      long long *nv = cari_realloc(*v, (size_t)c * sizeof *nv);
      if (!nv) {
        x = SQLITE_NOMEM;
        break;
      }
      *v = nv;
      *cap = c;
    }
    if (v) (*v)[*n] = sqlite3_column_int64(st, 0);
    (*n)++;
  }
  sqlite3_finalize(st);
  return x == SQLITE_DONE ? SQLITE_OK : x;
}

/* The articles of the build that match: the positive terms' articles
** without the excluded ones' and without those replaced or removed since,
** as a bitmap of max_doc + 1 bits in 64-bit words (*out, the caller
** frees it). A cari_rc. */
static int match_bits(qry_topk *t, const qry_terms *ts, uint64_t **out) {
  long long nw = t->B.max_doc / 64 + 1;
  uint64_t *bits = cari_calloc((size_t)nw, sizeof *bits);
  *out = bits;
  if (!bits) return CARI_NOMEM;
  idx_posting buf[IDX_POST_BLOCK];
  for (int pass = 0; pass < 2; pass++)
    for (int i = 0; i < ts->n; i++) {
      const qry_term *p = &ts->p[i];
      if (!p->found || (pass == 0) != !p->ph->excluded) continue;
      for (int b = 0; b < qry_term_nblocks(p); b++) {
        int c = qry_term_block(p, b, buf);
        if (c < 0) return CARI_CORRUPT;
        for (int j = 0; j < c; j++) {
          long long d = buf[j].doc;
          if (d < 0 || d > t->B.max_doc) continue;
          if (pass == 0) bits[d >> 6] |= (uint64_t)1 << (d & 63);
          else bits[d >> 6] &= ~((uint64_t)1 << (d & 63));
        }
      }
    }
  for (int i = 0; i < t->B.nstale; i++) {
    long long d = t->B.stale[i];
    if (d >= 0 && d <= t->B.max_doc) bits[d >> 6] &= ~((uint64_t)1 << (d & 63));
  }
  return CARI_OK;
}

/* The match set of the build: its rowids in order into *v (grown), or,
** when v is NULL, only their number into *n. One positive term without
** exclusions is counted from its blocks' counts, without decoding them
** (less those replaced or removed since). A cari_rc. */
static int build_matches(qry_topk *t, const qry_terms *ts, long long **v,
                         long long *n, long long *cap) {
  const qry_term *one = ts->n == 1 && !ts->p[0].ph->excluded ? &ts->p[0] : NULL;
  if (!v && one && !one->flat) {
    if (!one->found) return CARI_OK;
    idx_posting buf[IDX_POST_BLOCK];
    for (int b = 0; b < one->list.nblock; b++) *n += one->list.blk[b].count;
    for (int i = 0, b = 0; i < t->B.nstale; i++) { /* both in order */
      long long d = t->B.stale[i];
      while (b < one->list.nblock && one->list.blk[b].last < d) b++;
      if (b == one->list.nblock) break;
      if (d <= one->list.blk[b].first_after) continue;
      int c = qry_term_block(one, b, buf);
      if (c < 0) return CARI_CORRUPT;
      for (int j = 0; j < c; j++) *n -= buf[j].doc == d;
    }
    return CARI_OK;
  }
  uint64_t *bits;
  int rc = match_bits(t, ts, &bits);
  for (long long w = 0; rc == CARI_OK && w <= t->B.max_doc / 64; w++) {
    uint64_t m = bits[w];
    if (!v) {
      *n += __builtin_popcountll(m);
      continue;
    }
    for (; m; m &= m - 1) {
      if (*n == *cap) {
        long long c = *cap ? *cap * 2 : 4096;
        long long *nv = cari_realloc(*v, (size_t)c * sizeof *nv);
        if (!nv) {
          rc = CARI_NOMEM;
          break;
        }
        *v = nv;
        *cap = c;
      }
      (*v)[(*n)++] = w * 64 + __builtin_ctzll(m);
    }
  }
  cari_free(bits);
  return rc;
}

/* Can the postings give the plan's match set? Every phrase a word (one
** term), an exclusion of one, or, with prefixes (`pfx`), a prefix or a
** word with aliases whose postings were merged (their aliases are in
** them). 1 or 0. */
static int describes(const qry_terms *ts, int pfx) {
  for (int i = 0; i < ts->n; i++) {
    const qry_term *p = &ts->p[i];
    const qry_phrase *ph = p->ph;
    if (ph->kind == QRY_ALIAS && pfx) continue;
    if (p->nterm < 0 || ph->lead != i || (ph->weight <= 0 && !ph->excluded))
      return 0;
    if (ph->prefix || p->group) {
      if (!pfx || ph->excluded || !p->flat) return 0;
    } else if (p->flat) {
      return 0;
    }
  }
  return 1;
}

/* Every article FTS5 matches with expr, whose terms (with their postings)
** are ts: from the postings when they describe the match set (`pfx`:
** prefixes and aliases too), then through FTS5 the articles the postings
** do not describe (added or replaced since the build). Decoding postings
** costs a few nanoseconds an article; FTS5 reads each one's positions too.
** Into *out and *nout, or with out NULL their number only; *nout -1 when
** the postings cannot tell. */
static int match_terms(qry_topk *t, const qry_terms *ts, const char *expr,
                       int pfx, long long **out, long long *nout, char *err,
                       size_t errcap) {
  if (!t->B.have || ts->n == 0 || !describes(ts, pfx)) return CARI_OK;
  long long n = 0, cap = 0, *v = NULL, **vp = out ? &v : NULL;
  int rc = build_matches(t, ts, vp, &n, &cap), x = SQLITE_OK;
  /* Replaced since the build (removed ones match nothing), then added. */
  for (int i = 0; rc == CARI_OK && x == SQLITE_OK && i < t->B.nstale; i++)
    x = fts_rows(t, expr, t->B.stale[i], 1, vp, &n, &cap);
  if (rc == CARI_OK && x == SQLITE_OK && v && t->B.nstale > 0 && n > 1)
    qsort(v, (size_t)n, sizeof *v, cmp_ll);
  /* Added since the build: FTS5 is asked only when there are some (a
  ** prefix costs it a merge of every term's doclist). */
  if (rc == CARI_OK && x == SQLITE_OK && t->B.last_doc > t->B.max_doc)
    x = fts_rows(t, expr, t->B.max_doc, 0, vp, &n, &cap);
  if (rc == CARI_OK && x != SQLITE_OK)
    rc = x == SQLITE_NOMEM ? CARI_NOMEM
                           : sql_err(t->B.db, x, "cannot count matches", err,
                                     errcap);
  if (rc == CARI_NOMEM) snprintf(err, errcap, "out of memory");
  else if (rc == CARI_CORRUPT)
    snprintf(err, errcap, "the top-k postings are damaged: run cari optimize");
  if (rc) {
    cari_free(v);
    return rc;
  }
  if (out) *out = v;
  *nout = n;
  return CARI_OK;
}

/* The plan's match set (words and exclusions only), its terms looked up. */
int qry_topk_matches(qry_topk *t, const qry_plan *pl, long long **out,
                     long long *nout, char *err, size_t errcap) {
  *out = NULL;
  *nout = -1;
  int rc = qry_build_refresh(&t->B, err, errcap);
  if (rc || !t->B.have || pl->n == 0) return rc;
  qry_terms ts = {NULL, 0};
  char *expr = NULL;
  rc = qry_terms_analyse(&t->B, pl, &ts, err, errcap);
  if (rc == CARI_OK) rc = qry_terms_postings(&t->B, &ts, err, errcap);
  if (rc == CARI_OK && qry_plan_match(pl, &expr) != CARI_OK) {
    snprintf(err, errcap, "out of memory");
    rc = CARI_NOMEM;
  }
  if (rc == CARI_OK) rc = match_terms(t, &ts, expr, 0, out, nout, err, errcap);
  cari_free(expr);
  qry_terms_free(&ts);
  return rc;
}

int qry_topk_count(qry_topk *t, const qry_result *res, long long *n,
                   char *err, size_t errcap) {
  *n = -1;
  int rc = qry_build_refresh(&t->B, err, errcap);
  if (rc || !res->expr) return rc;
  return match_terms(t, &res->terms, res->expr, 1, NULL, n, err, errcap);
}
