/*
** meta.c — what can be filtered and completed beside the full text: each
** article's normalised date and tags, and the vocabulary of words as
** written. Three side tables kept by triggers on `articles`, and the SQL
** functions those triggers call. It does not search them (query/meta.c
** does) and does not touch `articles` or its index (store.c does).
**
** THE TABLES (created on a writable open when missing, filled from the
** articles already stored: a database made before them gains them then)
**
**   cari_dates(doc INTEGER PRIMARY KEY, sec INTEGER, day INTEGER)
**     One row per article whose `date` is ISO 8601 (idx_date_parse): sec
**     is the instant in seconds since 1970-01-01T00:00Z (the zone applied;
**     none given: UTC), day the calendar date as written, in days since
**     1970-01-01 (so a post dated 2024-01-01T03:00+07:00 belongs to 2024,
**     although it is 2023 in UTC). Sorting uses sec, --from/--to and the
**     year facet use day. An article with no date, or one that is not
**     ISO 8601, has no row: it is undated.
**
**   cari_tags(tag TEXT, doc INTEGER, shown TEXT, PRIMARY KEY(tag, doc))
**     WITHOUT ROWID, and an index on doc. One row per distinct tag of an
**     article: tag is the tag trimmed and case-folded (NFKC, idx_tag_fold),
**     the form filters compare; shown is the tag trimmed, as written.
**
**   cari_vocab(word TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID
**     Every word as written (normalised by tokenize.c: case folded, marks
**     stripped) of two to IDX_VOCAB_MAX_WORD bytes without digits, with
**     the number of articles whose title or body holds it: the vocabulary
**     cari_suggest() completes from. A word whose articles are all gone
**     keeps its row with n = 0 until cari_optimize() removes it.
**
** The triggers call cari_date_sec(), cari_date_day(), cari_tag_fold() and
** cari_vocab_add() (below): a connection that writes `articles` must have
** them registered, as it must have the tokenizer (idx_fts5_register does
** both, in the library and in the loadable extension, which builds this
** file too, without the table management at its end).
*/
#ifdef CARI_EXTENSION
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT3
#else
#include <sqlite3.h>
#endif

#include "indexer.h"
#include "cari.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* ------------------------------------------------------------------ */
/* dates                                                               */
/* ------------------------------------------------------------------ */

/* Days since 1970-01-01 of a proleptic Gregorian date (the well-known
** era-based conversion: 400-year eras of 146097 days). */
long long idx_days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  long long era = (y >= 0 ? y : y - 399) / 400;
  long long yoe = y - era * 400;
  long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int idx_year_from_days(long long z) {
  z += 719468;
  long long era = (z >= 0 ? z : z - 146096) / 146097;
  long long doe = z - era * 146097;
  long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long long mp = (5 * doy + 2) / 153;
  long long m = mp < 10 ? mp + 3 : mp - 9;
  return (int)(yoe + era * 400 + (m <= 2));
}

static int digits(const char *s, int n, int *v) {
  *v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return 0;
    *v = *v * 10 + (s[i] - '0');
  }
  return 1;
}

static int month_days(int y, int m) {
  static const int md[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : md[m - 1];
}

int idx_date_parse(const char *s, size_t n, long long *sec, long long *day) {
  int y, mo, d, h = 0, mi = 0, se = 0, zs = 0;
  /* Surrounding blanks are allowed (front matter, hand-written JSON). */
  while (n && (*s == ' ' || *s == '\t')) s++, n--;
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
  if (n < 10 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) ||
      s[7] != '-' || !digits(s + 8, 2, &d) || mo < 1 || mo > 12 || d < 1 ||
      d > month_days(y, mo))
    return 0;
  size_t i = 10;
  if (i < n) { /* a time: T or one space, HH:MM[:SS[.frac]] */
    if ((s[i] != 'T' && s[i] != 't' && s[i] != ' ') || n < i + 6 ||
        !digits(s + i + 1, 2, &h) || s[i + 3] != ':' ||
        !digits(s + i + 4, 2, &mi) || h > 23 || mi > 59)
      return 0;
    i += 6;
    if (i < n && s[i] == ':') {
      if (n < i + 3 || !digits(s + i + 1, 2, &se) || se > 60) return 0;
      i += 3;
      if (i < n && (s[i] == '.' || s[i] == ',')) {
        size_t j = i + 1;
        while (j < n && s[j] >= '0' && s[j] <= '9') j++;
        if (j == i + 1) return 0;
        i = j;
      }
    }
    if (i < n && s[i] == ' ') i++; /* "2024-01-02 10:00 +0700" */
    if (i < n) { /* the zone: Z, +HH, +HHMM or +HH:MM */
      int zh = 0, zm = 0;
      if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == n) {
        i++;
      } else if (s[i] == '+' || s[i] == '-') {
        int sign = s[i] == '-' ? -1 : 1;
        size_t r = n - i - 1;
        const char *z = s + i + 1;
        if (!(r == 2 && digits(z, 2, &zh)) &&
            !(r == 4 && digits(z, 2, &zh) && digits(z + 2, 2, &zm)) &&
            !(r == 5 && digits(z, 2, &zh) && z[2] == ':' &&
              digits(z + 3, 2, &zm)))
          return 0;
        if (zh > 14 || zm > 59) return 0;
        zs = sign * (zh * 3600 + zm * 60);
        i = n;
      } else {
        return 0;
      }
    }
  }
  if (i != n) return 0;
  long long dd = idx_days_from_civil(y, mo, d);
  if (day) *day = dd;
  if (sec) *sec = dd * 86400 + h * 3600 + mi * 60 + se - zs;
  return 1;
}

/* ------------------------------------------------------------------ */
/* tags                                                                */
/* ------------------------------------------------------------------ */

static int blank(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

void idx_trim(const char **s, size_t *n) {
  while (*n && blank((unsigned char)**s)) (*s)++, (*n)--;
  while (*n && blank((unsigned char)(*s)[*n - 1])) (*n)--;
}

char *idx_tag_fold(const char *s, size_t n) {
  idx_trim(&s, &n);
  utf8proc_uint8_t *out = NULL;
  utf8proc_ssize_t k = utf8proc_map((const utf8proc_uint8_t *)s,
                                    (utf8proc_ssize_t)n, &out,
                                    UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                        UTF8PROC_COMPAT | UTF8PROC_CASEFOLD);
  /* Invalid UTF-8 is compared as given (stored text is valid). utf8proc
  ** allocates with malloc; what we hand out comes from the seam. */
  char *r = k < 0 ? cari_strndup(s, n) : cari_strndup((char *)out, (size_t)k);
  cari_free_foreign(out);
  return r;
}

/* ------------------------------------------------------------------ */
/* SQL functions for the triggers                                       */
/* ------------------------------------------------------------------ */

static void fn_date(sqlite3_context *cx, int argc, sqlite3_value **argv) {
  const char *s = (const char *)sqlite3_value_text(argv[0]);
  long long sec, day;
  if (!s || !idx_date_parse(s, (size_t)sqlite3_value_bytes(argv[0]), &sec,
                            &day))
    return; /* NULL: undated */
  sqlite3_result_int64(cx, sqlite3_user_data(cx) ? day : sec);
}

static void fn_fold(sqlite3_context *cx, int argc, sqlite3_value **argv) {
  const char *s = (const char *)sqlite3_value_text(argv[0]);
  if (!s) return;
  char *f = idx_tag_fold(s, (size_t)sqlite3_value_bytes(argv[0]));
  if (!f) {
    sqlite3_result_error_nomem(cx);
    return;
  }
  sqlite3_result_text(cx, f, -1, cari_free);
}

/* Words with a count each: open addressing on the words' bytes. */
typedef struct {
  char *w;          /* NULL: free slot */
  unsigned h, len;
  unsigned last;    /* the call that counted it last (one count a call) */
  long long d;
} vslot;
/* The words' bytes live in blocks of VMAP_BLOCK (one allocation per
** block, not per word: a batch holds tens of thousands of words). */
#define VMAP_BLOCK 65536
typedef struct vblock {
  struct vblock *next;
  size_t used;
  char data[VMAP_BLOCK];
} vblock;
typedef struct {
  vslot *s;
  unsigned cap, n;
  vblock *blocks;
} vmap;

static char *vmap_store(vmap *m, const char *w, size_t n) {
  vblock *b = m->blocks;
  if (!b || b->used + n + 1 > VMAP_BLOCK) {
    if (!(b = cari_malloc(sizeof *b))) return NULL;
    b->next = m->blocks;
    b->used = 0;
    m->blocks = b;
  }
  char *p = b->data + b->used;
  memcpy(p, w, n);
  p[n] = 0;
  b->used += n + 1;
  return p;
}

static unsigned hash(const char *s, size_t n) {
  unsigned h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

static void vmap_clear(vmap *m) {
  while (m->blocks) {
    vblock *b = m->blocks;
    m->blocks = b->next;
    cari_free(b);
  }
  cari_free(m->s);
  memset(m, 0, sizeof *m);
}

static int vmap_grow(vmap *m) {
  unsigned cap = m->cap ? m->cap * 2 : 1024;
  vslot *s = cari_calloc(cap, sizeof *s);
  if (!s) return 0;
  for (unsigned i = 0; i < m->cap; i++) {
    if (!m->s[i].w) continue;
    unsigned j = m->s[i].h & (cap - 1);
    while (s[j].w) j = (j + 1) & (cap - 1);
    s[j] = m->s[i];
  }
  cari_free(m->s);
  m->s = s;
  m->cap = cap;
  return 1;
}

/* Add d to word w[0..n), adding the word, unless call `serial` (non-zero)
** already counted it: 0, or -1 on out of memory. */
static int vmap_add(vmap *m, const char *w, size_t n, long long d,
                    unsigned serial) {
  if ((m->n + 1) * 2 > m->cap && !vmap_grow(m)) return -1;
  unsigned h = hash(w, n), j = h & (m->cap - 1);
  for (; m->s[j].w; j = (j + 1) & (m->cap - 1)) {
    vslot *x = &m->s[j];
    if (x->h == h && x->len == n && !memcmp(x->w, w, n)) {
      if (serial && x->last == serial) return 0;
      x->last = serial;
      x->d += d;
      return 0;
    }
  }
  vslot *x = &m->s[j];
  if (!(x->w = vmap_store(m, w, n))) return -1;
  x->h = h;
  x->len = (unsigned)n;
  x->last = serial;
  x->d = d;
  m->n++;
  return 0;
}

/* The words of the map in byte order (so that consecutive upserts touch
** neighbouring pages). */
static int cmp_slot(const void *a, const void *b) {
  return strcmp((*(vslot *const *)a)->w, (*(vslot *const *)b)->w);
}

/* What cari_vocab_add keeps per connection. */
struct idx_vocab {
  idx_tokenizer *tok;
  sqlite3 *db;
  int defer;   /* 1: counts wait in `batch` (idx_vocab_defer) */
  int failed;  /* a deferred call ran out of memory */
  unsigned serial; /* numbers the calls, for one count a word and call */
  vmap *cur;   /* where the current call counts (vocab_word) */
  long long delta;
  vmap batch;  /* the deltas of the batch's puts and removes */
  int calls;   /* calls since the last settle */
  int lost;    /* a failed put or remove had counted: batch is unknown */
};

/* Write every count of m into cari_vocab: SQLite rc. */
static int vmap_write(idx_vocab *v, const vmap *m) {
  int x = SQLITE_OK;
  if (!m->n) return SQLITE_OK;
  vslot **ord = cari_malloc(m->n * sizeof *ord);
  unsigned k = 0;
  if (!ord) return SQLITE_NOMEM;
  for (unsigned i = 0; i < m->cap; i++)
    if (m->s[i].w && m->s[i].d) ord[k++] = &m->s[i];
  qsort(ord, k, sizeof *ord, cmp_slot);
  /* Prepared per call, not kept: a statement left open on the connection
  ** would make sqlite3_close() fail with SQLITE_BUSY. */
  sqlite3_stmt *up = NULL;
  x = sqlite3_prepare_v2(v->db,
                         "INSERT INTO cari_vocab(word, n) VALUES (?1, ?2)"
                         " ON CONFLICT(word) DO UPDATE SET n = n + ?2",
                         -1, &up, NULL);
  for (unsigned i = 0; x == SQLITE_OK && i < k; i++) {
    sqlite3_bind_text(up, 1, ord[i]->w, (int)ord[i]->len, SQLITE_STATIC);
    sqlite3_bind_int64(up, 2, ord[i]->d);
    x = sqlite3_step(up);
    sqlite3_reset(up);
    if (x == SQLITE_DONE) x = SQLITE_OK;
  }
  sqlite3_finalize(up);
  cari_free(ord);
  return x;
}

static int vocab_word(void *ctx, const char *w, int n, int start, int end,
                      int hyphens) {
  idx_vocab *v = ctx;
  if (n < 2 || n > IDX_VOCAB_MAX_WORD) return 0;
  for (int i = 0; i < n; i++)
    if (w[i] >= '0' && w[i] <= '9') return 0;
  return vmap_add(v->cur, w, (size_t)n, v->delta, v->serial) < 0;
}

/* cari_vocab_add(title, body, delta): add delta to the count of every
** distinct word of the two texts (the triggers pass 1 for a new text, -1
** for an old one). Returns NULL. Outside idx_vocab_defer it writes them at
** once, one upsert a word; deferred, it adds them to the pending counts,
** written once per word and batch by idx_vocab_flush (a batch of blog
** articles shares most of its words: measured, a third of the time of
** indexing otherwise). */
static void fn_vocab(sqlite3_context *cx, int argc, sqlite3_value **argv) {
  idx_vocab *v = sqlite3_user_data(cx);
  vmap words = {NULL, 0, 0, NULL};
  int nomem = 0, x = SQLITE_OK;
  v->delta = sqlite3_value_int64(argv[2]);
  v->cur = v->defer ? &v->batch : &words;
  if (++v->serial == 0) v->serial = 1; /* 0 means "no call" */
  if (v->defer) v->calls++;
  for (int a = 0; a < 2 && !nomem; a++) {
    const char *s = (const char *)sqlite3_value_text(argv[a]);
    if (s && idx_tokenize(v->tok, s, sqlite3_value_bytes(argv[a]),
                          vocab_word, v) != 0)
      nomem = 1;
  }
  if (v->defer) v->failed |= nomem;
  else if (!nomem) x = vmap_write(v, &words);
  vmap_clear(&words);
  if (nomem) sqlite3_result_error_nomem(cx);
  else if (x != SQLITE_OK) sqlite3_result_error_code(cx, x);
}

static void vocab_destroy(void *p) {
  idx_vocab *v = p;
  idx_tokenizer_free(v->tok);
  vmap_clear(&v->batch);
  cari_free(v);
}

void idx_vocab_defer(idx_vocab *v, int on) {
  if (!v) return;
  v->defer = on;
}

/* A put or remove that fails after its triggers ran leaves the batch to
** be rolled back (lib/cari.c refuses its other writes until then): its
** counts are not taken out, the batch's are forgotten and flush refuses. */
int idx_vocab_settle(idx_vocab *v, int ok) {
  if (!v) return CARI_OK;
  int rc = CARI_OK;
  if ((ok && v->failed) || (!ok && v->calls)) {
    vmap_clear(&v->batch);
    v->lost = 1;
    rc = ok ? CARI_NOMEM : CARI_OK;
  }
  v->calls = 0;
  v->failed = 0;
  return rc;
}

#ifndef CARI_EXTENSION
int idx_vocab_flush(idx_vocab *v, char *err, size_t errcap) {
  if (v && v->lost) {
    snprintf(err, errcap, "an earlier write of this batch failed: roll the "
             "batch back and start it again");
    return CARI_ERROR;
  }
  if (!v || !v->batch.n) return CARI_OK;
  int x = vmap_write(v, &v->batch);
  vmap_clear(&v->batch);
  return x == SQLITE_OK ? CARI_OK
                        : idx_sql_fail(v->db, x, "cannot update the "
                                       "vocabulary", err, errcap);
}

#endif

void idx_vocab_drop(idx_vocab *v) {
  if (!v) return;
  vmap_clear(&v->batch);
  v->failed = 0;
  v->calls = 0;
  v->lost = 0;
}

int idx_meta_register(sqlite3 *db, idx_vocab **out) {
  static int day = 1;
  int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
  int x;
  if (out) *out = NULL;
  if ((x = sqlite3_create_function(db, "cari_date_sec", 1, flags, NULL,
                                   fn_date, NULL, NULL)) != SQLITE_OK ||
      (x = sqlite3_create_function(db, "cari_date_day", 1, flags, &day,
                                   fn_date, NULL, NULL)) != SQLITE_OK ||
      (x = sqlite3_create_function(db, "cari_tag_fold", 1, flags, NULL,
                                   fn_fold, NULL, NULL)) != SQLITE_OK)
    return x;
  idx_vocab *v = cari_calloc(1, sizeof *v);
  if (!v || !(v->tok = idx_tokenizer_new())) {
    cari_free(v);
    return SQLITE_NOMEM;
  }
  v->db = db;
  /* The destructor runs when the function is replaced or the connection
  ** closes, also when registering fails. It writes: neither deterministic
  ** nor innocuous (only the triggers call it). */
  x = sqlite3_create_function_v2(db, "cari_vocab_add", 3, SQLITE_UTF8, v,
                                 fn_vocab, NULL, NULL, vocab_destroy);
  if (x == SQLITE_OK && out) *out = v;
  return x;
}

#ifndef CARI_EXTENSION /* the library only: the extension writes rows */
/* ------------------------------------------------------------------ */
/* the tables                                                          */
/* ------------------------------------------------------------------ */

#define DATES_ROW(r)                                                      \
  " INSERT INTO cari_dates(doc, sec, day) SELECT " r ".doc,"              \
  " cari_date_sec(" r ".date), cari_date_day(" r ".date)"                \
  " WHERE cari_date_day(" r ".date) IS NOT NULL;"
#define TAGS_ROWS(r)                                                      \
  " INSERT INTO cari_tags(tag, doc, shown)"                               \
  " SELECT cari_tag_fold(value), " r ".doc,"                              \
  " trim(value, ' ' || char(9, 10, 13, 12, 11)) FROM json_each(CASE WHEN" \
  " json_valid(" r ".tags) THEN " r ".tags ELSE '[]' END)"                \
  " WHERE type = 'text' AND cari_tag_fold(value) <> ''"                  \
  " ON CONFLICT DO NOTHING;"
#define VOCAB_ADD(r) " SELECT cari_vocab_add(" r ".title, " r ".body, 1);"
#define VOCAB_SUB(r) " SELECT cari_vocab_add(" r ".title, " r ".body, -1);"

static const char tables_sql[] =
    "CREATE TABLE IF NOT EXISTS cari_dates(doc INTEGER PRIMARY KEY,"
    " sec INTEGER NOT NULL, day INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS cari_tags(tag TEXT NOT NULL,"
    " doc INTEGER NOT NULL, shown TEXT NOT NULL, PRIMARY KEY(tag, doc))"
    " WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS cari_tags_doc ON cari_tags(doc);"
    "CREATE TABLE IF NOT EXISTS cari_vocab(word TEXT PRIMARY KEY,"
    " n INTEGER NOT NULL) WITHOUT ROWID;"
    "DELETE FROM cari_dates; DELETE FROM cari_tags; DELETE FROM cari_vocab;"
    "INSERT INTO cari_dates(doc, sec, day) SELECT doc, cari_date_sec(date),"
    " cari_date_day(date) FROM articles"
    " WHERE cari_date_day(date) IS NOT NULL;"
    "INSERT INTO cari_tags(tag, doc, shown)"
    " SELECT cari_tag_fold(j.value), a.doc,"
    " trim(j.value, ' ' || char(9, 10, 13, 12, 11))"
    " FROM articles a, json_each(CASE WHEN json_valid(a.tags) THEN a.tags"
    " ELSE '[]' END) j WHERE j.type = 'text'"
    " AND cari_tag_fold(j.value) <> '' ON CONFLICT DO NOTHING;"
    "SELECT count(cari_vocab_add(title, body, 1)) FROM articles;"
    "CREATE TRIGGER cari_meta_ai AFTER INSERT ON articles BEGIN"
    DATES_ROW("new") TAGS_ROWS("new") VOCAB_ADD("new") " END;"
    "CREATE TRIGGER cari_meta_ad AFTER DELETE ON articles BEGIN"
    " DELETE FROM cari_dates WHERE doc = old.doc;"
    " DELETE FROM cari_tags WHERE doc = old.doc;" VOCAB_SUB("old") " END;"
    "CREATE TRIGGER cari_meta_au AFTER UPDATE OF date, tags ON articles"
    " BEGIN"
    " DELETE FROM cari_dates WHERE doc = old.doc;"
    " DELETE FROM cari_tags WHERE doc = old.doc;"
    DATES_ROW("new") TAGS_ROWS("new") " END;"
    "CREATE TRIGGER cari_vocab_au AFTER UPDATE OF title, body ON articles"
    " WHEN old.title IS NOT new.title OR old.body IS NOT new.body BEGIN"
    VOCAB_SUB("old") VOCAB_ADD("new") " END;";

int idx_meta_ensure(sqlite3 *db, char *err, size_t errcap) {
  long long have = 0;
  int x = idx_sql_int(db,
                      "SELECT count(*) FROM sqlite_master WHERE type ="
                      " 'trigger' AND name IN ('cari_meta_ai', 'cari_meta_ad',"
                      " 'cari_meta_au', 'cari_vocab_au')",
                      &have);
  if (x != SQLITE_OK)
    return idx_sql_fail(db, x, "cannot read the schema", err, errcap);
  if (have == 4) return CARI_OK;
  /* Tables from an interrupted attempt are filled again from scratch. */
  if ((x = sqlite3_exec(db,
                        "SAVEPOINT cari_meta;"
                        "DROP TRIGGER IF EXISTS cari_meta_ai;"
                        "DROP TRIGGER IF EXISTS cari_meta_ad;"
                        "DROP TRIGGER IF EXISTS cari_meta_au;"
                        "DROP TRIGGER IF EXISTS cari_vocab_au;",
                        NULL, NULL, NULL)) != SQLITE_OK ||
      (x = sqlite3_exec(db, tables_sql, NULL, NULL, NULL)) != SQLITE_OK) {
    int rc = idx_sql_fail(db, x, "cannot add the date, tag and vocabulary "
                          "tables", err, errcap);
    sqlite3_exec(db, "ROLLBACK TO cari_meta; RELEASE cari_meta;", NULL, NULL,
                 NULL);
    return rc;
  }
  if ((x = sqlite3_exec(db, "RELEASE cari_meta;", NULL, NULL, NULL)) !=
      SQLITE_OK)
    return idx_sql_fail(db, x, "cannot add the date, tag and vocabulary "
                        "tables", err, errcap);
  return CARI_OK;
}

int idx_meta_purge(sqlite3 *db, char *err, size_t errcap) {
  int x = sqlite3_exec(db, "DELETE FROM cari_vocab WHERE n <= 0", NULL, NULL,
                       NULL);
  return x == SQLITE_OK ? CARI_OK
                        : idx_sql_fail(db, x, "cannot tidy the vocabulary",
                                       err, errcap);
}
#endif
