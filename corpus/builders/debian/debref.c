/*
** debref.c — debian_docs: Debian Reference: DocBook HTML, one article per
** section.
** It does not read the other languages or the PDF.
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
** Debian Reference: DocBook HTML, one article per section
**
** Each chapter file is cut at its sections down to the third heading level
** (chapter, section, subsection): a section's article is its own text up
** to its first subsection, titled by its heading without the number
** ("1.1.1. Prompt shell" -> "Prompt shell"). Deeper sections stay inside
** their parent with their heading as a line. Tables of contents and the
** navigation bars go.
*/

#define DR_LEVELS 8

typedef struct dr_ctx {
  builder *b;
  const char *file, *url_base; /* file name, for the URL */
  sbuf open[DR_LEVELS];        /* the bodies of the sections being read */
  int depth;
} dr_ctx;

/* The heading element of a DocBook section: h1..h6 in its div.titlepage. */
static const GumboNode *dr_heading(const GumboNode *sec, int *level) {
  const GumboVector *k = g_kids(sec);
  unsigned i;
  for (i = 0; k && i < k->length; i++) {
    const GumboNode *tp = k->data[i], *h;
    GumboTag t;
    if (tp->type != GUMBO_NODE_ELEMENT || !has_class(tp, "titlepage")) continue;
    for (t = GUMBO_TAG_H1; t <= GUMBO_TAG_H6; t++)
      if ((h = g_find(tp, t, NULL, 0)) != NULL) {
        *level = (int)(t - GUMBO_TAG_H1) + 1;
        return h;
      }
  }
  return NULL;
}

/* "Bab 1. Tutorial", "1.2.3. Prompt", "A.1. Lampiran" lose the label. */
static char *dr_title(const char *heading) {
  char *t = clean_text(heading, strlen(heading), 0), *p = t;
  size_t n;
  if (has_prefix(p, "Bab ") || has_prefix(p, "Lampiran ")) {
    char *sp = strchr(p, ' ') + 1;
    n = strcspn(sp, " ");
    if (n && sp[n - 1] == '.' && sp[n] == ' ') p = sp;
  }
  n = strcspn(p, " ");
  if (n > 1 && p[n - 1] == '.' && p[n] == ' ' && strspn(p, "0123456789ABCDEFGHIJ.") == n)
    p += n + 1;
  memmove(t, p, strlen(p) + 1);
  return t;
}

/* The id of the last <a id> in a heading. The XHTML writes <a id="x"/>,
** which HTML parsing leaves open, so gumbo clones it into later headings
** ahead of their own anchor. */
static const char *dr_anchor(const GumboNode *n, const char *last, int depth) {
  const GumboVector *k = g_kids(n);
  unsigned i;
  if (n->type == GUMBO_NODE_ELEMENT && n->v.element.tag == GUMBO_TAG_A &&
      g_attr(n, "id"))
    last = g_attr(n, "id");
  for (i = 0; k && i < k->length && depth < MAX_DEPTH; i++)
    last = dr_anchor(k->data[i], last, depth + 1);
  return last;
}

static void dr_walk(dr_ctx *c, const GumboNode *n, int pre, int depth);

static void dr_kids(dr_ctx *c, const GumboNode *n, int pre, int depth) {
  const GumboVector *k = g_kids(n);
  unsigned i;
  for (i = 0; k && i < k->length; i++) dr_walk(c, k->data[i], pre, depth);
}

/* One article: the section's own text, less its heading and the
** subsections dr_walk() makes articles of their own. */
static void dr_section(dr_ctx *c, const GumboNode *sec, const GumboNode *h,
                       int depth) {
  const char *anchor = dr_anchor(h, NULL, 0);
  const GumboVector *k = g_kids(sec);
  sbuf ht = {0}, *body = &c->open[c->depth];
  unsigned i;
  if (!anchor) anchor = g_attr(sec, "id");
  memset(body, 0, sizeof *body);
  c->depth++;
  for (i = 0; k && i < k->length; i++)
    if (!has_class(k->data[i], "titlepage")) dr_walk(c, k->data[i], 0, depth + 1);
  c->depth--;
  if (!anchor) {
    unreadable(c->b, "debian-reference", c->file, "a section without an id");
  } else {
    char *title, *id = cat3("debref:", anchor, ""), *url = NULL;
    g_plain_text(h, &ht, 0);
    title = dr_title(sb_str(&ht));
    if (c->url_base) {
      char *page = cat3(c->url_base, c->file, "#");
      url = cat3(page, anchor, "");
      free(page);
    }
    add_doc(c->b, "debian-reference", id, title, sb_str(body), url);
    free(title);
    free(id);
    free(url);
  }
  sb_free(&ht);
  sb_free(body);
}

static void dr_walk(dr_ctx *c, const GumboNode *n, int pre, int depth) {
  sbuf *out = c->depth ? &c->open[c->depth - 1] : NULL;
  GumboTag tag;
  int block, level = 0;
  const GumboNode *h;
  if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
      n->type == GUMBO_NODE_CDATA) {
    if (out) put_text(out, n->v.text.text, pre);
    return;
  }
  if (n->type != GUMBO_NODE_ELEMENT || depth > MAX_DEPTH) return;
  tag = n->v.element.tag;
  if (is_hidden_tag(tag) || g_attr(n, "hidden") || has_class(n, "toc") ||
      has_class(n, "navheader") || has_class(n, "navfooter") ||
      has_class(n, "list-of-tables") || has_class(n, "list-of-figures"))
    return;
  if (tag == GUMBO_TAG_BR) {
    if (out) sb_putc(out, '\n');
    return;
  }
  if ((has_class(n, "chapter") || has_class(n, "section") ||
       has_class(n, "preface") || has_class(n, "appendix")) &&
      (h = dr_heading(n, &level)) != NULL && level <= 3 &&
      c->depth < DR_LEVELS) {
    dr_section(c, n, h, depth);
    return;
  }
  if (has_class(n, "titlepage")) { /* of a section too deep to cut at */
    const GumboNode *hd = dr_heading(n->parent, &level);
    if (hd && out) {
      sbuf ht = {0};
      char *t;
      g_plain_text(hd, &ht, 0);
      t = dr_title(sb_str(&ht));
      sb_putc(out, '\n');
      sb_puts(out, t);
      sb_putc(out, '\n');
      free(t);
      sb_free(&ht);
    }
    return;
  }
  block = is_block(tag);
  if (block && out) sb_putc(out, '\n');
  dr_kids(c, n, pre || tag == GUMBO_TAG_PRE, depth + 1);
  if (block && out) sb_putc(out, '\n');
}

void debref_read(builder *b, const char *dir, const char *url_base) {
  strv files = {0};
  size_t i;
  if (list_files(dir, "", ".html", &files, 0) != 0)
    die("%s: %s", dir, strerror(errno));
  for (i = 0; i < files.n; i++) {
    char *path, *text;
    GumboOutput *g;
    dr_ctx c;
    /* Chapters, preface, appendices; not the book's table of contents. */
    if (has_prefix(files.v[i], "index.")) continue;
    path = path_join(dir, files.v[i]);
    g = g_parse_file(path, &text);
    if (!g) {
      unreadable(b, "debian-reference", path, strerror(errno));
    } else {
      memset(&c, 0, sizeof c);
      c.b = b;
      c.file = files.v[i];
      c.url_base = url_base;
      dr_walk(&c, g->root, 0, 0);
      gumbo_destroy_output(&kGumboDefaultOptions, g);
    }
    free(text);
    free(path);
  }
  sv_free(&files);
}
