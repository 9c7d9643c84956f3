/*
** stem.c — the Indonesian stemmer proper: confix stripping checked against
** the lexicon. A word is read as
**
**     [prefix [prefix [prefix]]] root [derivational] [possessive] [particle]
**
** Every way of peeling suffixes from the end (particle -lah -kah -tah -pun;
** possessive -ku -mu -nya; derivational -i -kan -an, or as a last resort
** -wan -isme -is -isasi -itas) is paired with every legal chain of
** prefixes from the start (di- ke- se- ku- kau- ber- ter- per- meN- peN-,
** stacked as in memper-, diber-, keber-, penge-), with the consonant that a
** nasal prefix swallowed put back (menulis -> tulis, memukul -> pukul,
** menyapu -> sapu, mengirim -> kirim, penyair -> syair). Each pairing whose
** root is in the lexicon gets a cost (see "Costs" below): the affixes it
** strips, how usual its prefix variant is, a bonus for a confix, a bonus
** for a preferred root, and a large penalty for a prefix-suffix pair
** Indonesian does not form (di-...-an, ke-...-i, ber-...-i, meN-...-an).
** The cheapest wins; a word that is itself in the lexicon is never stripped.
**
** It does not guess roots it does not know: see fallback() for names and
** new loanwords. It has no infix rule: the infixed words are a closed set,
** listed in exceptions.tsv. It does no Unicode normalisation (the caller
** case-folds) and allocates nothing after sid_new().
*/
#include "sid_int.h"

#include <stdlib.h>
#include <string.h>

struct sid_stemmer {
  const sid_lexicon *lx; /* borrowed */
  char w[SID_MAX_WORD + 8];       /* working copy of the word */
  char res[2 * SID_MAX_WORD + 8]; /* assembled result */
};

sid_stemmer *sid_new(const sid_lexicon *lx) {
  if (!lx) return NULL;
  sid_stemmer *st = cari_calloc(1, sizeof *st);
  if (st) st->lx = lx;
  return st;
}

void sid_free(sid_stemmer *st) { cari_free(st); }

/**************************************************************************
** Affixes
*/

/* Prefix kinds; PK_KU covers ku- and kau-. */
enum { PK_NONE, PK_DI, PK_KE, PK_SE, PK_KU, PK_BER, PK_TER, PK_PER, PK_ME,
       PK_PE, PK_N };

/* Derivational suffix kinds. */
enum { DS_NONE, DS_I, DS_KAN, DS_AN, DS_LOAN };

/* Which prefix may stand inside which (outer -> inner), e.g. di-per-,
** me-ber- (member-), ke-ber-, ber-pe-, pe-ber- (pember-), se-per-. */
static const unsigned inner_ok[PK_N] = {
    [PK_NONE] = (1u << PK_DI) | (1u << PK_KE) | (1u << PK_SE) | (1u << PK_KU) |
                (1u << PK_BER) | (1u << PK_TER) | (1u << PK_PER) |
                (1u << PK_ME) | (1u << PK_PE),
    [PK_DI] = (1u << PK_PER) | (1u << PK_BER) | (1u << PK_KE) | (1u << PK_SE),
    [PK_KE] = (1u << PK_BER) | (1u << PK_TER) | (1u << PK_PE) | (1u << PK_SE) |
              (1u << PK_PER),
    [PK_SE] = (1u << PK_BER) | (1u << PK_KE) | (1u << PK_PE) | (1u << PK_PER) |
              (1u << PK_TER) | (1u << PK_SE),
    [PK_KU] = (1u << PK_PER),
    [PK_BER] = (1u << PK_PE) | (1u << PK_KE) | (1u << PK_SE) | (1u << PK_PER),
    [PK_TER] = (1u << PK_PER) | (1u << PK_BER) | (1u << PK_KE) | (1u << PK_SE),
    [PK_PER] = (1u << PK_SE),
    [PK_ME] = 0, /* stacks after meN- have their own surfaces: memper- ... */
    [PK_PE] = 0,
};

/* Prefix-suffix pairs Indonesian does not form, by outermost prefix. */
static int illegal(int outer, int ds) {
  switch (outer) {
  case PK_DI: case PK_ME: case PK_KU: case PK_TER: return ds == DS_AN;
  case PK_KE: case PK_SE: case PK_PE: return ds == DS_I || ds == DS_KAN;
  case PK_BER: return ds == DS_I;
  default: return 0;
  }
}

static int is_vowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}
static int is_alpha(char c) { return c >= 'a' && c <= 'z'; }
static int is_cons(char c) { return is_alpha(c) && !is_vowel(c); }

/* Vowel groups in s[0..n): syllables, near enough (ai, au, oi count once). */
static int syllables(const char *s, int n) {
  int k = 0;
  for (int i = 0; i < n; i++)
    if (is_vowel(s[i]) &&
        !(i > 0 && is_vowel(s[i - 1]) &&
          ((s[i - 1] == 'a' && (s[i] == 'i' || s[i] == 'u')) ||
           (s[i - 1] == 'o' && s[i] == 'i'))))
      k++;
  return k;
}

/**************************************************************************
** Candidate analyses
*/

/* Where a chain of prefixes leaves the root: w[pos..], with w[pos-1]
** replaced by `restore` when non-zero ('S': w[pos-2..pos) replaced by
** "sy"). `mono`: only a one-syllable root (menge-, penge-). */
typedef struct {
  unsigned char pos, outer, npfx, mono;
  short cost;
  char restore;
} pfx_opt;

/* Where a chain of suffixes leaves the root: w[..end). */
typedef struct {
  unsigned char end, ds, ninfl;
  short cost;
} sfx_opt;

#define MAX_PFX 48
#define MAX_SFX 32

typedef struct {
  const char *w;
  int n;
  pfx_opt p[MAX_PFX];
  int np;
} pfx_ctx;

/*
** Costs of an analysis (lower wins), in half-points. Each stripped affix
** costs; a derivational suffix a little less than a prefix, so that of two
** analyses stripping one affix each the one keeping the prefix-like start
** wins (berikan -> beri+kan, not ber+ikan); a particle more than a prefix,
** since so many roots end in -lah/-kah (menikah is me+nikah, not meni+kah).
** A prefix with a derivational suffix that forms a confix with it (ke-an,
** peN-an, per-an, meN-kan, di-i ...) earns back more than the suffix cost:
** Indonesian makes such words far more often than it suffixes a root that
** merely starts like a prefix (kedudukan is ke+duduk+an, not keduduk+an).
** Values were chosen on the dev lists and on running text; see the tests.
*/
#define C_PFX 20     /* each prefix */
#define C_DS 18      /* -i -kan -an */
#define C_KAN 1      /* -kan over -an: masakan is masak+an, not masa+kan */
#define C_POSS 8     /* -ku -mu -nya */
#define C_PART 22    /* -lah -kah -tah -pun */
#define C_CONFIX 22  /* earned back by a legal prefix+suffix pair */
#define C_BARE_I 6   /* -i without a prefix is rare (imperatives) */
#define C_CORE 6     /* a root of the extra (curated) list wins ties */
#define C_DERIVED 16 /* a root that looks derived, when affixed: see below */
#define C_ILLEGAL 200 /* di-an, ke-i, ber-i, meN-an ...: only if nothing else */
#define C_LAST 300   /* -wan -isme -is -isasi -itas: last resort. Not
                     ** -wati: the lexicon has its nouns (karyawati), and
                     ** an unknown word so ending is a woman's name
                     ** (Indrawati, Megawati, Kusumawati), kept whole. */
#define V_ODD 2      /* a less usual variant of a prefix (me+m vs mem+p) */
#define V_RARE 4     /* a nonstandard one (mentaati, mensukseskan) */

static void add_pfx(pfx_ctx *c, int pos, char restore, int outer, int npfx,
                    int cost, int mono) {
  if (c->np == MAX_PFX || pos >= c->n) return;
  pfx_opt *o = &c->p[c->np++];
  o->pos = (unsigned char)pos;
  o->restore = restore;
  o->outer = (unsigned char)outer;
  o->npfx = (unsigned char)npfx;
  o->cost = (short)cost;
  o->mono = (unsigned char)mono;
}

/* Does w[pos..] start with the NUL-terminated s? (A loop: the strings are
** two to five bytes, and this runs for every prefix tried.) */
static inline int at(const pfx_ctx *c, int pos, const char *s) {
  for (int i = 0; s[i]; i++)
    if (pos + i >= c->n || c->w[pos + i] != s[i]) return 0;
  return 1;
}

static char ch(const pfx_ctx *c, int pos) { return pos < c->n ? c->w[pos] : 0; }

static void walk(pfx_ctx *c, int pos, int last, int outer, int npfx, int cost);

/* A prefix of kind k ends at pos: the root may start there, and (depth
** allowing) further prefixes may follow. */
static void emit(pfx_ctx *c, int pos, int k, int outer, int npfx, int cost) {
  if (outer == PK_NONE) outer = k;
  add_pfx(c, pos, 0, outer, npfx, cost, 0);
  if (npfx < 3 && inner_ok[k]) walk(c, pos, k, outer, npfx, cost);
}

/* Does w[pos..] start with consonant + "er" + consonant (kerja, percaya)?
** Such roots take be-/te- instead of ber-/ter-. */
static int cer(const pfx_ctx *c, int pos) {
  return is_cons(ch(c, pos)) && ch(c, pos + 1) == 'e' && ch(c, pos + 2) == 'r' &&
         is_cons(ch(c, pos + 3));
}

/* ny- for sy-: the root's first letter is not one byte but two. Marked
** with restore 'S' and resolved in analyse(). */
static void add_sy(pfx_ctx *c, int pos, int outer, int npfx, int cost) {
  add_pfx(c, pos, 'S', outer, npfx, cost, 0);
}

/* The nasal prefixes meN- and peN-: `base` is 'm' or 'p'; w[pos..pos+2) is
** "me" or "pe". The root variants, cheapest first. */
static void nasal(pfx_ctx *c, int pos, int k, int outer, int npfx, int cost) {
  int m = pos + 2;
  char c0 = ch(c, m), c1 = ch(c, m + 1), c2 = ch(c, m + 2);
  int o = outer == PK_NONE ? k : outer;
  npfx++;
  /* me- before l m n r w y (and ny-, ng- roots): melihat, menyanyi. */
  if (c0 == 'l' || c0 == 'r' || c0 == 'w' || c0 == 'y')
    add_pfx(c, m, 0, o, npfx, cost, 0);
  if (c0 == 'm') add_pfx(c, m, 0, o, npfx, cost + V_ODD, 0);
  if (c0 == 'n') add_pfx(c, m, 0, o, npfx, cost + V_ODD, 0);
  if (c0 == 'm') {
    if (c1 == 'b' || c1 == 'f' || c1 == 'v') add_pfx(c, m + 1, 0, o, npfx, cost, 0);
    if (c1 == 'p') /* memproses; mempunyai */
      add_pfx(c, m + 1, 0, o, npfx, cost + (c2 == 'r' || c2 == 'l' ? 0 : V_RARE), 0);
    if (is_vowel(c1)) add_pfx(c, m + 1, 'p', o, npfx, cost, 0);
    /* Stacks: memper-, member- (pemer-, pember-). */
    if ((c1 == 'p' || c1 == 'b') && c2 == 'e' && ch(c, m + 3) == 'r') {
      add_pfx(c, m + 4, 0, o, npfx + 1, cost, 0);
      add_pfx(c, m + 3, 0, o, npfx + 1, cost, 0); /* mempe- + r-root */
      if (npfx < 3) walk(c, m + 4, c1 == 'p' ? PK_PER : PK_BER, o, npfx + 1, cost);
    } else if (c1 == 'p' && c2 == 'e' && k == PK_ME && is_cons(ch(c, m + 3))) {
      add_pfx(c, m + 3, 0, o, npfx + 1, cost + V_ODD, 0); /* mempekerjakan */
    }
    if (c1 == 'e' && c2 == 'r' && k == PK_PE) {
      /* pe- + per- is pemer- (pemersatu, pemerolehan); mempe- + r-root. */
      add_pfx(c, m + 3, 0, o, npfx + 1, cost, 0);
    }
    if (c1 == 'r' && is_vowel(c2)) /* pemrograman */
      add_pfx(c, m + 1, 'p', o, npfx, cost + V_ODD, 0);
  } else if (c0 == 'n' && c1 == 'g') {
    char c3 = ch(c, m + 3);
    if (is_vowel(c2)) {
      add_pfx(c, m + 2, 0, o, npfx, cost, 0); /* mengambil */
      add_pfx(c, m + 2, 'k', o, npfx, cost, 0); /* mengirim */
    }
    if (c2 == 'g' || c2 == 'h' || c2 == 'k') add_pfx(c, m + 2, 0, o, npfx, cost, 0);
    if (c2 == 'l' || c2 == 'r') /* penglihatan, pengrajin: common, not standard */
      add_pfx(c, m + 2, 0, o, npfx, cost + V_ODD, 0);
    if (c2 == 'e' && c3) {
      /* menge- before one-syllable roots (mengebom); else me- + ke-
      ** (mengetahui, mengemukakan). */
      add_pfx(c, m + 3, 0, o, npfx, cost + V_ODD, 1);
      add_pfx(c, m + 3, 0, o, npfx + 1, cost, 0);
    }
  } else if (c0 == 'n' && c1 == 'y') {
    if (is_vowel(c2)) {
      add_pfx(c, m + 2, 's', o, npfx, cost, 0); /* menyapu */
      add_sy(c, m + 2, o, npfx, cost + V_ODD);   /* penyair: syair */
    }
    if (c2 == 'e') add_pfx(c, m + 3, 0, o, npfx + 1, cost + V_ODD, 0); /* menye- */
  } else if (c0 == 'n') {
    if (c1 == 'c' || c1 == 'd' || c1 == 'j' || c1 == 'z')
      add_pfx(c, m + 1, 0, o, npfx, cost, 0);
    if (c1 == 's') add_pfx(c, m + 1, 0, o, npfx, cost + (c2 == 'y' ? 0 : V_RARE), 0);
    if (c1 == 't') add_pfx(c, m + 1, 0, o, npfx, cost + (c2 == 'r' ? 0 : V_RARE), 0);
    if (is_vowel(c1)) add_pfx(c, m + 1, 't', o, npfx, cost, 0); /* menulis */
  }
  /* pe- without a nasal before other consonants: petani, pekerja, pedagang. */
  if (k == PK_PE && is_cons(c0) && c0 != 'l' && c0 != 'm' && c0 != 'n' &&
      c0 != 'r' && c0 != 'w' && c0 != 'y')
    add_pfx(c, m, 0, o, npfx, cost + V_ODD, 0);
}

static void walk(pfx_ctx *c, int pos, int last, int outer, int npfx,
                 int cost) {
  unsigned ok = inner_ok[last];
  char c2 = ch(c, pos + 2), c3 = ch(c, pos + 3);
  if ((ok & (1u << PK_DI)) && at(c, pos, "di")) {
    emit(c, pos + 2, PK_DI, outer, npfx + 1, cost);
    if (at(c, pos + 2, "pe") && is_cons(ch(c, pos + 4)) && npfx < 2)
      add_pfx(c, pos + 4, 0, outer ? outer : PK_DI, npfx + 2, cost + V_ODD, 0);
  }
  if ((ok & (1u << PK_KE)) && at(c, pos, "ke"))
    emit(c, pos + 2, PK_KE, outer, npfx + 1, cost);
  if ((ok & (1u << PK_SE)) && at(c, pos, "se"))
    emit(c, pos + 2, PK_SE, outer, npfx + 1, cost);
  if (ok & (1u << PK_KU)) {
    if (at(c, pos, "kau")) emit(c, pos + 3, PK_KU, outer, npfx + 1, cost);
    else if (at(c, pos, "ku")) emit(c, pos + 2, PK_KU, outer, npfx + 1, cost);
  }
  if ((ok & (1u << PK_BER)) && at(c, pos, "be")) {
    if (c2 == 'r' && c3 != 'r') emit(c, pos + 3, PK_BER, outer, npfx + 1, cost);
    if (c2 == 'r') add_pfx(c, pos + 2, 0, outer ? outer : PK_BER, npfx + 1, cost, 0);
    if (cer(c, pos + 2)) /* bekerja, beserta */
      add_pfx(c, pos + 2, 0, outer ? outer : PK_BER, npfx + 1, cost + V_ODD, 0);
    if (at(c, pos + 2, "rsi") && npfx < 2) /* bersitegang, bersikukuh */
      add_pfx(c, pos + 5, 0, outer ? outer : PK_BER, npfx + 2, cost + V_ODD, 0);
    if (at(c, pos + 2, "lajar")) /* bel- lives only in belajar */
      add_pfx(c, pos + 3, 0, outer ? outer : PK_BER, npfx + 1, cost, 0);
  }
  if ((ok & (1u << PK_TER)) && at(c, pos, "te")) {
    if (c2 == 'r' && c3 != 'r') emit(c, pos + 3, PK_TER, outer, npfx + 1, cost);
    if (c2 == 'r') add_pfx(c, pos + 2, 0, outer ? outer : PK_TER, npfx + 1, cost, 0);
    if (cer(c, pos + 2)) /* tepercaya */
      add_pfx(c, pos + 2, 0, outer ? outer : PK_TER, npfx + 1, cost + V_ODD, 0);
  }
  if ((ok & (1u << PK_PER)) && at(c, pos, "pe")) {
    /* per- + vowel root a half-point behind pe- + r-root: perasaan is
    ** pe+rasa+an (unlike ber-, where berasal is ber+asal). */
    if (c2 == 'r' && c3 != 'r') emit(c, pos + 3, PK_PER, outer, npfx + 1, cost + 1);
    if (c2 == 'r') add_pfx(c, pos + 2, 0, outer ? outer : PK_PER, npfx + 1, cost, 0);
  }
  if ((ok & (1u << PK_ME)) && at(c, pos, "me"))
    nasal(c, pos, PK_ME, outer, npfx, cost);
  if ((ok & (1u << PK_PE)) && at(c, pos, "pe"))
    nasal(c, pos, PK_PE, outer, npfx, cost);
}

/* Does w[0..end) end with the k bytes at s? */
static inline int ends(const char *w, int end, const char *s, int k) {
  if (end < k) return 0;
  for (int i = 0; i < k; i++)
    if (w[end - k + i] != s[i]) return 0;
  return 1;
}

static const struct {
  char s[6];
  unsigned char len, ds;
  short cost;
} deriv[] = {
    {"", 0, DS_NONE, 0},          {"i", 1, DS_I, C_DS},
    {"kan", 3, DS_KAN, C_DS + C_KAN}, {"an", 2, DS_AN, C_DS},
    {"wan", 3, DS_LOAN, C_LAST},  {"isme", 4, DS_LOAN, C_LAST}, {"is", 2, DS_LOAN, C_LAST},
    {"isasi", 5, DS_LOAN, C_LAST}, {"itas", 4, DS_LOAN, C_LAST},
};

/* All ways of peeling suffixes off w[0..n). */
static int suffixes(const char *w, int n, sfx_opt *o) {
  int no = 0, e1s[2], ne1 = 0;
  e1s[ne1++] = n;
  if (ends(w, n, "lah", 3) || ends(w, n, "kah", 3) || ends(w, n, "tah", 3) ||
      ends(w, n, "pun", 3))
    e1s[ne1++] = n - 3;
  for (int a = 0; a < ne1; a++) {
    int e1 = e1s[a], e2s[2], ne2 = 0;
    e2s[ne2++] = e1;
    if (ends(w, e1, "nya", 3)) e2s[ne2++] = e1 - 3;
    else if (ends(w, e1, "ku", 2) || ends(w, e1, "mu", 2)) e2s[ne2++] = e1 - 2;
    for (int b = 0; b < ne2; b++) {
      int e2 = e2s[b], ninfl = a + b, icost = a * C_PART + b * C_POSS;
      char last = e2 > 0 ? w[e2 - 1] : 0;
      for (size_t d = 0; d < sizeof deriv / sizeof deriv[0]; d++) {
        int k = deriv[d].len;
        if (k && deriv[d].s[k - 1] != last) continue;
        if (e2 - k < 2 || !ends(w, e2, deriv[d].s, k) || no == MAX_SFX) continue;
        o[no].end = (unsigned char)(e2 - k);
        o[no].ds = deriv[d].ds;
        o[no].ninfl = (unsigned char)ninfl;
        o[no].cost = (short)(deriv[d].cost + icost);
        no++;
      }
    }
  }
  return no;
}

#define MIN_ROOT 3 /* bytes of a root found by stripping */

/*
** The best analysis of w[0..n) (mutable: restored consonants are patched in
** and put back). Returns the lexicon entry of its root, or NULL.
*/
static const sid_entry *analyse(const sid_lexicon *lx, char *w, int n) {
  pfx_ctx c;
  c.w = w;
  c.n = n;
  c.np = 0;
  add_pfx(&c, 0, 0, PK_NONE, 0, 0, 0);
  walk(&c, 0, PK_NONE, PK_NONE, 0, 0);
  sfx_opt s[MAX_SFX];
  int ns = suffixes(w, n, s);
  const sid_entry *best = NULL;
  int best_cost = 1 << 30;
  for (int j = 0; j < ns; j++) {
    for (int i = 0; i < c.np; i++) {
      const pfx_opt *p = &c.p[i];
      int rl = p->restore == 'S' ? 2 : p->restore ? 1 : 0;
      int start = p->pos - rl;
      int len = s[j].end - start;
      if (len < MIN_ROOT || (p->npfx == 0 && s[j].end == n)) continue;
      int cost = p->npfx * C_PFX + p->cost + s[j].cost;
      int ds = s[j].ds;
      if (p->npfx == 0 && ds == DS_I) {
        if (len < 4) continue; /* bali, tapi: not bal+i */
        cost += C_BARE_I;
      }
      /* A confix: not for -i after a vowel (mencapai is capai), and on a
      ** root of three letters only if preferred (kenalan is not ke+nal+an,
      ** keberadaan is ke+ber+ada+an). per- alone with -kan is no confix:
      ** per-...-kan lives under meN-/di- (memperbaiki, diperkenalkan), bare
      ** it is a rare imperative, while per-...-an makes nouns of any root,
      ** also one ending in k (perbankan is per+bank+an, not per+ban+kan). */
      int confix = 0;
      if (illegal(p->outer, ds)) cost += C_ILLEGAL;
      else if (p->npfx && (ds == DS_AN || ds == DS_KAN ||
                           (ds == DS_I && is_cons(w[s[j].end - 1]))) &&
               !(p->outer == PK_PER && ds == DS_KAN))
        confix = len >= 4 ? 2 : 1;
      if (confix == 2) cost -= C_CONFIX;
      if (cost - C_CORE - (confix == 1 ? C_CONFIX : 0) >= best_cost) continue;
      if (p->mono && syllables(w + p->pos, s[j].end - p->pos) != 1) continue;
      char save[2] = {0, 0};
      if (rl) {
        memcpy(save, w + start, (size_t)rl);
        if (rl == 2) memcpy(w + start, "sy", 2);
        else w[start] = p->restore;
      }
      const sid_entry *e = sid_lex_find(lx, sid_hash(w + start, len), w + start, len);
      if (rl) memcpy(w + start, save, (size_t)rl);
      if (e && (e->flags & SID_E_CORE)) cost -= C_CORE + (confix == 1 ? C_CONFIX : 0);
      if (e && (e->flags & SID_E_DERIVED)) cost += C_DERIVED;
      /* se- alone on a rare root of three letters is more often a name or
      ** a word that merely starts so (Seong, sekam) than se- on it. */
      if (e && p->outer == PK_SE && p->npfx == 1 && s[j].end == n &&
          len <= 3 && !(e->flags & SID_E_CORE))
        e = NULL;
      /* A bare suffix on a short unknown-looking root is more often a name
      ** (asian, milan, golan) than a derivation. */
      if (e && p->npfx == 0 && ds != DS_NONE && len <= 3 && !(e->flags & SID_E_CORE))
        e = NULL;
      if (e && cost < best_cost) {
        best = e;
        best_cost = cost;
      }
    }
  }
  return best;
}

/*
** Mark the roots that look derived: one prefix on a preferred root
** (ketua = ke+tua, berlaku = ber+laku, sebelah = se+belah). Such an entry
** stays whole as a word, but an affixed form of it goes to the deeper root
** when that is a legal analysis too (ketuanya -> tua).
*/
void sid_mark_derived(sid_lexicon *lx) {
  char w[SID_MAX_WORD + 8];
  for (int k = 0; k < lx->nent; k++) {
    sid_entry *en = &lx->ent[k];
    if ((en->flags & (SID_E_CORE | SID_E_ALIAS | SID_E_NOSTEM | SID_E_NAME)) ||
        en->len < 5)
      continue;
    memcpy(w, lx->text.p + en->off, en->len);
    pfx_ctx c;
    c.w = w;
    c.n = en->len;
    c.np = 0;
    walk(&c, 0, PK_NONE, PK_NONE, 0, 0);
    for (int i = 0; i < c.np; i++) {
      const pfx_opt *p = &c.p[i];
      int rl = p->restore == 'S' ? 2 : p->restore ? 1 : 0;
      int start = p->pos - rl, len = c.n - start;
      if (p->npfx != 1 || len < 4 || p->mono) continue;
      if (rl == 2) memcpy(w + start, "sy", 2);
      else if (rl) w[start] = p->restore;
      const sid_entry *e = sid_lex_find(lx, sid_hash(w + start, len), w + start, len);
      memcpy(w, lx->text.p + en->off, en->len);
      if (e && (e->flags & SID_E_CORE)) {
        en->flags |= SID_E_DERIVED;
        break;
      }
    }
  }
}

/**************************************************************************
** Words
*/

/* Copy the stem an entry stands for (its alias, else its key) to dst. */
static int put_entry(const sid_lexicon *lx, const sid_entry *e, char *dst) {
  if (e->flags & SID_E_ALIAS) {
    memcpy(dst, lx->text.p + e->alias_off, e->alias_len);
    return e->alias_len;
  }
  memcpy(dst, lx->text.p + e->off, e->len);
  return e->len;
}

/*
** No analysis found a root: a name, a new loanword, a typo. Conservative on
** purpose. Indonesian text is full of names and foreign words whose starts
** look like prefixes (Diponegoro, DiCaprio, Bernard, Mesopotamia; division,
** director, terminator) and whose ends look like suffixes (Bekasi, Milan,
** Abdullah, Makkah): stripping di-/me-/ber-/ter- from unknown words of
** Indonesian Wikipedia (tydiqa-id) mangled more names and English words
** than it recovered loan verbs (didownload, diinstal), and a mangled name
** is lost for exact search while an unstemmed loan verb only misses its
** other forms. So only the clitics that attach to anything and rarely end
** a name are taken off: the particle -pun, then the possessive -nya
** (inputnya, karakternya, ibukotanya), when at least four bytes with a
** vowel remain. Not -lah -kah -tah -ku -mu: names end so (Jamilah,
** Abdullah, Battutah, Maluku). A clitic written with a hyphen
** (Dumbledore-lah) is always taken off: see stem_hyphenated().
*/
static int fallback(const sid_lexicon *lx, const char *w, int n, char *dst) {
  (void)lx;
  int m = n;
  if (m >= 7 && ends(w, m, "pun", 3)) m -= 3;
  if (m >= 7 && ends(w, m, "nya", 3)) m -= 3;
  int vowel = 0;
  for (int i = 0; i < m; i++) vowel |= is_vowel(w[i]);
  if (!vowel) m = n;
  memcpy(dst, w, (size_t)m);
  return m;
}

/*
** The particle -kah on a question word (apakah, siapakah, bagaimanakah,
** adakah): the lexicon lists some of these whole, but -kah only marks the
** question's focus, so the word is its question word. Returns the length
** without -kah, or n. Only this closed class: many roots end in -kah
** (nikah, langkah, sedekah) on bases that are words too (lang).
*/
static int question_kah(const char *w, int n) {
  static const char *const q[] = {"ada", "apa", "bagaimana", "berapa", "bila",
                                  "bilamana", "dimana", "darimana", "kapan",
                                  "kemana", "kenapa", "mana", "mengapa",
                                  "siapa"};
  if (n < 6 || !ends(w, n, "kah", 3)) return n;
  for (size_t i = 0; i < sizeof q / sizeof q[0]; i++)
    if ((int)strlen(q[i]) == n - 3 && memcmp(w, q[i], (size_t)(n - 3)) == 0)
      return n - 3;
  return n;
}

/* The entry of w[0..*n)'s root (the word itself when the lexicon has it),
** or NULL; *n loses a question word's -kah. */
static const sid_entry *root_entry(const sid_lexicon *lx, char *w, int *n) {
  *n = question_kah(w, *n);
  const sid_entry *e = sid_lex_find(lx, sid_hash(w, *n), w, *n);
  if (e && (e->flags & SID_E_DERIVED) && *n > 5 && memcmp(w, "ber", 3) == 0 &&
      is_cons(w[3])) {
    const sid_entry *r = analyse(lx, w, *n);
    if (r && (r->flags & SID_E_CORE)) e = r;
  }
  if (!e) e = analyse(lx, w, *n);
  return e;
}

/* Stem one word without hyphens or digits into dst (SID_MAX_WORD bytes);
** *found (may be NULL) says whether a root was found. */
static int stem_root(const sid_lexicon *lx, char *w, int n, char *dst,
                     int *found) {
  const sid_entry *e = root_entry(lx, w, &n);
  if (found) *found = e != NULL;
  if (e) return put_entry(lx, e, dst);
  return fallback(lx, w, n, dst);
}

int sid_stem_known(sid_stemmer *st, const char *w, int n, char *out,
                   int *core) {
  char buf[SID_MAX_WORD + 8];
  if (n <= 0 || n > SID_MAX_WORD) return 0;
  memcpy(buf, w, (size_t)n);
  const sid_entry *e = root_entry(st->lx, buf, &n);
  if (!e) return 0;
  if (core) *core = (e->flags & SID_E_CORE) != 0;
  return put_entry(st->lx, e, out);
}

const sid_lexicon *sid_stemmer_lexicon(const sid_stemmer *st) { return st->lx; }

static int stem_simple(const sid_lexicon *lx, char *w, int n, char *dst) {
  return stem_root(lx, w, n, dst, NULL);
}

static int has_digit(const char *w, int n) {
  for (int i = 0; i < n; i++)
    if (w[i] >= '0' && w[i] <= '9') return 1;
  return 0;
}

/* One part of a compound: words with digits stay as they are. */
static int stem_part(const sid_lexicon *lx, char *w, int n, char *dst) {
  if (has_digit(w, n)) {
    memcpy(dst, w, (size_t)n);
    return n;
  }
  return stem_simple(lx, w, n, dst);
}

static int is_clitic(const char *w, int n) {
  static const char *const cl[] = {"nya", "ku", "mu", "lah", "kah", "pun", "tah"};
  for (size_t i = 0; i < sizeof cl / sizeof cl[0]; i++)
    if ((int)strlen(cl[i]) == n && memcmp(w, cl[i], (size_t)n) == 0) return 1;
  return 0;
}

static int eq(const char *a, int na, const char *b, int nb) {
  return na == nb && memcmp(a, b, (size_t)na) == 0;
}
static int ends_with(const char *a, int na, const char *b, int nb) {
  return na >= nb && memcmp(a + na - nb, b, (size_t)nb) == 0;
}

/* Same length, at most two letters differ: sayur-mayur, gerak-gerik. */
static int rhymes(const char *a, int na, const char *b, int nb) {
  if (na != nb || na < 3) return 0;
  int diff = 0;
  for (int i = 0; i < na; i++) diff += a[i] != b[i];
  return diff <= 2;
}

/*
** A word with hyphens, w[0..n) mutable. A clitic written apart (rahmat-Nya,
** abaian-ku) is joined back. Two parts that are a reduplication give the
** base's root: equal parts or equal roots (anak-anak, berkumpul-kumpul,
** tolong-menolong, sebaik-baiknya), a part ending in the other's root
** (sehari-harian), or a rhyme (sayur-mayur, bolak-balik: the part that is a
** root). A hyphenated entry of the lexicon (sayur-mayur, alai-belai) stays
** whole. Anything else is a compound: each part stemmed, joined by '-'.
*/
static int stem_hyphenated(sid_stemmer *st, char *w, int n) {
  const sid_lexicon *lx = st->lx;
  char *dst = st->res;
  int start[SID_MAX_WORD], len[SID_MAX_WORD], np = 0;
  for (int i = 0, s = 0; i <= n; i++) {
    if (i == n || w[i] == '-') {
      if (i == s) { memcpy(dst, w, (size_t)n); return n; } /* empty part */
      start[np] = s;
      len[np++] = i - s;
      s = i + 1;
    }
  }
  /* Join clitics written apart: x-nya -> xnya. */
  int base = np >= 2 ? start[np - 1] - 1 : n; /* bytes before the clitics */
  while (np >= 2 && is_clitic(w + start[np - 1], len[np - 1])) {
    base = start[np - 1] - 1;
    int a = start[np - 1];
    memmove(w + a - 1, w + a, (size_t)(n - a));
    n--;
    len[np - 2] += len[np - 1];
    np--;
  }
  if (np == 1) {
    if (has_digit(w, n)) return stem_part(lx, w, n, dst);
    int found, k = stem_root(lx, w, n, dst, &found);
    /* Unknown, but the hyphen said where the clitic starts. */
    if (!found && base < n) k = stem_root(lx, w, base, dst, NULL);
    return k;
  }
  if (np == 2 && !has_digit(w, n)) {
    char *a = w + start[0], *b = w + start[1];
    int na = len[0], nb = len[1];
    if (eq(a, na, b, nb)) {
      /* kunang-kunang: a lexicon entry X-X is kept as its X. */
      if (sid_lex_find(lx, sid_hash(w, n), w, n)) {
        memcpy(dst, a, (size_t)na);
        return na;
      }
      return stem_simple(lx, a, na, dst);
    }
    char rb[SID_MAX_WORD];
    int la = stem_simple(lx, a, na, dst);
    int lb = stem_simple(lx, b, nb, rb);
    /* Both parts on one root: tolong-menolong, berkumpul-kumpul. */
    if (eq(dst, la, rb, lb) && (!eq(dst, la, a, na) || !eq(rb, lb, b, nb)))
      return la;
    const sid_entry *e = sid_lex_find(lx, sid_hash(w, n), w, n);
    if (!e) e = analyse(lx, w, n);
    if (e) {
      /* An entry X-X (anak-anak) is the reduplication of X. */
      const char *k = lx->text.p + e->off;
      int h = e->len / 2;
      if (!(e->flags & SID_E_ALIAS) && e->len % 2 && k[h] == '-' &&
          memcmp(k, k + h + 1, (size_t)h) == 0) {
        memcpy(dst, k, (size_t)h);
        return h;
      }
      return put_entry(lx, e, dst);
    }
    la = stem_simple(lx, a, na, dst);
    if (eq(dst, la, rb, lb)) return la;
    if (lb >= 3 && (ends_with(a, na, rb, lb) || ends_with(dst, la, rb, lb))) {
      memcpy(dst, rb, (size_t)lb);
      return lb;
    }
    if (la >= 3 && lb > la && memcmp(rb, dst, (size_t)la) == 0) return la;
    if (rhymes(a, na, b, nb) || rhymes(dst, la, rb, lb)) {
      if (sid_lex_find(lx, sid_hash(dst, la), dst, la)) return la;
      if (sid_lex_find(lx, sid_hash(rb, lb), rb, lb)) {
        memcpy(dst, rb, (size_t)lb);
        return lb;
      }
    }
    /* A compound of two words. */
    dst[la] = '-';
    memcpy(dst + la + 1, rb, (size_t)lb);
    return la + 1 + lb;
  }
  /* Three or more parts, or digits: each part on its own. */
  int m = 0;
  char part[SID_MAX_WORD];
  for (int i = 0; i < np; i++) {
    int k = stem_part(lx, w + start[i], len[i], part);
    if (m + k + 1 > (int)sizeof st->res) { memcpy(dst, w, (size_t)n); return n; }
    if (i) dst[m++] = '-';
    memcpy(dst + m, part, (size_t)k);
    m += k;
  }
  return m;
}

/* The stem of w[0..n) (n <= SID_MAX_WORD) in st->res, or -1: unchanged. */
static int stem_word(sid_stemmer *st, const char *in, int n) {
  char *w = st->w;
  int letters = 0, digits = 0, hyphens = 0;
  for (int i = 0; i < n; i++) {
    char c = in[i];
    if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
    w[i] = c;
    if (is_alpha(c) || (unsigned char)c >= 0x80) letters++;
    else if (c >= '0' && c <= '9') digits++;
    else if (c == '-') hyphens++;
  }
  if (letters == 0) return -1;
  if (digits) {
    /* anak2, anak2nya, berlari2an: the 2 of reduplication, after a part
    ** of two or more letters and with no other digit. */
    const char *two = memchr(w, '2', (size_t)n);
    int at2 = two ? (int)(two - w) : 0;
    if (digits != 1 || !two || at2 < 2 || hyphens) return -1;
    for (int i = 0; i < at2; i++)
      if (!is_alpha(w[i]) && (unsigned char)w[i] < 0x80) return -1;
    memmove(w + at2, w + at2 + 1, (size_t)(n - at2 - 1));
    n--;
  }
  if (hyphens) return stem_hyphenated(st, w, n);
  return stem_simple(st->lx, w, n, st->res);
}

int sid_stem(sid_stemmer *st, const char *w, int n, char *out, int cap) {
  if (!st || !w) return -1;
  if (n < 0) n = (int)strlen(w);
  const char *res = w;
  int m = n;
  if (n > 0 && n <= SID_MAX_WORD) {
    int k = stem_word(st, w, n);
    if (k >= 0) {
      res = st->res;
      m = k;
    }
  }
  if (m > cap) return m;
  if (out) {
    memcpy(out, res, (size_t)m);
    if (m < cap) out[m] = 0;
  }
  return m;
}
