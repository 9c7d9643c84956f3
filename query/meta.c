/*
** meta.c — the articles' dates and tags in memory, for filters, sorting by
** date and facet counts: loaded from cari_dates and cari_tags
** (indexer/meta.c) when first needed and again after the database
** changed, as arrays indexed by rowid. A filter is resolved here into a
** bitmap of rowids the ranking (topk.c) checks before scoring; the whole
** match set of a query is walked here for counts and facets. It does not
** rank (topk.c does).
**
** Why in memory: a filter is asked with every search, and a facet count
** looks at every matching article; both cost one pass over arrays (a few
** bytes per article) instead of an index look-up per article. The load is
** one scan of each table, once per change of the database.
*/
#include "query.h"
#include "cari.h"
#include "indexer.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UNDATED INT64_MIN

struct qry_meta {
  sqlite3 *db;
  long long seen_version, seen_changes;
  long long ndoc;        /* rowids 0..ndoc-1 */
  long long *sec;        /* per rowid, UNDATED when none */
  int *day;              /* per rowid: days since 1970-01-01 as written */
  short *year;           /* per rowid, 0 when undated */
  int *toff;             /* per rowid: its tags are tid[toff[d]..toff[d+1]) */
  int *tid;
  char **tag, **shown;   /* per tag id: folded (sorted), as written */
  int ntag;
};

qry_meta *qry_meta_new(sqlite3 *db) {
  qry_meta *m = cari_calloc(1, sizeof *m);
  if (m) {
    m->db = db;
    m->seen_version = -1;
  }
  return m;
}

static void meta_clear(qry_meta *m) {
  cari_free(m->sec);
  cari_free(m->year);
  cari_free(m->day);
  cari_free(m->toff);
  cari_free(m->tid);
  for (int i = 0; i < m->ntag; i++) {
    cari_free(m->tag[i]);
    cari_free(m->shown[i]);
  }
  cari_free(m->tag);
  cari_free(m->shown);
  m->sec = NULL;
  m->year = NULL;
  m->day = NULL;
  m->toff = m->tid = NULL;
  m->tag = m->shown = NULL;
  m->ntag = 0;
  m->ndoc = 0;
}

void qry_meta_free(qry_meta *m) {
  if (!m) return;
  meta_clear(m);
  cari_free(m);
}

static int fail(sqlite3 *db, int x, char *err, size_t errcap) {
  return idx_sql_fail(db, x, "cannot read the articles' dates and tags", err,
                      errcap);
}

static int nomem(char *err, size_t errcap) {
  snprintf(err, errcap, "out of memory");
  return CARI_NOMEM;
}

static int tag_id(const qry_meta *m, const char *t) {
  int lo = 0, hi = m->ntag - 1;
  while (lo <= hi) {
    int mid = (lo + hi) / 2, c = strcmp(m->tag[mid], t);
    if (!c) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

static int load_tags(qry_meta *m, char *err, size_t errcap) {
  sqlite3_stmt *st;
  int x = sqlite3_prepare_v2(m->db, "SELECT tag, min(shown) FROM cari_tags"
                             " GROUP BY tag ORDER BY tag", -1, &st, NULL);
  if (x != SQLITE_OK) return fail(m->db, x, err, errcap);
  size_t cap = 0, cap2 = 0; /* tag and shown: the same once both grew */
  while ((x = sqlite3_step(st)) == SQLITE_ROW) {
    int rc = CARI_OK;
    m->tag = cari_grow(&rc, m->tag, &cap, (size_t)m->ntag + 1, sizeof *m->tag);
    m->shown = cari_grow(&rc, m->shown, &cap2, (size_t)m->ntag + 1,
                         sizeof *m->shown);
    if (rc) break;
    const char *t = (const char *)sqlite3_column_text(st, 0);
    const char *s = (const char *)sqlite3_column_text(st, 1);
    m->tag[m->ntag] = t ? cari_strdup(t) : NULL;
    m->shown[m->ntag] = s ? cari_strdup(s) : NULL;
    m->ntag++;
    if (!t || !s || !m->tag[m->ntag - 1] || !m->shown[m->ntag - 1]) break;
  }
  sqlite3_finalize(st);
  if (x != SQLITE_DONE)
    return x == SQLITE_ROW ? nomem(err, errcap) : fail(m->db, x, err, errcap);
  /* The doc-ordered rows (the index on doc covers tag). */
  if (!(m->toff = cari_calloc((size_t)m->ndoc + 1, sizeof *m->toff)))
    return nomem(err, errcap);
  x = sqlite3_prepare_v2(m->db, "SELECT doc, tag FROM cari_tags"
                         " INDEXED BY cari_tags_doc ORDER BY doc", -1, &st,
                         NULL);
  if (x != SQLITE_OK) return fail(m->db, x, err, errcap);
  long long n = 0;
  size_t capt = 0;
  int rc = CARI_OK;
  while ((x = sqlite3_step(st)) == SQLITE_ROW) {
    long long d = sqlite3_column_int64(st, 0);
    const char *t = (const char *)sqlite3_column_text(st, 1);
    int id = t ? tag_id(m, t) : -1;
    if (d < 0 || d >= m->ndoc || id < 0) continue; /* written meanwhile */
    m->tid = cari_grow(&rc, m->tid, &capt, (size_t)n + 1, sizeof *m->tid);
    if (rc) {
      rc = nomem(err, errcap);
      break;
    }
    m->tid[n++] = id;
    m->toff[d + 1]++;
  }
  sqlite3_finalize(st);
  if (rc) return rc;
  if (x != SQLITE_DONE) return fail(m->db, x, err, errcap);
  for (long long d = 0; d < m->ndoc; d++) m->toff[d + 1] += m->toff[d];
  return CARI_OK;
}

static int load_dates(qry_meta *m, char *err, size_t errcap) {
  m->sec = cari_malloc((size_t)m->ndoc * sizeof *m->sec);
  m->year = cari_calloc((size_t)m->ndoc, sizeof *m->year);
  m->day = cari_calloc((size_t)m->ndoc, sizeof *m->day);
  if (!m->sec || !m->year || !m->day) return nomem(err, errcap);
  for (long long d = 0; d < m->ndoc; d++) m->sec[d] = UNDATED;
  sqlite3_stmt *st;
  int x = sqlite3_prepare_v2(m->db, "SELECT doc, sec, day FROM cari_dates",
                             -1, &st, NULL);
  if (x != SQLITE_OK) return fail(m->db, x, err, errcap);
  while ((x = sqlite3_step(st)) == SQLITE_ROW) {
    long long d = sqlite3_column_int64(st, 0);
    if (d < 0 || d >= m->ndoc) continue;
    long long day = sqlite3_column_int64(st, 2);
    if (day < -800000 || day > 3000000) continue; /* not from the triggers */
    m->sec[d] = sqlite3_column_int64(st, 1);
    m->day[d] = (int)day;
    int y = idx_year_from_days(day);
    m->year[d] = (short)(y < 1 ? 1 : y > 9999 ? 9999 : y);
  }
  sqlite3_finalize(st);
  return x == SQLITE_DONE ? CARI_OK : fail(m->db, x, err, errcap);
}

int qry_meta_refresh(qry_meta *m, char *err, size_t errcap) {
  long long ver = 0, have = 0, maxdoc = 0;
  int x = idx_sql_int(m->db, "PRAGMA data_version", &ver);
  long long ch = sqlite3_total_changes64(m->db);
  if (x != SQLITE_OK) return fail(m->db, x, err, errcap);
  if (ver == m->seen_version && ch == m->seen_changes) return CARI_OK;
  meta_clear(m);
  if ((x = idx_sql_int(m->db,
                       "SELECT count(*) FROM sqlite_master WHERE name IN"
                       " ('cari_dates', 'cari_tags', 'cari_tags_doc')",
                       &have)) != SQLITE_OK ||
      (x = idx_sql_int(m->db, "SELECT max(doc) FROM " IDX_TABLE, &maxdoc)) !=
          SQLITE_OK)
    return fail(m->db, x, err, errcap);
  if (have != 3) {
    snprintf(err, errcap, "this database was made before dates and tags "
             "could be filtered: open it once for writing (cari index, or "
             "cari_open without CARI_OPEN_READONLY) to add them");
    return CARI_MISMATCH;
  }
  m->ndoc = maxdoc + 1;
  int rc = load_dates(m, err, errcap);
  if (rc == CARI_OK) rc = load_tags(m, err, errcap);
  if (rc) {
    meta_clear(m);
    return rc;
  }
  m->seen_version = ver;
  m->seen_changes = ch;
  return CARI_OK;
}

/* ------------------------------------------------------------------ */
/* filters                                                             */
/* ------------------------------------------------------------------ */

void qry_filter_free(qry_filter *f) {
  if (!f) return;
  cari_free(f->bits);
  cari_free(f);
}

int qry_filter_make(qry_meta *m, const qry_filter_spec *fs, qry_filter **out,
                    char *err, size_t errcap) {
  *out = NULL;
  int rc = qry_meta_refresh(m, err, errcap);
  if (rc) return rc;
  qry_filter *f = cari_calloc(1, sizeof *f);
  if (!f) return nomem(err, errcap);
  f->n = m->ndoc;
  f->bits = cari_calloc((size_t)(m->ndoc + 7) / 8 + 1, 1);
  int *want = cari_calloc((size_t)fs->ntags + 1, sizeof *want);
  int nwant = 0, none = 0;
  if (!f->bits || !want) {
    cari_free(want);
    qry_filter_free(f);
    return nomem(err, errcap);
  }
  for (int i = 0; i < fs->ntags; i++) {
    char *t = idx_tag_fold(fs->tags[i], strlen(fs->tags[i]));
    if (!t) {
      cari_free(want);
      qry_filter_free(f);
      return nomem(err, errcap);
    }
    int id = t[0] ? tag_id(m, t) : -2; /* an empty tag asks for nothing */
    cari_free(t);
    if (id == -1) none = 1; /* no article has it: nothing passes */
    else if (id >= 0) {
      int dup = 0;
      for (int j = 0; j < nwant; j++) dup |= want[j] == id;
      if (!dup) want[nwant++] = id;
    }
  }
  long long n = 0;
  for (long long d = 0; !none && d < m->ndoc; d++) {
    if (fs->has_from || fs->has_to) {
      if (m->sec[d] == UNDATED) continue;
      if ((fs->has_from && m->day[d] < fs->from_day) ||
          (fs->has_to && m->day[d] > fs->to_day))
        continue;
    }
    int ok = 1;
    for (int j = 0; ok && j < nwant; j++) {
      ok = 0;
      for (int k = m->toff[d]; k < m->toff[d + 1]; k++)
        if (m->tid[k] == want[j]) {
          ok = 1;
          break;
        }
    }
    if (!ok) continue;
    f->bits[d >> 3] |= (unsigned char)(1u << (d & 7));
    n++;
  }
  cari_free(want);
  f->count = n;
  *out = f;
  return CARI_OK;
}

long long qry_meta_sec(const qry_meta *m, long long doc) {
  return doc >= 0 && doc < m->ndoc ? m->sec[doc] : UNDATED;
}

/* ------------------------------------------------------------------ */
/* the whole match set                                                 */
/* ------------------------------------------------------------------ */

typedef struct {
  const char *value;
  long long n;
} facet_row;

static int cmp_facet(const void *a, const void *b) {
  const facet_row *x = a, *y = b;
  if (x->n != y->n) return x->n > y->n ? -1 : 1;
  return strcmp(x->value, y->value);
}

/* Most frequent first (then by value), at most `limit`, into *out. */
static int facet_pick(const long long *count, int nval, const char *const *value,
                      int limit, qry_facet *out) {
  int n = 0;
  for (int i = 0; i < nval; i++) n += count[i] > 0;
  facet_row *r = cari_malloc(((size_t)n + 1) * sizeof *r);
  if (!r) return CARI_NOMEM;
  n = 0;
  for (int i = 0; i < nval; i++)
    if (count[i] > 0) r[n++] = (facet_row){value[i], count[i]};
  qsort(r, (size_t)n, sizeof *r, cmp_facet);
  if (n > limit) n = limit;
  out->value = cari_calloc((size_t)n + 1, sizeof *out->value);
  out->count = cari_calloc((size_t)n + 1, sizeof *out->count);
  if (!out->value || !out->count) {
    cari_free(r);
    return CARI_NOMEM;
  }
  for (int i = 0; i < n; i++) {
    if (!(out->value[i] = cari_strdup(r[i].value))) {
      cari_free(r);
      return CARI_NOMEM;
    }
    out->count[i] = r[i].n;
    out->n = i + 1;
  }
  cari_free(r);
  return CARI_OK;
}

void qry_facets_free(qry_facets *fc) {
  if (!fc) return;
  for (int f = 0; f < 2; f++) {
    for (int i = 0; i < fc->f[f].n; i++) cari_free(fc->f[f].value[i]);
    cari_free(fc->f[f].value);
    cari_free(fc->f[f].count);
  }
  memset(fc, 0, sizeof *fc);
}

/* One article of the match set. */
static int scan_doc(qry_meta *m, qry_scan *sc, const qry_filter *filter,
                    long long d, long long *tagn, long long *yearn) {
  if (filter && !qry_filter_has(filter, d)) return CARI_OK;
  sc->total++;
  if (sc->docs) {
    int rc = CARI_OK;
    sc->docs = cari_grow(&rc, sc->docs, &sc->capdoc, (size_t)sc->ndoc + 1,
                         sizeof *sc->docs);
    if (rc) return rc;
    sc->docs[sc->ndoc++] = d;
  }
  if (tagn && d >= 0 && d < m->ndoc) {
    for (int k = m->toff[d]; k < m->toff[d + 1]; k++) tagn[m->tid[k]]++;
    if (m->year[d]) yearn[m->year[d]]++;
  }
  return CARI_OK;
}

int qry_meta_scan(qry_meta *m, qry_topk *t, const qry_plan *pl,
                  const char *expr, const qry_filter *filter, qry_scan *sc,
                  char *err, size_t errcap) {
  int rc = qry_meta_refresh(m, err, errcap);
  if (rc) return rc;
  /* The match set from the postings when they can tell. */
  long long *all = NULL, nall = -1;
  if (t && pl && (rc = qry_topk_matches(t, pl, &all, &nall, err, errcap)))
    return rc;
  sc->total = 0;
  long long *tagn = NULL, *yearn = NULL;
  if (sc->facet_limit > 0) {
    tagn = cari_calloc((size_t)m->ntag + 1, sizeof *tagn);
    yearn = cari_calloc(10000, sizeof *yearn);
    if (!tagn || !yearn) {
      cari_free(tagn);
      cari_free(yearn);
      return nomem(err, errcap);
    }
  }
  sqlite3_stmt *st = NULL;
  int x = SQLITE_DONE;
  for (long long i = 0; i < nall && x == SQLITE_DONE; i++)
    if (scan_doc(m, sc, filter, all[i], tagn, yearn)) x = SQLITE_NOMEM;
  cari_free(all);
  if (nall < 0 &&
      (x = sqlite3_prepare_v2(m->db, "SELECT rowid FROM " IDX_FTS " WHERE "
                              IDX_FTS " MATCH ?1", -1, &st, NULL)) ==
          SQLITE_OK) {
    sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
    while ((x = sqlite3_step(st)) == SQLITE_ROW)
      if (scan_doc(m, sc, filter, sqlite3_column_int64(st, 0), tagn, yearn)) {
        x = SQLITE_NOMEM;
        break;
      }
    sqlite3_finalize(st);
  }
  if (x != SQLITE_DONE) {
    cari_free(tagn);
    cari_free(yearn);
    return x == SQLITE_NOMEM ? nomem(err, errcap)
                             : idx_sql_fail(m->db, x, "cannot count matches",
                                            err, errcap);
  }
  if (tagn) {
    /* The years that occur, as text. */
    int ny = 0;
    for (int y = 0; y < 10000; y++) ny += yearn[y] > 0;
    char (*ys)[12] = cari_malloc(((size_t)ny + 1) * sizeof *ys); /* any int */
    const char **yv = cari_malloc(((size_t)ny + 1) * sizeof *yv);
    long long *yc = cari_malloc(((size_t)ny + 1) * sizeof *yc);
    ny = 0;
    for (int y = 0; ys && yv && yc && y < 10000; y++)
      if (yearn[y] > 0) {
        snprintf(ys[ny], sizeof ys[ny], "%d", y);
        yv[ny] = ys[ny];
        yc[ny++] = yearn[y];
      }
    rc = ys && yv && yc ? facet_pick(tagn, m->ntag,
                                     (const char *const *)m->shown,
                                     sc->facet_limit, &sc->facets.f[0])
                        : CARI_NOMEM;
    if (rc == CARI_OK)
      rc = facet_pick(yc, ny, yv, sc->facet_limit, &sc->facets.f[1]);
    cari_free(ys);
    cari_free(yv);
    cari_free(yc);
    cari_free(tagn);
    cari_free(yearn);
    if (rc) {
      qry_facets_free(&sc->facets);
      return nomem(err, errcap);
    }
  }
  return CARI_OK;
}
