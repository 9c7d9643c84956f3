/*
** fuzz_query.c — fuzz target: one input is what a person types into the
** search box, translated by qry_translate (query/parse.c) with one of three
** rankings (none, the default, the default on a surface-form index; chosen
** by a hash of the input). The promise checked: CARI_OK gives an FTS5
** expression FTS5 accepts (run as MATCH on a small table) with one weight
** per quoted phrase, and at most QRY_MAX_TERMS positive ones; CARI_QUERY
** gives a one-line reason. It does not rank (fuzz_search does).
*/
#include "fuzz.h"

#include "cari.h"
#include "indexer.h"
#include "query.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* Built once per process: libFuzzer passes targets no context. */
static idx_tokenizer *tok;
static sqlite3 *conn;
static sqlite3_stmt *match;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  tok = idx_tokenizer_new();
  FUZZ_CHECK(tok != NULL, "idx_tokenizer_new");
  FUZZ_CHECK(sqlite3_open(":memory:", &conn) == SQLITE_OK, "sqlite3_open");
  FUZZ_CHECK(idx_fts5_register(conn, NULL, NULL) == SQLITE_OK, "idx_fts5_register");
  int rc = sqlite3_exec(conn,
                        "CREATE VIRTUAL TABLE t USING fts5(title, body, "
                        "tokenize='indonesian stemmer none');"
                        "INSERT INTO t VALUES ('Kopi pagi', "
                        "'Secangkir kopi dan teh manis di warung.');",
                        NULL, NULL, NULL);
  FUZZ_CHECK(rc == SQLITE_OK, "set-up: %s", sqlite3_errmsg(conn));
  rc = sqlite3_prepare_v2(conn, "SELECT count(*) FROM t WHERE t MATCH ?", -1,
                          &match, NULL);
  FUZZ_CHECK(rc == SQLITE_OK, "prepare: %s", sqlite3_errmsg(conn));
  return 0;
}

/* The number of double-quoted strings in expr (words never hold '"'). */
static int count_phrases(const char *expr) {
  int n = 0, in = 0;
  for (const char *p = expr; *p; p++)
    if (*p == '"') {
      if (!in) n++;
      in = !in;
    }
  FUZZ_CHECK(!in, "unbalanced quotes in %s", expr);
  return n;
}

/* The weights: each a number >= 0, "s" before the weight of a surface
** form's bonus phrase; returns how many, and in *npos how many are words'
** (positive and not surface bonuses). */
static int count_weights(const char *w, int *npos) {
  int n = 0;
  *npos = 0;
  if (!*w) return 0;
  for (const char *p = w;;) {
    char *end;
    int surface = *p == 's';
    p += surface;
    double x = strtod(p, &end);
    FUZZ_CHECK(end != p && x >= 0 && x < 1e6, "bad weight in \"%s\"", w);
    n++;
    if (x > 0 && !surface) (*npos)++;
    if (!*end) break;
    FUZZ_CHECK(*end == ',', "bad separator in weights \"%s\"", w);
    p = end + 1;
  }
  return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 1 << 20) return 0;
  qry_ranking r;
  qry_ranking_default(&r);
  unsigned which = (unsigned)(fuzz_hash(data, size) % 3);
  if (which == 2) r.index_surface = 1;
  char err[256] = "", note[512] = "x", *expr = NULL, *weights = NULL;
  int question = -1;
  int rc = qry_translate(tok, (const char *)data, (int)size,
                         which ? &r : NULL, &expr, &weights, &question, note,
                         sizeof note, err, sizeof err);
  FUZZ_CHECK(!strchr(note, '\n') && (rc != CARI_OK || strcmp(note, "x")),
             "the note of what was cut is not one line or was not set: "
             "\"%s\"", note);
  if (rc == CARI_QUERY) {
    FUZZ_CHECK(!expr && err[0] && !strchr(err, '\n'),
               "CARI_QUERY without a one-line reason: \"%s\"", err);
    free(weights);
    return 0;
  }
  FUZZ_CHECK(rc == CARI_OK, "qry_translate: %s (%s)", cari_errstr(rc), err);
  FUZZ_CHECK(expr && weights, "CARI_OK without expr or weights");
  FUZZ_CHECK(question == 0 || question == 1, "question flag %d", question);
  int npos, nw = count_weights(weights, &npos);
  int nph = count_phrases(expr);
  FUZZ_CHECK(nw == nph, "%d weights \"%s\" for %d phrases in %s", nw, weights,
             nph, expr);
  FUZZ_CHECK(npos >= 1 && npos <= QRY_MAX_TERMS, "%d positive phrases in %s",
             npos, expr);
  FUZZ_CHECK(sqlite3_bind_text(match, 1, expr, -1, SQLITE_STATIC) == SQLITE_OK,
             "bind");
  int step = sqlite3_step(match);
  FUZZ_CHECK(step == SQLITE_ROW, "FTS5 refused %s: %s", expr,
             sqlite3_errmsg(conn));
  FUZZ_CHECK(sqlite3_reset(match) == SQLITE_OK, "reset: %s",
             sqlite3_errmsg(conn));
  FUZZ_CHECK(sqlite3_clear_bindings(match) == SQLITE_OK, "clear_bindings");
  free(expr);
  free(weights);
  return 0;
}
