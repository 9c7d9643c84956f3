/*
** morph.c — debian_docs: Indonesian morphology: a few affix rules checked
** against hunspell.
** It does not use cari's stemmer, which the root-form queries are meant to
** test.
*/
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "debian.h"

/**************************************************************************
** Indonesian morphology: a few affix rules checked against hunspell
**
** A word is analysed by taking off one prefix and one suffix of the tables
** below (the nasal of meN-/peN- may have replaced the root's first letter:
** "menulis" = meN + tulis) and accepting the first root that id_ID.dic
** lists with a flag licensing that affix pair (hunspell's own markings:
** Mk = meN-...-kan, Pa = peN-...-an, ...). A trailing clitic (-nya, -lah,
** -kah, -ku, -mu) is taken off first if the word does not analyse whole.
** Words that id_ID.dic lists as they are ("berkas", "perangkat") are roots.
*/

enum { PFX_NONE, PFX_MEN, PFX_DI, PFX_TER, PFX_BER, PFX_MEMPER, PFX_DIPER,
       PFX_PEN, PFX_PER, PFX_KE };

/* How a prefix may be written: the letters, the root's first letter the
** nasal replaced ("" if none), and the letters the rest may start with
** (NULL: any). Tried in this order. */
typedef struct prefix_form {
  int prefix;
  const char *s, *restore, *next;
} prefix_form;

#define VOWELS "aeiou"
static const prefix_form prefix_forms[] = {
    {PFX_MEMPER, "memper", "", NULL},
    {PFX_DIPER, "diper", "", NULL},
    {PFX_MEN, "meng", "", VOWELS "ghk"},
    {PFX_MEN, "meng", "k", VOWELS},
    {PFX_MEN, "meny", "s", VOWELS},
    {PFX_MEN, "mem", "", "bfvp"},
    {PFX_MEN, "mem", "p", VOWELS},
    {PFX_MEN, "men", "", "cdjzts"},
    {PFX_MEN, "men", "t", VOWELS},
    {PFX_MEN, "me", "", "lmnrywv"},
    {PFX_MEN, "menge", "", NULL}, /* one-syllable roots: mengecat */
    {PFX_DI, "di", "", NULL},
    {PFX_TER, "ter", "", NULL},
    {PFX_TER, "te", "", "r"},
    {PFX_BER, "ber", "", NULL},
    {PFX_BER, "be", "", "r"},
    {PFX_PER, "per", "", NULL},
    {PFX_PEN, "peng", "", VOWELS "ghk"},
    {PFX_PEN, "peng", "k", VOWELS},
    {PFX_PEN, "peny", "s", VOWELS},
    {PFX_PEN, "pem", "", "bfvp"},
    {PFX_PEN, "pem", "p", VOWELS},
    {PFX_PEN, "pen", "", "cdjzts"},
    {PFX_PEN, "pen", "t", VOWELS},
    {PFX_PEN, "pe", "", "lmnrywv"},
    {PFX_PEN, "penge", "", NULL},
    {PFX_KE, "ke", "", NULL},
    {PFX_NONE, "", "", NULL},
};

/* An affix pair and the hunspell flags (two letters each, run together)
** of which the root must carry one. Suffixes are tried in table order. */
typedef struct affix_rule {
  int prefix;
  const char *suffix, *flags;
} affix_rule;

static const affix_rule affix_rules[] = {
    {PFX_MEMPER, "kan", "Mu"}, {PFX_MEMPER, "i", "Mt"}, {PFX_MEMPER, "", "MR"},
    {PFX_DIPER, "kan", "Du"},  {PFX_DIPER, "i", "Dt"},  {PFX_DIPER, "", "DR"},
    {PFX_MEN, "kan", "Mk"},    {PFX_MEN, "i", "Mi"},    {PFX_MEN, "", "M0"},
    {PFX_DI, "kan", "Dk"},     {PFX_DI, "i", "Di"},     {PFX_DI, "", "D0"},
    {PFX_TER, "kan", "TkTn"},  {PFX_TER, "i", "Ti"},    {PFX_TER, "", "T0"},
    {PFX_BER, "kan", "Bk"},    {PFX_BER, "an", "Ba"},   {PFX_BER, "", "B0"},
    {PFX_PER, "an", "Ra"},     {PFX_PEN, "an", "PaPfPgPl"},
    {PFX_PEN, "", "P0PEPGPK"}, {PFX_KE, "an", "KaKc"},
    {PFX_NONE, "kan", "k0MkDk"}, {PFX_NONE, "i", "i0MiDi"},
    {PFX_NONE, "an", "a0"},
};

static const char *const clitics[] = {"nya", "lah", "kah", "ku", "mu"};

/* An analysis: the root, the affixes taken off, whether a clitic was. */
typedef struct morph {
  char root[MAX_WORD];
  int prefix;         /* PFX_* */
  const char *suffix; /* "kan", "i", "an" or "" */
  int clitic;
  int whole;          /* the word itself is in the dictionary */
} morph;

static int analyse_affixes(const wset *dic, const char *w, morph *m) {
  size_t n = strlen(w), f, r;
  for (f = 0; f < sizeof prefix_forms / sizeof *prefix_forms; f++) {
    const prefix_form *pf = &prefix_forms[f];
    size_t pl = strlen(pf->s);
    if (!has_prefix(w, pf->s)) continue;
    if (pf->next && (!w[pl] || !strchr(pf->next, w[pl]))) continue;
    for (r = 0; r < sizeof affix_rules / sizeof *affix_rules; r++) {
      const affix_rule *ar = &affix_rules[r];
      size_t sl = strlen(ar->suffix), rl = strlen(pf->restore);
      const wentry *e;
      char root[MAX_WORD];
      if (ar->prefix != pf->prefix || !has_suffix(w, ar->suffix)) continue;
      if (pf->prefix == PFX_NONE && !*ar->suffix) continue;
      if (n < pl + sl + 2 || n - pl - sl + rl >= sizeof root) continue;
      memcpy(root, pf->restore, rl);
      memcpy(root + rl, w + pl, n - pl - sl);
      root[rl + n - pl - sl] = '\0';
      if (strlen(root) < 3 || !(e = wset_find(dic, root)) ||
          !has_flag(e->flags, ar->flags))
        continue;
      memcpy(m->root, root, strlen(root) + 1);
      m->prefix = pf->prefix;
      m->suffix = ar->suffix;
      return 1;
    }
  }
  return 0;
}

/* Analyse lower-case word w. Returns 1 with *m filled when w is a
** dictionary word or an affixed form of one, 0 otherwise. */
static int morph_analyse(const wset *dic, const char *w, morph *m) {
  size_t i, n = strlen(w);
  memset(m, 0, sizeof *m);
  m->suffix = "";
  if (n >= sizeof m->root) return 0;
  if (wset_find(dic, w)) {
    memcpy(m->root, w, n + 1);
    m->whole = 1;
    return 1;
  }
  if (analyse_affixes(dic, w, m)) return 1;
  for (i = 0; i < sizeof clitics / sizeof *clitics; i++) {
    char base[MAX_WORD];
    size_t k = strlen(clitics[i]);
    if (!has_suffix(w, clitics[i]) || n < k + 3) continue;
    memcpy(base, w, n - k);
    base[n - k] = '\0';
    if (wset_find(dic, base)) {
      memcpy(m->root, base, n - k + 1);
      m->clitic = 1;
      return 1;
    }
    if (analyse_affixes(dic, base, m)) {
      m->clitic = 1;
      return 1;
    }
  }
  return 0;
}

/* The meN- form of a root, as id_ID.aff writes it: meng- before vowels,
** g, h and k (which it replaces unless a consonant follows), mem- before
** b, f, v and p (replaced), men- before c, d, j, z and t (replaced),
** meny- for s, me- before l, m, n, r, y, w, menge- for one syllable. */
static void men_form(const char *root, char *out, size_t cap) {
  const char *pre, *rest = root;
  size_t syll = 0, i;
  char c = root[0], c1 = root[1];
  for (i = 0; root[i]; i++)
    if (strchr(VOWELS, root[i]) && (i == 0 || !strchr(VOWELS, root[i - 1])))
      syll++;
  if (syll <= 1) pre = "menge";
  else if (strchr(VOWELS "gh", c)) pre = "meng";
  else if (c == 'k') pre = "meng", rest = c1 && strchr("hlr", c1) ? root : root + 1;
  else if (strchr("bfv", c)) pre = "mem";
  else if (c == 'p') pre = "mem", rest = c1 && strchr("lr", c1) ? root : root + 1;
  else if (strchr("cdjz", c)) pre = "men";
  else if (c == 't') pre = "men", rest = c1 == 'r' ? root : root + 1;
  else if (c == 's') pre = "meny", rest = root + 1;
  else if (strchr("lmnrywv", c)) pre = "me";
  else pre = "meng";
  snprintf(out, cap, "%s%s", pre, rest);
}

/*
** Rewrite lower-case word w in another inflection, the root-form rules of
** corpus/DEBIAN.md:
**   1. verbs (meN-, di-, ter-, memper-, diper-, with or without -kan/-i)
**      become the imperative: the root with the same -kan/-i, per- kept for
**      memper-/diper- ("menyisipkan" -> "sisipkan", "dihapus" -> "hapus",
**      "memperbarui" -> "perbarui"); ber- verbs become the root;
**   2. nouns made with peN-...-an, per-...-an, ke-...-an or -an become the
**      root ("pengaturan" -> "atur", "tampilan" -> "tampil");
**   3. a bare imperative root-kan/root-i becomes the meN- verb when the
**      dictionary allows it ("gunakan" -> "menggunakan");
**   4. a clitic (-nya, -lah, ...) goes.
** peN- agent nouns ("pengguna") and dictionary words stay as they are.
** Returns 1 with the new form in out (cap bytes) when w changed, else 0.
*/
int morph_rewrite(const wset *dic, const char *w, char *out,
                         size_t cap) {
  morph m;
  if (!morph_analyse(dic, w, &m)) return 0;
  if (m.whole) return 0;
  switch (m.prefix) {
  case PFX_MEN:
  case PFX_DI:
  case PFX_TER:
    snprintf(out, cap, "%s%s", m.root, strcmp(m.suffix, "an") ? m.suffix : "");
    break;
  case PFX_MEMPER:
  case PFX_DIPER:
    snprintf(out, cap, "per%s%s", m.root, m.suffix);
    break;
  case PFX_BER:
  case PFX_PER:
  case PFX_KE:
    snprintf(out, cap, "%s", m.root);
    break;
  case PFX_PEN:
    if (!*m.suffix) return 0; /* agent noun: its root means another thing */
    snprintf(out, cap, "%s", m.root);
    break;
  default: /* PFX_NONE: -kan, -i, -an, or only a clitic */
    if (strcmp(m.suffix, "kan") == 0 || strcmp(m.suffix, "i") == 0) {
      const wentry *e = wset_find(dic, m.root);
      char verb[2 * MAX_WORD];
      if (!e || !has_flag(e->flags, *m.suffix == 'k' ? "Mk" : "Mi")) {
        if (!m.clitic) return 0;
        snprintf(out, cap, "%s%s", m.root, m.suffix);
        break;
      }
      men_form(m.root, verb, sizeof verb);
      snprintf(out, cap, "%s%s", verb, m.suffix);
    } else
      snprintf(out, cap, "%s", m.root);
    break;
  }
  return strcmp(out, w) != 0;
}

/* True when w (lower case) is Indonesian as far as we can tell: a function
** word, a dictionary word, or an affixed form of one. */
static int known_indonesian(const wset *dic, const wset *fw, const char *w) {
  morph m;
  return function_word(fw, w) == 'i' || morph_analyse(dic, w, &m);
}

/*
** Is the short phrase s (a title, an index term) Indonesian? Words are the
** letter runs of two letters or more, acronyms (all capitals) aside; more
** must be known Indonesian than not, or as many when no English function
** word is among them ("tabel pivot" passes, "contour wrap" and "AutoCorrect
** function -- headings" do not). *content gets the number of words that
** are not function words of either language.
*/
int indonesian_phrase(const wset *dic, const wset *fw, const char *s,
                             int *content) {
  char w[MAX_WORD];
  int known = 0, unknown = 0, english = 0, shape, cw = 0;
  while (next_word(&s, w, sizeof w, &shape)) {
    int k;
    if (strlen(w) < 2) continue;
    k = function_word(fw, w);
    if (!k) cw++;
    if (shape == 2) continue;
    if (k == 'e') english++;
    if (known_indonesian(dic, fw, w)) known++;
    else unknown++;
  }
  if (content) *content = cw;
  return known > 0 && (known > unknown || (known == unknown && !english));
}
