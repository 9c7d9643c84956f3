/*
** test_topk.c — the pruned top-k search (query/topk.c) against cari's own
** exhaustive ranking (FTS5 ORDER BY rank) on thousands of random queries:
** same articles, same order, bit-identical scores; and that the pruned path
** really answers the queries it should. Run on a generated collection with
** Zipfian word frequencies (vocabulary from corpus/articles), through the
** states a blog goes through: after a build, after articles were added,
** replaced and removed, and after the next build; then while another
** connection (with a 200 ms busy timeout) adds, replaces and removes
** articles in the middle of a build, at every phase of cari_optimize();
** two builds at once; a build that fails at its swap.
** Then the check (cari_check) against damaged postings.
*/
#include "cari.h"
#include "indexer.h"
#include "query.h"
#include "test.h"
#include "../lib/internal.h"

#include <dirent.h>
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
  /* Informal words, indexed beside their readings (colocated terms), and
  ** their formal forms: the pruned search must rank them as FTS5 does. */
  static const char *const informal[] = {
      "ngumpul", "kumpul", "berkumpul", "nulis", "tulis", "dapet", "dapat",
      "yg", "gak", "kalo", "sampe", "pake", "dengerin", "bangeeet", "nyari",
      "mikirin", "ngopi", "kopi", "udah", "gimana"};
  size_t ninf = sizeof informal / sizeof informal[0];
  char **v = realloc(vocab, ((size_t)nvocab + ninf) * sizeof *vocab);
  if (v) {
    vocab = v;
    for (size_t i = 0; i < ninf; i++) vocab[nvocab++] = strdup(informal[i]);
  }
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

/* w with one typing error after its first letter (deletion, insertion,
** substitution or a swap of two letters) into out, when it has 5 letters
** or more: typo.c then looks it up. */
static const char *misspell(const char *w, char *out, size_t cap) {
  size_t n = strlen(w);
  if (n < 5 || n + 2 > cap) return w;
  size_t at = 1 + (size_t)(next_rand() % (n - 2));
  char c = (char)('a' + next_rand() % 26);
  switch (next_rand() % 4) {
  case 0: snprintf(out, cap, "%.*s%s", (int)at, w, w + at + 1); break;
  case 1: snprintf(out, cap, "%.*s%c%s", (int)at, w, c, w + at); break;
  case 2: snprintf(out, cap, "%.*s%c%s", (int)at, w, c, w + at + 1); break;
  default:
    snprintf(out, cap, "%s", w);
    out[at] = w[at + 1];
    out[at + 1] = w[at];
  }
  return out;
}

/* A random query: 1-4 words from across the frequency range, sometimes a
** misspelt one, an exclusion, a repeated word, a question, a phrase or a
** prefix. */
static void random_query(char *q, size_t cap, int *plain) {
  int n = 1 + (int)(next_rand() % 4), k = 0;
  int typo = next_rand() % 3 == 0 ? (int)(next_rand() % (uint64_t)n) : -1;
  *plain = 1;
  q[0] = 0;
  for (int i = 0; i < n; i++) {
    const char *w = next_rand() % 3 ? zipf_word() : vocab[next_rand() % (uint64_t)nvocab];
    char bad[80];
    if (i == typo) w = misspell(w, bad, sizeof bad);
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
  const qry_syn_source *syn; /* NULL, or synonyms to expand queries with */
} fixture;

static int npruned, ncompared, nresults, nexpanded, ncapped, nsynonyms, ntypo;

/* Compare the pruned and the exhaustive answers to q. */
static void compare(fixture *F, const char *stage, const char *q, int plain,
                    int limit, int offset) {
  qry_ranking r;
  qry_ranking_default(&r);
  char err[512];
  qry_plan *pl = NULL;
  int rc = qry_translate(F->tok, q, (int)strlen(q), &r, &pl, NULL, 0, err,
                         sizeof err);
  if (rc == CARI_QUERY) return;
  char id[600];
  snprintf(id, sizeof id, "%s: '%s' limit %d offset %d", stage, q, limit, offset);
  CHECK(id, rc == CARI_OK, "translate: %s", err);
  if (rc) return;
  /* Misspelt words gain their corrections, as cari_search adds them. */
  qry_typo T;
  qry_typo_opts to = {r.w_typo, r.typo_swap, r.function_words, NULL};
  rc = qry_typo_expand(F->conn, F->an, F->tok, pl, &to, &T, err, sizeof err);
  CHECK(id, rc == CARI_OK, "typos: %s", err);
  if (T.plan) {
    qry_plan_free(pl);
    pl = T.plan;
    T.plan = NULL;
    ntypo++;
  }
  qry_typo_clear(&T);
  qry_plan *x = NULL;
  if (F->syn) {
    rc = qry_expand_synonyms(F->syn, F->tok, F->an, pl, &x, err, sizeof err);
    CHECK(id, rc == CARI_OK, "synonyms: %s", err);
    for (int i = 0; x && i < x->n; i++) nsynonyms += x->p[i].kind == QRY_SYNONYM;
    if (x) {
      qry_plan_free(pl);
      pl = x;
    }
  }
  qry_opts o;
  memset(&o, 0, sizeof o);
  o.limit = limit;
  o.offset = offset;
  o.rank = &r;
  qry_result a, b;
  int ra = qry_topk_search(F->topk, pl, &o, 0, &a, err, sizeof err);
  CHECK(id, ra == CARI_OK, "pruned: %s", err);
  int rb = qry_topk_search(F->topk, pl, &o, 1, &b, err, sizeof err);
  CHECK(id, rb == CARI_OK, "exhaustive: %s", err);
  if (ra == CARI_OK && rb == CARI_OK) {
    ncompared++;
    npruned += a.pruned;
    nresults += a.nhit;
    nexpanded += a.expanded;
    ncapped += a.note != NULL;
    /* A capped prefix is cut the same way on both paths, and both search
    ** the same expression. */
    CHECK(id, a.expr && b.expr && !strcmp(a.expr, b.expr),
          "expressions differ: %s | %s", a.expr ? a.expr : "-",
          b.expr ? b.expr : "-");
    CHECK(id, (!a.note && !b.note) || (a.note && b.note && !strcmp(a.note, b.note)),
          "notes differ: %s | %s", a.note ? a.note : "-", b.note ? b.note : "-");
    int same = a.nhit == b.nhit;
    for (int i = 0; same && i < a.nhit; i++)
      same = a.hit[i].doc == b.hit[i].doc && a.hit[i].score == b.hit[i].score;
    if (same) test_passed++;
    else {
      T_FAIL(id, "pruned %d hits vs exhaustive %d (expr %s)", a.nhit, b.nhit,
             a.expr);
      for (int i = 0; i < a.nhit || i < b.nhit; i++)
        fprintf(stderr, "  %2d  %6lld %.17g   %6lld %.17g\n", i,
                i < a.nhit ? a.hit[i].doc : -1, i < a.nhit ? a.hit[i].score : 0,
                i < b.nhit ? b.hit[i].doc : -1, i < b.nhit ? b.hit[i].score : 0);
    }
    /* Plain word queries (no phrase, prefix) are what the postings answer. */
    if (plain && !strcmp(stage, "after build") && !F->syn)
      CHECK(id, a.pruned == 1, "a plain query was not pruned (expr %s)",
            a.expr);
  }
  if (ra == CARI_OK) qry_result_free(&a);
  if (rb == CARI_OK) qry_result_free(&b);
  qry_plan_free(pl);
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

/* ------------------------------------------------------------------ */
/* writers during the build                                            */
/* ------------------------------------------------------------------ */

/* What the hook does: at each phase of cari_optimize() on F, writes
** through another connection `w` (busy timeout 200 ms), which waits for
** F's write lock at most that long. */
typedef struct {
  cari_db *w;
  sqlite3 *wconn;
  int n;          /* articles a0..a(n-1) exist (some removed since) */
  int next_new;   /* ids of articles added here */
  int nmark;      /* marker words written: hookmarkK, K < nmark */
  int calls[IDX_PHASE_SWAP + 1], nbad;
  char err[400];
  int mode;       /* 0 writes; 1 also a whole optimize on w at READ; 2 a
                  ** new generation at SWAP (as another build starting) */
  int w_optimize; /* mode 1: what w's optimize returned */
} hookctx;

static const char *const phase_name[] = {"", "merge", "read", "write", "swap"};

/* Put article `id` with random text and a marker word of its own. */
static int put_marked(hookctx *h, const char *id) {
  char *title = make_text(2 + (int)(next_rand() % 6));
  char *text = make_text(20 + (int)(next_rand() % 200));
  size_t n = strlen(text) + 40;
  char *body = malloc(n);
  snprintf(body, n, "%s hookmark%d", text, h->nmark++);
  cari_article a = {0};
  a.id = id;
  a.title = title;
  a.body = body;
  int rc = cari_put(h->w, &a);
  free(title);
  free(text);
  free(body);
  return rc;
}

static void hook_bad(hookctx *h, int phase, const char *what, int rc) {
  h->nbad++;
  snprintf(h->err, sizeof h->err, "%s: %s: rc %d: %s", phase_name[phase],
           what, rc, rc == SQLITE_BUSY ? "" : cari_errmsg(h->w));
}

static void hook_fn(void *ctx, int phase) {
  hookctx *h = ctx;
  char id[32], sql[200];
  int rc;
  h->calls[phase]++;
  if (h->calls[phase] > 3) return; /* a few writes per phase are enough */
  /* An article of the build replaced twice (the second change meets the
  ** mark of the first), one added, one removed, one changed by SQL. */
  snprintf(id, sizeof id, "a%d", (int)(next_rand() % (uint64_t)h->n));
  if ((rc = put_marked(h, id)) != CARI_OK) hook_bad(h, phase, "replace", rc);
  if ((rc = put_marked(h, id)) != CARI_OK) hook_bad(h, phase, "replace again", rc);
  snprintf(id, sizeof id, "h%d", h->next_new++);
  if ((rc = put_marked(h, id)) != CARI_OK) hook_bad(h, phase, "add", rc);
  snprintf(id, sizeof id, "a%d", (int)(next_rand() % (uint64_t)h->n));
  rc = cari_remove(h->w, id);
  if (rc != CARI_OK && rc != CARI_NOTFOUND) hook_bad(h, phase, "remove", rc);
  snprintf(sql, sizeof sql,
           "UPDATE articles SET body = body || ' hookmark%d' WHERE doc ="
           " (SELECT doc FROM articles ORDER BY doc LIMIT 1 OFFSET %d)",
           h->nmark++, (int)(next_rand() % 1000));
  if ((rc = sqlite3_exec(h->wconn, sql, NULL, NULL, NULL)) != SQLITE_OK)
    hook_bad(h, phase, sqlite3_errmsg(h->wconn), rc);
  if (h->mode == 1 && phase == IDX_PHASE_READ && h->calls[phase] == 1)
    h->w_optimize = cari_optimize(h->w);
  if (h->mode == 2 && phase == IDX_PHASE_SWAP &&
      (rc = sqlite3_exec(h->wconn,
                         "UPDATE cari_meta SET value = value + 1"
                         " WHERE key = 'topk_gen'",
                         NULL, NULL, NULL)) != SQLITE_OK)
    hook_bad(h, phase, sqlite3_errmsg(h->wconn), rc);
}

/* Every marker word finds exactly the articles whose text holds it now,
** in the pruned search as in the exhaustive one. */
static void check_markers(fixture *F, hookctx *h, const char *stage) {
  int nfound = 0;
  for (int k = 0; k < h->nmark; k++) {
    char q[40], id[80], sql[200];
    snprintf(q, sizeof q, "hookmark%d", k);
    snprintf(id, sizeof id, "%s: %s", stage, q);
    compare(F, stage, q, 0, 10, 0);
    sqlite3_stmt *st;
    snprintf(sql, sizeof sql,
             "SELECT group_concat(id) FROM (SELECT id FROM articles WHERE"
             " body LIKE '%% %s' ORDER BY id)", q);
    CHECK_INT(id, sqlite3_prepare_v2(F->conn, sql, -1, &st, NULL), SQLITE_OK);
    CHECK_INT(id, sqlite3_step(st), SQLITE_ROW);
    const char *t = (const char *)sqlite3_column_text(st, 0);
    char want[200];
    snprintf(want, sizeof want, "%s", t ? t : "");
    sqlite3_finalize(st);
    /* The search's ids, sorted the same way. */
    char *ids[10];
    int n = 0;
    cari_cursor *c = NULL;
    int rc = cari_search(F->db, q, -1, NULL, &c);
    CHECK(id, rc == CARI_OK, "search: %s", cari_errmsg(F->db));
    while (rc == CARI_OK && n < 10 && (rc = cari_next(c)) == CARI_ROW)
      ids[n++] = strdup(cari_result_id(c));
    CHECK(id, rc == CARI_DONE || rc == CARI_ROW, "next: %d %s", rc,
          cari_errmsg(F->db));
    cari_cursor_free(c);
    qsort(ids, (size_t)n, sizeof *ids, cmp_str);
    char got[200] = "";
    size_t m = 0;
    for (int i = 0; i < n; i++) {
      m += (size_t)snprintf(got + m, m < sizeof got ? sizeof got - m : 0,
                            "%s%s", i ? "," : "", ids[i]);
      free(ids[i]);
    }
    CHECK_STR(id, got, want);
    nfound += n;
  }
  CHECK(stage, nfound > 0, "no marker found in %d", h->nmark);
}

static long long meta_int(sqlite3 *db, const char *key) {
  sqlite3_stmt *st;
  long long v = -1;
  if (sqlite3_prepare_v2(db, "SELECT CAST(value AS INTEGER) FROM cari_meta"
                         " WHERE key = ?", -1, &st, NULL) != SQLITE_OK)
    return -2;
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return v;
}

/* A database whose top-k bookkeeping an older version wrote (cari_stale
** without generations, triggers without them, no topk_watch) is brought up
** to date when a handle opens it; replacing an article twice, searching,
** the check and the next build then work. */
static void stage_old_layout(fixture *F, int n) {
  static const char old_sql[] =
      "DROP TRIGGER cari_topk_ai; DROP TRIGGER cari_topk_ad;"
      "DROP TRIGGER cari_topk_au; DROP TABLE cari_stale;"
      "DELETE FROM cari_meta WHERE key IN ('topk_gen', 'topk_watch');"
      "CREATE TABLE cari_stale(doc INTEGER PRIMARY KEY);"
      "CREATE TRIGGER cari_topk_ai AFTER INSERT ON articles WHEN new.doc <="
      " (SELECT CAST(value AS INTEGER) FROM cari_meta WHERE"
      " key='topk_max_doc') BEGIN INSERT INTO cari_stale VALUES (new.doc)"
      " ON CONFLICT DO NOTHING; END;"
      "CREATE TRIGGER cari_topk_ad AFTER DELETE ON articles WHEN old.doc <="
      " (SELECT CAST(value AS INTEGER) FROM cari_meta WHERE"
      " key='topk_max_doc') BEGIN INSERT INTO cari_stale VALUES (old.doc)"
      " ON CONFLICT DO NOTHING; END;"
      "CREATE TRIGGER cari_topk_au AFTER UPDATE OF doc, title, body ON"
      " articles BEGIN INSERT OR IGNORE INTO cari_stale VALUES (old.doc);"
      " INSERT OR IGNORE INTO cari_stale VALUES (new.doc); END;";
  CHECK("old layout written",
        sqlite3_exec(F->conn, old_sql, NULL, NULL, NULL) == SQLITE_OK, "%s",
        sqlite3_errmsg(F->conn));
  /* A mark the old triggers made, kept through the upgrade. */
#define OLD_DOC "(SELECT doc FROM articles ORDER BY doc LIMIT 1 OFFSET 10)"
  CHECK_INT("old mark", sqlite3_exec(F->conn, "UPDATE articles SET body ="
                                     " body || ' lama' WHERE doc = " OLD_DOC,
                                     NULL, NULL, NULL), SQLITE_OK);
  cari_db *db = NULL;
  CHECK("old layout: open", cari_open_sqlite(F->conn, NULL, &db) == CARI_OK,
        "%s", cari_errmsg(db));
  CHECK_INT("old layout: gen column",
            sqlite3_exec(F->conn, "SELECT gen FROM cari_stale", NULL, NULL,
                         NULL), SQLITE_OK);
  sqlite3_stmt *st;
  CHECK_INT("old layout: mark kept",
            sqlite3_prepare_v2(F->conn, "SELECT count(*) FROM cari_stale"
                               " WHERE doc = " OLD_DOC " AND gen = 0", -1, &st, NULL),
            SQLITE_OK);
  CHECK_INT("old layout: mark kept", sqlite3_step(st), SQLITE_ROW);
  CHECK_INT("old layout: mark kept", sqlite3_column_int(st, 0), 1);
  sqlite3_finalize(st);
  int nbad = 0;
  for (int i = 0; i < 5; i++) {
    int d = (int)(next_rand() % (uint64_t)n);
    nbad += put_random(db, d) != CARI_OK;
    nbad += put_random(db, d) != CARI_OK;
  }
  CHECK("old layout: replace twice", nbad == 0, "%s", cari_errmsg(db));
  integrity(F, "old layout upgraded");
  npruned = ncompared = 0;
  run_queries(F, "old layout upgraded", 300);
  CHECK("old layout: optimize", cari_optimize(db) == CARI_OK, "%s",
        cari_errmsg(db));
  CHECK("old layout: check", cari_check(db) == CARI_OK, "%s", cari_errmsg(db));
  CHECK_INT("old layout: close", cari_close(db), CARI_OK);
}

/* The build on F while another connection writes at each of its phases:
** the writes succeed within their short busy timeout, and the result is
** exact. Then two builds at once, and a build that fails at its swap. */
static void stage_writers(fixture *F, const char *path, int n) {
  hookctx h;
  memset(&h, 0, sizeof h);
  h.n = n;
  sqlite3_stmt *st;
  /* WAL, as cari_open() sets: a reader's snapshot lets writers commit. */
  CHECK_INT("wal", sqlite3_prepare_v2(F->conn, "PRAGMA journal_mode=WAL", -1,
                                      &st, NULL), SQLITE_OK);
  CHECK_INT("wal", sqlite3_step(st), SQLITE_ROW);
  CHECK_STR("wal", (const char *)sqlite3_column_text(st, 0), "wal");
  sqlite3_finalize(st);
  CHECK_INT("writer open", sqlite3_open(path, &h.wconn), SQLITE_OK);
  CHECK_INT("writer timeout", sqlite3_busy_timeout(h.wconn, 200), SQLITE_OK);
  CHECK("writer cari", cari_open_sqlite(h.wconn, NULL, &h.w) == CARI_OK,
        "%s", cari_errmsg(h.w));
  /* New segments since the last build, so that the merge has steps. */
  for (int i = 0; i < 30; i++)
    CHECK_INT("segments", put_random(F->db, (int)(next_rand() % (uint64_t)n)),
              CARI_OK);
  cari_test_optimize_hook(F->db, hook_fn, &h);

  /* 1. Writers at every phase. */
  CHECK("optimize with writers", cari_optimize(F->db) == CARI_OK, "%s",
        cari_errmsg(F->db));
  CHECK("writers succeeded", h.nbad == 0, "%d failed; last: %s", h.nbad, h.err);
  for (int p = IDX_PHASE_MERGE; p <= IDX_PHASE_SWAP; p++)
    CHECK(phase_name[p], h.calls[p] > 0, "the hook never ran at phase %s",
          phase_name[p]);
  printf("writers during the build: hook calls merge %d read %d write %d "
         "swap %d\n", h.calls[1], h.calls[2], h.calls[3], h.calls[4]);
  integrity(F, "after a build with writers");
  check_markers(F, &h, "after a build with writers");
  npruned = ncompared = 0;
  run_queries(F, "after a build with writers", 600);
  CHECK("pruned after a build with writers", npruned * 10 >= ncompared * 5,
        "%d of %d pruned", npruned, ncompared);

  /* 2. Another optimize (on w) runs whole while F's reads its snapshot:
  ** F's gives way with a message and changes nothing; w's stands. */
  memset(h.calls, 0, sizeof h.calls);
  h.mode = 1;
  long long gen0 = meta_int(F->conn, "topk_gen");
  int rc = cari_optimize(F->db);
  CHECK("two optimizes: the first gives way",
        rc == CARI_ERROR && strstr(cari_errmsg(F->db), "another cari_optimize"),
        "rc %d: %s", rc, cari_errmsg(F->db));
  CHECK_INT("two optimizes: the other one", h.w_optimize, CARI_OK);
  CHECK_INT("two optimizes: the other's generation stands",
            meta_int(F->conn, "topk_gen"), gen0 + 2);
  CHECK("two optimizes: writers", h.nbad == 0, "%s", h.err);
  integrity(F, "after two optimizes");
  check_markers(F, &h, "after two optimizes");
  npruned = ncompared = 0;
  run_queries(F, "after two optimizes", 300);

  /* 3. A build that cannot swap (another generation began) leaves the
  ** postings searches use as they were. */
  memset(h.calls, 0, sizeof h.calls);
  h.mode = 2;
  long long build0 = meta_int(F->conn, "topk_max_doc");
  sqlite3_stmt *b;
  char stamp0[40] = "", stamp1[40] = "";
  const char *bsql = "SELECT value FROM cari_meta WHERE key = 'topk_build'";
  CHECK_INT("stamp", sqlite3_prepare_v2(F->conn, bsql, -1, &b, NULL), SQLITE_OK);
  if (sqlite3_step(b) == SQLITE_ROW)
    snprintf(stamp0, sizeof stamp0, "%s", sqlite3_column_text(b, 0));
  sqlite3_finalize(b);
  rc = cari_optimize(F->db);
  CHECK("failed swap", rc == CARI_ERROR, "rc %d: %s", rc, cari_errmsg(F->db));
  CHECK_INT("failed swap: writers", h.nbad, 0);
  CHECK_INT("failed swap: max_doc kept", meta_int(F->conn, "topk_max_doc"),
            build0);
  CHECK_INT("stamp", sqlite3_prepare_v2(F->conn, bsql, -1, &b, NULL), SQLITE_OK);
  if (sqlite3_step(b) == SQLITE_ROW)
    snprintf(stamp1, sizeof stamp1, "%s", sqlite3_column_text(b, 0));
  sqlite3_finalize(b);
  CHECK_STR("failed swap: the build kept", stamp1, stamp0);
  integrity(F, "after a failed swap");
  check_markers(F, &h, "after a failed swap");
  npruned = ncompared = 0;
  run_queries(F, "after a failed swap", 300);

  cari_test_optimize_hook(F->db, NULL, NULL);
  CHECK("optimize after", cari_optimize(F->db) == CARI_OK, "%s",
        cari_errmsg(F->db));
  CHECK("check after", cari_check(F->db) == CARI_OK, "%s", cari_errmsg(F->db));
  check_markers(F, &h, "rebuilt");
  /* With no writer, the merge leaves one segment: another step finds nothing to do. */
  sqlite3_int64 before = sqlite3_total_changes64(F->conn);
  CHECK_INT("merged", sqlite3_exec(F->conn,
                                   "INSERT INTO articles_fts(articles_fts,"
                                   " rank) VALUES ('merge', -200)",
                                   NULL, NULL, NULL), SQLITE_OK);
  CHECK("merged to one segment", sqlite3_total_changes64(F->conn) - before < 2,
        "a merge step after the optimize still had work (%lld changes)",
        (long long)(sqlite3_total_changes64(F->conn) - before));
  CHECK_INT("writer close", cari_close(h.w), CARI_OK);
  CHECK_INT("writer conn close", sqlite3_close(h.wconn), SQLITE_OK);
}

/* Queries expanded with synonyms: groups of words of the collection
** (single words, and a quarter of them phrases of two), and mythes-id's
** thesaurus when installed. Pruned and exhaustive agree to the bit. */
static void synonym_queries(fixture *F) {
  char *text = malloc(1 << 16), err[512];
  static char runs[400][80]; /* two-word terms, to be typed as queries */
  size_t n = 0;
  int nruns = 0;
  for (int g = 0; text && g < 400; g++) {
    n += (size_t)snprintf(text + n, (1 << 16) - n, "%s = %s", zipf_word(),
                          zipf_word());
    for (int k = (int)(next_rand() % 3); k > 0; k--) {
      const char *w = zipf_word();
      int two = next_rand() % 4 == 0;
      n += (size_t)snprintf(text + n, (1 << 16) - n, two ? ", %s lain"
                            : ", %s", w);
      if (two) snprintf(runs[nruns++], sizeof runs[0], "%s lain", w);
    }
    n += (size_t)snprintf(text + n, (1 << 16) - n, "\n");
  }
  qry_syns *user = NULL;
  qry_thes *th = NULL;
  int rc = text ? qry_syns_parse(text, n, "random", F->tok, &user, err,
                                 sizeof err)
                : CARI_NOMEM;
  CHECK("random synonyms", rc == CARI_OK, "%s", err);
  free(text);
  struct stat st;
  if (rc == CARI_OK && stat(QRY_THES_DEFAULT, &st) == 0)
    CHECK("thesaurus", qry_thes_open(QRY_THES_DEFAULT, F->tok, &th, err,
                                     sizeof err) == CARI_OK, "%s", err);
  qry_syn_source src = {th, user, 0.5};
  F->syn = &src;
  npruned = ncompared = nsynonyms = 0;
  run_queries(F, "synonyms", 500);
  for (int i = 0; i < 100; i++) { /* the groups' words themselves */
    char q[200];
    snprintf(q, sizeof q, "%s %s", zipf_word(), zipf_word());
    compare(F, "synonyms", q, 1, 10, 0);
    if (nruns) { /* a run typed: its synonyms once per word */
      snprintf(q, sizeof q, "%s %s", runs[next_rand() % (uint64_t)nruns],
               zipf_word());
      compare(F, "synonyms", q, 1, 10, 0);
    }
  }
  printf("synonyms%s: %d queries, %d pruned, %d synonyms added\n",
         th ? " (with mythes-id)" : "", ncompared, npruned, nsynonyms);
  CHECK("synonyms were added", nsynonyms > 150, "%d", nsynonyms);
  CHECK("queries with synonyms were pruned", npruned * 4 >= ncompared,
        "%d of %d", npruned, ncompared);
  F->syn = NULL;
  qry_syns_free(user);
  qry_thes_free(th);
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
  sid_lexicon *lx = idx_lexicon_load(NULL, err, sizeof err);
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
  synonym_queries(&F);
  printf("after build: %d queries with typo corrections\n", ntypo);
  CHECK("typo corrections were compared", ntypo > 100, "%d", ntypo);
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

  stage_writers(&F, path, N);
  stage_old_layout(&F, N);

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
  CHECK_INT("close", cari_close(F.db), CARI_OK);
  CHECK_INT("close the connection", sqlite3_close(F.conn), SQLITE_OK);
  CHECK("remove the database", test_remove_db(path), "%s", strerror(errno));
  rmdir(dir);
  for (int i = 0; i < nvocab; i++) free(vocab[i]);
  free(vocab);
  return test_report("test_topk");
}
