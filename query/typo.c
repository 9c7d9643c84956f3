/*
** typo.c — typing errors: the query words the index does not know (or
** knows only rarely) matched to close words of its vocabulary, as
** QRY_TYPO phrases appended to a copy of the plan, and the query's
** likeliest correction for "did you mean". It does not rank (rank.c and
** topk.c score the phrases) and keeps no structure of its own: it reads
** the vocabulary the index's triggers keep (cari_vocab, indexer/meta.c),
** so it is right after every put and remove without a rebuild.
**
** WHICH WORDS (the rules users know from Meilisearch and Typesense)
**
** A positive word of the plan (not a phrase, an exclusion or a function
** word) of L letters (code points of its normalised form) may differ by
**   0 edits when L < 5,   1 when 5 <= L <= 8,   2 when L >= 9
** (QRY_TYPO_MIN1, QRY_TYPO_MIN2); words over QRY_TYPO_MAX_LEN letters are
** not looked up. It is looked up only when the index knows it rarely: in
** at most R = N / QRY_TYPO_RARE articles (N the articles; so below 20,000
** articles only words in none), counted by FTS5 on the word as the
** analyzer reads it (its stem). A correction of a known rare word must be
** in at least QRY_TYPO_RATIO times as many articles as the word (a rare
** word is usually right, a rare spelling of a common word usually not).
** At most QRY_TYPO_MAX_WORDS rarely known words of a query are looked up
** (the first ones; the others are counted, for the search's note): a
** query of 64 misspelt words does bounded work.
**
** THE DISTANCE is the optimal string alignment distance (Levenshtein with
** transpositions of two neighbouring letters, each counted once: "swap"
** in qry_typo_opts; without it a transposition is two edits), in code
** points, with one rule more: an edit that touches the first letter of
** either word (replacing, deleting or inserting before it, or swapping it
** with the second) costs 2. People rarely mistype the first letter, and
** words that differ there are usually other words (`makan`, `pakan`): so
** words of 5 to 8 letters keep their first letter, longer ones may change
** it only if the rest is exact.
**
** THE LAST WORD of the query is also matched as a prefix (the reader may
** still be typing it): a vocabulary word matches when one of its prefixes
** is within the distance (a completion, `pemerin` -> `pemerintah`; its
** distance is the prefix's). Other words must match whole.
**
** THE WALK (a Levenshtein automaton over the sorted vocabulary, not a
** scan): cari_vocab is a b-tree keyed by the word, so its rows come in
** byte order. Rows of dynamic-programming table D[d][i] (d letters of the
** vocabulary word, i of the query word) are computed per letter of a row's
** word and kept for the letters it shares with the previous row. When
** every entry of row d exceeds the allowed distance, no word beginning
** with those d letters can match (each later row only grows): the walk
** seeks past all of them, to the first word after the prefix (stepping a
** few rows first, since a seek costs more than a step). The work is the
** number of prefixes within reach of the query word, not the size of the
** vocabulary; it is bounded by QRY_TYPO_MAX_STEPS rows and seeks a word.
** Words whose count fell to 0 (all their articles removed; kept until
** cari_optimize) are passed over.
**
** THE CORRECTIONS of a word are the vocabulary words at the smallest
** distance found, whole words before completions at the same distance
** (`beakar` is `berakar`, not the frequent words that begin like `bekas`:
** those cost a longer search for a worse answer), best first by count (the articles holding the word as
** written), a word of hunspell-id's list (the stemmer's lexicon) counting
** double, then in byte order; those the analyzer reads as the word's own
** index term or as an earlier correction's are passed over (`berkumpulnya`
** and `berkumpul` are the same term); at most QRY_TYPO_MAX_CAND remain.
** Each becomes a QRY_TYPO phrase led by the word, weighted w_typo for one
** edit and w_typo^2 for two (a completion without edit counts as one):
** below the word itself, whose weight is 1 (rank.c says how a correction
** counts in coordination and proximity), unless it is a function word
** (`untku` -> `untuk`: the query drops those). The first correction of
** each word makes the did-you-mean query.
*/
#include "query.h"
#include "cari.h"
#include "indexer.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QRY_TYPO_MAX_LEN 32  /* letters: longer words are not looked up */
#define QRY_TYPO_POOL 16     /* closest words kept while walking */
#define QRY_TYPO_SKIP_STEPS 4 /* rows stepped before seeking past a prefix */
#define QRY_TYPO_DEPTH (QRY_TYPO_MAX_LEN + 3) /* rows of D: L + 2 + 1 */

/* One vocabulary word found close enough. */
typedef struct {
  char w[IDX_VOCAB_MAX_WORD + 1];
  int nw, dist;
  int complete;   /* 1: a completion (a prefix of it is within reach, the
                  ** whole word not) */
  long long n;    /* articles holding it */
  double key;     /* the order among equals in distance: n, doubled for a
                  ** dictionary word */
} found;

/* The walk of one query word. */
typedef struct {
  uint32_t q[QRY_TYPO_MAX_LEN]; /* the query word's code points */
  int m, dmax, prefix, swap;
  long long min_n;              /* a correction's least count */
  const char *self;             /* the query word, normalised */
  int nself;
  const struct sid_lexicon *lx;
  /* D rows for the current word's prefixes, and the letters they are for. */
  unsigned char D[QRY_TYPO_DEPTH + 1][QRY_TYPO_MAX_LEN + 1];
  uint32_t c[QRY_TYPO_DEPTH + 1];
  int ndone;                    /* rows valid: D[0..ndone] for c[0..ndone) */
  found pool[QRY_TYPO_POOL];
  int npool;
  int steps, truncated;
} walk;

/* The next code point of s[*i..n) (an invalid byte stands for itself). */
static uint32_t next_cp(const unsigned char *s, int n, int *i) {
  uint32_t c = s[*i];
  int len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  if (*i + len > n) len = 1;
  if (len > 1) {
    c &= 0xFFu >> (len + 1);
    for (int k = 1; k < len; k++) c = (c << 6) | (s[*i + k] & 0x3F);
  }
  *i += len;
  return c;
}

/* D row d from row d-1 (and d-2 for a swap), for letter c[d-1]. Returns
** the row's smallest entry. Entries are capped at 250 (never compared
** beyond a few). */
static int dp_row(walk *W, int d) {
  unsigned char *r = W->D[d], *p = W->D[d - 1];
  uint32_t ch = W->c[d - 1];
  int best = r[0] = (unsigned char)(d + 1 > 250 ? 250 : d + 1);
  for (int i = 1; i <= W->m; i++) {
    int first = i == 1 || d == 1;
    int v = p[i - 1] + (W->q[i - 1] == ch ? 0 : first ? 2 : 1);
    int del = r[i - 1] + (i == 1 ? 2 : 1); /* q[i-1] left out */
    int ins = p[i] + (d == 1 ? 2 : 1);     /* ch added */
    if (del < v) v = del;
    if (ins < v) v = ins;
    if (W->swap && d >= 2 && i >= 2 && W->q[i - 1] == W->c[d - 2] &&
        W->q[i - 2] == ch && W->q[i - 1] != ch) {
      int t = W->D[d - 2][i - 2] + (i == 2 || d == 2 ? 2 : 1);
      if (t < v) v = t;
    }
    if (v > 250) v = 250;
    r[i] = (unsigned char)v;
    if (v < best) best = v;
  }
  return best;
}

static int cmp_found(const void *a, const void *b) {
  const found *x = a, *y = b;
  if (x->dist != y->dist) return x->dist < y->dist ? -1 : 1;
  if (x->complete != y->complete) return x->complete ? 1 : -1;
  if (x->key != y->key) return x->key > y->key ? -1 : 1;
  return strcmp(x->w, y->w);
}

/* Offer word w (count n) at distance dist to the pool of the closest. */
static void offer(walk *W, const char *w, int nw, long long n, int dist,
                  int complete) {
  if (n < W->min_n || nw > IDX_VOCAB_MAX_WORD) return;
  if (nw == W->nself && memcmp(w, W->self, (size_t)nw) == 0) return;
  for (int i = 0; i < W->npool; i++) /* met again through another range */
    if (W->pool[i].nw == nw && memcmp(W->pool[i].w, w, (size_t)nw) == 0)
      return;
  found f;
  memcpy(f.w, w, (size_t)nw);
  f.w[nw] = 0;
  f.nw = nw;
  f.dist = dist;
  f.complete = complete;
  f.n = n;
  f.key = (double)n * (W->lx && sid_lexicon_has(W->lx, w, nw) ? 2.0 : 1.0);
  if (W->npool == QRY_TYPO_POOL) {
    if (cmp_found(&f, &W->pool[W->npool - 1]) >= 0) return;
    W->npool--;
  }
  int i = W->npool++;
  while (i > 0 && cmp_found(&f, &W->pool[i - 1]) < 0) {
    W->pool[i] = W->pool[i - 1];
    i--;
  }
  W->pool[i] = f;
}

/* One vocabulary row: its distance from the rows shared with the previous
** one. Returns 0 when it was judged, or the depth d (>= 1) at which its
** first d letters are already out of reach (the caller skips them). */
static int judge(walk *W, const unsigned char *w, int nw, long long n) {
  uint32_t cp[QRY_TYPO_DEPTH + 1];
  int len = 0, i = 0, limit = W->m + W->dmax; /* deeper rows only grow */
  while (i < nw && len <= limit) cp[len++] = next_cp(w, nw, &i);
  int shared = 0;
  while (shared < W->ndone && shared < len && W->c[shared] == cp[shared])
    shared++;
  int best = 250; /* prefix mode: the smallest D[d][m] */
  for (int d = 1; d <= shared && W->prefix; d++)
    if (W->D[d][W->m] < best) best = W->D[d][W->m];
  if (W->prefix && W->D[0][W->m] < best) best = W->D[0][W->m];
  for (int d = shared + 1; d <= len; d++) {
    if (d > limit) { /* longer than any match of the whole word */
      W->ndone = d - 1;
      if (!W->prefix) return d;
      break; /* a completion: judged on its first `limit` letters */
    }
    W->c[d - 1] = cp[d - 1];
    int low = dp_row(W, d);
    W->ndone = d;
    if (W->D[d][W->m] < best) best = W->D[d][W->m];
    if (low > W->dmax && !(W->prefix && best <= W->dmax)) return d;
  }
  int whole = len <= limit ? W->D[len][W->m] : 250;
  int dist = W->prefix && best < whole ? best : whole;
  if (dist <= W->dmax) offer(W, (const char *)w, nw, n, dist, dist < whole);
  return 0;
}

/* Walk cari_vocab from lo (to hi, nhi 0: the end) with statement st. */
static int walk_vocab(walk *W, sqlite3_stmt *st, const char *lo, int nlo,
                      const char *hi, int nhi) {
  char seek[IDX_VOCAB_MAX_WORD + 8];
  int nseek = nlo, x = SQLITE_OK, stepped = QRY_TYPO_SKIP_STEPS;
  memcpy(seek, lo, (size_t)nlo);
  W->ndone = 0;
  for (;;) {
    if (stepped >= QRY_TYPO_SKIP_STEPS) { /* seek */
      sqlite3_reset(st);
      if ((x = sqlite3_bind_text(st, 1, seek, nseek, SQLITE_TRANSIENT)))
        break;
      stepped = 0;
    }
    if (++W->steps > QRY_TYPO_MAX_STEPS) {
      W->truncated = 1;
      break;
    }
    if ((x = sqlite3_step(st)) != SQLITE_ROW) break;
    const unsigned char *w = sqlite3_column_text(st, 0);
    int nw = sqlite3_column_bytes(st, 0);
    long long n = sqlite3_column_int64(st, 1);
    if (!w) {
      x = SQLITE_NOMEM;
      break;
    }
    if (nhi && memcmp(w, hi, (size_t)(nw < nhi ? nw : nhi)) >= 0 &&
        (nw >= nhi || memcmp(w, hi, (size_t)nw) > 0))
      break; /* at or past hi */
    if (nseek && (nw < nseek ? memcmp(w, seek, (size_t)nw) <= 0
                             : memcmp(w, seek, (size_t)nseek) < 0)) {
      stepped++; /* still inside a prefix skipped */
      continue;
    }
    nseek = 0;
    stepped = 0;
    int dead = n > 0 && nw <= IDX_VOCAB_MAX_WORD ? judge(W, w, nw, n) : 0;
    if (dead) {
      /* The first `dead` letters' bytes, and the first word after them. */
      int i = 0;
      for (int k = 0; k < dead; k++) next_cp(w, nw, &i);
      nseek = qry_prefix_hi((const char *)w, i, seek);
      if (nseek == 0) break; /* nothing after the prefix */
      W->ndone = dead - 1;
    }
  }
  sqlite3_reset(st);
  return x == SQLITE_ROW || x == SQLITE_DONE || x == SQLITE_OK ? SQLITE_OK
                                                                : x;
}

/* Walk the vocabulary's words that begin with s[0..n). */
static int walk_prefix(walk *W, sqlite3_stmt *st, const char *s, int n) {
  char hi[IDX_MAX_TOKEN + 8];
  if (n > IDX_VOCAB_MAX_WORD) return SQLITE_OK; /* no word is that long */
  int nhi = qry_prefix_hi(s, n, hi);
  return walk_vocab(W, st, s, n, hi, nhi);
}

/* A word whose first letter is not w's is within two edits only through
** an edit of the first letter (it costs 2), the rest exact: it begins with
** w without its first letter (deleted), with w's first two letters
** swapped, or with another letter x followed by w (inserted) or by w
** without its first letter (replaced). Those ranges are walked, for each
** first letter x the vocabulary has in w's first letter's block (ASCII, or
** the 64 code points sharing its leading UTF-8 byte: a keyboard slips to a
** letter of its own alphabet, and a collection's stray Greek, Arabic or
** Han words would otherwise cost three seeks each): a few seeks a letter,
** where walking every first letter's words would seek past each of their
** second letters. */
static int first_letter_edits(walk *W, sqlite3_stmt *st, const char *w, int n,
                              int n0) {
  char buf[2 * (QRY_TYPO_MAX_LEN * 4) + 8], next[16];
  int n1 = n0, x = SQLITE_OK, nnext = 0;
  /* The block: [lead, lead + 1) for a non-ASCII first letter, else ASCII. */
  unsigned char lead = (unsigned char)w[0];
  unsigned end = lead < 0x80 ? 0x80u : lead + 1u;
  if (lead >= 0x80) next[nnext++] = (char)lead;
  next_cp((const unsigned char *)w, n, &n1); /* n1: the first two letters */
  if ((x = walk_prefix(W, st, w + n0, n - n0)) != SQLITE_OK) return x;
  memcpy(buf, w + n0, (size_t)(n1 - n0));
  memcpy(buf + (n1 - n0), w, (size_t)n0);
  memcpy(buf + n1, w + n1, (size_t)(n - n1));
  if ((x = walk_prefix(W, st, buf, n)) != SQLITE_OK) return x;
  for (;;) { /* each first letter of the vocabulary */
    if (++W->steps > QRY_TYPO_MAX_STEPS) {
      W->truncated = 1;
      break;
    }
    sqlite3_reset(st);
    if ((x = sqlite3_bind_text(st, 1, next, nnext, SQLITE_TRANSIENT)))
      break;
    if ((x = sqlite3_step(st)) != SQLITE_ROW) break;
    const unsigned char *v = sqlite3_column_text(st, 0);
    int nv = sqlite3_column_bytes(st, 0), nx = 0;
    if (!v) return SQLITE_NOMEM;
    if (nv == 0 || v[0] >= end) break; /* past the block */
    next_cp(v, nv, &nx);
    memcpy(buf, v, (size_t)nx);
    nnext = qry_prefix_hi((const char *)v, nx, next);
    if (nx != n0 || memcmp(v, w, (size_t)n0) != 0) {
      memcpy(buf + nx, w + n0, (size_t)(n - n0)); /* replaced */
      if ((x = walk_prefix(W, st, buf, nx + n - n0)) != SQLITE_OK) return x;
      memcpy(buf + nx, w, (size_t)n); /* inserted before */
      if ((x = walk_prefix(W, st, buf, nx + n)) != SQLITE_OK) return x;
    }
    if (nnext == 0) break; /* no letter after it */
  }
  sqlite3_reset(st);
  return x == SQLITE_ROW || x == SQLITE_DONE || x == SQLITE_OK ? SQLITE_OK
                                                                : x;
}

/* The corrections of the normalised word w[0..n) into W->pool. */
static int lookup(walk *W, sqlite3_stmt *st, const char *w, int n) {
  int i = 0;
  W->m = 0;
  while (i < n && W->m < QRY_TYPO_MAX_LEN)
    W->q[W->m++] = next_cp((const unsigned char *)w, n, &i);
  if (i < n || W->m < QRY_TYPO_MIN1) return SQLITE_OK;
  W->dmax = W->m >= QRY_TYPO_MIN2 ? 2 : 1;
  W->self = w;
  W->nself = n;
  for (int k = 0; k <= W->m; k++) W->D[0][k] = (unsigned char)(k ? k + 1 : 0);
  /* The words that keep the first letter; with two edits allowed, also
  ** those that change it. */
  int n0 = 0;
  next_cp((const unsigned char *)w, n, &n0);
  int x = walk_prefix(W, st, w, n0);
  if (x == SQLITE_OK && W->dmax >= 2) x = first_letter_edits(W, st, w, n, n0);
  return x;
}

/* ------------------------------------------------------------------ */
/* the plan                                                            */
/* ------------------------------------------------------------------ */

/* The normalised form of a phrase's text when it is one word. */
typedef struct {
  char w[IDX_MAX_TOKEN + 1];
  int n, count;
} one_word;

static int on_word(void *ctx, const char *norm, int nnorm, int start, int end,
                   int hyphens) {
  one_word *o = ctx;
  (void)start;
  (void)end;
  (void)hyphens;
  if (o->count++ == 0 && nnorm <= IDX_MAX_TOKEN) {
    memcpy(o->w, norm, (size_t)nnorm);
    o->w[nnorm] = 0;
    o->n = nnorm;
  }
  return 0;
}

/* A text's first index term (as lookup.c reads a word: colocated terms
** are the first one's). */
typedef struct {
  char t[IDX_MAX_TOKEN + 8];
  int n;
} first_term;

static int on_term(void *ctx, const char *term, int n, int start, int end,
                   int colocated) {
  first_term *f = ctx;
  (void)start;
  (void)end;
  if (!colocated && f->n < 0 && n <= IDX_MAX_TOKEN) {
    memcpy(f->t, term, (size_t)n);
    f->n = n;
  }
  return 0;
}

static int term_of(idx_analyzer *an, const char *text, int n, first_term *f) {
  f->n = -1;
  return idx_analyze(an, text, n, 0, on_term, f) < 0 ? CARI_NOMEM : CARI_OK;
}

/* How many articles FTS5 finds the phrase text in, counting up to cap. */
static int count_docs(sqlite3_stmt *cnt, const char *text, int n, long long cap,
                      long long *out) {
  char q[IDX_MAX_TOKEN * 4 + 8];
  if (n > (int)sizeof q - 3) n = (int)sizeof q - 3;
  q[0] = '"';
  memcpy(q + 1, text, (size_t)n);
  q[n + 1] = '"';
  int x = sqlite3_bind_text(cnt, 1, q, n + 2, SQLITE_TRANSIENT);
  if (x == SQLITE_OK) x = sqlite3_bind_int64(cnt, 2, cap);
  if (x != SQLITE_OK) return x;
  x = sqlite3_step(cnt);
  *out = x == SQLITE_ROW ? sqlite3_column_int64(cnt, 0) : 0;
  sqlite3_reset(cnt);
  return x == SQLITE_ROW ? SQLITE_OK : x;
}

/* Everything one expansion holds. */
typedef struct {
  sqlite3 *db;
  idx_analyzer *an;
  idx_tokenizer *tok;
  const qry_typo_opts *o;
  sqlite3_stmt *vocab, *cnt;
  long long rare; /* R: at most this many articles is "rarely" */
  qry_typo *res;
  walk W;
} typo_ctx;

/* Remember word -> best for the did-you-mean query. */
static int add_fix(qry_typo *res, const char *w, int n, const char *best) {
  char **from = cari_realloc(res->from, ((size_t)res->nfix + 1) * sizeof *from);
  if (from) res->from = from;
  char **to = cari_realloc(res->to, ((size_t)res->nfix + 1) * sizeof *to);
  if (to) res->to = to;
  if (!from || !to) return CARI_NOMEM;
  char *a = cari_malloc((size_t)n + 1), *b = cari_strdup(best);
  if (!a || !b) {
    cari_free(a);
    cari_free(b);
    return CARI_NOMEM;
  }
  memcpy(a, w, (size_t)n);
  a[n] = 0;
  res->from[res->nfix] = a;
  res->to[res->nfix++] = b;
  return CARI_OK;
}

/* The corrections of phrase i of pl (a word) into out, led by `lead`. */
static int correct(typo_ctx *T, const qry_phrase *ph, int last, qry_plan *out,
                   int lead, int *added) {
  one_word ow = {{0}, 0, 0};
  if (idx_tokenize(T->tok, ph->text, ph->ntext, on_word, &ow) < 0)
    return CARI_NOMEM;
  if (ow.count != 1 || ow.n < QRY_TYPO_MIN1) return CARI_OK;
  int letters = 0;
  for (int k = 0; k < ow.n; k++) letters += ((unsigned char)ow.w[k] & 0xC0) != 0x80;
  if (letters < QRY_TYPO_MIN1 || letters > QRY_TYPO_MAX_LEN) return CARI_OK;
  long long df = 0;
  int x = count_docs(T->cnt, ph->text, ph->ntext, T->rare + 1, &df);
  if (x != SQLITE_OK) return x == SQLITE_NOMEM ? CARI_NOMEM : CARI_ERROR;
  if (df > T->rare) return CARI_OK; /* known well enough */
  if (T->res->looked >= QRY_TYPO_MAX_WORDS) { /* bounded work */
    T->res->skipped++;
    T->res->truncated = 1;
    return CARI_OK;
  }
  walk *W = &T->W;
  W->npool = 0;
  W->steps = 0;
  W->prefix = last;
  W->swap = T->o->swap;
  W->lx = T->o->lx;
  W->min_n = df ? df * QRY_TYPO_RATIO : 1;
  T->res->looked++;
  x = lookup(W, T->vocab, ow.w, ow.n);
  T->res->truncated |= W->truncated;
  if (x != SQLITE_OK) return x == SQLITE_NOMEM ? CARI_NOMEM : CARI_ERROR;
  if (!W->npool) return CARI_OK;
  first_term own, seen[QRY_TYPO_MAX_CAND];
  int nseen = 0, rc = term_of(T->an, ph->text, ph->ntext, &own);
  int dist0 = W->pool[0].dist;
  for (int k = 0; rc == CARI_OK && k < W->npool && nseen < QRY_TYPO_MAX_CAND;
       k++) {
    const found *f = &W->pool[k];
    if (f->dist != dist0 || f->complete != W->pool[0].complete)
      break; /* only the closest, whole words before completions */
    first_term *t = &seen[nseen];
    if ((rc = term_of(T->an, f->w, f->nw, t)) != CARI_OK) break;
    int dup = t->n < 0 || (t->n == own.n && !memcmp(t->t, own.t, (size_t)own.n));
    for (int j = 0; !dup && j < nseen; j++)
      dup = seen[j].n == t->n && !memcmp(seen[j].t, t->t, (size_t)t->n);
    if (dup) continue;
    if (nseen == 0 && f->dist > 0)
      rc = add_fix(T->res, ow.w, ow.n, f->w);
    nseen++;
    double w = T->o->weight * (f->dist >= 2 ? T->o->weight : 1.0);
    /* A function word is proposed, not searched: the query drops those. */
    int fw = T->o->function_words && qry_function_word(f->w, (size_t)f->nw);
    if (rc == CARI_OK && out && T->o->weight > 0 && !fw) {
      rc = qry_plan_add(out, f->w, f->nw, 0, QRY_TYPO, 0, lead, w);
      *added += rc == CARI_OK;
    }
  }
  return rc;
}

/* The statements, N and R; *none 1 when the database has no vocabulary
** (made before it, opened read-only): nothing is looked up. */
static int prepare_ctx(typo_ctx *T, int *none) {
  long long nrow = 0, has = 1;
  int x = sqlite3_prepare_v2(T->db,
                             "SELECT word, n FROM cari_vocab WHERE word >= ?1"
                             " ORDER BY word",
                             -1, &T->vocab, NULL);
  if (x == SQLITE_ERROR &&
      idx_sql_int(T->db, "SELECT count(*) FROM sqlite_master WHERE"
                  " name = 'cari_vocab'", &has) == SQLITE_OK && !has) {
    *none = 1;
    return SQLITE_OK;
  }
  if (x == SQLITE_OK)
    x = sqlite3_prepare_v2(T->db,
                           "SELECT count(*) FROM (SELECT 1 FROM " IDX_FTS
                           " WHERE " IDX_FTS " MATCH ?1 LIMIT ?2)",
                           -1, &T->cnt, NULL);
  if (x == SQLITE_OK) x = qry_nrow(T->db, &nrow);
  T->rare = nrow / QRY_TYPO_RARE;
  return x;
}

/* May phrase i be looked up? */
static int eligible(const qry_plan *pl, int i) {
  const qry_phrase *p = &pl->p[i];
  return p->kind == QRY_WORD && !p->excluded && p->weight > 0 &&
         p->lead == i && p->ntext > 0 && p->text[0] != IDX_SURFACE_MARK &&
         !memchr(p->text, ' ', (size_t)p->ntext);
}

/* The positive phrases, the corrections, then the excluded phrases. */
static int expand(typo_ctx *T, const qry_plan *pl, qry_plan *out, int *added) {
  int rc = CARI_OK, npos = 0, last = -1;
  while (npos < pl->n && !pl->p[npos].excluded) npos++;
  for (int i = 0; i < npos; i++)
    if (pl->p[i].kind == QRY_WORD && pl->p[i].lead == i) last = i;
  for (int i = 0; rc == CARI_OK && i < pl->n; i++) {
    const qry_phrase *p = &pl->p[i];
    int lead = p->lead == i ? -1 : p->lead < npos ? p->lead : p->lead + *added;
    rc = qry_plan_add(out, p->text, p->ntext, p->prefix, p->kind, p->excluded,
                      lead, p->weight);
    if (rc == CARI_OK && i == npos - 1) /* after the last positive one */
      for (int j = 0; rc == CARI_OK && j < npos; j++) {
        if (!eligible(pl, j)) continue;
        rc = correct(T, &pl->p[j], j == last, out, j, added);
      }
  }
  return rc;
}

int qry_typo_expand(sqlite3 *db, idx_analyzer *an, idx_tokenizer *tok,
                    const qry_plan *pl, const qry_typo_opts *o, qry_typo *res,
                    char *err, size_t errcap) {
  memset(res, 0, sizeof *res);
  typo_ctx *T = cari_calloc(1, sizeof *T);
  qry_plan *out = qry_plan_new();
  int added = 0, rc = T && out ? CARI_OK : CARI_NOMEM;
  int none = 0;
  if (rc == CARI_OK) {
    T->db = db;
    T->an = an;
    T->tok = tok;
    T->o = o;
    T->res = res;
    int x = prepare_ctx(T, &none);
    if (x != SQLITE_OK)
      rc = idx_sql_fail(db, x, "cannot read the vocabulary", err, errcap);
  }
  if (rc == CARI_OK && !none) rc = expand(T, pl, out, &added);
  if (rc == CARI_ERROR)
    rc = idx_sql_fail(db, sqlite3_errcode(db), "cannot read the vocabulary",
                      err, errcap);
  if (rc == CARI_OK && added) {
    out->question = pl->question;
    res->plan = out;
    out = NULL;
  }
  if (T) {
    sqlite3_finalize(T->vocab);
    sqlite3_finalize(T->cnt);
  }
  cari_free(T);
  qry_plan_free(out);
  if (rc == CARI_NOMEM) snprintf(err, errcap, "out of memory");
  if (rc) qry_typo_clear(res);
  return rc;
}

void qry_typo_clear(qry_typo *res) {
  if (!res) return;
  qry_plan_free(res->plan);
  for (int i = 0; i < res->nfix; i++) {
    cari_free(res->from[i]);
    cari_free(res->to[i]);
  }
  cari_free(res->from);
  cari_free(res->to);
  memset(res, 0, sizeof *res);
}

/* ------------------------------------------------------------------ */
/* did you mean                                                        */
/* ------------------------------------------------------------------ */

typedef struct {
  const qry_typo *res;
  const char *q;
  sqlite3_str *s;
  int done;  /* bytes of q already written */
  int fixed;
} dym_ctx;

static int on_dym(void *ctx, const char *norm, int nnorm, int start, int end,
                  int hyphens) {
  dym_ctx *d = ctx;
  (void)hyphens;
  for (int i = 0; i < d->res->nfix; i++) {
    const char *f = d->res->from[i];
    if ((int)strlen(f) != nnorm || memcmp(f, norm, (size_t)nnorm)) continue;
    sqlite3_str_append(d->s, d->q + d->done, start - d->done);
    sqlite3_str_appendall(d->s, d->res->to[i]);
    d->done = end;
    d->fixed = 1;
    break;
  }
  return 0;
}

int qry_typo_did_you_mean(idx_tokenizer *tok, const char *q, int n,
                          const qry_typo *res, char **out) {
  *out = NULL;
  if (!res->nfix) return CARI_OK;
  dym_ctx d = {res, q, sqlite3_str_new(NULL), 0, 0};
  if (idx_tokenize(tok, q, n, on_dym, &d) < 0) {
    sqlite3_free(sqlite3_str_finish(d.s));
    return CARI_NOMEM;
  }
  sqlite3_str_append(d.s, q + d.done, n - d.done);
  int bad = sqlite3_str_errcode(d.s) != SQLITE_OK;
  char *s = sqlite3_str_finish(d.s);
  if (bad || (!s && n > 0)) {
    sqlite3_free(s);
    return CARI_NOMEM;
  }
  if (d.fixed && s) {
    /* Trimmed of blanks at both ends (the query as typed may have some). */
    const char *a = s, *e = s + strlen(s);
    while (*a == ' ' || *a == '\t' || *a == '\n') a++;
    while (e > a && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n')) e--;
    if (!(*out = cari_malloc((size_t)(e - a) + 1))) {
      sqlite3_free(s);
      return CARI_NOMEM;
    }
    memcpy(*out, a, (size_t)(e - a));
    (*out)[e - a] = 0;
  }
  sqlite3_free(s);
  return CARI_OK;
}
