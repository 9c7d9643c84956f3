/*
** fuzz_query.c — fuzz target: one input is what a person types into the
** search box, translated by qry_translate (query/parse.c) with one of three
** rankings (none, the default, the default on a surface-form index; chosen
** by a hash of the input). The promise checked: CARI_OK gives a plan whose
** expression FTS5 accepts (run as MATCH on a small table), one quoted
** string per phrase, searched phrases before excluded ones, 1 to
** QRY_MAX_TERMS positive words, each phrase its own lead; CARI_QUERY gives
** a one-line reason. It does not rank (fuzz_search does).
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
  FUZZ_CHECK(idx_fts5_register(conn, NULL) == SQLITE_OK, "idx_fts5_register");
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

/* The plan's promises; returns how many phrases are positive words. */
static int check_plan(const qry_plan *pl) {
  int npos = 0;
  for (int i = 0; i < pl->n; i++) {
    const qry_phrase *p = &pl->p[i];
    FUZZ_CHECK(p->lead == i && (p->kind == QRY_WORD || p->kind == QRY_SURFACE),
               "phrase %d: lead %d kind %d", i, p->lead, p->kind);
    FUZZ_CHECK(!memchr(p->text, '"', (size_t)p->ntext) &&
                   (int)strlen(p->text) == p->ntext,
               "phrase %d holds a quote or a NUL", i);
    FUZZ_CHECK(i == 0 || p->excluded >= pl->p[i - 1].excluded,
               "phrase %d: searched after an excluded one", i);
    FUZZ_CHECK(p->excluded ? p->weight == 0
                           : p->weight > 0 && p->weight < 1e6,
               "phrase %d: weight %g", i, p->weight);
    npos += !p->excluded && p->kind == QRY_WORD;
  }
  return npos;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 1 << 20) return 0;
  qry_ranking r;
  qry_ranking_default(&r);
  unsigned which = (unsigned)(fuzz_hash(data, size) % 3);
  if (which == 2) r.index_surface = 1;
  char err[256] = "", note[512] = "x", *expr = NULL;
  qry_plan *pl = NULL;
  int rc = qry_translate(tok, (const char *)data, (int)size,
                         which ? &r : NULL, &pl, note, sizeof note, err,
                         sizeof err);
  FUZZ_CHECK(!strchr(note, '\n') && (rc != CARI_OK || strcmp(note, "x")),
             "the note of what was cut is not one line or was not set: "
             "\"%s\"", note);
  if (rc == CARI_QUERY) {
    FUZZ_CHECK(!pl && err[0] && !strchr(err, '\n'),
               "CARI_QUERY without a one-line reason: \"%s\"", err);
    return 0;
  }
  FUZZ_CHECK(rc == CARI_OK, "qry_translate: %s (%s)", cari_errstr(rc), err);
  FUZZ_CHECK(pl && qry_plan_match(pl, &expr) == CARI_OK && expr,
             "CARI_OK without a plan or its expression");
  FUZZ_CHECK(pl->question == 0 || pl->question == 1, "question flag %d",
             pl->question);
  int npos = check_plan(pl);
  int nph = count_phrases(expr);
  FUZZ_CHECK(pl->n == nph, "%d phrases in the plan, %d in %s", pl->n, nph,
             expr);
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
  qry_plan_free(pl);
  return 0;
}
