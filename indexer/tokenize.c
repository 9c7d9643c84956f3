/*
** tokenize.c — split UTF-8 text into normalised words with utf8proc.
** Word boundaries come from Unicode general categories (letters, marks and
** numbers make words); see indexer.h for the joining rules. This file does
** not stem, does not know about FTS5, and never allocates per token: the
** normalisation buffers live in the idx_tokenizer and only grow.
*/
#include "indexer.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

struct idx_tokenizer {
  utf8proc_int32_t *cps; /* decomposition scratch, ncps code points */
  size_t ncps;
  char out[IDX_MAX_TOKEN + 8]; /* normalised token bytes */
};

#define NORM_OPTS                                                          \
  (UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |                \
   UTF8PROC_STRIPMARK | UTF8PROC_IGNORE | UTF8PROC_LUMP)

idx_tokenizer *idx_tokenizer_new(void) {
  return cari_calloc(1, sizeof(idx_tokenizer));
}

void idx_tokenizer_free(idx_tokenizer *t) {
  if (!t) return;
  cari_free(t->cps);
  cari_free(t);
}

/* Decode one code point at s[i..n). Returns its length, with *cp set; 0 for
** an invalid sequence (the caller skips one byte). */
static int decode(const unsigned char *s, int i, int n, utf8proc_int32_t *cp) {
  if (s[i] < 0x80) {
    *cp = s[i];
    return 1;
  }
  utf8proc_ssize_t k = utf8proc_iterate(s + i, n - i, cp);
  return k > 0 ? (int)k : 0;
}

static int is_word(utf8proc_int32_t cp) {
  if (cp < 0x80)
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
           (cp >= '0' && cp <= '9');
  switch (utf8proc_category(cp)) {
  case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
  case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
  case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
  case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
  case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL:
  case UTF8PROC_CATEGORY_NO:
    return 1;
  default:
    return 0;
  }
}

static int is_digit(utf8proc_int32_t cp) {
  return (cp >= '0' && cp <= '9') ||
         (cp >= 0x80 && utf8proc_category(cp) == UTF8PROC_CATEGORY_ND);
}

/* Apostrophes: ' U+2019 U+02BC U+2018 U+0060; hyphens: - U+2010 U+2011. */
static int is_apostrophe(utf8proc_int32_t cp) {
  return cp == '\'' || cp == 0x2019 || cp == 0x02BC || cp == 0x2018 ||
         cp == '`';
}
static int is_hyphen(utf8proc_int32_t cp) {
  return cp == '-' || cp == 0x2010 || cp == 0x2011;
}

/* Format characters (soft hyphen, zero-width joiners) inside a word are
** dropped by normalisation, so they must not split it. */
static int is_format(utf8proc_int32_t cp) {
  return cp >= 0x80 && utf8proc_category(cp) == UTF8PROC_CATEGORY_CF;
}

/* Normalise text[start..end) into t->out; returns the length (at most
** IDX_MAX_TOKEN), or -1 on out of memory. */
static int normalise(idx_tokenizer *t, const char *text, int start, int end) {
  const unsigned char *s = (const unsigned char *)text + start;
  int n = end - start, ascii = 1;
  for (int i = 0; i < n; i++)
    if (s[i] >= 0x80 || s[i] == '`') { ascii = 0; break; }
  if (ascii) { /* the common case: lower-case bytes, nothing else to do */
    if (n > IDX_MAX_TOKEN) n = IDX_MAX_TOKEN;
    for (int i = 0; i < n; i++) {
      unsigned char c = s[i];
      t->out[i] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
    }
    return n;
  }
  for (;;) {
    utf8proc_ssize_t k =
        utf8proc_decompose(s, n, t->cps, (utf8proc_ssize_t)t->ncps, NORM_OPTS);
    if (k < 0) return 0; /* cannot happen: the bytes decoded already */
    if ((size_t)k <= t->ncps) {
      k = utf8proc_normalize_utf32(t->cps, k, NORM_OPTS);
      if (k < 0) return 0;
      int len = 0;
      for (utf8proc_ssize_t i = 0; i < k; i++) {
        utf8proc_uint8_t buf[4];
        utf8proc_int32_t cp = t->cps[i];
        if (cp == '`' || cp == 0x2018) cp = '\''; /* lump the rest too */
        utf8proc_ssize_t w = utf8proc_encode_char(cp, buf);
        if (len + w > IDX_MAX_TOKEN) break;
        memcpy(t->out + len, buf, (size_t)w);
        len += (int)w;
      }
      return len;
    }
    int rc = 0;
    t->cps = cari_grow(&rc, t->cps, &t->ncps, (size_t)k + 16, sizeof *t->cps);
    if (rc) return -1;
  }
}

/* ASCII letters and digits: the bytes most text is made of, classified
** without decoding. */
static const unsigned char ascii_word[128] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
    ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
    ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1,
    ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
    ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
    ['Y'] = 1, ['Z'] = 1,
    ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
    ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1,
    ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
    ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
    ['y'] = 1, ['z'] = 1};

int idx_tokenize(idx_tokenizer *t, const char *text, int len, idx_token_fn fn,
                 void *ctx) {
  const unsigned char *s = (const unsigned char *)text;
  int i = 0;
  while (i < len) {
    utf8proc_int32_t cp;
    /* Fast: ASCII that is no word character (spaces, punctuation). */
    if (s[i] < 0x80 && !ascii_word[s[i]]) { i++; continue; }
    int k = decode(s, i, len, &cp);
    if (k == 0) { i++; continue; }
    if (!is_word(cp)) { i += k; continue; }
    int start = i, hyphens = 0;
    utf8proc_int32_t prev = cp;
    i += k;
    while (i < len) {
      if (s[i] < 0x80 && ascii_word[s[i]]) { /* fast: ASCII letter, digit */
        prev = s[i++];
        continue;
      }
      k = decode(s, i, len, &cp);
      if (k == 0) break;
      if (is_word(cp)) { prev = cp; i += k; continue; }
      /* A joiner stays only between two word characters. */
      int joins = is_apostrophe(cp) || is_hyphen(cp) || is_format(cp) ||
                  ((cp == '.' || cp == ',') && is_digit(prev));
      if (!joins || i + k >= len) break;
      utf8proc_int32_t next;
      int k2 = decode(s, i + k, len, &next);
      if (k2 == 0 || !is_word(next)) break;
      if ((cp == '.' || cp == ',') && !is_digit(next)) break;
      if (is_hyphen(cp)) hyphens++;
      prev = next;
      i += k + k2;
    }
    int n = normalise(t, text, start, i);
    if (n < 0) return -1;
    if (n == 0) continue; /* only ignorable characters */
    int rc = fn(ctx, t->out, n, start, i, hyphens);
    if (rc) return rc;
  }
  return 0;
}

int idx_utf8_valid(const char *s, size_t len, size_t *bad) {
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0;
  while (i < len) {
    if (u[i] < 0x80) { i++; continue; }
    utf8proc_int32_t cp;
    size_t left = len - i;
    utf8proc_ssize_t k = utf8proc_iterate(
        u + i, left > 4 ? 4 : (utf8proc_ssize_t)left, &cp);
    if (k <= 0) {
      if (bad) *bad = i;
      return 0;
    }
    i += (size_t)k;
  }
  return 1;
}
