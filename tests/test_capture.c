/*
** test_capture.c — the top-k postings collected while articles are put
** (indexer/capture.c) against the postings the build makes by analysing
** every article again: each row of the table plays a life of a database
** twice, once on a handle that captures and optimizes, once with the same
** writes followed by an optimize on a fresh handle (which captured
** nothing, so analyses); the tables cari_postings, cari_doclen, cari_words
** and the top-k meta keys must be byte for byte the same, and the first
** database must (or must not, when the row says the capture cannot follow)
** have been built from the capture. The articles are generated: affixed
** and informal words, reduplications, names, numbers, accents, hyphens,
** words over 64 bytes, empty titles.
*/
#include "cari.h"
#include "test.h"
#include "../lib/internal.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng;
static uint64_t next_rand(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

static const char *const words[] = {
    "menulis", "tulisan", "penulis", "ditulis", "tulis", "berkumpul",
    "perkumpulan", "mengumpulkan", "kumpul", "anak-anak", "sayur-mayur",
    "berlari-lari", "anak2", "makan", "makanan", "dimakan", "pemakan",
    "ngumpul", "gimana", "nggak", "banget", "udah", "perbankan", "bank",
    "Jakarta-Bandung", "COVID-19", "15.000", "3,5", "Café", "kafé", "apakah",
    "berlaku", "Megawati", "Indrawati", "perempuan", "Bekasi", "selasa",
    "Jum'at", "pembangunan", "membangun", "bangunan", "dibangunkan",
    "kesejahteraan", "sejahtera", "pemerintah", "pemerintahan", "memerintah",
    "yang", "dan", "di", "ke", "dari", "untuk", "dengan", "ini", "itu",
    "tidak", "adalah", "pada", "dalam", "juga", "akan", "sudah", "bisa",
    "rumahnya", "rumah", "bukunya", "bukupun", "Surabaya", "Yogyakarta",
    "mempertanggungjawabkan", "ketidakadilan", "keberlangsungan",
    "tersenyum", "senyuman", "bersepeda", "sepeda", "pesen", "pesan",
    "xyzzyxyzzyxyzzyxyzzyxyzzyxyzzyxyzzyxyzzyxyzzyxyzzyxyzzyxyzzyxyzzyx"};
#define NWORDS ((int)(sizeof words / sizeof *words))

/* words..., with punctuation now and then; empty when n is 0. */
static char *make_text(int n) {
  size_t cap = (size_t)n * 72 + 16, k = 0;
  char *s = malloc(cap);
  if (!s) return NULL;
  s[0] = 0;
  for (int i = 0; i < n; i++) {
    /* Zipf-like: low indices (and so common stems) far more often. */
    uint64_t r = next_rand();
    int w = (int)(r % (uint64_t)NWORDS);
    if (r >> 60 < 10) w = (int)((r >> 8) % 12);
    k += (size_t)snprintf(s + k, cap - k, "%s%s", i ? (i % 11 ? " " : ". ") : "",
                          words[w]);
  }
  return s;
}

/* Put article `id` (random text; empty title when n_title is 0). */
static int put(cari_db *db, const char *id, int n_title, int n_body,
               const char *url) {
  char *title = make_text(n_title), *body = make_text(n_body);
  cari_article a = {0};
  a.id = id;
  a.title = title;
  a.body = body;
  a.url = url;
  int rc = title && body ? cari_put(db, &a) : CARI_NOMEM;
  free(title);
  free(body);
  return rc;
}

/* What a row does between the articles (before article `at`). */
enum { PLAIN, BATCHES, URL_ONLY, REPLACE, REMOVE, ROLLBACK, OTHER_HANDLE,
       NOT_EMPTY, SEARCHES, EMPTY_FIELDS, REFUSED };
static const struct {
  const char *name;
  int what;
  int captured; /* the first database is built from the capture */
} rows[] = {
    {"plain puts", PLAIN, 1},
    {"batches", BATCHES, 1},
    {"a put changing the url only", URL_ONLY, 1},
    {"searches between puts", SEARCHES, 1},
    {"empty titles and bodies", EMPTY_FIELDS, 1},
    {"articles refused (no id) in a batch", REFUSED, 1},
    {"a replaced article", REPLACE, 0},
    {"a removed article", REMOVE, 0},
    {"a rolled-back batch", ROLLBACK, 0},
    {"another handle writes", OTHER_HANDLE, 0},
    {"a table not empty at the first put", NOT_EMPTY, 0},
};

#define NART 160

static void search_some(cari_db *db, const char *id) {
  static const char *const q[] = {"menulis kumpul", "pembangunan", "\"anak-anak makan\"",
                                  "tulis*", "nggak banget"};
  for (int i = 0; i < 5; i++) {
    cari_cursor *c = NULL;
    int rc = cari_search(db, q[i], -1, NULL, &c);
    while (rc == CARI_OK && (rc = cari_next(c)) == CARI_ROW) rc = CARI_OK;
    CHECK(id, rc == CARI_DONE || rc == CARI_QUERY, "search '%s': rc %d: %s",
          q[i], rc, cari_errmsg(db));
    cari_cursor_free(c);
  }
}

/* Play row r's life on the database at path; optimize on the same handle
** (now = 1) or on a fresh one. The number of builds from a capture. */
static int play(int r, const char *path, int now) {
  char id[32];
  cari_db *db = NULL, *other = NULL;
  rng = 0x9E3779B97F4A7C15ULL + (uint64_t)r;
  int what = rows[r].what, captured = 0;
  CHECK(rows[r].name, test_remove_db(path), "cannot remove %s", path);
  if (what == NOT_EMPTY) {
    CHECK_INT(rows[r].name, cari_open(path, NULL, 0, &other), CARI_OK);
    CHECK_INT(rows[r].name, put(other, "first", 3, 40, NULL), CARI_OK);
    cari_close(other);
    other = NULL;
  }
  CHECK_INT(rows[r].name, cari_open(path, NULL, 0, &db), CARI_OK);
  for (int i = 0; i < NART; i++) {
    int rc = CARI_OK;
    if (what == BATCHES && i % 40 == 0) rc = cari_begin(db);
    if (what == ROLLBACK && i == 50) rc = cari_begin(db);
    if (what == ROLLBACK && i == 60) rc = cari_rollback(db);
    if (what == SEARCHES && i % 30 == 29) search_some(db, rows[r].name);
    if (what == REFUSED && i == 20) rc = cari_begin(db);
    if (what == REFUSED && i % 20 == 5)
      CHECK_INT(rows[r].name, put(db, "", 2, 20, NULL), CARI_INVALID);
    if (what == REFUSED && i == 100) rc = cari_commit(db);
    if (what == OTHER_HANDLE && i == 70) {
      CHECK_INT(rows[r].name, cari_open(path, NULL, 0, &other), CARI_OK);
      CHECK_INT(rows[r].name, put(other, "other", 3, 30, NULL), CARI_OK);
      cari_close(other);
    }
    snprintf(id, sizeof id, "a%d", i);
    int nt = 1 + (int)(next_rand() % 8), nb = 10 + (int)(next_rand() % 300);
    if (what == EMPTY_FIELDS && i % 7 == 0) nt = 0;
    if (what == EMPTY_FIELDS && i % 9 == 0) nb = 0;
    if (rc == CARI_OK) rc = put(db, id, nt, nb, NULL);
    if (rc == CARI_OK && what == BATCHES && i % 40 == 39) rc = cari_commit(db);
    CHECK(rows[r].name, rc == CARI_OK, "article %d: rc %d: %s", i, rc,
          cari_errmsg(db));
  }
  uint64_t keep = rng; /* the same text again for the url-only put */
  if (what == URL_ONLY) {
    rng = 0x9E3779B97F4A7C15ULL + (uint64_t)r;
    int nt = 1 + (int)(next_rand() % 8), nb = 10 + (int)(next_rand() % 300);
    CHECK_INT(rows[r].name, put(db, "a0", nt, nb, "https://example.org/a0"),
              CARI_OK);
    rng = keep;
  }
  if (what == REPLACE) CHECK_INT(rows[r].name, put(db, "a5", 4, 50, NULL), CARI_OK);
  if (what == REMOVE) CHECK_INT(rows[r].name, cari_remove(db, "a7"), CARI_OK);
  if (!now) {
    cari_close(db);
    CHECK_INT(rows[r].name, cari_open(path, NULL, 0, &db), CARI_OK);
  }
  CHECK(rows[r].name, cari_optimize(db) == CARI_OK, "optimize: %s",
        cari_errmsg(db));
  captured = cari_test_captured(db);
  CHECK(rows[r].name, cari_check(db) == CARI_OK, "check: %s", cari_errmsg(db));
  cari_close(db);
  return captured;
}

/* The rows of one SQL query over the database, as one string. */
static char *dump(const char *path, const char *sql) {
  sqlite3 *c = NULL;
  sqlite3_stmt *st = NULL;
  size_t cap = 1 << 16, n = 0;
  char *out = malloc(cap);
  if (!out || sqlite3_open(path, &c) != SQLITE_OK ||
      sqlite3_prepare_v2(c, sql, -1, &st, NULL) != SQLITE_OK) {
    sqlite3_close(c);
    free(out);
    return NULL;
  }
  while (sqlite3_step(st) == SQLITE_ROW) {
    for (int i = 0; i < sqlite3_column_count(st); i++) {
      int len = sqlite3_column_bytes(st, i);
      const unsigned char *v = sqlite3_column_blob(st, i);
      while (n + (size_t)len * 2 + 4 >= cap) {
        char *o = realloc(out, cap *= 2);
        if (!o) {
          sqlite3_finalize(st);
          sqlite3_close(c);
          free(out);
          return NULL;
        }
        out = o;
      }
      for (int k = 0; k < len; k++) n += (size_t)sprintf(out + n, "%02x", v[k]);
      out[n++] = i + 1 < sqlite3_column_count(st) ? '|' : '\n';
    }
  }
  out[n] = 0;
  sqlite3_finalize(st);
  sqlite3_close(c);
  return out;
}

static void compare(int r, const char *a, const char *b) {
  static const char *const sql[] = {
      "SELECT id, term, df_title, df_body, data FROM cari_postings ORDER BY id",
      "SELECT chunk, data FROM cari_doclen ORDER BY chunk",
      "SELECT word, term FROM cari_words ORDER BY word",
      "SELECT key, value FROM cari_meta WHERE key LIKE 'topk%'"
      " AND key <> 'topk_build' ORDER BY key",
      "SELECT doc, gen FROM cari_stale ORDER BY doc"};
  for (int i = 0; i < 5; i++) {
    char *x = dump(a, sql[i]), *y = dump(b, sql[i]);
    CHECK(rows[r].name, x && y && strcmp(x, y) == 0,
          "'%s' differs (%zu and %zu bytes)", sql[i], x ? strlen(x) : 0,
          y ? strlen(y) : 0);
    CHECK(rows[r].name, !x || strlen(x) > 0 || i == 4, "'%s' is empty", sql[i]);
    free(x);
    free(y);
  }
}

int main(void) {
  char a[256], b[256];
  const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
  snprintf(a, sizeof a, "%s/test_capture_%d_a.db", dir, (int)getpid());
  snprintf(b, sizeof b, "%s/test_capture_%d_b.db", dir, (int)getpid());
  for (int r = 0; r < (int)(sizeof rows / sizeof *rows); r++) {
    int got = play(r, a, 1);
    CHECK_INT(rows[r].name, got, rows[r].captured);
    CHECK_INT(rows[r].name, play(r, b, 0), 0);
    compare(r, a, b);
  }
  test_remove_db(a);
  test_remove_db(b);
  return test_report("test_capture");
}
