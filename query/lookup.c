/*
** lookup.c — what the pruned search (topk.c) reads before it ranks: the
** top-k build as it stands (postings.c's tables and meta keys, reloaded
** only when the database changed), and each phrase of the plan with its
** one index term and that term's postings. A prefix, or a word with
** aliases (prefix.c), gets the merged postings of all its terms. It does
** not rank, and does not change the plan.
*/
#include "query.h"
#include "cari.h"
#include "indexer.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QRY_TOPK_MAX_STALE 256 /* more replaced articles: exhaustive */

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

/* The build's meta keys into b, their values in order into stamp (cap
** bytes); *nkey how many were found, *version topk_version. */
static int read_meta(qry_build *b, char *stamp, size_t cap, int *nkey,
                     int *version, char *err, size_t errcap) {
  sqlite3_stmt *st;
  int x = sqlite3_prepare_v2(b->db,
                             "SELECT key, value FROM cari_meta WHERE key IN"
                             " ('topk_version','topk_max_doc','topk_avg_title',"
                             "'topk_avg_body','topk_k1','topk_b_title',"
                             "'topk_b_body','topk_build') ORDER BY key",
                             -1, &st, NULL);
  if (x != SQLITE_OK)
    return idx_sql_fail(b->db, x, "cannot read cari_meta", err, errcap);
  size_t n = 0;
  stamp[0] = 0;
  while ((x = sqlite3_step(st)) == SQLITE_ROW) {
    const char *k = (const char *)sqlite3_column_text(st, 0);
    const char *v = (const char *)sqlite3_column_text(st, 1);
    if (!k || !v) { /* NOT NULL text: only out of memory gives NULL */
      x = SQLITE_NOMEM;
      break;
    }
    (*nkey)++;
    n += (size_t)snprintf(stamp + n, n < cap ? cap - n : 0, "%s;", v);
    double d = strtod(v, NULL);
    if (!strcmp(k, "topk_version")) *version = atoi(v);
    else if (!strcmp(k, "topk_max_doc")) b->max_doc = atoll(v);
    else if (!strcmp(k, "topk_avg_title")) b->avg_build[0] = d;
    else if (!strcmp(k, "topk_avg_body")) b->avg_build[1] = d;
    else if (!strcmp(k, "topk_k1")) b->k1 = d;
    else if (!strcmp(k, "topk_b_title")) b->b[0] = d;
    else if (!strcmp(k, "topk_b_body")) b->b[1] = d;
  }
  sqlite3_finalize(st);
  if (x != SQLITE_DONE)
    return idx_sql_fail(b->db, x, "cannot read cari_meta", err, errcap);
  return CARI_OK;
}

/* Replaced and removed articles of the build (marks above max_doc, left by
** a build that failed, are new articles), sorted; nstale -1 when there are
** more than QRY_TOPK_MAX_STALE. *x as for scalar(). */
static int read_stale(qry_build *b, int *x) {
  char sql[120];
  cari_free(b->stale);
  b->stale = NULL;
  snprintf(sql, sizeof sql,
           "SELECT count(*) FROM cari_stale WHERE doc <= %lld", b->max_doc);
  b->nstale = (int)scalar(b->db, sql, x);
  if (b->nstale > QRY_TOPK_MAX_STALE) b->nstale = -1;
  if (*x != SQLITE_OK || b->nstale <= 0) return CARI_OK;
  if (!(b->stale = cari_malloc((size_t)b->nstale * sizeof *b->stale)))
    return CARI_NOMEM;
  int i = 0;
  sqlite3_stmt *st;
  snprintf(sql, sizeof sql,
           "SELECT doc FROM cari_stale WHERE doc <= %lld ORDER BY doc",
           b->max_doc);
  *x = sqlite3_prepare_v2(b->db, sql, -1, &st, NULL);
  if (*x == SQLITE_OK) {
    /* A failed step must not shorten the list: an article missing from
    ** it would be ranked from postings that no longer describe it. */
    while (i < b->nstale && (*x = sqlite3_step(st)) == SQLITE_ROW)
      b->stale[i++] = sqlite3_column_int64(st, 0);
    if (*x == SQLITE_ROW || *x == SQLITE_DONE) *x = SQLITE_OK;
    sqlite3_finalize(st);
    b->nstale = i;
  }
  return CARI_OK;
}

int qry_build_refresh(qry_build *b, char *err, size_t errcap) {
  int x = SQLITE_OK; /* the first failure, for every scalar() below */
  long long ver = scalar(b->db, "PRAGMA data_version", &x);
  long long ch = sqlite3_total_changes64(b->db);
  if (x != SQLITE_OK)
    return idx_sql_fail(b->db, x, "cannot read the top-k state", err, errcap);
  if (ver == b->seen_version && ch == b->seen_changes) return CARI_OK;
  b->have = 0;
  char stamp[sizeof b->stamp];
  int nkey = 0, version = 0;
  int rc = read_meta(b, stamp, sizeof stamp, &nkey, &version, err, errcap);
  if (rc) return rc;
  if (nkey != 8 || version != IDX_TOPK_VERSION || b->max_doc < 0 ||
      b->max_doc > ((long long)1 << 32)) {
    b->seen_version = ver;
    b->seen_changes = ch;
    return CARI_OK; /* no (usable) postings: exhaustive */
  }
  if (strcmp(stamp, b->stamp) != 0 || !b->len) {
    cari_free(b->len);
    b->len = NULL;
    b->stamp[0] = 0;
    rc = idx_doclen_read(b->db, b->max_doc, &b->len, err, errcap);
    if (rc) return rc;
    snprintf(b->stamp, sizeof b->stamp, "%s", stamp);
  }
  if (read_stale(b, &x) != CARI_OK) {
    snprintf(err, errcap, "out of memory");
    return CARI_NOMEM;
  }
  b->last_doc = scalar(b->db, "SELECT max(doc) FROM " IDX_TABLE, &x);
  b->have_words = (int)scalar(b->db,
                              "SELECT count(*) FROM sqlite_master WHERE"
                              " name = 'cari_words'",
                              &x) > 0;
  if (x != SQLITE_OK)
    return idx_sql_fail(b->db, x, "cannot read the top-k state", err, errcap);
  b->have = b->nstale >= 0;
  b->seen_version = ver;
  b->seen_changes = ch;
  return CARI_OK;
}

int qry_build_stale(const qry_build *b, long long doc) {
  int lo = 0, hi = b->nstale - 1;
  while (lo <= hi) {
    int mid = (lo + hi) / 2;
    if (b->stale[mid] == doc) return 1;
    if (b->stale[mid] < doc) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

void qry_build_clear(qry_build *b) {
  sqlite3_finalize(b->term);
  b->term = NULL;
  cari_free(b->stale);
  b->stale = NULL;
  cari_free(b->len);
  b->len = NULL;
}

/* ------------------------------------------------------------------ */
/* the phrases' terms                                                  */
/* ------------------------------------------------------------------ */

static int cmp_ll(const void *a, const void *b) {
  long long x = *(const long long *)a, y = *(const long long *)b;
  return x < y ? -1 : x > y;
}

int qry_term_nblocks(const qry_term *p) {
  return p->flat ? (p->nflat + IDX_POST_BLOCK - 1) / IDX_POST_BLOCK
                 : p->list.nblock;
}

int qry_term_block(const qry_term *p, int i, idx_posting *buf) {
  if (!p->flat) return idx_post_block_decode(&p->list, i, buf);
  int c = p->nflat - i * IDX_POST_BLOCK;
  if (c > IDX_POST_BLOCK) c = IDX_POST_BLOCK;
  memcpy(buf, p->flat + (size_t)i * IDX_POST_BLOCK, (size_t)c * sizeof *buf);
  return c;
}

void qry_terms_free(qry_terms *ts) {
  for (int i = 0; i < ts->n; i++) {
    cari_free(ts->p[i].data);
    cari_free(ts->p[i].flat);
    idx_post_list_free(&ts->p[i].list);
  }
  cari_free(ts->p);
  ts->p = NULL;
  ts->n = 0;
}

typedef struct {
  char *term; /* IDX_MAX_TOKEN + 8 bytes */
  int nterm;  /* -1 until one term fits */
  int n;      /* terms seen at a position of their own */
  int coloc;  /* terms colocated with the one before */
} one_term;

/* A word's colocated terms (an informal word as written, beside its
** reading: analyzer.c) are not terms of their own: every position of such a
** stem is also one of the word's first term, so FTS5's match of the word
** (its terms as synonyms) is the first term's match, and its postings are
** the word's. */
static int on_term(void *ctx, const char *term, int n, int start, int end,
                   int colocated) {
  one_term *o = ctx;
  if (colocated) {
    o->coloc++;
    return 0;
  }
  if (o->n++ == 0 && n <= IDX_MAX_TOKEN) {
    memcpy(o->term, term, (size_t)n);
    o->term[n] = 0;
    o->nterm = n;
  }
  return 0;
}

/* text's one index term into term (nterm -1 when none or several), and
** how many colocated terms followed it into *coloc (may be NULL); -1 on
** out of memory. */
static int analyse(qry_build *b, const char *text, int n, int flags,
                   char *term, int *nterm, int *coloc) {
  one_term o = {term, -1, 0, 0};
  if (idx_analyze(b->an, text, n, flags, on_term, &o) < 0) return -1;
  *nterm = o.n == 1 ? o.nterm : -1;
  if (coloc) *coloc = o.coloc;
  return 0;
}

int qry_term_stable(qry_build *b, const char *term, int n) {
  char got[IDX_MAX_TOKEN + 8];
  int ngot, coloc;
  if (analyse(b, term, n, 0, got, &ngot, &coloc) < 0) return -1;
  return ngot == n && coloc == 0 && memcmp(got, term, (size_t)n) == 0;
}

/* Is `term` an informal word's own stem, indexed colocated with its
** reading (analyzer.c), while the reading lies in [lo, hi) too? Then its
** occurrences all sit at the reading's positions, and FTS5, which merges
** a prefix's terms position by position, counts them once: so must the
** merge. -1 on out of memory. */
typedef struct {
  const char *term;
  int n, first, nfirst, shadow;
  char buf[IDX_MAX_TOKEN + 8];
} shadow_ctx;

static int on_shadow(void *ctx, const char *term, int n, int start, int end,
                     int colocated) {
  shadow_ctx *c = ctx;
  if (!colocated) {
    if (c->first++ == 0 && n <= IDX_MAX_TOKEN) {
      memcpy(c->buf, term, (size_t)n);
      c->nfirst = n;
    }
  } else if (c->first == 1 && n == c->n && memcmp(term, c->term, (size_t)n) == 0) {
    c->shadow = 1;
  }
  return 0;
}

static int bytes_cmp(const char *a, int na, const char *b, int nb) {
  int c = memcmp(a, b, (size_t)(na < nb ? na : nb));
  return c ? c : na - nb;
}

static int shadowed(qry_build *b, const char *term, int n, const char *lo,
                    int nlo, const char *hi, int nhi) {
  shadow_ctx c;
  memset(&c, 0, sizeof c);
  c.term = term;
  c.n = n;
  if (idx_analyze(b->an, term, n, 0, on_shadow, &c) < 0) return -1;
  return c.shadow && c.first == 1 && c.nfirst > 0 &&
         bytes_cmp(c.buf, c.nfirst, lo, nlo) >= 0 &&
         bytes_cmp(c.buf, c.nfirst, hi, nhi) < 0;
}

int qry_prefix_hi(const char *term, int n, char *hi) {
  memcpy(hi, term, (size_t)n);
  while (n > 0 && (unsigned char)hi[n - 1] == 0xff) n--;
  if (n > 0) hi[n - 1]++;
  return n;
}

/* The merged postings of a prefix, or of a word and its aliases: tf summed
** per article and field into tf (2 per article up to max_doc), the
** articles in the order first met in docs. Gives up (found 0: FTS5
** counts) past PREFIX_MAX_POSTINGS postings read. */
#define PREFIX_MAX_POSTINGS 4000000
typedef struct {
  qry_build *b;
  unsigned *tf;
  long long *docs, nd, total;
} merge;

static int merge_one(merge *m, const void *blob, int nblob) {
  idx_post_list l;
  idx_posting buf[IDX_POST_BLOCK];
  int rc = idx_post_list_open(&l, blob, nblob);
  if (rc) return rc;
  long long max_doc = m->b->max_doc;
  if (!m->tf) {
    m->tf = cari_calloc((size_t)(max_doc + 1) * 2, sizeof *m->tf);
    m->docs = cari_malloc((size_t)(max_doc + 1) * sizeof *m->docs);
    if (!m->tf || !m->docs) rc = CARI_NOMEM;
  }
  for (int b = 0; rc == CARI_OK && b < l.nblock; b++) {
    int c = idx_post_block_decode(&l, b, buf);
    if (c < 0) rc = CARI_CORRUPT;
    if ((m->total += c) > PREFIX_MAX_POSTINGS) break;
    for (int j = 0; j < c; j++) {
      long long d = buf[j].doc;
      if (d > max_doc) continue;
      if (!m->tf[d * 2] && !m->tf[d * 2 + 1]) m->docs[m->nd++] = d;
      m->tf[d * 2] += (unsigned)buf[j].tf[0];
      m->tf[d * 2 + 1] += (unsigned)buf[j].tf[1];
    }
  }
  idx_post_list_free(&l);
  return rc;
}

/* One term's postings (a->term) into the merge. */
static int merge_term(merge *m, const qry_term *a, char *err, size_t errcap) {
  qry_build *b = m->b;
  int rc = CARI_OK;
  sqlite3_bind_text(b->term, 1, a->term, a->nterm, SQLITE_STATIC);
  int y = sqlite3_step(b->term);
  if (y == SQLITE_ROW)
    rc = merge_one(m, sqlite3_column_blob(b->term, 2),
                   sqlite3_column_bytes(b->term, 2));
  else if (y != SQLITE_DONE)
    rc = idx_sql_fail(b->db, y, "cannot read the top-k postings", err, errcap);
  sqlite3_reset(b->term);
  return rc;
}

/* Every index term in [p->term, hi) into the merge. */
static int merge_range(merge *m, const qry_term *p, const char *hi, int nh,
                       char *err, size_t errcap) {
  qry_build *b = m->b;
  sqlite3_stmt *st;
  int x = sqlite3_prepare_v2(b->db,
                             "SELECT data, term FROM cari_postings WHERE"
                             " term >= ?1 AND term < ?2",
                             -1, &st, NULL);
  if (x != SQLITE_OK)
    return idx_sql_fail(b->db, x, "cannot read the top-k postings", err,
                        errcap);
  sqlite3_bind_text(st, 1, p->term, p->nterm, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, hi, nh, SQLITE_STATIC);
  int rc = CARI_OK;
  x = SQLITE_DONE;
  while (rc == CARI_OK && (x = sqlite3_step(st)) == SQLITE_ROW) {
    const char *term = (const char *)sqlite3_column_text(st, 1);
    int sh = term ? shadowed(b, term, sqlite3_column_bytes(st, 1), p->term,
                             p->nterm, hi, nh)
                  : -1;
    if (sh < 0) rc = CARI_NOMEM;
    if (sh) continue;
    rc = merge_one(m, sqlite3_column_blob(st, 0), sqlite3_column_bytes(st, 0));
    if (m->total > PREFIX_MAX_POSTINGS) break;
  }
  if (rc == CARI_OK && x != SQLITE_ROW && x != SQLITE_DONE)
    rc = idx_sql_fail(b->db, x, "cannot read the top-k postings", err, errcap);
  sqlite3_finalize(st);
  return rc;
}

/* The merged list as p's postings, df the articles holding any term. */
static int merge_finish(merge *m, qry_term *p) {
  if (m->nd > 1) qsort(m->docs, (size_t)m->nd, sizeof *m->docs, cmp_ll);
  if (!(p->flat = cari_malloc((size_t)(m->nd + 1) * sizeof *p->flat)))
    return CARI_NOMEM;
  for (long long i = 0; i < m->nd; i++) {
    long long d = m->docs[i];
    p->flat[i].doc = d;
    p->flat[i].tf[0] = (int)m->tf[d * 2];
    p->flat[i].tf[1] = (int)m->tf[d * 2 + 1];
    p->df[0] += m->tf[d * 2] > 0;
    p->df[1] += m->tf[d * 2 + 1] > 0;
  }
  p->nflat = (int)m->nd;
  p->found = 1;
  return CARI_OK;
}

/* A prefix, or a word with aliases (prefix.c's expansions): the merged
** postings of its terms, then of its aliases' terms (other terms than the
** leader's: prefix.c made sure, so no article position counts twice). */
static int merge_group(qry_build *b, qry_terms *ts, int pi, char *err,
                       size_t errcap) {
  qry_term *p = &ts->p[pi];
  merge m = {b, NULL, NULL, 0, 0};
  char hi[IDX_MAX_TOKEN + 8];
  int nh = p->ph->prefix ? qry_prefix_hi(p->term, p->nterm, hi) : 0;
  if (p->ph->prefix && nh == 0) return CARI_OK; /* no range: FTS5 counts */
  int rc = p->ph->prefix ? merge_range(&m, p, hi, nh, err, errcap)
                         : merge_term(&m, p, err, errcap);
  for (int j = pi + 1; rc == CARI_OK && m.total <= PREFIX_MAX_POSTINGS &&
                       j < ts->n && ts->p[j].ph->kind == QRY_ALIAS &&
                       ts->p[j].ph->lead == pi;
       j++)
    if (ts->p[j].nterm >= 0) rc = merge_term(&m, &ts->p[j], err, errcap);
  if (rc == CARI_OK && m.total <= PREFIX_MAX_POSTINGS) rc = merge_finish(&m, p);
  cari_free(m.tf);
  cari_free(m.docs);
  if (rc == CARI_NOMEM) snprintf(err, errcap, "out of memory");
  else if (rc == CARI_CORRUPT)
    snprintf(err, errcap, "the top-k postings are damaged: run cari optimize");
  return rc;
}

/* One term's postings row into p. */
static int lookup_one(qry_build *b, qry_term *p, char *err, size_t errcap) {
  int rc = CARI_OK;
  sqlite3_bind_text(b->term, 1, p->term, p->nterm, SQLITE_STATIC);
  int x = sqlite3_step(b->term);
  if (x == SQLITE_ROW) {
    p->found = 1;
    p->df[0] = sqlite3_column_int64(b->term, 0);
    p->df[1] = sqlite3_column_int64(b->term, 1);
    int n = sqlite3_column_bytes(b->term, 2);
    p->data = cari_malloc((size_t)n + 1);
    if (!p->data) rc = CARI_NOMEM;
    else if (n) memcpy(p->data, sqlite3_column_blob(b->term, 2), (size_t)n);
    if (rc == CARI_OK) rc = idx_post_list_open(&p->list, p->data, n);
    if (rc == CARI_NOMEM) snprintf(err, errcap, "out of memory");
    else if (rc) snprintf(err, errcap, "top-k postings of '%s' are damaged: "
                          "run cari optimize", p->term);
  } else if (x != SQLITE_DONE) {
    rc = idx_sql_fail(b->db, x, "cannot read the top-k postings", err, errcap);
  }
  sqlite3_reset(b->term);
  return rc;
}

int qry_terms_analyse(qry_build *b, const qry_plan *pl, qry_terms *ts,
                      char *err, size_t errcap) {
  memset(ts, 0, sizeof *ts);
  if (!(ts->p = cari_calloc((size_t)pl->n + 1, sizeof *ts->p))) {
    snprintf(err, errcap, "out of memory");
    return CARI_NOMEM;
  }
  ts->n = pl->n;
  for (int i = 0; i < pl->n; i++) {
    qry_term *p = &ts->p[i];
    const qry_phrase *ph = &pl->p[i];
    p->ph = ph;
    p->nterm = -1;
    if (ph->kind == QRY_ALIAS) ts->p[ph->lead].group = 1;
    if (ph->kind == QRY_SURFACE || !ph->text[0] ||
        ph->text[0] == IDX_SURFACE_MARK)
      continue;
    if (analyse(b, ph->text, ph->ntext, ph->prefix ? IDX_NOSTEM : 0, p->term,
                &p->nterm, NULL) < 0) {
      snprintf(err, errcap, "out of memory");
      return CARI_NOMEM;
    }
  }
  return CARI_OK;
}

int qry_terms_postings(qry_build *b, qry_terms *ts, char *err,
                       size_t errcap) {
  int y, rc = CARI_OK;
  if (!b->term &&
      (y = sqlite3_prepare_v3(b->db,
                              "SELECT df_title, df_body, data FROM"
                              " cari_postings WHERE term = ?1",
                              -1, SQLITE_PREPARE_PERSISTENT, &b->term,
                              NULL)) != SQLITE_OK)
    return idx_sql_fail(b->db, y, "cannot read the top-k postings", err,
                        errcap);
  for (int i = 0; rc == CARI_OK && i < ts->n; i++) {
    qry_term *p = &ts->p[i];
    if (p->nterm < 0 || p->ph->kind == QRY_ALIAS) continue; /* in leader */
    rc = p->ph->prefix || p->group ? merge_group(b, ts, i, err, errcap)
                                   : lookup_one(b, p, err, errcap);
  }
  return rc;
}
