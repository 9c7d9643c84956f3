/*
** test_typo.c — typing errors (query/typo.c) through cari_search: rows of
** misspelt queries over a small collection with what each must be
** corrected to (did-you-mean) and which correction its expression must
** hold, by phenomenon: the distance allowed by length, the first letter,
** transpositions with and without `typo_swap`, the last word as a prefix,
** known words left alone; then an exact match ranking above a correction
** (pruned and exhaustive), the vocabulary following puts and removes, and
** bad input whose work must stay bounded (long words, other scripts, 64
** misspelt words). Pruned against exhaustive on random misspelt queries is
** in test_topk.c.
*/
#include "cari.h"
#include "indexer.h"
#include "query.h"
#include "test.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const cari_article docs[] = {
    {.id = "d1", .title = "Rumah makan di pantai",
     .body = "Sebuah rumah makan kecil berdiri di pinggir pantai."},
    {.id = "d2", .title = "Sekolah desa",
     .body = "Anak sekolah belajar di perpustakaan sekolah yang baru."},
    {.id = "d3", .title = "Pemerintah kota",
     .body = "Pemerintah kota membangun perpustakaan dan taman."},
    {.id = "d4", .title = "Kopi pagi", .body = "Secangkir kopi untuk tamu di warung."},
    {.id = "d5", .title = "Pasar ikan",
     .body = "Nelayan menjual ikan segar di pasar pagi."},
};

/* Search q with ranking spec and flags; the did-you-mean, the expression
** and the number of results into the out parameters (owned copies). */
static int search(cari_db *db, const char *q, const char *ranking, int flags,
                  char **dym, char **expr, int *n) {
  cari_search_opts o = CARI_SEARCH_OPTS_INIT;
  o.ranking = ranking;
  o.flags = flags;
  cari_cursor *c = NULL;
  int rc = cari_search(db, q, -1, &o, &c);
  *n = 0;
  *dym = *expr = NULL;
  if (rc != CARI_OK) return rc;
  const char *d = cari_cursor_did_you_mean(c);
  *dym = d ? strdup(d) : NULL;
  *expr = strdup(cari_cursor_expr(c));
  while ((rc = cari_next(c)) == CARI_ROW) (*n)++;
  cari_cursor_free(c);
  return rc == CARI_DONE ? CARI_OK : rc;
}

static void rules(cari_db *db) {
  static const struct {
    const char *id, *q, *ranking;
    const char *dym;    /* the did-you-mean, NULL for none */
    const char *holds;  /* a correction the expression must hold, or NULL */
    const char *lacks;  /* a word it must not hold, or NULL */
  } rows[] = {
      /* 5-8 letters: one edit. */
      {"5-swap", "rumha", NULL, "rumah", "\"rumah\"", NULL},
      {"5-sub", "rumal", NULL, "rumah", "\"rumah\"", NULL},
      {"7-insert", "sekoolah", NULL, "sekolah", "\"sekolah\"", NULL},
      {"7-delete", "sekolh", NULL, "sekolah", "\"sekolah\"", NULL},
      {"7-two-edits", "sekilaj desa", NULL, NULL, NULL, "\"sekolah\""},
      /* Below 5 letters: none. */
      {"4-none", "kopu", NULL, NULL, NULL, "\"kopi\""},
      {"4-none-swap", "ikna", NULL, NULL, NULL, "\"ikan\""},
      /* 9 and more: two edits. */
      {"10-two", "pemrintha", NULL, "pemerintah", "\"pemerintah\"", NULL},
      {"10-three", "pmerinthaa kota", NULL, NULL, NULL, "\"pemerintah\""},
      /* The first letter costs two: none under 9 letters, and with nothing
      ** else above. */
      {"first-5", "tumah", NULL, NULL, NULL, "\"rumah\""},
      {"first-7", "wekolah", NULL, NULL, NULL, "\"sekolah\""},
      {"first-10", "lemerintah", NULL, "pemerintah", "\"pemerintah\"", NULL},
      {"first-10-more", "lemerintha kota", NULL, NULL, NULL,
       "\"pemerintah\""},
      {"first-swap-5", "urmah", NULL, NULL, NULL, "\"rumah\""},
      /* Damerau: a transposition is one edit, or two with typo_swap=0. */
      {"noswap-5", "rumha makan", "typo_swap=0", NULL, NULL, "\"rumah\""},
      /* (the last word: "ruma", the start of "rumah", is one edit away) */
      {"noswap-last", "rumha", "typo_swap=0", "rumah", "\"rumah\"", NULL},
      {"noswap-sub", "rumal", "typo_swap=0", "rumah", "\"rumah\"", NULL},
      /* The last word as the start of a longer word. */
      {"prefix-exact", "perpustak", NULL, NULL, "\"perpustakaan\"", NULL},
      {"prefix-typo", "sekolah perpsutak", NULL, "sekolah perpustakaan",
       "\"perpustakaan\"", NULL},
      {"prefix-not-last", "perpustak kota", NULL, NULL, NULL,
       "\"perpustakaan\""},
      /* Known words are not corrected; unknown far ones have nothing. */
      {"known", "pantai", NULL, NULL, NULL, "OR"},
      {"unknown-far", "xylofon", NULL, NULL, NULL, "OR"},
      /* Several words, each corrected, the rest as typed. */
      {"two-words", "Rumha makan di pnatai", NULL, "rumah makan di pantai",
       "\"pantai\"", NULL},
      /* A misspelt function word: proposed, not searched (as the word). */
      {"function word", "rumah untku", NULL, "rumah untuk", NULL, "\"untuk\""},
      /* Off: no correction in the expression, the did-you-mean still. */
      {"off-ranking", "rumha", "typo=0", "rumah", NULL, "\"rumah\""},
  };
  for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
    char *dym, *expr;
    int n;
    int rc = search(db, rows[i].q, rows[i].ranking, 0, &dym, &expr, &n);
    CHECK_INT(rows[i].id, rc, CARI_OK);
    CHECK_STR(rows[i].id, dym, rows[i].dym);
    if (rows[i].holds)
      CHECK(rows[i].id, expr && strstr(expr, rows[i].holds),
            "expression %s lacks %s", expr ? expr : "-", rows[i].holds);
    if (rows[i].lacks)
      CHECK(rows[i].id, expr && !strstr(expr, rows[i].lacks),
            "expression %s holds %s", expr ? expr : "-", rows[i].lacks);
    free(dym);
    free(expr);
  }
  /* The search flag turns corrections and the did-you-mean off. */
  char *dym, *expr;
  int n;
  CHECK_INT("flag", search(db, "rumha", NULL, CARI_SEARCH_NO_TYPO, &dym,
                           &expr, &n), CARI_OK);
  CHECK_INT("flag: no results", n, 0);
  CHECK_STR("flag: did you mean", dym, NULL);
  free(dym);
  free(expr);
  CHECK_INT("on", search(db, "rumha", NULL, 0, &dym, &expr, &n), CARI_OK);
  CHECK_INT("on: the article", n, 1);
  free(dym);
  free(expr);
  CHECK("null cursor", cari_cursor_did_you_mean(NULL) == NULL, "not NULL");
}

/* Two articles alike but for one word: the word as typed first, then its
** correction, at weight typo < 1, on both paths. The plan is made by hand:
** a word in an article is known, and known words are not looked up below
** 20,000 articles. */
static void exact_first(const char *dir) {
  char path[300], err[300];
  snprintf(path, sizeof path, "%s/exact.db", dir);
  sqlite3 *conn = NULL;
  cari_db *db = NULL;
  CHECK("exact: open", sqlite3_open(path, &conn) == SQLITE_OK, "open");
  CHECK_INT("exact: cari", cari_open_sqlite(conn, NULL, &db), CARI_OK);
  cari_article a = {.id = "a", .title = "Catatan", .body = "kami pergi ke sekolha pagi ini"};
  cari_article b = {.id = "b", .title = "Catatan", .body = "kami pergi ke sekolah pagi ini"};
  cari_article c = {.id = "c", .title = "Lain", .body = "pasar ikan segar"};
  CHECK_INT("exact: put b", cari_put(db, &b), CARI_OK); /* b's rowid first */
  CHECK_INT("exact: put a", cari_put(db, &a), CARI_OK);
  CHECK_INT("exact: put c", cari_put(db, &c), CARI_OK);
  for (int built = 0; built < 2; built++) {
    if (built) CHECK_INT("exact: optimize", cari_optimize(db), CARI_OK);
    sid_lexicon *lx = idx_lexicon_load(NULL, err, sizeof err);
    idx_analyzer *an = idx_analyzer_new("cari", lx, err, sizeof err);
    qry_topk *t = qry_topk_new(conn, an);
    qry_plan *pl = qry_plan_new();
    CHECK("exact: objects", lx && an && t && pl, "%s", err);
    if (!(lx && an && t && pl)) return;
    qry_ranking r;
    qry_ranking_default(&r);
    CHECK_INT("exact: word", qry_plan_add(pl, "sekolha", 7, 0, QRY_WORD, 0, -1, 1),
              CARI_OK);
    CHECK_INT("exact: typo", qry_plan_add(pl, "sekolah", 7, 0, QRY_TYPO, 0, 0,
                                          r.w_typo), CARI_OK);
    for (int ex = 0; ex < 2; ex++) {
      qry_opts o;
      memset(&o, 0, sizeof o);
      o.limit = 10;
      o.rank = &r;
      o.no_snippet = 1;
      qry_result res;
      char id[64];
      snprintf(id, sizeof id, "exact: built %d exhaustive %d", built, ex);
      int rc = qry_topk_search(t, pl, &o, ex, &res, err, sizeof err);
      CHECK(id, rc == CARI_OK, "%s", err);
      if (rc) continue;
      CHECK_INT(id, res.nhit, 2);
      CHECK(id, res.nhit == 2 && res.hit[0].doc == 2 && res.hit[1].doc == 1 &&
                    res.hit[0].score > res.hit[1].score,
            "order %lld %lld", res.nhit > 0 ? res.hit[0].doc : -1,
            res.nhit > 1 ? res.hit[1].doc : -1);
      if (built && !ex) CHECK_INT(id, res.pruned, 1);
      qry_result_free(&res);
    }
    qry_plan_free(pl);
    qry_topk_free(t);
    idx_analyzer_free(an);
    sid_lexicon_free(lx);
  }
  CHECK_INT("exact: close", cari_close(db), CARI_OK);
  CHECK_INT("exact: sqlite3_close", sqlite3_close(conn), SQLITE_OK);
}

/* The vocabulary follows puts and removes, in a batch too. */
static void updates(cari_db *db) {
  static const struct {
    const char *id, *op, *arg; /* op: put (arg: body), rm (arg: id) */
    const char *dym;           /* "kebudayan"'s did-you-mean after it */
    int n;                     /* its results */
  } rows[] = {
      {"none yet", "", "", NULL, 0},
      {"put", "put", "Festival kebudayaan di alun-alun.", "kebudayaan", 1},
      {"removed", "rm", "u1", NULL, 0},
      {"put again", "put", "Museum kebudayaan daerah.", "kebudayaan", 1},
      {"batch", "batch", "Kebudayaan Melayu dan kebudayaan Jawa.", "kebudayaan", 2},
  };
  for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
    char uid[8];
    snprintf(uid, sizeof uid, "u%d", (int)i);
    cari_article a = {.id = uid, .title = "Budaya", .body = rows[i].arg};
    int in_batch = !strcmp(rows[i].op, "batch");
    if (in_batch) CHECK_INT(rows[i].id, cari_begin(db), CARI_OK);
    if (!strcmp(rows[i].op, "put") || in_batch)
      CHECK_INT(rows[i].id, cari_put(db, &a), CARI_OK);
    if (!strcmp(rows[i].op, "rm"))
      CHECK_INT(rows[i].id, cari_remove(db, rows[i].arg), CARI_OK);
    char *dym, *expr;
    int n;
    CHECK_INT(rows[i].id, search(db, "kebudayan", NULL, 0, &dym, &expr, &n),
              CARI_OK);
    CHECK_STR(rows[i].id, dym, rows[i].dym);
    CHECK_INT(rows[i].id, n, rows[i].n);
    free(dym);
    free(expr);
    if (in_batch) CHECK_INT(rows[i].id, cari_commit(db), CARI_OK);
  }
  CHECK_INT("optimize", cari_optimize(db), CARI_OK);
  CHECK_INT("check", cari_check(db), CARI_OK);
  char *dym, *expr;
  int n;
  CHECK_INT("after optimize", search(db, "kebudayan", NULL, 0, &dym, &expr, &n),
            CARI_OK);
  CHECK_STR("after optimize", dym, "kebudayaan");
  CHECK_INT("after optimize: results", n, 2);
  free(dym);
  free(expr);
}

/* Bad input: the work stays bounded (qry_typo counts what it looked up). */
static void bad_input(cari_db *db, sqlite3 *conn, const char *dir) {
  char err[300];
  (void)dir;
  static char longword[4001];
  memset(longword, 'a', 4000);
  longword[1] = 'x';
  char many[4096] = "";
  size_t k = 0;
  /* 64 distinct words, each one letter inserted into "perpustakaan". */
  for (int i = 0; i < 64; i++) {
    int at = 3 + i / 26;
    k += (size_t)snprintf(many + k, sizeof many - k, "%s%.*s%c%s",
                          i ? " " : "", at, "perpustakaan", 'a' + i % 26,
                          "perpustakaan" + at);
  }
  const struct {
    const char *id, *q;
    int max_looked;
  } rows[] = {
      {"long word", longword, 0},
      {"cyrillic", "пожалуйста библиотека", 2},
      {"arabic", "مكتبة المدرسة", 2},
      {"mixed script", "rumahмакан", 2},
      {"64 misspelt", many, QRY_TYPO_MAX_WORDS},
      {"invalid utf-8", "sekol\xff\xfe" "ah", 2},
      /* 30 letters of 3 bytes: longer than any word of the vocabulary. */
      {"long script word",
       "\xe0\xb8\x81\xe0\xb8\x82\xe0\xb8\x84\xe0\xb8\x87\xe0\xb8\x88"
       "\xe0\xb8\x89\xe0\xb8\x8a\xe0\xb8\x8b\xe0\xb8\x8c\xe0\xb8\x8d"
       "\xe0\xb8\x81\xe0\xb8\x82\xe0\xb8\x84\xe0\xb8\x87\xe0\xb8\x88"
       "\xe0\xb8\x89\xe0\xb8\x8a\xe0\xb8\x8b\xe0\xb8\x8c\xe0\xb8\x8d"
       "\xe0\xb8\x81\xe0\xb8\x82\xe0\xb8\x84\xe0\xb8\x87\xe0\xb8\x88"
       "\xe0\xb8\x89\xe0\xb8\x8a\xe0\xb8\x8b\xe0\xb8\x8c\xe0\xb8\x8d",
       1},
  };
  sid_lexicon *lx = idx_lexicon_load(NULL, err, sizeof err);
  idx_analyzer *an = idx_analyzer_new("cari", lx, err, sizeof err);
  idx_tokenizer *tok = idx_tokenizer_new();
  CHECK("bad: objects", lx && an && tok, "%s", err);
  for (size_t i = 0; lx && an && tok && i < sizeof rows / sizeof *rows; i++) {
    char *dym, *expr;
    int n;
    int rc = search(db, rows[i].q, NULL, 0, &dym, &expr, &n);
    CHECK(rows[i].id, rc == CARI_OK || rc == CARI_QUERY, "rc %d: %s", rc,
          cari_errmsg(db));
    free(dym);
    free(expr);
    qry_ranking r;
    qry_ranking_default(&r);
    qry_plan *pl = NULL;
    rc = qry_translate(tok, rows[i].q, (int)strlen(rows[i].q), &r, &pl, NULL,
                       0, err, sizeof err);
    if (rc == CARI_QUERY) continue;
    CHECK_INT(rows[i].id, rc, CARI_OK);
    if (rc) continue;
    qry_typo T;
    qry_typo_opts to = {r.w_typo, r.typo_swap, r.function_words, lx};
    rc = qry_typo_expand(conn, an, tok, pl, &to, &T, err, sizeof err);
    CHECK(rows[i].id, rc == CARI_OK, "%s", err);
    CHECK(rows[i].id, T.looked <= rows[i].max_looked, "looked up %d words",
          T.looked);
    int ntypo = 0;
    for (int j = 0; T.plan && j < T.plan->n; j++)
      ntypo += T.plan->p[j].kind == QRY_TYPO;
    CHECK(rows[i].id, ntypo <= QRY_TYPO_MAX_CAND * QRY_TYPO_MAX_WORDS,
          "%d corrections", ntypo);
    if (!strcmp(rows[i].id, "64 misspelt")) {
      CHECK(rows[i].id, T.truncated && ntypo > 0 && T.skipped >= 50,
            "truncated %d, %d corrections, %d skipped", T.truncated, ntypo,
            T.skipped);
      cari_cursor *c = NULL;
      CHECK_INT(rows[i].id, cari_search(db, rows[i].q, -1, NULL, &c), CARI_OK);
      const char *note = c ? cari_cursor_note(c) : NULL;
      CHECK(rows[i].id, note && strstr(note, "first 8 unknown words only ("),
            "note %s", note ? note : "-");
      cari_cursor_free(c);
    }
    qry_typo_clear(&T);
    qry_plan_free(pl);
  }
  idx_tokenizer_free(tok);
  idx_analyzer_free(an);
  sid_lexicon_free(lx);
}

int main(void) {
  char dir[] = "/tmp/cari-typo-XXXXXX", path[300];
  if (!mkdtemp(dir)) return 1;
  snprintf(path, sizeof path, "%s/t.db", dir);
  sqlite3 *conn = NULL;
  cari_db *db = NULL;
  CHECK("open", sqlite3_open(path, &conn) == SQLITE_OK, "sqlite3_open");
  CHECK_INT("cari_open_sqlite", cari_open_sqlite(conn, NULL, &db), CARI_OK);
  for (size_t i = 0; i < sizeof docs / sizeof *docs; i++)
    CHECK_INT(docs[i].id, cari_put(db, &docs[i]), CARI_OK);
  rules(db);             /* before any build: exhaustive */
  CHECK_INT("optimize", cari_optimize(db), CARI_OK);
  rules(db);             /* after it: pruned */
  updates(db);
  bad_input(db, conn, dir);
  exact_first(dir);
  CHECK_INT("close", cari_close(db), CARI_OK);
  CHECK_INT("sqlite3_close", sqlite3_close(conn), SQLITE_OK);
  char cmd[400];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
  return test_report("test_typo");
}
