/*
** snippet.c — the snippet of one field for a shown result, in place of
** FTS5's snippet(): the text is analysed once, and no further than needed.
** It does not read the index, rank results or escape HTML (the caller
** does), and it never allocates per word: two allocations per call.
*/
#include "query.h"
#include "cari.h"
#include "indexer.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
** How the snippet is chosen.
**
** Units. The query arrives as units (qry_snippet_unit makes them): a word
** is a unit of one index term, a phrase a unit of its terms in order. A
** unit occurs where consecutive words hold its terms, as FTS5's phrase
** match counts positions (the last term of a prefix unit matches every
** term that starts with it). Words of a phrase that stand alone are no
** occurrence: they are neither marked nor counted. Phrases match on their
** first QRY_SNIP_SPAN terms; at most QRY_SNIP_UNITS units and
** QRY_SNIP_TERMS distinct terms are kept (further ones are ignored).
**
** Words. A word is one position, as FTS5 counts them: the analyzer's terms
** in order, a colocated term belonging to the word before it. A term whose
** bytes overlap the current word's (or that has none) also joins it, so
** marks never nest or overlap; the parts of a compound (`Jakarta-Bandung`)
** have bytes of their own and are words of their own, as in the index.
** Occurrences are found as the words arrive (shift-and: per unit a bit
** mask of the prefixes of the unit that end at the current word), so the
** work per word does not depend on how often the phrase occurs. A word's
** mask has one bit per unit with an occurrence ending there; a word is a
** hit when an occurrence covers it.
**
** The window. Every run of W consecutive words (W = opts words) is scored
** by (distinct units ending in it, occurrences ending in it), and the first
** window with the best score wins; a text of at most W words is one window.
** Early stop: the first window that holds every distinct unit wins
** outright, and reading stops as soon as the snippet's words are known (a
** later window with more hits is not looked for). A text where no window
** holds every unit is read to its end. With no hit at all the snippet is
** the first W words.
**
** Placement. The best window tends to end at its last hit. It is moved so
** that it starts W/4 words (rounded: 6 of 24) before its first hit (or at
** the first word),
** unless that would drop its last hit, in which case it ends at the last
** hit; it is then moved back to end at the last word if it ran past it. No
** hit of the best window is ever lost; moving it may only gain hits.
**
** Output. The bytes as written from the window's first word to its last,
** with open/close around each run of words one occurrence covers (or
** overlapping occurrences cover): `"balai desa"` gives `[balai desa]`, one
** mark, and two words given apart give two marks; a mark cut by the
** window's edge is closed (or opened) there. An occurrence cut by the
** window's end may stay unmarked (reading stops at the window's end). The
** text before the first word when the window starts there, and after the
** last word when it ends there (the closing `.` or `)`); an ellipsis
** before when words precede the window, after when words follow it.
** Whether words follow is known, not guessed: reading goes on until the
** word after the window is seen, or the text ends. Every run of white
** space (space, tab, newline, CR, FF, VT) and of control characters (the
** rest of C0, DEL, and C1 as UTF-8) becomes one space, none at the ends:
** a snippet never holds a control byte of the article, so the caller's
** open/close (the CLI uses \1 and \2) are the only marks in it. Offsets
** that would cut a UTF-8 sequence are widened to whole sequences; other
** invalid bytes are copied as they are.
**
** Memory. One context per call holds two fixed arrays of 2*QRY_SNIP_MAX
** words: a ring of the last words read (the window and W/4 before it), and
** a copy of the best window's words, taken when it becomes best and
** extended as the words after it arrive, so the best window can lie far
** behind the ring when the text ends. An occurrence found at word e marks
** its earlier words in both (they are at most QRY_SNIP_SPAN back). The
** output is sized exactly, once.
*/
#define QRY_SNIP_WORDS 24 /* default window */
#define QRY_SNIP_MAX 64   /* largest window, FTS5's own limit */
#define QRY_SNIP_UNITS 64 /* units (words or phrases), one mask bit each */
#define QRY_SNIP_TERMS 128 /* distinct index terms of the units */
#define QRY_SNIP_SPAN 64  /* terms of a phrase matched: its first 64 */
#define RING (2 * QRY_SNIP_MAX) /* >= W + W/4, >= the saved span 2W, > SPAN */
#if QRY_SNIP_TERMS != 128
#error "cur_set is two words"
#endif

typedef struct snip_word {
  int start, end;     /* text[start..end), the word as written */
  uint64_t mask;      /* bit j: an occurrence of unit j ends at this word */
  unsigned char hit;  /* an occurrence covers the word */
  unsigned char join; /* ... and the word before it: one mark with it */
} snip_word;

typedef struct snip_term {
  const char *s;      /* borrowed from the caller's units */
  int n;
  int prefix;         /* matches every term starting with s[0..n) */
} snip_term;

typedef struct snip_ctx {
  const char *text; /* borrowed from the caller for the call */
  int len;
  int w, quarter;   /* window length W, and W/4 rounded */
  snip_term term[QRY_SNIP_TERMS]; /* distinct terms of the units */
  int nuniq;
  int nunit;
  int ulen[QRY_SNIP_UNITS];       /* terms of unit j matched (<= SPAN) */
  uint64_t state[QRY_SNIP_UNITS]; /* bit i: unit j's terms 0..i end here */
  int live;                       /* some state is not 0 */
  snip_word cur;    /* the word being read: terms join it until the next */
  uint64_t cur_set[QRY_SNIP_TERMS / 64]; /* distinct terms cur holds */
  int have_cur;
  int n;            /* words committed (positions 0..n-1) */
  snip_word ring[RING];             /* word p at ring[p % RING] */
  int cnt[QRY_SNIP_UNITS];          /* occurrences per unit in the window */
  int ndistinct, nhits;             /* ... ending at word n-1 */
  /* The best window so far. */
  int found, frozen;  /* frozen: it holds every unit, stop when known */
  int best_d, best_h;
  int first;          /* the snippet's first word, before the end clamp */
  int lo, nsaved;     /* saved[i] is word lo + i */
  int more;           /* the word after first + w - 1 has been seen */
  snip_word saved[RING];
  /* Last, and not cleared per call (64 KB): row j is set by add_unit. */
  uint64_t pos[QRY_SNIP_UNITS][QRY_SNIP_TERMS]; /* [j][t] bit i: term i of
                                  ** unit j is distinct term t */
} snip_ctx;

/* White space and control characters: each run becomes one space. */
static int is_space(unsigned char c) { return c < 0x20 || c == 0x7F || c == ' '; }

/* A C1 control character in UTF-8 (U+0080..U+009F): C2 80..C2 9F. */
static int is_c1(const unsigned char *s, int i, int to) {
  return s[i] == 0xC2 && i + 1 < to && s[i + 1] >= 0x80 && s[i + 1] <= 0x9F;
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

/* Add the distinct terms an index term matches to set (several can: a
** prefix and a whole word, `mak*` and `makan`). */
static void term_set(const snip_ctx *c, const char *t, int n, uint64_t *set) {
  for (int i = 0; i < c->nuniq; i++) {
    const snip_term *q = &c->term[i];
    if (q->prefix ? n >= q->n && memcmp(q->s, t, (size_t)q->n) == 0
                  : q->n == n && memcmp(q->s, t, (size_t)n) == 0)
      set[i / 64] |= (uint64_t)1 << (i % 64);
  }
}

/* The index of a unit's term among the distinct ones, added if new; -1
** when QRY_SNIP_TERMS are taken. */
static int term_index(snip_ctx *c, const char *s, int n, int prefix) {
  for (int i = 0; i < c->nuniq; i++)
    if (c->term[i].n == n && c->term[i].prefix == prefix &&
        memcmp(c->term[i].s, s, (size_t)n) == 0)
      return i;
  if (c->nuniq == QRY_SNIP_TERMS) return -1;
  c->term[c->nuniq] = (snip_term){s, n, prefix};
  return c->nuniq++;
}

/* Add unit u[0..n) (terms separated by one space, '*' last for a prefix)
** unless it is there already or does not fit. *flags gets IDX_SURFACE when
** a term is a surface form. */
static void add_unit(snip_ctx *c, const char *u, int n, int *flags) {
  if (c->nunit == QRY_SNIP_UNITS) return;
  int prefix = n > 1 && u[n - 1] == '*';
  if (prefix) n--;
  int j = c->nunit, k = 0;
  uint64_t *pos = c->pos[j];
  memset(pos, 0, sizeof c->pos[j]);
  for (int a = 0; a < n && k < QRY_SNIP_SPAN;) {
    int b = a;
    while (b < n && u[b] != ' ') b++;
    if (b > a) {
      int t = term_index(c, u + a, b - a, prefix && b == n);
      if (t < 0) return; /* the terms added stay: unused, harmless */
      if (u[a] == IDX_SURFACE_MARK) *flags = IDX_SURFACE;
      pos[t] |= (uint64_t)1 << k++;
    }
    a = b + 1;
  }
  if (k == 0) return;
  for (int i = 0; i < j; i++) /* the same unit twice counts once */
    if (c->ulen[i] == k && memcmp(c->pos[i], pos, sizeof c->pos[j]) == 0)
      return;
  c->ulen[j] = k;
  c->nunit++;
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
    if (c->ring[p % RING].hit) {
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
  if (c->ndistinct == c->nunit) c->frozen = 1;
}

/* An occurrence of k words ends at the current word (position n): mark
** the words before it, in the ring and in the saved copy. */
static void occurrence(snip_ctx *c, int k) {
  c->cur.hit = 1;
  if (k > 1) c->cur.join = 1;
  for (int p = c->n - k + 1; p < c->n; p++) {
    snip_word *r = &c->ring[p % RING];
    r->hit = 1;
    r->join |= p > c->n - k + 1;
    if (c->found && p >= c->lo && p < c->lo + c->nsaved)
      c->saved[p - c->lo] = *r;
  }
}

/* Advance every unit's match over the current word (shift-and): the
** prefixes of unit j that end here are those ending at the word before,
** one longer, plus its first term, kept where this word holds the term. */
static void match(snip_ctx *c) {
  if (!(c->cur_set[0] | c->cur_set[1])) { /* most words: no unit goes on */
    if (c->live) memset(c->state, 0, sizeof c->state);
    c->live = 0;
    return;
  }
  c->live = 0;
  for (int j = 0; j < c->nunit; j++) {
    uint64_t m = 0;
    for (int i = 0; i < QRY_SNIP_TERMS / 64; i++)
      for (uint64_t b = c->cur_set[i]; b; b &= b - 1)
        m |= c->pos[j][i * 64 + __builtin_ctzll(b)];
    uint64_t st = ((c->state[j] << 1) | 1) & m;
    c->state[j] = st;
    c->live |= st != 0;
    if (st >> (c->ulen[j] - 1) & 1) {
      c->cur.mask |= (uint64_t)1 << j;
      occurrence(c, c->ulen[j]);
    }
  }
}

/* Word cur is complete: it becomes position n, enters the window ending
** there (the word W before leaves), and that window is scored. */
static void commit(snip_ctx *c) {
  match(c);
  const snip_word *wd = &c->cur;
  int e = c->n++;
  c->ring[e % RING] = *wd;
  if (c->frozen) {
    capture(c, e, wd);
    return;
  }
  if (wd->mask) { /* most words are not hits: no loop for them */
    for (int j = 0; j < c->nunit; j++)
      if ((wd->mask >> j & 1) && c->cnt[j]++ == 0) c->ndistinct++;
    c->nhits += __builtin_popcountll(wd->mask);
  }
  uint64_t m = e >= c->w ? c->ring[(e - c->w) % RING].mask : 0;
  if (m) { /* the word leaving the window */
    for (int j = 0; j < c->nunit; j++)
      if ((m >> j & 1) && --c->cnt[j] == 0) c->ndistinct--;
    c->nhits -= __builtin_popcountll(m);
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
  uint64_t set[2] = {0, 0}; /* QRY_SNIP_TERMS / 64 words */
  term_set(c, term, nterm, set);
  if (c->have_cur && (colocated || start < c->cur.end || end <= start)) {
    if (end > c->cur.end) c->cur.end = end;
    c->cur_set[0] |= set[0];
    c->cur_set[1] |= set[1];
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
  c->cur = (snip_word){start, end, 0, 0, 0};
  c->cur_set[0] = set[0];
  c->cur_set[1] = set[1];
  c->have_cur = 1;
  return 0;
}

/* Append text[from..to) to out at *k, each run of white space or control
** characters as one space (written only before something else, and never
** first). */
static void put_text(char *out, size_t *k, int *space, const char *s,
                     int from, int to) {
  const unsigned char *u = (const unsigned char *)s;
  for (int i = from; i < to; i++) {
    if (is_space(u[i]) || is_c1(u, i, to)) {
      i += u[i] == 0xC2; /* a C1 control is two bytes */
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

  snip_ctx *c = cari_malloc(sizeof *c);
  if (!c) return CARI_NOMEM;
  memset(c, 0, offsetof(snip_ctx, pos));
  c->text = text ? text : "";
  c->len = len;
  c->w = w;
  c->quarter = (w + 2) / 4; /* a quarter, rounded: 6 of 24, 1 of 2 */
  int flags = 0; /* IDX_SURFACE: surface forms are asked for */
  for (int i = 0; i < nterm && terms && nterms; i++)
    if (terms[i] && nterms[i] > 0) add_unit(c, terms[i], nterms[i], &flags);

  int rc = len > 0 ? idx_analyze(an, c->text, len, flags, on_term, c) : 0;
  if (rc < 0) {
    cari_free(c);
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
  char *s = cari_malloc(cap);
  if (!s) {
    cari_free(c);
    return CARI_NOMEM;
  }
  size_t k = 0;
  int space = 0;
  if (nw) {
    if (!head) put_raw(s, &k, &space, ell, ne);
    int pos = a;
    for (int p = first; p <= last; p++) {
      const snip_word *wd = &c->saved[p - c->lo];
      if (!wd->hit) continue;
      put_text(s, &k, &space, c->text, pos, wd->start);
      if (!wd->join || p == first) /* a mark starts here */
        put_raw(s, &k, &space, open, no);
      put_text(s, &k, &space, c->text, wd->start, wd->end);
      if (p == last || !c->saved[p + 1 - c->lo].join) {
        space = 0; /* a mark ends the word: white space after it is kept */
        put_raw(s, &k, &space, close, nc);
      }
      pos = wd->end;
    }
    put_text(s, &k, &space, c->text, pos, b);
    if (!tail) {
      space = 0;
      put_raw(s, &k, &space, ell, ne);
    }
  }
  s[k] = 0;
  cari_free(c);
  *out = s;
  return CARI_OK;
}

/* Collects a unit's terms, each after a space but the first. */
typedef struct unit_buf {
  cari_buf b;
  int rc; /* sticky: CARI_NOMEM once an append failed */
} unit_buf;

static int unit_add(unit_buf *u, const char *s, int n) {
  if (u->b.n) cari_buf_addc(&u->rc, &u->b, ' ');
  return cari_buf_add(&u->rc, &u->b, s, (size_t)n) ? 1 : 0;
}

static int on_unit_term(void *ctx, const char *term, int nterm, int start,
                        int end, int colocated) {
  (void)start, (void)end;
  /* A query gives none; were one given, FTS5 would take it as an
  ** alternative, which a unit cannot say: the first term stands. */
  if (colocated || nterm <= 0) return 0;
  return unit_add(ctx, term, nterm);
}

int qry_snippet_unit(struct idx_analyzer *an, const char *text, int len,
                     int prefix, char **out, int *nout) {
  *out = NULL;
  *nout = 0;
  int flags = prefix ? IDX_NOSTEM : 0;
  if (len > 0 && text[0] == IDX_SURFACE_MARK) { /* as the tokenizer reads it */
    flags = IDX_SURFACE_QUERY;
    text++;
    len--;
  }
  unit_buf u = {CARI_BUF_INIT, CARI_OK};
  int rc = len > 0 ? idx_analyze(an, text, len, flags, on_unit_term, &u) : 0;
  if (prefix && u.b.n) cari_buf_addc(&u.rc, &u.b, '*');
  if (rc < 0 || u.rc) {
    cari_buf_free(&u.b);
    return CARI_NOMEM;
  }
  *nout = (int)u.b.n;
  *out = u.b.n ? cari_buf_take(&u.b) : NULL;
  cari_buf_free(&u.b);
  return CARI_OK;
}
