/*
** test_filters.c — filters, sorting by date, facets, related articles and
** suggestions (issue 12), through include/cari.h:
**   - cari_parse_date on a table of accepted and refused texts;
**   - on a generated collection with tags and dates (some undated, some
**     dates not ISO 8601, tags written in several cases), through a blog's
**     states (after a build; with articles added, replaced and removed
**     since): thousands of random queries with random filters, whose
**     results must equal the unfiltered ranking of every match restricted
**     to the filter (same articles, order and scores, bit for bit), pruned
**     and exhaustive alike; sorted by date, the same list ordered newest
**     first, ties by score; the total and the facet counts equal to counts
**     over that whole list; the total of random queries (words, phrases,
**     prefixes, exclusions) equal to FTS5's count(*) of the expression;
**   - suggestions and their counts as articles come and go; the
**     co-occurrence preference; related articles (a twin comes first, the
**     article itself never); an older database gaining the tables.
*/
#include "cari.h"
#include "test.h"

#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static uint64_t next_rand(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

/* ------------------------------------------------------------------ */
/* dates                                                               */
/* ------------------------------------------------------------------ */

static void test_dates(void) {
  static const struct {
    const char *text;
    int ok;
    long long sec, day;
  } rows[] = {
      {"1970-01-01", 1, 0, 0},
      {"2024-02-29", 1, 1709164800, 19782},
      {"2023-02-29", 0, 0, 0},
      {"2024-13-01", 0, 0, 0},
      {"2024-01-00", 0, 0, 0},
      {" 2024-03-05 ", 1, 1709596800, 19787},
      {"2024-03-05T10:20", 1, 1709634000, 19787},
      {"2024-03-05T10:20:30Z", 1, 1709634030, 19787},
      {"2024-03-05 10:20:30.125", 1, 1709634030, 19787},
      {"2024-01-01T03:00:00+07:00", 1, 1704052800, 19723},
      {"2024-01-01T03:00:00+0700", 1, 1704052800, 19723},
      {"2024-01-01 03:00 +07", 1, 1704052800, 19723},
      {"2023-12-31T22:00:00-05:00", 1, 1704078000, 19722},
      {"1969-12-31", 1, -86400, -1},
      {"2024-03-05T25:00", 0, 0, 0},
      {"2024-03-05T10", 0, 0, 0},
      {"2024-03-05X", 0, 0, 0},
      {"5 Maret 2024", 0, 0, 0},
      {"2024/03/05", 0, 0, 0},
      {"20240305", 0, 0, 0},
      {"", 0, 0, 0},
      {"2024-03-05T10:20+15:00", 0, 0, 0},
  };
  for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
    long long sec = -7, day = -7;
    int rc = cari_parse_date(rows[i].text, &sec, &day);
    char id[80];
    snprintf(id, sizeof id, "date '%s'", rows[i].text);
    CHECK_INT(id, rc, rows[i].ok ? CARI_OK : CARI_INVALID);
    if (rows[i].ok && rc == CARI_OK) {
      CHECK_INT(id, sec, rows[i].sec);
      CHECK_INT(id, day, rows[i].day);
    }
  }
  CHECK_INT("date NULL", cari_parse_date(NULL, NULL, NULL), CARI_INVALID);
}

/* ------------------------------------------------------------------ */
/* the generated collection                                            */
/* ------------------------------------------------------------------ */

#define NWORD 3000
#define MAXART 4000
static char words[NWORD][16];

/* Word i: syllables from its number (distinct, pronounceable). */
static void make_words(void) {
  static const char *const syl[] = {"ka", "ri", "mu", "to", "se", "la", "pa",
                                    "di", "no", "be", "su", "ga", "wi", "ho",
                                    "ne", "ja"};
  for (int i = 0; i < NWORD; i++) {
    int k = 0, v = i + 17;
    words[i][0] = 0;
    do {
      k += snprintf(words[i] + k, sizeof words[i] - (size_t)k, "%s",
                    syl[v % 16]);
      v /= 16;
    } while (v && k < 12);
  }
}

static const char *zipf(void) {
  static double cdf[NWORD];
  if (cdf[NWORD - 1] == 0) {
    double s = 0;
    for (int i = 0; i < NWORD; i++) cdf[i] = (s += 1.0 / pow(i + 1, 1.05));
    for (int i = 0; i < NWORD; i++) cdf[i] /= s;
  }
  double u = (double)(next_rand() >> 11) / 9007199254740992.0;
  int lo = 0, hi = NWORD - 1;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    if (cdf[mid] < u) lo = mid + 1;
    else hi = mid;
  }
  return words[lo];
}

static char *text(int n) {
  size_t cap = (size_t)n * 16 + 1, k = 0;
  char *s = malloc(cap);
  s[0] = 0;
  for (int i = 0; i < n; i++)
    k += (size_t)snprintf(s + k, cap - k, "%s%s", i ? " " : "", zipf());
  return s;
}

/* Tags: "Kuliner" on about 10% of articles, others rarer or commoner,
** written in varying case and with blanks. */
static const char *const tagnames[] = {"Kuliner", "wisata", "Teknologi",
                                       "olahraga", "BUDAYA", "kopi"};
static const int tagpct[] = {10, 30, 5, 50, 2, 15};
#define NTAGS 6

typedef struct {
  char id[16];
  int tag[NTAGS];   /* holds tag t */
  long long sec, day; /* LLONG_MIN: undated */
  int live;
} art;
static art arts[MAXART];
static int narts;

static int put_art(cari_db *db, int i) {
  art *a = &arts[i];
  snprintf(a->id, sizeof a->id, "a%d", i);
  const char *tags[NTAGS];
  char spelled[NTAGS][24];
  int nt = 0;
  for (int t = 0; t < NTAGS; t++) {
    a->tag[t] = (int)(next_rand() % 100) < tagpct[t];
    if (!a->tag[t]) continue;
    const char *w = tagnames[t];
    switch (next_rand() % 3) { /* as people write them */
    case 0: snprintf(spelled[nt], sizeof spelled[nt], "%s", w); break;
    case 1: snprintf(spelled[nt], sizeof spelled[nt], " %s ", w); break;
    default: {
      size_t k = 0;
      for (; w[k]; k++) spelled[nt][k] = (char)(w[k] ^ 0x20);
      spelled[nt][k] = 0;
    }
    }
    tags[nt] = spelled[nt];
    nt++;
  }
  char date[40];
  int kind = (int)(next_rand() % 20);
  int y = 2019 + (int)(next_rand() % 6), m = 1 + (int)(next_rand() % 12),
      d = 1 + (int)(next_rand() % 28), h = (int)(next_rand() % 24);
  if (kind == 0) date[0] = 0;                            /* none */
  else if (kind == 1) snprintf(date, sizeof date, "%d Maret", d); /* bad */
  else if (kind < 8) snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, d);
  else /* a few share an instant: ties by score */
    snprintf(date, sizeof date, "%04d-%02d-%02dT%02d:00:00+07:00", y, m, d,
             kind < 10 ? 12 : h);
  a->sec = a->day = INT64_MIN;
  if (date[0] && cari_parse_date(date, &a->sec, &a->day) != CARI_OK)
    a->sec = a->day = INT64_MIN;
  char *title = text(2 + (int)(next_rand() % 6));
  char *body = text(10 + (int)(next_rand() % 100));
  cari_article ca = {a->id, title, body, NULL, date[0] ? date : NULL,
                     nt ? tags : NULL, (size_t)nt, NULL, NULL};
  int rc = cari_put(db, &ca);
  free(title);
  free(body);
  a->live = rc == CARI_OK;
  return rc;
}

static int art_of(const char *id) {
  int i = id && id[0] == 'a' ? atoi(id + 1) : -1;
  return i >= 0 && i < narts ? i : -1;
}

/* ------------------------------------------------------------------ */
/* filtered against unfiltered                                         */
/* ------------------------------------------------------------------ */

typedef struct {
  int art;
  double score;
  char id[16];
} row;

/* Every result of a search (limit, offset as given) into rows. */
static int run(cari_db *db, const char *q, cari_search_opts *o, row *rows,
               int cap, long long *total, const char *id) {
  cari_cursor *c;
  int rc = cari_search(db, q, -1, o, &c), n = 0;
  if (rc == CARI_QUERY) return -1;
  CHECK(id, rc == CARI_OK, "search: %s", cari_errmsg(db));
  if (rc) return -1;
  while ((rc = cari_next(c)) == CARI_ROW && n < cap) {
    rows[n].art = art_of(cari_result_id(c));
    snprintf(rows[n].id, sizeof rows[n].id, "%s", cari_result_id(c));
    rows[n++].score = cari_result_score(c);
  }
  CHECK(id, rc == CARI_DONE, "next: %d %s", rc, cari_errmsg(db));
  if (total) {
    rc = cari_cursor_total(c, total);
    CHECK(id, rc == CARI_OK, "total: %s", cari_errmsg(db));
  }
  cari_cursor_free(c);
  return n;
}

typedef struct {
  int tags[2], ntags;
  int has_from, has_to;
  long long from_day, to_day;
  char from[16], to[16];
} filt;

static int passes(const filt *f, const art *a) {
  for (int i = 0; i < f->ntags; i++)
    if (!a->tag[f->tags[i]]) return 0;
  if (f->has_from || f->has_to) {
    if (a->day == INT64_MIN) return 0;
    if (f->has_from && a->day < f->from_day) return 0;
    if (f->has_to && a->day > f->to_day) return 0;
  }
  return 1;
}

static void random_filter(filt *f) {
  memset(f, 0, sizeof *f);
  int kind = (int)(next_rand() % 4);
  if (kind == 0 || kind == 2) {
    f->ntags = 1 + (next_rand() % 4 == 0);
    for (int i = 0; i < f->ntags; i++)
      f->tags[i] = (int)(next_rand() % NTAGS);
  }
  if (kind >= 1) {
    int y = 2019 + (int)(next_rand() % 6);
    int which = (int)(next_rand() % 3);
    if (which != 1) {
      f->has_from = 1;
      snprintf(f->from, sizeof f->from, "%04d-01-01", y);
      cari_parse_date(f->from, NULL, &f->from_day);
    }
    if (which != 2) {
      f->has_to = 1;
      snprintf(f->to, sizeof f->to, "%04d-12-31", y + (int)(next_rand() % 2));
      cari_parse_date(f->to, NULL, &f->to_day);
    }
  }
}

static int cmp_dated(const void *x, const void *y) {
  const row *a = x, *b = y;
  long long sa = arts[a->art].sec, sb = arts[b->art].sec;
  if (sa != sb) return sa > sb ? -1 : 1;
  if (a->score != b->score) return a->score > b->score ? -1 : 1;
  return 0; /* stable order below keeps rank order (rowid) */
}

/* Merge sort by date: qsort is not stable, and equal (date, score) keep
** their ranking order (rowid). */
static void sort_dated(row *r, int n, row *tmp) {
  if (n < 2) return;
  int h = n / 2;
  sort_dated(r, h, tmp);
  sort_dated(r + h, n - h, tmp);
  int i = 0, j = h, k = 0;
  while (i < h || j < n)
    tmp[k++] = j >= n || (i < h && cmp_dated(&r[i], &r[j]) <= 0) ? r[i++]
                                                                  : r[j++];
  memcpy(r, tmp, (size_t)n * sizeof *r);
}

static row all[MAXART + 8], got[MAXART + 8], want[MAXART + 8], tmp[MAXART + 8];
static int nqueries, nfiltered_hits;

static void compare_filtered(cari_db *db, const char *stage, const char *q,
                             int exhaustive) {
  char id[400];
  filt f;
  random_filter(&f);
  int limit = next_rand() % 4 ? 10 : 1 + (int)(next_rand() % 60);
  int offset = next_rand() % 5 ? 0 : (int)(next_rand() % 20);
  int sort = (int)(next_rand() % 3 == 0);
  snprintf(id, sizeof id, "%s: '%s' tags %d:%s,%s from %s to %s sort %d "
           "limit %d offset %d%s", stage, q, f.ntags,
           f.ntags ? tagnames[f.tags[0]] : "",
           f.ntags > 1 ? tagnames[f.tags[1]] : "", f.from, f.to, sort, limit,
           offset, exhaustive ? " exhaustive" : "");
  /* The whole unfiltered ranking. */
  cari_search_opts o = CARI_SEARCH_OPTS_INIT;
  o.limit = MAXART;
  o.flags = CARI_SEARCH_NO_SNIPPET;
  o.max_ms = -1;
  int n = run(db, q, &o, all, MAXART, NULL, id);
  if (n < 0) return;
  int nw = 0;
  for (int i = 0; i < n; i++)
    if (all[i].art >= 0 && passes(&f, &arts[all[i].art])) want[nw++] = all[i];
  if (sort) sort_dated(want, nw, tmp);
  /* The filtered search. */
  const char *tags[2];
  for (int i = 0; i < f.ntags; i++) tags[i] = tagnames[f.tags[i]];
  memset(&o, 0, sizeof o);
  o.size = sizeof o;
  o.limit = limit;
  o.offset = offset;
  o.flags = CARI_SEARCH_NO_SNIPPET | (exhaustive ? CARI_SEARCH_EXHAUSTIVE : 0);
  o.max_ms = -1;
  o.tags = tags;
  o.ntags = f.ntags;
  o.from = f.has_from ? f.from : NULL;
  o.to = f.has_to ? f.to : NULL;
  o.sort = sort ? CARI_SORT_DATE : CARI_SORT_RELEVANCE;
  long long total = -1;
  int ng = run(db, q, &o, got, MAXART, &total, id);
  nqueries++;
  int expect = nw - offset < 0 ? 0 : nw - offset > limit ? limit : nw - offset;
  int same = ng == expect;
  for (int i = 0; same && i < ng; i++)
    same = got[i].art == want[offset + i].art &&
           got[i].score == want[offset + i].score;
  nfiltered_hits += ng;
  if (same) test_passed++;
  else {
    T_FAIL(id, "filtered %d hits, want %d", ng, expect);
    for (int i = 0; i < ng || i < expect; i++)
      fprintf(stderr, "  %2d  %6s %.17g   %6s %.17g\n", i,
              i < ng ? got[i].id : "-", i < ng ? got[i].score : 0,
              i < expect ? want[offset + i].id : "-",
              i < expect ? want[offset + i].score : 0);
  }
  CHECK_INT(id, total, nw);
}

/* Facets against counts over the whole filtered match set. */
static void compare_facets(cari_db *db, const char *q) {
  char id[300];
  filt f;
  random_filter(&f);
  snprintf(id, sizeof id, "facets '%s' tags %d from %s to %s", q, f.ntags,
           f.from, f.to);
  cari_search_opts o = CARI_SEARCH_OPTS_INIT;
  o.limit = MAXART;
  o.flags = CARI_SEARCH_NO_SNIPPET;
  o.max_ms = -1;
  int n = run(db, q, &o, all, MAXART, NULL, id);
  if (n < 0) return;
  long long tagn[NTAGS] = {0}, yearn[10] = {0}, nall = 0;
  for (int i = 0; i < n; i++) {
    const art *a = all[i].art >= 0 ? &arts[all[i].art] : NULL;
    if (!a || !passes(&f, a)) continue;
    nall++;
    for (int t = 0; t < NTAGS; t++) tagn[t] += a->tag[t];
    if (a->day != INT64_MIN) {
      /* the year of the day as written */
      long long z = a->day + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
      long long doe = z - era * 146097;
      long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
      long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
      long long mp = (5 * doy + 2) / 153, yy = yoe + era * 400 + (mp >= 10);
      if (yy >= 2018 && yy < 2028) yearn[yy - 2018]++;
    }
  }
  const char *tags[2];
  for (int i = 0; i < f.ntags; i++) tags[i] = tagnames[f.tags[i]];
  memset(&o, 0, sizeof o);
  o.size = sizeof o;
  o.limit = 3;
  o.flags = CARI_SEARCH_FACETS;
  o.facet_limit = 100;
  o.max_ms = -1;
  o.tags = tags;
  o.ntags = f.ntags;
  o.from = f.has_from ? f.from : NULL;
  o.to = f.has_to ? f.to : NULL;
  cari_cursor *c;
  int rc = cari_search(db, q, -1, &o, &c);
  CHECK(id, rc == CARI_OK, "search: %s", cari_errmsg(db));
  if (rc) return;
  const char *v;
  long long cnt, prev = INT64_MAX, sum[NTAGS] = {0}, ysum[10] = {0};
  int i = 0, ok = 1;
  while ((rc = cari_cursor_facet(c, "tags", i++, &v, &cnt)) == CARI_ROW) {
    int t = -1;
    for (int k = 0; k < NTAGS; k++)
      if (!strcasecmp(v, tagnames[k])) t = k;
    ok &= t >= 0 && cnt <= prev && cnt > 0;
    prev = cnt;
    if (t >= 0) sum[t] = cnt;
  }
  CHECK_INT(id, rc, CARI_DONE);
  for (int t = 0; t < NTAGS; t++) ok &= sum[t] == tagn[t];
  CHECK(id, ok, "tag facet counts differ (first: %s %lld)", tagnames[0],
        sum[0]);
  i = 0;
  prev = INT64_MAX;
  ok = 1;
  while ((rc = cari_cursor_facet(c, "year", i++, &v, &cnt)) == CARI_ROW) {
    int y = atoi(v);
    ok &= y >= 2018 && y < 2028 && cnt <= prev;
    prev = cnt;
    if (y >= 2018 && y < 2028) ysum[y - 2018] = cnt;
  }
  CHECK_INT(id, rc, CARI_DONE);
  for (int y = 0; y < 10; y++) ok &= ysum[y] == yearn[y];
  CHECK(id, ok, "year facet counts differ");
  long long total = -1;
  CHECK_INT(id, cari_cursor_total(c, &total), CARI_OK);
  CHECK_INT(id, total, nall);
  CHECK_INT(id, cari_cursor_facet(c, "author", 0, &v, &cnt), CARI_INVALID);
  cari_cursor_free(c);
  /* A cap of 2: the two most frequent. */
  o.facet_limit = 2;
  rc = cari_search(db, q, -1, &o, &c);
  CHECK(id, rc == CARI_OK, "search: %s", cari_errmsg(db));
  if (rc) return;
  int k = 0;
  while (cari_cursor_facet(c, "tags", k, &v, &cnt) == CARI_ROW) k++;
  int nonzero = 0;
  for (int t = 0; t < NTAGS; t++) nonzero += tagn[t] > 0;
  CHECK_INT(id, k, nonzero < 2 ? nonzero : 2);
  cari_cursor_free(c);
}

/* The total (cari_cursor_total) against FTS5's own count of the
** expression searched, on a second connection: words, exclusions,
** phrases and prefixes, pruned and exhaustive. */
static int ntotals;
static void compare_total(cari_db *db, sqlite3 *raw, const char *stage,
                          int exhaustive) {
  char q[200], id[300];
  int k = 0, nw = 1 + (int)(next_rand() % 3);
  for (int j = 0; j < nw; j++) {
    const char *w = zipf();
    switch (next_rand() % 8) {
    case 0: /* a phrase */
      k += snprintf(q + k, sizeof q - (size_t)k, "%s\"%s %s\"", j ? " " : "",
                    w, zipf());
      break;
    case 1: /* a prefix of 2 to 4 letters */
      k += snprintf(q + k, sizeof q - (size_t)k, "%s%.*s*", j ? " " : "",
                    2 + (int)(next_rand() % 3), w);
      break;
    case 2: /* an exclusion, after a word */
      k += snprintf(q + k, sizeof q - (size_t)k, "%s%s -%s", j ? " " : "", w,
                    zipf());
      break;
    default:
      k += snprintf(q + k, sizeof q - (size_t)k, "%s%s", j ? " " : "", w);
    }
  }
  snprintf(id, sizeof id, "total %s: '%s'%s", stage, q,
           exhaustive ? " exhaustive" : "");
  cari_search_opts o = CARI_SEARCH_OPTS_INIT;
  o.flags = CARI_SEARCH_NO_SNIPPET | (exhaustive ? CARI_SEARCH_EXHAUSTIVE : 0);
  o.max_ms = -1;
  cari_cursor *c;
  int rc = cari_search(db, q, -1, &o, &c);
  if (rc == CARI_QUERY) return;
  CHECK(id, rc == CARI_OK, "search: %s", cari_errmsg(db));
  if (rc) return;
  long long total = -1, fts = -2;
  CHECK_INT(id, cari_cursor_total(c, &total), CARI_OK);
  sqlite3_stmt *st;
  int x = sqlite3_prepare_v2(raw, "SELECT count(*) FROM articles_fts WHERE "
                             "articles_fts MATCH ?1", -1, &st, NULL);
  CHECK(id, x == SQLITE_OK, "prepare: %s", sqlite3_errmsg(raw));
  if (x == SQLITE_OK) {
    sqlite3_bind_text(st, 1, cari_cursor_expr(c), -1, SQLITE_TRANSIENT);
    x = sqlite3_step(st);
    CHECK(id, x == SQLITE_ROW, "count: %s", sqlite3_errmsg(raw));
    if (x == SQLITE_ROW) fts = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
  }
  CHECK(id, total == fts, "total %lld, FTS5 counts %lld (%s)", total, fts,
        cari_cursor_expr(c));
  ntotals++;
  cari_cursor_free(c);
}

static void random_totals(cari_db *db, const char *path, const char *stage,
                          int n) {
  sqlite3 *raw = NULL;
  cari_db *wrap = NULL;
  int x = sqlite3_open_v2(path, &raw, SQLITE_OPEN_READWRITE, NULL);
  CHECK_INT("raw open", x, SQLITE_OK);
  /* The tokenizer registered on the second connection. */
  int rc = x == SQLITE_OK ? cari_open_sqlite(raw, NULL, &wrap) : CARI_ERROR;
  CHECK(stage, rc == CARI_OK, "cari_open_sqlite: %s", cari_errmsg(wrap));
  for (int i = 0; rc == CARI_OK && i < n; i++)
    compare_total(db, raw, stage, (int)(next_rand() % 6 == 0));
  CHECK_INT("wrap close", cari_close(wrap), CARI_OK);
  CHECK_INT("raw close", sqlite3_close(raw), SQLITE_OK);
}

static void random_queries(cari_db *db, const char *stage, int n) {
  for (int i = 0; i < n; i++) {
    char q[200];
    int nw = 1 + (int)(next_rand() % 3), k = 0;
    for (int j = 0; j < nw; j++)
      k += snprintf(q + k, sizeof q - (size_t)k, "%s%s", j ? " " : "",
                    zipf());
    if (next_rand() % 15 == 0)
      snprintf(q + k, sizeof q - (size_t)k, " -%s", zipf());
    compare_filtered(db, stage, q, (int)(next_rand() % 8 == 0));
    if (i % 20 == 0) compare_facets(db, q);
  }
}

static void test_collection(const char *path) {
  cari_db *db;
  CHECK("open", test_remove_db(path) && cari_open(path, NULL, CARI_OPEN_ONE_THREAD,
                                                   &db) == CARI_OK,
        "%s", cari_errmsg(db));
  make_words();
  narts = 1500;
  CHECK_INT("begin", cari_begin(db), CARI_OK);
  int bad = 0;
  for (int i = 0; i < narts; i++) bad += put_art(db, i) != CARI_OK;
  CHECK_INT("commit", cari_commit(db), CARI_OK);
  CHECK_INT("puts", bad, 0);
  CHECK_INT("optimize", cari_optimize(db), CARI_OK);
  random_queries(db, "after build", 1000);
  random_totals(db, path, "after build", 400);
  /* Added, replaced and removed since the build. */
  int before = narts;
  narts += 300;
  for (int i = before; i < narts; i++) bad += put_art(db, i) != CARI_OK;
  for (int i = 0; i < 100; i++) bad += put_art(db, (int)(next_rand() % 1200)) != CARI_OK;
  for (int i = 0; i < 50; i++) {
    int k = (int)(next_rand() % 1200);
    if (!arts[k].live) continue;
    bad += cari_remove(db, arts[k].id) != CARI_OK;
    arts[k].live = 0;
  }
  CHECK_INT("changes", bad, 0);
  random_queries(db, "after changes", 1000);
  random_totals(db, path, "after changes", 400);
  CHECK_INT("check", cari_check(db), CARI_OK);
  printf("filters: %d queries compared, %d filtered hits, %d totals\n",
         nqueries, nfiltered_hits, ntotals);
  CHECK("totals", ntotals > 600, "only %d totals compared", ntotals);
  CHECK("hits", nfiltered_hits > nqueries, "too few hits to mean anything");

  /* Tags as written, trimmed. */
  const char *tags[] = {" Kopi Susu ", "kopi SUSU", "Senja"};
  cari_article a = {"tagged", "zzunik", "teks", NULL, "2020-05-05", tags, 3,
                    NULL, NULL};
  CHECK_INT("put tagged", cari_put(db, &a), CARI_OK);
  cari_search_opts o = CARI_SEARCH_OPTS_INIT;
  const char *want_tag[] = {"kopi susu"};
  o.tags = want_tag;
  o.ntags = 1;
  cari_cursor *c;
  CHECK_INT("tag search", cari_search(db, "zzunik", -1, &o, &c), CARI_OK);
  CHECK_INT("tag next", cari_next(c), CARI_ROW);
  CHECK_INT("ntags", cari_result_ntags(c), 3);
  CHECK_STR("tag 0", cari_result_tag(c, 0), "Kopi Susu");
  CHECK_STR("tag 1", cari_result_tag(c, 1), "kopi SUSU");
  CHECK_STR("tag 3", cari_result_tag(c, 3), NULL);
  CHECK_INT("tag done", cari_next(c), CARI_DONE);
  cari_cursor_free(c);
  o.ntags = 0;
  o.from = "2020-05-06";
  CHECK_INT("from after", cari_search(db, "zzunik", -1, &o, &c), CARI_OK);
  CHECK_INT("from after: none", cari_next(c), CARI_DONE);
  cari_cursor_free(c);
  o.from = "5 Mei";
  CHECK_INT("bad from", cari_search(db, "zzunik", -1, &o, &c), CARI_INVALID);
  CHECK("bad from message", strstr(cari_errmsg(db), "5 Mei") != NULL, "%s",
        cari_errmsg(db));
  o.from = NULL;
  o.sort = 7;
  CHECK_INT("bad sort", cari_search(db, "zzunik", -1, &o, &c), CARI_INVALID);
  CHECK_INT("close", cari_close(db), CARI_OK);
  CHECK("remove", test_remove_db(path), "cannot remove %s", path);
}

/* ------------------------------------------------------------------ */
/* suggestions, related articles, older databases                      */
/* ------------------------------------------------------------------ */

static int put(cari_db *db, const char *id, const char *title,
               const char *body) {
  cari_article a = {id, title, body, NULL, NULL, NULL, 0, NULL, NULL};
  return cari_put(db, &a);
}

/* The suggestions for text as "w1:n1 w2:n2". */
static void suggest_is(cari_db *db, const char *text, int limit,
                       const char *expect) {
  cari_suggestion *s;
  int n;
  char line[400] = "", id[100];
  snprintf(id, sizeof id, "suggest '%s'", text);
  int rc = cari_suggest(db, text, -1, limit, &s, &n);
  CHECK(id, rc == CARI_OK, "%s", cari_errmsg(db));
  size_t k = 0;
  for (int i = 0; rc == CARI_OK && i < n; i++)
    k += (size_t)snprintf(line + k, sizeof line - k, "%s%s:%lld", i ? " " : "",
                          s[i].word, s[i].count);
  cari_suggestions_free(s);
  CHECK_STR(id, line, expect);
}

static void test_suggest(const char *path) {
  cari_db *db;
  CHECK("s open", test_remove_db(path) && cari_open(path, NULL, 0, &db) ==
                                              CARI_OK, "%s", cari_errmsg(db));
  CHECK_INT("s1", put(db, "1", "Makan siang", "Makanan enak di warung."), 0);
  CHECK_INT("s2", put(db, "2", "Makan malam", "Makan bersama keluarga."), 0);
  CHECK_INT("s3", put(db, "3", "Harga mahal", "Semua serba mahal, makan pun."), 0);
  CHECK_INT("s4", put(db, "4", "Malam minggu", "Jalan-jalan malam di kota."), 0);
  CHECK_INT("s5", put(db, "5", "Mahal", "Mahal sekali, Mahalnya!"), 0);
  suggest_is(db, "ma", 10, "makan:3 mahal:2 malam:2 mahalnya:1 makanan:1");
  suggest_is(db, "MA", 2, "makan:3 mahal:2");
  suggest_is(db, "Makan", 10, "makan:3 makanan:1");
  suggest_is(db, "zz", 10, "");
  suggest_is(db, "makan ", 10, "");
  suggest_is(db, "", 10, "");
  /* Earlier words: a word found with them moves up (malam, with kota,
  ** before mahal: (1 + 10 * 2/5) / (1 + 10) against (0 + 10 * 2/5) / 11);
  ** function words are no context. */
  suggest_is(db, "ma", 3, "makan:3 mahal:2 malam:2");
  suggest_is(db, "kota ma", 3, "makan:3 malam:2 mahal:2");
  suggest_is(db, "yang ma", 3, "makan:3 mahal:2 malam:2");
  /* Updated with the index. */
  CHECK_INT("s rm", cari_remove(db, "5"), CARI_OK);
  suggest_is(db, "mah", 10, "mahal:1");
  CHECK_INT("s replace", put(db, "3", "Harga", "Murah."), 0);
  suggest_is(db, "mah", 10, "");
  suggest_is(db, "jalan", 10, "jalan-jalan:1");
  CHECK_INT("s optimize", cari_optimize(db), CARI_OK);
  suggest_is(db, "ma", 10, "makan:2 malam:2 makanan:1");
  cari_suggestion *s = NULL;
  int n = 7;
  CHECK_INT("s null", cari_suggest(db, NULL, -1, 5, &s, &n), CARI_INVALID);
  CHECK_INT("s null n", n, 0);
  CHECK_INT("s close", cari_close(db), CARI_OK);
}

static void test_related(const char *path) {
  cari_db *db;
  CHECK("r open", test_remove_db(path) && cari_open(path, NULL, 0, &db) ==
                                              CARI_OK, "%s", cari_errmsg(db));
  const char *twin = "Petani kopi di lereng gunung memanen buah kopi merah "
                     "lalu menjemurnya di halaman rumah.";
  CHECK_INT("r1", put(db, "k1", "Panen kopi", twin), 0);
  CHECK_INT("r2", put(db, "k2", "Panen kopi", twin), 0);
  CHECK_INT("r3", put(db, "b1", "Banjir", "Banjir melanda desa di tepi "
                      "sungai; warga mengungsi ke balai desa."), 0);
  CHECK_INT("r4", put(db, "b2", "Relawan banjir", "Relawan membantu warga "
                      "desa yang mengungsi karena banjir."), 0);
  CHECK_INT("r4b", put(db, "b3", "Sungai meluap", "Air sungai naik, warga "
                       "waspada."), 0);
  CHECK_INT("r5", put(db, "m", "Memasak", "Resep sayur asem dari dapur."), 0);
  for (int opt = 0; opt < 2; opt++) {
    cari_cursor *c;
    const char *ids[] = {"k1", "b1"}, *first[] = {"k2", "b2"};
    for (int i = 0; i < 2; i++) {
      char id[60];
      snprintf(id, sizeof id, "related %s%s", ids[i], opt ? " optimized" : "");
      int rc = cari_related(db, ids[i], NULL, &c);
      CHECK(id, rc == CARI_OK, "%s", cari_errmsg(db));
      if (rc) continue;
      CHECK_INT(id, cari_next(c), CARI_ROW);
      CHECK_STR(id, cari_result_id(c), first[i]);
      int self = 0, n = 1;
      while (cari_next(c) == CARI_ROW) {
        n++;
        self |= !strcmp(cari_result_id(c), ids[i]);
      }
      CHECK(id, !self, "the article itself is among its related ones");
      CHECK(id, n < 6, "%d related: itself or an unrelated one counted", n);
      cari_cursor_free(c);
    }
    /* Offset and limit: a window of the same list. */
    char list[5][8];
    int nl = 0;
    CHECK_INT("related list", cari_related(db, "b2", NULL, &c), CARI_OK);
    while (nl < 5 && cari_next(c) == CARI_ROW)
      snprintf(list[nl++], sizeof list[0], "%s", cari_result_id(c));
    cari_cursor_free(c);
    CHECK("related list n", nl >= 2, "%d", nl);
    for (int off = 0; off < nl; off++) {
      cari_search_opts o = CARI_SEARCH_OPTS_INIT;
      o.limit = 1;
      o.offset = off;
      CHECK_INT("related window", cari_related(db, "b2", &o, &c), CARI_OK);
      CHECK_INT("related window row", cari_next(c), CARI_ROW);
      CHECK_STR("related window id", cari_result_id(c), list[off]);
      CHECK_INT("related window end", cari_next(c), CARI_DONE);
      cari_cursor_free(c);
    }
    CHECK_INT("related missing", cari_related(db, "nope", NULL, &c),
              CARI_NOTFOUND);
    CHECK_INT("optimize", cari_optimize(db), CARI_OK);
  }
  CHECK_INT("r close", cari_close(db), CARI_OK);
}

/* A database from before the tables: opened read-only, searching works and
** filters say what to do; opened for writing, it gains them. */
static void test_old(const char *path) {
  cari_db *db;
  CHECK("o open", test_remove_db(path) && cari_open(path, NULL, 0, &db) ==
                                              CARI_OK, "%s", cari_errmsg(db));
  const char *tags[] = {"Resep"};
  cari_article a = {"x", "Sayur asem", "Masak sayur.", NULL, "2022-02-02",
                    tags, 1, NULL, NULL};
  CHECK_INT("o put", cari_put(db, &a), CARI_OK);
  CHECK_INT("o close", cari_close(db), CARI_OK);
  sqlite3 *s;
  CHECK_INT("o sqlite", sqlite3_open(path, &s), SQLITE_OK);
  CHECK_INT("o drop", sqlite3_exec(s, "DROP TRIGGER cari_meta_ai;"
                                   "DROP TRIGGER cari_meta_ad;"
                                   "DROP TRIGGER cari_meta_au;"
                                   "DROP TRIGGER cari_vocab_au;"
                                   "DROP TABLE cari_dates; DROP TABLE cari_tags;"
                                   "DROP TABLE cari_vocab;", NULL, NULL, NULL),
            SQLITE_OK);
  CHECK_INT("o sqlite close", sqlite3_close(s), SQLITE_OK);
  CHECK_INT("o ro", cari_open(path, NULL, CARI_OPEN_READONLY, &db), CARI_OK);
  cari_cursor *c;
  CHECK_INT("o plain", cari_search(db, "sayur", -1, NULL, &c), CARI_OK);
  CHECK_INT("o plain row", cari_next(c), CARI_ROW);
  cari_cursor_free(c);
  cari_search_opts o = CARI_SEARCH_OPTS_INIT;
  o.tags = tags;
  o.ntags = 1;
  CHECK_INT("o filter ro", cari_search(db, "sayur", -1, &o, &c), CARI_MISMATCH);
  CHECK("o filter message", strstr(cari_errmsg(db), "open it once for "
                                   "writing") != NULL, "%s", cari_errmsg(db));
  cari_suggestion *sg;
  int n;
  CHECK_INT("o suggest ro", cari_suggest(db, "sa", -1, 5, &sg, &n),
            CARI_MISMATCH);
  CHECK_INT("o ro close", cari_close(db), CARI_OK);
  CHECK_INT("o rw", cari_open(path, NULL, 0, &db), CARI_OK);
  CHECK_INT("o filter", cari_search(db, "sayur", -1, &o, &c), CARI_OK);
  CHECK_INT("o filter row", cari_next(c), CARI_ROW);
  CHECK_STR("o filter id", cari_result_id(c), "x");
  cari_cursor_free(c);
  suggest_is(db, "sa", 5, "sayur:1");
  CHECK_INT("o check", cari_check(db), CARI_OK);
  CHECK_INT("o close 2", cari_close(db), CARI_OK);
  CHECK("o remove", test_remove_db(path), "cannot remove %s", path);
}

int main(void) {
  char path[64];
  snprintf(path, sizeof path, "test_filters_%d.db", (int)getpid());
  test_dates();
  test_suggest(path);
  test_related(path);
  test_old(path);
  test_collection(path);
  test_remove_db(path);
  return test_report("test_filters");
}
