/*
** html.c — an HTML page to an article with gumbo: the title from <title>
** (else the first <h1>), the text of the first <article> or <main> (else of
** <body>) without scripts, styles, navigation, headers, footers, asides and
** forms, one line per block. Meta date, keywords and the canonical link
** fill date, tags and url. It does not run scripts or read CSS, so text
** hidden by a stylesheet is kept (only the `hidden` attribute is honoured).
** A page without <article>, <main> or <h1> is a scraped page whose text
** lines go through boiler.c: navigation and prompts dropped, the byline as
** author, and its headline as the title when <title> is missing or only
** adds a site name to it.
** Gumbo allocates with plain malloc and cannot report running out; it
** parses the bounded copy htmlclean.c writes, never the page itself.
*/
#include <gumbo.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "corpus.h"

/**************************************************************************
** Walking the tree without recursion (pages can nest very deeply)
*/

/* Called on entering a node: return 0 to visit its children, 1 to skip
** them, or a cari_rc error (> 1) to stop. Leaving is called only for nodes
** whose children were visited. */
typedef int (*enter_fn)(void *ctx, const GumboNode *n);
typedef void (*leave_fn)(void *ctx, const GumboNode *n);

typedef struct frame {
  const GumboNode *node;
  unsigned i;
} frame;

static const GumboVector *children(const GumboNode *n) {
  if (n->type == GUMBO_NODE_DOCUMENT) return &n->v.document.children;
  if (n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE)
    return &n->v.element.children;
  return NULL;
}

static int walk(const GumboNode *top, enter_fn enter, leave_fn leave,
                void *ctx) {
  frame *st = NULL;
  size_t depth = 0, cap = 0;
  int rc = enter(ctx, top);
  if (rc != 0) return rc == 1 ? CARI_OK : rc;
  if (!children(top)) {
    if (leave) leave(ctx, top);
    return CARI_OK;
  }
  int grc = CARI_OK;
  if (!(st = cari_grow(&grc, NULL, &cap, 64, sizeof *st))) return CARI_NOMEM;
  st[depth].node = top;
  st[depth++].i = 0;
  while (depth > 0) {
    frame *f = &st[depth - 1];
    const GumboVector *kids = children(f->node);
    const GumboNode *k;
    if (f->i >= kids->length) {
      if (leave) leave(ctx, f->node);
      depth--;
      continue;
    }
    k = kids->data[f->i++];
    rc = enter(ctx, k);
    if (rc == 1) continue;
    if (rc != 0) break;
    if (!children(k)) {
      if (leave) leave(ctx, k);
      continue;
    }
    st = cari_grow(&grc, st, &cap, depth + 1, sizeof *st);
    if (grc) {
      rc = grc;
      break;
    }
    st[depth].node = k;
    st[depth++].i = 0;
  }
  cari_free(st);
  return rc == 1 ? CARI_OK : rc;
}

static const char *attr(const GumboNode *n, const char *name) {
  const GumboAttribute *a = gumbo_get_attribute(&n->v.element.attributes, name);
  return a ? a->value : NULL;
}

/**************************************************************************
** Finding the parts: title, first h1, content root, meta and link
*/

typedef struct find_ctx {
  const GumboNode *title, *h1, *content, *body;
  const char *date, *keywords, *canonical;
} find_ctx;

/* True when the space-separated list `rel` holds `word` (any case). */
static int has_word(const char *list, const char *word) {
  size_t n = strlen(word);
  while (list && *list) {
    size_t len;
    while (corpus_isspace((unsigned char)*list)) list++;
    len = strcspn(list, " \t\n\r\f");
    if (len == n && strncasecmp(list, word, n) == 0) return 1;
    list += len;
  }
  return 0;
}

static int find_enter(void *ctx, const GumboNode *n) {
  find_ctx *c = ctx;
  const char *name, *content;
  if (n->type == GUMBO_NODE_TEMPLATE) return 1;
  if (n->type != GUMBO_NODE_ELEMENT) return n->type != GUMBO_NODE_DOCUMENT;
  if (n->v.element.tag_namespace != GUMBO_NAMESPACE_HTML) return 1; /* svg */
  switch (n->v.element.tag) {
  case GUMBO_TAG_TITLE:
    if (!c->title) c->title = n;
    return 1;
  case GUMBO_TAG_H1:
    if (!c->h1) c->h1 = n;
    return 1;
  case GUMBO_TAG_BODY:
    if (!c->body) c->body = n;
    return 0;
  case GUMBO_TAG_ARTICLE:
  case GUMBO_TAG_MAIN:
    if (!c->content) c->content = n;
    return 0;
  case GUMBO_TAG_META:
    name = attr(n, "name");
    if (!name) name = attr(n, "property");
    content = attr(n, "content");
    if (!name || !content) return 1;
    if (!c->date && (strcasecmp(name, "date") == 0 ||
                     strcasecmp(name, "article:published_time") == 0))
      c->date = content;
    else if (!c->keywords && strcasecmp(name, "keywords") == 0)
      c->keywords = content;
    return 1;
  case GUMBO_TAG_LINK:
    if (!c->canonical && has_word(attr(n, "rel"), "canonical"))
      c->canonical = attr(n, "href");
    return 1;
  default: return 0;
  }
}

/**************************************************************************
** Text
*/

typedef struct text_ctx {
  cari_buf *out;
  int oneline;  /* a title: line breaks become spaces */
  int pre;      /* inside <pre>: keep line breaks */
} text_ctx;

/* Elements whose text is not the article's. */
static int is_skipped(GumboTag t) {
  switch (t) {
  case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_NOSCRIPT:
  case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_NAV: case GUMBO_TAG_HEADER:
  case GUMBO_TAG_FOOTER: case GUMBO_TAG_ASIDE: case GUMBO_TAG_FORM:
  case GUMBO_TAG_BUTTON: case GUMBO_TAG_SELECT: case GUMBO_TAG_SVG:
  case GUMBO_TAG_IFRAME: case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_CANVAS:
  case GUMBO_TAG_HEAD:
    return 1;
  default: return 0;
  }
}

/* Lines a block element ends with: 2 for paragraph-like blocks, 1 for other
** blocks, 0 for inline elements. */
static int block_lines(GumboTag t) {
  switch (t) {
  case GUMBO_TAG_P: case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3:
  case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_PRE:
  case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_TABLE: case GUMBO_TAG_UL:
  case GUMBO_TAG_OL: case GUMBO_TAG_DL: case GUMBO_TAG_FIGURE:
  case GUMBO_TAG_HR: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_SECTION:
  case GUMBO_TAG_MAIN:
    return 2;
  case GUMBO_TAG_DIV: case GUMBO_TAG_LI: case GUMBO_TAG_BR: case GUMBO_TAG_TR:
  case GUMBO_TAG_DT: case GUMBO_TAG_DD: case GUMBO_TAG_FIGCAPTION:
  case GUMBO_TAG_CAPTION: case GUMBO_TAG_ADDRESS: case GUMBO_TAG_DETAILS:
  case GUMBO_TAG_SUMMARY: case GUMBO_TAG_HGROUP: case GUMBO_TAG_FIELDSET:
  case GUMBO_TAG_LEGEND: case GUMBO_TAG_BODY: case GUMBO_TAG_CENTER:
  case GUMBO_TAG_LISTING: case GUMBO_TAG_XMP: case GUMBO_TAG_PLAINTEXT:
    return 1;
  default: return 0;
  }
}

static int text_break(text_ctx *c, int lines) {
  if (c->oneline) return corpus_text_put(c->out, " ", 1, 1);
  return corpus_text_break(c->out, lines);
}

static int text_enter(void *ctx, const GumboNode *n) {
  text_ctx *c = ctx;
  const char *alt;
  GumboTag t;
  int rc;
  switch (n->type) {
  case GUMBO_NODE_TEXT:
  case GUMBO_NODE_WHITESPACE:
  case GUMBO_NODE_CDATA:
    rc = corpus_text_put(c->out, n->v.text.text, strlen(n->v.text.text),
                         !c->pre || c->oneline);
    return rc == CARI_OK ? 1 : rc;
  case GUMBO_NODE_ELEMENT: break;
  case GUMBO_NODE_DOCUMENT: return 0;
  default: return 1; /* comments, templates */
  }
  t = n->v.element.tag;
  if (is_skipped(t) || attr(n, "hidden")) return 1;
  if (t == GUMBO_TAG_TD || t == GUMBO_TAG_TH) {
    rc = corpus_text_put(c->out, " ", 1, 1);
  } else if (t == GUMBO_TAG_IMG) {
    alt = attr(n, "alt");
    rc = alt ? corpus_text_put(c->out, alt, strlen(alt), 1) : CARI_OK;
  } else {
    rc = block_lines(t) ? text_break(c, block_lines(t)) : CARI_OK;
  }
  if (rc != CARI_OK) return rc;
  if (t == GUMBO_TAG_PRE) c->pre++;
  return 0;
}

static void text_leave(void *ctx, const GumboNode *n) {
  text_ctx *c = ctx;
  GumboTag t;
  if (n->type != GUMBO_NODE_ELEMENT) return;
  t = n->v.element.tag;
  if (t == GUMBO_TAG_PRE) c->pre--;
  /* A failure here leaves a missing line break, never bad memory. */
  if (block_lines(t)) (void)text_break(c, block_lines(t));
}

/* The text of the subtree under n into out (emptied first), trimmed. */
static int node_text(const GumboNode *n, cari_buf *out, int oneline) {
  text_ctx c;
  int rc;
  c.out = out;
  c.oneline = oneline;
  c.pre = 0;
  cari_buf_clear(out);
  rc = walk(n, text_enter, text_leave, &c);
  corpus_text_trim(out);
  return rc;
}

/* Copy a NUL-terminated attribute value, whitespace collapsed, into out. */
static int set_attr(cari_buf *out, const char *v) {
  int rc;
  cari_buf_clear(out);
  if (!v) return CARI_OK;
  rc = corpus_text_put(out, v, strlen(v), 1);
  corpus_text_trim(out);
  return rc;
}

/* True when needle[0..n) occurs in hay, without ASCII case. */
static int contains(const char *hay, const char *needle, size_t n) {
  size_t h = strlen(hay), i;
  for (i = 0; n && i + n <= h; i++)
    if (strncasecmp(hay + i, needle, n) == 0) return 1;
  return 0;
}

/* A page without semantic tags: the boilerplate rules on its lines. The
** headline replaces a <title> that contains it (a site name added) or is
** missing; otherwise it stays the body's first line. */
static int scraped(corpus_doc *d) {
  cari_buf title = d->title, body = d->body;
  int rc;
  memset(&d->title, 0, sizeof d->title);
  memset(&d->body, 0, sizeof d->body);
  rc = corpus_boiler_page(d, cari_buf_str(&body), body.n);
  if (rc == CARI_OK && title.n &&
      (d->title.n == 0 || !contains(title.p, d->title.p, d->title.n))) {
    if (d->title.n) { /* the headline is text: back before the body */
      cari_buf head = d->title;
      memset(&d->title, 0, sizeof d->title);
      cari_buf_add(&rc, &head, "\n\n", d->body.n ? 2 : 0);
      cari_buf_add(&rc, &head, cari_buf_str(&d->body), d->body.n);
      cari_buf_free(&d->body);
      d->body = head;
    }
    cari_buf_free(&d->title);
    d->title = title;
    memset(&title, 0, sizeof title);
  }
  cari_buf_free(&title);
  cari_buf_free(&body);
  return rc;
}

static int html_parse(const char *name, const char *text, size_t len,
                      corpus_doc *d, int page) {
  GumboOptions opt = kGumboDefaultOptions;
  GumboOutput *g;
  cari_buf copy = {0};
  find_ctx f;
  int rc;
  /* Parse errors are not used; recording each copies gumbo's whole stack. */
  opt.max_errors = 0;
  /* Gumbo reads a copy whose nesting and size are bounded (htmlclean.c). */
  if (corpus_html_clean(text, len, &copy) != CARI_OK) {
    cari_buf_free(&copy);
    return corpus_err(d, CARI_NOMEM, "%s: out of memory", name);
  }
  g = gumbo_parse_with_options(&opt, copy.p, copy.n);
  if (!g) {
    cari_buf_free(&copy);
    return corpus_err(d, CARI_NOMEM, "%s: out of memory", name);
  }
  memset(&f, 0, sizeof f);
  rc = walk(g->document, find_enter, NULL, &f);
  if (rc == CARI_OK && f.title) rc = node_text(f.title, &d->title, 1);
  if (rc == CARI_OK && d->title.n == 0 && f.h1)
    rc = node_text(f.h1, &d->title, 1);
  if (rc == CARI_OK && (f.content || f.body))
    rc = node_text(f.content ? f.content : f.body, &d->body, 0);
  if (rc == CARI_OK) rc = set_attr(&d->date, f.date);
  if (rc == CARI_OK) rc = set_attr(&d->url, f.canonical);
  if (rc == CARI_OK && f.keywords)
    rc = corpus_doc_tags_csv(d, f.keywords, strlen(f.keywords));
  if (rc == CARI_OK && page && !f.content && !f.h1) rc = scraped(d);
  /* Gumbo decodes out-of-range character references to invalid UTF-8. */
  if (rc == CARI_OK) rc = corpus_utf8_repair(&d->title);
  if (rc == CARI_OK) rc = corpus_utf8_repair(&d->body);
  if (rc == CARI_OK) rc = corpus_utf8_repair(&d->date);
  if (rc == CARI_OK) rc = corpus_utf8_repair(&d->url);
  if (rc == CARI_OK) rc = corpus_utf8_repair(&d->tagtext);
  gumbo_destroy_output(&opt, g);
  cari_buf_free(&copy); /* after gumbo: its nodes point into the copy */
  return rc;
}

int corpus_html_parse(const char *name, const char *text, size_t len,
                      corpus_doc *d) {
  return html_parse(name, text, len, d, 1);
}

int corpus_html_text(const char *name, const char *text, size_t len,
                     corpus_doc *d, int fast) {
  if (fast) {
    int rc = corpus_html_fast(text, len, &d->body);
    if (rc != CORPUS_SKIP) return rc;
    cari_buf_clear(&d->body);
  }
  return html_parse(name, text, len, d, 0);
}
