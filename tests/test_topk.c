/*
** test_topk.c — the pruned top-k search (query/topk.c) against cari's own
** exhaustive ranking (FTS5 ORDER BY rank) on thousands of random queries:
** same articles, same order, bit-identical scores; and that the pruned path
** really answers the queries it should. Run on a generated collection with
** Zipfian word frequencies (vocabulary from corpus/articles), through the
** states a blog goes through: after a build, after articles were added,
** replaced and removed, and after the next build.
** Then the check (cari_check) against damaged postings.
*/
#include "cari.h"
#include "indexer.h"
#include "query.h"
#include "test.h"

#include <dirent.h>
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static uint64_t rng = 88172645463325252ULL;
static uint64_t next_rand(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}
static double unif(void) { return (double)(next_rand() >> 11) / 9007199254740992.0; }

/* Vocabulary: the words of the sample articles, most frequent first. */
static char **vocab;
static int nvocab;

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void load_vocab(void) {
  DIR *d = opendir("corpus/articles");
  if (!d) return;
  struct dirent *e;
  char **all = NULL;
  size_t n = 0, cap = 0;
  while ((e = readdir(d))) {
    if (!strstr(e->d_name, ".md")) continue;
    char path[512];
    snprintf(path, sizeof path, "corpus/articles/%s", e->d_name);
    FILE *f = fopen(path, "r");
    if (!f) continue;
    char w[64];
    int k = 0, c;
    while ((c = fgetc(f)) != EOF) {
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        if (k < 60) w[k++] = (char)(c | 0x20);
      } else if (k) {
        w[k] = 0;
        if (k >= 3) {
          if (n == cap) all = realloc(all, (cap = cap ? cap * 2 : 4096) * sizeof *all);
          all[n++] = strdup(w);
        }
        k = 0;
      }
    }
    fclose(f);
  }
  closedir(d);
  qsort(all, n, sizeof *all, cmp_str);
  /* Distinct words; their order (shuffled below) sets their Zipf rank. */
  vocab = malloc(n * sizeof *vocab);
  for (size_t i = 0; i < n; i++) {
    if (nvocab && strcmp(all[i], vocab[nvocab - 1]) == 0) {
      free(all[i]);
      continue;
    }
    vocab[nvocab++] = all[i];
  }
  free(all);
  for (int i = nvocab - 1; i > 0; i--) {
    int j = (int)(next_rand() % (uint64_t)(i + 1));
    char *x = vocab[i];
    vocab[i] = vocab[j];
    vocab[j] = x;
  }
}

/* A word of Zipf rank ~ 1/r^1.1 over the vocabulary. */
static const char *zipf_word(void) {
  static double *cdf;
  if (!cdf) {
    cdf = malloc((size_t)nvocab * sizeof *cdf);
    double s = 0;
    for (int i = 0; i < nvocab; i++) cdf[i] = (s += 1.0 / pow(i + 1, 1.1));
    for (int i = 0; i < nvocab; i++) cdf[i] /= s;
  }
  double u = unif();
  int lo = 0, hi = nvocab - 1;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    if (cdf[mid] < u) lo = mid + 1;
    else hi = mid;
  }
  return vocab[lo];
}

static char *make_text(int words) {
  size_t cap = (size_t)words * 16 + 16, n = 0;
  char *s = malloc(cap);
  for (int i = 0; i < words; i++) {
    const char *w = zipf_word();
    n += (size_t)snprintf(s + n, cap - n, "%s%s", i ? (i % 17 ? " " : ". ") : "", w);
  }
  return s;
}

static int put_random(cari_db *db, int i) {
  char id[32];
  snprintf(id, sizeof id, "a%d", i);
  char *title = make_text(2 + (int)(next_rand() % 8));
  char *body = make_text(20 + (int)(next_rand() % 400));
  cari_article a = {0};
  a.id = id;
  a.title = title;
  a.body = body;
  int rc = cari_put(db, &a);
  free(title);
  free(body);
  return rc;
}

/* A random query: 1-4 words from across the frequency range, sometimes an
** exclusion, a repeated word, a question, a phrase or a prefix. */
static void random_query(char *q, size_t cap, int *plain) {
  int n = 1 + (int)(next_rand() % 4), k = 0;
  *plain = 1;
  q[0] = 0;
  for (int i = 0; i < n; i++) {
    const char *w = next_rand() % 3 ? zipf_word() : vocab[next_rand() % (uint64_t)nvocab];
    k += snprintf(q + k, cap - (size_t)k, "%s%s", i ? " " : "", w);
  }
  uint64_t r = next_rand() % 20;
  if (r == 0) k += snprintf(q + k, cap - (size_t)k, " -%s", zipf_word());
  else if (r == 1) k += snprintf(q + k, cap - (size_t)k, " apa?");
  else if (r == 2) {
    k += snprintf(q + k, cap - (size_t)k, " \"%s %s\"", zipf_word(), zipf_word());
    *plain = 0;
  } else if (r == 3) {
    k += snprintf(q + k, cap - (size_t)k, " %.3s*", zipf_word());
    *plain = 0;
  }
}

typedef struct {
  sqlite3 *conn;
  cari_db *db;
  idx_analyzer *an;
  qry_topk *topk;
  idx_tokenizer *tok;
} fixture;

static int npruned, ncompared, nresults, nexpanded, ncapped;

/* Compare the pruned and the exhaustive answers to q. */
static void compare(fixture *F, const char *stage, const char *q, int plain,
                    int limit, int offset) {
  qry_ranking r;
  qry_ranking_default(&r);
  char *expr = NULL, *weights = NULL, err[512];
  int question = 0;
  int rc = qry_translate(F->tok, q, (int)strlen(q), &r, &expr, &weights,
                         &question, NULL, 0, err, sizeof err);
  if (rc == CARI_QUERY) return;
  char id[600];
  snprintf(id, sizeof id, "%s: '%s' limit %d offset %d", stage, q, limit, offset);
  CHECK(id, rc == CARI_OK, "translate: %s", err);
  if (rc) return;
  qry_opts o;
  memset(&o, 0, sizeof o);
  o.limit = limit;
  o.offset = offset;
  o.rank = &r;
  o.weights = weights;
  o.question = question;
  qry_result a, b;
  int ra = qry_topk_search(F->topk, expr, &o, 0, &a, err, sizeof err);
  CHECK(id, ra == CARI_OK, "pruned: %s", err);
  int rb = qry_topk_search(F->topk, expr, &o, 1, &b, err, sizeof err);
  CHECK(id, rb == CARI_OK, "exhaustive: %s", err);
  if (ra == CARI_OK && rb == CARI_OK) {
    ncompared++;
    npruned += a.pruned;
    nresults += a.nhit;
    nexpanded += a.expr != NULL;
    ncapped += a.note != NULL;
    /* A capped prefix is cut the same way on both paths. */
    CHECK(id, (!a.note && !b.note) || (a.note && b.note && !strcmp(a.note, b.note)),
          "notes differ: %s | %s", a.note ? a.note : "-", b.note ? b.note : "-");
    int same = a.nhit == b.nhit;
    for (int i = 0; same && i < a.nhit; i++)
      same = a.hit[i].doc == b.hit[i].doc && a.hit[i].score == b.hit[i].score;
    if (same) test_passed++;
    else {
      T_FAIL(id, "pruned %d hits vs exhaustive %d (expr %s)", a.nhit, b.nhit, expr);
      for (int i = 0; i < a.nhit || i < b.nhit; i++)
        fprintf(stderr, "  %2d  %6lld %.17g   %6lld %.17g\n", i,
                i < a.nhit ? a.hit[i].doc : -1, i < a.nhit ? a.hit[i].score : 0,
                i < b.nhit ? b.hit[i].doc : -1, i < b.nhit ? b.hit[i].score : 0);
    }
    /* Plain word queries (no phrase, prefix) are what the postings answer. */
    if (plain && !strcmp(stage, "after build"))
      CHECK(id, a.pruned == 1, "a plain query was not pruned (expr %s)", expr);
    qry_result_free(&a);
    qry_result_free(&b);
  }
  free(expr);
  free(weights);
}

static void run_queries(fixture *F, const char *stage, int n) {
  char q[512];
  for (int i = 0; i < n; i++) {
    int plain;
    random_query(q, sizeof q, &plain);
    int limit = next_rand() % 5 ? 10 : 1 + (int)(next_rand() % 50);
    int offset = next_rand() % 6 ? 0 : (int)(next_rand() % 30);
    compare(F, stage, q, plain, limit, offset);
  }
}

static void integrity(fixture *F, const char *stage) {
  CHECK(stage, cari_check(F->db) == CARI_OK, "check: %s", cari_errmsg(F->db));
}

int main(void) {
  char dir[] = "/tmp/cari-topk-XXXXXX", path[300], err[300];
  if (!mkdtemp(dir)) return 1;
  snprintf(path, sizeof path, "%s/t.db", dir);
  load_vocab();
  CHECK("vocabulary", nvocab > 500, "only %d words in corpus/articles", nvocab);
  if (nvocab <= 500) return test_report("test_topk");

  fixture F;
  memset(&F, 0, sizeof F);
  CHECK("open", sqlite3_open(path, &F.conn) == SQLITE_OK, "sqlite3_open");
  CHECK("cari_open_sqlite", cari_open_sqlite(F.conn, NULL, &F.db) == CARI_OK,
        "%s", cari_errmsg(F.db));
  sid_lexicon *lx = idx_lexicon_load(err, sizeof err);
  CHECK("lexicon", lx != NULL, "%s", err);
  F.an = idx_analyzer_new("cari", lx, err, sizeof err);
  F.topk = qry_topk_new(F.conn, F.an);
  F.tok = idx_tokenizer_new();

  /* No postings yet: every answer is exhaustive, and the same. */
  int N = 3000;
  CHECK_INT("begin", cari_begin(F.db), CARI_OK);
  int nbad = 0;
  for (int i = 0; i < N; i++) nbad += put_random(F.db, i) != CARI_OK;
  CHECK_INT("puts", nbad, 0);
  CHECK_INT("commit", cari_commit(F.db), CARI_OK);
  run_queries(&F, "before build", 200);
  CHECK_INT("no postings before the build", npruned, 0);

  CHECK("optimize", cari_optimize(F.db) == CARI_OK, "%s", cari_errmsg(F.db));
  integrity(&F, "after build");
  /* The lengths the postings keep are FTS5's column sizes. */
  npruned = ncompared = 0;
  run_queries(&F, "after build", 2000);
  CHECK("most queries pruned", npruned * 10 >= ncompared * 7,
        "%d of %d pruned", npruned, ncompared);
  printf("after build: %d queries, %d pruned, %.1f results each, %d with "
         "prefix aliases\n", ncompared, npruned,
         ncompared ? (double)nresults / ncompared : 0.0, nexpanded);
  CHECK("prefix aliases were compared", nexpanded > 10, "%d", nexpanded);
  /* Two-letter prefixes begin more than QRY_PREFIX_MAX_TERMS terms here:
  ** cut to the most frequent ones, identically on both paths. */
  static const char *const begins[] = {"pe", "me", "ke", "be", "se", "di",
                                        "te", "ba", "ma", "sa", "ka", "pa"};
  npruned = ncompared = ncapped = 0;
  for (int i = 0; i < 300; i++) {
    char q[128];
    int k = snprintf(q, sizeof q, "%s*", begins[i % 12]);
    if (i % 3) k += snprintf(q + k, sizeof q - (size_t)k, " %s", zipf_word());
    if (i % 5 == 0) snprintf(q + k, sizeof q - (size_t)k, " %.2s*", zipf_word());
    compare(&F, "capped prefixes", q, 0, i % 4 ? 10 : 30, i % 7 ? 0 : 5);
  }
  printf("capped prefixes: %d queries, %d pruned, %d capped\n", ncompared,
         npruned, ncapped);
  CHECK("capped prefixes were compared", ncapped > 100, "%d", ncapped);
  CHECK("capped prefixes were pruned", npruned > 100, "%d", npruned);
  /* A prefix of a word as written finds it through its stem. */
  static const struct {
    const char *q, *want; /* query, a term its expression must hold */
  } prefixes[] = {{"membua*", "\"buat\""}, {"dikump*", "\"kumpul\""}};
  for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
    cari_cursor *c = NULL;
    int rc = cari_search(F.db, prefixes[i].q, -1, NULL, &c);
    int n = 0;
    while (rc == CARI_OK && cari_next(c) == CARI_ROW) n++;
    CHECK(prefixes[i].q, rc == CARI_OK && n > 0, "rc %d, %d results", rc, n);
    CHECK(prefixes[i].q, c && strstr(cari_cursor_expr(c), prefixes[i].want),
          "expression %s", c ? cari_cursor_expr(c) : "-");
    cari_cursor_free(c);
  }

  /* A blog's life: new posts, edited posts, removed posts, foreign SQL. */
  /* Each put and remove is its own transaction first (the triggers of
  ** cari_stale then meet an article already marked), then a batch. */
  nbad = 0;
  for (int i = 0; i < 10; i++) {
    int d = (int)(next_rand() % (uint64_t)N);
    nbad += put_random(F.db, d) != CARI_OK;
    nbad += put_random(F.db, d) != CARI_OK;
  }
  CHECK("replace twice after the build", nbad == 0, "%d failed: %s", nbad,
        cari_errmsg(F.db));
  CHECK_INT("begin", cari_begin(F.db), CARI_OK);
  for (int i = N; i < N + 100; i++) nbad += put_random(F.db, i) != CARI_OK;
  for (int i = 0; i < 40; i++)
    nbad += put_random(F.db, (int)(next_rand() % (uint64_t)N)) != CARI_OK;
  char id[32];
  for (int i = 0; i < 40; i++) {
    snprintf(id, sizeof id, "a%d", (int)(next_rand() % (uint64_t)N));
    int rc = cari_remove(F.db, id); /* an id may come twice */
    nbad += rc != CARI_OK && rc != CARI_NOTFOUND;
  }
  CHECK("writes after the build", nbad == 0, "%d failed: %s", nbad,
        cari_errmsg(F.db));
  CHECK_INT("commit", cari_commit(F.db), CARI_OK);
  CHECK_INT("foreign SQL",
            sqlite3_exec(F.conn,
                         "UPDATE articles SET body = body || ' tambahan kata'"
                         " WHERE doc % 97 = 5;"
                         "DELETE FROM articles WHERE doc % 101 = 7;",
                         NULL, NULL, NULL),
            SQLITE_OK);
  integrity(&F, "after changes");
  npruned = ncompared = 0;
  run_queries(&F, "after changes", 1500);
  CHECK("still pruned after changes", npruned * 10 >= ncompared * 5,
        "%d of %d pruned", npruned, ncompared);
  printf("after changes: %d queries, %d pruned\n", ncompared, npruned);

  CHECK("optimize again", cari_optimize(F.db) == CARI_OK, "%s", cari_errmsg(F.db));
  npruned = ncompared = 0;
  run_queries(&F, "after rebuild", 1000);
  printf("after rebuild: %d queries, %d pruned\n", ncompared, npruned);

  /* The postings' stale list overflowing: exhaustive, still the same. */
  CHECK_INT("many stale",
            sqlite3_exec(F.conn,
                         "UPDATE articles SET body = body || ' x'"
                         " WHERE doc % 5 = 0",
                         NULL, NULL, NULL),
            SQLITE_OK);
  npruned = ncompared = 0;
  run_queries(&F, "many stale", 300);
  CHECK_INT("many stale: exhaustive", npruned, 0);

  /* The check compares the postings with FTS5 when they are current, and
  ** a damaged postings table is an error, never a crash or a wrong answer
  ** passed off as right. */
  CHECK("optimize for the check", cari_optimize(F.db) == CARI_OK, "%s",
        cari_errmsg(F.db));
  CHECK("check: current postings agree", cari_check(F.db) == CARI_OK, "%s",
        cari_errmsg(F.db));
  static const struct {
    const char *id, *sql, *want;
  } damage[] = {
      {"another term's list",
       "UPDATE cari_postings SET data = (SELECT data FROM cari_postings"
       " ORDER BY length(data) DESC LIMIT 1) WHERE id = (SELECT id FROM"
       " cari_postings ORDER BY length(data) LIMIT 1)",
       "article counts differ"},
      {"a length changed",
       "UPDATE cari_doclen SET data = zeroblob(length(data)) WHERE chunk = 0",
       "field lengths differ"},
      {"a truncated list",
       "UPDATE cari_postings SET data = substr(data, 1, length(data) / 2)"
       " WHERE length(data) > 40",
       "damaged"},
      {"a term missing",
       "DELETE FROM cari_postings WHERE id = (SELECT max(id) FROM cari_postings)",
       "terms differ"},
  };
  for (size_t i = 0; i < sizeof damage / sizeof *damage; i++) {
    CHECK(damage[i].id, cari_optimize(F.db) == CARI_OK, "%s", cari_errmsg(F.db));
    CHECK(damage[i].id,
          sqlite3_exec(F.conn, damage[i].sql, NULL, NULL, NULL) == SQLITE_OK,
          "%s", sqlite3_errmsg(F.conn));
    int rc = cari_check(F.db);
    CHECK(damage[i].id, rc == CARI_CORRUPT && strstr(cari_errmsg(F.db), damage[i].want),
          "check gave %d: %s", rc, cari_errmsg(F.db));
    /* Searches either answer or say the postings are damaged. */
    for (int j = 0; j < 50; j++) {
      cari_cursor *c;
      const char *w = zipf_word();
      rc = cari_search(F.db, w, -1, NULL, &c);
      if (rc == CARI_OK) {
        while ((rc = cari_next(c)) == CARI_ROW) {}
        cari_cursor_free(c);
        if (rc == CARI_DONE) rc = CARI_OK;
      }
      if (rc != CARI_OK && rc != CARI_QUERY) {
        CHECK(damage[i].id, rc == CARI_CORRUPT &&
              strstr(cari_errmsg(F.db), "damaged"), "search '%s': %d %s", w,
              rc, cari_errmsg(F.db));
        break;
      }
    }
  }
  CHECK("rebuilt after damage", cari_optimize(F.db) == CARI_OK && cari_check(F.db) == CARI_OK,
        "%s", cari_errmsg(F.db));

  qry_topk_free(F.topk);
  idx_analyzer_free(F.an);
  idx_tokenizer_free(F.tok);
  sid_lexicon_free(lx);
  cari_close(F.db);
  sqlite3_close(F.conn);
  unlink(path);
  char wal[320];
  snprintf(wal, sizeof wal, "%s-wal", path);
  unlink(wal);
  snprintf(wal, sizeof wal, "%s-shm", path);
  unlink(wal);
  rmdir(dir);
  for (int i = 0; i < nvocab; i++) free(vocab[i]);
  free(vocab);
  return test_report("test_topk");
}
