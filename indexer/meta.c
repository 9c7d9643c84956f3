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
** cari_vocab_words() (below): a connection that writes `articles` must have
** them registered, as it must have the tokenizer (idx_fts5_register does
** both, outside the loadable extension).
*/
#include "indexer.h"
#include "cari.h"

#include <sqlite3.h>
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
  if (k < 0) { /* invalid UTF-8: compared as given (stored text is valid) */
    free(out);
    out = malloc(n + 1);
    if (!out) return NULL;
    memcpy(out, s, n);
    out[n] = 0;
  }
  return (char *)out;
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
  sqlite3_result_text(cx, f, -1, free);
}

/* The distinct words of one call, as a JSON array built in a sqlite3_str. */
typedef struct {
  sqlite3_str *out;
  char **slot; /* open addressing on the word's bytes */
  unsigned cap, n;
  int nomem;
} vocab_set;

static unsigned hash(const char *s, int n) {
  unsigned h = 2166136261u;
  for (int i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

static int vocab_grow(vocab_set *v) {
  unsigned cap = v->cap ? v->cap * 2 : 512;
  char **slot = calloc(cap, sizeof *slot);
  if (!slot) return 0;
  for (unsigned i = 0; i < v->cap; i++) {
    if (!v->slot[i]) continue;
    unsigned j = hash(v->slot[i], (int)strlen(v->slot[i])) & (cap - 1);
    while (slot[j]) j = (j + 1) & (cap - 1);
    slot[j] = v->slot[i];
  }
  free(v->slot);
  v->slot = slot;
  v->cap = cap;
  return 1;
}

static int vocab_word(void *ctx, const char *w, int n, int start, int end,
                      int hyphens) {
  vocab_set *v = ctx;
  if (n < 2 || n > IDX_VOCAB_MAX_WORD) return 0;
  for (int i = 0; i < n; i++)
    if ((w[i] >= '0' && w[i] <= '9') || w[i] == '"' || w[i] == '\\' ||
        (unsigned char)w[i] < 0x20)
      return 0;
  if ((v->n + 1) * 2 > v->cap && !vocab_grow(v)) {
    v->nomem = 1;
    return 1;
  }
  unsigned j = hash(w, n) & (v->cap - 1);
  for (; v->slot[j]; j = (j + 1) & (v->cap - 1))
    if (!strncmp(v->slot[j], w, (size_t)n) && v->slot[j][n] == 0) return 0;
  if (!(v->slot[j] = malloc((size_t)n + 1))) {
    v->nomem = 1;
    return 1;
  }
  memcpy(v->slot[j], w, (size_t)n);
  v->slot[j][n] = 0;
  sqlite3_str_appendf(v->out, "%s\"%.*s\"", v->n ? "," : "", n, w);
  v->n++;
  return 0;
}

static void fn_vocab(sqlite3_context *cx, int argc, sqlite3_value **argv) {
  idx_tokenizer *tok = sqlite3_user_data(cx);
  vocab_set v = {sqlite3_str_new(NULL), NULL, 0, 0, 0};
  sqlite3_str_appendchar(v.out, 1, '[');
  for (int a = 0; a < argc && !v.nomem; a++) {
    const char *s = (const char *)sqlite3_value_text(argv[a]);
    if (s && idx_tokenize(tok, s, sqlite3_value_bytes(argv[a]), vocab_word,
                          &v) < 0)
      v.nomem = 1;
  }
  sqlite3_str_appendchar(v.out, 1, ']');
  for (unsigned i = 0; i < v.cap; i++) free(v.slot[i]);
  free(v.slot);
  char *json = sqlite3_str_finish(v.out);
  if (v.nomem || !json) {
    sqlite3_free(json);
    sqlite3_result_error_nomem(cx);
    return;
  }
  sqlite3_result_text(cx, json, -1, sqlite3_free);
}

static void tok_destroy(void *p) { idx_tokenizer_free(p); }

int idx_meta_register(sqlite3 *db) {
  static int day = 1;
  int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
  int x;
  if ((x = sqlite3_create_function(db, "cari_date_sec", 1, flags, NULL,
                                   fn_date, NULL, NULL)) != SQLITE_OK ||
      (x = sqlite3_create_function(db, "cari_date_day", 1, flags, &day,
                                   fn_date, NULL, NULL)) != SQLITE_OK ||
      (x = sqlite3_create_function(db, "cari_tag_fold", 1, flags, NULL,
                                   fn_fold, NULL, NULL)) != SQLITE_OK)
    return x;
  idx_tokenizer *tok = idx_tokenizer_new();
  if (!tok) return SQLITE_NOMEM;
  /* The destructor runs when the function is replaced or the connection
  ** closes, also when registering fails. */
  return sqlite3_create_function_v2(db, "cari_vocab_words", 2, flags, tok,
                                    fn_vocab, NULL, NULL, tok_destroy);
}

/* ------------------------------------------------------------------ */
/* the tables                                                          */
/* ------------------------------------------------------------------ */

#define DATES_ROW(r)                                                      \
  " INSERT INTO cari_dates(doc, sec, day) SELECT " r ".doc,"              \
  " cari_date_sec(" r ".date), cari_date_day(" r ".date)"                \
  " WHERE cari_date_day(" r ".date) IS NOT NULL;"
#define TAGS_ROWS(r)                                                      \
  " INSERT OR IGNORE INTO cari_tags(tag, doc, shown)"                     \
  " SELECT cari_tag_fold(value), " r ".doc,"                              \
  " trim(value, ' ' || char(9, 10, 13, 12, 11)) FROM json_each(CASE WHEN" \
  " json_valid(" r ".tags) THEN " r ".tags ELSE '[]' END)"                \
  " WHERE type = 'text' AND cari_tag_fold(value) <> '';"
#define VOCAB_ADD(r)                                                      \
  " INSERT INTO cari_vocab(word, n) SELECT value, 1 FROM"                 \
  " json_each(cari_vocab_words(" r ".title, " r ".body)) WHERE 1"         \
  " ON CONFLICT(word) DO UPDATE SET n = n + 1;"
#define VOCAB_SUB(r)                                                      \
  " UPDATE cari_vocab SET n = n - 1 WHERE word IN (SELECT value FROM"     \
  " json_each(cari_vocab_words(" r ".title, " r ".body)));"

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
    "INSERT OR IGNORE INTO cari_tags(tag, doc, shown)"
    " SELECT cari_tag_fold(j.value), a.doc,"
    " trim(j.value, ' ' || char(9, 10, 13, 12, 11))"
    " FROM articles a, json_each(CASE WHEN json_valid(a.tags) THEN a.tags"
    " ELSE '[]' END) j WHERE j.type = 'text'"
    " AND cari_tag_fold(j.value) <> '';"
    "INSERT INTO cari_vocab(word, n) SELECT j.value, count(*) FROM"
    " articles a, json_each(cari_vocab_words(a.title, a.body)) j"
    " WHERE 1 GROUP BY j.value;"
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
