/*
** topk.c — ranked search for the best k articles without scoring every
** match. FTS5 ranks by calling cari_rank() on every article that matches;
** for a common word that is most of the collection. Here the top-k postings
** (indexer/postings.c) answer instead when they can, and FTS5 `ORDER BY
** rank` when they cannot; both give the same articles, in the same order,
** with the same scores to the last bit. It does not make snippets or read
** the articles' fields (search.c does).
**
** WHEN THE POSTINGS ANSWER
**
** The ranking is cari_rank with the build's k1 and b, on an index without
** surface forms; every phrase of the query (parse.c's expression) is one
** term, no prefix; k = offset + limit <= QRY_TOPK_MAX; the postings exist.
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
#define QRY_TOPK_MAX_STALE 256 /* more replaced articles: exhaustive */
#define BOUND_SLACK (1 + 1e-9) /* bounds are computed in another order */

struct qry_topk {
  sqlite3 *db;
  idx_analyzer *an; /* borrowed */
  /* The build, cached until the database changes. */
  long long seen_version, seen_changes;
  int have;           /* tables present and usable */
  int have_words;     /* cari_words present (a build since it exists) */
  char stamp[160];    /* the build's meta values: which doclen is cached */
  long long max_doc, last_doc;
  double avg_build[2], k1, b[2];
  long long *stale;   /* sorted rowids, nstale */
  int nstale;
  unsigned *len;      /* 2 per doc up to max_doc, owned */
  long long nlen;
  /* Dense per-article accumulators for several words, up to max_doc. */
  double *acc;
  uint64_t *mask;
  long long nacc;
  long long *touched;
  long long ntouched, captouched;
  sqlite3_stmt *term, *stats, *probe, *delta;
};

qry_topk *qry_topk_new(sqlite3 *db, idx_analyzer *an) {
  qry_topk *t = calloc(1, sizeof *t);
  if (!t) return NULL;
  t->db = db;
  t->an = an;
  t->seen_version = -1;
  return t;
}

struct idx_analyzer *qry_topk_analyzer(qry_topk *t) { return t->an; }

void qry_topk_free(qry_topk *t) {
  if (!t) return;
  sqlite3_finalize(t->term);
  sqlite3_finalize(t->stats);
  sqlite3_finalize(t->probe);
  sqlite3_finalize(t->delta);
  free(t->stale);
  free(t->len);
  free(t->acc);
  free(t->mask);
  free(t->touched);
  free(t);
}

void qry_result_free(qry_result *r) {
  if (!r) return;
  free(r->hit);
  for (int i = 0; i < r->nterm; i++) free(r->term[i]);
  free(r->term);
  free(r->termlen);
  free(r->expr);
  free(r->note);
  memset(r, 0, sizeof *r);
}

/* x: the failing call's SQLite code (indexer/sqlerr.c). */
static int sql_err(sqlite3 *db, int x, const char *what, char *err,
                   size_t errcap) {
  return idx_sql_fail(db, x, what, err, errcap);
}

/* ------------------------------------------------------------------ */
/* the build's state, reloaded when the database changed               */
/* ------------------------------------------------------------------ */

/* The first column of sql's first row (0 if none). *x keeps the SQLite
** code of the first failure (SQLITE_OK until then); after one, nothing runs. */
static long long scalar(sqlite3 *db, const char *sql, int *x) {
  long long v = 0;
  if (*x == SQLITE_OK) *x = idx_sql_int(db, sql, &v);
  return v;
}

static int load_doclen(qry_topk *t, char *err, size_t errcap) {
  free(t->len);
  t->len = NULL;
  t->nlen = t->max_doc + 1;
  t->len = calloc((size_t)t->nlen * 2, sizeof *t->len);
  if (!t->len) {
    snprintf(err, errcap, "out of memory");
    return CARI_NOMEM;
  }
  sqlite3_stmt *st;
  int x = sqlite3_prepare_v2(t->db, "SELECT chunk, data FROM cari_doclen", -1,
                             &st, NULL);
  if (x != SQLITE_OK)
    return sql_err(t->db, x, "cannot read the top-k lengths", err, errcap);
  int rc = CARI_OK;
  while ((x = sqlite3_step(st)) == SQLITE_ROW) {
    long long doc = sqlite3_column_int64(st, 0) * IDX_DOCLEN_CHUNK;
    const unsigned char *p = sqlite3_column_blob(st, 1);
    const unsigned char *end = p + sqlite3_column_bytes(st, 1);
    while (p && p < end && doc < t->nlen) {
      uint64_t v[2];
      int k0 = idx_varint_get(p, end, &v[0]);
      int k1 = k0 ? idx_varint_get(p + k0, end, &v[1]) : 0;
      if (!k1) {
        rc = CARI_CORRUPT;
        break;
      }
      p += k0 + k1;
      if (doc >= 0) {
        t->len[doc * 2] = (unsigned)v[0];
        t->len[doc * 2 + 1] = (unsigned)v[1];
      }
      doc++;
    }
  }
  if (x != SQLITE_DONE && rc == CARI_OK)
    rc = sql_err(t->db, x, "cannot read the top-k lengths", err, errcap);
  else if (rc == CARI_CORRUPT)
    snprintf(err, errcap, "the top-k lengths are damaged: run cari optimize");
  sqlite3_finalize(st);
  return rc;
}

/* Refresh what we know of the build when the database changed since the
** last search (PRAGMA data_version for other connections, total_changes for
** this one). Sets t->have. */
static int refresh(qry_topk *t, char *err, size_t errcap) {
  int x = SQLITE_OK; /* the first failure, for every scalar() below */
  long long ver = scalar(t->db, "PRAGMA data_version", &x);
  long long ch = sqlite3_total_changes64(t->db);
  if (x != SQLITE_OK)
    return sql_err(t->db, x, "cannot read the top-k state", err, errcap);
  if (ver == t->seen_version && ch == t->seen_changes) return CARI_OK;
  t->have = 0;
  sqlite3_stmt *st;
  x = sqlite3_prepare_v2(t->db,
                         "SELECT key, value FROM cari_meta WHERE key IN"
                         " ('topk_version','topk_max_doc','topk_avg_title',"
                         "'topk_avg_body','topk_k1','topk_b_title',"
                         "'topk_b_body','topk_build') ORDER BY key",
                         -1, &st, NULL);
  if (x != SQLITE_OK)
    return sql_err(t->db, x, "cannot read cari_meta", err, errcap);
  char stamp[sizeof t->stamp] = "";
  size_t n = 0;
  int nkey = 0, version = 0;
  while ((x = sqlite3_step(st)) == SQLITE_ROW) {
    const char *k = (const char *)sqlite3_column_text(st, 0);
    const char *v = (const char *)sqlite3_column_text(st, 1);
    if (!k || !v) { /* NOT NULL text: only out of memory gives NULL */
      x = SQLITE_NOMEM;
      break;
    }
    nkey++;
    n += (size_t)snprintf(stamp + n, n < sizeof stamp ? sizeof stamp - n : 0,
                          "%s;", v);
    double d = strtod(v, NULL);
    if (!strcmp(k, "topk_version")) version = atoi(v);
    else if (!strcmp(k, "topk_max_doc")) t->max_doc = atoll(v);
    else if (!strcmp(k, "topk_avg_title")) t->avg_build[0] = d;
    else if (!strcmp(k, "topk_avg_body")) t->avg_build[1] = d;
    else if (!strcmp(k, "topk_k1")) t->k1 = d;
    else if (!strcmp(k, "topk_b_title")) t->b[0] = d;
    else if (!strcmp(k, "topk_b_body")) t->b[1] = d;
  }
  sqlite3_finalize(st);
  if (x != SQLITE_DONE)
    return sql_err(t->db, x, "cannot read cari_meta", err, errcap);
  x = SQLITE_OK;
  if (nkey != 8 || version != IDX_TOPK_VERSION || t->max_doc < 0 ||
      t->max_doc > ((long long)1 << 32)) {
    t->seen_version = ver;
    t->seen_changes = ch;
    return CARI_OK; /* no (usable) postings: exhaustive */
  }
  if (strcmp(stamp, t->stamp) != 0 || !t->len) {
    int rc = load_doclen(t, err, errcap);
    if (rc) {
      t->stamp[0] = 0;
      return rc;
    }
    snprintf(t->stamp, sizeof t->stamp, "%s", stamp);
  }
  /* Replaced and removed articles, and whether any came after. */
  free(t->stale);
  t->stale = NULL;
  /* Marks above max_doc (left by a build that failed) are new articles. */
  char sql[120];
  snprintf(sql, sizeof sql,
           "SELECT count(*) FROM cari_stale WHERE doc <= %lld", t->max_doc);
  t->nstale = (int)scalar(t->db, sql, &x);
  if (t->nstale > QRY_TOPK_MAX_STALE) t->nstale = -1;
  if (x == SQLITE_OK && t->nstale > 0) {
    t->stale = malloc((size_t)t->nstale * sizeof *t->stale);
    if (!t->stale) {
      snprintf(err, errcap, "out of memory");
      return CARI_NOMEM;
    }
    int i = 0;
    snprintf(sql, sizeof sql,
             "SELECT doc FROM cari_stale WHERE doc <= %lld ORDER BY doc",
             t->max_doc);
    x = sqlite3_prepare_v2(t->db, sql, -1, &st, NULL);
    if (x == SQLITE_OK) {
      /* A failed step must not shorten the list: an article missing from
      ** it would be ranked from postings that no longer describe it. */
      while (i < t->nstale && (x = sqlite3_step(st)) == SQLITE_ROW)
        t->stale[i++] = sqlite3_column_int64(st, 0);
      if (x == SQLITE_ROW || x == SQLITE_DONE) x = SQLITE_OK;
      sqlite3_finalize(st);
      t->nstale = i;
    }
  }
  t->last_doc = scalar(t->db, "SELECT max(doc) FROM " IDX_TABLE, &x);
  t->have_words = (int)scalar(t->db,
                              "SELECT count(*) FROM sqlite_master WHERE"
                              " name = 'cari_words'",
                              &x) > 0;
  if (x != SQLITE_OK)
    return sql_err(t->db, x, "cannot read the top-k state", err, errcap);
  t->have = t->nstale >= 0;
  t->seen_version = ver;
  t->seen_changes = ch;
  return CARI_OK;
}

static int is_stale(const qry_topk *t, long long doc) {
  int lo = 0, hi = t->nstale - 1;
  while (lo <= hi) {
    int mid = (lo + hi) / 2;
    if (t->stale[mid] == doc) return 1;
    if (t->stale[mid] < doc) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

/* ------------------------------------------------------------------ */
/* the query's phrases                                                 */
/* ------------------------------------------------------------------ */

static int cmp_ll(const void *a, const void *b) {
  long long x = *(const long long *)a, y = *(const long long *)b;
  return x < y ? -1 : x > y;
}

typedef struct {
  char text[IDX_MAX_TOKEN * 4]; /* the phrase as quoted */
  int prefix;
  double w;
  int bonus;
  int alias;                    /* another form of the phrase `lead` */
  int lead;                     /* this phrase's word: itself, or its leader */
  int group;                    /* a leader with aliases: postings merged */
  int start, end;               /* its offsets in the expression */
  char term[IDX_MAX_TOKEN + 8]; /* its one index term, when single */
  int nterm;                    /* bytes of term; -1 if not one term */
  int found;                    /* a postings row exists */
  long long df[2];
  unsigned char *data;          /* owned copy of the blob */
  int ndata;
  idx_post_list list;
  idx_posting *flat;            /* owned: a prefix's merged postings, or NULL */
  int nflat;
  double idf[2];
} phrase;

/* Blocks of a phrase's postings: the term's own, or a prefix's merged. */
static int nblocks(const phrase *p) {
  return p->flat ? (p->nflat + IDX_POST_BLOCK - 1) / IDX_POST_BLOCK
                 : p->list.nblock;
}
static int get_block(const phrase *p, int b, idx_posting *buf) {
  if (!p->flat) return idx_post_block_decode(&p->list, b, buf);
  int c = p->nflat - b * IDX_POST_BLOCK;
  if (c > IDX_POST_BLOCK) c = IDX_POST_BLOCK;
  memcpy(buf, p->flat + (size_t)b * IDX_POST_BLOCK, (size_t)c * sizeof *buf);
  return c;
}

typedef struct {
  phrase *p;
  int n;
} phrases;

static void phrases_free(phrases *ps) {
  for (int i = 0; i < ps->n; i++) {
    free(ps->p[i].data);
    free(ps->p[i].flat);
    idx_post_list_free(&ps->p[i].list);
  }
  free(ps->p);
}

/* Split parse.c's expression into its quoted phrases, in order. */
static int split_phrases(const char *expr, const char *weights, phrases *ps) {
  int cap = 0;
  const char *s = expr;
  while ((s = strchr(s, '"'))) {
    if (ps->n == cap) {
      cap = cap ? cap * 2 : 8;
      phrase *np = realloc(ps->p, (size_t)cap * sizeof *np);
      if (!np) return CARI_NOMEM;
      ps->p = np;
    }
    phrase *p = &ps->p[ps->n++];
    memset(p, 0, sizeof *p);
    p->nterm = -1;
    p->w = 1.0;
    p->start = (int)(s - expr);
    size_t k = 0;
    for (s++; *s; s++) {
      if (*s == '"') {
        if (s[1] != '"') break;
        s++;
      }
      if (k + 1 < sizeof p->text) p->text[k++] = *s;
    }
    p->text[k] = 0;
    if (*s) s++;
    if (*s == '*') {
      p->prefix = 1;
      s++;
    }
    p->end = (int)(s - expr);
  }
  const char *w = weights ? weights : "";
  for (int i = 0; i < ps->n; i++) {
    ps->p[i].lead = i;
    if (!*w) continue;
    char *end;
    if (*w == 's') {
      ps->p[i].bonus = 1;
      w++;
    } else if (*w == 'a' && i > 0) { /* rank.c's aliases */
      ps->p[i].alias = 1;
      ps->p[i].lead = ps->p[i - 1].lead;
      ps->p[ps->p[i].lead].group = 1;
      w++;
    }
    ps->p[i].w = strtod(w, &end);
    if (ps->p[i].alias) ps->p[i].w = 0;
    w = *end == ',' ? end + 1 : end;
  }
  return CARI_OK;
}

typedef struct {
  phrase *p;
  int n;
} one_term;

static int on_term(void *ctx, const char *term, int n, int start, int end,
                   int colocated) {
  one_term *o = ctx;
  if (o->n++ == 0 && n <= IDX_MAX_TOKEN) {
    memcpy(o->p->term, term, (size_t)n);
    o->p->term[n] = 0;
    o->p->nterm = n;
  }
  return 0;
}

/* A prefix (FTS5 matches every index term starting with it): the merged
** postings of those terms, tf summed per field, df the articles holding
** any. Gives up (p->found 0: FTS5 counts) past PREFIX_MAX_POSTINGS. */
#define PREFIX_MAX_POSTINGS 4000000
static int merge_one(qry_topk *t, const void *blob, int nblob, unsigned **tf,
                     long long **docs, long long *nd, long long *total) {
  idx_post_list l;
  idx_posting buf[IDX_POST_BLOCK];
  int rc = idx_post_list_open(&l, blob, nblob);
  if (rc) return rc;
  if (!*tf) {
    *tf = calloc((size_t)(t->max_doc + 1) * 2, sizeof **tf);
    *docs = malloc((size_t)(t->max_doc + 1) * sizeof **docs);
    if (!*tf || !*docs) rc = CARI_NOMEM;
  }
  for (int b = 0; rc == CARI_OK && b < l.nblock; b++) {
    int c = idx_post_block_decode(&l, b, buf);
    if (c < 0) rc = CARI_CORRUPT;
    if ((*total += c) > PREFIX_MAX_POSTINGS) break;
    for (int j = 0; j < c; j++) {
      long long d = buf[j].doc;
      if (d > t->max_doc) continue;
      if (!(*tf)[d * 2] && !(*tf)[d * 2 + 1]) (*docs)[(*nd)++] = d;
      (*tf)[d * 2] += (unsigned)buf[j].tf[0];
      (*tf)[d * 2 + 1] += (unsigned)buf[j].tf[1];
    }
  }
  idx_post_list_free(&l);
  return rc;
}

static int merge_term(qry_topk *t, const phrase *a, unsigned **tf,
                      long long **docs, long long *nd, long long *total,
                      char *err, size_t errcap);
static int merge_rest(qry_topk *t, phrases *ps, int pi, int rc, unsigned *tf,
                      long long *docs, long long nd, long long total,
                      char *err, size_t errcap);

/* A prefix, or a word with aliases (topk.c's expansions): the merged
** postings of its terms and its aliases' terms. */
static int merge_prefix(qry_topk *t, phrases *ps, int pi, char *err,
                        size_t errcap) {
  phrase *p = &ps->p[pi];
  if (!p->prefix) { /* one term, then its aliases' */
    unsigned *tf = NULL;
    long long *docs = NULL, nd = 0, total = 0;
    int rc = merge_term(t, p, &tf, &docs, &nd, &total, err, errcap);
    return merge_rest(t, ps, pi, rc, tf, docs, nd, total, err, errcap);
  }
  char hi[IDX_MAX_TOKEN + 8];
  memcpy(hi, p->term, (size_t)p->nterm + 1);
  int n = p->nterm;
  while (n > 0 && (unsigned char)hi[n - 1] == 0xff) n--;
  if (n == 0) return CARI_OK;
  hi[n - 1]++;
  sqlite3_stmt *st;
  int x = sqlite3_prepare_v2(t->db,
                             "SELECT data FROM cari_postings WHERE term >= ?1"
                             " AND term < ?2",
                             -1, &st, NULL);
  if (x != SQLITE_OK)
    return sql_err(t->db, x, "cannot read the top-k postings", err, errcap);
  sqlite3_bind_text(st, 1, p->term, p->nterm, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, hi, n, SQLITE_STATIC);
  unsigned *tf = NULL;
  long long *docs = NULL, nd = 0, total = 0;
  int rc = CARI_OK;
  x = SQLITE_DONE;
  while (rc == CARI_OK && (x = sqlite3_step(st)) == SQLITE_ROW) {
    rc = merge_one(t, sqlite3_column_blob(st, 0), sqlite3_column_bytes(st, 0),
                   &tf, &docs, &nd, &total);
    if (total > PREFIX_MAX_POSTINGS) break;
  }
  if (rc == CARI_OK && x != SQLITE_ROW && x != SQLITE_DONE)
    rc = sql_err(t->db, x, "cannot read the top-k postings", err, errcap);
  sqlite3_finalize(st);
  return merge_rest(t, ps, pi, rc, tf, docs, nd, total, err, errcap);
}

/* One term's postings (a->term) into the accumulators. */
static int merge_term(qry_topk *t, const phrase *a, unsigned **tf,
                      long long **docs, long long *nd, long long *total,
                      char *err, size_t errcap) {
  int rc = CARI_OK;
  sqlite3_bind_text(t->term, 1, a->term, a->nterm, SQLITE_STATIC);
  int y = sqlite3_step(t->term);
  if (y == SQLITE_ROW)
    rc = merge_one(t, sqlite3_column_blob(t->term, 2),
                   sqlite3_column_bytes(t->term, 2), tf, docs, nd, total);
  else if (y != SQLITE_DONE)
    rc = sql_err(t->db, y, "cannot read the top-k postings", err, errcap);
  sqlite3_reset(t->term);
  return rc;
}

/* The aliases' terms after the leader's (they are other terms than the
** leader's: expand_prefixes made sure, so no article position counts
** twice), then the merged list as the leader's postings. Frees tf, docs. */
static int merge_rest(qry_topk *t, phrases *ps, int pi, int rc, unsigned *tf,
                      long long *docs, long long nd, long long total,
                      char *err, size_t errcap) {
  phrase *p = &ps->p[pi];
  for (int j = pi + 1; rc == CARI_OK && total <= PREFIX_MAX_POSTINGS &&
                       j < ps->n && ps->p[j].alias && ps->p[j].lead == pi;
       j++) {
    phrase *a = &ps->p[j];
    if (a->nterm < 0) continue;
    rc = merge_term(t, a, &tf, &docs, &nd, &total, err, errcap);
  }
  if (rc == CARI_OK && total <= PREFIX_MAX_POSTINGS) {
    if (nd > 1) qsort(docs, (size_t)nd, sizeof *docs, cmp_ll);
    p->flat = malloc((size_t)(nd + 1) * sizeof *p->flat);
    if (!p->flat) rc = CARI_NOMEM;
    for (long long i = 0; rc == CARI_OK && i < nd; i++) {
      long long d = docs[i];
      p->flat[i].doc = d;
      p->flat[i].tf[0] = (int)tf[d * 2];
      p->flat[i].tf[1] = (int)tf[d * 2 + 1];
      p->df[0] += tf[d * 2] > 0;
      p->df[1] += tf[d * 2 + 1] > 0;
    }
    if (rc == CARI_OK) {
      p->nflat = (int)nd;
      p->found = 1;
    }
  }
  free(tf);
  free(docs);
  if (rc == CARI_NOMEM) snprintf(err, errcap, "out of memory");
  else if (rc == CARI_CORRUPT)
    snprintf(err, errcap, "the top-k postings are damaged: run cari optimize");
  return rc;
}

/* Analyse each phrase; look up single terms' postings. */
/* Each phrase's one index term (nterm -1 when it has none or several). */
static int analyse_phrases(qry_topk *t, phrases *ps, char *err,
                           size_t errcap) {
  for (int i = 0; i < ps->n; i++) {
    phrase *p = &ps->p[i];
    p->nterm = -1;
    if (p->bonus || !p->text[0] || p->text[0] == IDX_SURFACE_MARK) continue;
    one_term o = {p, 0};
    if (idx_analyze(t->an, p->text, (int)strlen(p->text),
                    p->prefix ? IDX_NOSTEM : 0, on_term, &o) < 0) {
      snprintf(err, errcap, "out of memory");
      return CARI_NOMEM;
    }
    if (o.n != 1) p->nterm = -1;
  }
  return CARI_OK;
}

static int lookup(qry_topk *t, phrases *ps, int have, char *err,
                  size_t errcap) {
  int rc = analyse_phrases(t, ps, err, errcap);
  if (rc || !have) return rc;
  int y;
  if (!t->term &&
      (y = sqlite3_prepare_v3(t->db,
                              "SELECT df_title, df_body, data FROM"
                              " cari_postings WHERE term = ?1",
                              -1, SQLITE_PREPARE_PERSISTENT, &t->term,
                              NULL)) != SQLITE_OK)
    return sql_err(t->db, y, "cannot read the top-k postings", err, errcap);
  for (int i = 0; i < ps->n; i++) {
    phrase *p = &ps->p[i];
    if (p->nterm < 0 || p->alias) continue; /* aliases: in their leader */
    if (p->prefix || p->group) {
      rc = merge_prefix(t, ps, i, err, errcap);
      if (rc) return rc;
      continue;
    }
    sqlite3_bind_text(t->term, 1, p->term, p->nterm, SQLITE_STATIC);
    int x = sqlite3_step(t->term);
    if (x == SQLITE_ROW) {
      p->found = 1;
      p->df[0] = sqlite3_column_int64(t->term, 0);
      p->df[1] = sqlite3_column_int64(t->term, 1);
      p->ndata = sqlite3_column_bytes(t->term, 2);
      p->data = malloc((size_t)p->ndata + 1);
      if (!p->data) rc = CARI_NOMEM;
      else if (p->ndata)
        memcpy(p->data, sqlite3_column_blob(t->term, 2), (size_t)p->ndata);
      if (rc == CARI_OK) rc = idx_post_list_open(&p->list, p->data, p->ndata);
      if (rc == CARI_NOMEM) snprintf(err, errcap, "out of memory");
      else if (rc) snprintf(err, errcap, "top-k postings of '%s' are damaged: "
                            "run cari optimize", p->term);
    } else if (x != SQLITE_DONE) {
      rc = sql_err(t->db, x, "cannot read the top-k postings", err, errcap);
    }
    sqlite3_reset(t->term);
    if (rc) return rc;
  }
  return CARI_OK;
}

/* ------------------------------------------------------------------ */
/* the k best                                                          */
/* ------------------------------------------------------------------ */

typedef struct {
  qry_hit *h; /* a heap: the worst kept hit at h[0] */
  int n, k;
  const qry_filter *f; /* NULL, or only the articles it passes enter */
} heap;

/* Does the filter (if any) let article d in? Checked before scoring. */
static int passes(const heap *H, long long d) {
  return !H->f || qry_filter_has(H->f, d);
}

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
  if (!passes(H, doc)) return;
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

/* cari_rank's arguments as text (numbers as C's "%.17g", see num() in
** rank.c), for binding to statements that call it directly. */
typedef struct {
  char num[8][32]; /* k1 b_title b_body W_title W_body coord coord_max prox */
  const char *weights;
  char *dfs;       /* sqlite3_malloc'd */
} rank_args;

typedef struct {
  const rank_args *ra;
  const qry_ranking *r;
  double coord, prox; /* as this query applies them */
  long long nrow;
  double avg[2];
  int ncore;
  const char *expr, *rankfn;
} scoring;

static int cmp_hit(const void *a, const void *b) {
  return before(a, b) ? -1 : before(b, a) ? 1 : 0;
}

/* FTS5 scores rows of the expression: rowid > from (one statement), or
** rowid = from (eq). Every row is pushed. cari_rank is called directly,
** its arguments bound: cheaper per statement than `rank MATCH` text, and
** the same function on the same arguments. */
static int fts_score(qry_topk *t, const scoring *S, heap *H, long long from,
                     int eq, char *err, size_t errcap) {
  sqlite3_stmt **st = eq ? &t->probe : &t->delta;
#define RANK_CALL "SELECT rowid, -cari_rank(" IDX_FTS ", ?2, ?3, ?4, ?5, ?6, " \
                  "?7, ?8, ?9, ?10, ?11) FROM " IDX_FTS " WHERE " IDX_FTS     \
                  " MATCH ?1 AND rowid "
  int x;
  if (!*st &&
      (x = sqlite3_prepare_v3(t->db, eq ? RANK_CALL "= ?12" : RANK_CALL "> ?12",
                              -1, SQLITE_PREPARE_PERSISTENT, st,
                              NULL)) != SQLITE_OK)
    return sql_err(t->db, x, "cannot prepare the search", err, errcap);
#undef RANK_CALL
  const rank_args *a = S->ra;
  sqlite3_bind_text(*st, 1, S->expr, -1, SQLITE_STATIC);
  for (int i = 0; i < 5; i++)
    sqlite3_bind_text(*st, 2 + i, a->num[i], -1, SQLITE_STATIC);
  sqlite3_bind_text(*st, 7, a->weights, -1, SQLITE_STATIC);
  for (int i = 5; i < 8; i++)
    sqlite3_bind_text(*st, 3 + i, a->num[i], -1, SQLITE_STATIC);
  sqlite3_bind_text(*st, 11, a->dfs ? a->dfs : "", -1, SQLITE_STATIC);
  sqlite3_bind_int64(*st, 12, from);
  while ((x = sqlite3_step(*st)) == SQLITE_ROW)
    push(H, sqlite3_column_int64(*st, 0), sqlite3_column_double(*st, 1), -1);
  sqlite3_reset(*st);
  if (x != SQLITE_DONE) return sql_err(t->db, x, "search failed", err, errcap);
  return CARI_OK;
}

static int excluded(const phrases *ps, const long long *ex, int nex,
                    long long doc) {
  (void)ps;
  int lo = 0, hi = nex - 1;
  while (lo <= hi) {
    int mid = (lo + hi) / 2;
    if (ex[mid] == doc) return 1;
    if (ex[mid] < doc) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}


/* Every article holding an excluded phrase's term, sorted. */
static int excluded_docs(const phrases *ps, long long **out, int *nout) {
  long long n = 0, cap = 0, *v = NULL;
  idx_posting buf[IDX_POST_BLOCK];
  for (int i = 0; i < ps->n; i++) {
    const phrase *p = &ps->p[i];
    if (p->w != 0 || !p->found || p->alias) continue;
    for (int b = 0; b < nblocks(p); b++) {
      int c = get_block(p, b, buf);
      if (c < 0) {
        free(v);
        return CARI_CORRUPT;
      }
      if (n + c > cap) {
        cap = (n + c) * 2;
        long long *nv = realloc(v, (size_t)cap * sizeof *nv);
        if (!nv) {
          free(v);
          return CARI_NOMEM;
        }
        v = nv;
      }
      for (int j = 0; j < c; j++) v[n++] = buf[j].doc;
    }
  }
  if (n > 1) qsort(v, (size_t)n, sizeof *v, cmp_ll);
  *out = v;
  *nout = (int)n;
  return CARI_OK;
}

/* The exact score of a posting of a one-word query. */
static double one_score(const qry_topk *t, const scoring *S, const phrase *p,
                        const idx_posting *x) {
  double s = 0;
  const unsigned *len = &t->len[x->doc * 2];
  for (int f = 0; f < 2; f++) {
    double W = f ? S->r->w_body : S->r->w_title;
    if (!x->tf[f] || W == 0) continue;
    s += qry_field_score(W, p->idf[f], x->tf[f], S->r->k1,
                         f ? S->r->b_body : S->r->b_title, (double)len[f],
                         S->avg[f]);
  }
  double score = 0;
  score += p->w * s;
  return score;
}

/* Block-max top-k for one positive term. */
static int run_one(qry_topk *t, const scoring *S, phrase *p, heap *H,
                   const long long *ex, int nex) {
  int nb = nblocks(p);
  if (!nb) return CARI_OK;
  double drift[2], W[2] = {S->r->w_title, S->r->w_body};
  for (int f = 0; f < 2; f++)
    drift[f] = S->avg[f] > t->avg_build[f] && t->avg_build[f] > 0
                   ? S->avg[f] / t->avg_build[f]
                   : 1.0;
  qry_hit *order = malloc((size_t)nb * sizeof *order);
  if (!order) return CARI_NOMEM;
  for (int b = 0; b < nb; b++) {
    double u = p->flat ? 0
                       : idx_post_bound(&p->list.blk[b],
                                        W[0] * p->idf[0] * drift[0],
                                        W[1] * p->idf[1] * drift[1]);
    order[b].doc = b;
    order[b].score = p->flat ? HUGE_VAL : u * p->w * BOUND_SLACK;
  }
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
    int c = get_block(p, (int)top.doc, buf);
    if (c < 0) {
      rc = CARI_CORRUPT;
      break;
    }
    for (int j = 0; j < c; j++) {
      long long d = buf[j].doc;
      if (d > t->max_doc || !passes(H, d) || (t->nstale && is_stale(t, d)) ||
          (nex && excluded(NULL, ex, nex, d)))
        continue;
      push(H, d, one_score(t, S, p, &buf[j]), buf[j].tf[1] > 0);
    }
  }
  free(order);
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
  if (t->nacc >= t->max_doc + 1) return CARI_OK;
  free(t->acc);
  free(t->mask);
  t->nacc = t->max_doc + 1;
  t->acc = calloc((size_t)t->nacc, sizeof *t->acc);
  t->mask = calloc((size_t)t->nacc, sizeof *t->mask);
  if (!t->acc || !t->mask) {
    free(t->acc);
    free(t->mask);
    t->acc = NULL;
    t->mask = NULL;
    t->nacc = 0;
    return CARI_NOMEM;
  }
  return CARI_OK;
}

/* Several positive terms: exact BM25 sums from all postings; proximity
** from FTS5 for the few articles whose bound reaches the k best. */
static int run_many(qry_topk *t, const scoring *S, phrases *ps, heap *H,
                    const long long *ex, int nex, char *err, size_t errcap) {
  int rc = grow_acc(t);
  if (rc) return rc;
  t->ntouched = 0;
  idx_posting buf[IDX_POST_BLOCK];
  double W[2] = {S->r->w_title, S->r->w_body};
  double bf[2] = {S->r->b_title, S->r->b_body};
  int bit = 0;
  for (int i = 0; i < ps->n && rc == CARI_OK; i++) {
    phrase *p = &ps->p[i];
    if (p->w == 0) continue;
    uint64_t m = (uint64_t)1 << (bit++ & 63);
    if (!p->found) continue;
    for (int b = 0; b < nblocks(p) && rc == CARI_OK; b++) {
      int c = get_block(p, b, buf);
      if (c < 0) {
        rc = CARI_CORRUPT;
        break;
      }
      for (int j = 0; j < c; j++) {
        long long d = buf[j].doc;
        if (d > t->max_doc || !passes(H, d)) continue;
        if (!t->mask[d]) {
          if (t->ntouched == t->captouched) {
            long long cap = t->captouched ? t->captouched * 2 : 4096;
            long long *nt = realloc(t->touched, (size_t)cap * sizeof *nt);
            if (!nt) {
              rc = CARI_NOMEM;
              break;
            }
            t->touched = nt;
            t->captouched = cap;
          }
          t->touched[t->ntouched++] = d;
          t->acc[d] = 0;
        }
        t->mask[d] |= m;
        double s = 0;
        const unsigned *len = &t->len[d * 2];
        for (int f = 0; f < 2; f++) {
          if (!buf[j].tf[f] || W[f] == 0) continue;
          s += qry_field_score(W[f], p->idf[f], buf[j].tf[f], S->r->k1, bf[f],
                               (double)len[f], S->avg[f]);
        }
        t->acc[d] += p->w * s;
      }
    }
  }
  /* Final scores for articles with one word; bounds for the others. The
  ** k-th best lower bound (every score >= its BM25 part) prunes early. */
  qry_hit *cand = NULL;
  long long ncand = 0;
  heap low = {NULL, 0, H->k, H->f};
  if (rc == CARI_OK) {
    cand = malloc((size_t)(t->ntouched + 1) * sizeof *cand);
    low.h = malloc((size_t)H->k * sizeof *low.h);
    if (!cand || !low.h) rc = CARI_NOMEM;
  }
  double coordf[66] = {0};
  for (long long i = 0; rc == CARI_OK && i < t->ntouched; i++) {
    long long d = t->touched[i];
    if ((t->nstale && is_stale(t, d)) || (nex && excluded(ps, ex, nex, d)))
      continue;
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
  for (long long i = 0; i < t->ntouched; i++) t->mask[t->touched[i]] = 0;
  if (rc == CARI_OK) rc = proximity(t, S, H, &low, cand, ncand, err, errcap);
  free(cand);
  free(low.h);
  return rc;
}

/* A term's postings read in article order, a block at a time. */
typedef struct {
  const phrase *p;
  int idx;          /* its place among the query's phrases */
  double ub;        /* bound of w * s over all its postings */
  double *bb;       /* bound per block (points into one shared array) */
  int nb, b, n, i;  /* blocks; current block; decoded count (-1: not yet) */
  idx_posting buf[IDX_POST_BLOCK];
} cursor;

static long long cur_doc(cursor *c) {
  if (c->b >= c->nb) return INT64_MAX;
  if (c->n < 0) {
    c->n = get_block(c->p, c->b, c->buf);
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

/* Move to the first posting at or after doc d; blocks ending before d are
** skipped without decoding. */
static void cur_seek(cursor *c, long long d) {
  while (c->b < c->nb && c->p->list.blk[c->b].last < d) {
    c->b++;
    c->n = -1;
  }
  while (cur_doc(c) < d) cur_next(c);
}

/* w * s for the posting under the cursor; *fields gets the fields it is in. */
static double cur_score(const qry_topk *t, const scoring *S, cursor *c,
                        int *fields) {
  const idx_posting *x = &c->buf[c->i];
  const unsigned *len = &t->len[x->doc * 2];
  double W[2] = {S->r->w_title, S->r->w_body};
  double bf[2] = {S->r->b_title, S->r->b_body};
  double s = 0;
  *fields = 0;
  for (int f = 0; f < 2; f++) {
    if (x->tf[f]) *fields |= 1 << f;
    if (!x->tf[f] || W[f] == 0) continue;
    s += qry_field_score(W[f], c->p->idf[f], x->tf[f], S->r->k1, bf[f],
                         (double)len[f], S->avg[f]);
  }
  return s;
}

/* Bound of the cursor's term on articles in [lo, hi]: the largest bound of
** its blocks that may hold one (0 when none). Moves past blocks before lo. */
static double range_bound(cursor *c, long long lo, long long hi) {
  while (c->b < c->nb && c->p->list.blk[c->b].last < lo) {
    c->b++;
    c->n = -1;
  }
  double u = -1; /* no block */
  for (int b = c->b; b < c->nb && c->p->list.blk[b].first_after < hi; b++)
    if (c->bb[b] > u) u = c->bb[b];
  return u;
}

/* Add the posting under c to the article's tally: its w * s by phrase
** (ws, has), their sum, the words held, and per field how many it is in. */
static void take(const qry_topk *t, const scoring *S, cursor *c, double *ws,
                 char *has, double *sum, int *held, int fields[2]) {
  int fl;
  double w = c->p->w * cur_score(t, S, c, &fl);
  ws[c->idx] = w;
  has[c->idx] = 1;
  *sum += w;
  (*held)++;
  for (int f = 0; f < 2; f++) fields[f] += (fl >> f) & 1;
}

static int cmp_ub(const void *a, const void *b) {
  const cursor *x = *(cursor *const *)a, *y = *(cursor *const *)b;
  return x->ub < y->ub ? -1 : x->ub > y->ub;
}

/* Several positive terms, block-max MaxScore: terms are ordered by their
** bound; the cheapest ones whose bounds together cannot reach the k-th best
** score so far are "non-essential": only the articles of the others are
** visited (whole blocks skipped when their bounds are too low), and the
** non-essential lists are only probed for those articles. Scores are the
** exact BM25 sums times coordination, summed in phrase order as cari_rank
** does; proximity as in run_many. */
static int run_maxscore(qry_topk *t, const scoring *S, phrases *ps, heap *H,
                        const long long *ex, int nex, char *err,
                        size_t errcap) {
  int n = 0, nbt = 0;
  for (int i = 0; i < ps->n; i++)
    if (ps->p[i].w > 0 && ps->p[i].found) {
      n++;
      nbt += nblocks(&ps->p[i]);
    }
  cursor *cs = calloc((size_t)n + 1, sizeof *cs);
  cursor **ord = calloc((size_t)n + 1, sizeof *ord);
  double *bbs = malloc(((size_t)nbt + 1) * sizeof *bbs);
  double *ws = calloc((size_t)ps->n + 1, sizeof *ws);
  char *has = calloc((size_t)ps->n + 1, 1);
  qry_hit *cand = NULL;
  long long ncand = 0, capcand = 0;
  heap low = {malloc((size_t)H->k * sizeof(qry_hit)), 0, H->k, H->f};
  int rc = CARI_OK;
  if (!cs || !ord || !bbs || !ws || !has || !low.h) rc = CARI_NOMEM;
  double drift[2], W[2] = {S->r->w_title, S->r->w_body};
  for (int f = 0; f < 2; f++)
    drift[f] = S->avg[f] > t->avg_build[f] && t->avg_build[f] > 0
                   ? S->avg[f] / t->avg_build[f]
                   : 1.0;
  int k = 0, off = 0;
  for (int i = 0; rc == CARI_OK && i < ps->n; i++) {
    phrase *p = &ps->p[i];
    if (!(p->w > 0 && p->found)) continue;
    cursor *c = &cs[k];
    c->p = p;
    c->idx = i;
    c->nb = nblocks(p);
    c->n = -1;
    c->bb = bbs + off;
    off += c->nb;
    for (int b = 0; b < c->nb; b++) {
      double u = idx_post_bound(&p->list.blk[b], W[0] * p->idf[0] * drift[0],
                                W[1] * p->idf[1] * drift[1]);
      c->bb[b] = u * p->w * BOUND_SLACK;
      if (c->bb[b] > c->ub) c->ub = c->bb[b];
    }
    ord[k++] = c;
  }
  if (rc == CARI_OK) qsort(ord, (size_t)n, sizeof *ord, cmp_ub);
  /* Coordination for h words held; the proximity bonus is at most 1+prox. */
  double coordf[66];
  for (int h = 0; h <= 65; h++)
    coordf[h] = qry_coord(1.0, h, S->ncore, S->coord, S->r->coord_max);
  double pf = S->prox > 0 ? 1 + S->prox : 1;
#define BOUND(h, sum) \
  ((h) <= 0 ? 0.0 : ((h) >= 2 ? pf : 1.0) * coordf[(h) > 65 ? 65 : (h)] * (sum))
  double *pre = calloc((size_t)n + 1, sizeof *pre); /* pre[j]: ub of ord[<j] */
  double *rb = calloc((size_t)n + 1, sizeof *rb);
  if (!pre || !rb) rc = CARI_NOMEM;
  for (int j = 0; rc == CARI_OK && j < n; j++) pre[j + 1] = pre[j] + ord[j]->ub;
  int m = 0; /* ord[0..m) are non-essential */
  while (rc == CARI_OK) {
    double theta = low.n == low.k ? low.h[0].score : -HUGE_VAL;
    while (m < n && BOUND(m + 1, pre[m + 1]) < theta) m++;
    if (m == n) break;
    long long d = INT64_MAX, end = INT64_MAX;
    for (int j = m; j < n; j++) {
      long long x = cur_doc(ord[j]);
      if (x < d) d = x;
      if (ord[j]->b < ord[j]->nb) {
        long long last = ord[j]->p->list.blk[ord[j]->b].last;
        if (last < end) end = last;
      }
    }
    if (d == INT64_MAX) break;
    /* Shallow: every article in [d, end] is bounded by the essential
    ** terms' current blocks. */
    double sb = 0;
    int hb = 0;
    for (int j = m; j < n; j++) {
      cursor *c = ord[j];
      if (c->b < c->nb && c->p->list.blk[c->b].first_after < end) {
        sb += c->bb[c->b];
        hb++;
      }
    }
    if (BOUND(hb + m, sb + pre[m]) < theta) {
      for (int j = m; j < n; j++) cur_seek(ord[j], end + 1);
      continue;
    }
    /* Tighter: the non-essential terms' own blocks over [d, end]. */
    double sne = 0;
    int hne = 0;
    for (int j = 0; j < m; j++) {
      double u = range_bound(ord[j], d, end);
      if (u < 0) continue;
      sne += u;
      hne++;
    }
    if (BOUND(hb + hne, sb + sne) < theta) {
      for (int j = m; j < n; j++) cur_seek(ord[j], end + 1);
      continue;
    }
    if (!passes(H, d)) { /* filtered out: not scored */
      for (int j = m; j < n; j++)
        if (cur_doc(ord[j]) == d) cur_next(ord[j]);
      continue;
    }
    /* The article d: essential terms exactly, then the others probed. */
    int held = 0, fields[2] = {0, 0};
    double sum = 0;
    memset(has, 0, (size_t)ps->n);
    for (int j = m; j < n; j++)
      if (cur_doc(ord[j]) == d)
        take(t, S, ord[j], ws, has, &sum, &held, fields);
    /* rest[j]: the bound of ord[<j] on article d (their blocks holding d) */
    double rest = 0;
    int nrest = 0;
    for (int j = 0; j < m; j++) {
      double u = range_bound(ord[j], d, d);
      rb[j] = u;
      if (u < 0) continue;
      rest += u;
      nrest++;
    }
    int skip = BOUND(held + nrest, sum + rest) < theta;
    for (int j = m - 1; !skip && j >= 0; j--) {
      cursor *c = ord[j];
      if (rb[j] < 0) continue; /* no block of it can hold d */
      rest -= rb[j];
      nrest--;
      cur_seek(c, d);
      if (cur_doc(c) == d) take(t, S, c, ws, has, &sum, &held, fields);
      skip = BOUND(held + nrest, sum + rest) < theta;
    }
    if (!skip && d <= t->max_doc && !(t->nstale && is_stale(t, d)) &&
        !(nex && excluded(ps, ex, nex, d))) {
      double acc = 0; /* in phrase order, as cari_rank adds */
      for (int i = 0; i < ps->n; i++)
        if (has[i]) acc += ws[i];
      double base = coordf[held] == 1.0 ? acc : acc * coordf[held];
      if (held < 2 || S->prox <= 0 || (fields[0] < 2 && fields[1] < 2)) {
        push(H, d, base, fields[1] > 0);
      } else {
        if (ncand == capcand) {
          capcand = capcand ? capcand * 2 : 256;
          qry_hit *nc = realloc(cand, (size_t)capcand * sizeof *nc);
          if (!nc) {
            rc = CARI_NOMEM;
            break;
          }
          cand = nc;
        }
        cand[ncand].doc = d;
        cand[ncand++].score = base * pf * BOUND_SLACK;
      }
      push(&low, d, base, -1);
    }
    for (int j = m; j < n; j++)
      if (cur_doc(ord[j]) == d) cur_next(ord[j]);
  }
#undef BOUND
  for (int j = 0; cs && j < n; j++) /* cs is NULL when its calloc failed */
    if (cs[j].n == -2) rc = CARI_CORRUPT;
  if (rc == CARI_OK) rc = proximity(t, S, H, &low, cand, ncand, err, errcap);
  free(pre);
  free(rb);
  free(cs);
  free(ord);
  free(bbs);
  free(ws);
  free(has);
  free(cand);
  free(low.h);
  return rc;
}

/* ------------------------------------------------------------------ */
/* the search                                                          */
/* ------------------------------------------------------------------ */

/* A stems-only index holds `buat`, not `membuat`: a prefix such as
** `membua*` matches no term. The build's table of words as written
** (cari_words) gives the terms of the words the prefix begins; each one
** not already matched by the prefix becomes an alias phrase ("a0" in the
** weights, see rank.c) after it. Only terms the analyzer gives back
** unchanged, so FTS5 looks up exactly that term. At most QRY_MAX_ALIASES
** per prefix.
**
** A prefix that begins more than QRY_PREFIX_MAX_TERMS index terms (`ke*`)
** would make FTS5 read and merge every one of them, on every query that
** names it (the search, each article rescored, the count): it is replaced
** by its QRY_PREFIX_MAX_TERMS most frequent terms (by df_title + df_body in
** the top-k postings, then in byte order), the first as the phrase and the
** others as its aliases, so that they still count as one word. Both the
** pruned and the exhaustive search then rank this same expression, and
** *note says what was cut. Terms the analyzer would change are passed over
** as for aliases. *out_expr and *out_weights stay NULL when nothing is
** added or replaced. */
#define QRY_MAX_ALIASES 16

/* Phrase p's prefix range [p->term, hi): hi's length, 0 if it has none. */
static int prefix_hi(const phrase *p, char *hi) {
  memcpy(hi, p->term, (size_t)p->nterm);
  int nh = p->nterm;
  while (nh > 0 && (unsigned char)hi[nh - 1] == 0xff) nh--;
  if (nh > 0) hi[nh - 1]++;
  return nh;
}

/* Does FTS5 look up exactly `term` when given it quoted? (The analyzer
** gives it back unchanged.) -1 on out of memory. */
static int term_stable(qry_topk *t, const char *term, int n) {
  phrase q;
  memset(&q, 0, sizeof q);
  one_term o = {&q, 0};
  q.nterm = -1;
  if (idx_analyze(t->an, term, n, 0, on_term, &o) < 0) return -1;
  return o.n == 1 && q.nterm == n && memcmp(q.term, term, (size_t)n) == 0;
}

/* The prefix's most frequent terms as one phrase and its aliases, into E
** and W, when it begins more than QRY_PREFIX_MAX_TERMS terms. *capped 1
** when it did (then the phrase itself is not written), 0 otherwise. */
static int cap_prefix(qry_topk *t, sqlite3_stmt *count, sqlite3_stmt *top,
                      const phrase *p, const char *hi, int nh, const char *w,
                      sqlite3_str *E, sqlite3_str *W, sqlite3_str *N,
                      int *capped, char *err, size_t errcap) {
  *capped = 0;
  sqlite3_bind_text(count, 1, p->term, p->nterm, SQLITE_STATIC);
  sqlite3_bind_text(count, 2, hi, nh, SQLITE_STATIC);
  sqlite3_bind_int(count, 3, 1000000);
  int x = sqlite3_step(count);
  long long nterms = x == SQLITE_ROW ? sqlite3_column_int64(count, 0) : 0;
  sqlite3_reset(count);
  if (x != SQLITE_ROW)
    return sql_err(t->db, x, "cannot read the top-k postings", err, errcap);
  if (nterms <= QRY_PREFIX_MAX_TERMS) return CARI_OK;
  sqlite3_bind_text(top, 1, p->term, p->nterm, SQLITE_STATIC);
  sqlite3_bind_text(top, 2, hi, nh, SQLITE_STATIC);
  int kept = 0, rc = CARI_OK;
  while (kept < QRY_PREFIX_MAX_TERMS && (x = sqlite3_step(top)) == SQLITE_ROW) {
    const char *term = (const char *)sqlite3_column_text(top, 0);
    int n = sqlite3_column_bytes(top, 0);
    if (!term) { /* a term is never NULL: its copy ran out of memory */
      rc = CARI_NOMEM;
      break;
    }
    if (n <= 0 || n > IDX_MAX_TOKEN || strchr(term, '"')) continue;
    int ok = term_stable(t, term, n);
    if (ok < 0) {
      rc = CARI_NOMEM;
      break;
    }
    if (!ok) continue;
    sqlite3_str_appendf(E, "%s\"%s\"", kept ? " OR " : "", term);
    if (kept) sqlite3_str_appendall(W, ",a0");
    else if (*w) sqlite3_str_append(W, w, (int)strcspn(w, ","));
    else sqlite3_str_appendchar(W, 1, '1');
    kept++;
  }
  if (rc == CARI_OK && x != SQLITE_ROW && x != SQLITE_DONE)
    rc = sql_err(t->db, x, "cannot read the top-k postings", err, errcap);
  sqlite3_reset(top);
  if (rc) return rc;
  if (kept == 0) { /* none FTS5 would find as is: the prefix as a word */
    sqlite3_str_appendf(E, "\"%s\"", p->term);
    if (*w) sqlite3_str_append(W, w, (int)strcspn(w, ","));
    else sqlite3_str_appendchar(W, 1, '1');
  }
  sqlite3_str_appendf(N, "%s'%s*' (of %lld)",
                      sqlite3_str_length(N) ? ", " : "", p->text, nterms);
  *capped = 1;
  return CARI_OK;
}

static int expand_prefixes(qry_topk *t, const char *expr, const char *weights,
                           char **out_expr, char **out_weights,
                           char **out_note, char *err, size_t errcap) {
  *out_expr = *out_weights = *out_note = NULL;
  phrases ps = {NULL, 0};
  int rc = split_phrases(expr, weights, &ps), added = 0;
  if (rc == CARI_OK) rc = analyse_phrases(t, &ps, err, errcap);
  int any = 0;
  for (int i = 0; i < ps.n; i++)
    any |= ps.p[i].prefix && !ps.p[i].bonus && !ps.p[i].alias && ps.p[i].nterm > 0;
  if (rc || !any) {
    phrases_free(&ps);
    if (rc == CARI_NOMEM) snprintf(err, errcap, "out of memory");
    return rc;
  }
  sqlite3_stmt *st = NULL, *count = NULL, *top = NULL;
  int y = SQLITE_OK;
  if ((t->have_words &&
       (y = sqlite3_prepare_v2(t->db,
                               "SELECT DISTINCT term FROM cari_words WHERE"
                               " word >= ?1 AND word < ?2 ORDER BY term",
                               -1, &st, NULL)) != SQLITE_OK) ||
      (y = sqlite3_prepare_v2(t->db,
                              "SELECT count(*) FROM (SELECT 1 FROM"
                              " cari_postings WHERE term >= ?1 AND term < ?2"
                              " LIMIT ?3)",
                              -1, &count, NULL)) != SQLITE_OK ||
      (y = sqlite3_prepare_v2(t->db,
                              "SELECT term FROM cari_postings WHERE term >= ?1"
                              " AND term < ?2 ORDER BY df_title + df_body"
                              " DESC, term",
                              -1, &top, NULL)) != SQLITE_OK) {
    rc = sql_err(t->db, y, "cannot read the top-k words", err, errcap);
    sqlite3_finalize(st);
    sqlite3_finalize(count);
    phrases_free(&ps);
    return rc;
  }
  sqlite3_str *E = sqlite3_str_new(NULL), *W = sqlite3_str_new(NULL);
  sqlite3_str *N = sqlite3_str_new(NULL);
  const char *w = weights ? weights : "";
  int last = 0;
  for (int i = 0; i < ps.n && rc == CARI_OK; i++) {
    phrase *p = &ps.p[i];
    int expand = p->prefix && !p->bonus && !p->alias && p->nterm > 0;
    char hi[IDX_MAX_TOKEN + 8];
    int nh = expand ? prefix_hi(p, hi) : 0;
    int capped = 0;
    if (i) sqlite3_str_appendchar(W, 1, ',');
    if (nh > 0) {
      sqlite3_str_append(E, expr + last, p->start - last);
      rc = cap_prefix(t, count, top, p, hi, nh, w, E, W, N, &capped, err,
                      errcap);
      if (rc) break;
      added += capped;
      last = capped ? p->end : p->start;
    }
    sqlite3_str_append(E, expr + last, p->end - last);
    last = p->end;
    /* this phrase's weight, as given (unless cap_prefix wrote it) */
    size_t nw = strcspn(w, ",");
    if (!capped) {
      if (nw) sqlite3_str_append(W, w, (int)nw);
      else sqlite3_str_appendchar(W, 1, '1');
    }
    w += nw + (w[nw] == ',');
    if (nh == 0 || !st) continue;
    sqlite3_bind_text(st, 1, p->term, p->nterm, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, hi, nh, SQLITE_STATIC);
    int nalias = 0, x = SQLITE_DONE;
    while (nalias < QRY_MAX_ALIASES && (x = sqlite3_step(st)) == SQLITE_ROW) {
      const char *term = (const char *)sqlite3_column_text(st, 0);
      int n = sqlite3_column_bytes(st, 0);
      if (!term || n <= 0 || n > IDX_MAX_TOKEN || strchr(term, '"') ||
          (n >= p->nterm && memcmp(term, p->term, (size_t)p->nterm) == 0))
        continue; /* the prefix matches it already */
      int ok = term_stable(t, term, n);
      if (ok < 0) {
        rc = CARI_NOMEM;
        break;
      }
      if (!ok) continue; /* FTS5 would look up another term */
      sqlite3_str_appendf(E, " OR \"%s\"", term);
      sqlite3_str_appendall(W, ",a0");
      nalias++;
      added++;
    }
    /* A failed step must not drop aliases: the answer would change. */
    if (rc == CARI_OK && x != SQLITE_ROW && x != SQLITE_DONE)
      rc = sql_err(t->db, x, "cannot read the top-k words", err, errcap);
    sqlite3_reset(st);
  }
  sqlite3_str_appendall(E, expr + last);
  sqlite3_finalize(st);
  sqlite3_finalize(count);
  sqlite3_finalize(top);
  phrases_free(&ps);
  if (rc == CARI_OK && sqlite3_str_errcode(N)) rc = CARI_NOMEM;
  char *e = sqlite3_str_finish(E), *ww = sqlite3_str_finish(W);
  char *nn = sqlite3_str_finish(N);
  if (rc == CARI_OK && (!e || !ww)) rc = CARI_NOMEM;
  if (rc == CARI_OK && added) {
    *out_expr = strdup(e);
    *out_weights = strdup(ww);
    char *m = nn ? sqlite3_mprintf("a prefix matches at most its %d most "
                                   "frequent words: %s",
                                   QRY_PREFIX_MAX_TERMS, nn)
                 : NULL;
    *out_note = m ? strdup(m) : NULL;
    sqlite3_free(m);
    if (!*out_expr || !*out_weights || (nn && !*out_note)) {
      free(*out_expr);
      free(*out_weights);
      free(*out_note);
      *out_expr = *out_weights = *out_note = NULL;
      rc = CARI_NOMEM;
    }
  }
  sqlite3_free(e);
  sqlite3_free(ww);
  sqlite3_free(nn);
  if (rc == CARI_NOMEM) snprintf(err, errcap, "out of memory");
  return rc;
}

/* cari_rank's arguments for this query, with the known dfs. */
static int rank_args_make(rank_args *a, const qry_ranking *r,
                          const qry_opts *o, const char *weights,
                          const phrases *ps) {
  memset(a, 0, sizeof *a);
  sqlite3_str *dfs = sqlite3_str_new(NULL);
  for (int i = 0; i < ps->n; i++) {
    if (i) sqlite3_str_appendchar(dfs, 1, ';');
    if (ps->p[i].found)
      sqlite3_str_appendf(dfs, "%lld,%lld", ps->p[i].df[0], ps->p[i].df[1]);
    else
      sqlite3_str_appendchar(dfs, 1, '-');
  }
  a->dfs = sqlite3_str_finish(dfs);
  if (!a->dfs && ps->n) return CARI_NOMEM;
  const double v[8] = {r->k1, r->b_title, r->b_body, r->w_title, r->w_body,
                       o->question ? r->coord_question : r->coord,
                       r->coord_max, o->question ? r->prox_question : r->prox};
  for (int i = 0; i < 8; i++) snprintf(a->num[i], sizeof a->num[i], "%.17g", v[i]);
  a->weights = weights ? weights : "";
  return CARI_OK;
}

/* The ranking function as FTS5 `rank MATCH` text. */
static char *rank_sql(const qry_ranking *r, const rank_args *a) {
  if (r->fn == QRY_RANK_BM25)
    return sqlite3_mprintf("bm25(%!.17g, %!.17g)", r->w_title, r->w_body);
  return sqlite3_mprintf(
      "cari_rank('%s', '%s', '%s', '%s', '%s', %Q, '%s', '%s', '%s', %Q)",
      a->num[0], a->num[1], a->num[2], a->num[3], a->num[4], a->weights,
      a->num[5], a->num[6], a->num[7], a->dfs ? a->dfs : "");
}

static int exhaustive(qry_topk *t, const char *expr, const char *rankfn,
                      int k, heap *H, char *err, size_t errcap) {
  sqlite3_stmt *st;
  int x = sqlite3_prepare_v2(t->db,
                             "SELECT rowid, -rank FROM " IDX_FTS " WHERE "
                             IDX_FTS " MATCH ?1 AND rank MATCH ?2 ORDER BY"
                             " rank, rowid LIMIT ?3",
                             -1, &st, NULL);
  if (x != SQLITE_OK)
    return sql_err(t->db, x, "cannot prepare the search", err, errcap);
  sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, rankfn, -1, SQLITE_STATIC);
  sqlite3_bind_int(st, 3, H->f ? -1 : k); /* filtered: push() picks */
  while ((x = sqlite3_step(st)) == SQLITE_ROW)
    push(H, sqlite3_column_int64(st, 0), sqlite3_column_double(st, 1), -1);
  int rc = x == SQLITE_DONE ? CARI_OK
                            : sql_err(t->db, x, "search failed", err, errcap);
  sqlite3_finalize(st);
  return rc;
}

/* Read N and the fields' token totals as cari_rank sees them. */
static int stats(qry_topk *t, scoring *S, int *empty, char *err,
                 size_t errcap) {
  int x;
  if (!t->stats &&
      (x = sqlite3_prepare_v3(t->db,
                              "SELECT cari_stats(" IDX_FTS ") FROM " IDX_FTS
                              " LIMIT 1",
                              -1, SQLITE_PREPARE_PERSISTENT, &t->stats,
                              NULL)) != SQLITE_OK)
    return sql_err(t->db, x, "cannot prepare the search", err, errcap);
  x = sqlite3_step(t->stats);
  *empty = x == SQLITE_DONE;
  long long n = 0, tot[2] = {0, 0};
  if (x == SQLITE_ROW) {
    const char *v = (const char *)sqlite3_column_text(t->stats, 0);
    if (v) sscanf(v, "%lld %lld %lld", &n, &tot[0], &tot[1]);
  }
  sqlite3_reset(t->stats);
  if (x != SQLITE_ROW && x != SQLITE_DONE)
    return sql_err(t->db, x, "search failed", err, errcap);
  S->nrow = n;
  for (int f = 0; f < 2; f++) S->avg[f] = qry_avg(n, tot[f]);
  return CARI_OK;
}

static int search(qry_topk *t, const char *expr, const qry_opts *o,
                  int exhaust, qry_result *res, char *err, size_t errcap);

/* One read transaction around the whole search, when the caller has none:
** the build's lengths, the postings and FTS5 are then read from one
** snapshot, even if another connection rebuilds the postings meanwhile. */
int qry_topk_search(qry_topk *t, const char *expr, const qry_opts *o,
                    int exhaust, qry_result *res, char *err, size_t errcap) {
  int own = sqlite3_get_autocommit(t->db), x;
  if (own && (x = sqlite3_exec(t->db, "BEGIN", NULL, NULL, NULL)) != SQLITE_OK) {
    memset(res, 0, sizeof *res);
    return sql_err(t->db, x, "cannot start the search", err, errcap);
  }
  int rc = search(t, expr, o, exhaust, res, err, errcap);
  if (own && sqlite3_exec(t->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    sqlite3_exec(t->db, "ROLLBACK", NULL, NULL, NULL); /* only read */
  return rc;
}

static int search(qry_topk *t, const char *expr, const qry_opts *o,
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
  phrases ps = {NULL, 0};
  heap H = {NULL, 0, k, o->filter};
  char *rankfn = NULL;
  long long *ex = NULL;
  int nex = 0;
  int rc = refresh(t, err, errcap);
  /* Prefixes also match the terms of the words they begin (aliases). */
  char *xexpr = NULL, *xweights = NULL, *xnote = NULL;
  if (rc == CARI_OK && t->have && r->fn == QRY_RANK_CARI && !r->index_surface)
    rc = expand_prefixes(t, expr, o->weights, &xexpr, &xweights, &xnote, err,
                         errcap);
  const char *weights = xweights ? xweights : o->weights;
  if (xexpr) expr = xexpr;
  if (rc == CARI_OK) rc = split_phrases(expr, weights, &ps);
  if (rc == CARI_NOMEM) snprintf(err, errcap, "out of memory");
  if (rc == CARI_OK)
    rc = lookup(t, &ps, t->have && r->fn == QRY_RANK_CARI, err, errcap);
  rank_args ra;
  memset(&ra, 0, sizeof ra);
  if (rc == CARI_OK && (rank_args_make(&ra, r, o, weights, &ps) != CARI_OK ||
                        !(rankfn = rank_sql(r, &ra)))) {
    snprintf(err, errcap, "out of memory");
    rc = CARI_NOMEM;
  }
  /* Which path. */
  int pruned = rc == CARI_OK && !exhaust && t->have &&
               r->fn == QRY_RANK_CARI && !r->index_surface && k <= QRY_TOPK_MAX &&
               r->k1 == t->k1 && r->b_title == t->b[0] && r->b_body == t->b[1];
  int npos = 0;
  phrase *one = NULL;
  for (int i = 0; pruned && i < ps.n; i++) {
    phrase *p = &ps.p[i];
    if (p->nterm < 0 || ((p->prefix || p->group) && !p->found) || p->bonus ||
        p->w < 0)
      pruned = 0;
    else if (p->w > 0) {
      npos++;
      one = p;
    }
  }
  if (npos == 0 || npos > 64) pruned = 0;
  int flat = 0; /* a prefix among the words: no block bounds */
  for (int i = 0; i < ps.n; i++) flat |= ps.p[i].w > 0 && ps.p[i].flat != NULL;
  if (rc == CARI_OK && !(H.h = malloc((size_t)k * sizeof *H.h))) {
    snprintf(err, errcap, "out of memory");
    rc = CARI_NOMEM;
  }
  if (rc == CARI_OK && !pruned) rc = exhaustive(t, expr, rankfn, k, &H, err, errcap);
  if (rc == CARI_OK && pruned) {
    scoring S = {&ra, r, o->question ? r->coord_question : r->coord,
                 o->question ? r->prox_question : r->prox, 0, {1, 1}, 0,
                 expr, rankfn};
    int empty = 0;
    rc = stats(t, &S, &empty, err, errcap);
    for (int i = 0; i < ps.n; i++) {
      phrase *p = &ps.p[i];
      if (p->w > 0) S.ncore++;
      for (int f = 0; f < 2; f++) p->idf[f] = qry_idf(S.nrow, p->df[f]);
    }
    if (rc == CARI_OK && !empty) {
      rc = excluded_docs(&ps, &ex, &nex);
      if (rc == CARI_OK)
        rc = npos == 1 ? run_one(t, &S, one, &H, ex, nex)
                       : flat ? run_many(t, &S, &ps, &H, ex, nex, err, errcap)
                              : run_maxscore(t, &S, &ps, &H, ex, nex, err, errcap);
      if (rc == CARI_NOMEM) snprintf(err, errcap, "out of memory");
      else if (rc == CARI_CORRUPT)
        snprintf(err, errcap, "the top-k postings are damaged: run cari optimize");
      /* What came after the build, or was replaced since. */
      if (rc == CARI_OK && t->last_doc > t->max_doc)
        rc = fts_score(t, &S, &H, t->max_doc, 0, err, errcap);
      for (int i = 0; rc == CARI_OK && i < t->nstale; i++)
        rc = fts_score(t, &S, &H, t->stale[i], 1, err, errcap);
    }
  }
  if (rc == CARI_OK) {
    qsort(H.h, (size_t)H.n, sizeof *H.h, cmp_hit);
    int n = H.n > offset ? H.n - offset : 0;
    res->hit = malloc((size_t)(n + 1) * sizeof *res->hit);
    if (!res->hit) {
      snprintf(err, errcap, "out of memory");
      rc = CARI_NOMEM;
    } else {
      memcpy(res->hit, H.h + offset, (size_t)n * sizeof *res->hit);
      res->nhit = n;
      res->pruned = pruned;
    }
  }
  /* The positive words and phrases, as snippet.c's units. */
  int nt = 0;
#define SHOWN(x) (!(x)->bonus && ps.p[(x)->lead].w > 0)
  for (int i = 0; i < ps.n; i++) nt += SHOWN(&ps.p[i]);
  if (rc == CARI_OK && nt && !o->no_snippet) {
    res->term = calloc((size_t)nt, sizeof *res->term);
    res->termlen = calloc((size_t)nt, sizeof *res->termlen);
    if (!res->term || !res->termlen) rc = CARI_NOMEM;
    for (int i = 0; rc == CARI_OK && i < ps.n; i++) {
      phrase *p = &ps.p[i];
      if (!SHOWN(p)) continue;
      rc = qry_snippet_unit(t->an, p->text, (int)strlen(p->text), p->prefix,
                            &res->term[res->nterm], &res->termlen[res->nterm]);
      if (rc == CARI_OK && res->term[res->nterm]) res->nterm++;
    }
    if (rc == CARI_NOMEM) snprintf(err, errcap, "out of memory");
  }
#undef SHOWN
  if (rc == CARI_NOMEM) snprintf(err, errcap, "out of memory");
  if (rc == CARI_OK && xexpr) {
    res->expr = xexpr; /* the expression searched, for counts and snippets */
    xexpr = NULL;
    res->note = xnote; /* what the expansion cut */
    xnote = NULL;
  }
  free(xexpr);
  free(xnote);
  free(xweights);
  free(H.h);
  free(ex);
  sqlite3_free(rankfn);
  sqlite3_free(ra.dfs);
  phrases_free(&ps);
  if (rc) qry_result_free(res);
  return rc;
}

/* ------------------------------------------------------------------ */
/* the match set                                                       */
/* ------------------------------------------------------------------ */

static int fts_rows(qry_topk *t, const char *expr, long long doc, int eq,
                    long long **v, long long *n, long long *cap) {
  sqlite3_stmt *st;
  int x = sqlite3_prepare_v2(t->db, eq ? "SELECT rowid FROM " IDX_FTS " WHERE "
                             IDX_FTS " MATCH ?1 AND rowid = ?2"
                                       : "SELECT rowid FROM " IDX_FTS " WHERE "
                             IDX_FTS " MATCH ?1 AND rowid > ?2",
                             -1, &st, NULL);
  if (x != SQLITE_OK) return x;
  sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, doc);
  while ((x = sqlite3_step(st)) == SQLITE_ROW) {
    if (*n == *cap) {
      long long c = *cap ? *cap * 2 : 1024;
      long long *nv = realloc(*v, (size_t)c * sizeof *nv);
      if (!nv) {
        x = SQLITE_NOMEM;
        break;
      }
      *v = nv;
      *cap = c;
    }
    (*v)[(*n)++] = sqlite3_column_int64(st, 0);
  }
  sqlite3_finalize(st);
  return x == SQLITE_DONE ? SQLITE_OK : x;
}

/* Every article FTS5 matches expr with, from the postings when the query
** is words (each one term) and exclusions only: a bitmap of the positive
** terms' articles without the excluded ones', then through FTS5 the
** articles the postings do not describe (added or replaced since the
** build). Decoding postings costs a few nanoseconds an article; FTS5 reads
** each one's positions too. */
int qry_topk_matches(qry_topk *t, const char *expr, const char *weights,
                     long long **out, long long *nout, char *err,
                     size_t errcap) {
  *out = NULL;
  *nout = -1;
  int rc = refresh(t, err, errcap);
  if (rc || !t->have) return rc;
  phrases ps = {NULL, 0};
  rc = split_phrases(expr, weights, &ps);
  if (rc == CARI_NOMEM) snprintf(err, errcap, "out of memory");
  if (rc == CARI_OK) rc = lookup(t, &ps, 1, err, errcap);
  int usable = rc == CARI_OK && ps.n > 0;
  for (int i = 0; usable && i < ps.n; i++) {
    const phrase *p = &ps.p[i];
    usable = !p->prefix && !p->alias && !p->group && !p->bonus &&
             p->nterm >= 0 && p->w >= 0;
  }
  unsigned char *bits = NULL;
  long long n = 0, cap = 0, *v = NULL;
  if (usable && !(bits = calloc((size_t)t->max_doc / 8 + 2, 1))) rc = CARI_NOMEM;
  idx_posting buf[IDX_POST_BLOCK];
  for (int pass = 0; bits && rc == CARI_OK && pass < 2; pass++)
    for (int i = 0; rc == CARI_OK && i < ps.n; i++) {
      const phrase *p = &ps.p[i];
      if (!p->found || (pass == 0) != (p->w > 0)) continue;
      for (int b = 0; rc == CARI_OK && b < nblocks(p); b++) {
        int c = get_block(p, b, buf);
        if (c < 0) {
          snprintf(err, errcap, "the top-k postings are damaged: run cari "
                   "optimize");
          rc = CARI_CORRUPT;
        }
        for (int j = 0; j < c; j++) {
          long long d = buf[j].doc;
          if (d < 0 || d > t->max_doc) continue;
          if (pass == 0) bits[d >> 3] |= (unsigned char)(1u << (d & 7));
          else bits[d >> 3] &= (unsigned char)~(1u << (d & 7));
        }
      }
    }
  for (long long d = 0; bits && rc == CARI_OK && d <= t->max_doc; d++) {
    if (!((bits[d >> 3] >> (d & 7)) & 1) || (t->nstale && is_stale(t, d)))
      continue;
    if (n == cap) {
      long long c = cap ? cap * 2 : 4096;
      long long *nv = realloc(v, (size_t)c * sizeof *nv);
      if (!nv) {
        rc = CARI_NOMEM;
        break;
      }
      v = nv;
      cap = c;
    }
    v[n++] = d;
  }
  int x = SQLITE_OK;
  /* Replaced since the build (removed ones match nothing), then added. */
  for (int i = 0; bits && rc == CARI_OK && x == SQLITE_OK && i < t->nstale; i++)
    x = fts_rows(t, expr, t->stale[i], 1, &v, &n, &cap);
  if (bits && rc == CARI_OK && x == SQLITE_OK && t->nstale > 0 && n > 1)
    qsort(v, (size_t)n, sizeof *v, cmp_ll);
  if (bits && rc == CARI_OK && x == SQLITE_OK)
    x = fts_rows(t, expr, t->max_doc, 0, &v, &n, &cap);
  if (rc == CARI_OK && x != SQLITE_OK)
    rc = x == SQLITE_NOMEM ? CARI_NOMEM
                           : sql_err(t->db, x, "cannot count matches", err,
                                     errcap);
  if (rc == CARI_NOMEM) snprintf(err, errcap, "out of memory");
  free(bits);
  phrases_free(&ps);
  if (rc || !usable) {
    free(v);
    return rc;
  }
  *out = v;
  *nout = n;
  return CARI_OK;
}

/* ------------------------------------------------------------------ */
/* the check                                                           */
/* ------------------------------------------------------------------ */

/* Compare the top-k postings with FTS5: every term's number of articles
** (fts5vocab) and every article's field lengths (xColumnSize). Only when
** the postings describe the index as it is (nothing added, replaced or
** removed since the build); otherwise there is nothing exact to compare. */
int qry_topk_check(qry_topk *t, char *err, size_t errcap) {
  t->seen_version = -1; /* re-read the build, lengths included */
  t->stamp[0] = 0;
  int rc = refresh(t, err, errcap);
  if (rc || !t->have || t->nstale != 0 || t->last_doc > t->max_doc)
    return rc;
  sqlite3_stmt *st = NULL, *vs = NULL;
  long long bad_doc = -1, nterm = 0;
  const char *why = NULL;
  char term[80] = "";
  /* Field lengths, from FTS5's own docsize table: per row a blob of
  ** SQLite-format varints, one per column (FTS5's file format; its
  ** xColumnSize is not filled in a full-table scan). */
  int x = sqlite3_prepare_v2(t->db, "SELECT id, sz FROM " IDX_FTS "_docsize",
                             -1, &st, NULL);
  if (x != SQLITE_OK)
    return sql_err(t->db, x, "cannot check the top-k postings", err, errcap);
  while ((x = sqlite3_step(st)) == SQLITE_ROW) {
    long long d = sqlite3_column_int64(st, 0);
    const unsigned char *p = sqlite3_column_blob(st, 1);
    int np = sqlite3_column_bytes(st, 1), at = 0;
    unsigned v[2] = {0, 0};
    for (int f = 0; f < 2; f++) {
      unsigned u = 0;
      int k = 0;
      while (at < np && k < 4) { /* big-endian 7-bit groups, high bit: more */
        unsigned char c = p[at++];
        u = u << 7 | (c & 0x7f);
        k++;
        if (!(c & 0x80)) break;
      }
      v[f] = u;
    }
    if (d < 0 || d > t->max_doc || t->len[d * 2] != v[0] ||
        t->len[d * 2 + 1] != v[1]) {
      bad_doc = d;
      why = "field lengths differ";
      break;
    }
  }
  if (!why && x != SQLITE_DONE)
    rc = sql_err(t->db, x, "cannot check the top-k postings", err, errcap);
  sqlite3_finalize(st);
  st = NULL;
  /* Articles per term, in term order on both sides. */
  if (!rc && !why &&
      ((x = sqlite3_exec(t->db,
                         "CREATE VIRTUAL TABLE IF NOT EXISTS"
                         " temp.cari_check_vocab USING fts5vocab(main, "
                         IDX_FTS ", row)",
                         NULL, NULL, NULL)) != SQLITE_OK ||
       (x = sqlite3_prepare_v2(t->db,
                               "SELECT term, doc FROM temp.cari_check_vocab"
                               " ORDER BY term",
                               -1, &vs, NULL)) != SQLITE_OK ||
       (x = sqlite3_prepare_v2(t->db,
                               "SELECT term, data FROM cari_postings ORDER BY"
                               " term",
                               -1, &st, NULL)) != SQLITE_OK))
    rc = sql_err(t->db, x, "cannot check the top-k postings", err, errcap);
  while (!rc && !why) {
    int a = sqlite3_step(vs), b = sqlite3_step(st);
    if (a == SQLITE_DONE && b == SQLITE_DONE) break;
    if (a != SQLITE_ROW || b != SQLITE_ROW) {
      if (a != SQLITE_ROW && a != SQLITE_DONE)
        rc = sql_err(t->db, a, "cannot check the top-k postings", err, errcap);
      else if (b != SQLITE_ROW && b != SQLITE_DONE)
        rc = sql_err(t->db, b, "cannot check the top-k postings", err, errcap);
      else
        why = a == SQLITE_ROW ? "a term of the index has no postings"
                              : "postings of a term the index does not have";
      const char *tt =
          (const char *)sqlite3_column_text(a == SQLITE_ROW ? vs : st, 0);
      snprintf(term, sizeof term, "%s", tt ? tt : "");
      break;
    }
    const char *ta = (const char *)sqlite3_column_text(vs, 0);
    const char *tb = (const char *)sqlite3_column_text(st, 0);
    if (!ta || !tb) { /* terms are never NULL: out of memory */
      rc = sql_err(t->db, SQLITE_NOMEM, "cannot check the top-k postings",
                   err, errcap);
      break;
    }
    snprintf(term, sizeof term, "%s", ta);
    if (strcmp(ta, tb) != 0) {
      why = "the terms differ";
      break;
    }
    idx_post_list l;
    int lr = idx_post_list_open(&l, sqlite3_column_blob(st, 1),
                                sqlite3_column_bytes(st, 1));
    if (lr == CARI_NOMEM) {
      snprintf(err, errcap, "out of memory");
      rc = lr;
      break;
    }
    long long n = 0;
    for (int i = 0; lr == CARI_OK && i < l.nblock; i++) n += l.blk[i].count;
    idx_post_list_free(&l);
    if (lr || n != sqlite3_column_int64(vs, 1)) {
      why = lr ? "a postings list is damaged" : "article counts differ";
      break;
    }
    nterm++;
  }
  sqlite3_finalize(vs);
  sqlite3_finalize(st);
  sqlite3_exec(t->db, "DROP TABLE IF EXISTS temp.cari_check_vocab", NULL, NULL,
               NULL);
  if (!rc && why) {
    if (bad_doc >= 0)
      snprintf(err, errcap, "top-k postings disagree with the index: %s for "
               "article row %lld (cari optimize rebuilds them)", why, bad_doc);
    else
      snprintf(err, errcap, "top-k postings disagree with the index: %s at "
               "term '%s' (cari optimize rebuilds them)", why, term);
    rc = CARI_CORRUPT;
  }
  return rc;
}
