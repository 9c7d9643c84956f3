/*
** test_snippet.c — qry_snippet, table-driven: each row is a text, the query
** (words, "phrases" and word* prefixes, made into units by
** qry_snippet_unit as a search does), the window length and the snippet
** expected. Then qry_snippet_unit's own table, the odd inputs (control
** bytes among them), and a speed check against FTS5's snippet() on a ~7 KB
** text, printed, not asserted.
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
    /* Phrases: one mark per occurrence, around the phrase as written; its
    ** words alone are neither marked nor drawing the window. */
    {"phrase-one-mark", "Rapat di balai desa hari ini.", "\"balai desa\"", 8,
     "Rapat di [balai desa] hari ini."},
    {"phrase-words-alone", "Balai itu jauh dari desa. Warga ke balai desa lagi.",
     "\"balai desa\"", 4, "\xE2\x80\xA6ke [balai desa] lagi."},
    {"phrase-alone-only", "Balai itu jauh dari desa kami.", "\"balai desa\"",
     3, "Balai itu jauh\xE2\x80\xA6"},
    {"phrase-order", "desa balai desa", "\"balai desa\"", 8,
     "desa [balai desa]"},
    {"phrase-adjacent", "balai desa balai desa", "\"balai desa\"", 8,
     "[balai desa] [balai desa]"},
    {"phrase-overlap", "kopi kopi kopi teh", "\"kopi kopi\"", 8,
     "[kopi kopi kopi] teh"},
    {"phrase-and-word", "Warga berkumpul di balai desa.",
     "\"balai desa\" kumpul", 8, "Warga [berkumpul] di [balai desa]."},
    {"phrase-stems", "Warga desa berkumpul di balai.", "\"kumpul di balai\"",
     8, "Warga desa [berkumpul di balai]."},
    {"phrase-compound", "Kereta Jakarta-Bandung cepat.", "\"jakarta bandung\"",
     8, "Kereta [Jakarta-Bandung] cepat."},
    {"phrase-white-space", "ke balai\n\n  desa\tlagi", "\"balai desa\"", 8,
     "ke [balai desa] lagi"},
    {"phrase-cut-by-window", "satu dua tiga empat lima", "\"satu dua tiga\"",
     2, "\xE2\x80\xA6[dua tiga]\xE2\x80\xA6"},
    {"phrase-distinct-first",
     "teh teh teh teh balai desa lalu teh lagi di balai kota",
     "\"balai kota\" teh", 5, "\xE2\x80\xA6[teh] lagi di [balai kota]"},
    {"phrase-prefix", "Ke balai desa.", "\"balai de\"*", 8,
     "Ke [balai desa]."},
    {"prefix-stem", "Mereka berkumpul, lalu pulang.", "kum*", 8,
     "Mereka [berkumpul], lalu pulang."},
    {"prefix-and-word", "makan makanan", "mak* makan", 8, "[makan] [makanan]"},
    /* Surface forms (an index with them): the word as written. */
    {"surface", "Mereka berkumpul, lalu kumpul lagi.", "\"\x01" "berkumpul\"", 8,
     "Mereka [berkumpul], lalu kumpul lagi."},
    {"surface-prefix", "Mereka berkumpul, lalu kumpul lagi.", "\"\x01" "berk\"*",
     8, "Mereka [berkumpul], lalu kumpul lagi."},
    /* Control bytes of the text never reach the snippet: the caller's
    ** marks are the only ones. */
    {"control-bytes", "Warga \x01" "berkumpul\x02 di\x1B balai\x7F desa\xC2\x9B.",
     "kumpul", 8, "Warga [berkumpul] di balai desa ."},
    {"control-in-phrase", "ke balai\x01\x02" "desa\x03", "\"balai desa\"", 8,
     "ke [balai desa]"},
};

/* qry_snippet_unit: a quoted string of the FTS5 expression into a unit. */
static const struct {
  const char *id, *text;
  int prefix;
  const char *want; /* NULL: no term */
} units[] = {
    {"unit-word", "kopi", 0, "kopi"},
    {"unit-stem", "Berkumpul", 0, "kumpul"},
    {"unit-phrase", "Berkumpul di  Balai", 0, "kumpul di balai"},
    {"unit-prefix", "Berkum", 1, "berkum*"},
    {"unit-phrase-prefix", "balai de", 1, "balai de*"},
    {"unit-redup", "anak-anak", 0, "anak"},
    {"unit-compound", "Jakarta-Bandung", 0, "jakarta bandung"},
    {"unit-surface", "\x01" "Berkumpul", 0, "\x01" "berkumpul"},
    {"unit-surface-prefix", "\x01" "berk", 1, "\x01" "berk*"},
    {"unit-none", "!!!", 0, NULL},
    {"unit-empty", "", 1, NULL},
};

/* The query's units, as a search makes them: each word, "phrase" or
** word* through qry_snippet_unit. */
typedef struct {
  int n;
  char *term[64];
  int len[64];
} terms_t;

static void terms_free(terms_t *q) {
  for (int i = 0; i < q->n; i++) free(q->term[i]);
  q->n = 0;
}

/* CARI_OK, or the failing call's code (the test checks it). */
static int query_terms(idx_analyzer *an, const char *q, terms_t *out) {
  memset(out, 0, sizeof *out);
  for (const char *p = q; *p && out->n < 64;) {
    if (*p == ' ') {
      p++;
      continue;
    }
    const char *a = p, *b;
    if (*p == '"') {
      a = ++p;
      while (*p && *p != '"') p++;
      b = p;
      if (*p) p++;
    } else {
      while (*p && *p != ' ' && *p != '*') p++;
      b = p;
    }
    int prefix = *p == '*';
    p += prefix;
    char *u = NULL;
    int rc = qry_snippet_unit(an, a, (int)(b - a), prefix, &u, &out->len[out->n]);
    if (rc != CARI_OK) return rc;
    if (u) out->term[out->n++] = u;
  }
  return CARI_OK;
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
  CHECK_INT(label, query_terms(an, words, &q), CARI_OK);
  qry_snippet_opts o = {24, NULL, NULL, NULL};
  int iters = 2000;
  char *s = NULL;
  double t0 = now_us();
  for (int i = 0; i < iters; i++) {
    free(s);
    s = NULL;
    if (qry_snippet(an, text, (int)strlen(text), (const char *const *)q.term,
                    q.len, q.n, &o, &s))
      break;
  }
  terms_free(&q);
  double ours = (now_us() - t0) / iters;

  sqlite3 *db;
  sqlite3_stmt *with = NULL, *without = NULL;
  CHECK_INT("fts5-open", sqlite3_open(":memory:", &db), SQLITE_OK);
  CHECK_INT("fts5-register", idx_fts5_register(db, NULL, NULL), SQLITE_OK);
  CHECK_INT("fts5-create",
            sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(x, tokenize="
                         "'indonesian')", NULL, NULL, NULL),
            SQLITE_OK);
  sqlite3_stmt *ins = NULL;
  CHECK_INT("fts5-prepare",
            sqlite3_prepare_v2(db, "INSERT INTO t VALUES (?)", -1, &ins, NULL),
            SQLITE_OK);
  sqlite3_bind_text(ins, 1, text, -1, SQLITE_STATIC);
  CHECK_INT("fts5-insert", sqlite3_step(ins), SQLITE_DONE);
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

/* One snippet of text for query q: CARI_OK with *out, or the failing
** call's code; the caller checks it and frees *out. */
static int snip(idx_analyzer *an, const char *text, int len, const char *q,
                const qry_snippet_opts *o, char **out) {
  terms_t t;
  *out = NULL;
  int rc = query_terms(an, q, &t);
  if (rc == CARI_OK)
    rc = qry_snippet(an, text, len, (const char *const *)t.term, t.len, t.n,
                     o, out);
  terms_free(&t);
  return rc;
}

/* The naive twin of phrase marking, for texts of one-space-separated
** words that are their own terms, shown whole: each word every occurrence
** of a unit covers is marked, one mark per run that occurrences join. */
static void naive_marks(const char **w, int n, const char *const *unit,
                        int nunit, char *out, size_t cap) {
  int hit[64] = {0}, join[64] = {0};
  for (int u = 0; u < nunit; u++) {
    char *uw[8];
    int k = 0;
    char buf[64];
    snprintf(buf, sizeof buf, "%s", unit[u]);
    for (char *p = strtok(buf, " "); p && k < 8; p = strtok(NULL, " "))
      uw[k++] = p;
    for (int i = 0; i + k <= n; i++) {
      int ok = 1;
      for (int j = 0; j < k && ok; j++) ok = strcmp(w[i + j], uw[j]) == 0;
      for (int j = 0; ok && j < k; j++) {
        hit[i + j] = 1;
        if (j) join[i + j] = 1;
      }
    }
  }
  size_t m = 0;
  out[0] = 0;
  for (int i = 0; i < n; i++)
    m += (size_t)snprintf(out + m, cap - m, "%s%s%s%s", i ? " " : "",
                          hit[i] && !join[i] ? "[" : "", w[i],
                          hit[i] && (i == n - 1 || !join[i + 1]) ? "]" : "");
}

int main(void) {
  char err[256] = "";
  idx_analyzer *an = idx_analyzer_new("cari", NULL, err, sizeof err);
  CHECK("analyzer", an != NULL, "%s", err);
  if (!an) return test_report("snippet");

  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    qry_snippet_opts o = {cases[i].n, NULL, NULL, NULL};
    char *s = NULL;
    int rc = snip(an, cases[i].text, (int)strlen(cases[i].text),
                  cases[i].words, &o, &s);
    CHECK_INT(cases[i].id, rc, CARI_OK);
    CHECK_STR(cases[i].id, s, cases[i].want);
    free(s);
  }
  for (size_t i = 0; i < sizeof units / sizeof *units; i++) {
    char *u = NULL;
    int n = -1;
    int rc = qry_snippet_unit(an, units[i].text, (int)strlen(units[i].text),
                              units[i].prefix, &u, &n);
    CHECK_INT(units[i].id, rc, CARI_OK);
    CHECK_STR(units[i].id, u, units[i].want);
    CHECK_INT(units[i].id, n, u ? (int)strlen(u) : 0);
    free(u);
  }

  /* Marks and ellipsis of one's own; NULL options; NUL-terminated text. */
  {
    qry_snippet_opts o = {2, "<mark>", "</mark>", "..."};
    char *s = NULL;
    CHECK_INT("own-marks", snip(an, "Mereka berkumpul lagi hari ini.", -1,
                                "kumpul", &o, &s), CARI_OK);
    CHECK_STR("own-marks", s, "Mereka <mark>berkumpul</mark>...");
    free(s);
    CHECK_INT("null-opts", snip(an, "Mereka berkumpul.", -1, "kumpul", NULL,
                                &s), CARI_OK);
    CHECK_STR("null-opts", s, "Mereka [berkumpul].");
    free(s);
    s = NULL;
    CHECK_INT("null-text", qry_snippet(an, NULL, 0, NULL, NULL, 0, NULL, &s),
              CARI_OK);
    CHECK_STR("null-text", s, "");
    free(s);
    /* A NUL byte inside the text is a control byte like the others. */
    CHECK_INT("nul-byte", snip(an, "kopi\0teh", 8, "teh", NULL, &s), CARI_OK);
    CHECK_STR("nul-byte", s, "kopi [teh]");
    free(s);
  }
  /* A very long word is kept whole; the window past 64 words is cut to 64. */
  {
    size_t n = 100000;
    char *big = malloc(n + 16);
    CHECK("malloc", big != NULL, "out of memory");
    if (!big) return test_report("snippet");
    memset(big, 'a', n);
    memcpy(big + n, " kopi", 6);
    qry_snippet_opts o = {2, NULL, NULL, NULL};
    char *s = NULL;
    int rc = snip(an, big, (int)strlen(big), "kopi", &o, &s);
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
    CHECK_INT("max-words", snip(an, text, -1, "kopi", &o, &s), CARI_OK);
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
    int bad = 0;
    for (int len = 0; len <= (int)strlen(t); len++)
      for (int w = 1; w <= 4; w++) {
        qry_snippet_opts o = {w, NULL, NULL, NULL};
        char *s = NULL;
        if (snip(an, t, len, "kopi teh anak cafe \"teh anak\"", &o, &s) !=
            CARI_OK) {
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
  /* Every control byte (C0, DEL, C1) around and inside words and phrases,
  ** with the CLI's marks \1 and \2: no control byte of the text is left,
  ** the marks are balanced and never nest. */
  {
    char t[4096]; /* 65 controls, at most 24 bytes each */
    size_t n = 0;
    for (int c = 0; c < 0xA0; c++) {
      if (c >= 0x20 && c < 0x7F) continue;
      if (c < 0x80) {
        n += (size_t)snprintf(t + n, sizeof t - n, "balai");
        t[n++] = (char)c;
      } else {
        n += (size_t)snprintf(t + n, sizeof t - n, "balai\xC2");
        t[n++] = (char)c;
      }
      n += (size_t)snprintf(t + n, sizeof t - n, "desa%c\x01kopi\x02 ",
                            c ? (char)c : ' ');
    }
    qry_snippet_opts o = {64, "\x01", "\x02", "..."};
    int bad = 0;
    for (int len = 0; len <= (int)n; len += 7) {
      char *s = NULL;
      if (snip(an, t, len, "\"balai desa\" kopi", &o, &s) != CARI_OK) {
        bad++;
        continue;
      }
      int depth = 0;
      for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == 1) depth++;
        else if (*p == 2) depth--;
        else if (*p < 0x20 || *p == 0x7F || (p[0] == 0xC2 && p[1] >= 0x80 &&
                                              p[1] <= 0x9F))
          bad++;
        if (depth < 0 || depth > 1) bad++;
      }
      if (depth) bad++;
      free(s);
    }
    CHECK_INT("control-bytes-all", bad, 0);
  }
  /* Phrase marks equal their naive twin on random texts over three words,
  ** shown whole. */
  {
    static const char *const vocab[] = {"kopi", "teh", "susu"};
    static const char *const unit_sets[][3] = {{"kopi teh", NULL, NULL},
                                         {"teh teh kopi", "susu", NULL},
                                         {"kopi kopi", "teh kopi", "susu teh"}};
    static const char *const queries[] = {"\"kopi teh\"",
                                          "\"teh teh kopi\" susu",
                                          "\"kopi kopi\" \"teh kopi\" \"susu teh\""};
    unsigned seed = 12345;
    int bad = 0;
    for (int r = 0; r < 3000; r++) {
      int n = 1 + (int)(seed % 40);
      const char *w[64];
      char text[512] = "", want[1024], *s = NULL;
      size_t m = 0;
      for (int i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        w[i] = vocab[(seed >> 16) % 3];
        m += (size_t)snprintf(text + m, sizeof text - m, "%s%s", i ? " " : "",
                              w[i]);
      }
      int qi = r % 3, nu = 0;
      while (nu < 3 && unit_sets[qi][nu]) nu++;
      naive_marks(w, n, unit_sets[qi], nu, want, sizeof want);
      qry_snippet_opts o = {64, NULL, NULL, NULL};
      if (snip(an, text, -1, queries[qi], &o, &s) != CARI_OK ||
          strcmp(s, want) != 0) {
        if (bad++ == 0)
          T_FAIL("phrase-twin", "text \"%s\" query %s: got \"%s\", want \"%s\"",
                 text, queries[qi], s ? s : "(null)", want);
      }
      free(s);
      seed = seed * 1103515245u + 12345u;
    }
    CHECK_INT("phrase-twin", bad, 0);
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
