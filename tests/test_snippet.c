/*
** test_snippet.c — qry_snippet, table-driven: each row is a text, the query
** words (analysed by the `cari` analyzer into terms, as a search would), the
** window length and the snippet expected. Then the odd inputs, and a speed
** check against FTS5's snippet() on a ~7 KB text, printed, not asserted.
*/
#include "cari.h"
#include "indexer.h"
#include "query.h"
#include "test.h"

#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const struct {
  const char *id, *text, *words; /* words: the query, space-separated */
  int n;                         /* window length */
  const char *want;
} cases[] = {
    /* Where the hit is: the window starts W/4 words before it, unless the
    ** text's first or last word is nearer. */
    {"hit-start",
     "Warga berkumpul di balai desa setiap Minggu pagi untuk rapat bulanan.",
     "kumpul", 4, "Warga [berkumpul] di balai\xE2\x80\xA6"},
    {"hit-middle",
     "Warga berkumpul di balai desa setiap Minggu pagi untuk rapat bulanan.",
     "minggu", 4, "\xE2\x80\xA6setiap [Minggu] pagi untuk\xE2\x80\xA6"},
    {"hit-end",
     "Warga berkumpul di balai desa setiap Minggu pagi untuk rapat bulanan.",
     "bulan", 4, "\xE2\x80\xA6pagi untuk rapat [bulanan]."},
    {"hit-centred", "k0 k1 k2 k3 k4 k5 k6 k7 k8 k9 k10 k11 k12 k13 k14 k15 "
     "k16 k17 k18 k19", "k10", 8,
     "\xE2\x80\xA6k8 k9 [k10] k11 k12 k13 k14 k15\xE2\x80\xA6"},
    {"shift-keeps-last-hit", "k0 k1 k2 k3 k4 k5 k6 k7 k8 k9 k10 k11 k12 k13",
     "k3 k10", 8, "\xE2\x80\xA6[k3] k4 k5 k6 k7 k8 k9 [k10]\xE2\x80\xA6"},
    /* Distinct terms first: the window with both words beats the one with
    ** three hits of one; without every term, the most hits win. */
    {"two-terms-over-hits",
     "Kopi, kopi, dan kopi lagi. Pagi ini saya minum teh lalu kopi hitam.",
     "kopi teh", 4, "\xE2\x80\xA6minum [teh] lalu [kopi]\xE2\x80\xA6"},
    {"most-hits",
     "Teh pagi ini terasa pahit sekali, tetapi teh sore dan teh malam selalu "
     "manis.",
     "teh sepeda", 4, "\xE2\x80\xA6[teh] sore dan [teh]\xE2\x80\xA6"},
    {"no-hit", "Warga berkumpul di balai desa.", "sepeda", 3,
     "Warga berkumpul di\xE2\x80\xA6"},
    {"no-terms", "Warga berkumpul di balai desa.", "", 3,
     "Warga berkumpul di\xE2\x80\xA6"},
    {"empty", "", "kopi", 8, ""},
    {"no-words", " !!! --- \xE2\x80\x94 ", "kopi", 8, ""},
    /* The ellipsis is exact: the closing punctuation is no word. */
    {"ends-at-last-word", "Warga berkumpul di balai.", "kumpul", 4,
     "Warga [berkumpul] di balai."},
    {"window-bigger", "  Kopi hitam, tanpa gula.  ", "kopi", 64,
     "[Kopi] hitam, tanpa gula."},
    {"punctuation", "Rapat di (Jakarta) dan kota, lalu pulang.",
     "jakarta kota", 8, "Rapat di ([Jakarta]) dan [kota], lalu pulang."},
    {"inflections",
     "Dikumpulkan oleh warga, sampah itu dibawa ke tempat BERKUMPUL.",
     "kumpul", 16,
     "[Dikumpulkan] oleh warga, sampah itu dibawa ke tempat [BERKUMPUL]."},
    {"inflected-query", "Perkumpulan nelayan itu besar.", "berkumpul", 8,
     "[Perkumpulan] nelayan itu besar."},
    {"redup", "Anak-anak bermain, lalu berkumpul-kumpul di halaman.",
     "anak kumpul", 8,
     "[Anak-anak] bermain, lalu [berkumpul-kumpul] di halaman."},
    {"compound-part", "Kereta Jakarta-Bandung cepat sekali.", "bandung", 8,
     "Kereta Jakarta-[Bandung] cepat sekali."},
    {"multibyte", "Caf\xC3\xA9 kecil \xF0\x9F\x98\x80 menjual kopi\xE2\x98\x95"
     " enak.", "cafe kopi", 8,
     "[Caf\xC3\xA9] kecil \xF0\x9F\x98\x80 menjual [kopi]\xE2\x98\x95 enak."},
    {"multibyte-cut", "\xC3\xA9t\xC3\xA9 satu dua tiga empat lima kopi "
     "\xF0\x9F\x98\x80 enam tujuh delapan", "kopi", 3,
     "\xE2\x80\xA6lima [kopi] \xF0\x9F\x98\x80 enam\xE2\x80\xA6"},
    {"newlines", "Baris satu\n\n  baris   dua\tkopi\r\nakhir\n", "kopi", 16,
     "Baris satu baris dua [kopi] akhir"},
    {"newline-in-window", "a b c d\n\ne kopi\n\nf g h i j", "kopi", 4,
     "\xE2\x80\xA6" "e [kopi] f g\xE2\x80\xA6"},
    {"invalid-utf8", "ab\xFF kopi \xC3 teh\xFE kopi\x80\x80", "kopi", 8,
     "ab\xFF [kopi] \xC3 teh\xFE [kopi]\x80\x80"},
    {"repeated-term", "kopi kopi", "kopi kopi Kopi", 8, "[kopi] [kopi]"},
};

/* The query's terms, as a search makes them: idx_analyze with flags 0. */
typedef struct {
  char buf[1024];
  int used, n;
  const char *term[64];
  int len[64];
} terms_t;

static int on_query_term(void *ctx, const char *t, int n, int s, int e,
                         int colo) {
  terms_t *q = ctx;
  (void)s, (void)e, (void)colo;
  if (q->n == 64 || q->used + n > (int)sizeof q->buf) return 1;
  memcpy(q->buf + q->used, t, (size_t)n);
  q->term[q->n] = q->buf + q->used;
  q->len[q->n++] = n;
  q->used += n;
  return 0;
}

static void query_terms(idx_analyzer *an, const char *q, terms_t *out) {
  memset(out, 0, sizeof *out);
  idx_analyze(an, q, (int)strlen(q), 0, on_query_term, out);
}

static double now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* About 7 KB of Indonesian paragraphs: the bodies of the .md articles
** in corpus/articles without front matter, in name order; NULL on failure. */
static char *sample_text(size_t want) {
  struct dirent **names;
  int n = scandir("corpus/articles", &names, NULL, alphasort);
  if (n < 0) return NULL;
  char *text = malloc(want + 4096);
  size_t len = 0;
  for (int i = 0; i < n; i++) {
    const char *nm = names[i]->d_name;
    size_t ln = strlen(nm);
    if (text && len < want && ln > 3 && strcmp(nm + ln - 3, ".md") == 0) {
      char path[512], line[4096];
      snprintf(path, sizeof path, "corpus/articles/%s", nm);
      FILE *f = fopen(path, "r");
      int fences = 0;
      while (f && len < want && fgets(line, sizeof line, f)) {
        if (fences < 2 && strncmp(line, "---", 3) == 0) { fences++; continue; }
        if (fences == 1) continue; /* front matter */
        size_t k = strlen(line);
        if (len + k >= want + 4095) break;
        memcpy(text + len, line, k);
        len += k;
      }
      if (f) fclose(f);
    }
    free(names[i]);
  }
  free(names);
  if (text) text[len] = 0;
  return text;
}

/* Time our snippet and FTS5's on the same text for one query. */
static void speed(idx_analyzer *an, const char *text, const char *label,
                  const char *words, const char *expr) {
  terms_t q;
  query_terms(an, words, &q);
  qry_snippet_opts o = {24, NULL, NULL, NULL};
  int iters = 2000;
  char *s = NULL;
  double t0 = now_us();
  for (int i = 0; i < iters; i++) {
    free(s);
    s = NULL;
    if (qry_snippet(an, text, (int)strlen(text), q.term, q.len, q.n, &o, &s))
      break;
  }
  double ours = (now_us() - t0) / iters;

  sqlite3 *db;
  sqlite3_stmt *with = NULL, *without = NULL;
  sqlite3_open(":memory:", &db);
  idx_fts5_register(db, NULL);
  sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(x, tokenize="
               "'indonesian')", NULL, NULL, NULL);
  sqlite3_stmt *ins;
  sqlite3_prepare_v2(db, "INSERT INTO t VALUES (?)", -1, &ins, NULL);
  sqlite3_bind_text(ins, 1, text, -1, SQLITE_STATIC);
  sqlite3_step(ins);
  sqlite3_finalize(ins);
  sqlite3_prepare_v2(db, "SELECT snippet(t, 0, '[', ']', '\xE2\x80\xA6', 24)"
                     " FROM t WHERE t MATCH ?1", -1, &with, NULL);
  sqlite3_prepare_v2(db, "SELECT rowid FROM t WHERE t MATCH ?1", -1,
                     &without, NULL);
  char *theirs = NULL;
  double tw = 0, to = 0;
  for (int pass = 0; pass < 2 && with && without; pass++) {
    sqlite3_stmt *st = pass ? without : with;
    sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
    double t1 = now_us();
    for (int i = 0; i < iters; i++) {
      if (sqlite3_step(st) == SQLITE_ROW && !pass && !theirs)
        theirs = strdup((const char *)sqlite3_column_text(st, 0));
      sqlite3_reset(st);
    }
    *(pass ? &to : &tw) = (now_us() - t1) / iters;
  }
  printf("speed %s (%zu bytes, \"%s\"): qry_snippet %.1f us; FTS5 query "
         "with snippet() %.1f us, without %.1f us: snippet() %.1f us\n",
         label, strlen(text), words, ours, tw, to, tw - to);
  printf("  ours:  %s\n  FTS5:  %s\n", s ? s : "(none)",
         theirs ? theirs : "(none)");
  CHECK(label, s != NULL && theirs != NULL, "a snippet is missing");
  free(s);
  free(theirs);
  sqlite3_finalize(with);
  sqlite3_finalize(without);
  sqlite3_close(db);
}

int main(void) {
  char err[256] = "";
  idx_analyzer *an = idx_analyzer_new("cari", NULL, err, sizeof err);
  CHECK("analyzer", an != NULL, "%s", err);
  if (!an) return test_report("snippet");

  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    terms_t q;
    query_terms(an, cases[i].words, &q);
    qry_snippet_opts o = {cases[i].n, NULL, NULL, NULL};
    char *s = NULL;
    int rc = qry_snippet(an, cases[i].text, (int)strlen(cases[i].text),
                         q.term, q.len, q.n, &o, &s);
    CHECK_INT(cases[i].id, rc, CARI_OK);
    CHECK_STR(cases[i].id, s, cases[i].want);
    free(s);
  }

  /* Marks and ellipsis of one's own; NULL options; NUL-terminated text. */
  {
    terms_t q;
    query_terms(an, "kumpul", &q);
    qry_snippet_opts o = {2, "<mark>", "</mark>", "..."};
    char *s = NULL;
    qry_snippet(an, "Mereka berkumpul lagi hari ini.", -1, q.term, q.len,
                q.n, &o, &s);
    CHECK_STR("own-marks", s, "Mereka <mark>berkumpul</mark>...");
    free(s);
    s = NULL;
    qry_snippet(an, "Mereka berkumpul.", -1, q.term, q.len, q.n, NULL, &s);
    CHECK_STR("null-opts", s, "Mereka [berkumpul].");
    free(s);
    s = NULL;
    CHECK_INT("null-text", qry_snippet(an, NULL, 0, NULL, NULL, 0, NULL, &s),
              CARI_OK);
    CHECK_STR("null-text", s, "");
    free(s);
  }
  /* A very long word is kept whole; the window past 64 words is cut to 64. */
  {
    size_t n = 100000;
    char *big = malloc(n + 16);
    memset(big, 'a', n);
    memcpy(big + n, " kopi", 6);
    terms_t q;
    query_terms(an, "kopi", &q);
    qry_snippet_opts o = {2, NULL, NULL, NULL};
    char *s = NULL;
    int rc = qry_snippet(an, big, (int)strlen(big), q.term, q.len, q.n, &o, &s);
    CHECK("long-word", rc == CARI_OK && s && strlen(s) == n + 7 &&
          strcmp(s + n, " [kopi]") == 0, "rc=%d len=%zu", rc,
          s ? strlen(s) : 0);
    free(s);
    free(big);

    char text[2000] = "";
    for (int i = 0; i < 100; i++)
      snprintf(text + strlen(text), sizeof text - strlen(text), "%sw%d",
               i ? " " : "", i);
    o.words = 1000;
    s = NULL;
    qry_snippet(an, text, -1, q.term, q.len, q.n, &o, &s);
    CHECK("max-words", s && strncmp(s, "w0 w1 ", 6) == 0 &&
          strstr(s, " w63\xE2\x80\xA6") && !strstr(s, "w64"), "got %s",
          s ? s : "(null)");
    free(s);
  }
  /* Every prefix of a text with multibyte and invalid bytes: no crash, one
  ** line, balanced marks. */
  {
    const char *t = "Caf\xC3\xA9 \xF0\x9F\x98\x80kopi\xE2\x80\x90teh \xFF\xC3"
                    " anak\xE2\x80\x91" "anak,\n(kopi) \xE2\x98";
    terms_t q;
    query_terms(an, "kopi teh anak cafe", &q);
    int bad = 0;
    for (int len = 0; len <= (int)strlen(t); len++)
      for (int w = 1; w <= 4; w++) {
        qry_snippet_opts o = {w, NULL, NULL, NULL};
        char *s = NULL;
        if (qry_snippet(an, t, len, q.term, q.len, q.n, &o, &s) != CARI_OK) {
          bad++;
          continue;
        }
        int depth = 0;
        for (const char *p = s; *p; p++) {
          if (*p == '[') depth++;
          if (*p == ']') depth--;
          if (depth < 0 || depth > 1 || *p == '\n') bad++;
        }
        if (depth) bad++;
        free(s);
      }
    CHECK_INT("prefixes", bad, 0);
  }

  /* Speed, printed: ours against FTS5's snippet() on the same ~7 KB. */
  char *text = sample_text(7000);
  CHECK("sample-text", text && strlen(text) > 6000, "corpus/articles");
  if (text && strlen(text) > 6000) {
    speed(an, text, "early-stop", "warga solidaritas",
          "\"warga\" OR \"solidaritas\"");
    speed(an, text, "full-pass", "solidaritas sepeda",
          "\"solidaritas\" OR \"sepeda\"");
  }
  free(text);
  idx_analyzer_free(an);
  return test_report("snippet");
}
