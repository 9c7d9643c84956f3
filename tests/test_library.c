/*
** test_library.c — the public API end to end on a temporary database:
** {articles, query, expected ranking} tables, snippets that mark the words
** as written, replace and remove with an integrity check after every write,
** batches that land whole or not at all, analyzer mismatch, hostile queries.
*/
#include "cari.h"
#include "test.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[] = "/tmp/cari-test-XXXXXX";
static char path[256];

static const cari_article docs[] = {
    {"kumpul", "Kami berkumpul di balai",
     "Warga berkumpul setiap Minggu. Anak-anak bermain di halaman.", NULL,
     "2024-01-02", NULL, 0, NULL, NULL},
    {"perkumpulan", "Perkumpulan nelayan",
     "Perkumpulan itu mengumpulkan dana untuk perahu baru.", NULL, NULL, NULL,
     0, NULL, NULL},
    {"kopi", "Kopi pagi", "Secangkir kopi hitam dan teh manis di warung.",
     "https://contoh.id/kopi", NULL, NULL, 0, NULL, NULL},
    {"komunitas", "Komunitas penulis",
     "Komunitas kami menulis cerita tentang solidaritas warga kampung.", NULL,
     NULL, NULL, 0, NULL, NULL},
    {"solidaritas", "Solidaritas",
     "Solidaritas warga terlihat ketika banjir datang; solidaritas itu nyata.",
     NULL, NULL, NULL, 0, NULL, NULL},
};

static void check_db(cari_db *db, const char *id) {
  int rc = cari_check(db);
  CHECK(id, rc == CARI_OK, "integrity check: %s", cari_errmsg(db));
}

/* The ids of the results, space-separated, into buf; returns total. */
static long long ids(cari_db *db, const char *q, char *buf, size_t cap) {
  cari_cursor *c;
  buf[0] = 0;
  int rc = cari_search(db, q, -1, NULL, &c);
  if (rc) {
    snprintf(buf, cap, "error %d: %s", rc, cari_errmsg(db));
    return -1;
  }
  size_t n = 0;
  while (cari_next(c) == CARI_ROW)
    n += (size_t)snprintf(buf + n, cap - n, "%s%s", n ? " " : "",
                          cari_result_id(c));
  long long total = -1;
  if (cari_cursor_total(c, &total) != CARI_OK)
    snprintf(buf, cap, "total: %s", cari_errmsg(db));
  cari_cursor_free(c);
  return total;
}

static const struct {
  const char *id, *query, *want; /* result ids, best first */
} ranking[] = {
    {"stem-ber-exact-first", "berkumpul", "kumpul perkumpulan"},
    {"stem-root", "kumpul", "perkumpulan kumpul"},
    {"title-first", "solidaritas", "solidaritas komunitas"},
    {"or-more-words-first", "kopi teh", "kopi"},
    {"or-any-word", "kopi nelayan", "kopi perkumpulan"},
    {"phrase", "\"teh manis\"", "kopi"},
    {"phrase-no-match", "\"manis teh\"", ""},
    {"exclude", "warga -banjir -kampung", "kumpul"},
    {"prefix", "komun*", "komunitas"},
    {"prefix-as-written", "berkum*", "kumpul"},
    {"prefix-not-stem", "kump*", ""},
    {"redup", "anak", "kumpul"},
    {"none", "gajah", ""},
};

/* Snippets end to end (this index has surface forms): each article is
** put, searched for, and its snippet (default marks) compared. */
static const struct {
  const char *id, *body, *query, *want;
} snips[] = {
    {"snip-phrase", "Rapat di balai desa. Balai itu baru, desa itu lama.",
     "\"balai desa\"", "Rapat di [balai desa]. Balai itu baru, desa itu lama."},
    {"snip-phrase-stems", "Warga berkumpul di balai kami.",
     "\"kumpul di balai\"", "Warga [berkumpul di balai] kami."},
    {"snip-surface-prefix", "Mereka berkumpul, lalu kumpul lagi.", "berkum*",
     "Mereka [berkumpul], lalu kumpul lagi."},
    {"snip-control-word", "Warga \x01" "berkumpul\x02 di\x1B balai\x7F desa.",
     "kumpul", "Warga [berkumpul] di balai desa."},
    {"snip-control-phrase", "Warga \x01" "berkumpul\x02 di balai\x01 desa\x02.",
     "\"balai desa\"", "Warga berkumpul di [balai desa] ."},
};

/* The snippet of article id among the results of q, into buf ("" when it
** is not among them); CARI_OK or the failing call's code. */
static int snippet_of(cari_db *db, const char *q, const char *id, char *buf,
                      size_t cap) {
  cari_cursor *c;
  buf[0] = 0;
  cari_search_opts o = {.limit = 50};
  int rc = cari_search(db, q, -1, &o, &c);
  if (rc) return rc;
  while ((rc = cari_next(c)) == CARI_ROW)
    if (strcmp(cari_result_id(c), id) == 0 && cari_result_snippet(c))
      snprintf(buf, cap, "%s", cari_result_snippet(c));
  cari_cursor_free(c);
  return rc == CARI_DONE ? CARI_OK : rc;
}

int main(void) {
  if (!mkdtemp(dir)) return 1;
  snprintf(path, sizeof path, "%s/t.db", dir);
  cari_db *db;
  int rc = cari_open(path, NULL, CARI_OPEN_SURFACE, &db);
  CHECK("open", rc == CARI_OK, "%s", cari_errmsg(db));
  CHECK_STR("default-stemmer", cari_stemmer(db), "cari");
  CHECK_STR("version", cari_version(), CARI_VERSION);

  for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
    rc = cari_put(db, &docs[i]);
    CHECK(docs[i].id, rc == CARI_OK, "put: %s", cari_errmsg(db));
    check_db(db, docs[i].id);
  }
  CHECK_INT("count", cari_count(db), 5);

  char buf[1024];
  for (size_t i = 0; i < sizeof ranking / sizeof *ranking; i++) {
    ids(db, ranking[i].query, buf, sizeof buf);
    CHECK_STR(ranking[i].id, buf, ranking[i].want);
  }

  /* Snippets mark the words as written; fields come back. */
  {
    cari_search_opts o = {.limit = 5, .mark_open = "<b>", .mark_close = "</b>",
                          .ellipsis = "...", .snippet_words = 10};
    cari_cursor *c;
    rc = cari_search(db, "balai kumpul", -1, &o, &c);
    CHECK_INT("snippet-search", rc, CARI_OK);
    CHECK_INT("snippet-row", cari_next(c), CARI_ROW);
    CHECK_STR("snippet-id", cari_result_id(c), "kumpul");
    CHECK_STR("snippet-title", cari_result_title(c), "Kami berkumpul di balai");
    CHECK_STR("snippet-date", cari_result_date(c), "2024-01-02");
    CHECK("snippet-marks", strstr(cari_result_snippet(c), "<b>berkumpul</b>"),
          "snippet %s", cari_result_snippet(c));
    CHECK("score-positive", cari_result_score(c) > 0, "score %f",
          cari_result_score(c));
    long long tot = -1;
    CHECK_INT("snippet-total-rc", cari_cursor_total(c, &tot), CARI_OK);
    CHECK_INT("snippet-total", tot, 2);
    CHECK_INT("close-with-cursor", cari_close(db), CARI_ERROR);
    cari_cursor_free(c);
  }
  /* Snippets are one line: paragraph breaks become a space. */
  {
    cari_article a = {"para", "Dua paragraf", "Paragraf pertama.\n\n  Paragraf kedua\tdengan gajah.",
                      NULL, NULL, NULL, 0, NULL, NULL};
    CHECK_INT("put-line122", cari_put(db, &a), CARI_OK);
    cari_cursor *c;
    CHECK_INT("search-line124", cari_search(db, "gajah", -1, NULL, &c), CARI_OK);
    CHECK_INT("one-line-row", cari_next(c), CARI_ROW);
    CHECK_STR("one-line", cari_result_snippet(c),
              "Paragraf pertama. Paragraf kedua dengan [gajah].");
    cari_cursor_free(c);
    CHECK_INT("remove-line129", cari_remove(db, "para"), CARI_OK);
  }
  for (size_t i = 0; i < sizeof snips / sizeof *snips; i++) {
    cari_article a = {snips[i].id, "Uji", snips[i].body, NULL, NULL, NULL, 0,
                      NULL, NULL};
    CHECK_INT(snips[i].id, cari_put(db, &a), CARI_OK);
    CHECK_INT(snips[i].id, snippet_of(db, snips[i].query, snips[i].id, buf,
                                      sizeof buf), CARI_OK);
    CHECK_STR(snips[i].id, buf, snips[i].want);
    CHECK_INT(snips[i].id, cari_remove(db, snips[i].id), CARI_OK);
    check_db(db, snips[i].id);
  }
  /* Ranking settings: both functions rank; a bad setting is refused. */
  {
    static const char *const specs[] = {"fn=bm25", "fn=cari k1=2 b=0.5",
                                        "title=0", "stop=off"};
    for (size_t i = 0; i < sizeof specs / sizeof *specs; i++) {
      cari_search_opts o = {.ranking = specs[i], .flags = CARI_SEARCH_NO_SNIPPET};
      cari_cursor *c;
      rc = cari_search(db, "solidaritas", -1, &o, &c);
      CHECK(specs[i], rc == CARI_OK, "rc %d: %s", rc, cari_errmsg(db));
      if (rc) continue;
      CHECK_INT(specs[i], cari_next(c), CARI_ROW);
      CHECK(specs[i], cari_result_snippet(c) == NULL, "snippet not skipped");
      CHECK(specs[i], cari_result_score(c) > 0, "score %g", cari_result_score(c));
      cari_cursor_free(c);
    }
    cari_search_opts o = {.ranking = "speed=11"};
    cari_cursor *c;
    CHECK_INT("bad-ranking", cari_search(db, "kopi", -1, &o, &c), CARI_INVALID);
    CHECK("bad-ranking-msg", strstr(cari_errmsg(db), "speed") != NULL, "%s",
          cari_errmsg(db));
    /* Title matters: with the title weighted 0, the body decides. */
    cari_search_opts t0 = {.ranking = "title=0"};
    char got[256] = "";
    CHECK_INT("search-line154", cari_search(db, "solidaritas", -1, &t0, &c), CARI_OK);
    size_t n = 0;
    while (cari_next(c) == CARI_ROW)
      n += (size_t)snprintf(got + n, sizeof got - n, "%s ", cari_result_id(c));
    cari_cursor_free(c);
    CHECK_STR("title-zero", got, "solidaritas komunitas ");
  }
  /* Limit and offset. */
  {
    cari_search_opts o = {.limit = 1, .offset = 1};
    cari_cursor *c;
    CHECK_INT("search-line165", cari_search(db, "warga", -1, &o, &c), CARI_OK);
    int n = 0;
    while (cari_next(c) == CARI_ROW) n++;
    CHECK_INT("limit", n, 1);
    long long tot = -1;
    CHECK_INT("limit-total-rc", cari_cursor_total(c, &tot), CARI_OK);
    CHECK_INT("limit-total", tot, 3);
    /* Asked again: the same count, not made twice. */
    CHECK_INT("limit-total-again", cari_cursor_total(c, &tot), CARI_OK);
    CHECK_INT("limit-total-again-n", tot, 3);
    cari_cursor_free(c);
  }
  /* Replace: the old text leaves the index. */
  {
    cari_article a = {"kopi", "Teh sore", "Segelas teh tawar.", NULL, NULL,
                      NULL, 0, NULL, NULL};
    CHECK_INT("replace", cari_put(db, &a), CARI_OK);
    check_db(db, "replace");
    CHECK_INT("replace-count", cari_count(db), 5);
    CHECK_INT("replace-old-gone", ids(db, "kopi", buf, sizeof buf), 0);
    ids(db, "tawar", buf, sizeof buf);
    CHECK_STR("replace-new-found", buf, "kopi");
    /* Idempotent: the same article again changes nothing. */
    CHECK_INT("replace-again", cari_put(db, &a), CARI_OK);
    check_db(db, "replace-again");
    CHECK_INT("replace-again-count", cari_count(db), 5);
  }
  /* Remove. */
  CHECK_INT("remove", cari_remove(db, "perkumpulan"), CARI_OK);
  check_db(db, "remove");
  CHECK_INT("remove-missing", cari_remove(db, "perkumpulan"), CARI_NOTFOUND);
  CHECK("remove-missing-msg", strstr(cari_errmsg(db), "perkumpulan") != NULL,
        "%s", cari_errmsg(db));
  ids(db, "berkumpul", buf, sizeof buf);
  CHECK_STR("remove-gone", buf, "kumpul");

  /* A batch lands whole or not at all. */
  {
    cari_article a = {"b1", "Batik", "Batik tulis.", NULL, NULL, NULL, 0, NULL, NULL};
    cari_article b = {"b2", "Wayang", "Wayang kulit.", NULL, NULL, NULL, 0, NULL, NULL};
    CHECK_INT("begin", cari_begin(db), CARI_OK);
    CHECK_INT("begin-twice", cari_begin(db), CARI_INVALID);
    CHECK_INT("put-line202", cari_put(db, &a), CARI_OK);
    CHECK_INT("put-line203", cari_put(db, &b), CARI_OK);
    CHECK_INT("rollback", cari_rollback(db), CARI_OK);
    CHECK_INT("rollback-count", cari_count(db), 4);
    check_db(db, "rollback");
    CHECK_INT("begin-line207", cari_begin(db), CARI_OK);
    CHECK_INT("put-line208", cari_put(db, &a), CARI_OK);
    CHECK_INT("put-line209", cari_put(db, &b), CARI_OK);
    CHECK_INT("commit", cari_commit(db), CARI_OK);
    CHECK_INT("commit-count", cari_count(db), 6);
    check_db(db, "commit");
    CHECK_INT("commit-without-begin", cari_commit(db), CARI_INVALID);
  }
  /* Bad articles are refused with the field named. */
  {
    cari_article a = {"", "t", "b", NULL, NULL, NULL, 0, "x.jsonl:3", NULL};
    CHECK_INT("no-id", cari_put(db, &a), CARI_INVALID);
    CHECK("no-id-msg", strstr(cari_errmsg(db), "x.jsonl:3") != NULL, "%s",
          cari_errmsg(db));
    cari_article u = {"u", "t", "bad \xFF byte", NULL, NULL, NULL, 0, NULL, NULL};
    CHECK_INT("bad-utf8", cari_put(db, &u), CARI_INVALID);
    CHECK("bad-utf8-msg", strstr(cari_errmsg(db), "body") != NULL, "%s",
          cari_errmsg(db));
    const char *tags[] = {"satu", "dua"};
    cari_article t = {"tagged", "Tag", "isi", NULL, NULL, tags, 2, NULL, NULL};
    CHECK_INT("tags", cari_put(db, &t), CARI_OK);
    CHECK_INT("null-article", cari_put(db, NULL), CARI_INVALID);
  }
  /* Hostile queries: results or CARI_QUERY, never an error. */
  {
    static const char *const hostile[] = {
        "\"anak-anak", "NEAR(", "a OR", "*", ":", "^", "title:", "\xF0\x9F\x98\x80",
        "\xFF\xFE", "\"", "-", "--", "OR", "AND", "NOT", "(", ")", "{a b}:c",
        "a NEAR/3 b", "col:*", "\"\"\"\"", "-\"\""};
    for (size_t i = 0; i < sizeof hostile / sizeof *hostile; i++) {
      cari_cursor *c;
      rc = cari_search(db, hostile[i], -1, NULL, &c);
      CHECK(hostile[i], rc == CARI_OK || rc == CARI_QUERY, "rc %d: %s", rc,
            cari_errmsg(db));
      if (rc == CARI_OK) {
        int x;
        while ((x = cari_next(c)) == CARI_ROW) {}
        CHECK(hostile[i], x == CARI_DONE, "next %d: %s", x, cari_errmsg(db));
        cari_cursor_free(c);
      }
    }
    char *big = malloc(10241);
    for (int i = 0; i < 10240; i++) big[i] = "kopi warga \"(*"[i % 14];
    big[10240] = 0;
    cari_cursor *c;
    rc = cari_search(db, big, -1, NULL, &c);
    CHECK("10kb", rc == CARI_OK, "rc %d: %s", rc, cari_errmsg(db));
    if (rc == CARI_OK) cari_cursor_free(c);
    free(big);
  }
  CHECK_INT("close", cari_close(db), CARI_OK);
  CHECK_INT("close-null", cari_close(NULL), CARI_OK);

  /* Reopen: the recorded stemmer rules; another one is refused. */
  rc = cari_open(path, "none", 0, &db);
  CHECK_INT("mismatch", rc, CARI_MISMATCH);
  CHECK("mismatch-msg", strstr(cari_errmsg(db), "cari") &&
        strstr(cari_errmsg(db), "none"), "%s", cari_errmsg(db));
  cari_close(db);
  rc = cari_open(path, NULL, 0, &db);
  CHECK_INT("reopen", rc, CARI_OK);
  ids(db, "berkumpul", buf, sizeof buf);
  CHECK_STR("reopen-search", buf, "kumpul");
  cari_close(db);
  rc = cari_open(path, "porter", 0, &db);
  CHECK_INT("unknown-stemmer", rc, CARI_INVALID);
  cari_close(db);

  /* Surface forms are recorded: asking for the other kind is refused. */
  rc = cari_open(path, NULL, CARI_OPEN_NO_SURFACE, &db);
  CHECK_INT("surface-mismatch", rc, CARI_MISMATCH);
  CHECK("surface-mismatch-msg", strstr(cari_errmsg(db), "surface") != NULL,
        "%s", cari_errmsg(db));
  cari_close(db);
  {
    char p4[300];
    snprintf(p4, sizeof p4, "%s/stems.db", dir);
    rc = cari_open(p4, NULL, 0, &db); /* the default: stems only */
    CHECK_INT("stems-only-open", rc, CARI_OK);
    CHECK_INT("put-line286", cari_put(db, &docs[0]), CARI_OK);
    CHECK_INT("put-line287", cari_put(db, &docs[1]), CARI_OK);
    ids(db, "kump*", buf, sizeof buf); /* prefixes reach stems here */
    CHECK_STR("stems-only-prefix", buf, "perkumpulan kumpul");
    CHECK_INT("stems-only-check", cari_check(db), CARI_OK);
    cari_close(db);
    CHECK_INT("stems-only-recorded", cari_open(p4, NULL, CARI_OPEN_SURFACE, &db),
              CARI_MISMATCH);
    cari_close(db);
    unlink(p4);
  }
  /* A changed lexicon of the cari stemmer asks for a new index. */
  {
    char p5[300], dic[300];
    snprintf(p5, sizeof p5, "%s/lex.db", dir);
    snprintf(dic, sizeof dic, "%s/small.dic", dir);
    rc = cari_open(p5, "cari", 0, &db);
    CHECK_INT("lexicon-open", rc, CARI_OK);
    CHECK_INT("put-line304", cari_put(db, &docs[0]), CARI_OK);
    cari_close(db);
    FILE *f = fopen(dic, "w");
    fputs("2\nkumpul\nwarga\n", f);
    fclose(f);
    setenv("CARI_DIC", dic, 1);
    rc = cari_open(p5, NULL, 0, &db);
    CHECK_INT("lexicon-changed", rc, CARI_MISMATCH);
    CHECK("lexicon-changed-msg", strstr(cari_errmsg(db), "lexicon") != NULL,
          "%s", cari_errmsg(db));
    cari_close(db);
    setenv("CARI_DIC", "/nonexistent/id_ID.dic", 1);
    rc = cari_open(p5, NULL, 0, &db);
    CHECK("lexicon-missing", rc != CARI_OK && strstr(cari_errmsg(db), "lexicon"),
          "rc %d: %s", rc, cari_errmsg(db));
    cari_close(db);
    unsetenv("CARI_DIC");
    rc = cari_open(p5, NULL, 0, &db);
    CHECK_INT("lexicon-restored", rc, CARI_OK);
    cari_close(db);
    unlink(dic);
    unlink(p5);
  }
  /* A "none" database does not stem. */
  {
    char p2[300];
    snprintf(p2, sizeof p2, "%s/none.db", dir);
    rc = cari_open(p2, "none", 0, &db);
    CHECK_INT("none-open", rc, CARI_OK);
    CHECK_INT("put-line333", cari_put(db, &docs[0]), CARI_OK);
    CHECK_INT("none-no-stem", ids(db, "kumpul", buf, sizeof buf), 0);
    CHECK_INT("none-exact", ids(db, "berkumpul", buf, sizeof buf), 1);
    cari_close(db);
    unlink(p2);
  }
  /* Bounds (cari.h "Bounds"): each hostile class runs and says what it cut;
  ** a prefix of more than 32 index terms matches its 32 most frequent, the
  ** same in the pruned and the exhaustive search. Stemmer "none" so that
  ** the words zq00..zq39 are index terms as written; word j is in articles
  ** 0..j, so its document frequency is j + 1. */
  {
    char p6[300];
    snprintf(p6, sizeof p6, "%s/bounds.db", dir);
    rc = cari_open(p6, "none", 0, &db);
    CHECK("bounds-open", rc == CARI_OK, "%s", cari_errmsg(db));
    CHECK_INT("bounds-begin", cari_begin(db), CARI_OK);
    for (int i = 0; i < 40; i++) {
      char id[16], body[400];
      size_t n = (size_t)snprintf(body, sizeof body, "kopi teh");
      for (int j = i; j < 40; j++)
        n += (size_t)snprintf(body + n, sizeof body - n, " zq%02d", j);
      snprintf(id, sizeof id, "b%d", i);
      cari_article a = {id, "Catatan", body, NULL, NULL, NULL, 0, NULL, NULL};
      CHECK("bounds-put", cari_put(db, &a) == CARI_OK, "%s: %s", id,
            cari_errmsg(db));
    }
    CHECK_INT("bounds-commit", cari_commit(db), CARI_OK);
    /* Before the top-k postings exist the index's terms are not counted:
    ** the prefix goes to FTS5 whole (bounded by the time budget only). */
    cari_cursor *c = NULL;
    rc = cari_search(db, "zq*", -1, NULL, &c);
    CHECK_INT("bounds-before-optimize", rc, CARI_OK);
    CHECK("bounds-before-optimize", c && !cari_cursor_note(c) &&
          strcmp(cari_cursor_expr(c), "\"zq\"*") == 0, "note %s expr %s",
          c && cari_cursor_note(c) ? cari_cursor_note(c) : "-",
          c ? cari_cursor_expr(c) : "-");
    cari_cursor_free(c);
    CHECK("bounds-optimize", cari_optimize(db) == CARI_OK, "%s", cari_errmsg(db));
    check_db(db, "bounds-optimize");
    static const struct {
      const char *id, *q;
      int nzq;          /* "zq... strings in the expression searched */
      const char *note; /* substring of the note, NULL: no note */
      int some;         /* 1: results expected */
    } bq[] = {
        {"bounds-none", "kopi zq05", 1, NULL, 1},
        {"bounds-small-prefix", "zq3*", 1, NULL, 1},
        {"bounds-capped", "zq*", 32, "at most its 32 most frequent words: "
                                      "'zq*' (of 40)", 1},
        {"bounds-capped-and-word", "teh zq*", 32, "'zq*' (of 40)", 1},
        /* zq39 is in every article: nothing is left */
        {"bounds-capped-excluded", "kopi -zq*", 32, "'zq*' (of 40)", 0},
        {"bounds-short", "z* kopi", 0, "'z*' was searched as a word", 1},
        {"bounds-nine-prefixes", "zq0* zq1* zq2* zq3* ko* te* ca* xa* zq*",
         5, "'zq*' was searched as a word", 1},
        {"bounds-exclusions", "kopi -a1 -a2 -a3 -a4 -a5 -a6 -a7 -a8 -a9 -a10 "
         "-a11 -a12 -a13 -a14 -a15 -a16 -a17 -a18 -a19 -a20 -a21 -a22 -a23 "
         "-a24 -a25 -a26 -a27 -a28 -a29 -a30 -a31 -a32 -a33 -zq39", 0,
         "only the first 32 exclusions were applied (2 more ignored)", 1},
    };
    for (size_t i = 0; i < sizeof bq / sizeof *bq; i++) {
      char got[2][4096] = {"", ""};
      for (int ex = 0; ex < 2; ex++) { /* pruned, then exhaustive */
        cari_search_opts o = {.limit = 50, .flags = ex ? CARI_SEARCH_EXHAUSTIVE : 0,
                              .max_ms = -1};
        c = NULL;
        rc = cari_search(db, bq[i].q, -1, &o, &c);
        CHECK(bq[i].id, rc == CARI_OK, "rc %d: %s", rc, cari_errmsg(db));
        if (rc) break;
        const char *note = cari_cursor_note(c), *e = cari_cursor_expr(c);
        CHECK(bq[i].id, bq[i].note ? note && strstr(note, bq[i].note) : !note,
              "note \"%s\", want \"%s\"", note ? note : "(null)",
              bq[i].note ? bq[i].note : "(null)");
        int nzq = 0;
        for (const char *p = e; (p = strstr(p, "\"zq")); p++) nzq++;
        CHECK(bq[i].id, nzq == bq[i].nzq, "%d zq terms in %s", nzq, e);
        if (bq[i].nzq == 32)
          CHECK(bq[i].id, strstr(e, "\"zq39\"") && strstr(e, "\"zq08\"") &&
                !strstr(e, "\"zq07\""), "not the most frequent: %s", e);
        size_t n = 0;
        got[ex][0] = 0;
        while ((rc = cari_next(c)) == CARI_ROW)
          n += (size_t)snprintf(got[ex] + n, sizeof got[ex] - n, "%s:%.17g ",
                                cari_result_id(c), cari_result_score(c));
        CHECK_INT(bq[i].id, rc, CARI_DONE);
        long long total = -1;
        CHECK(bq[i].id, cari_cursor_total(c, &total) == CARI_OK && total >= 0,
              "total: %s", cari_errmsg(db));
        cari_cursor_free(c);
      }
      CHECK(bq[i].id, strcmp(got[0], got[1]) == 0 && !got[0][0] == !bq[i].some,
            "pruned %s\nexhaustive %s", got[0], got[1]);
    }
    CHECK_INT("bounds-close", cari_close(db), CARI_OK);
    CHECK("bounds-remove", test_remove_db(p6), "%s", strerror(errno));
  }
  /* Not a cari database, and not a database at all. */
  {
    char p3[300];
    snprintf(p3, sizeof p3, "%s/other.db", dir);
    sqlite3 *s;
    sqlite3_open(p3, &s);
    CHECK_INT("create-foreign", sqlite3_exec(s, "CREATE TABLE x(y)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(s);
    rc = cari_open(p3, NULL, 0, &db);
    CHECK_INT("other-db", rc, CARI_MISMATCH);
    cari_close(db);
    unlink(p3);
    FILE *f = fopen(p3, "w");
    fputs("this is not a database file, it is text and more text............"
          "................................................................",
          f);
    fclose(f);
    rc = cari_open(p3, NULL, 0, &db);
    CHECK("garbage-db", rc == CARI_CORRUPT, "rc %d: %s", rc, cari_errmsg(db));
    cari_close(db);
    unlink(p3);
  }
  /* Wrapping an embedder's connection: it stays open after cari_close. */
  {
    sqlite3 *s;
    sqlite3_open(":memory:", &s);
    rc = cari_open_sqlite(s, "snowball", &db);
    CHECK_INT("wrap", rc, CARI_OK);
    CHECK_INT("put-line367", cari_put(db, &docs[3]), CARI_OK);
    cari_close(db);
    sqlite3_stmt *st;
    /* The embedder's own SQL on articles keeps the index in sync. */
    sqlite3_exec(s, "UPDATE articles SET body='burung' WHERE id='komunitas'",
                 NULL, NULL, NULL);
    rc = sqlite3_prepare_v2(s,
                            "SELECT count(*) FROM articles_fts WHERE "
                            "articles_fts MATCH 'burung'",
                            -1, &st, NULL);
    CHECK_INT("wrap-still-open", rc, SQLITE_OK);
    CHECK_INT("wrap-trigger-step", sqlite3_step(st), SQLITE_ROW);
    CHECK_INT("wrap-trigger-sync", sqlite3_column_int(st, 0), 1);
    sqlite3_finalize(st);
    rc = cari_open_sqlite(s, NULL, &db);
    CHECK_INT("wrap-reopen", rc, CARI_OK);
    CHECK_INT("wrap-check", cari_check(db), CARI_OK);
    CHECK_INT("wrap-close", cari_close(db), CARI_OK);
    CHECK_INT("wrap-close-conn", sqlite3_close(s), SQLITE_OK);
  }
  /* A search reads one snapshot until its cursor is freed: another
  ** connection removing an article between the hits and their rows does not
  ** make the index look damaged; writes on the searching handle wait. */
  {
    cari_db *w = NULL, *r = NULL;
    CHECK_INT("snap-open-w", cari_open(path, NULL, 0, &w), CARI_OK);
    CHECK_INT("snap-open-r", cari_open(path, NULL, 0, &r), CARI_OK);
    cari_article a = {"snap1", "Gamelan satu", "Gamelan dimainkan.", NULL,
                      NULL, NULL, 0, NULL, NULL};
    cari_article b = {"snap2", "Gamelan dua", "Gamelan ditabuh.", NULL, NULL,
                      NULL, 0, NULL, NULL};
    CHECK_INT("snap-put1", cari_put(w, &a), CARI_OK);
    CHECK_INT("snap-put2", cari_put(w, &b), CARI_OK);
    cari_cursor *c = NULL, *c2 = NULL;
    CHECK_INT("snap-search", cari_search(r, "gamelan", -1, NULL, &c), CARI_OK);
    CHECK_INT("snap-remove1", cari_remove(w, "snap1"), CARI_OK);
    CHECK_INT("snap-remove2", cari_remove(w, "snap2"), CARI_OK);
    CHECK_INT("snap-search2", cari_search(r, "gamelan", -1, NULL, &c2),
              CARI_OK);
    int n = 0, x;
    while ((x = cari_next(c)) == CARI_ROW)
      n += cari_result_id(c) && cari_result_title(c) ? 1 : 0;
    CHECK_INT("snap-rows-done", x, CARI_DONE);
    CHECK_INT("snap-rows", n, 2);
    long long tot = -1;
    CHECK_INT("snap-total-rc", cari_cursor_total(c, &tot), CARI_OK);
    CHECK_INT("snap-total", tot, 2);
    CHECK_INT("snap-put-refused", cari_put(r, &a), CARI_INVALID);
    CHECK("snap-put-msg", strstr(cari_errmsg(r), "cursor") != NULL, "%s",
          cari_errmsg(r));
    CHECK_INT("snap-begin-refused", cari_begin(r), CARI_INVALID);
    cari_cursor_free(c);
    /* The second cursor shares the first one's snapshot. */
    n = 0;
    while ((x = cari_next(c2)) == CARI_ROW) n++;
    CHECK_INT("snap2-rows", n, 2);
    CHECK_INT("snap-remove-still-refused", cari_remove(r, "kopi"),
              CARI_INVALID);
    cari_cursor_free(c2);
    /* All freed: the snapshot is gone, writes go on, the removal shows. */
    CHECK_INT("snap-search-after", cari_search(r, "gamelan", -1, NULL, &c),
              CARI_OK);
    CHECK_INT("snap-after-empty", cari_next(c), CARI_DONE);
    cari_cursor_free(c);
    CHECK_INT("snap-put-after", cari_put(r, &a), CARI_OK);
    CHECK_INT("snap-remove-after", cari_remove(r, "snap1"), CARI_OK);
    /* Inside a batch a search reads the batch and writes go on. */
    CHECK_INT("snap-batch", cari_begin(r), CARI_OK);
    CHECK_INT("snap-batch-put", cari_put(r, &b), CARI_OK);
    CHECK_INT("snap-batch-search", cari_search(r, "ditabuh", -1, NULL, &c),
              CARI_OK);
    CHECK_INT("snap-batch-row", cari_next(c), CARI_ROW);
    CHECK_INT("snap-batch-remove", cari_remove(r, "snap2"), CARI_OK);
    cari_cursor_free(c);
    CHECK_INT("snap-batch-commit", cari_commit(r), CARI_OK);
    /* A failed search leaves no snapshot behind. */
    CHECK_INT("snap-failed-search", cari_search(r, "  ", -1, NULL, &c),
              CARI_QUERY);
    CHECK_INT("snap-put-after-failed", cari_put(r, &a), CARI_OK);
    CHECK_INT("snap-cleanup", cari_remove(r, "snap1"), CARI_OK);
    check_db(r, "snap-check");
    CHECK_INT("snap-close-r", cari_close(r), CARI_OK);
    CHECK_INT("snap-close-w", cari_close(w), CARI_OK);
  }
  /* A NULL cursor, and a cursor before its first row and after its last,
  ** have no fields. */
  {
    CHECK("null-cursor-id", cari_result_id(NULL) == NULL, "not NULL");
    CHECK("null-cursor-snippet", cari_result_snippet(NULL) == NULL,
          "not NULL");
    CHECK("null-cursor-score", cari_result_score(NULL) == 0.0, "not 0");
    CHECK_INT("null-cursor-next", cari_next(NULL), CARI_INVALID);
    long long tot = 7;
    CHECK_INT("null-cursor-total", cari_cursor_total(NULL, &tot), CARI_INVALID);
    CHECK_INT("null-cursor-total-n", tot, -1);
    CHECK("null-cursor-note", cari_cursor_note(NULL) == NULL, "not NULL");
    cari_cursor *c = NULL;
    cari_db *fdb = NULL;
    CHECK_INT("fields-open", cari_open(path, NULL, 0, &fdb), CARI_OK);
    int frc = cari_search(fdb, "warga", -1, NULL, &c);
    CHECK("fields-search", frc == CARI_OK, "rc %d: %s", frc, cari_errmsg(fdb));
    CHECK("fields-before", cari_result_id(c) == NULL &&
                               cari_result_title(c) == NULL &&
                               cari_result_score(c) == 0.0,
          "fields before the first row");
    int x;
    while ((x = cari_next(c)) == CARI_ROW) {}
    CHECK_INT("fields-done", x, CARI_DONE);
    CHECK("fields-after", cari_result_id(c) == NULL &&
                              cari_result_snippet(c) == NULL,
          "fields after the last row");
    cari_cursor_free(c);
    CHECK_INT("fields-close", cari_close(fdb), CARI_OK);
  }
  /* CARI_OPEN_ONE_THREAD: the optimize without its helper thread builds
  ** the same postings: the same ids and scores to the bit. */
  {
    char p1[300], p2[300];
    snprintf(p1, sizeof p1, "%s/one.db", dir);
    snprintf(p2, sizeof p2, "%s/two.db", dir);
    cari_db *d1 = NULL, *d2 = NULL;
    CHECK_INT("one-thread-open", cari_open(p1, NULL, CARI_OPEN_ONE_THREAD, &d1),
              CARI_OK);
    CHECK_INT("two-threads-open", cari_open(p2, NULL, 0, &d2), CARI_OK);
    static const char *const w[] = {"warga", "berkumpul", "kopi", "balai",
                                    "desa", "banjir", "relawan", "pasar"};
    int bad = 0;
    for (int i = 0; i < 1200; i++) {
      char id[16], body[400];
      size_t k = 0;
      for (int j = 0; j < 30; j++)
        k += (size_t)snprintf(body + k, sizeof body - k, "%s ",
                              w[(i * 7 + j * (i % 5 + 1)) % 8]);
      snprintf(id, sizeof id, "t%d", i);
      cari_article a = {id, w[i % 8], body, NULL, NULL, NULL, 0, NULL, NULL};
      bad += cari_put(d1, &a) != CARI_OK;
      bad += cari_put(d2, &a) != CARI_OK;
    }
    CHECK_INT("one-thread-puts", bad, 0);
    CHECK_INT("one-thread-optimize", cari_optimize(d1), CARI_OK);
    CHECK_INT("two-threads-optimize", cari_optimize(d2), CARI_OK);
    static const char *const qs[] = {"warga", "kopi balai", "pasar -desa",
                                     "ba*", "\"balai desa\""};
    for (size_t i = 0; i < sizeof qs / sizeof *qs; i++) {
      char a[2000] = "", b[2000] = "";
      for (int pass = 0; pass < 2; pass++) {
        cari_db *d = pass ? d2 : d1;
        char *out = pass ? b : a;
        cari_cursor *c = NULL;
        cari_search_opts o = {.limit = 20, .flags = CARI_SEARCH_NO_SNIPPET};
        int src = cari_search(d, qs[i], -1, &o, &c);
        CHECK(qs[i], src == CARI_OK, "rc %d: %s", src, cari_errmsg(d));
        size_t n = 0;
        while (src == CARI_OK && cari_next(c) == CARI_ROW && n < 1900)
          n += (size_t)snprintf(out + n, 2000 - n, "%s:%a ",
                                cari_result_id(c), cari_result_score(c));
        cari_cursor_free(c);
      }
      CHECK(qs[i], a[0] != 0, "no results");
      CHECK_STR(qs[i], a, b);
    }
    CHECK_INT("one-thread-check", cari_check(d1), CARI_OK);
    CHECK_INT("one-thread-close", cari_close(d1), CARI_OK);
    CHECK_INT("two-threads-close", cari_close(d2), CARI_OK);
    CHECK("one-thread-remove", test_remove_db(p1) && test_remove_db(p2), "%s",
          strerror(errno));
  }
  /* The analyzer on its own. */
  {
    cari_analyzer *an;
    CHECK_INT("analyzer", cari_analyzer_new("snowball", &an), CARI_OK);
    cari_analyzer_free(an);
    CHECK_INT("analyzer-unknown", cari_analyzer_new("x", &an), CARI_INVALID);
    CHECK("analyzer-unknown-null", an == NULL, "not NULL");
    cari_analyzer_new(NULL, &an);
    cari_analyzer_free(an);
    CHECK_STR("errstr", cari_errstr(CARI_NOTFOUND), "not found");
    CHECK("errstr-unknown", cari_errstr(999)[0] != 0, "empty");
  }
  CHECK("remove the database", test_remove_db(path), "%s", strerror(errno));
  rmdir(dir);
  return test_report("library");
}
