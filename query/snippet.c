/*
** snippet.c — the snippet of one field for a shown result, in place of
** FTS5's snippet(): the text is analysed once, and no further than needed.
** It does not read the index, rank results or escape HTML (the caller
** does), and it never allocates per word: two allocations per call.
*/
#include "query.h"
#include "cari.h"
#include "indexer.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
** How the snippet is chosen.
**
** Words. A word is one position, as FTS5 counts them: the analyzer's terms
** in order, a colocated term belonging to the word before it. A term whose
** bytes overlap the current word's (or that has none) also joins it, so
** marks never nest or overlap; the parts of a compound (`Jakarta-Bandung`)
** have bytes of their own and are words of their own, as in the index. A
** word is a hit when any of its terms is a query term; its mask has one bit
** per distinct query term it holds (QRY_SNIP_TERMS at most; further
** distinct terms are ignored).
**
** The window. Every run of W consecutive words (W = opts words) is scored
** by (distinct terms held, hits held), and the first window with the best
** score wins; a text of at most W words is one window. Early stop: the first
** window that holds every distinct term wins outright, and reading stops as
** soon as the snippet's words are known (a later window with more hits is
** not looked for). A text where no window holds every term is read to its
** end. With no hit at all the snippet is the first W words.
**
** Placement. The best window tends to end at its last hit. It is moved so
** that it starts W/4 words (rounded: 6 of 24) before its first hit (or at
** the first word),
** unless that would drop its last hit, in which case it ends at the last
** hit; it is then moved back to end at the last word if it ran past it. No
** hit of the best window is ever lost; moving it may only gain hits.
**
** Output. The bytes as written from the window's first word to its last,
** with open/close around each hit word's bytes; the text before the first
** word when the window starts there, and after the last word when it ends
** there (the closing `.` or `)`); an ellipsis before when words precede the
** window, after when words follow it. Whether words follow is known, not
** guessed: reading goes on until the word after the window is seen, or the
** text ends. Every run of white space (space, tab, newline, CR, FF, VT)
** becomes one space, none at the ends. A text with no word gives "".
** Offsets that would cut a UTF-8 sequence are widened to whole sequences;
** invalid bytes are copied as they are.
**
** Memory. One context per call holds two fixed arrays of 2*QRY_SNIP_MAX
** words: a ring of the last words read (the window and W/4 before it), and
** a copy of the best window's words, taken when it becomes best and
** extended as the words after it arrive, so the best window can lie far
** behind the ring when the text ends. The output is sized exactly, once.
*/
#define QRY_SNIP_WORDS 24 /* default window */
#define QRY_SNIP_MAX 64   /* largest window, FTS5's own limit */
#define QRY_SNIP_TERMS 64 /* distinct query terms, one mask bit each */
#define RING (2 * QRY_SNIP_MAX) /* >= W + W/4, and >= the saved span 2W */

typedef struct snip_word {
  int start, end; /* text[start..end), the word as written */
  uint64_t mask;  /* bit i: the word holds distinct query term i */
} snip_word;

typedef struct snip_ctx {
  const char *text; /* borrowed from the caller for the call */
  int len;
  int w, quarter;   /* window length W, and W/4 rounded */
  const char *term[QRY_SNIP_TERMS]; /* distinct query terms, borrowed */
  int nterm[QRY_SNIP_TERMS];
  int nuniq;
  snip_word cur;    /* the word being read: terms join it until the next */
  int have_cur;
  int n;            /* words committed (positions 0..n-1) */
  snip_word ring[RING];             /* word p at ring[p % RING] */
  int cnt[QRY_SNIP_TERMS];          /* hits per term in the window ending */
  int ndistinct, nhits;             /* ... at word n-1 */
  /* The best window so far. */
  int found, frozen;  /* frozen: it holds every term, stop when known */
  int best_d, best_h;
  int first;          /* the snippet's first word, before the end clamp */
  int lo, nsaved;     /* saved[i] is word lo + i */
  int more;           /* the word after first + w - 1 has been seen */
  snip_word saved[RING];
} snip_ctx;

static int is_space(unsigned char c) {
  return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' ||
         c == '\v';
}

static int is_cont(unsigned char c) { return (c & 0xC0) == 0x80; }

/* Bytes of the UTF-8 sequence a lead byte starts (1 for anything else). */
static int seq_len(unsigned char c) {
  return c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF8 ? 4 : 1;
}

/* The first byte of the sequence holding byte i: i itself unless i is a
** continuation byte of a sequence that starts at most 3 bytes before. */
static int seq_start(const unsigned char *t, int len, int i) {
  if (i <= 0 || i >= len || !is_cont(t[i])) return i;
  for (int j = i - 1; j >= 0 && j >= i - 3; j--) {
    if (is_cont(t[j])) continue;
    return j + seq_len(t[j]) > i ? j : i;
  }
  return i;
}

/* An end offset moved past the rest of a sequence it would cut. */
static int seq_end(const unsigned char *t, int len, int e) {
  int s = seq_start(t, len, e);
  if (s == e) return e;
  int z = s + seq_len(t[s]);
  if (z > len) return e;
  for (int k = e; k < z; k++)
    if (!is_cont(t[k])) return e; /* an invalid sequence: leave it */
  return z;
}

/* A query term ending in '*' is a prefix (index terms never hold '*'). */
static uint64_t term_mask(const snip_ctx *c, const char *t, int n) {
  for (int i = 0; i < c->nuniq; i++) {
    int k = c->nterm[i];
    if (k > 1 && c->term[i][k - 1] == '*') {
      if (n >= k - 1 && memcmp(c->term[i], t, (size_t)k - 1) == 0)
        return (uint64_t)1 << i;
    } else if (k == n && memcmp(c->term[i], t, (size_t)n) == 0) {
      return (uint64_t)1 << i;
    }
  }
  return 0;
}

/* Extend the saved copy of the best window with word e when it is the next
** one the snippet may need. */
static void capture(snip_ctx *c, int e, const snip_word *wd) {
  if (c->found && e == c->lo + c->nsaved && e < c->first + c->w &&
      c->nsaved < RING)
    c->saved[c->nsaved++] = *wd;
}

/* The window ending at word e is the best so far: place the snippet and
** save its words from the ring. */
static void record(snip_ctx *c, int e) {
  int s = e - c->w + 1, h1 = -1, hk = -1;
  if (s < 0) s = 0;
  for (int p = s; c->nhits && p <= e; p++)
    if (c->ring[p % RING].mask) {
      if (h1 < 0) h1 = p;
      hk = p;
    }
  int first = s;
  if (h1 >= 0) {
    first = h1 > c->quarter ? h1 - c->quarter : 0;
    if (first + c->w - 1 < hk) first = hk - c->w + 1;
  }
  int lo = first < s ? first : s; /* >= e - (W + W/4) + 1: still in the ring */
  c->found = 1;
  c->best_d = c->ndistinct;
  c->best_h = c->nhits;
  c->first = first;
  c->lo = lo;
  c->nsaved = 0;
  c->more = 0;
  for (int p = lo; p <= e; p++) c->saved[c->nsaved++] = c->ring[p % RING];
  if (c->ndistinct == c->nuniq) c->frozen = 1;
}

/* Word cur is complete: it becomes position n, enters the window ending
** there (the word W before leaves), and that window is scored. */
static void commit(snip_ctx *c) {
  const snip_word *wd = &c->cur;
  int e = c->n++;
  c->ring[e % RING] = *wd;
  if (c->frozen) {
    capture(c, e, wd);
    return;
  }
  if (wd->mask) { /* most words are not hits: no loop for them */
    for (int i = 0; i < c->nuniq; i++)
      if ((wd->mask >> i & 1) && c->cnt[i]++ == 0) c->ndistinct++;
    c->nhits++;
  }
  uint64_t m = e >= c->w ? c->ring[(e - c->w) % RING].mask : 0;
  if (m) { /* the word leaving the window */
    for (int i = 0; i < c->nuniq; i++)
      if ((m >> i & 1) && --c->cnt[i] == 0) c->ndistinct--;
    c->nhits--;
  }
  if (!c->found || c->ndistinct > c->best_d ||
      (c->ndistinct == c->best_d && c->nhits > c->best_h))
    record(c, e);
  else
    capture(c, e, wd);
}

/* idx_term_fn: join the term to the current word or start a new one;
** non-zero stops the analyzer once the snippet is settled. */
static int on_term(void *ctx, const char *term, int nterm, int start,
                   int end, int colocated) {
  snip_ctx *c = ctx;
  const unsigned char *t = (const unsigned char *)c->text;
  if (start < 0) start = 0;
  if (start > c->len) start = c->len;
  if (end > c->len) end = c->len;
  if (end < start) end = start;
  if (start < c->len && is_cont(t[start])) start = seq_start(t, c->len, start);
  if (end < c->len && is_cont(t[end])) end = seq_end(t, c->len, end);
  uint64_t m = term_mask(c, term, nterm);
  if (c->have_cur && (colocated || start < c->cur.end || end <= start)) {
    if (end > c->cur.end) c->cur.end = end;
    c->cur.mask |= m;
    return 0;
  }
  if (end <= start) return 0; /* nothing to mark, no word to join */
  if (c->have_cur) {
    commit(c);
    /* The word after the snippet's last exists: with the snippet frozen,
    ** nothing more is needed. */
    if (c->found && c->n == c->first + c->w && c->lo + c->nsaved == c->n) {
      c->more = 1;
      if (c->frozen) return 1;
    }
  }
  c->cur.start = start;
  c->cur.end = end;
  c->cur.mask = m;
  c->have_cur = 1;
  return 0;
}

/* Append text[from..to) to out at *k, each run of white space as one space
** (written only before something else, and never first). */
static void put_text(char *out, size_t *k, int *space, const char *s,
                     int from, int to) {
  for (int i = from; i < to; i++) {
    if (is_space((unsigned char)s[i])) {
      *space = *k > 0;
      continue;
    }
    if (*space) out[(*k)++] = ' ';
    *space = 0;
    out[(*k)++] = s[i];
  }
}

static void put_raw(char *out, size_t *k, int *space, const char *s,
                    size_t n) {
  if (*space && n) out[(*k)++] = ' ';
  if (n) *space = 0;
  memcpy(out + *k, s, n);
  *k += n;
}

int qry_snippet(struct idx_analyzer *an, const char *text, int len,
                const char *const *terms, const int *nterms, int nterm,
                const qry_snippet_opts *o, char **out) {
  *out = NULL;
  const char *open = o && o->open ? o->open : "[";
  const char *close = o && o->close ? o->close : "]";
  const char *ell = o && o->ellipsis ? o->ellipsis : "\xE2\x80\xA6";
  int w = o && o->words > 0 ? o->words : QRY_SNIP_WORDS;
  if (w > QRY_SNIP_MAX) w = QRY_SNIP_MAX;
  if (!text) len = 0;
  else if (len < 0) len = (int)strlen(text);

  snip_ctx *c = calloc(1, sizeof *c);
  if (!c) return CARI_NOMEM;
  c->text = text ? text : "";
  c->len = len;
  c->w = w;
  c->quarter = (w + 2) / 4; /* a quarter, rounded: 6 of 24, 1 of 2 */
  for (int i = 0; i < nterm && terms && nterms; i++) {
    if (!terms[i] || nterms[i] <= 0) continue;
    int dup = 0;
    for (int j = 0; j < c->nuniq && !dup; j++)
      dup = c->nterm[j] == nterms[i] &&
            memcmp(c->term[j], terms[i], (size_t)nterms[i]) == 0;
    if (dup || c->nuniq == QRY_SNIP_TERMS) continue;
    c->term[c->nuniq] = terms[i];
    c->nterm[c->nuniq++] = nterms[i];
  }

  int rc = len > 0 ? idx_analyze(an, c->text, len, 0, on_term, c) : 0;
  if (rc < 0) {
    free(c);
    return CARI_NOMEM;
  }
  if (rc == 0 && c->have_cur) commit(c); /* the text's last word */

  /* The snippet's words [first, last], and whether text is cut. */
  int first = 0, last = -1, head = 1, tail = 1;
  if (c->found) {
    first = c->first;
    if (c->more) {
      last = first + w - 1;
      tail = 0;
    } else { /* the text ended within the saved words: c->n is known */
      if (first + w > c->n) first = c->n > w ? c->n - w : 0;
      if (first < c->lo) first = c->lo;
      last = first + w - 1 < c->n - 1 ? first + w - 1 : c->n - 1;
      tail = last == c->n - 1;
    }
    if (last - c->lo >= c->nsaved) last = c->lo + c->nsaved - 1; /* guard */
    head = first == 0;
  }

  size_t no = strlen(open), nc = strlen(close), ne = strlen(ell);
  int a = 0, b = 0, nw = last >= first ? last - first + 1 : 0;
  if (nw) { /* the bytes shown */
    a = head ? 0 : c->saved[first - c->lo].start;
    b = tail ? len : c->saved[last - c->lo].end;
  }
  size_t cap = (size_t)(b - a) + (size_t)nw * (no + nc) + 2 * ne + 1;
  char *s = malloc(cap);
  if (!s) {
    free(c);
    return CARI_NOMEM;
  }
  size_t k = 0;
  int space = 0;
  if (nw) {
    if (!head) put_raw(s, &k, &space, ell, ne);
    int pos = a;
    for (int p = first; p <= last; p++) {
      const snip_word *wd = &c->saved[p - c->lo];
      if (!wd->mask) continue;
      put_text(s, &k, &space, c->text, pos, wd->start);
      put_raw(s, &k, &space, open, no);
      put_text(s, &k, &space, c->text, wd->start, wd->end);
      space = 0; /* a mark ends the word: white space after it is kept */
      put_raw(s, &k, &space, close, nc);
      pos = wd->end;
    }
    put_text(s, &k, &space, c->text, pos, b);
    if (!tail) {
      space = 0;
      put_raw(s, &k, &space, ell, ne);
    }
  }
  s[k] = 0;
  free(c);
  *out = s;
  return CARI_OK;
}
