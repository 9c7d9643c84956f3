/*
** test_plan.c — the query plan and the codec of cari_rank's argument.
** Rows of hand-made plans and the MATCH expression each renders to; rows of
** ranking arguments that must come back from qry_rank_encode and
** qry_rank_decode identical to the bit; bytes that are no encoding and must
** be refused; then cari_rank and cari_stats called through SQL on a small
** FTS5 table, with what they must return.
*/
#include "cari.h"
#include "indexer.h"
#include "query.h"
#include "test.h"

#include <float.h>
#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* A phrase of a row: text, prefix, kind, excluded, lead (-1 itself). */
typedef struct {
  const char *text;
  int prefix, kind, excluded, lead;
  double weight;
} ph;

static void plan_rows(void) {
  static const struct {
    const char *id;
    ph p[6];
    int n;
    const char *want;
  } rows[] = {
      {"plan-one", {{"kopi", 0, QRY_WORD, 0, -1, 1}}, 1, "\"kopi\""},
      {"plan-or",
       {{"kopi", 0, QRY_WORD, 0, -1, 1}, {"teh manis", 0, QRY_WORD, 0, -1, 1}},
       2, "\"kopi\" OR \"teh manis\""},
      {"plan-prefix", {{"komun", 1, QRY_WORD, 0, -1, 1}}, 1, "\"komun\"*"},
      {"plan-not",
       {{"kopi", 0, QRY_WORD, 0, -1, 1}, {"teh", 0, QRY_WORD, 1, -1, 0},
        {"susu", 1, QRY_WORD, 1, -1, 0}},
       3, "(\"kopi\") NOT (\"teh\" OR \"susu\"*)"},
      {"plan-surface",
       {{"berkumpul", 0, QRY_WORD, 0, -1, 1},
        {"\x01" "berkumpul", 0, QRY_SURFACE, 0, -1, 0.3}},
       2, "\"berkumpul\" OR \"\x01" "berkumpul\""},
      {"plan-aliases",
       {{"membua", 1, QRY_WORD, 0, -1, 1}, {"buat", 0, QRY_ALIAS, 0, 0, 0},
        {"kopi", 0, QRY_WORD, 0, -1, 1}, {"ke", 1, QRY_WORD, 1, -1, 0},
        {"kota", 0, QRY_ALIAS, 1, 3, 0}},
       5, "(\"membua\"* OR \"buat\" OR \"kopi\") NOT (\"ke\"* OR \"kota\")"},
      {"plan-empty-text", {{"", 0, QRY_WORD, 0, -1, 1}}, 1, "\"\""},
  };
  for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
    qry_plan *pl = qry_plan_new();
    CHECK(rows[i].id, pl != NULL, "qry_plan_new");
    if (!pl) continue;
    for (int j = 0; j < rows[i].n; j++) {
      const ph *p = &rows[i].p[j];
      CHECK_INT(rows[i].id,
                qry_plan_add(pl, p->text, (int)strlen(p->text), p->prefix,
                             p->kind, p->excluded, p->lead, p->weight),
                CARI_OK);
    }
    CHECK_INT(rows[i].id, pl->n, rows[i].n);
    for (int j = 0; j < pl->n; j++) { /* lead -1 is the phrase itself */
      int lead = rows[i].p[j].lead < 0 ? j : rows[i].p[j].lead;
      CHECK(rows[i].id, pl->p[j].lead == lead && pl->p[j].text[pl->p[j].ntext] == 0,
            "phrase %d: lead %d, want %d", j, pl->p[j].lead, lead);
    }
    char *expr = NULL;
    CHECK_INT(rows[i].id, qry_plan_match(pl, &expr), CARI_OK);
    CHECK_STR(rows[i].id, expr, rows[i].want);
    free(expr);
    qry_plan_free(pl);
  }
  qry_plan_free(NULL); /* harmless */
}

/* Bitwise equality of two doubles (NaN and -0 included). */
static int same_bits(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

static int same_args(const qry_rank_args *a, const qry_rank_args *b) {
  int ok = same_bits(a->k1, b->k1) && same_bits(a->b[0], b->b[0]) &&
           same_bits(a->b[1], b->b[1]) && same_bits(a->W[0], b->W[0]) &&
           same_bits(a->W[1], b->W[1]) && same_bits(a->coord, b->coord) &&
           same_bits(a->coord_max, b->coord_max) &&
           same_bits(a->prox, b->prox) && a->nphrase == b->nphrase;
  for (int i = 0; ok && i < a->nphrase; i++) {
    const qry_rank_phrase *x = &a->ph[i], *y = &b->ph[i];
    ok = same_bits(x->w, y->w) && x->kind == y->kind && x->lead == y->lead &&
         x->df[0] == y->df[0] && x->df[1] == y->df[1];
  }
  return ok;
}

static void codec_rows(void) {
  static qry_rank_phrase words[] = {
      {1.0, QRY_WORD, 0, {-1, -1}},
      {0.3, QRY_SURFACE, 1, {12, 3456}},
      {0.0, QRY_ALIAS, 0, {-1, -1}},
      {0.1 + 0.2, QRY_WORD, 3, {0, 0}},
      {0.0, QRY_WORD, 4, {9007199254740993LL, 1}}, /* beyond a double */
      {5e-324, QRY_SYNONYM, 2, {1, -1}},
  };
  static const struct {
    const char *id;
    qry_rank_args a;
  } rows[] = {
      {"codec-defaults", {1.2, {0.3, 0.75}, {2.0, 1.0}, 1.0, 100, 0.25, 1, words}},
      {"codec-no-phrase", {1.2, {0.75, 0.75}, {1, 1}, 0, 1e9, 0, 0, NULL}},
      {"codec-thirds", {1.0 / 3, {2.0 / 3, 0.1}, {1e-300, DBL_MAX}, -0.0, 1e308,
                        DBL_MIN, 6, words}},
      {"codec-odd", {NAN, {INFINITY, -INFINITY}, {0.7, 0.7000000000000001},
                     4.9e-324, 1, 0.25, 4, words}},
  };
  for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
    unsigned char *blob = NULL;
    int n = -1;
    CHECK_INT(rows[i].id, qry_rank_encode(&rows[i].a, &blob, &n), CARI_OK);
    qry_rank_args back;
    CHECK_INT(rows[i].id, qry_rank_decode(blob, n, &back), CARI_OK);
    CHECK(rows[i].id, same_args(&rows[i].a, &back),
          "decoded differs: k1 %.17g/%.17g, %d/%d phrases", rows[i].a.k1,
          back.k1, rows[i].a.nphrase, back.nphrase);
    free(back.ph);
    /* Every shorter byte string is refused, and leaves nothing owned. */
    int refused = 0, tries = 0;
    for (int cut = 0; blob && cut < n; cut += 7, tries++)
      refused += qry_rank_decode(blob, cut, &back) == CARI_INVALID &&
                 back.ph == NULL;
    CHECK(rows[i].id, refused == tries, "%d of %d truncations accepted",
          tries - refused, tries);
    free(blob);
  }
}

/* Encodings altered in one field: each must be refused. */
static void codec_bad(void) {
  qry_rank_phrase p[2] = {{1, QRY_WORD, 0, {-1, -1}}, {0, QRY_ALIAS, 0, {1, 1}}};
  qry_rank_args a = {1.2, {0.75, 0.75}, {1, 1}, 0, 1e9, 0, 2, p};
  static const struct {
    const char *id;
    int field; /* 0 tag, 1 count, 2 a lead after its phrase, 3 kind */
  } rows[] = {{"bad-tag", 0}, {"bad-count", 1}, {"bad-lead", 2}, {"bad-kind", 3}};
  for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
    qry_rank_phrase q[2] = {p[0], p[1]};
    qry_rank_args b = a;
    b.ph = q;
    if (rows[i].field == 2) q[0].lead = 1;
    if (rows[i].field == 3) q[1].kind = QRY_NKIND;
    unsigned char *blob = NULL;
    int n = 0;
    CHECK_INT(rows[i].id, qry_rank_encode(&b, &blob, &n), CARI_OK);
    if (blob && rows[i].field == 0) blob[0] ^= 1;
    /* A bit of the count: in either byte order the size no longer fits. */
    if (blob && rows[i].field == 1) blob[4] ^= 1;
    qry_rank_args back;
    CHECK_INT(rows[i].id, qry_rank_decode(blob, n, &back), CARI_INVALID);
    CHECK(rows[i].id, back.ph == NULL && back.nphrase == 0,
          "refused, yet %d phrases", back.nphrase);
    free(blob);
  }
  qry_rank_args back;
  CHECK_INT("bad-null", qry_rank_decode(NULL, 0, &back), CARI_INVALID);
}

/* cari_rank and cari_stats through SQL. */
static void through_sql(void) {
  sqlite3 *db = NULL;
  CHECK_INT("sql-open", sqlite3_open(":memory:", &db), SQLITE_OK);
  CHECK_INT("sql-register", idx_fts5_register(db, NULL), SQLITE_OK);
  CHECK_INT("sql-rank-register", qry_rank_register(db), SQLITE_OK);
  CHECK_INT("sql-setup",
            sqlite3_exec(db,
                         "CREATE VIRTUAL TABLE t USING fts5(title, body, "
                         "tokenize='indonesian stemmer none');"
                         "INSERT INTO t VALUES ('kopi', 'kopi dan teh');"
                         "INSERT INTO t VALUES ('teh', 'teh manis sekali');",
                         NULL, NULL, NULL),
            SQLITE_OK);
  qry_stats st = {-1, {-1, -1}};
  sqlite3_stmt *s = NULL;
  CHECK_INT("stats-prepare",
            sqlite3_prepare_v2(db, "SELECT cari_stats(t, ?1) FROM t LIMIT 1",
                               -1, &s, NULL),
            SQLITE_OK);
  CHECK_INT("stats-bind",
            sqlite3_bind_pointer(s, 1, &st, QRY_STATS_POINTER, NULL), SQLITE_OK);
  CHECK_INT("stats-step", sqlite3_step(s), SQLITE_ROW);
  CHECK("stats-values", st.nrow == 2 && st.avg[0] == 1.0 && st.avg[1] == 3.0,
        "nrow %lld avg %g %g", st.nrow, st.avg[0], st.avg[1]);
  CHECK_INT("stats-finalize", sqlite3_finalize(s), SQLITE_OK);
  /* Without a pointer: an error, not a crash. */
  CHECK("stats-no-pointer",
        sqlite3_exec(db, "SELECT cari_stats(t, 1) FROM t", NULL, NULL, NULL) ==
            SQLITE_ERROR,
        "cari_stats without a qry_stats: %s", sqlite3_errmsg(db));
  /* cari_rank with an encoded argument scores; with other bytes it fails. */
  qry_rank_phrase p[1] = {{1, QRY_WORD, 0, {-1, -1}}};
  qry_rank_args a = {1.2, {0.75, 0.75}, {1, 1}, 0, 1e9, 0, 1, p};
  unsigned char *blob = NULL;
  int n = 0;
  CHECK_INT("rank-encode", qry_rank_encode(&a, &blob, &n), CARI_OK);
  static const struct {
    const char *id;
    int bytes; /* of the encoding bound; -1: a text instead */
    int want;  /* SQLITE_ROW: scored */
  } rows[] = {{"rank-blob", 0, SQLITE_ROW}, {"rank-short", 5, SQLITE_ERROR},
              {"rank-text", -1, SQLITE_ERROR}};
  for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
    s = NULL;
    CHECK_INT(rows[i].id,
              sqlite3_prepare_v2(db,
                                 "SELECT -cari_rank(t, ?1) FROM t WHERE t "
                                 "MATCH 'kopi'",
                                 -1, &s, NULL),
              SQLITE_OK);
    if (rows[i].bytes < 0)
      CHECK_INT(rows[i].id, sqlite3_bind_text(s, 1, "1.2", -1, SQLITE_STATIC),
                SQLITE_OK);
    else
      CHECK_INT(rows[i].id,
                sqlite3_bind_blob(s, 1, blob, rows[i].bytes ? rows[i].bytes : n,
                                  SQLITE_STATIC),
                SQLITE_OK);
    int x = sqlite3_step(s);
    CHECK(rows[i].id, x == rows[i].want, "step %d (%s)", x, sqlite3_errmsg(db));
    if (x == SQLITE_ROW) { /* one article: idf of df 1 in 2, both fields */
      double idf = qry_idf(2, 1), want = 0;
      want += qry_field_score(1, idf, 1, 1.2, 0.75, 1, 1.0);
      want += qry_field_score(1, idf, 1, 1.2, 0.75, 3, 3.0);
      CHECK(rows[i].id, sqlite3_column_double(s, 0) == want,
            "score %.17g, want %.17g", sqlite3_column_double(s, 0), want);
    }
    CHECK_INT(rows[i].id, sqlite3_finalize(s),
              rows[i].want == SQLITE_ROW ? SQLITE_OK : rows[i].want);
  }
  free(blob);
  CHECK_INT("sql-close", sqlite3_close(db), SQLITE_OK);
}

int main(void) {
  plan_rows();
  codec_rows();
  codec_bad();
  through_sql();
  return test_report("plan");
}
