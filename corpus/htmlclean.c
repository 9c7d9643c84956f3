/*
** htmlclean.c — rewrite an HTML page into a plain copy that gumbo parses
** in time and memory linear in the page, and whose text is the page's
** text. It does not build a tree or extract text (html.c does both).
**
** Why: gumbo's cost grows with the depth of its stack of open elements and
** with its list of active formatting elements. Unclosed `<b><i>` repeated
** clones every formatting element at each new block; 100,000 nested <div>s
** cost 10^10 scope checks. Both are quadratic in the page; with the
** default options every parse error also copies the whole stack.
**
** How the copy bounds gumbo. The cleaner reads the page with the HTML
** tokenizer's rules (tags, attributes, comments, raw text) and writes:
**   - text with every '<' written as "&lt;" (the same text once decoded);
**     comments, doctypes after the first token, processing instructions
**     and <html> tags are dropped;
**   - the contents of script, style, title, textarea, xmp, iframe, noembed,
**     noframes and noscript as such text, followed at once by their own end
**     tag; everything after <plaintext> as such text;
**   - each tag as `<name attr="value">` with only the attributes html.c or
**     gumbo's tree building reads (alt, content, encoding, hidden, href,
**     name, property, rel, type), each once;
**   - the formatting elements (a b big code em font i nobr s small strike
**     strong tt u) renamed to ordinary inline ones (span, or cite for a and
**     font, which do not leave SVG), so gumbo's formatting list stays empty;
**   - void elements as `<br/>`; a self-closed non-void one as `<x></x>`.
** Beside the copy it keeps its own stack of the elements it has opened.
** Every element it closes is closed in the copy by its own end tag while it
** is the top of that stack, and every element gumbo opens comes from a
** start tag in the copy (or is one of html, head, body, or a tbody, tr or
** colgroup the cleaner also writes out explicitly). So gumbo's stack never
** holds an element the cleaner's stack does not: an element on top of both
** is gumbo's current node, and gumbo pops its current node on that
** element's end tag in every insertion mode. Gumbo may close more (its
** implied end tags); it never has more open than the cleaner's stack plus
** html, head and body.
** The cleaner follows HTML's common implied closings (a <p> or <div>
** closes an open <p>, <li> closes <li>, cells and rows close each other,
** an end tag closes what is open above its element) so that real pages
** keep their shape. A start tag that would open more than
** CARI_READER_HTML_DEPTH elements, or one past CARI_READER_HTML_ELEMENTS,
** is left out of the copy; its text stays, in its parent (past the element
** limit, a raw text element's contents go with its tags). A raw text or
** void element may sit one level below the depth limit: it is closed at
** once.
*/
#include <gumbo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "corpus.h"

#define HC_NAME_MAX 64 /* longer tag names are left out of the copy */

typedef struct hc_entry {
  GumboTag tag;               /* as written; GUMBO_TAG_UNKNOWN for others */
  char name[HC_NAME_MAX + 1]; /* the name written into the copy */
} hc_entry;

typedef struct hc {
  const char *s;     /* the page, borrowed */
  size_t n;
  cari_buf *out;     /* the copy, borrowed */
  int rc;            /* sticky CARI_NOMEM */
  int doctype;       /* a doctype was copied: no-quirks, <table> closes <p> */
  int started;       /* something was written: later doctypes are dropped */
  size_t depth;
  size_t elements;   /* start tags written */
  unsigned count[GUMBO_TAG_LAST + 1]; /* entries on the stack, by tag */
  hc_entry st[CARI_READER_HTML_DEPTH + 1];
} hc;

/* One tag as read from the page: spans into it. */
#define HC_ATTRS 9
static const char *const hc_attr_names[HC_ATTRS] = {
    "alt", "content", "encoding", "hidden", "href",
    "name", "property", "rel", "type"};

typedef struct hc_tag {
  int end;            /* </x> */
  char name[HC_NAME_MAX + 1]; /* lowercased; "" when not a name we copy */
  GumboTag tag;
  int self_closing;
  size_t next;        /* the position after '>', or n when the page ended */
  int cut;            /* the page ended inside the tag: the tag is dropped */
  struct {
    const char *v;
    size_t len;
    int has_value;
  } attr[HC_ATTRS];
  unsigned have;      /* bit i: attr[i] was given */
} hc_tag;

/**************************************************************************
** Writing the copy
*/

static void put(hc *h, const char *s, size_t n) {
  if (n) cari_buf_add(&h->rc, h->out, s, n);
}

static void put_s(hc *h, const char *s) { put(h, s, strlen(s)); }

/* Text, with '<' (and in attribute values '"') written as references. */
static void put_escaped(hc *h, const char *s, size_t n, int quote) {
  size_t i, at = 0;
  for (i = 0; i < n; i++) {
    if (s[i] == '<' || (quote && s[i] == '"')) {
      put(h, s + at, i - at);
      put_s(h, s[i] == '<' ? "&lt;" : "&quot;");
      at = i + 1;
    }
  }
  put(h, s + at, n - at);
}

static void put_end(hc *h, const char *name) {
  put_s(h, "</");
  put_s(h, name);
  put_s(h, ">");
}

/* `<name attrs` without the closing '>' or "/>". */
static void put_start(hc *h, const char *name, const hc_tag *t) {
  int i;
  put_s(h, "<");
  put_s(h, name);
  for (i = 0; i < HC_ATTRS; i++) {
    if (!(t->have & (1u << i))) continue;
    put_s(h, " ");
    put_s(h, hc_attr_names[i]);
    if (t->attr[i].has_value) {
      put_s(h, "=\"");
      put_escaped(h, t->attr[i].v, t->attr[i].len, 1);
      put_s(h, "\"");
    }
  }
}

/**************************************************************************
** Reading tags, comments and raw text with the tokenizer's rules
*/

static int is_alpha(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Whitespace inside a tag (CR counts: the parser turns it into LF). */
static int is_tag_space(int c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* Keep attribute s[0..n) when its name is one of hc_attr_names (the first
** time only, as the parser keeps the first of duplicates). */
static void keep_attr(hc_tag *t, const char *s, size_t n, const char *v,
                      size_t vlen, int has_value) {
  int i;
  size_t k;
  for (i = 0; i < HC_ATTRS; i++) {
    const char *a = hc_attr_names[i];
    if (strlen(a) != n) continue;
    for (k = 0; k < n && lower((unsigned char)s[k]) == a[k]; k++) {}
    if (k < n) continue;
    if (t->have & (1u << i)) return;
    t->have |= 1u << i;
    t->attr[i].v = v;
    t->attr[i].len = vlen;
    t->attr[i].has_value = has_value;
    return;
  }
}

/*
** Read the tag whose name starts at s[at] (just after "<" or "</"), up to
** and including its '>'. Follows the tokenizer's tag, attribute name and
** attribute value states; an attribute's '>' inside quotes does not end
** the tag.
*/
static void read_tag(const hc *h, size_t at, int end, hc_tag *t) {
  const char *s = h->s;
  size_t n = h->n, i = at, nlen = 0, an, aend;
  int ok = 1;
  memset(t, 0, sizeof *t);
  t->end = end;
  while (i < n && !is_tag_space((unsigned char)s[i]) && s[i] != '/' &&
         s[i] != '>') {
    int c = lower((unsigned char)s[i]);
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ':' ||
          c == '_' || c == '.' || c == '-') || nlen == HC_NAME_MAX)
      ok = 0;
    else t->name[nlen++] = (char)c;
    i++;
  }
  t->name[ok ? nlen : 0] = '\0';
  t->tag = ok ? gumbo_tagn_enum(t->name, (unsigned)nlen) : GUMBO_TAG_UNKNOWN;
  for (;;) {
    while (i < n && is_tag_space((unsigned char)s[i])) i++;
    if (i >= n) break;
    if (s[i] == '>') {
      t->next = i + 1;
      return;
    }
    if (s[i] == '/') {
      i++;
      if (i < n && s[i] == '>') {
        t->self_closing = 1;
        t->next = i + 1;
        return;
      }
      continue;
    }
    /* An attribute name: a leading '=' belongs to it. */
    an = i++;
    while (i < n && !is_tag_space((unsigned char)s[i]) && s[i] != '/' &&
           s[i] != '>' && s[i] != '=')
      i++;
    aend = i;
    while (i < n && is_tag_space((unsigned char)s[i])) i++;
    if (i < n && s[i] == '=') {
      size_t v;
      i++;
      while (i < n && is_tag_space((unsigned char)s[i])) i++;
      if (i >= n) break;
      if (s[i] == '"' || s[i] == '\'') {
        const char *q = memchr(s + i + 1, s[i], n - i - 1);
        if (!q) break;
        v = i + 1;
        i = (size_t)(q - s) + 1;
        keep_attr(t, s + an, aend - an, s + v, i - 1 - v, 1);
      } else if (s[i] == '>') {
        keep_attr(t, s + an, aend - an, "", 0, 1);
      } else {
        v = i;
        while (i < n && !is_tag_space((unsigned char)s[i]) && s[i] != '>') i++;
        keep_attr(t, s + an, aend - an, s + v, i - v, 1);
      }
    } else {
      keep_attr(t, s + an, aend - an, NULL, 0, 0);
    }
  }
  t->cut = 1;
  t->next = n;
}

/* The position after the next '>' from `at`, or n. */
static size_t skip_to_gt(const hc *h, size_t at) {
  const char *gt = at < h->n ? memchr(h->s + at, '>', h->n - at) : NULL;
  return gt ? (size_t)(gt - h->s) + 1 : h->n;
}

/* After "<!--" at `at`: the position after the comment's end ("-->",
** "--!>", or the abrupt "<!-->" and "<!--->"), or n. */
static size_t skip_comment(const hc *h, size_t at) {
  const char *s = h->s;
  size_t n = h->n, i = at;
  if (i < n && s[i] == '>') return i + 1;
  if (i + 1 < n && s[i] == '-' && s[i + 1] == '>') return i + 2;
  for (; i + 2 < n; i++) {
    if (s[i] != '-' || s[i + 1] != '-') continue;
    if (s[i + 2] == '>') return i + 3;
    if (s[i + 2] == '!' && i + 3 < n && s[i + 3] == '>') return i + 4;
  }
  return n;
}

/* Where the raw text of element `name` that starts at `at` ends: the '<'
** of the first "</name" followed by whitespace, '/' or '>' (any case), or
** n. */
static size_t raw_end(const hc *h, size_t at, const char *name) {
  const char *s = h->s;
  size_t n = h->n, len = strlen(name), i = at, k;
  for (;;) {
    const char *lt = i < n ? memchr(s + i, '<', n - i) : NULL;
    if (!lt) return n;
    i = (size_t)(lt - s);
    if (i + 2 + len < n && s[i + 1] == '/') {
      for (k = 0; k < len && lower((unsigned char)s[i + 2 + k]) == name[k];
           k++) {}
      if (k == len && (is_tag_space((unsigned char)s[i + 2 + len]) ||
                       s[i + 2 + len] == '/' || s[i + 2 + len] == '>'))
        return i;
    }
    i++;
  }
}

/**************************************************************************
** Kinds of elements
*/

static int is_void(GumboTag t) {
  switch (t) {
  case GUMBO_TAG_AREA: case GUMBO_TAG_BASE: case GUMBO_TAG_BASEFONT:
  case GUMBO_TAG_BGSOUND: case GUMBO_TAG_BR: case GUMBO_TAG_COL:
  case GUMBO_TAG_EMBED: case GUMBO_TAG_FRAME: case GUMBO_TAG_HR:
  case GUMBO_TAG_IMAGE: case GUMBO_TAG_IMG: case GUMBO_TAG_INPUT:
  case GUMBO_TAG_KEYGEN: case GUMBO_TAG_LINK: case GUMBO_TAG_META:
  case GUMBO_TAG_PARAM: case GUMBO_TAG_SOURCE: case GUMBO_TAG_TRACK:
  case GUMBO_TAG_WBR:
    return 1;
  default: return 0;
  }
}

/* Elements whose contents the tokenizer reads as text. */
static int is_raw(GumboTag t) {
  switch (t) {
  case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_TITLE:
  case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_XMP: case GUMBO_TAG_IFRAME:
  case GUMBO_TAG_NOEMBED: case GUMBO_TAG_NOFRAMES: case GUMBO_TAG_NOSCRIPT:
    return 1;
  default: return 0;
  }
}

/* The formatting elements: their copy's name, or NULL for other tags. */
static const char *renamed(GumboTag t) {
  switch (t) {
  case GUMBO_TAG_A: case GUMBO_TAG_FONT: return "cite";
  case GUMBO_TAG_B: case GUMBO_TAG_BIG: case GUMBO_TAG_CODE:
  case GUMBO_TAG_EM: case GUMBO_TAG_I: case GUMBO_TAG_NOBR:
  case GUMBO_TAG_S: case GUMBO_TAG_SMALL: case GUMBO_TAG_STRIKE:
  case GUMBO_TAG_STRONG: case GUMBO_TAG_TT: case GUMBO_TAG_U:
    return "span";
  default: return NULL;
  }
}

static int is_heading(GumboTag t) {
  return t == GUMBO_TAG_H1 || t == GUMBO_TAG_H2 || t == GUMBO_TAG_H3 ||
         t == GUMBO_TAG_H4 || t == GUMBO_TAG_H5 || t == GUMBO_TAG_H6;
}

/* Start tags that close an open <p> (in button scope) first. */
static int closes_p(const hc *h, GumboTag t) {
  switch (t) {
  case GUMBO_TAG_ADDRESS: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_ASIDE:
  case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_CENTER: case GUMBO_TAG_DETAILS:
  case GUMBO_TAG_DIR: case GUMBO_TAG_DIV: case GUMBO_TAG_DL:
  case GUMBO_TAG_FIELDSET: case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_FIGURE:
  case GUMBO_TAG_FOOTER: case GUMBO_TAG_HEADER: case GUMBO_TAG_HGROUP:
  case GUMBO_TAG_MAIN: case GUMBO_TAG_MENU: case GUMBO_TAG_NAV:
  case GUMBO_TAG_OL: case GUMBO_TAG_P: case GUMBO_TAG_SECTION:
  case GUMBO_TAG_SUMMARY: case GUMBO_TAG_UL: case GUMBO_TAG_PRE:
  case GUMBO_TAG_LISTING: case GUMBO_TAG_FORM: case GUMBO_TAG_LI:
  case GUMBO_TAG_DD: case GUMBO_TAG_DT: case GUMBO_TAG_PLAINTEXT:
  case GUMBO_TAG_HR: case GUMBO_TAG_XMP:
    return 1;
  case GUMBO_TAG_TABLE: return h->doctype;
  default: return is_heading(t);
  }
}

/* HTML's "special" elements: an end tag for an ordinary element does not
** close anything past one of these. */
static int is_special(GumboTag t) {
  switch (t) {
  case GUMBO_TAG_ADDRESS: case GUMBO_TAG_APPLET: case GUMBO_TAG_ARTICLE:
  case GUMBO_TAG_ASIDE: case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_BUTTON:
  case GUMBO_TAG_CAPTION: case GUMBO_TAG_CENTER: case GUMBO_TAG_COLGROUP:
  case GUMBO_TAG_DD: case GUMBO_TAG_DETAILS: case GUMBO_TAG_DIR:
  case GUMBO_TAG_DIV: case GUMBO_TAG_DL: case GUMBO_TAG_DT:
  case GUMBO_TAG_FIELDSET: case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_FIGURE:
  case GUMBO_TAG_FOOTER: case GUMBO_TAG_FORM: case GUMBO_TAG_FRAMESET:
  case GUMBO_TAG_HEADER: case GUMBO_TAG_HGROUP: case GUMBO_TAG_LI:
  case GUMBO_TAG_LISTING: case GUMBO_TAG_MAIN: case GUMBO_TAG_MARQUEE:
  case GUMBO_TAG_MENU: case GUMBO_TAG_NAV: case GUMBO_TAG_OBJECT:
  case GUMBO_TAG_OL: case GUMBO_TAG_P: case GUMBO_TAG_PRE:
  case GUMBO_TAG_SECTION: case GUMBO_TAG_SELECT: case GUMBO_TAG_SUMMARY:
  case GUMBO_TAG_TABLE: case GUMBO_TAG_TBODY: case GUMBO_TAG_TD:
  case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_TFOOT: case GUMBO_TAG_TH:
  case GUMBO_TAG_THEAD: case GUMBO_TAG_TR: case GUMBO_TAG_UL:
  case GUMBO_TAG_PLAINTEXT: case GUMBO_TAG_SVG: case GUMBO_TAG_MATH:
    return 1;
  default: return is_heading(t) || is_raw(t) || is_void(t);
  }
}

/* Scope boundaries: an end tag (or implied closing) does not reach past
** these. `kind` is 'b' (button scope), 'l' (list item scope), 't' (table
** scope) or 0 (plain scope). */
static int is_boundary(GumboTag t, int kind) {
  if (kind == 't')
    return t == GUMBO_TAG_TABLE || t == GUMBO_TAG_TEMPLATE;
  switch (t) {
  case GUMBO_TAG_APPLET: case GUMBO_TAG_CAPTION: case GUMBO_TAG_TABLE:
  case GUMBO_TAG_TD: case GUMBO_TAG_TH: case GUMBO_TAG_MARQUEE:
  case GUMBO_TAG_OBJECT: case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_SVG:
  case GUMBO_TAG_MATH:
    return 1;
  case GUMBO_TAG_BUTTON: return kind == 'b';
  case GUMBO_TAG_OL: case GUMBO_TAG_UL: return kind == 'l';
  default: return 0;
  }
}

/**************************************************************************
** The stack of open elements
*/

static int same(const hc_entry *e, const hc_tag *t) {
  if (e->tag != t->tag) return 0;
  return t->tag != GUMBO_TAG_UNKNOWN || strcmp(e->name, t->name) == 0;
}

/* Close entries down to and including index k, each by its end tag. */
static void pop_to(hc *h, size_t k) {
  while (h->depth > k) {
    hc_entry *e = &h->st[--h->depth];
    h->count[e->tag]--;
    put_end(h, e->name);
  }
}

static void push(hc *h, GumboTag tag, const char *name) {
  hc_entry *e = &h->st[h->depth++];
  e->tag = tag;
  snprintf(e->name, sizeof e->name, "%s", name);
  h->count[tag]++;
}

/* The index of the topmost entry with tag `t` reachable from the top
** without passing a boundary of `kind`, or -1. */
static long find_in_scope(const hc *h, GumboTag t, int kind) {
  size_t i = h->depth;
  if (!h->count[t]) return -1;
  while (i-- > 0) {
    if (h->st[i].tag == t) return (long)i;
    if (is_boundary(h->st[i].tag, kind)) return -1;
  }
  return -1;
}

static void close_p(hc *h) {
  long k = find_in_scope(h, GUMBO_TAG_P, 'b');
  if (k >= 0) pop_to(h, (size_t)k);
}

/* The topmost table-part entry at or above the nearest table (or
** template): *at is its index, the return its tag, or GUMBO_TAG_LAST when
** no table is open. */
static GumboTag table_context(const hc *h, size_t *at) {
  size_t i = h->depth;
  if (!h->count[GUMBO_TAG_TABLE] && !h->count[GUMBO_TAG_TEMPLATE])
    return GUMBO_TAG_LAST;
  while (i-- > 0) {
    GumboTag t = h->st[i].tag;
    switch (t) {
    case GUMBO_TAG_TABLE: case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_TBODY:
    case GUMBO_TAG_THEAD: case GUMBO_TAG_TFOOT: case GUMBO_TAG_TR:
    case GUMBO_TAG_TD: case GUMBO_TAG_TH: case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_COLGROUP:
      *at = i;
      return t;
    default: break;
    }
  }
  return GUMBO_TAG_LAST;
}

/* The implied closings of a start tag t, as the HTML parser does them.
** Returns the tags to open before t (the table parts the parser would
** imply), written to implied[] (at most 2), and their count. */
static int before_start(hc *h, GumboTag t, GumboTag implied[2]) {
  size_t at = 0, i;
  GumboTag ctx;
  long k;
  if (closes_p(h, t)) close_p(h);
  switch (t) {
  case GUMBO_TAG_LI: case GUMBO_TAG_DD: case GUMBO_TAG_DT:
    for (i = h->depth; i-- > 0;) {
      GumboTag e = h->st[i].tag;
      if (t == GUMBO_TAG_LI ? e == GUMBO_TAG_LI
                            : (e == GUMBO_TAG_DD || e == GUMBO_TAG_DT)) {
        pop_to(h, i);
        break;
      }
      if (is_special(e) && e != GUMBO_TAG_ADDRESS && e != GUMBO_TAG_DIV &&
          e != GUMBO_TAG_P)
        break;
    }
    return 0;
  case GUMBO_TAG_OPTION: case GUMBO_TAG_OPTGROUP:
    if (h->depth && h->st[h->depth - 1].tag == GUMBO_TAG_OPTION)
      pop_to(h, h->depth - 1);
    if (t == GUMBO_TAG_OPTGROUP && h->depth &&
        h->st[h->depth - 1].tag == GUMBO_TAG_OPTGROUP)
      pop_to(h, h->depth - 1);
    return 0;
  case GUMBO_TAG_A: case GUMBO_TAG_NOBR:
    for (i = h->depth; h->count[t] && i-- > 0;) {
      if (h->st[i].tag == t) {
        pop_to(h, i);
        break;
      }
      if (is_special(h->st[i].tag)) break;
    }
    return 0;
  default: break;
  }
  if (is_heading(t)) {
    if (h->depth && is_heading(h->st[h->depth - 1].tag))
      pop_to(h, h->depth - 1);
    return 0;
  }
  ctx = table_context(h, &at);
  switch (t) {
  case GUMBO_TAG_TABLE:
    if (ctx != GUMBO_TAG_LAST && ctx != GUMBO_TAG_TD && ctx != GUMBO_TAG_TH &&
        ctx != GUMBO_TAG_CAPTION && ctx != GUMBO_TAG_TEMPLATE) {
      k = find_in_scope(h, GUMBO_TAG_TABLE, 't');
      if (k >= 0) pop_to(h, (size_t)k);
    }
    return 0;
  case GUMBO_TAG_CAPTION: case GUMBO_TAG_COLGROUP: case GUMBO_TAG_TBODY:
  case GUMBO_TAG_THEAD: case GUMBO_TAG_TFOOT:
    k = find_in_scope(h, GUMBO_TAG_TABLE, 't');
    if (k >= 0) pop_to(h, (size_t)k + 1);
    return 0;
  case GUMBO_TAG_COL:
    if (ctx == GUMBO_TAG_COLGROUP) return 0;
    if ((k = find_in_scope(h, GUMBO_TAG_TABLE, 't')) < 0) return 0;
    pop_to(h, (size_t)k + 1);
    implied[0] = GUMBO_TAG_COLGROUP;
    return 1;
  case GUMBO_TAG_TR: case GUMBO_TAG_TD: case GUMBO_TAG_TH:
    if (ctx == GUMBO_TAG_LAST || ctx == GUMBO_TAG_TEMPLATE) return 0;
    /* The nearest row, section or table below any open cell. */
    for (i = h->depth; i-- > 0;) {
      GumboTag e = h->st[i].tag;
      if (e == GUMBO_TAG_TABLE || e == GUMBO_TAG_TBODY ||
          e == GUMBO_TAG_THEAD || e == GUMBO_TAG_TFOOT ||
          (e == GUMBO_TAG_TR && t != GUMBO_TAG_TR))
        break;
      if (e == GUMBO_TAG_TEMPLATE) return 0;
    }
    if (i == (size_t)-1) return 0;
    pop_to(h, i + 1);
    ctx = h->st[i].tag;
    if (ctx == GUMBO_TAG_TR) return 0;
    if (ctx == GUMBO_TAG_TABLE) {
      implied[0] = GUMBO_TAG_TBODY;
      if (t == GUMBO_TAG_TR) return 1;
      implied[1] = GUMBO_TAG_TR;
      return 2;
    }
    if (t == GUMBO_TAG_TR) return 0;
    implied[0] = GUMBO_TAG_TR;
    return 1;
  default: return 0;
  }
}

/**************************************************************************
** Tags
*/

/* A start tag read into t; returns the position after it and after the
** raw text it starts, if any. */
static size_t on_start(hc *h, const hc_tag *t) {
  GumboTag implied[2];
  const char *name = renamed(t->tag);
  int nimplied, i;
  size_t end, rest;
  if (!name) name = t->tag == GUMBO_TAG_IMAGE ? "img" : t->name;
  if (t->cut || !t->name[0] || t->tag == GUMBO_TAG_HTML ||
      t->tag == GUMBO_TAG_ISINDEX)
    return t->next;
  if (t->tag == GUMBO_TAG_HEAD || t->tag == GUMBO_TAG_BODY) {
    /* Never opened twice by the parser, and never inside SVG or MathML. */
    if (h->elements >= CARI_READER_HTML_ELEMENTS) return t->next;
    h->elements++;
    put_start(h, name, t);
    put_s(h, ">");
    return t->next;
  }
  if (t->tag == GUMBO_TAG_PLAINTEXT) {
    close_p(h);
    put_s(h, "<plaintext>");
    put_escaped(h, h->s + t->next, h->n - t->next, 0);
    return h->n;
  }
  if (is_raw(t->tag)) {
    end = raw_end(h, t->next, t->name);
    rest = end;
    if (end < h->n) {
      hc_tag close;
      read_tag(h, end + 2, 1, &close);
      rest = close.next;
    }
    if (h->elements >= CARI_READER_HTML_ELEMENTS) return rest;
    h->elements++;
    if (t->tag == GUMBO_TAG_XMP) close_p(h);
    /* Opened and closed at once: at most one above the depth limit. */
    put_start(h, name, t);
    put_s(h, ">");
    put_escaped(h, h->s + t->next, end - t->next, 0);
    put_end(h, name);
    return rest;
  }
  nimplied = before_start(h, t->tag, implied);
  if (h->depth + (size_t)nimplied + !is_void(t->tag) >
          CARI_READER_HTML_DEPTH ||
      h->elements + (size_t)nimplied + 1 > CARI_READER_HTML_ELEMENTS)
    return t->next; /* left out: its text stays in its parent */
  for (i = 0; i < nimplied; i++) {
    const char *iname = gumbo_normalized_tagname(implied[i]);
    put_s(h, "<");
    put_s(h, iname);
    put_s(h, ">");
    push(h, implied[i], iname);
    h->elements++;
  }
  h->elements++;
  put_start(h, name, t);
  if (is_void(t->tag)) {
    put_s(h, "/>");
  } else if (t->self_closing) {
    put_s(h, ">");
    put_end(h, name);
  } else {
    put_s(h, ">");
    push(h, t->tag, name);
  }
  return t->next;
}

static void on_end(hc *h, const hc_tag *t) {
  GumboTag tag = t->tag;
  long k = -1;
  size_t i;
  if (t->cut || !t->name[0] || tag == GUMBO_TAG_HTML) return;
  switch (tag) {
  case GUMBO_TAG_HEAD: case GUMBO_TAG_BODY:
    put_end(h, t->name); /* closes nothing the cleaner tracks */
    return;
  case GUMBO_TAG_BR:
    put_s(h, "<br/>"); /* as the parser reads </br> */
    return;
  case GUMBO_TAG_P:
    if ((k = find_in_scope(h, tag, 'b')) < 0) put_s(h, "</p>");
    break;
  case GUMBO_TAG_LI: k = find_in_scope(h, tag, 'l'); break;
  case GUMBO_TAG_TABLE: case GUMBO_TAG_CAPTION: case GUMBO_TAG_COLGROUP:
  case GUMBO_TAG_TBODY: case GUMBO_TAG_THEAD: case GUMBO_TAG_TFOOT:
  case GUMBO_TAG_TR: case GUMBO_TAG_TD: case GUMBO_TAG_TH:
    for (i = h->depth; h->count[tag] && i-- > 0;) {
      if (h->st[i].tag == tag) {
        k = (long)i;
        break;
      }
      if (is_boundary(h->st[i].tag, 't')) break;
    }
    break;
  case GUMBO_TAG_TEMPLATE:
    for (i = h->depth; h->count[tag] && i-- > 0;)
      if (h->st[i].tag == tag) {
        k = (long)i;
        break;
      }
    break;
  case GUMBO_TAG_SELECT:
    for (i = h->depth; h->count[tag] && i-- > 0;) {
      GumboTag e = h->st[i].tag;
      if (e == tag) k = (long)i;
      if (e != GUMBO_TAG_OPTION && e != GUMBO_TAG_OPTGROUP) break;
    }
    break;
  case GUMBO_TAG_OPTION: case GUMBO_TAG_OPTGROUP:
    if (h->depth && h->st[h->depth - 1].tag == tag) k = (long)h->depth - 1;
    else if (tag == GUMBO_TAG_OPTGROUP && h->depth > 1 &&
             h->st[h->depth - 1].tag == GUMBO_TAG_OPTION &&
             h->st[h->depth - 2].tag == tag)
      k = (long)h->depth - 2;
    break;
  default:
    if (is_heading(tag)) {
      for (i = h->depth; i-- > 0;) {
        if (is_heading(h->st[i].tag)) {
          k = (long)i;
          break;
        }
        if (is_boundary(h->st[i].tag, 0)) break;
      }
    } else if (is_special(tag)) {
      k = find_in_scope(h, tag, 0);
    } else {
      /* An ordinary element (or a renamed formatting one): the nearest of
      ** that name, unless a special element is open above it. */
      for (i = h->depth; i-- > 0;) {
        if (same(&h->st[i], t)) {
          k = (long)i;
          break;
        }
        if (is_special(h->st[i].tag)) break;
      }
    }
  }
  if (k >= 0) pop_to(h, (size_t)k);
}

/* Markup at s[at] == '<': returns the position after it. */
static size_t on_markup(hc *h, size_t at) {
  const char *s = h->s;
  size_t n = h->n, end;
  hc_tag t;
  if (at + 1 < n && is_alpha((unsigned char)s[at + 1])) {
    read_tag(h, at + 1, 0, &t);
    h->started = 1;
    return on_start(h, &t);
  }
  if (at + 1 < n && s[at + 1] == '/') {
    if (at + 2 < n && is_alpha((unsigned char)s[at + 2])) {
      read_tag(h, at + 2, 1, &t);
      h->started = 1;
      on_end(h, &t);
      return t.next;
    }
    if (at + 2 >= n) {
      put_s(h, "&lt;/");
      return n;
    }
    return s[at + 2] == '>' ? at + 3 : skip_to_gt(h, at + 2);
  }
  if (at + 1 < n && s[at + 1] == '!') {
    if (at + 3 < n && s[at + 2] == '-' && s[at + 3] == '-')
      return skip_comment(h, at + 4);
    end = skip_to_gt(h, at + 2);
    if (!h->started && end - at > 9 && strncasecmp(s + at + 2, "doctype", 7)
        == 0 && s[end - 1] == '>') {
      put(h, s + at, end - at); /* quirks mode as the page asked */
      h->doctype = 1;
    }
    return end;
  }
  if (at + 1 < n && s[at + 1] == '?') return skip_to_gt(h, at + 2);
  h->started = 1;
  put_s(h, "&lt;");
  return at + 1;
}

int corpus_html_clean(const char *text, size_t len, cari_buf *out) {
  hc *h = cari_calloc(1, sizeof *h);
  size_t i = 0;
  int rc;
  if (!h) return CARI_NOMEM;
  h->s = text;
  h->n = len;
  h->out = out;
  cari_buf_clear(out);
  while (i < len && h->rc == CARI_OK) {
    const char *lt = memchr(text + i, '<', len - i);
    size_t at = lt ? (size_t)(lt - text) : len, k;
    for (k = i; !h->started && k < at; k++)
      if (!corpus_isspace((unsigned char)text[k])) h->started = 1;
    put(h, text + i, at - i);
    if (at == len) break;
    i = on_markup(h, at);
  }
  /* The copy is a C string even when empty. */
  cari_buf_add(&h->rc, out, "", 0);
  rc = h->rc;
  cari_free(h);
  return rc;
}
