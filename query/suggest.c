/*
** suggest.c — completions of the word being typed, from the vocabulary of
** words as written that the triggers keep (cari_vocab, indexer/meta.c),
** and related articles' query: the distinctive stems of one article. It
** does not rank articles (topk.c does).
**
** SUGGESTIONS. The partial word (the text after the last blank, normalised
** by the tokenizer as the vocabulary is) is a byte range [p, p+1) of the
** vocabulary's primary key: one index range, read most frequent first by
** a sort of the range. With earlier words in the text (function words
** left out: they say nothing of the topic), the QRY_SUGGEST_POOL most
** frequent candidates are ordered by their share among the C articles
** that hold every earlier word, smoothed towards their share n/N in the
** whole collection (Dirichlet smoothing, as in language-model retrieval):
**   (together + mu * n / N) / (C + mu),   mu = QRY_SUGGEST_MU
** where together is the number of articles holding the earlier words and
** the candidate (one FTS5 count each). With no such article, or mu large,
** this is the frequency order; with mu 0, the share among the C articles
** alone, which a handful of articles would decide. mu was chosen on the
** TyDi train questions (bench/discover_quality: 5, 10 and 25 within 0.002
** MRR@10 of each other, all above the frequency order; 0 below it).
**
** RELATED ARTICLES. The QRY_RELATED_POOL stems most frequent in the
** article (title occurrences counted three times) get weight
**   (1 + ln(3 * tf_title + tf_body)) * idf
** with idf BM25's (query.h) from the top-k postings' document frequencies
** (or fts5vocab before the first optimize); function words, stems of one
** byte and stems with digits are left out. The pool bounds the look-ups
** (each a b-tree descent into the postings): a stem the article mentions
** once among hundreds is rarely what it is about, and they were most of
** the time of a call (measured with perf at 10k articles). The best CARI_RELATED_TERMS
** become an OR query, each phrase weighted by its share of the best weight
** (a written form of the stem is quoted, so FTS5's tokenizer gives that
** stem back).
*/
#include "query.h"
#include "cari.h"
#include "indexer.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QRY_SUGGEST_POOL 24 /* candidates counted again with earlier words */
#define QRY_SUGGEST_MU 10.0 /* smoothing of the share among context articles */
#define QRY_RELATED_POOL 64 /* stems whose rarity is looked up */

typedef struct {
  char *word;
  long long n, together;
  double p; /* the order: see qry_suggest */
} cand;

static int cmp_cand(const void *a, const void *b) {
  const cand *x = a, *y = b;
  if (x->p != y->p) return x->p > y->p ? -1 : 1;
  if (x->n != y->n) return x->n > y->n ? -1 : 1;
  return strcmp(x->word, y->word);
}

typedef struct {
  char last[IDX_MAX_TOKEN + 1]; /* the last token seen */
  int nlast, end;
  sqlite3_str *expr; /* earlier words, "w" AND "w" ... */
  int nexpr;
  int stop_at;       /* tokens starting at or after it are the partial word */
} split_ctx;

static int on_token(void *ctx, const char *w, int n, int start, int end,
                    int hyphens) {
  split_ctx *s = ctx;
  if (start >= s->stop_at) {
    memcpy(s->last, w, (size_t)n);
    s->last[n] = 0;
    s->nlast = n;
    return 0;
  }
  if (qry_function_word(w, (size_t)n)) return 0; /* says nothing of topic */
  sqlite3_str_appendf(s->expr, "%s\"", s->nexpr++ ? " AND " : "");
  for (int i = 0; i < n; i++) {
    if (w[i] == '"') sqlite3_str_appendchar(s->expr, 1, '"');
    sqlite3_str_appendchar(s->expr, 1, w[i]);
  }
  sqlite3_str_appendchar(s->expr, 1, '"');
  return 0;
}

static int fail(sqlite3 *db, int x, const char *what, char *err,
                size_t errcap) {
  return idx_sql_fail(db, x, what, err, errcap);
}

int qry_nrow(sqlite3 *db, long long *nrow) {
  sqlite3_stmt *st;
  qry_stats qs;
  memset(&qs, 0, sizeof qs);
  *nrow = 0;
  int x = sqlite3_prepare_v2(db, "SELECT cari_stats(" IDX_FTS ", ?1) FROM "
                             IDX_FTS " LIMIT 1", -1, &st, NULL);
  if (x != SQLITE_OK) return x;
  sqlite3_bind_pointer(st, 1, &qs, QRY_STATS_POINTER, NULL);
  if ((x = sqlite3_step(st)) == SQLITE_ROW) *nrow = qs.nrow;
  sqlite3_finalize(st);
  return x == SQLITE_ROW || x == SQLITE_DONE ? SQLITE_OK : x;
}

/* How many articles hold every earlier word and the candidate. */
static int together(sqlite3_stmt *st, const char *ctx,
                    const char *word, long long *out) {
  char *e = sqlite3_mprintf("%s AND \"%w\"", ctx, word);
  if (!e) return SQLITE_NOMEM;
  sqlite3_bind_text(st, 1, e, -1, sqlite3_free);
  int x = sqlite3_step(st);
  *out = x == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
  sqlite3_reset(st);
  return x == SQLITE_ROW ? SQLITE_OK : x;
}

/* Each candidate's order with the earlier words (ctx, an FTS5 AND of
** them): its smoothed share among their articles (the essay above).
** SQLite rc. */
static int rerank(sqlite3 *db, const char *ctx, cand *c, int n) {
  long long nctx = 0, nrow = 0;
  sqlite3_stmt *cnt = NULL;
  int x = sqlite3_prepare_v2(db, "SELECT count(*) FROM " IDX_FTS " WHERE "
                             IDX_FTS " MATCH ?1", -1, &cnt, NULL);
  if (x == SQLITE_OK) {
    sqlite3_bind_text(cnt, 1, ctx, -1, SQLITE_STATIC);
    if ((x = sqlite3_step(cnt)) == SQLITE_ROW) nctx = sqlite3_column_int64(cnt, 0);
    sqlite3_reset(cnt);
    x = x == SQLITE_ROW ? SQLITE_OK : x;
  }
  if (x == SQLITE_OK) x = qry_nrow(db, &nrow);
  for (int i = 0; x == SQLITE_OK && i < n; i++)
    x = together(cnt, ctx, c[i].word, &c[i].together);
  sqlite3_finalize(cnt);
  double N = (double)(nrow ? nrow : 1), mu = QRY_SUGGEST_MU;
  for (int i = 0; i < n; i++)
    c[i].p = ((double)c[i].together + mu * (double)c[i].n / N) /
             ((double)nctx + mu);
  return x;
}

/* The first n candidates as one block: the array, then the words; NULL
** on out of memory. */
static cari_suggestion *pack(const cand *c, int n) {
  size_t bytes = ((size_t)n + 1) * sizeof(cari_suggestion);
  for (int i = 0; i < n; i++) bytes += strlen(c[i].word) + 1;
  cari_suggestion *s = cari_calloc(1, bytes);
  if (!s) return NULL;
  char *p = (char *)(s + n + 1);
  for (int i = 0; i < n; i++) {
    size_t k = strlen(c[i].word) + 1;
    memcpy(p, c[i].word, k);
    s[i].word = p;
    s[i].count = c[i].n;
    p += k;
  }
  return s;
}

int qry_suggest(sqlite3 *db, idx_tokenizer *tok, const char *text, int len,
                int limit, cari_suggestion **out, int *nout, char *err,
                size_t errcap) {
  *out = NULL;
  *nout = 0;
  if (limit <= 0) limit = 10;
  if (limit > 100) limit = 100;
  long long have = 0;
  int x = idx_sql_int(db, "SELECT count(*) FROM sqlite_master WHERE name ="
                      " 'cari_vocab'", &have);
  if (x != SQLITE_OK) return fail(db, x, "cannot read the schema", err, errcap);
  if (!have) {
    snprintf(err, errcap, "this database was made before its vocabulary was "
             "kept: open it once for writing (cari index) to add it");
    return CARI_MISMATCH;
  }
  /* The partial word starts after the last blank (none: at the start). */
  int stop = len;
  while (stop > 0 && !strchr(" \t\r\n", text[stop - 1])) stop--;
  split_ctx sc = {{0}, 0, 0, sqlite3_str_new(NULL), 0, stop};
  int rc = CARI_OK;
  if (idx_tokenize(tok, text, len, on_token, &sc) < 0) rc = CARI_NOMEM;
  char *ctx = sqlite3_str_finish(sc.expr);
  if (rc == CARI_OK && !ctx && sc.nexpr) rc = CARI_NOMEM;
  if (rc || !sc.nlast) {
    sqlite3_free(ctx);
    if (rc) snprintf(err, errcap, "out of memory");
    return rc;
  }
  /* The range [last, last with its final byte + 1): the words it begins. */
  char hi[IDX_MAX_TOKEN + 1];
  memcpy(hi, sc.last, (size_t)sc.nlast + 1);
  int nh = sc.nlast;
  while (nh > 0 && (unsigned char)hi[nh - 1] == 0xff) nh--;
  if (nh > 0) hi[nh - 1]++;
  hi[nh] = 0;
  int pool = sc.nexpr ? (limit > QRY_SUGGEST_POOL ? limit : QRY_SUGGEST_POOL)
                      : limit;
  sqlite3_stmt *st = NULL;
  x = sqlite3_prepare_v2(db, nh ? "SELECT word, n FROM cari_vocab WHERE"
                                  " word >= ?1 AND word < ?2 AND n > 0"
                                  " ORDER BY n DESC, word LIMIT ?3"
                                : "SELECT word, n FROM cari_vocab WHERE"
                                  " word >= ?1 AND n > 0"
                                  " ORDER BY n DESC, word LIMIT ?3",
                         -1, &st, NULL);
  cand *c = cari_calloc((size_t)pool + 1, sizeof *c);
  int n = 0;
  if (x == SQLITE_OK && c) {
    sqlite3_bind_text(st, 1, sc.last, sc.nlast, SQLITE_STATIC);
    if (nh) sqlite3_bind_text(st, 2, hi, nh, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, pool);
    while (n < pool && (x = sqlite3_step(st)) == SQLITE_ROW) {
      const char *w = (const char *)sqlite3_column_text(st, 0);
      if (!w || !(c[n].word = cari_strdup(w))) {
        x = SQLITE_NOMEM;
        break;
      }
      c[n++].n = sqlite3_column_int64(st, 1);
    }
    if (x == SQLITE_ROW) x = SQLITE_DONE;
  }
  if (!c) rc = CARI_NOMEM;
  else if (x != SQLITE_DONE && x != SQLITE_OK)
    rc = fail(db, x, "cannot read the vocabulary", err, errcap);
  sqlite3_finalize(st);
  /* Earlier words: count the candidates again with them. */
  if (rc == CARI_OK && sc.nexpr && n) {
    if ((x = rerank(db, ctx, c, n)) != SQLITE_OK)
      rc = fail(db, x, "cannot count the words together", err, errcap);
    else qsort(c, (size_t)n, sizeof *c, cmp_cand);
  }
  sqlite3_free(ctx);
  if (n > limit) n = limit;
  cari_suggestion *sg = rc == CARI_OK ? pack(c, n) : NULL;
  if (rc == CARI_OK && !sg) rc = CARI_NOMEM;
  if (sg) {
    *out = sg;
    *nout = n;
  }
  for (int i = 0; c && i < pool; i++) cari_free(c[i].word);
  cari_free(c);
  if (rc == CARI_NOMEM) snprintf(err, errcap, "out of memory");
  return rc;
}

/* ------------------------------------------------------------------ */
/* related articles                                                    */
/* ------------------------------------------------------------------ */

typedef struct {
  char *term;       /* the stem */
  char *form;       /* a written form that gives it */
  int tf[2];
  double w;
} rterm;

typedef struct {
  rterm *t;
  int n;
  size_t cap;
  int field;
  const char *text;
  int nomem;
} rterms;

static int on_term(void *ctx, const char *term, int n, int start, int end,
                   int colocated) {
  rterms *R = ctx;
  if (colocated || n < 2) return 0;
  for (int i = 0; i < n; i++)
    if (term[i] >= '0' && term[i] <= '9') return 0;
  if (qry_function_word(term, (size_t)n)) return 0;
  for (int i = 0; i < R->n; i++) /* articles have a few hundred stems */
    if ((int)strlen(R->t[i].term) == n && !memcmp(R->t[i].term, term,
                                                   (size_t)n)) {
      R->t[i].tf[R->field]++;
      return 0;
    }
  int rc = CARI_OK;
  R->t = cari_grow(&rc, R->t, &R->cap, (size_t)R->n + 1, sizeof *R->t);
  if (rc) goto nomem;
  rterm *t = &R->t[R->n];
  memset(t, 0, sizeof *t);
  t->term = cari_strndup(term, (size_t)n);
  t->form = cari_strndup(R->text + start, (size_t)(end - start));
  if (!t->term || !t->form) {
    cari_free(t->term);
    cari_free(t->form);
    goto nomem;
  }
  t->tf[R->field] = 1;
  R->n++;
  return 0;
nomem:
  R->nomem = 1;
  return 1;
}

static int cmp_tf(const void *a, const void *b) {
  const rterm *x = a, *y = b;
  int fx = 3 * x->tf[0] + x->tf[1], fy = 3 * y->tf[0] + y->tf[1];
  if (fx != fy) return fx > fy ? -1 : 1;
  return strcmp(x->term, y->term);
}

static int cmp_rterm(const void *a, const void *b) {
  const rterm *x = a, *y = b;
  if (x->w != y->w) return x->w > y->w ? -1 : 1;
  return strcmp(x->term, y->term);
}

/* The number of articles holding the term: the postings' count, else
** fts5vocab's (before the first optimize). */
static int term_df(sqlite3 *db, sqlite3_stmt *post, sqlite3_stmt *vocab,
                   const char *term, long long *df) {
  *df = 0;
  sqlite3_stmt *st = post ? post : vocab;
  sqlite3_bind_text(st, 1, term, -1, SQLITE_STATIC);
  int x = sqlite3_step(st);
  if (x == SQLITE_ROW) *df = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return x == SQLITE_ROW || x == SQLITE_DONE ? SQLITE_OK : x;
}

int qry_related_plan(sqlite3 *db, idx_analyzer *an, const char *title,
                     const char *body, long long nrow, qry_plan **out,
                     char *err, size_t errcap) {
  *out = NULL;
  rterms R = {NULL, 0, 0, 0, NULL, 0};
  const char *f[2] = {title ? title : "", body ? body : ""};
  int rc = CARI_OK;
  for (int i = 0; i < 2 && rc == CARI_OK; i++) {
    R.field = i;
    R.text = f[i];
    if (idx_analyze(an, f[i], (int)strlen(f[i]), 0, on_term, &R) < 0 ||
        R.nomem)
      rc = CARI_NOMEM;
  }
  long long have = 0;
  sqlite3_stmt *post = NULL, *vocab = NULL;
  int x = SQLITE_OK;
  if (rc == CARI_OK &&
      (x = idx_sql_int(db, "SELECT count(*) FROM sqlite_master WHERE name ="
                       " 'cari_postings'", &have)) == SQLITE_OK) {
    if (have)
      x = sqlite3_prepare_v2(db, "SELECT max(df_title, df_body) FROM"
                             " cari_postings WHERE term = ?1", -1, &post,
                             NULL);
    else if ((x = sqlite3_exec(db, "CREATE VIRTUAL TABLE IF NOT EXISTS"
                               " temp.cari_related_vocab USING fts5vocab("
                               "main, " IDX_FTS ", row)", NULL, NULL,
                               NULL)) == SQLITE_OK)
      x = sqlite3_prepare_v2(db, "SELECT doc FROM temp.cari_related_vocab"
                             " WHERE term = ?1", -1, &vocab, NULL);
  }
  if (rc == CARI_OK && R.n > 1) qsort(R.t, (size_t)R.n, sizeof *R.t, cmp_tf);
  int pool = R.n < QRY_RELATED_POOL ? R.n : QRY_RELATED_POOL;
  for (int i = 0; rc == CARI_OK && x == SQLITE_OK && i < pool; i++) {
    long long df;
    x = term_df(db, post, vocab, R.t[i].term, &df);
    double tfw = 3.0 * R.t[i].tf[0] + R.t[i].tf[1];
    R.t[i].w = (1 + log(tfw)) * qry_idf(nrow, df);
  }
  sqlite3_finalize(post);
  sqlite3_finalize(vocab);
  if (rc == CARI_OK && x != SQLITE_OK)
    rc = fail(db, x, "cannot weigh the article's words", err, errcap);
  int n = pool < CARI_RELATED_TERMS ? pool : CARI_RELATED_TERMS;
  if (rc == CARI_OK && pool > 1) qsort(R.t, (size_t)pool, sizeof *R.t, cmp_rterm);
  while (n > 0 && R.t[n - 1].w <= 0) n--;
  if (rc == CARI_OK && n == 0) {
    snprintf(err, errcap, "the article has no word to find related ones by");
    rc = CARI_QUERY;
  }
  qry_plan *pl = rc == CARI_OK ? qry_plan_new() : NULL;
  if (rc == CARI_OK && !pl) rc = CARI_NOMEM;
  for (int i = 0; rc == CARI_OK && i < n; i++) {
    const char *form = R.t[i].form;
    if (strchr(form, '"')) continue; /* the analyzer's words hold none */
    rc = qry_plan_add(pl, form, (int)strlen(form), 0, QRY_WORD, 0, -1,
                      R.t[i].w / R.t[0].w);
  }
  if (rc == CARI_OK) *out = pl;
  else qry_plan_free(pl);
  for (int i = 0; i < R.n; i++) {
    cari_free(R.t[i].term);
    cari_free(R.t[i].form);
  }
  cari_free(R.t);
  if (rc == CARI_NOMEM) snprintf(err, errcap, "out of memory");
  return rc;
}
