/*
** test_tokenize.c — the tokenizer and the analyzer, table-driven: each row
** is an input and the tokens (or terms) expected, written "term@start:end"
** and separated by spaces, where start:end are byte offsets in the input.
*/
#include "indexer.h"
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  char buf[4096];
  size_t n;
} out_t;

static void put(out_t *o, const char *t, int n, int s, int e) {
  int k = snprintf(o->buf + o->n, sizeof o->buf - o->n, "%s%.*s@%d:%d",
                   o->n ? " " : "", n, t, s, e);
  if (k > 0 && o->n + (size_t)k < sizeof o->buf) o->n += (size_t)k;
}

static int on_tok(void *ctx, const char *norm, int n, int s, int e, int h) {
  (void)h;
  put(ctx, norm, n, s, e);
  return 0;
}
static int on_term(void *ctx, const char *t, int n, int s, int e, int colo) {
  char buf[IDX_MAX_TOKEN + 8];
  /* A colocated surface form prints as "+=word": the mark shown as '='. */
  if (n > 0 && t[0] == IDX_SURFACE_MARK) {
    snprintf(buf, sizeof buf, "%s=%.*s", colo ? "+" : "", n - 1, t + 1);
    put(ctx, buf, (int)strlen(buf), s, e);
  } else {
    put(ctx, t, n, s, e);
  }
  return 0;
}

static const struct {
  const char *id, *in, *want;
} tok_cases[] = {
    {"ascii", "Kami berkumpul.", "kami@0:4 berkumpul@5:14"},
    {"casefold", "KOMUNITAS Solidaritas", "komunitas@0:9 solidaritas@10:21"},
    {"accent", "Café Pokémon", "cafe@0:5 pokemon@6:14"},
    {"nfkc-fullwidth", "\xEF\xBC\xA2\xEF\xBD\x85\xEF\xBD\x92", "ber@0:9"},
    {"ligature", "\xEF\xAC\x81le", "file@0:5"},
    {"apostrophe", "Jum'at pagi", "jum'at@0:6 pagi@7:11"},
    {"curly-apostrophe", "Jum\xE2\x80\x99" "at", "jum'at@0:8"},
    {"apostrophe-edge", "'kata' kata'", "kata@1:5 kata@7:11"},
    {"redup", "anak-anak bermain", "anak-anak@0:9 bermain@10:17"},
    {"redup-affix", "berkumpul-kumpul", "berkumpul-kumpul@0:16"},
    {"hyphen-edge", "-kata- kata--kata", "kata@1:5 kata@7:11 kata@13:17"},
    {"unicode-hyphen", "anak\xE2\x80\x90" "anak", "anak-anak@0:11"},
    {"numbers", "Tahun 2024 harga Rp15.000 atau 3,5 km",
     "tahun@0:5 2024@6:10 harga@11:16 rp15.000@17:25 atau@26:30 3,5@31:34 "
     "km@35:37"},
    {"number-dot-end", "2024. Lalu", "2024@0:4 lalu@6:10"},
    {"dot-letters", "a.b", "a@0:1 b@2:3"},
    {"digit-redup", "anak2 rumah2nya", "anak2@0:5 rumah2nya@6:15"},
    {"punct", "title: ^ * (NEAR)", "title@0:5 near@12:16"},
    {"emoji", "kopi\xE2\x98\x95susu \xF0\x9F\x98\x80", "kopi@0:4 susu@7:11"},
    {"invalid-utf8", "ab\xFF" "cd \xC3", "ab@0:2 cd@3:5"},
    {"soft-hyphen-ignored", "kom\xC2\xADunitas", "komunitas@0:11"},
    {"empty", "", ""},
    {"spaces", " \t\n", ""},
};

static const struct {
  const char *id, *stemmer, *in, *want;
} an_cases[] = {
    {"none-keeps", "none", "Berkumpul", "berkumpul@0:9"},
    {"snowball-ber", "snowball", "berkumpul", "kumpul@0:9"},
    {"snowball-per-an", "snowball", "perkumpulan", "kumpul@0:11"},
    {"snowball-digits-unstemmed", "snowball", "covid19 2024",
     "covid19@0:7 2024@8:12"},
    {"redup-equal", "snowball", "anak-anak", "anak@0:9"},
    /* Marks only around a hyphen (found by fuzz_analyze): no empty term. */
    {"marks-hyphen-marks", "snowball", "\xcc\x81-\xcc\x81 kopi", "kopi@6:10"},
    {"word-hyphen-marks", "snowball", "x\xcc\x81-\xcc\x81", "x@0:3"},
    {"redup-affixed", "snowball", "berkumpul-kumpul", "kumpul@0:16"},
    {"redup-suffixed", "snowball", "anak-anaknya", "anak@0:12"},
    {"redup-sehari", "snowball", "sehari-hari", "hari@0:11"},
    {"redup-rhyme", "snowball", "sayur-mayur", "sayur@0:11"},
    {"redup-digit", "snowball", "anak2 rumah2nya", "anak@0:5 rumah@6:15"},
    {"compound-split", "snowball", "Jakarta-Bandung",
     "jakarta@0:7 bandung@8:15"},
    {"compound-number", "snowball", "COVID-19", "covid@0:5 19@6:8"},
    {"compound-unicode-hyphen", "snowball", "Asia\xE2\x80\x90Pasifik",
     "asia@0:4 pasifik@7:14"},
    {"none-hyphen-whole", "none", "anak-anak", "anak-anak@0:9"},
    {"offsets-original", "snowball", "Kami BERKUMPUL", "kami@0:4 kumpul@5:14"},
};

int main(void) {
  idx_tokenizer *t = idx_tokenizer_new();
  for (size_t i = 0; i < sizeof tok_cases / sizeof *tok_cases; i++) {
    out_t o = {{0}, 0};
    int rc = idx_tokenize(t, tok_cases[i].in, (int)strlen(tok_cases[i].in),
                          on_tok, &o);
    CHECK_INT(tok_cases[i].id, rc, 0);
    CHECK_STR(tok_cases[i].id, o.buf, tok_cases[i].want);
  }
  /* An overlong token is kept, cut at IDX_MAX_TOKEN bytes. */
  {
    char big[1000];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = 0;
    out_t o = {{0}, 0};
    CHECK_INT("analyze-rc-1", idx_tokenize(t, big, (int)strlen(big), on_tok, &o), 0);
    CHECK("overlong", strstr(o.buf, "@0:999") != NULL &&
          strchr(o.buf, '@') - o.buf == IDX_MAX_TOKEN, "got %.40s...", o.buf);
  }
  idx_tokenizer_free(t);

  for (size_t i = 0; i < sizeof an_cases / sizeof *an_cases; i++) {
    char err[128];
    idx_analyzer *an = idx_analyzer_new(an_cases[i].stemmer, NULL, err, sizeof err);
    CHECK(an_cases[i].id, an != NULL, "analyzer: %s", err);
    if (!an) continue;
    out_t o = {{0}, 0};
    CHECK_INT("analyze-rc-2", idx_analyze(an, an_cases[i].in, (int)strlen(an_cases[i].in), 0, on_term, &o), 0);
    CHECK_STR(an_cases[i].id, o.buf, an_cases[i].want);
    idx_analyzer_free(an);
  }
  {
    char err[128];
    idx_analyzer *an = idx_analyzer_new("porter", NULL, err, sizeof err);
    CHECK("unknown-stemmer", an == NULL && strstr(err, "porter"), "err=%s", err);
    /* A long word passes through unstemmed. */
    an = idx_analyzer_new("snowball", NULL, err, sizeof err);
    char w[200];
    memset(w, 'b', sizeof w);
    memcpy(w, "mem", 3);
    memcpy(w + sizeof w - 3, "kan", 3);
    out_t o = {{0}, 0};
    CHECK_INT("analyze-rc-3", idx_analyze(an, w, (int)sizeof w, 0, on_term, &o), 0);
    CHECK("overlong-unstemmed", strncmp(o.buf, "mem", 3) == 0 &&
          strstr(o.buf, "kan@0:200"), "got %.20s", o.buf);
    /* Surface forms follow each word's first term, colocated. */
    static const struct {
      const char *id, *in;
      int flags;
      const char *want;
    } sf[] = {
        {"surface", "Warga BERKUMPUL", IDX_SURFACE,
         "warga@0:5 +=warga@0:5 kumpul@6:15 +=berkumpul@6:15"},
        {"surface-redup", "anak-anak", IDX_SURFACE, "anak@0:9 +=anak-anak@0:9"},
        {"surface-compound", "Jakarta-Bandung", IDX_SURFACE,
         "jakarta@0:7 +=jakarta-bandung@0:7 bandung@8:15"},
        {"surface-query", "Berkumpul anak-anak", IDX_SURFACE_QUERY,
         "=berkumpul@0:9 =anak-anak@10:19"},
    };
    for (size_t i = 0; i < sizeof sf / sizeof *sf; i++) {
      out_t so = {{0}, 0};
      CHECK_INT("analyze-rc-4", idx_analyze(an, sf[i].in, (int)strlen(sf[i].in), sf[i].flags, on_term, &so), 0);
      CHECK_STR(sf[i].id, so.buf, sf[i].want);
    }
    /* Prefix queries are not stemmed. */
    out_t p = {{0}, 0};
    CHECK_INT("analyze-rc-5", idx_analyze(an, "berkumpul", 9, IDX_NOSTEM, on_term, &p), 0);
    CHECK_STR("nostem", p.buf, "berkumpul@0:9");
    idx_analyzer_free(an);
  }
  {
    size_t bad = 0;
    CHECK_INT("utf8-valid", idx_utf8_valid("caf\xC3\xA9", 5, &bad), 1);
    CHECK_INT("utf8-invalid", idx_utf8_valid("ab\xC3(", 4, &bad), 0);
    CHECK_INT("utf8-bad-offset", bad, 2);
    CHECK_INT("utf8-truncated", idx_utf8_valid("ab\xE2\x80", 4, &bad), 0);
  }
  return test_report("tokenize");
}
