/*
** informal.c — informal Indonesian read as formal roots: the lexical and
** abbreviated forms of a table of our own (yg, gak, udah, gimana), letters
** repeated for emphasis (bangeeet, yaa), and colloquial morphology checked
** against the lexicon the way stem.c checks its analyses: the bare nasal
** prefix for meN- (ngumpul, nulis, nyapu, nyari, mukul, ngecat), the suffix
** -in for -kan/-i (dengerin, diajarin, mikirin, nemenin), ke- for ter-
** (kesedot), and the vowel of a closed last syllable or a diphthong spoken
** plain (dapet, cepet, sampe, pake, kalo).
**
** Each reading is a candidate formal word handed to the stemmer; it counts
** only when the stemmer finds it a root in the lexicon. A word the lexicon
** knows is never read informally (kepala, nyata, ngeri, ingin, main), except
** through the table. It does not correct typing errors and knows no
** synonyms; the analyzer decides what to index (indexer/analyzer.c).
*/
#include "sid_int.h"

#include <stdlib.h>
#include <string.h>

/*
** THE TABLE: informal forms whose formal word no rule derives: clippings
** (udah, emang), other words (gue, bikin), and the abbreviations of chat
** and comments (yg, dgn, utk). Written for this project from the language;
** the frequent forms of customer-service tweets and of a collection of
** Twitter's colloquial words were used to find which forms matter and to
** check the readings. `sure`: the form is nothing but an informal spelling,
** so its reading replaces it; otherwise (0) it is also a word, a name or
** an abbreviation of something else (gua: cave; dr: doctor; tau: the
** letter), and both are indexed. The formal side is one word; forms that
** stand for two (gausah, makasih) are left out or read as their content
** word. Sorted by form (bsearch; a test checks the order).
*/
typedef struct {
  const char *form, *formal;
  int sure;
} inf_entry;

static const inf_entry table[] = {
    {"abis", "habis", 1},      {"aj", "saja", 1},
    {"aja", "saja", 1},        {"ajah", "saja", 1},
    {"ak", "aku", 0},          {"ama", "sama", 0},
    {"ampe", "sampai", 1},     {"ane", "saya", 0},
    {"aq", "aku", 1},          {"bakal", "akan", 0},
    {"banget", "sangat", 0},   {"bbrp", "beberapa", 1},
    {"belom", "belum", 1},     {"belon", "belum", 1},
    {"bentar", "sebentar", 1}, {"bgt", "sangat", 1},
    {"bikin", "buat", 0},      {"bkn", "bukan", 1},
    {"blh", "boleh", 1},       {"blm", "belum", 1},
    {"blom", "belum", 1},      {"blum", "belum", 1},
    {"bnyk", "banyak", 1},     {"brp", "berapa", 1},
    {"bs", "bisa", 0},         {"bsa", "bisa", 1},
    {"byk", "banyak", 1},      {"cuma", "hanya", 0},
    {"cuman", "hanya", 1},     {"dah", "sudah", 0},
    {"dg", "dengan", 1},       {"dgn", "dengan", 1},
    {"dikasih", "beri", 0},    {"dlm", "dalam", 1},
    {"dng", "dengan", 1},      {"doang", "saja", 0},
    {"dpt", "dapat", 1},       {"dr", "dari", 0},
    {"dri", "dari", 1},        {"duit", "uang", 0},
    {"elo", "kamu", 0},        {"elu", "kamu", 1},
    {"emang", "memang", 1},    {"emg", "memang", 1},
    {"engga", "tidak", 1},     {"enggak", "tidak", 1},
    {"ente", "kamu", 0},       {"ga", "tidak", 0},
    {"gak", "tidak", 1},       {"gimana", "bagaimana", 1},
    {"gini", "begini", 1},     {"gitu", "begitu", 1},
    {"gk", "tidak", 1},        {"gmn", "bagaimana", 1},
    {"gmna", "bagaimana", 1},  {"gua", "saya", 0},
    {"gue", "saya", 1},        {"gw", "saya", 1},
    {"hrs", "harus", 1},       {"ilang", "hilang", 1},
    {"jd", "jadi", 1},         {"jdi", "jadi", 1},
    {"jg", "juga", 1},         {"jgn", "jangan", 1},
    {"kaga", "tidak", 1},      {"kagak", "tidak", 1},
    {"kalo", "kalau", 1},      {"karna", "karena", 1},
    {"kasian", "kasihan", 1},  {"kayak", "seperti", 0},
    {"kek", "seperti", 0},     {"kemaren", "kemarin", 1},
    {"kenapa", "mengapa", 0},  {"kl", "kalau", 0},
    {"klo", "kalau", 1},       {"kmaren", "kemarin", 1},
    {"kmrn", "kemarin", 1},    {"kmu", "kamu", 1},
    {"knp", "mengapa", 1},     {"kpd", "kepada", 1},
    {"kpn", "kapan", 1},       {"krn", "karena", 1},
    {"krna", "karena", 1},     {"kyk", "seperti", 1},
    {"lbh", "lebih", 1},       {"lemot", "lambat", 1},
    {"lg", "lagi", 1},         {"liat", "lihat", 1},
    {"lo", "kamu", 0},         {"lu", "kamu", 0},
    {"makasi", "kasih", 1},    {"makasih", "kasih", 1},
    {"mksd", "maksud", 1},     {"mksh", "kasih", 1},
    {"mmg", "memang", 1},      {"msh", "masih", 1},
    {"mulu", "melulu", 1},     {"napa", "mengapa", 0},
    {"nda", "tidak", 0},       {"ndak", "tidak", 0},
    {"ngak", "tidak", 1},      {"ngasih", "beri", 0},
    {"ngga", "tidak", 1},      {"nggak", "tidak", 1},
    {"ngk", "tidak", 1},       {"ni", "ini", 0},
    {"nih", "ini", 0},         {"nomer", "nomor", 1},
    {"ntar", "nanti", 1},      {"org", "orang", 1},
    {"pd", "pada", 0},         {"pdhl", "padahal", 1},
    {"pengen", "ingin", 1},    {"pgn", "ingin", 1},
    {"pingin", "ingin", 1},    {"respon", "respons", 0},
    {"sbg", "sebagai", 1},     {"sblm", "sebelum", 1},
    {"sdg", "sedang", 1},      {"sdh", "sudah", 1},
    {"sgt", "sangat", 1},      {"skrg", "sekarang", 1},
    {"skrng", "sekarang", 1},  {"sm", "sama", 0},
    {"sodara", "saudara", 1},  {"spt", "seperti", 1},
    {"stlh", "setelah", 1},    {"sy", "saya", 1},
    {"sya", "saya", 1},        {"tak", "tidak", 0},
    {"tau", "tahu", 0},        {"td", "tadi", 0},
    {"tdi", "tadi", 1},        {"tdk", "tidak", 1},
    {"telfon", "telepon", 1},  {"telpon", "telepon", 1},
    {"terimakasih", "kasih", 0}, {"tgl", "tanggal", 1},
    {"thd", "terhadap", 1},    {"tlg", "tolong", 1},
    {"tlp", "telepon", 1},     {"tp", "tetapi", 1},
    {"tpi", "tetapi", 1},      {"trimakasih", "kasih", 1},
    {"trs", "terus", 1},       {"trus", "terus", 1},
    {"tsb", "tersebut", 1},    {"ttg", "tentang", 1},
    {"ttp", "tetap", 1},       {"tuh", "itu", 0},
    {"udah", "sudah", 1},      {"udh", "sudah", 1},
    {"utk", "untuk", 1},       {"yg", "yang", 1},
};

#define NTABLE (sizeof table / sizeof table[0])

static int cmp_form(const void *key, const void *e) {
  const inf_entry *k = key, *x = e;
  return strcmp(k->form, x->form);
}

const char *sid_informal_word(const char *w, int n, int *sure) {
  char buf[16];
  if (!w || n <= 0 || n >= (int)sizeof buf) return NULL;
  memcpy(buf, w, (size_t)n);
  buf[n] = 0;
  inf_entry key = {buf, NULL, 0};
  const inf_entry *e = bsearch(&key, table, NTABLE, sizeof *table, cmp_form);
  if (e && sure) *sure = e->sure;
  return e ? e->formal : NULL;
}

int sid_informal_table_ok(void) {
  for (size_t i = 1; i < NTABLE; i++)
    if (strcmp(table[i - 1].form, table[i].form) >= 0) return (int)i;
  return 0;
}

/**************************************************************************
** Candidates
*/

static int is_vowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* A candidate formal word being built: at most SID_MAX_WORD bytes. */
typedef struct {
  char s[SID_MAX_WORD + 8];
  int n;
} cand;

static int join3(cand *c, const char *a, int na, const char *b, int nb,
               const char *d) {
  int nd = (int)strlen(d);
  if (na + nb + nd > SID_MAX_WORD) return 0;
  memcpy(c->s, a, (size_t)na);
  memcpy(c->s + na, b, (size_t)nb);
  memcpy(c->s + na + nb, d, (size_t)nd);
  c->n = na + nb + nd;
  return 1;
}

/*
** The spoken vowel put back: v[0] the word itself, then the last e of a
** closed syllable as a (dapet, cepetan, denger: the e of a final syllable
** after the first), a final e as ai (sampe, pake), a final o as au (kalo).
** Returns how many variants were written (1..3).
*/
static int variants(const char *w, int n, cand v[3]) {
  int k = 0;
  memcpy(v[0].s, w, (size_t)n);
  v[0].n = n;
  k = 1;
  int last = -1;
  for (int i = n - 2; i >= 2; i--)
    if (w[i] == 'e' && !is_vowel(w[i + 1])) {
      last = i;
      break;
    }
  if (last >= 0 && is_vowel(w[last - 1]) == 0) {
    v[k] = v[0];
    v[k].s[last] = 'a';
    k++;
  }
  if (n >= 3 && n + 1 <= SID_MAX_WORD && !is_vowel(w[n - 2]) &&
      (w[n - 1] == 'e' || w[n - 1] == 'o')) {
    memcpy(v[k].s, w, (size_t)n);
    v[k].s[n - 1] = 'a';
    v[k].s[n] = w[n - 1] == 'e' ? 'i' : 'u';
    v[k].n = n + 1;
    k++;
  }
  return k;
}

/* Does w start with the bare nasal of meN- before a vowel (ngumpul, nulis,
** nyapu, mukul) or nge- before a consonant (ngecat)? */
static int nasal_start(const char *w, int n) {
  if (n < 4) return 0;
  if (w[0] == 'n' && w[1] == 'g') return is_vowel(w[2]);
  if (w[0] == 'n' && w[1] == 'y') return is_vowel(w[2]);
  return (w[0] == 'n' || w[0] == 'm') && is_vowel(w[1]);
}

/* The reading found so far: the first, unless a later candidate reaches a
** preferred root where it reached a plain one (nyari: cari over sari). */
typedef struct {
  char root[SID_MAX_WORD + 8];
  int n, core;
} best;

static void offer(sid_stemmer *st, const cand *c, best *b) {
  char r[SID_MAX_WORD + 8];
  int core = 0;
  if (b->n && b->core) return;
  int k = sid_stem_known(st, c->s, c->n, r, &core);
  if (k < 3 || (b->n && !core)) return;
  memcpy(b->root, r, (size_t)k);
  b->n = k;
  b->core = core;
}

/* Colloquial morphology of w[0..n): the reading's root into b. */
static void morphology(sid_stemmer *st, const char *w, int n, best *b) {
  cand v[3], c;
  /* -in for -kan / -i: dengerin, diajarin, mikirin, nemenin, ngumpulin. */
  if (n >= 5 && w[n - 2] == 'i' && w[n - 1] == 'n') {
    int nv = variants(w, n - 2, v);
    for (int i = 0; i < nv && !(b->n && b->core); i++) {
      /* mikirin: memikirkan; mengajarin, diajarin, ajarin: as they are */
      if (nasal_start(v[i].s, v[i].n)) {
        if (join3(&c, "me", 2, v[i].s, v[i].n, "kan")) offer(st, &c, b);
        if (join3(&c, "me", 2, v[i].s, v[i].n, "i")) offer(st, &c, b);
      }
      if (join3(&c, "", 0, v[i].s, v[i].n, "kan")) offer(st, &c, b);
      if (join3(&c, "", 0, v[i].s, v[i].n, "i")) offer(st, &c, b);
    }
    if (b->n) return;
  }
  int nv = variants(w, n, v);
  /* The bare nasal: ngumpul is mengumpul, nulis menulis, nyapu menyapu;
  ** ny- also stands for c- (nyari: mencari, nyoba: mencoba). */
  if (nasal_start(w, n)) {
    for (int i = 0; i < nv; i++) {
      if (join3(&c, "me", 2, v[i].s, v[i].n, "")) offer(st, &c, b);
      if (v[i].s[0] == 'n' && v[i].s[1] == 'y' &&
          join3(&c, "menc", 4, v[i].s + 2, v[i].n - 2, ""))
        offer(st, &c, b);
    }
    if (b->n) return;
  }
  /* ke- for ter-: kesedot is tersedot. */
  if (n >= 6 && w[0] == 'k' && w[1] == 'e' && !is_vowel(w[2])) {
    for (int i = 0; i < nv; i++)
      if (join3(&c, "ter", 3, v[i].s + 2, v[i].n - 2, "")) offer(st, &c, b);
    if (b->n) return;
  }
  /* The vowel alone: dapet, cepetan, sampe, dipake, kalo. */
  for (int i = 1; i < nv; i++) offer(st, &v[i], b);
}

/* Runs of three or more of a letter (bangeeet, mantaaap) made one or two
** letters; the first that the lexicon or the table knows into out.
** Returns its length, 0 when none. */
static int squeeze(sid_stemmer *st, const char *w, int n, char *out) {
  for (int keep = 1; keep <= 2; keep++) {
    int m = 0, any = 0;
    for (int i = 0; i < n;) {
      int j = i;
      while (j < n && w[j] == w[i]) j++;
      int len = j - i, put = len >= 3 ? keep : len;
      any |= len >= 3;
      for (int x = 0; x < put; x++) out[m++] = w[i];
      i = j;
    }
    if (!any) return 0;
    if (sid_lexicon_has(sid_stemmer_lexicon(st), out, m) ||
        sid_informal_word(out, m, NULL))
      return m;
  }
  return 0;
}

static int only_letters(const char *w, int n) {
  for (int i = 0; i < n; i++)
    if (w[i] < 'a' || w[i] > 'z') return 0;
  return 1;
}

/* The reading of a word known to the table or the lexicon: its stem. */
static int known_reading(sid_stemmer *st, const char *w, int n, char *out,
                         int *sure) {
  int s = 0;
  const char *f = sid_informal_word(w, n, &s);
  if (f) {
    if (sure) *sure = *sure && s;
    int k = sid_stem(st, f, (int)strlen(f), out, SID_MAX_WORD);
    return k > 0 && k <= SID_MAX_WORD ? k : 0;
  }
  if (sid_lexicon_has(sid_stemmer_lexicon(st), w, n)) {
    int k = sid_stem(st, w, n, out, SID_MAX_WORD);
    return k > 0 && k <= SID_MAX_WORD ? k : 0;
  }
  return 0;
}

/* The negation written fused to its word (gabisa, gaada, gamau, gaktau):
** the word's reading, as a query for it wants. The word must be one the
** lexicon or the table knows, of three letters or more after the ga/gak. */
static int fused_negation(sid_stemmer *st, const char *w, int n, char *out) {
  int p = n >= 6 && memcmp(w, "gak", 3) == 0 ? 3
          : n >= 5 && memcmp(w, "ga", 2) == 0 ? 2 : 0;
  if (!p || !(sid_lexicon_has(sid_stemmer_lexicon(st), w + p, n - p) ||
              sid_informal_word(w + p, n - p, NULL)))
    return 0;
  return known_reading(st, w + p, n - p, out, NULL);
}

int sid_informal_whole(sid_stemmer *st, const char *w, int n, char *out,
                       int cap) {
  if (!st || !w) return -1;
  if (n < 0) n = (int)strlen(w);
  if (n < 4 || n > SID_MAX_WORD || !only_letters(w, n)) return 0;
  const sid_lexicon *lx = sid_stemmer_lexicon(st);
  if (sid_lexicon_has(lx, w, n)) return 0;
  cand v[3];
  int nv = variants(w, n, v);
  for (int i = 1; i < nv; i++) {
    const sid_entry *e = sid_lex_find(lx, sid_hash(v[i].s, v[i].n), v[i].s, v[i].n);
    if (!e || !(e->flags & SID_E_CORE) || (e->flags & SID_E_ALIAS)) continue;
    if (v[i].n <= cap && out) {
      memcpy(out, v[i].s, (size_t)v[i].n);
      if (v[i].n < cap) out[v[i].n] = 0;
    }
    return v[i].n;
  }
  return 0;
}

int sid_informal(sid_stemmer *st, const char *in, int n, char *out, int cap,
                 int *sure) {
  if (!st || !in) return -1;
  if (n < 0) n = (int)strlen(in);
  if (sure) *sure = 0;
  if (n < 2 || n > SID_MAX_WORD || !only_letters(in, n)) return 0;
  char w[SID_MAX_WORD + 8], r[SID_MAX_WORD + 8];
  memcpy(w, in, (size_t)n);
  int k = 0, s = 1;
  /* The table first: some of its forms are roots of the lexicon too
  ** (gak, udah are listed there so that nothing strips them). */
  if (sid_informal_word(w, n, NULL)) {
    k = known_reading(st, w, n, r, &s);
  } else if (sid_lexicon_has(sid_stemmer_lexicon(st), w, n)) {
    return 0;
  } else {
    char sq[SID_MAX_WORD + 8];
    int m = squeeze(st, w, n, sq);
    if (m) { /* emphasis: nothing but a spelling */
      k = known_reading(st, sq, m, r, &s);
    } else if (n >= 3 && w[n - 1] == w[n - 2] &&
               (sid_lexicon_has(sid_stemmer_lexicon(st), w, n - 1) ||
                sid_informal_word(w, n - 1, NULL))) {
      s = 0; /* yaa, nihh, bangett: also a name's spelling (Hanaa) */
      k = known_reading(st, w, n - 1, r, NULL);
    } else if ((k = fused_negation(st, w, n, r)) > 0) {
      s = 0;
    } else if (n >= 4) {
      best b;
      b.n = b.core = 0;
      morphology(st, w, n, &b);
      s = 0;
      k = b.n;
      memcpy(r, b.root, (size_t)k);
    }
  }
  if (k <= 0 || (k == n && memcmp(r, in, (size_t)n) == 0)) return 0;
  if (sure) *sure = s;
  if (k <= cap && out) {
    memcpy(out, r, (size_t)k);
    if (k < cap) out[k] = 0;
  }
  return k;
}
