/*
** htmlfast.c — the text of simple HTML fragments (the posts of feeds and
** exports) without building a tree: the same text html.c's gumbo path
** gives, at a fraction of its cost. It does not parse HTML in general: on
** anything outside the simple subset below it answers "not simple" and the
** caller uses gumbo. tests/test_xml.c holds the two paths equal on every
** fragment of its data and on thousands of random fragments.
**
** Why a second path: a WordPress export is mostly <p>, <a>, <strong>, <img>
** and block comments, and gumbo cost two thirds of reading one (perf, on
** bench/gen_wxr's export: bench/README.md, "Blog exports").
**
** THE SUBSET. Text; the character references &amp; &lt; &gt; &quot;
** &apos; &nbsp;, the typographic ones WordPress writes (&hellip; &lsquo;
** &rsquo; &ldquo; &rdquo; &ndash; &mdash; &laquo; &raquo; &copy; &middot;
** &bull; &deg; &times; &euro;) and numeric ones of printable characters
** (a '&' before whitespace is itself); comments "<!--…-->"; and these elements, any case,
** with attributes (only img's alt is read, and must hold no '&'; none may
** be `hidden`):
**   blocks   p div h1-h6 ul ol li blockquote figure figcaption hr br
**   inline   a b i em strong span u s small sub sup code cite q abbr mark
**            img
** nested properly, except that a block's start tag closes an open <p>
** that is the current element, <li> closes an <li> that is, and a block's
** end tag closes the <p> and <li> elements open inside it (HTML's own
** implied closings, which html.c's path also applies). Anything else —
** another element, a stray or misnested end tag, a self-closed non-void
** element, a heading inside a heading, a '<' that starts no tag, another
** reference — is not simple.
**
** WHY IT EQUALS THE TREE WALK. html.c's walk writes, between two runs of
** text, line breaks for the block elements entered and left there, and
** corpus_text_break() makes that the largest count asked for; inline
** elements write nothing, img its alt. For a fragment of the subset, the
** tree gumbo builds from htmlclean.c's copy has exactly the elements and
** nesting this file tracks on its stack (the implied closings above
** included), so the same breaks and the same decoded text reach the same
** buffer calls in the same order.
*/
#include <string.h>
#include <strings.h>

#include "corpus.h"

#define FAST_DEPTH 64 /* deeper fragments are not simple */

enum { E_INLINE, E_BLOCK1, E_BLOCK2, E_VOID_INLINE, E_VOID_BLOCK1,
       E_VOID_BLOCK2 };

static const struct {
  const char *name;
  int kind;
} elements[] = {
    {"p", E_BLOCK2},        {"div", E_BLOCK1},      {"h1", E_BLOCK2},
    {"h2", E_BLOCK2},       {"h3", E_BLOCK2},       {"h4", E_BLOCK2},
    {"h5", E_BLOCK2},       {"h6", E_BLOCK2},       {"ul", E_BLOCK2},
    {"ol", E_BLOCK2},       {"li", E_BLOCK1},       {"blockquote", E_BLOCK2},
    {"figure", E_BLOCK2},   {"figcaption", E_BLOCK1}, {"hr", E_VOID_BLOCK2},
    {"br", E_VOID_BLOCK1},  {"a", E_INLINE},        {"b", E_INLINE},
    {"i", E_INLINE},        {"em", E_INLINE},       {"strong", E_INLINE},
    {"span", E_INLINE},     {"u", E_INLINE},        {"s", E_INLINE},
    {"small", E_INLINE},    {"sub", E_INLINE},      {"sup", E_INLINE},
    {"code", E_INLINE},     {"cite", E_INLINE},     {"q", E_INLINE},
    {"abbr", E_INLINE},     {"mark", E_INLINE},     {"img", E_VOID_INLINE},
};
#define NELEM (int)(sizeof elements / sizeof elements[0])

typedef struct fast {
  const char *s;
  size_t n;
  cari_buf *out;
  int stack[FAST_DEPTH]; /* indexes into elements[] */
  int depth;
} fast;

static int lines_of(int e) {
  switch (elements[e].kind) {
  case E_BLOCK2: case E_VOID_BLOCK2: return 2;
  case E_BLOCK1: case E_VOID_BLOCK1: return 1;
  default: return 0;
  }
}

static int is_void(int e) { return elements[e].kind >= E_VOID_INLINE; }
static int is_heading(int e) {
  return elements[e].name[0] == 'h' && elements[e].name[1] >= '1' &&
         elements[e].name[1] <= '6';
}
static int is_alpha(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The element named s[0..len), or -1. */
static int element(const char *s, size_t len) {
  int i;
  for (i = 0; i < NELEM; i++)
    if (strlen(elements[i].name) == len &&
        strncasecmp(elements[i].name, s, len) == 0)
      return i;
  return -1;
}

static int put_utf8(cari_buf *out, unsigned long c) {
  char b[4];
  size_t n;
  if (c < 0x80) { b[0] = (char)c; n = 1; }
  else if (c < 0x800) {
    b[0] = (char)(0xC0 | (c >> 6)); b[1] = (char)(0x80 | (c & 0x3F)); n = 2;
  } else if (c < 0x10000) {
    b[0] = (char)(0xE0 | (c >> 12)); b[1] = (char)(0x80 | ((c >> 6) & 0x3F));
    b[2] = (char)(0x80 | (c & 0x3F)); n = 3;
  } else {
    b[0] = (char)(0xF0 | (c >> 18)); b[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    b[2] = (char)(0x80 | ((c >> 6) & 0x3F)); b[3] = (char)(0x80 | (c & 0x3F));
    n = 4;
  }
  return corpus_text_put(out, b, n, 1);
}

/* A reference at s[i] ('&'): written, its length into *len; -1 if it is
** not one of the subset's. */
static int reference(fast *f, size_t i, size_t *len) {
  static const struct { const char *name; const char *text; } named[] = {
      {"amp;", "&"}, {"lt;", "<"}, {"gt;", ">"}, {"quot;", "\""},
      {"apos;", "'"}, {"nbsp;", "\xC2\xA0"}, {"hellip;", "\xE2\x80\xA6"},
      {"lsquo;", "\xE2\x80\x98"}, {"rsquo;", "\xE2\x80\x99"},
      {"ldquo;", "\xE2\x80\x9C"}, {"rdquo;", "\xE2\x80\x9D"},
      {"ndash;", "\xE2\x80\x93"}, {"mdash;", "\xE2\x80\x94"},
      {"laquo;", "\xC2\xAB"}, {"raquo;", "\xC2\xBB"}, {"copy;", "\xC2\xA9"},
      {"middot;", "\xC2\xB7"}, {"bull;", "\xE2\x80\xA2"},
      {"deg;", "\xC2\xB0"}, {"times;", "\xC3\x97"},
      {"euro;", "\xE2\x82\xAC"}};
  const char *s = f->s + i + 1;
  size_t left = f->n - i - 1, k;
  if (left == 0 || corpus_isspace((unsigned char)s[0])) {
    *len = 1;
    return corpus_text_put(f->out, "&", 1, 1) == CARI_OK ? 0 : CARI_NOMEM;
  }
  if (s[0] == '#') {
    unsigned long c = 0;
    int hex = left > 1 && (s[1] == 'x' || s[1] == 'X');
    k = hex ? 2 : 1;
    while (k < left && k < 10) {
      int d = s[k] >= '0' && s[k] <= '9' ? s[k] - '0'
            : hex && s[k] >= 'a' && s[k] <= 'f' ? s[k] - 'a' + 10
            : hex && s[k] >= 'A' && s[k] <= 'F' ? s[k] - 'A' + 10 : -1;
      if (d < 0) break;
      c = c * (hex ? 16 : 10) + (unsigned long)d;
      k++;
    }
    if (k == (hex ? 2u : 1u) || k >= left || s[k] != ';') return -1;
    /* controls, C1 (gumbo maps them), surrogates, non-characters */
    if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || (c >= 0xD800 && c <= 0xDFFF) ||
        (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE ||
        c > 0x10FFFF)
      return -1;
    *len = k + 2;
    return put_utf8(f->out, c) == CARI_OK ? 0 : CARI_NOMEM;
  }
  for (k = 0; k < sizeof named / sizeof named[0]; k++) {
    size_t m = strlen(named[k].name);
    if (left >= m && memcmp(s, named[k].name, m) == 0) {
      *len = m + 1;
      return corpus_text_put(f->out, named[k].text, strlen(named[k].text), 1)
                     == CARI_OK ? 0 : CARI_NOMEM;
    }
  }
  return -1;
}

/* Attributes from s[*i] to '>' (or "/>"): img's alt into alt/altlen; -1 on
** `hidden`, an alt with '&', or no end. *selfclose set for "/>". */
static int attributes(fast *f, size_t *i, const char **alt, size_t *altlen,
                      int *selfclose) {
  const char *s = f->s;
  size_t n = f->n, at = *i;
  *selfclose = 0;
  for (;;) {
    size_t name, nlen;
    while (at < n && corpus_isspace((unsigned char)s[at])) at++;
    if (at >= n) return -1;
    if (s[at] == '>') break;
    if (s[at] == '/' && at + 1 < n && s[at + 1] == '>') {
      *selfclose = 1;
      at++;
      break;
    }
    name = at;
    while (at < n && !corpus_isspace((unsigned char)s[at]) && s[at] != '>' &&
           s[at] != '=' && s[at] != '/' && s[at] != '"' && s[at] != '\'' &&
           s[at] != '<')
      at++;
    nlen = at - name;
    if (nlen == 0) return -1;
    if (nlen == 6 && strncasecmp(s + name, "hidden", 6) == 0) return -1;
    while (at < n && corpus_isspace((unsigned char)s[at])) at++;
    if (at < n && s[at] == '=') {
      size_t v, vlen;
      at++;
      while (at < n && corpus_isspace((unsigned char)s[at])) at++;
      if (at >= n) return -1;
      if (s[at] == '"' || s[at] == '\'') {
        const char *q = memchr(s + at + 1, s[at], n - at - 1);
        if (!q) return -1;
        v = at + 1;
        vlen = (size_t)(q - s) - v;
        at = (size_t)(q - s) + 1;
      } else {
        v = at;
        while (at < n && !corpus_isspace((unsigned char)s[at]) &&
               s[at] != '>')
          at++;
        vlen = at - v;
        if (memchr(s + v, '"', vlen) || memchr(s + v, '\'', vlen) ||
            memchr(s + v, '<', vlen) || memchr(s + v, '=', vlen) ||
            memchr(s + v, '`', vlen))
          return -1;
      }
      if (nlen == 3 && strncasecmp(s + name, "alt", 3) == 0) {
        if (memchr(s + v, '&', vlen) || *alt) return -1;
        *alt = s + v;
        *altlen = vlen;
      }
    } else if (nlen == 3 && strncasecmp(s + name, "alt", 3) == 0) {
      return -1; /* an empty alt: leave it to gumbo */
    }
  }
  *i = at + 1;
  return 0;
}

static int brk(fast *f, int lines) {
  return lines ? corpus_text_break(f->out, lines) : CARI_OK;
}

/* A start tag whose name ends at *i: 0, -1 (not simple), or CARI_NOMEM. */
static int start_tag(fast *f, int e, size_t *i) {
  const char *alt = NULL;
  size_t altlen = 0;
  int selfclose, top = f->depth ? f->stack[f->depth - 1] : -1;
  if (attributes(f, i, &alt, &altlen, &selfclose) != 0) return -1;
  if (selfclose && !is_void(e)) return -1;
  if (alt && strcmp(elements[e].name, "img") != 0) alt = NULL;
  int closes_p = lines_of(e) && strcmp(elements[e].name, "br") != 0, k;
  if (closes_p && top >= 0 && !strcmp(elements[top].name, "p")) {
    if (brk(f, 2)) return CARI_NOMEM; /* the <p> ends here */
    f->depth--;
    top = f->depth ? f->stack[f->depth - 1] : -1;
  } else if (closes_p) { /* a <p> further down would close too */
    for (k = 0; k < f->depth; k++)
      if (!strcmp(elements[f->stack[k]].name, "p")) return -1;
  }
  if (!strcmp(elements[e].name, "li")) {
    /* an open <li> of the same list closes: only when it is current */
    for (k = f->depth - 1; k >= 0; k--) {
      const char *nm = elements[f->stack[k]].name;
      if (!strcmp(nm, "ul") || !strcmp(nm, "ol")) break;
      if (!strcmp(nm, "li")) {
        if (k != f->depth - 1) return -1;
        if (brk(f, 1)) return CARI_NOMEM;
        f->depth--;
        break;
      }
    }
  }
  if (is_heading(e) && top >= 0 && is_heading(top)) return -1;
  if (brk(f, lines_of(e))) return CARI_NOMEM;
  if (alt && altlen && corpus_text_put(f->out, alt, altlen, 1))
    return CARI_NOMEM;
  if (is_void(e)) return brk(f, lines_of(e)) ? CARI_NOMEM : 0;
  if (f->depth == FAST_DEPTH) return -1;
  f->stack[f->depth++] = e;
  return 0;
}

/* Markup at s[i] == '<': *i moved past it. */
static int markup(fast *f, size_t *i) {
  const char *s = f->s;
  size_t n = f->n, at = *i + 1, name;
  int e, end = 0;
  if (at + 2 < n && s[at] == '!' && s[at + 1] == '-' && s[at + 2] == '-') {
    const char *c = s + at + 3, *stop;
    size_t left = n - at - 3;
    if (left && (c[0] == '>' || (left > 1 && c[0] == '-' && c[1] == '>')))
      return -1;
    for (stop = c; (stop = memchr(stop, '-', (size_t)(s + n - stop)));
         stop++) {
      if (s + n - stop >= 3 && stop[1] == '-' && stop[2] == '>') break;
      if (s + n - stop >= 4 && stop[1] == '-' && stop[2] == '!' &&
          stop[3] == '>')
        return -1;
    }
    if (!stop) return -1;
    *i = (size_t)(stop - s) + 3;
    return 0;
  }
  if (at < n && s[at] == '/') {
    end = 1;
    at++;
  }
  name = at;
  if (at >= n || !is_alpha((unsigned char)s[at])) return -1;
  while (at < n && (is_alpha((unsigned char)s[at]) ||
                    (s[at] >= '0' && s[at] <= '9')))
    at++;
  if ((e = element(s + name, at - name)) < 0) return -1;
  if (!end) {
    *i = at;
    return start_tag(f, e, i);
  }
  while (at < n && corpus_isspace((unsigned char)s[at])) at++;
  if (at >= n || s[at] != '>' || is_void(e)) return -1;
  /* A block's end tag ends the <p> or <li> open inside it (HTML's
  ** implied end tags); an inline one must match. */
  while (lines_of(e) && f->depth > 0 && f->stack[f->depth - 1] != e) {
    const char *top = elements[f->stack[f->depth - 1]].name;
    if (strcmp(top, "p") && strcmp(top, "li")) return -1;
    if (brk(f, lines_of(f->stack[f->depth - 1]))) return CARI_NOMEM;
    f->depth--;
  }
  if (f->depth == 0 || f->stack[f->depth - 1] != e) return -1;
  f->depth--;
  *i = at + 1;
  return brk(f, lines_of(e)) ? CARI_NOMEM : 0;
}

int corpus_html_fast(const char *s, size_t n, cari_buf *out) {
  fast f;
  size_t i = 0;
  f.s = s;
  f.n = n;
  f.out = out;
  f.depth = 0;
  cari_buf_clear(out);
  while (i < n) {
    size_t k = i;
    int rc;
    while (k < n && s[k] != '<' && s[k] != '&') k++;
    if (k > i && corpus_text_put(out, s + i, k - i, 1)) return CARI_NOMEM;
    if (k == n) break;
    if (s[k] == '&') {
      size_t len = 0;
      rc = reference(&f, k, &len);
      i = k + len;
    } else {
      i = k;
      rc = markup(&f, &i);
    }
    if (rc < 0) return CORPUS_SKIP;
    if (rc) return CARI_NOMEM;
  }
  corpus_text_trim(out);
  return CARI_OK;
}
