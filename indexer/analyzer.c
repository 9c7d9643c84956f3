/*
** analyzer.c — words to index terms: the tokenizer, then a stemmer chosen by
** name, then the treatment of hyphenated words (reduplication becomes one
** term, other compounds one term per part). Stemmers hold no global state:
** each analyzer owns its own. This file does not know about SQLite.
*/
#include "indexer.h"

#include <libstemmer.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { STEM_NONE, STEM_SNOWBALL } stem_kind;

static const char *const stemmer_names[] = {"snowball", "none", NULL};

struct idx_analyzer {
  idx_tokenizer *tok;
  stem_kind kind;
  struct sb_stemmer *sb; /* owned; NULL unless kind == STEM_SNOWBALL */
  int flags;             /* of the running idx_analyze call */
  idx_term_fn fn;
  void *ctx;
  char word[IDX_MAX_TOKEN + 8]; /* copy of the token being split */
  char base[IDX_MAX_TOKEN + 8]; /* stem of a reduplication's first part */
  char surf[IDX_MAX_TOKEN + 8]; /* mark + the token as written */
  int nsurf;                    /* > 0: emit surf after the next term */
};

const char *const *idx_stemmer_names(void) { return stemmer_names; }

int idx_stemmer_known(const char *name) {
  for (int i = 0; stemmer_names[i]; i++)
    if (strcmp(name, stemmer_names[i]) == 0) return 1;
  return 0;
}

idx_analyzer *idx_analyzer_new(const char *stemmer, char *err, size_t errcap) {
  if (!stemmer) stemmer = "snowball";
  if (!idx_stemmer_known(stemmer)) {
    snprintf(err, errcap, "unknown stemmer '%s' (known: snowball, none)",
             stemmer);
    return NULL;
  }
  idx_analyzer *an = calloc(1, sizeof *an);
  if (!an || !(an->tok = idx_tokenizer_new())) goto nomem;
  if (strcmp(stemmer, "snowball") == 0) {
    an->kind = STEM_SNOWBALL;
    an->sb = sb_stemmer_new("indonesian", "UTF_8");
    if (!an->sb) goto nomem;
  }
  return an;
nomem:
  snprintf(err, errcap, "out of memory creating the analyzer");
  idx_analyzer_free(an);
  return NULL;
}

void idx_analyzer_free(idx_analyzer *an) {
  if (!an) return;
  idx_tokenizer_free(an->tok);
  if (an->sb) sb_stemmer_delete(an->sb);
  free(an);
}

const char *idx_analyzer_stemmer(const idx_analyzer *an) {
  return an->kind == STEM_SNOWBALL ? "snowball" : "none";
}

static int has_digit(const char *w, int n) {
  for (int i = 0; i < n; i++)
    if (w[i] >= '0' && w[i] <= '9') return 1;
  return 0;
}

/* Stem w[0..n): sets *out (valid until the next stem call) and returns its
** length, or -1 on out of memory. */
static int stem(idx_analyzer *an, const char *w, int n, const char **out) {
  *out = w;
  if (an->kind == STEM_NONE || (an->flags & IDX_NOSTEM) || n > IDX_MAX_STEM ||
      has_digit(w, n))
    return n;
  const sb_symbol *s = sb_stemmer_stem(an->sb, (const sb_symbol *)w, n);
  if (!s) return -1;
  *out = (const char *)s;
  return sb_stemmer_length(an->sb);
}

/* Every term leaves through here: the token's surface form, when pending,
** follows its first term at the same position. */
static int emit(idx_analyzer *an, const char *t, int n, int start, int end) {
  int rc = an->fn(an->ctx, t, n, start, end, 0);
  if (rc || an->nsurf == 0) return rc;
  int ns = an->nsurf;
  an->nsurf = 0;
  return an->fn(an->ctx, an->surf, ns, start, end, 1);
}

static int emit_stem(idx_analyzer *an, const char *w, int n, int start,
                     int end) {
  const char *t;
  int m = stem(an, w, n, &t);
  if (m < 0) return -1;
  return emit(an, t, m, start, end);
}

static int starts_with(const char *a, int na, const char *b, int nb) {
  return na >= nb && memcmp(a, b, (size_t)nb) == 0;
}
static int ends_with(const char *a, int na, const char *b, int nb) {
  return na >= nb && memcmp(a + na - nb, b, (size_t)nb) == 0;
}

/*
** Is a-b a reduplication, and which part carries the base? Returns 1 (base
** in a), 2 (base in b) or 0 (a compound of two words). The shapes:
**   anak-anak        equal parts
**   berkumpul-kumpul a ends with b: an affixed first part (base b)
**   anak-anaknya     b starts with a: a suffixed second part (base a)
**   sebaik-baiknya   a's tail starts b (base b)
**   sayur-mayur      same length, at most two letters differ (base a)
*/
static int redup_shape(const char *a, int na, const char *b, int nb) {
  if (na == nb && memcmp(a, b, (size_t)na) == 0) return 1;
  if (nb >= 3 && ends_with(a, na, b, nb)) return 2;
  if (na >= 3 && starts_with(b, nb, a, na)) return 1;
  for (int k = 1; k <= 4 && na - k >= 3; k++)
    if (starts_with(b, nb, a + k, na - k)) return 2;
  if (na == nb && na >= 4) {
    int diff = 0;
    for (int i = 0; i < na; i++) diff += a[i] != b[i];
    if (diff <= 2) return 1;
  }
  return 0;
}

/* A hyphenated word: one term for a reduplication, else one per part. */
static int emit_hyphenated(idx_analyzer *an, const char *w, int n, int start,
                           int end, const char *text) {
  if (an->kind == STEM_NONE || (an->flags & IDX_NOSTEM) || n > IDX_MAX_STEM)
    goto split_or_whole;
  {
    const char *h = memchr(w, '-', (size_t)n);
    int na = (int)(h - w), nb = n - na - 1;
    const char *b = h + 1;
    if (memchr(b, '-', (size_t)nb)) goto split_or_whole; /* 3+ parts */
    int which = redup_shape(w, na, b, nb);
    if (which == 0) {
      /* Not by shape: still a reduplication if both parts stem alike
      ** (tolong-menolong). */
      const char *t;
      int m = stem(an, w, na, &t);
      if (m < 0) return -1;
      memcpy(an->base, t, (size_t)m);
      int m2 = stem(an, b, nb, &t);
      if (m2 < 0) return -1;
      if (m == m2 && memcmp(an->base, t, (size_t)m) == 0)
        return emit(an, an->base, m, start, end);
      goto split_or_whole;
    }
    return which == 1 ? emit_stem(an, w, na, start, end)
                      : emit_stem(an, b, nb, start, end);
  }
split_or_whole:
  if (an->kind == STEM_NONE || (an->flags & IDX_NOSTEM))
    return emit(an, w, n, start, end); /* as written, whole */
  /* A compound: each part is its own term, with its own offsets in the
  ** original text (found by re-tokenizing the span without hyphens is not
  ** possible, so map parts by counting hyphens in the original). */
  {
    int p = 0, o = start;
    while (p <= n) {
      const char *h = memchr(w + p, '-', (size_t)(n - p));
      int q = h ? (int)(h - w) : n;
      /* Find the matching hyphen in the original span to keep offsets. */
      int oe = o;
      if (h) {
        while (oe < end && text[oe] != '-' &&
               !((unsigned char)text[oe] == 0xE2 && oe + 2 < end &&
                 (unsigned char)text[oe + 1] == 0x80 &&
                 ((unsigned char)text[oe + 2] == 0x90 ||
                  (unsigned char)text[oe + 2] == 0x91)))
          oe++;
      } else {
        oe = end;
      }
      if (q > p) {
        int rc = emit_stem(an, w + p, q - p, o, oe);
        if (rc) return rc;
      }
      if (!h) break;
      o = oe + (text[oe] == '-' ? 1 : 3);
      p = q + 1;
    }
    return 0;
  }
}

typedef struct {
  idx_analyzer *an;
  const char *text;
} walk_ctx;

static int on_token(void *ctx, const char *norm, int n, int start, int end,
                    int hyphens) {
  walk_ctx *wc = ctx;
  idx_analyzer *an = wc->an;
  if (an->flags & (IDX_SURFACE | IDX_SURFACE_QUERY)) {
    an->surf[0] = IDX_SURFACE_MARK;
    memcpy(an->surf + 1, norm, (size_t)n);
    if (an->flags & IDX_SURFACE_QUERY)
      return an->fn(an->ctx, an->surf, n + 1, start, end, 0);
    an->nsurf = n + 1;
  }
  if (hyphens) {
    memcpy(an->word, norm, (size_t)n);
    return emit_hyphenated(an, an->word, n, start, end, wc->text);
  }
  /* anak2, rumah2nya: a reduplication written with the digit 2. */
  if (an->kind != STEM_NONE && !(an->flags & IDX_NOSTEM) && n >= 4 &&
      n <= IDX_MAX_STEM) {
    const char *two = memchr(norm, '2', (size_t)n);
    if (two && two - norm >= 3 && !has_digit(two + 1, n - (int)(two - norm) - 1) &&
        !has_digit(norm, (int)(two - norm))) {
      memcpy(an->word, norm, (size_t)(two - norm));
      memcpy(an->word + (two - norm), two + 1, (size_t)(n - (two - norm) - 1));
      return emit_stem(an, an->word, n - 1, start, end);
    }
  }
  return emit_stem(an, norm, n, start, end);
}

int idx_analyze(idx_analyzer *an, const char *text, int len, int flags,
                idx_term_fn fn, void *ctx) {
  walk_ctx wc = {an, text};
  an->flags = flags;
  an->fn = fn;
  an->ctx = ctx;
  an->nsurf = 0;
  return idx_tokenize(an->tok, text, len, on_token, &wc);
}
