/*
** rank.c — cari's ranking: the FTS5 auxiliary function cari_rank() and the
** ranking settings that configure it. It does not choose which articles
** match (the MATCH expression does) and does not make snippets.
**
** THE SCORE
**
** Each field is scored with its own BM25, as if it were a separate index,
** and the fields' scores are added with weights (a per-field BM25 sum; the
** title is short and names the topic, so a title match should count on its
** own terms rather than be drowned by the body's length statistics):
**
**   score(d) = sum over query phrases p of  w_p *
**              sum over fields f of  W_f * idf_f(p) * tf*(k1+1) /
**                                    (tf + k1*(1 - b_f + b_f*len_f(d)/avg_f))
**
**   idf_f(p) = ln(1 + (N - df_f(p) + 0.5) / (df_f(p) + 0.5))
**
** where tf is the count of p in field f of d, df_f(p) the number of articles
** with p in field f, N the number of articles, len_f and avg_f the field's
** length in tokens and its mean. w_p is the phrase's weight from the query
** plan (parse.c); W_f the field weight. Document frequencies are
** computed once per query (xQueryPhrase) and kept as FTS5 auxdata.
**
** Coordination: an article holding more of the query's words should come
** first, which a sum of BM25 terms does not ensure (one rare word many
** times can outweigh all the others). The score is multiplied by
** (m / M)^coord, where M is the number of the query's words and phrases
** and m how many of them the article holds. Surface-form phrases (kind
** QRY_SURFACE) are bonuses for exact forms, not words of their own: they
** do not count in m or M.
**
** Aliases: a phrase of kind QRY_ALIAS is another form of its lead phrase
** (prefix.c adds them for prefixes: `membua*` also matches `buat`, the term
** of `membuat`). Its matches count as that phrase's, in tf, coordination
** and proximity; it has no weight of its own and its document frequency is
** the leader's (given as the union).
**
** Synonyms: a phrase of kind QRY_SYNONYM (synonym.c) stands for its lead
** phrase's word: `kopi darat` for `kopdar`. It is scored as a phrase of its
** own, with its own tf and weight w_synonym (< 1), but with at most its
** word's idf in each field (a synonym rarer than the word would otherwise
** outweigh the word itself); an article holding it holds its word for
** coordination and proximity. So on two articles that differ only in
** holding the word or its synonym, the word's ranks first.
**
** Corrections: a phrase of kind QRY_TYPO is a close word of a misspelt
** word of the query (typo.c), led by it. It is scored as a word of its
** own (its tf, its document frequency, its weight from the plan: below
** 1), but it is not another word of the query: it does not count in M,
** and an article holding it holds its lead's word for m and for
** proximity.
**
** Proximity: words of a keyword query found close together usually belong
** to one topic. The score is multiplied by 1 + prox / gap, where gap is the
** smallest distance in tokens between two different query words in the
** same field (no bonus when no two occur together).
** Questions get neither coordination nor proximity by default: measured on
** TyDi, both cost 0.01-0.03 MRR@10 there, since an answer passage rarely
** repeats its question's words, let alone in order.
**
** FTS5 sorts ascending, so the function returns -score.
** Argument: cari_rank(blob), one blob from qry_rank_encode (query.h's
** qry_rank_args: the settings, and per phrase its weight, kind, lead and
** the document frequencies already known: the top-k postings keep them).
** Without one, the defaults below and every phrase a word of weight 1. The
** pruned search (topk.c) computes every score with the same inline
** functions of query.h from the same doubles, so both agree to the last
** bit.
*/
#include "query.h"
#include "cari.h"
#include "indexer.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NFIELD 2 /* title, body: the FTS5 table's columns in order */

typedef struct {
  int nphrase;
  int ncore;   /* phrases that are words of the query (not bonuses) */
  double coord, coord_max;
  double prox;  /* weight of the proximity bonus */
  char *bonus; /* nphrase flags: 1 for a surface-form bonus phrase */
  char *own;   /* nphrase: QRY_SYNONYM or QRY_TYPO for a phrase that stands
               ** for its lead's word but is scored on its own, else 0 */
  char *hold;  /* nphrase scratch: the word is held */
  int *lead;   /* nphrase: the phrase whose word this one is (itself, or
               ** for an alias its leader) */
  double k1, b[NFIELD], W[NFIELD];
  double avg[NFIELD];
  double *w;   /* nphrase weights */
  double *idf; /* nphrase * NFIELD */
  int *tf;     /* nphrase * NFIELD scratch */
} rank_data;

static void rank_data_free(void *p) {
  rank_data *r = p;
  if (!r) return;
  cari_free(r->w);
  cari_free(r->bonus);
  cari_free(r->own);
  cari_free(r->hold);
  cari_free(r->lead);
  cari_free(r->idf);
  cari_free(r->tf);
  cari_free(r);
}

/* xQueryPhrase callback: count, per field, the rows holding phrase 0. */
static int count_df(const Fts5ExtensionApi *api, Fts5Context *fts, void *ud) {
  long long *df = ud;
  Fts5PhraseIter it;
  int col = -1, seen[NFIELD] = {0};
  int rc = api->xPhraseFirstColumn(fts, 0, &it, &col);
  if (rc != SQLITE_OK) return rc;
  for (; col >= 0; api->xPhraseNextColumn(fts, &it, &col))
    if (col < NFIELD && !seen[col]) {
      seen[col] = 1;
      df[col]++;
    }
  return SQLITE_OK;
}

/* ------------------------------------------------------------------ */
/* the argument's codec                                                */
/* ------------------------------------------------------------------ */

/* The blob: the tag, nphrase (int32), the 8 settings (doubles), then per
** phrase w (double), df title and body (int64), kind and lead (int32), all
** in the machine's own byte order (it never leaves the process). */
static const unsigned char rank_tag[4] = {'c', 'r', 'k', '1'};
#define HEAD_BYTES (4 + 4 + 8 * 8)
#define PHRASE_BYTES (8 + 8 + 8 + 4 + 4)

static unsigned char *put(unsigned char *p, const void *v, size_t n) {
  memcpy(p, v, n);
  return p + n;
}
static const unsigned char *get(const unsigned char *p, void *v, size_t n) {
  memcpy(v, p, n);
  return p + n;
}

int qry_rank_encode(const qry_rank_args *a, unsigned char **out, int *nout) {
  size_t n = HEAD_BYTES + (size_t)a->nphrase * PHRASE_BYTES;
  unsigned char *b = cari_malloc(n), *p = b;
  *out = b;
  *nout = b ? (int)n : 0;
  if (!b) return CARI_NOMEM;
  int32_t np = a->nphrase;
  const double num[8] = {a->k1,   a->b[0],  a->b[1],        a->W[0],
                         a->W[1], a->coord, a->coord_max, a->prox};
  p = put(p, rank_tag, 4);
  p = put(p, &np, 4);
  p = put(p, num, sizeof num);
  for (int i = 0; i < a->nphrase; i++) {
    const qry_rank_phrase *q = &a->ph[i];
    int64_t df[2] = {q->df[0], q->df[1]};
    int32_t kl[2] = {q->kind, q->lead};
    p = put(p, &q->w, 8);
    p = put(p, df, sizeof df);
    p = put(p, kl, sizeof kl);
  }
  return CARI_OK;
}

int qry_rank_decode(const void *blob, int n, qry_rank_args *a) {
  const unsigned char *p = blob;
  int32_t np = -1;
  memset(a, 0, sizeof *a);
  if (!p || n < HEAD_BYTES || memcmp(p, rank_tag, 4) != 0) return CARI_INVALID;
  p = get(p + 4, &np, 4);
  if (np < 0 || (size_t)n != HEAD_BYTES + (size_t)np * PHRASE_BYTES)
    return CARI_INVALID;
  double num[8];
  p = get(p, num, sizeof num);
  a->k1 = num[0];
  a->b[0] = num[1];
  a->b[1] = num[2];
  a->W[0] = num[3];
  a->W[1] = num[4];
  a->coord = num[5];
  a->coord_max = num[6];
  a->prox = num[7];
  if (np && !(a->ph = cari_malloc((size_t)np * sizeof *a->ph)))
    return CARI_NOMEM;
  for (int i = 0; i < np; i++) {
    qry_rank_phrase *q = &a->ph[i];
    int64_t df[2];
    int32_t kl[2];
    p = get(p, &q->w, 8);
    p = get(p, df, sizeof df);
    p = get(p, kl, sizeof kl);
    q->df[0] = df[0];
    q->df[1] = df[1];
    q->kind = kl[0];
    q->lead = kl[1];
    if (q->kind < 0 || q->kind >= QRY_NKIND || q->lead < 0 || q->lead > i) {
      cari_free(a->ph);
      memset(a, 0, sizeof *a);
      return CARI_INVALID;
    }
  }
  a->nphrase = np;
  return CARI_OK;
}

/* ------------------------------------------------------------------ */
/* cari_rank                                                           */
/* ------------------------------------------------------------------ */

/* N and the mean field lengths, as both functions read them. */
static int read_stats(const Fts5ExtensionApi *api, Fts5Context *fts,
                      qry_stats *s) {
  sqlite3_int64 nrow = 0, total;
  int rc = api->xRowCount(fts, &nrow);
  s->nrow = nrow;
  for (int f = 0; rc == SQLITE_OK && f < NFIELD; f++) {
    rc = api->xColumnTotalSize(fts, f, &total);
    s->avg[f] = qry_avg(nrow, total);
  }
  return rc;
}

/* The argument, decoded (without one: the defaults). SQLITE_MISMATCH when
** it is not qry_rank_encode's. */
static int rank_args(int nVal, sqlite3_value **apVal, qry_rank_args *a) {
  if (nVal == 0) {
    memset(a, 0, sizeof *a);
    a->k1 = 1.2;
    a->b[0] = a->b[1] = 0.75;
    a->W[0] = a->W[1] = 1.0;
    a->coord_max = 1e9;
    return SQLITE_OK;
  }
  const void *blob = sqlite3_value_blob(apVal[0]);
  int nb = sqlite3_value_bytes(apVal[0]);
  if (!blob && nb > 0) return SQLITE_NOMEM; /* its copy failed */
  int rc = qry_rank_decode(blob, nb, a);
  if (rc == CARI_NOMEM) return SQLITE_NOMEM;
  return rc == CARI_OK && nVal == 1 ? SQLITE_OK : SQLITE_MISMATCH;
}

/* Parse the argument and compute the per-query statistics. */
static int rank_setup(const Fts5ExtensionApi *api, Fts5Context *fts, int nVal,
                      sqlite3_value **apVal, rank_data **out) {
  qry_rank_args a;
  int rc = rank_args(nVal, apVal, &a);
  if (rc != SQLITE_OK) return rc;
  rank_data *r = cari_calloc(1, sizeof *r);
  int n = api->xPhraseCount(fts);
  if (r) {
    r->nphrase = n;
    r->w = cari_calloc((size_t)n + 1, sizeof *r->w);
    r->bonus = cari_calloc((size_t)n + 1, 1);
    r->own = cari_calloc((size_t)n + 1, 1);
    r->hold = cari_calloc((size_t)n + 1, 1);
    r->lead = cari_calloc((size_t)n + 1, sizeof *r->lead);
    r->idf = cari_calloc((size_t)n * NFIELD + 1, sizeof *r->idf);
    r->tf = cari_calloc((size_t)n * NFIELD + 1, sizeof *r->tf);
  }
  if (!r || !r->w || !r->idf || !r->tf || !r->bonus || !r->lead || !r->own ||
      !r->hold) {
    rank_data_free(r);
    cari_free(a.ph);
    return SQLITE_NOMEM;
  }
  r->k1 = a.k1;
  for (int f = 0; f < NFIELD; f++) {
    r->b[f] = a.b[f];
    r->W[f] = a.W[f];
  }
  r->coord = a.coord;
  r->coord_max = a.coord_max;
  r->prox = a.prox;
  for (int i = 0; i < n; i++) { /* phrases past the argument's: words */
    const qry_rank_phrase *q = i < a.nphrase ? &a.ph[i] : NULL;
    r->w[i] = q ? q->w : 1.0;
    r->lead[i] = q ? q->lead : i;
    r->bonus[i] = q && q->kind == QRY_SURFACE;
    r->own[i] = (char)(q && (q->kind == QRY_SYNONYM || q->kind == QRY_TYPO) &&
                               r->lead[i] != i
                           ? q->kind
                           : 0);
    if (r->lead[i] != i && !r->own[i]) r->w[i] = 0; /* counted with its word */
    if (r->w[i] > 0 && !r->bonus[i] && !r->own[i]) r->ncore++;
  }
  qry_stats S;
  rc = read_stats(api, fts, &S);
  for (int f = 0; f < NFIELD; f++) r->avg[f] = S.avg[f];
  for (int i = 0; rc == SQLITE_OK && i < n; i++) {
    if (r->w[i] == 0) continue; /* excluded phrases never add to a score */
    const qry_rank_phrase *q = i < a.nphrase ? &a.ph[i] : NULL;
    long long df[NFIELD] = {0};
    if (q && q->df[0] >= 0) {
      df[0] = q->df[0];
      df[1] = q->df[1];
    } else {
      rc = api->xQueryPhrase(fts, i, df, count_df);
    }
    for (int f = 0; f < NFIELD; f++) {
      double idf = qry_idf(S.nrow, df[f]);
      r->idf[i * NFIELD + f] =
          r->own[i] == QRY_SYNONYM
              ? qry_syn_idf(idf, r->idf[r->lead[i] * NFIELD + f])
              : idf;
    }
  }
  cari_free(a.ph);
  if (rc != SQLITE_OK) {
    rank_data_free(r);
    return rc;
  }
  /* On failure FTS5 itself frees r through rank_data_free. */
  rc = api->xSetAuxdata(fts, r, rank_data_free);
  if (rc == SQLITE_OK) *out = r;
  return rc;
}

static void cari_rank(const Fts5ExtensionApi *api, Fts5Context *fts,
                      sqlite3_context *ctx, int nVal, sqlite3_value **apVal) {
  rank_data *r = api->xGetAuxdata(fts, 0);
  int rc = SQLITE_OK;
  if (!r) rc = rank_setup(api, fts, nVal, apVal, &r);
  if (rc == SQLITE_MISMATCH) {
    sqlite3_result_error(ctx, "cari_rank: the argument is not one blob of "
                         "qry_rank_encode", -1);
    return;
  }
  int ninst = 0;
  if (rc == SQLITE_OK) rc = api->xInstCount(fts, &ninst);
  if (rc != SQLITE_OK) {
    sqlite3_result_error_code(ctx, rc);
    return;
  }
  memset(r->tf, 0, sizeof *r->tf * (size_t)r->nphrase * NFIELD);
  /* Instances come in document order; the smallest gap between two
  ** different query words in the same field feeds the proximity bonus. */
  int lastp = -1, lastc = -1, lasto = 0, gap = 0;
  for (int i = 0; i < ninst; i++) {
    int p, c, o;
    /* A failed call (out of memory) must fail the row: a skipped instance
    ** or a length of 0 would give it another score. */
    if ((rc = api->xInst(fts, i, &p, &c, &o)) != SQLITE_OK) {
      sqlite3_result_error_code(ctx, rc);
      return;
    }
    if (p >= r->nphrase || c >= NFIELD) continue;
    /* An alias's matches are its word's; a synonym's or a correction's its
    ** own, but its word's for proximity and coordination. */
    if (!r->own[p]) p = r->lead[p];
    r->tf[p * NFIELD + c]++;
    if (r->bonus[p] || r->w[p] == 0) continue;
    int word = r->lead[p]; /* a synonym is near as its word */
    if (lastp >= 0 && lastc == c && lastp != word && o > lasto &&
        (gap == 0 || o - lasto < gap))
      gap = o - lasto;
    lastp = word;
    lastc = c;
    lasto = o;
  }
  double len[NFIELD];
  for (int f = 0; f < NFIELD; f++) {
    int n = 0;
    if ((rc = api->xColumnSize(fts, f, &n)) != SQLITE_OK) {
      sqlite3_result_error_code(ctx, rc);
      return;
    }
    len[f] = (double)n;
  }
  double score = 0;
  int held = 0;
  memset(r->hold, 0, (size_t)r->nphrase);
  for (int p = 0; p < r->nphrase; p++) {
    if (r->w[p] == 0) continue;
    if (!r->bonus[p]) { /* a synonym or correction holds its word */
      int any = 0;
      for (int f = 0; f < NFIELD; f++) any |= r->tf[p * NFIELD + f] > 0;
      held += any && !r->hold[r->lead[p]];
      if (any) r->hold[r->lead[p]] = 1;
    }
    double s = 0;
    for (int f = 0; f < NFIELD; f++) {
      int tf = r->tf[p * NFIELD + f];
      if (!tf || r->W[f] == 0) continue;
      s += qry_field_score(r->W[f], r->idf[p * NFIELD + f], tf, r->k1, r->b[f],
                           len[f], r->avg[f]);
    }
    score += r->w[p] * s;
  }
  score = qry_coord(score, held, r->ncore, r->coord, r->coord_max);
  score = qry_prox(score, gap, r->prox);
  sqlite3_result_double(ctx, -score);
}

/* cari_stats(fts, ptr): N and the mean field lengths cari_rank reads,
** into the qry_stats the caller bound as ptr (topk.c). */
static void cari_stats(const Fts5ExtensionApi *api, Fts5Context *fts,
                       sqlite3_context *ctx, int nVal, sqlite3_value **apVal) {
  qry_stats *s = nVal == 1 ? sqlite3_value_pointer(apVal[0], QRY_STATS_POINTER)
                           : NULL;
  if (!s) {
    sqlite3_result_error(ctx, "cari_stats: no qry_stats bound", -1);
    return;
  }
  int rc = read_stats(api, fts, s);
  if (rc != SQLITE_OK) sqlite3_result_error_code(ctx, rc);
  else sqlite3_result_null(ctx);
}

int qry_rank_register(sqlite3 *db) {
  fts5_api *api;
  int rc = idx_fts5_api(db, &api);
  if (rc != SQLITE_OK) return rc;
  rc = api->xCreateFunction(api, "cari_rank", NULL, cari_rank, NULL);
  if (rc != SQLITE_OK) return rc;
  return api->xCreateFunction(api, "cari_stats", NULL, cari_stats, NULL);
}

/* ------------------------------------------------------------------ */

void qry_ranking_default(qry_ranking *r) {
  r->fn = QRY_RANK_CARI;
  r->k1 = 1.2;
  r->b_title = 0.3;
  r->b_body = 0.75;
  r->w_title = 2.0;
  r->w_body = 1.0;
  r->function_words = 1;
  r->w_surface = 0.3;
  r->w_synonym = 0.5;
  r->coord = 1.0;
  r->coord_question = 0.0;
  r->coord_max = 100;
  r->prox = 0.25;
  r->prox_question = 0.0;
  r->index_surface = 0;
  r->index_informal = 0;
  r->w_typo = 0.8;
  r->typo_swap = 1;
}

/* One key=value setting into r; CARI_OK or CARI_INVALID (err set). */
static int setting(qry_ranking *r, const char *key, size_t nkey,
                   const char *val, char *err, size_t errcap) {
  static const struct {
    const char *name;
    size_t off;
  } nums[] = {
      {"k1", offsetof(qry_ranking, k1)},
      {"b_title", offsetof(qry_ranking, b_title)},
      {"b_body", offsetof(qry_ranking, b_body)},
      {"title", offsetof(qry_ranking, w_title)},
      {"body", offsetof(qry_ranking, w_body)},
      {"surface", offsetof(qry_ranking, w_surface)},
      {"synonym", offsetof(qry_ranking, w_synonym)},
      {"coord", offsetof(qry_ranking, coord)},
      {"coord_max", offsetof(qry_ranking, coord_max)},
      {"coord_question", offsetof(qry_ranking, coord_question)},
      {"prox", offsetof(qry_ranking, prox)},
      {"prox_question", offsetof(qry_ranking, prox_question)},
  };
  if (nkey == 2 && memcmp(key, "fn", 2) == 0) {
    if (strcmp(val, "cari") == 0) r->fn = QRY_RANK_CARI;
    else if (strcmp(val, "bm25") == 0) r->fn = QRY_RANK_BM25;
    else goto bad;
    return CARI_OK;
  }
  if (nkey == 4 && memcmp(key, "stop", 4) == 0) {
    if (strcmp(val, "1") == 0 || strcmp(val, "on") == 0) r->function_words = 1;
    else if (strcmp(val, "0") == 0 || strcmp(val, "off") == 0)
      r->function_words = 0;
    else goto bad;
    return CARI_OK;
  }
  if (nkey == 9 && memcmp(key, "typo_swap", 9) == 0) {
    if (strcmp(val, "1") == 0 || strcmp(val, "on") == 0) r->typo_swap = 1;
    else if (strcmp(val, "0") == 0 || strcmp(val, "off") == 0)
      r->typo_swap = 0;
    else goto bad;
    return CARI_OK;
  }
  if (nkey == 4 && memcmp(key, "typo", 4) == 0) { /* below an exact match */
    char *end;
    double v = strtod(val, &end);
    if (end == val || *end || v < 0 || v >= 1) goto bad;
    r->w_typo = v;
    return CARI_OK;
  }
  if (nkey == 1 && key[0] == 'b') { /* both fields */
    char *end;
    double v = strtod(val, &end);
    if (*end || v < 0 || v > 1) goto bad;
    r->b_title = r->b_body = v;
    return CARI_OK;
  }
  for (size_t i = 0; i < sizeof nums / sizeof *nums; i++) {
    if (strlen(nums[i].name) != nkey || memcmp(key, nums[i].name, nkey)) continue;
    char *end;
    double v = strtod(val, &end);
    if (end == val || *end || v < 0 || v > 100) goto bad;
    *(double *)((char *)r + nums[i].off) = v;
    return CARI_OK;
  }
  snprintf(err, errcap,
           "unknown ranking setting '%.*s' (known: fn, k1, b, b_title, b_body, "
           "title, body, surface, synonym, coord, coord_question, coord_max, "
           "prox, prox_question, stop, typo, typo_swap)",
           (int)nkey, key);
  return CARI_INVALID;
bad:
  snprintf(err, errcap, "bad value '%s' for ranking setting '%.*s'", val,
           (int)nkey, key);
  return CARI_INVALID;
}

int qry_ranking_parse(const char *spec, qry_ranking *r, char *err,
                      size_t errcap) {
  qry_ranking_default(r);
  if (!spec) return CARI_OK;
  const char *p = spec;
  while (*p) {
    while (*p == ' ' || *p == ',') p++;
    if (!*p) break;
    const char *k = p;
    while (*p && *p != '=' && *p != ' ' && *p != ',') p++;
    if (*p != '=') {
      snprintf(err, errcap, "ranking setting '%.*s' has no '=value'",
               (int)(p - k), k);
      return CARI_INVALID;
    }
    size_t nk = (size_t)(p - k);
    const char *v = ++p;
    while (*p && *p != ' ' && *p != ',') p++;
    char val[64];
    snprintf(val, sizeof val, "%.*s", (int)(p - v), v);
    int rc = setting(r, k, nk, val, err, errcap);
    if (rc) return rc;
  }
  return CARI_OK;
}
