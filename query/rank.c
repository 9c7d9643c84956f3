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
** translation (parse.c); W_f the field weight. Document frequencies are
** computed once per query (xQueryPhrase) and kept as FTS5 auxdata.
**
** Coordination: an article holding more of the query's words should come
** first, which a sum of BM25 terms does not ensure (one rare word many
** times can outweigh all the others). The score is multiplied by
** (m / M)^coord, where M is the number of the query's words and phrases
** and m how many of them the article holds. Surface-form phrases (weights
** written "s0.5") are bonuses for exact forms, not words of their own: they
** do not count in m or M.
**
** Aliases: a phrase whose weight is written "a0" is another form of the
** phrase before it (topk.c writes them for prefixes: `membua*` also
** matches `buat`, the term of `membuat`). Its matches count as that
** phrase's, in tf, coordination and proximity; it has no weight of its own
** and its document frequency is the leader's (given in dfs as the union).
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
** Arguments: cari_rank(k1, b_title, b_body, W_title, W_body, 'w0,w1,...',
** coord, coord_max, prox, 'dfs'); dfs gives document frequencies already
** known ("t,b;-;t,b", one entry per phrase, '-' unknown): the top-k postings
** keep them, and the pruned search (topk.c) computes every score with the
** same inline functions of query.h, so both agree to the last bit.
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
  int *lead;   /* nphrase: the phrase whose word this one is (itself, or
               ** for an alias "a0" the phrase before it that is none) */
  double k1, b[NFIELD], W[NFIELD];
  double avg[NFIELD];
  double *w;   /* nphrase weights */
  double *idf; /* nphrase * NFIELD */
  int *tf;     /* nphrase * NFIELD scratch */
} rank_data;

static void rank_data_free(void *p) {
  rank_data *r = p;
  if (!r) return;
  free(r->w);
  free(r->bonus);
  free(r->lead);
  free(r->idf);
  free(r->tf);
  free(r);
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

/* A numeric argument: topk.c passes numbers as text written with C's
** "%.17g" so that strtod gives back the very double the pruned search uses
** (SQLite's own conversions of literals may differ in the last bit). */
static double num(sqlite3_value *v, double def) {
  if (!v) return def;
  if (sqlite3_value_type(v) == SQLITE_TEXT) {
    const char *s = (const char *)sqlite3_value_text(v);
    return s ? strtod(s, NULL) : def;
  }
  return sqlite3_value_double(v);
}

/* Parse the arguments and compute the per-query statistics. */
static int rank_setup(const Fts5ExtensionApi *api, Fts5Context *fts, int nVal,
                      sqlite3_value **apVal, rank_data **out) {
  rank_data *r = calloc(1, sizeof *r);
  if (!r) return SQLITE_NOMEM;
  r->k1 = num(nVal > 0 ? apVal[0] : NULL, 1.2);
  r->b[0] = num(nVal > 1 ? apVal[1] : NULL, 0.75);
  r->b[1] = num(nVal > 2 ? apVal[2] : NULL, 0.75);
  r->W[0] = num(nVal > 3 ? apVal[3] : NULL, 1.0);
  r->W[1] = num(nVal > 4 ? apVal[4] : NULL, 1.0);
  const char *ws = nVal > 5 ? (const char *)sqlite3_value_text(apVal[5]) : NULL;
  r->coord = num(nVal > 6 ? apVal[6] : NULL, 0.0);
  r->coord_max = num(nVal > 7 ? apVal[7] : NULL, 1e9);
  r->prox = num(nVal > 8 ? apVal[8] : NULL, 0.0);
  /* Document frequencies the caller already knows (topk.c: from the top-k
  ** postings), "title,body" per phrase separated by ';', "-" for unknown. */
  const char *dfs = nVal > 9 ? (const char *)sqlite3_value_text(apVal[9]) : NULL;
  int n = api->xPhraseCount(fts);
  r->nphrase = n;
  r->w = calloc((size_t)n + 1, sizeof *r->w);
  r->bonus = calloc((size_t)n + 1, 1);
  r->lead = calloc((size_t)n + 1, sizeof *r->lead);
  r->idf = calloc((size_t)n * NFIELD + 1, sizeof *r->idf);
  r->tf = calloc((size_t)n * NFIELD + 1, sizeof *r->tf);
  if (!r->w || !r->idf || !r->tf || !r->bonus || !r->lead) {
    rank_data_free(r);
    return SQLITE_NOMEM;
  }
  for (int i = 0; i < n; i++) {
    r->w[i] = 1.0;
    r->lead[i] = i;
    if (ws && *ws) {
      char *end;
      if (*ws == 's') {
        r->bonus[i] = 1;
        ws++;
      } else if (*ws == 'a' && i > 0) {
        r->lead[i] = r->lead[i - 1];
        ws++;
      }
      r->w[i] = strtod(ws, &end);
      ws = *end == ',' ? end + 1 : end;
    }
    if (r->lead[i] != i) r->w[i] = 0; /* counted with its word */
    if (r->w[i] > 0 && !r->bonus[i]) r->ncore++;
  }
  sqlite3_int64 nrow = 0, total;
  int rc = api->xRowCount(fts, &nrow);
  for (int f = 0; rc == SQLITE_OK && f < NFIELD; f++) {
    rc = api->xColumnTotalSize(fts, f, &total);
    r->avg[f] = qry_avg(nrow, total);
  }
  for (int i = 0; rc == SQLITE_OK && i < n; i++) {
    long long df[NFIELD] = {0};
    int known = 0;
    if (dfs && *dfs) {
      char *end;
      if (*dfs != '-') {
        df[0] = strtoll(dfs, &end, 10);
        if (*end == ',') {
          df[1] = strtoll(end + 1, &end, 10);
          known = 1;
        }
        dfs = end;
      }
      dfs += strcspn(dfs, ";");
      if (*dfs == ';') dfs++;
    }
    if (r->w[i] == 0) continue; /* excluded phrases never add to a score */
    if (!known) rc = api->xQueryPhrase(fts, i, df, count_df);
    for (int f = 0; f < NFIELD; f++) r->idf[i * NFIELD + f] = qry_idf(nrow, df[f]);
  }
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
    p = r->lead[p]; /* an alias's matches are its word's */
    r->tf[p * NFIELD + c]++;
    if (r->bonus[p] || r->w[p] == 0) continue;
    if (lastp >= 0 && lastc == c && lastp != p && o > lasto &&
        (gap == 0 || o - lasto < gap))
      gap = o - lasto;
    lastp = p;
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
  for (int p = 0; p < r->nphrase; p++) {
    if (r->w[p] == 0) continue;
    if (!r->bonus[p]) {
      int any = 0;
      for (int f = 0; f < NFIELD; f++) any |= r->tf[p * NFIELD + f] > 0;
      held += any;
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

/* cari_stats(): "N title_tokens body_tokens" of the whole index, the
** statistics cari_rank reads, for the pruned search (topk.c). */
static void cari_stats(const Fts5ExtensionApi *api, Fts5Context *fts,
                       sqlite3_context *ctx, int nVal, sqlite3_value **apVal) {
  sqlite3_int64 n = 0, t[NFIELD] = {0, 0};
  int rc = api->xRowCount(fts, &n);
  for (int f = 0; rc == SQLITE_OK && f < NFIELD; f++)
    rc = api->xColumnTotalSize(fts, f, &t[f]);
  if (rc != SQLITE_OK) {
    sqlite3_result_error_code(ctx, rc);
    return;
  }
  char buf[80];
  snprintf(buf, sizeof buf, "%lld %lld %lld", (long long)n, (long long)t[0],
           (long long)t[1]);
  sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
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
  r->coord = 1.0;
  r->coord_question = 0.0;
  r->coord_max = 100;
  r->prox = 0.25;
  r->prox_question = 0.0;
  r->index_surface = 0;
  r->index_informal = 0;
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
           "title, body, surface, coord, coord_question, coord_max, prox, "
           "prox_question, stop)",
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
