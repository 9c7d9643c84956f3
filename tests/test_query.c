/*
** test_query.c — query translation: each row is what a person types and the
** FTS5 expression expected, or the error expected. Then every row's output
** is run through a real FTS5 table to prove FTS5 parses it.
*/
#include "cari.h"
#include "indexer.h"
#include "query.h"
#include "test.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

static const struct {
  const char *id, *in, *want; /* want NULL: CARI_QUERY expected */
} cases[] = {
    {"one-word", "komunitas", "\"komunitas\""},
    {"words-or", "komunitas warga", "\"komunitas\" OR \"warga\""},
    {"explicit-or", "kopi OR teh", "\"kopi\" OR \"teh\""},
    {"lowercase-or-is-word", "kopi or teh", "\"kopi\" OR \"or\" OR \"teh\""},
    {"phrase", "\"gotong royong\" warga", "\"gotong royong\" OR \"warga\""},
    {"unterminated-phrase", "\"anak-anak", "\"anak-anak\""},
    {"exclude", "kopi -teh", "(\"kopi\") NOT (\"teh\")"},
    {"exclude-phrase", "kopi -\"teh manis\"", "(\"kopi\") NOT (\"teh manis\")"},
    {"only-exclude", "-teh", NULL},
    {"prefix", "komun*", "\"komun\"*"},
    {"prefix-stars", "komun**", "\"komun\"*"},
    {"lone-star", "*", NULL},
    {"near-paren", "NEAR(", "\"NEAR\""},
    {"trailing-or", "a OR", "\"a\""},
    {"colon", ":", NULL},
    {"caret", "^", NULL},
    {"column-filter", "title:", "\"title\""},
    {"column-filter-word", "title:kucing", "\"title\" OR \"kucing\""},
    {"emoji", "\xF0\x9F\x98\x80", NULL},
    {"emoji-word", "kopi\xF0\x9F\x98\x80", "\"kopi\""},
    {"invalid-utf8", "\xFF\xFE kopi \xC3", "\"kopi\""},
    {"dedup-case", "Kopi kopi KOPI", "\"Kopi\""},
    {"quote-inside-word", "ko\"pi", "\"ko\" OR \"pi\""},
    {"hyphen-minus-mid", "anak-anak", "\"anak-anak\""},
    {"dash-alone", "- kopi", "\"kopi\""},
    {"double-dash", "--kopi teh", "(\"teh\") NOT (\"kopi\")"},
    {"and-not-keywords", "AND NOT", "\"AND\" OR \"NOT\""},
    {"apostrophe", "Jum'at", "\"Jum'at\""},
    {"empty", "", NULL},
    {"spaces", "   ", NULL},
    {"empty-phrase", "\"\"", NULL},
    {"fts5-syntax", "a AND (b OR c) + d:e ^f", "\"a\" OR \"AND\" OR \"b\" OR \"c\" OR \"d\" OR \"e\" OR \"f\""},
};


/* Translate q into the plan's MATCH expression and its phrases' weights
** written one per phrase ("1,s0.3,0": s a surface bonus, a an alias), both
** freed by the caller; NULL when rc is not CARI_OK. */
static int translate(idx_tokenizer *tok, const char *q, int n,
                     const qry_ranking *r, char **expr, char **weights,
                     int *question, char *note, size_t notecap, char *err,
                     size_t errcap) {
  qry_plan *pl = NULL;
  *expr = *weights = NULL;
  int rc = qry_translate(tok, q, n, r, &pl, note, notecap, err, errcap);
  if (rc != CARI_OK) return rc;
  if (question) *question = pl->question;
  size_t cap = 16 * (size_t)pl->n + 1, k = 0;
  *weights = malloc(cap);
  if (!*weights || qry_plan_match(pl, expr) != CARI_OK) rc = CARI_NOMEM;
  for (int i = 0; rc == CARI_OK && i < pl->n; i++) {
    const qry_phrase *p = &pl->p[i];
    k += (size_t)snprintf(*weights + k, cap - k, "%s%s%g", i ? "," : "",
                          p->kind == QRY_SURFACE ? "s"
                          : p->kind == QRY_ALIAS ? "a" : "",
                          p->weight);
  }
  if (*weights && pl->n == 0) **weights = 0;
  qry_plan_free(pl);
  return rc;
}

int main(void) {
  idx_tokenizer *tok = idx_tokenizer_new();
  sqlite3 *db;
  CHECK_INT("open", sqlite3_open(":memory:", &db), SQLITE_OK);
  CHECK_INT("register", idx_fts5_register(db, NULL), SQLITE_OK);
  int ok = sqlite3_exec(db,
                        "CREATE VIRTUAL TABLE t USING fts5(x, tokenize="
                        "'indonesian stemmer snowball');"
                        "INSERT INTO t VALUES ('kopi dan teh manis');",
                        NULL, NULL, NULL);
  CHECK_INT("setup", ok, SQLITE_OK);
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char err[256] = "";
    char *expr = NULL, *weights = NULL;
    int rc = translate(tok, cases[i].in, (int)strlen(cases[i].in), NULL, &expr, &weights, NULL, NULL, 0,
                           err, sizeof err);
    if (!cases[i].want) {
      CHECK(cases[i].id, rc == CARI_QUERY && err[0] && !strchr(err, '\n'),
            "rc=%d err=%s expr=%s", rc, err, expr ? expr : "");
    } else {
      CHECK_INT(cases[i].id, rc, CARI_OK);
      CHECK_STR(cases[i].id, expr, cases[i].want);
    }
    if (expr) { /* FTS5 must accept whatever we produce */
      sqlite3_stmt *st;
      int x = sqlite3_prepare_v2(db, "SELECT count(*) FROM t WHERE t MATCH ?",
                                 -1, &st, NULL);
      sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
      x = sqlite3_step(st);
      CHECK(cases[i].id, x == SQLITE_ROW, "FTS5 rejected '%s': %s", expr,
            sqlite3_errmsg(db));
      sqlite3_finalize(st);
    }
    free(expr);
      free(weights);
  }
  /* Function words are dropped when the query has other words. */
  {
    static const struct {
      const char *id, *in, *want;
    } fw[] = {
        {"fw-question", "Apa kepanjangan dari GPS?", "\"kepanjangan\" OR \"GPS\""},
        {"fw-only", "siapa yang", "\"siapa\" OR \"yang\""},
        {"fw-phrase-kept", "\"dari hati\" ke", "\"dari hati\""},
        {"fw-prefix-kept", "yang*", "\"yang\"*"},
        {"fw-exclusion", "kopi -yang", "(\"kopi\") NOT (\"yang\")"},
        {"fw-case", "SIAPAKAH Soekarno", "\"Soekarno\""},
    };
    qry_ranking r;
    qry_ranking_default(&r);
    CHECK_INT("fw-default-on", r.function_words, 1);
    for (size_t i = 0; i < sizeof fw / sizeof *fw; i++) {
      char err[256], *expr = NULL, *weights = NULL;
      int rc = translate(tok, fw[i].in, (int)strlen(fw[i].in), &r, &expr, &weights, NULL, NULL, 0,
                             err, sizeof err);
      CHECK_INT(fw[i].id, rc, CARI_OK);
      CHECK_STR(fw[i].id, expr, fw[i].want);
      free(expr);
      free(weights);
    }
    /* An index that reads informal words reads its query's too: `yg`,
    ** `gimana` are function and question words as `yang`, `bagaimana`. */
    static const struct {
      const char *id, *in, *want;
      int informal, question;
    } inf[] = {
        {"inf-fw", "kopi yg enak", "\"kopi\" OR \"enak\"", 1, 0},
        {"inf-fw-off", "kopi yg enak", "\"kopi\" OR \"yg\" OR \"enak\"", 0, 0},
        {"inf-question", "gimana cara ngopi", "\"cara\" OR \"ngopi\"", 1, 1},
        {"inf-question-off", "gimana cara ngopi",
         "\"gimana\" OR \"cara\" OR \"ngopi\"", 0, 0},
        {"inf-prefix-kept", "yg*", "\"yg\"*", 1, 0},
    };
    for (size_t i = 0; i < sizeof inf / sizeof *inf; i++) {
      char err[256], *expr = NULL, *weights = NULL;
      int question = -1;
      r.index_informal = inf[i].informal;
      int rc = translate(tok, inf[i].in, (int)strlen(inf[i].in), &r, &expr,
                             &weights, &question, NULL, 0, err, sizeof err);
      CHECK_INT(inf[i].id, rc, CARI_OK);
      CHECK_STR(inf[i].id, expr, inf[i].want);
      CHECK_INT(inf[i].id, question, inf[i].question);
      free(expr);
      free(weights);
    }
    r.index_informal = 0;
    CHECK_INT("fw-list-yang", qry_function_word("yang", 4), 1);
    CHECK_INT("fw-list-dalam", qry_function_word("dalam", 5), 1);
    CHECK_INT("fw-list-dan", qry_function_word("dan", 3), 1);
    CHECK_INT("fw-list-untuk", qry_function_word("untuk", 5), 1);
    CHECK_INT("fw-list-not-kopi", qry_function_word("kopi", 4), 0);
    CHECK_INT("fw-list-not-tidak", qry_function_word("tidak", 5), 0);
  }
  /* With surface forms indexed: each word also asks for its exact form. */
  {
    static const struct {
      const char *id, *in, *want, *weights;
    } sf[] = {
        {"sf-word", "berkumpul", "\"berkumpul\" OR \"\x01" "berkumpul\"", "1,s0.3"},
        {"sf-prefix", "komun*", "\"\x01" "komun\"*", "1"},
        {"sf-phrase", "\"gotong royong\"", "\"gotong royong\"", "1"},
        {"sf-exclude", "kopi -teh",
         "(\"kopi\" OR \"\x01" "kopi\") NOT (\"teh\")", "1,s0.3,0"},
        {"sf-fw-only", "siapa", "\"siapa\" OR \"\x01" "siapa\"", "1,s0.3"},
    };
    qry_ranking r;
    qry_ranking_default(&r);
    r.index_surface = 1;
    for (size_t i = 0; i < sizeof sf / sizeof *sf; i++) {
      char err[256], *expr = NULL, *weights = NULL;
      int rc = translate(tok, sf[i].in, (int)strlen(sf[i].in), &r, &expr, &weights, NULL, NULL, 0, err, sizeof err);
      CHECK_INT(sf[i].id, rc, CARI_OK);
      CHECK_STR(sf[i].id, expr, sf[i].want);
      CHECK_STR(sf[i].id, weights, sf[i].weights);
      free(expr);
      free(weights);
    }
  }
  /* The plan's question flag: a question word or a '?'. */
  {
    static const struct {
      const char *id, *in;
      int question;
    } qu[] = {
        {"q-word-mark", "Apa kepanjangan dari GPS?", 1},
        {"q-word", "siapakah presiden pertama", 1},
        {"q-mark-only", "kopi?", 1},
        {"q-none", "kopi teh", 0},
        {"q-excluded-word", "kopi -apa", 0},
    };
    qry_ranking r;
    qry_ranking_default(&r);
    for (size_t i = 0; i < sizeof qu / sizeof *qu; i++) {
      char err[256], *expr = NULL, *weights = NULL;
      int question = -1;
      int rc = translate(tok, qu[i].in, (int)strlen(qu[i].in), &r, &expr,
                         &weights, &question, NULL, 0, err, sizeof err);
      CHECK_INT(qu[i].id, rc, CARI_OK);
      CHECK_INT(qu[i].id, question, qu[i].question);
      free(expr);
      free(weights);
    }
  }
  /* Ranking settings. */
  {
    static const struct {
      const char *id, *spec;
      int rc;
    } rs[] = {
        {"rank-null", NULL, CARI_OK},
        {"rank-empty", "", CARI_OK},
        {"rank-all", "fn=bm25 k1=1.5 b=0.5 title=3 body=1 stop=off", CARI_OK},
        {"rank-commas", "k1=1.0,b_title=0.2,b_body=0.8", CARI_OK},
        {"rank-prox", "prox=0.5 prox_question=0.1 coord_question=0.5", CARI_OK},
        {"rank-unknown", "k2=1", CARI_INVALID},
        {"rank-no-value", "k1", CARI_INVALID},
        {"rank-bad-number", "k1=abc", CARI_INVALID},
        {"rank-bad-b", "b=2", CARI_INVALID},
        {"rank-bad-fn", "fn=tfidf", CARI_INVALID},
    };
    for (size_t i = 0; i < sizeof rs / sizeof *rs; i++) {
      qry_ranking r;
      char err[256] = "";
      int rc = qry_ranking_parse(rs[i].spec, &r, err, sizeof err);
      CHECK(rs[i].id, rc == rs[i].rc && (rc == CARI_OK || err[0]),
            "rc %d err %s", rc, err);
    }
    qry_ranking r;
    char err[256];
    qry_ranking_parse("fn=bm25 k1=1.5 b=0.5 title=3 stop=off", &r, err, sizeof err);
    CHECK("rank-values", r.fn == QRY_RANK_BM25 && r.k1 == 1.5 && r.b_title == 0.5 &&
          r.b_body == 0.5 && r.w_title == 3 && r.function_words == 0,
          "fn %d k1 %g b %g/%g", r.fn, r.k1, r.b_title, r.b_body);
  }
  /* 10 KB of text: accepted, capped at QRY_MAX_TERMS distinct words. */
  {
    char big[10240];
    size_t n = 0;
    for (int w = 0; n + 12 < sizeof big; w++)
      n += (size_t)snprintf(big + n, sizeof big - n, "kata%d ", w);
    char err[256], *expr = NULL, *weights = NULL;
    int rc = translate(tok, big, (int)n, NULL, &expr, &weights, NULL, NULL, 0, err, sizeof err);
    CHECK_INT("10kb", rc, CARI_OK);
    int ors = 0;
    for (const char *p = expr; p && (p = strstr(p, " OR ")); p += 4) ors++;
    CHECK_INT("10kb-capped", ors, QRY_MAX_TERMS - 1);
    free(expr);
      free(weights);
  }
  /* The bounds (parse.c's essay): what each hostile class keeps, and the
  ** note that says what was cut ("" when nothing was). Queries are built
  ** from a pattern: "%N{x}" repeats x N times with %d replaced by 0..N-1. */
  {
    static const struct {
      const char *id, *in;
      int npos, nneg, nprefix; /* phrases kept, exclusions, "..."* */
      const char *note;        /* substring of the note; "" none */
    } bd[] = {
        {"bound-none", "kopi teh* -susu", 2, 1, 1, ""},
        {"bound-two-letter-prefix", "ab*", 1, 0, 1, ""},
        {"bound-short-prefix", "a*", 1, 0, 0,
         "a prefix needs 2 letters before '*': 'a*' was searched as a word"},
        {"bound-short-prefix-utf8", "\xC3\xA9" "*", 1, 0, 0, "'\xC3\xA9" "*' was"},
        {"bound-two-short", "a* b* a*", 2, 0, 0, "'a*' and 1 more were"},
        {"bound-short-excluded", "kopi -a*", 1, 1, 0, "'a*' was searched"},
        {"bound-23-letters", "a* b* c* d* e* f* g* h* i* j* k* l* m* n* o* p* "
         "r* s* t* u* w* y* z*", 23, 0, 0, "'a*' and 22 more"},
        {"bound-9-prefixes", "%9{pa%d*}", 9, 0, 8,
         "only the first 8 prefixes were expanded: 'pa8*' was searched"},
        {"bound-excluded-prefix-counts", "kopi %8{-pa%d*} teh*", 2, 8, 8,
         "'teh*' was searched as a word"},
        {"bound-repeated-prefix", "%20{pa*}", 1, 0, 1, ""},
        {"bound-exclusions", "kopi %40{-kata%d}", 1, 32, 0,
         "only the first 32 exclusions were applied (8 more ignored)"},
        {"bound-exclusions-repeated", "kopi %40{-teh}", 1, 1, 0, ""},
        {"bound-words", "%70{kata%d}", 64, 0, 0,
         "only the first 64 words were searched for (6 more ignored)"},
        {"bound-prefixes-8k", "%1600{p%d*}", 64, 0, 8,
         "only the first 8 prefixes were expanded: 'p8*' and 55 more"},
        {"bound-exclusions-5000", "kopi %5000{-k%d}", 1, 32, 0,
         "(4968 more ignored)"},
    };
    for (size_t i = 0; i < sizeof bd / sizeof *bd; i++) {
      char q[40000], note[512], err[256], *expr = NULL, *weights = NULL;
      size_t n = 0;
      for (const char *p = bd[i].in; *p && n + 64 < sizeof q; p++) {
        int reps = 0, used = 0;
        if (p[0] == '%' && sscanf(p, "%%%d{%n", &reps, &used) == 1 && used) {
          const char *body = p + used, *end = strchr(body, '}');
          for (int r = 0; r < reps && n + 64 < sizeof q; r++) {
            n += (size_t)snprintf(q + n, sizeof q - n, " ");
            for (const char *b = body; b < end; b++)
              if (b[0] == '%' && b[1] == 'd') {
                n += (size_t)snprintf(q + n, sizeof q - n, "%d", r);
                b++;
              } else q[n++] = *b;
          }
          p = end;
        } else q[n++] = *p;
      }
      q[n] = 0;
      strcpy(note, "unset");
      int rc = translate(tok, q, (int)n, NULL, &expr, &weights, NULL, note,
                             sizeof note, err, sizeof err);
      CHECK_INT(bd[i].id, rc, CARI_OK);
      /* Count what the expression kept: quoted strings before and after
      ** NOT, and those that end in '*'. */
      int npos = 0, nneg = 0, npre = 0, quote = 0;
      const char *not = expr ? strstr(expr, ") NOT (") : NULL;
      for (const char *p = expr; p && *p; p++) {
        if (*p != '"') continue;
        if (!quote) *(not && p > not ? &nneg : &npos) += 1;
        else if (p[1] == '*') npre++;
        quote = !quote;
      }
      CHECK(bd[i].id, npos == bd[i].npos && nneg == bd[i].nneg &&
            npre == bd[i].nprefix, "kept %d words, %d exclusions, %d prefixes;"
            " want %d, %d, %d (expr %.200s)", npos, nneg, npre, bd[i].npos,
            bd[i].nneg, bd[i].nprefix, expr ? expr : "");
      CHECK(bd[i].id, bd[i].note[0] ? strstr(note, bd[i].note) != NULL
                                    : note[0] == 0,
            "note \"%s\", want \"%s\"", note, bd[i].note);
      free(expr);
      free(weights);
    }
  }
  /* The time budget (budget.c): a spent budget (0 ms) stops the statement
  ** at its first check, deterministically; no budget and an ample one let
  ** it finish; after qry_budget_end nothing stops it. No timing here. */
  {
    static const struct {
      const char *id;
      int ms, want_rc, want_expired;
    } bu[] = {
        {"budget-spent", 0, SQLITE_INTERRUPT, 1},
        {"budget-none", -1, SQLITE_ROW, 0},
        {"budget-ample", 600000, SQLITE_ROW, 0},
    };
    static const char sql[] =
        "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c"
        " WHERE i < 100000) SELECT count(*) FROM c";
    for (size_t i = 0; i < sizeof bu / sizeof *bu; i++) {
      for (int after = 0; after < 2; after++) { /* 1: once it has ended */
        qry_budget B;
        if (!after) qry_budget_begin(&B, db, bu[i].ms);
        sqlite3_stmt *st = NULL;
        int x = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
        CHECK_INT(bu[i].id, x, SQLITE_OK);
        x = sqlite3_step(st);
        CHECK(bu[i].id, x == (after ? SQLITE_ROW : bu[i].want_rc),
              "step gave %d (%s), after %d", x, sqlite3_errmsg(db), after);
        CHECK(bu[i].id, x != SQLITE_ROW || sqlite3_column_int(st, 0) == 100000,
              "count %d", sqlite3_column_int(st, 0));
        sqlite3_finalize(st);
        if (!after) CHECK_INT(bu[i].id, qry_budget_end(&B), bu[i].want_expired);
      }
    }
  }
  /* Random bytes never make an FTS5 error. */
  {
    unsigned seed = 12345;
    int failures = 0;
    for (int round = 0; round < 3000; round++) {
      char q[64];
      int n = (int)(seed % 40);
      for (int i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        static const char alphabet[] = "ab -\"*():^OR\xC3\xA9\xFF NEAR+{}";
        q[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
      }
      seed = seed * 1103515245u + 12345u;
      char err[256], *expr = NULL, *weights = NULL;
      int rc = translate(tok, q, n, NULL, &expr, &weights, NULL, NULL, 0, err, sizeof err);
      if (rc == CARI_OK) {
        sqlite3_stmt *st;
        sqlite3_prepare_v2(db, "SELECT count(*) FROM t WHERE t MATCH ?", -1,
                           &st, NULL);
        sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_ROW) {
          if (failures++ < 3)
            fprintf(stderr, "random query %.*s -> %s: %s\n", n, q, expr,
                    sqlite3_errmsg(db));
        }
        sqlite3_finalize(st);
      } else if (rc != CARI_QUERY) {
        failures++;
      }
      free(expr);
      free(weights);
    }
    CHECK_INT("random-bytes", failures, 0);
  }
  sqlite3_close(db);
  idx_tokenizer_free(tok);
  return test_report("query");
}
