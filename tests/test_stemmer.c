/*
** test_stemmer.c — cari's Indonesian stemmer (stemmer-id/) on its own:
** a table of hard cases by class, a golden word list diffed line by line
** (tests/data/stemmer/golden.tsv), and the API's contract (buffers, long
** and odd input, load errors, checksum). Uses Debian's hunspell-id
** dictionary and the lexicon files shipped in stemmer-id/.
*/
#include "stemmer_id.h"
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DIC SID_DEFAULT_DIC
#define EXTRA "stemmer-id/roots_extra.txt"
#define EXC "stemmer-id/exceptions.tsv"
#define GOLDEN "tests/data/stemmer/golden.tsv"

static const struct {
  const char *id, *word, *want;
} cases[] = {
    /* meN-/peN- with the swallowed consonant put back */
    {"restore-t", "menulis", "tulis"},
    {"restore-k", "mengirim", "kirim"},
    {"restore-p", "memukul", "pukul"},
    {"restore-s", "menyapu", "sapu"},
    {"restore-sy", "penyair", "syair"},
    {"peny-nyanyi", "penyanyi", "nyanyi"},
    {"me-m-root", "memasuki", "masuk"},
    {"me-n-root", "menanti", "nanti"},
    {"me-ny-root", "menyala", "nyala"},
    {"meng-vowel", "mengambil", "ambil"},
    {"menge-mono", "mengebom", "bom"},
    {"penge-mono", "pengecatan", "cat"},
    {"mem-p-kept", "mempunyai", "punya"},
    {"meng-k-kept", "mengkritik", "kritik"},
    {"mens-sy", "mensyukuri", "syukur"},
    {"sinar-not-sari", "menyinari", "sinar"},
    /* confixes and their constraints */
    {"ke-an", "kedudukan", "duduk"},
    {"ke-an-ada", "keberadaan", "ada"},
    {"peN-an", "pendidikan", "didik"},
    {"per-an", "pertanian", "tani"},
    {"pe-r-an", "perasaan", "rasa"},
    {"se-not-se-i", "senilai", "nilai"},
    {"di-kan", "dilakukan", "laku"},
    {"me-kan", "merupakan", "rupa"},
    {"me-i", "mewarnai", "warna"},
    {"ber-an", "berdatangan", "datang"},
    {"mencapai-not-capa", "mencapai", "capai"},
    /* stacks */
    {"memper-i", "memperbaiki", "baik"},
    {"memper-kan", "mempertanyakan", "tanya"},
    {"diper-kan", "diperkirakan", "kira"},
    {"member-kan", "memberdayakan", "daya"},
    {"diber-kan", "diberlakukan", "laku"},
    {"keber-an", "keberhasilan", "hasil"},
    {"kepeN-an", "kepemimpinan", "pimpin"},
    {"berpeN-an", "berpengalaman", "alam"},
    {"mempe-C", "mempekerjakan", "kerja"},
    {"bersi", "bersitegang", "tegang"},
    {"me-ke", "mengemukakan", "muka"},
    /* ber-/be-/bel-, ter-/te- */
    {"be-Cer", "bekerja", "kerja"},
    {"be-r-root", "berencana", "rencana"},
    {"bel-ajar", "belajar", "ajar"},
    {"ter-ada", "berada", "ada"},
    {"te-r-root", "terasa", "rasa"},
    {"te-Cer", "tepercaya", "percaya"},
    /* particles, possessives, proclitics */
    {"nya", "rumahnya", "rumah"},
    {"ku", "bukuku", "buku"},
    {"mu", "bajumu", "baju"},
    {"lah", "bacalah", "baca"},
    {"kah", "bukankah", "bukan"},
    {"pun", "diapun", "dia"},
    {"tah", "siapatah", "siapa"},
    {"nya-lah", "dialah", "dia"},
    {"ku-proclitic", "kuambil", "ambil"},
    {"kau-proclitic", "kaubawa", "bawa"},
    {"kuper", "kuperbaiki", "baik"},
    {"hyphen-nya", "rahmat-nya", "rahmat"},
    {"particle-not-root-end", "menikah", "nikah"},
    /* Snowball's and Sastrawi's well-known misses */
    {"berikan", "berikan", "beri"},
    {"relawan", "relawan", "rela"},
    {"bekasi", "bekasi", "bekasi"},
    {"perempuan", "perempuan", "perempuan"},
    {"perempuannya", "perempuannya", "perempuan"},
    {"tanya", "tanya", "tanya"},
    {"sekolah", "sekolah", "sekolah"},
    {"bersekolah", "bersekolah", "sekolah"},
    {"mengatakan", "mengatakan", "kata"},
    /* roots that look affixed stay whole */
    {"root-beri", "beri", "beri"},
    {"root-pantai", "pantai", "pantai"},
    {"root-kemudian", "kemudian", "kemudian"},
    {"root-pesawat", "pesawat", "pesawat"},
    {"root-berita", "berita", "berita"},
    {"root-menteri", "menteri", "menteri"},
    {"root-sampai", "sampai", "sampai"},
    /* -wan -isme -isasi -itas, only onto a root */
    {"wan", "relawannya", "rela"},
    {"wan-kimia", "kimiawan", "kimia"},
    {"isme-root", "nasionalisme", "nasionalisme"},
    /* classes of misses seen in real text (issue 13) */
    {"per-an-k-root", "perbankan", "bank"},
    {"per-an-k-root-nya", "persajakannya", "sajak"},
    {"memper-kan-kept", "memperkenalkan", "kenal"},
    {"diper-kan-kept", "diperdagangkan", "dagang"},
    {"se-look-alike", "selasa", "selasa"},
    {"se-short-rare-root", "seong", "seong"},
    {"se-measure-word", "sebotol", "botol"},
    {"se-common", "sebesar", "besar"},
    {"kah-question", "apakah", "apa"},
    {"kah-siapa", "siapakah", "siapa"},
    {"kah-bagaimana", "bagaimanakah", "bagaimana"},
    {"kah-ada", "adakah", "ada"},
    {"kah-root-nikah", "nikah", "nikah"},
    {"kah-root-langkah", "langkah", "langkah"},
    {"ber-lexicon-root", "berlaku", "laku"},
    {"ber-vowel-root-whole", "berangkat", "berangkat"},
    {"ber-vowel-root-beranda", "beranda", "beranda"},
    {"ber-name", "bermuda", "bermuda"},
    {"wati-name", "indrawati", "indrawati"},
    {"wati-name-mega", "megawati", "megawati"},
    /* infixes (lexicalised: exceptions.tsv) and partial reduplication */
    {"infix-em", "gemetar", "getar"},
    {"infix-el", "telunjuk", "tunjuk"},
    {"infix-er", "gerigi", "gigi"},
    {"infix-affixed", "gemetarnya", "getar"},
    {"infix-in", "kinerja", "kerja"},
    {"dwipurwa", "pepohonan", "pohon"},
    /* reduplication */
    {"redup", "anak-anak", "anak"},
    {"redup-affixed", "berkumpul-kumpul", "kumpul"},
    {"redup-nya", "anak-anaknya", "anak"},
    {"redup-me", "tolong-menolong", "tolong"},
    {"redup-se-nya", "sebaik-baiknya", "baik"},
    {"redup-an", "bersalam-salaman", "salam"},
    {"redup-rhyme", "sayur-mayur", "sayur-mayur"},
    {"redup-rhyme-lexicon", "warna-warni", "warna-warni"},
    {"redup-vowel-change", "gerak-gerik", "gerak"},
    {"redup-2", "rumah2", "rumah"},
    {"redup-2-nya", "anak2nya", "anak"},
    {"redup-2-affixed", "berlari2an", "lari"},
    {"compound", "jakarta-bandung", "jakarta-bandung"},
    {"compound-stems", "ibu-bapaknya", "ibu-bapak"},
    {"compound-digits", "covid-19", "covid-19"},
    /* names and unknown words: the fallback */
    {"name-jakarta", "jakarta", "jakarta"},
    {"name-soekarno", "soekarno", "soekarno"},
    {"name-medan", "medan", "medan"},
    {"name-indonesia", "indonesia", "indonesia"},
    {"name-maluku", "maluku", "maluku"},
    {"name-bali", "bali", "bali"},
    {"name-abdullah", "abdullah", "abdullah"},
    {"unknown-nya", "inputnya", "input"},
    {"unknown-di", "didownload", "didownload"},
    {"unknown-hyphen-lah", "dumbledore-lah", "dumbledore"},
    {"capitals-folded", "Menulis", "tulis"},
};

static sid_lexicon *load(void) {
  char err[256];
  sid_lexicon *lx = sid_lexicon_load(DIC, EXTRA, EXC, err, sizeof err);
  CHECK("load", lx != NULL, "sid_lexicon_load: %s", err);
  return lx;
}

static void test_cases(sid_stemmer *st) {
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char out[SID_MAX_WORD * 2 + 8];
    int k = sid_stem(st, cases[i].word, -1, out, (int)sizeof out);
    if (k < 0 || k >= (int)sizeof out) k = 0;
    out[k] = 0;
    CHECK(cases[i].id, strcmp(out, cases[i].want) == 0,
          "%s: got \"%s\", want \"%s\"", cases[i].word, out, cases[i].want);
  }
}

/* The golden list: every line compared, each mismatch reported with its
** line number, as a diff would. */
static void test_golden(sid_stemmer *st) {
  FILE *f = fopen(GOLDEN, "r");
  CHECK("golden-open", f != NULL, "cannot open %s", GOLDEN);
  if (!f) return;
  char line[512], out[SID_MAX_WORD * 2 + 8], id[64];
  int lineno = 0, rows = 0, bad = 0;
  while (fgets(line, sizeof line, f)) {
    lineno++;
    line[strcspn(line, "\r\n")] = 0;
    if (line[0] == '#' || line[0] == 0) continue;
    char *tab = strchr(line, '\t');
    snprintf(id, sizeof id, "%s:%d", GOLDEN, lineno);
    if (!tab) {
      T_FAIL(id, "no tab in \"%s\"", line);
      continue;
    }
    *tab = 0;
    rows++;
    int k = sid_stem(st, line, (int)strlen(line), out, (int)sizeof out);
    if (k < 0 || k >= (int)sizeof out) k = 0;
    out[k] = 0;
    if (strcmp(out, tab + 1) != 0) {
      bad++;
      T_FAIL(id, "-%s\t%s\n+%s\t%s", line, tab + 1, line, out);
    }
  }
  fclose(f);
  CHECK("golden-size", rows >= 300, "only %d rows", rows);
  if (bad == 0) test_passed++;
}

static void test_buffers(sid_stemmer *st) {
  char out[64];
  memset(out, 'x', sizeof out);
  /* Too small: the size needed comes back and out is untouched. */
  int k = sid_stem(st, "menulis", 7, out, 4);
  CHECK_INT("small-size", k, 5);
  CHECK("small-untouched", out[0] == 'x' && out[4] == 'x', "out written");
  /* Exactly the size: no NUL, nothing past cap. */
  k = sid_stem(st, "menulis", 7, out, 5);
  CHECK_INT("exact-size", k, 5);
  CHECK("exact-bytes", memcmp(out, "tulis", 5) == 0 && out[5] == 'x',
        "got %.6s", out);
  k = sid_stem(st, "menulis", 7, out, 6);
  CHECK("nul-when-room", k == 5 && out[5] == 0, "k=%d", k);
  /* cap 0 and NULL out: a size query. */
  CHECK_INT("size-query", sid_stem(st, "menulis", 7, NULL, 0), 5);
  /* Not NUL-terminated input: only n bytes are read. */
  k = sid_stem(st, "rumahnyaXYZ", 8, out, (int)sizeof out);
  CHECK("n-bytes", k == 5 && memcmp(out, "rumah", 5) == 0, "k=%d %.*s", k,
        k > 0 ? k : 0, out);
}

static void test_odd_input(sid_stemmer *st) {
  char out[256], longw[200];
  /* Longer than SID_MAX_WORD: unchanged, even if it looks affixed. */
  memset(longw, 'a', sizeof longw);
  memcpy(longw, "menulis", 7);
  int k = sid_stem(st, longw, SID_MAX_WORD + 1, out, (int)sizeof out);
  CHECK("long-unchanged", k == SID_MAX_WORD + 1 &&
            memcmp(out, longw, (size_t)k) == 0, "k=%d", k);
  k = sid_stem(st, longw, SID_MAX_WORD + 1, out, 10);
  CHECK_INT("long-size", k, SID_MAX_WORD + 1);
  CHECK_INT("empty", sid_stem(st, "", 0, out, (int)sizeof out), 0);
  CHECK_INT("empty-nul", sid_stem(st, "", -1, out, (int)sizeof out), 0);
  k = sid_stem(st, "2024", 4, out, (int)sizeof out);
  CHECK("no-letters", k == 4 && memcmp(out, "2024", 4) == 0, "k=%d", k);
  k = sid_stem(st, "---", 3, out, (int)sizeof out);
  CHECK("hyphens-only", k == 3 && memcmp(out, "---", 3) == 0, "k=%d", k);
  k = sid_stem(st, "covid19nya", 10, out, (int)sizeof out);
  CHECK("digits-unchanged", k == 10, "k=%d", k);
  k = sid_stem(st, "anak-", 5, out, (int)sizeof out);
  CHECK("hyphen-edge", k == 5 && memcmp(out, "anak-", 5) == 0, "k=%d", k);
  k = sid_stem(st, "café", -1, out, (int)sizeof out);
  CHECK("utf8-letters", k == (int)strlen("café"), "k=%d", k);
  CHECK_INT("null-stemmer", sid_stem(NULL, "kata", 4, out, 10), -1);
  CHECK_INT("null-word", sid_stem(st, NULL, 4, out, 10), -1);
  /* Invalid bytes and every byte value: no crash, a sane length. */
  unsigned char junk[SID_MAX_WORD];
  unsigned seed = 12345;
  int sane = 1;
  for (int round = 0; round < 20000; round++) {
    int n = (int)(seed % SID_MAX_WORD) + 1;
    for (int i = 0; i < n; i++) {
      seed = seed * 1103515245u + 12345u;
      unsigned r = seed >> 16;
      /* Mostly letters and affix material, some hyphens, digits, junk. */
      junk[i] = r % 10 < 7 ? (unsigned char)"meng-ber2ikanyalh"[r % 17]
                           : (unsigned char)(r % 256);
    }
    k = sid_stem(st, (const char *)junk, n, out, (int)sizeof out);
    if (k < 0 || k > 2 * SID_MAX_WORD + 1) sane = 0;
    seed = seed * 1103515245u + 12345u;
  }
  CHECK("fuzz", sane, "a length out of range");
}

static void test_lexicon(void) {
  char err[256] = "";
  sid_lexicon *lx = sid_lexicon_load("/nonexistent/id_ID.dic", NULL, NULL, err,
                                     sizeof err);
  CHECK("missing-dic", lx == NULL && strstr(err, "/nonexistent/id_ID.dic") &&
            strstr(err, "cannot open"), "err=\"%s\"", err);
  lx = sid_lexicon_load(DIC, "/nonexistent/extra.txt", NULL, err, sizeof err);
  CHECK("missing-extra", lx == NULL && strstr(err, "extra.txt"), "err=\"%s\"",
        err);
  CHECK("null-dic", sid_lexicon_load(NULL, NULL, NULL, NULL, 0) == NULL,
        "loaded without a path");
  sid_lexicon_free(NULL);
  sid_free(NULL);
  CHECK("new-null", sid_new(NULL) == NULL, "stemmer without lexicon");

  /* A tiny dictionary of our own, with exceptions, in a temp file. */
  char dic[] = "/tmp/sid_test_dicXXXXXX", exc[] = "/tmp/sid_test_excXXXXXX";
  int fd = mkstemp(dic), fe = mkstemp(exc);
  CHECK("mkstemp", fd >= 0 && fe >= 0, "mkstemp failed");
  if (fd < 0 || fe < 0) return;
  FILE *f = fdopen(fd, "w");
  fputs("4\ntulis/M0\nJakarta\nber-\nbuku \n", f);
  fclose(f);
  f = fdopen(fe, "w");
  fputs("# comment\n\ngemetar\tgetar\nbekasi\n", f);
  fclose(f);
  lx = sid_lexicon_load(dic, NULL, exc, err, sizeof err);
  CHECK("tiny-load", lx != NULL, "err=\"%s\"", err);
  if (lx) {
    CHECK_INT("tiny-count", sid_lexicon_count(lx), 5);
    CHECK("has-lower", sid_lexicon_has(lx, "jakarta", 7), "Jakarta not folded");
    CHECK("no-affix-entry", !sid_lexicon_has(lx, "ber-", 4), "ber- loaded");
    CHECK("trimmed", sid_lexicon_has(lx, "buku", 4), "trailing blank kept");
    const char *sum = sid_lexicon_checksum(lx);
    int hex = strlen(sum) == 16;
    for (int i = 0; sum[i]; i++)
      hex &= (sum[i] >= '0' && sum[i] <= '9') || (sum[i] >= 'a' && sum[i] <= 'f');
    CHECK("checksum-hex", hex, "checksum \"%s\"", sum);
    sid_stemmer *st = sid_new(lx);
    char out[64];
    int k = sid_stem(st, "menulisnya", -1, out, (int)sizeof out);
    CHECK_STR("tiny-stem", k == 5 ? out : "", "tulis");
    k = sid_stem(st, "gemetar", -1, out, (int)sizeof out);
    CHECK_STR("tiny-alias", k == 5 ? out : "", "getar");
    k = sid_stem(st, "bekasinya", -1, out, (int)sizeof out);
    CHECK_STR("tiny-nostem", k == 6 ? out : "", "bekasi");
    sid_free(st);
    /* Same content, another order: same checksum; other content: not. */
    sid_lexicon *lx2 = sid_lexicon_load(dic, NULL, NULL, err, sizeof err);
    CHECK("checksum-exceptions", lx2 && strcmp(sid_lexicon_checksum(lx2), sum) != 0,
          "exceptions not in the checksum");
    sid_lexicon_free(lx2);
    f = fopen(dic, "w");
    fputs("4\nbuku\nber-\nJakarta\ntulis\n", f);
    fclose(f);
    lx2 = sid_lexicon_load(dic, NULL, exc, err, sizeof err);
    CHECK("checksum-order", lx2 && strcmp(sid_lexicon_checksum(lx2), sum) == 0,
          "order changed the checksum");
    sid_lexicon_free(lx2);
    sid_lexicon_free(lx);
  }
  /* A bad exceptions line names the file and line. */
  f = fopen(exc, "w");
  fputs("ok\tok\nbad word\tx\n", f);
  fclose(f);
  lx = sid_lexicon_load(dic, NULL, exc, err, sizeof err);
  CHECK("bad-line", lx == NULL && strstr(err, ":2:"), "err=\"%s\"", err);
  sid_lexicon_free(lx);
  unlink(dic);
  unlink(exc);
}

/* Two stemmers on one lexicon: independent scratch, same answers. */
static void test_shared(sid_lexicon *lx) {
  sid_stemmer *a = sid_new(lx), *b = sid_new(lx);
  char oa[64], ob[64];
  int ka = sid_stem(a, "pembangunan", -1, oa, (int)sizeof oa);
  int kb = sid_stem(b, "kebersamaan", -1, ob, (int)sizeof ob);
  CHECK("shared-a", ka == 6 && memcmp(oa, "bangun", 6) == 0, "%.*s", ka, oa);
  CHECK("shared-b", kb == 4 && memcmp(ob, "sama", 4) == 0, "%.*s", kb, ob);
  sid_free(a);
  sid_free(b);
}

int main(void) {
  sid_lexicon *lx = load();
  if (lx) {
    sid_stemmer *st = sid_new(lx);
    CHECK("new", st != NULL, "sid_new failed");
    if (st) {
      test_cases(st);
      test_golden(st);
      test_buffers(st);
      test_odd_input(st);
      sid_free(st);
    }
    test_shared(lx);
    sid_lexicon_free(lx);
  }
  test_lexicon();
  return test_report("stemmer");
}
