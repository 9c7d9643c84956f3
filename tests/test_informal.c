/*
** test_informal.c — informal Indonesian (stemmer-id/informal.c and the
** analyzer's colocated readings), table-driven by phenomenon: each row is a
** word as the analyzer's stem gives it and the reading expected ("" for
** none), and whether the reading is sure (replaces the word). Negatives are
** formal words and names that look informal and must keep no reading. Then
** the analyzer's terms per word ("kumpul|ngumpul": the first term, then the
** colocated ones), with the informal readings on ("cari") and off
** ("cari_formal"). Uses Debian's hunspell-id and the lists of stemmer-id/.
*/
#include "indexer.h"
#include "sid_int.h"
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXTRA "stemmer-id/roots_extra.txt"
#define EXC "stemmer-id/exceptions.tsv"

static const struct {
  const char *id, *word, *want;
  int sure; /* expected *sure when want is not "" */
} cases[] = {
    /* the bare nasal for meN- (consonant put back as meN- does) */
    {"nasal-ng-k", "ngumpul", "kumpul", 0},
    {"nasal-n-t", "nulis", "tulis", 0},
    {"nasal-ny-s", "nyapu", "sapu", 0},
    {"nasal-m-p", "mukul", "pukul", 0},
    {"nasal-ng-k-kopi", "ngopi", "kopi", 0},
    {"nasal-ng-vowel", "ngambil", "ambil", 0},
    {"nasal-n-tunggu", "nunggu", "tunggu", 0},
    {"nasal-ny-c", "nyari", "cari", 0},
    {"nasal-ny-c-coba", "nyoba", "coba", 0},
    {"nasal-with-vowel", "nyampe", "sampai", 0},
    /* nge- */
    {"nge-mono", "ngecat", "cat", 0},
    {"nge-in", "ngerjain", "kerja", 0},
    /* -in for -kan / -i, with or without di- or the nasal */
    {"in-vowel", "dengerin", "dengar", 0},
    {"di-in", "diajarin", "ajar", 0},
    {"nasal-in", "mikirin", "pikir", 0},
    {"nasal-in-i", "nemenin", "teman", 0},
    {"nasal-in-k", "ngumpulin", "kumpul", 0},
    {"bare-in", "daftarin", "daftar", 0},
    {"in-after-vowel", "matiin", "mati", 0},
    {"meN-in", "mengajarin", "ajar", 0},
    /* ke- for ter- */
    {"ke-ter-vowel", "keinget", "ingat", 0},
    /* the spoken vowel */
    {"e-a-closed", "dapet", "dapat", 0},
    {"e-a-cepet", "cepet", "cepat", 0},
    {"e-a-suffixed", "cepetan", "cepat", 0},
    {"e-ai", "sampe", "sampai", 0},
    {"e-ai-pake", "pake", "pakai", 0},
    {"e-ai-di", "dipake", "pakai", 0},
    {"e-ai-rame", "rame", "ramai", 0},
    {"o-au-table", "kalo", "kalau", 1},
    {"e-a-malem", "malem", "malam", 0},
    /* letters repeated for emphasis */
    {"repeat-3", "mantaaap", "mantap", 1},
    {"repeat-3-table", "bangeeet", "sangat", 0},
    {"repeat-final-double", "yaa", "ya", 0},
    {"repeat-2-kept", "siiip", "sip", 1},
    /* the table: negation */
    {"neg-gak", "gak", "tidak", 1},
    {"neg-ga", "ga", "tidak", 0},
    {"neg-nggak", "nggak", "tidak", 1},
    {"neg-enggak", "enggak", "tidak", 1},
    {"neg-kagak", "kagak", "tidak", 1},
    {"neg-tdk", "tdk", "tidak", 1},
    /* the table: abbreviations and clippings */
    {"abbr-yg", "yg", "yang", 1},
    {"abbr-dgn", "dgn", "dengan", 1},
    {"abbr-utk", "utk", "untuk", 1},
    {"abbr-sdh", "sdh", "sudah", 1},
    {"clip-udah", "udah", "sudah", 1},
    {"abbr-udh", "udh", "sudah", 1},
    {"abbr-blm", "blm", "belum", 1},
    {"abbr-krn", "krn", "karena", 1},
    {"abbr-jg", "jg", "juga", 1},
    {"abbr-tp", "tp", "tetapi", 1},
    {"abbr-bgt", "bgt", "sangat", 1},
    /* the table: other words */
    {"word-gimana", "gimana", "bagaimana", 1},
    {"word-bikin", "bikin", "buat", 0},
    {"word-gue", "gue", "saya", 1},
    {"word-gw", "gw", "saya", 1},
    {"word-gua-cave", "gua", "saya", 0},
    {"word-dr-doctor", "dr", "dari", 0},
    /* the negation fused to its word: the word's reading */
    {"fused-gabisa", "gabisa", "bisa", 0},
    {"fused-gatau", "gatau", "tahu", 0},
    {"fused-gaktau", "gaktau", "tahu", 0},
    {"not-fused-garam", "garam", "", 0},
    {"not-fused-gaji", "gaji", "", 0},
    {"not-fused-gagal", "gagal", "", 0},
    {"slang-lemot", "lemot", "lambat", 1},
    /* negatives: formal words that look informal */
    {"not-kepala", "kepala", "", 0},
    {"not-pintu", "pintu", "", 0},
    {"not-nyata", "nyata", "", 0},
    {"not-ngeri", "ngeri", "", 0},
    {"not-sampel", "sampel", "", 0},
    {"not-kalori", "kalori", "", 0},
    {"not-dapur", "dapur", "", 0},
    {"not-in-ingin", "ingin", "", 0},
    {"not-in-main", "main", "", 0},
    {"not-in-kain", "kain", "", 0},
    {"not-in-angin", "angin", "", 0},
    {"not-in-dingin", "dingin", "", 0},
    {"not-in-yakin", "yakin", "", 0},
    {"not-in-lain", "lain", "", 0},
    {"not-in-cermin", "cermin", "", 0},
    {"not-ke-mana", "mana", "", 0},
    {"not-ke-kecil", "kecil", "", 0},
    {"not-ke-kelas", "kelas", "", 0},
    {"not-double-maaf", "maaf", "", 0},
    {"not-name-jakarta", "jakarta", "", 0},
    {"not-name-soekarno", "soekarno", "", 0},
    {"not-digits", "covid19", "", 0},
    {"not-short", "n", "", 0},
};

static int test_words(sid_stemmer *st) {
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char out[SID_MAX_WORD + 1];
    int sure = -1;
    int k = sid_informal(st, cases[i].word, -1, out, sizeof out, &sure);
    CHECK(cases[i].id, k >= 0 && k < (int)sizeof out, "%s: length %d",
          cases[i].word, k);
    if (k < 0 || k >= (int)sizeof out) continue;
    out[k] = 0;
    CHECK_STR(cases[i].id, out, cases[i].want);
    if (cases[i].want[0]) CHECK_INT(cases[i].id, sure, cases[i].sure);
    else CHECK_INT(cases[i].id, sure, 0);
  }
  return 0;
}

/* The API's contract: NULLs, a buffer too small, the table's order. */
static void test_contract(sid_stemmer *st) {
  char out[4];
  CHECK_INT("null-st", sid_informal(NULL, "yg", 2, out, 4, NULL), -1);
  CHECK_INT("null-w", sid_informal(st, NULL, 2, out, 4, NULL), -1);
  memcpy(out, "xyz", 4);
  int k = sid_informal(st, "gimana", -1, out, 4, NULL);
  CHECK_INT("small-cap-len", k, 9);
  CHECK_STR("small-cap-untouched", out, "xyz");
  CHECK_INT("table-sorted", sid_informal_table_ok(), 0);
  char whole[SID_MAX_WORD + 1];
  k = sid_informal_whole(st, "pesen", -1, whole, sizeof whole);
  CHECK("whole-pesen", k == 5 && memcmp(whole, "pesan", 5) == 0, "%d", k);
  CHECK_INT("whole-known-word", sid_informal_whole(st, "pesan", -1, whole, sizeof whole), 0);
  CHECK_INT("whole-no-variant", sid_informal_whole(st, "rumah", -1, whole, sizeof whole), 0);
  CHECK_INT("whole-null", sid_informal_whole(NULL, "pesen", -1, whole, 8), -1);
  int sure = -1;
  CHECK_STR("word-yg", sid_informal_word("yg", 2, &sure), "yang");
  CHECK_INT("word-yg-sure", sure, 1);
  CHECK("word-none", sid_informal_word("rumah", 5, NULL) == NULL, "rumah has a reading");
  char big[SID_MAX_WORD + 10];
  memset(big, 'a', sizeof big);
  CHECK_INT("too-long", sid_informal(st, big, (int)sizeof big, NULL, 0, NULL), 0);
}

/* The analyzer's terms per word: "term|colocated" per word, words
** separated by spaces. */
typedef struct {
  char buf[1024];
  size_t n;
  int start;
} terms_t;

static int on_term(void *ctx, const char *t, int n, int s, int e, int colo) {
  terms_t *o = ctx;
  (void)e;
  const char *sep = !o->n ? "" : colo ? "|" : " ";
  int k = snprintf(o->buf + o->n, sizeof o->buf - o->n, "%s%s%.*s", sep,
                   colo && s != o->start ? "?" : "", n, t);
  if (k > 0 && o->n + (size_t)k < sizeof o->buf) o->n += (size_t)k;
  o->start = s;
  return 0;
}

static const struct {
  const char *id, *stemmer, *in, *want;
} an_cases[] = {
    {"an-nasal", "cari", "ngumpul", "kumpul|ngumpul"},
    {"an-seed-sentence", "cari", "setiap ngumpul, ada sekitar 50 orang",
     "tiap kumpul|ngumpul ada sekitar 50 orang"},
    {"an-sure", "cari", "yg udah", "yang sudah"},
    {"an-formal-kept", "cari", "berkumpul kepala", "kumpul kepala"},
    {"an-nya", "cari", "dapetnya", "dapat|dapet"},
    {"an-redup-2", "cari", "bener2", "benar|bener"},
    {"an-redup-hyphen", "cari", "ngumpul-ngumpul", "kumpul|ngumpul"},
    {"an-compound", "cari", "nulis-baca", "tulis|nulis baca"},
    {"an-repeat", "cari", "mantaaap", "mantap"},
    {"an-whole-vowel", "cari", "pesen seneng", "pesan senang"},
    {"an-whole-formal", "cari", "pemesanan sebelum", "pesan belum"},
    {"an-off", "cari_formal", "ngumpul yg", "ngumpul yg"},
    {"an-snowball-off", "snowball", "yg", "yg"},
};

static void test_analyzer(const sid_lexicon *lx) {
  for (size_t i = 0; i < sizeof an_cases / sizeof an_cases[0]; i++) {
    char err[256];
    idx_analyzer *an = idx_analyzer_new(an_cases[i].stemmer, lx, err, sizeof err);
    CHECK(an_cases[i].id, an != NULL, "analyzer: %s", err);
    if (!an) continue;
    /* Twice: the second pass is answered by the stem cache. */
    for (int pass = 0; pass < 2; pass++) {
      terms_t o;
      memset(&o, 0, sizeof o);
      int rc = idx_analyze(an, an_cases[i].in, (int)strlen(an_cases[i].in), 0,
                           on_term, &o);
      CHECK_INT(an_cases[i].id, rc, 0);
      CHECK_STR(an_cases[i].id, o.buf, an_cases[i].want);
    }
    idx_analyzer_free(an);
  }
  char err[256];
  CHECK("name-known", idx_stemmer_known("cari_formal"), "cari_formal unknown");
  CHECK("name-lexical", idx_stemmer_lexical("cari_formal") &&
        idx_stemmer_lexical("cari") && !idx_stemmer_lexical("snowball"),
        "idx_stemmer_lexical");
  idx_analyzer *an = idx_analyzer_new("cari_formal", lx, err, sizeof err);
  CHECK("name-canonical", an && strcmp(idx_analyzer_stemmer(an), "cari_formal") == 0,
        "canonical name");
  idx_analyzer_free(an);
}

int main(void) {
  char err[256];
  sid_lexicon *lx = sid_lexicon_load(SID_DEFAULT_DIC, EXTRA, EXC, err, sizeof err);
  CHECK("lexicon", lx != NULL, "%s", err);
  if (!lx) return test_report("informal");
  sid_stemmer *st = sid_new(lx);
  CHECK("stemmer", st != NULL, "sid_new");
  if (st) {
    test_words(st);
    test_contract(st);
  }
  test_analyzer(lx);
  sid_free(st);
  sid_lexicon_free(lx);
  return test_report("informal");
}
