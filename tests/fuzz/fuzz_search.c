/*
** fuzz_search.c — fuzz target: one input is a query typed into a blog's
** search box, run by cari_search on a database in the state a blog spends
** most of its life in: optimized (top-k postings built), then articles
** added, replaced and removed (new ones ranked by FTS5, stale ones skipped
** in the postings). The database is built once per process, from a fixed
** pseudo-random generator over an Indonesian vocabulary (same on every run,
** so crashes replay). Each query runs the pruned search with snippets; for a
** quarter of the inputs (by a hash) also the exhaustive one, and the two
** must give the same ids in the same order, bit-identical scores and the
** same total and snippets. Options (limit, offset, snippet length) come from
** the hash. Any error other than CARI_QUERY, or a snippet that is not UTF-8,
** is a crash. It does not check relevance (bench/relevance does).
*/
#include "fuzz.h"

#include "cari.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Built once per process: libFuzzer passes targets no context. */
static cari_db *db;

static const char *const vocab[] = {
    "warga", "berkumpul", "kumpul", "perkumpulan", "mengumpulkan", "balai",
    "desa", "kopi", "teh", "manis", "warung", "pagi", "secangkir", "pasar",
    "sayur-mayur", "anak-anak", "sekolah", "guru", "murid", "belajar",
    "pelajaran", "mengajar", "pengajaran", "jalan", "berjalan", "perjalanan",
    "kereta", "Jakarta-Bandung", "kota", "banjir", "hujan", "musim",
    "kemarau", "petani", "sawah", "padi", "panen", "memanen", "nelayan",
    "laut", "ikan", "perahu", "gotong", "royong", "rapat", "musyawarah",
    "makan", "makanan", "dimakan", "memasak", "masakan", "resep", "nasi",
    "goreng", "sambal", "pedas", "menulis", "penulis", "tulisan", "buku",
    "membaca", "bacaan", "perpustakaan", "komputer", "internet", "COVID-19",
    "vaksin", "kesehatan", "sehat", "rumah", "sakit", "dokter", "obat",
    "Jum'at", "masjid", "gereja", "pura", "wihara", "lebaran", "mudik",
    "pulang", "kampung", "keluarga", "ibu", "bapak", "kakak", "adik",
    "yang", "dan", "di", "ke", "dari", "untuk", "dengan", "apakah", "siapa",
    "berapa", "15.000", "3,5", "Café", "perempuan", "bekasi", "penyanyi",
    "menyanyi", "bernyanyi", "lagu", "musik", "gamelan", "wayang", "batik",
    "membatik", "pembatik", "kain", "tenun", "pariwisata", "wisatawan",
    "pantai", "gunung", "mendaki", "pendaki", "hutan", "pohon", "menanam",
    "tanaman", "air", "bersih", "sungai", "sampah", "membuang", "daur",
    "ulang", "listrik", "surya", "energi", "harga", "naik", "turun",
    "ekonomi", "usaha", "pengusaha", "berusaha", "koperasi", "bank",
};
#define NVOCAB (sizeof vocab / sizeof vocab[0])

static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static uint64_t next_rand(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

/* A word, skewed toward the front of the list (a few words are common). */
static const char *word(void) {
  uint64_t a = next_rand() % NVOCAB, b = next_rand() % NVOCAB;
  return vocab[a * b / NVOCAB];
}

static void text(char *out, size_t cap, int words) {
  size_t n = 0;
  out[0] = '\0';
  for (int i = 0; i < words && n + 40 < cap; i++)
    n += (size_t)snprintf(out + n, cap - n, "%s%s", i ? (i % 11 ? " " : ". ")
                                                      : "", word());
}

static void put(int id) {
  char sid[32], title[256], body[8192];
  snprintf(sid, sizeof sid, "post-%d", id);
  text(title, sizeof title, 2 + (int)(next_rand() % 5));
  text(body, sizeof body, 20 + (int)(next_rand() % 300));
  cari_article a = {.id = sid, .title = title, .body = body};
  int rc = cari_put(db, &a);
  FUZZ_CHECK(rc == CARI_OK, "cari_put(%s): %s", sid, cari_errmsg(db));
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  const char *path = fuzz_temp_path("search.db");
  int rc = cari_open(path, NULL, 0, &db);
  FUZZ_CHECK(rc == CARI_OK, "cari_open(%s): %s", path, cari_errmsg(db));
  FUZZ_CHECK(cari_begin(db) == CARI_OK, "begin: %s", cari_errmsg(db));
  for (int i = 0; i < 600; i++) put(i);
  FUZZ_CHECK(cari_commit(db) == CARI_OK, "commit: %s", cari_errmsg(db));
  FUZZ_CHECK(cari_optimize(db) == CARI_OK, "optimize: %s", cari_errmsg(db));
  /* After the build: 40 new, 30 replaced, 20 removed. */
  FUZZ_CHECK(cari_begin(db) == CARI_OK, "begin: %s", cari_errmsg(db));
  for (int i = 600; i < 640; i++) put(i);
  for (int i = 0; i < 30; i++) put((int)(next_rand() % 600));
  for (int i = 0; i < 20; i++) {
    char sid[32];
    snprintf(sid, sizeof sid, "post-%d", 300 + i * 7);
    rc = cari_remove(db, sid);
    FUZZ_CHECK(rc == CARI_OK || rc == CARI_NOTFOUND, "remove(%s): %s", sid,
               cari_errmsg(db));
  }
  FUZZ_CHECK(cari_commit(db) == CARI_OK, "commit: %s", cari_errmsg(db));
  FUZZ_CHECK(cari_check(db) == CARI_OK, "check: %s", cari_errmsg(db));
  return 0;
}

#define MAXHITS 64
typedef struct run {
  int n;
  long long total;
  char id[MAXHITS][32];
  double score[MAXHITS];
  char *snippet[MAXHITS]; /* owned */
} run;

static void run_clear(run *r) {
  for (int i = 0; i < r->n; i++) free(r->snippet[i]);
  r->n = 0;
}

/* Run the query; 0 when it has nothing to search for (CARI_QUERY). */
static int search(const char *q, int len, const cari_search_opts *o, run *r) {
  cari_cursor *c = NULL;
  int rc = cari_search(db, q, len, o, &c);
  if (rc == CARI_QUERY) {
    FUZZ_CHECK(c == NULL && cari_errmsg(db)[0], "CARI_QUERY without reason");
    return 0;
  }
  FUZZ_CHECK(rc == CARI_OK && c, "cari_search (flags %d): %s: %s", o->flags,
             cari_errstr(rc), cari_errmsg(db));
  run_clear(r);
  while ((rc = cari_next(c)) == CARI_ROW) {
    FUZZ_CHECK(r->n < MAXHITS && r->n < o->limit, "more rows than the limit");
    const char *id = cari_result_id(c), *sn = cari_result_snippet(c);
    const char *title = cari_result_title(c);
    FUZZ_CHECK(id && strlen(id) < sizeof r->id[0], "bad id");
    FUZZ_CHECK(title != NULL, "no title for %s", id);
    FUZZ_CHECK(sn != NULL, "no snippet for %s", id);
    FUZZ_CHECK(fuzz_utf8_ok(sn, strlen(sn)), "snippet of %s is not UTF-8", id);
    strcpy(r->id[r->n], id);
    r->snippet[r->n] = strdup(sn);
    FUZZ_CHECK(r->snippet[r->n] != NULL, "out of memory");
    r->score[r->n++] = cari_result_score(c);
  }
  FUZZ_CHECK(rc == CARI_DONE, "cari_next: %s: %s", cari_errstr(rc),
             cari_errmsg(db));
  int trc = cari_cursor_total(c, &r->total);
  FUZZ_CHECK(trc == CARI_OK && r->total >= 0, "total: %s", cari_errmsg(db));
  FUZZ_CHECK(r->total >= r->n + (r->n ? o->offset : 0),
             "total %lld below %d rows after offset %d", r->total, r->n,
             o->offset);
  cari_cursor_free(c);
  return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 4096) return 0;
  uint64_t h = fuzz_hash(data, size);
  cari_search_opts o = CARI_SEARCH_OPTS_INIT;
  o.limit = 1 + (int)(h % 20);
  o.offset = (h >> 8) % 4 == 0 ? (int)((h >> 10) % 15) : 0;
  o.snippet_words = (int)((h >> 16) % 70);
  o.max_ms = -1; /* a slow sanitized run must not cut one side only */
  static run a, b;
  if (!search((const char *)data, (int)size, &o, &a)) return 0;
  if ((h >> 24) % 4 != 0) return 0;
  o.flags = CARI_SEARCH_EXHAUSTIVE;
  FUZZ_CHECK(search((const char *)data, (int)size, &o, &b),
             "the exhaustive search found nothing to search for");
  FUZZ_CHECK(a.n == b.n, "pruned %d rows, exhaustive %d", a.n, b.n);
  FUZZ_CHECK(a.total == b.total, "pruned total %lld, exhaustive %lld",
             a.total, b.total);
  for (int i = 0; i < a.n; i++) {
    FUZZ_CHECK(strcmp(a.id[i], b.id[i]) == 0,
               "row %d: pruned %s, exhaustive %s",
               i, a.id[i], b.id[i]);
    FUZZ_CHECK(memcmp(&a.score[i], &b.score[i], sizeof(double)) == 0,
               "row %d (%s): pruned score %.17g, exhaustive %.17g", i, a.id[i],
               a.score[i], b.score[i]);
    FUZZ_CHECK(strcmp(a.snippet[i], b.snippet[i]) == 0,
               "row %d (%s): pruned snippet \"%s\", exhaustive \"%s\"", i,
               a.id[i], a.snippet[i], b.snippet[i]);
  }
  return 0;
}
