/*
** html.c — debian_docs: HTML with gumbo: helpers the LibreOffice and Debian
** Reference readers share.
** It reads no particular source.
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
** HTML with gumbo: shared helpers
*/

const char *g_attr(const GumboNode *n, const char *name) {
  const GumboAttribute *a;
  if (n->type != GUMBO_NODE_ELEMENT) return NULL;
  a = gumbo_get_attribute(&n->v.element.attributes, name);
  return a ? a->value : NULL;
}

/* True when n's class attribute holds the word cls. */
int has_class(const GumboNode *n, const char *cls) {
  const char *c = g_attr(n, "class");
  size_t k = strlen(cls);
  while (c && *c) {
    size_t len;
    while (*c == ' ' || *c == '\t' || *c == '\n') c++;
    len = strcspn(c, " \t\n");
    if (len == k && strncmp(c, cls, k) == 0) return 1;
    c += len;
  }
  return 0;
}

int is_block(GumboTag t) {
  switch (t) {
  case GUMBO_TAG_P: case GUMBO_TAG_DIV: case GUMBO_TAG_H1: case GUMBO_TAG_H2:
  case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6:
  case GUMBO_TAG_LI: case GUMBO_TAG_UL: case GUMBO_TAG_OL: case GUMBO_TAG_DL:
  case GUMBO_TAG_DT: case GUMBO_TAG_DD: case GUMBO_TAG_TABLE:
  case GUMBO_TAG_TR: case GUMBO_TAG_TD: case GUMBO_TAG_TH:
  case GUMBO_TAG_THEAD: case GUMBO_TAG_TBODY: case GUMBO_TAG_TFOOT:
  case GUMBO_TAG_CAPTION: case GUMBO_TAG_PRE: case GUMBO_TAG_BLOCKQUOTE:
  case GUMBO_TAG_SECTION: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_MAIN:
  case GUMBO_TAG_FIGURE: case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_HR:
  case GUMBO_TAG_ADDRESS: case GUMBO_TAG_BODY: case GUMBO_TAG_FIELDSET:
  case GUMBO_TAG_LEGEND: case GUMBO_TAG_DETAILS: case GUMBO_TAG_SUMMARY:
    return 1;
  default: return 0;
  }
}

/* Elements whose content is never text of the page. */
int is_hidden_tag(GumboTag t) {
  switch (t) {
  case GUMBO_TAG_HEAD: case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE:
  case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_META:
  case GUMBO_TAG_IMG: case GUMBO_TAG_SVG: case GUMBO_TAG_MATH:
  case GUMBO_TAG_BUTTON: case GUMBO_TAG_INPUT: case GUMBO_TAG_SELECT:
  case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_NAV: case GUMBO_TAG_ASIDE:
  case GUMBO_TAG_FOOTER: case GUMBO_TAG_HEADER: case GUMBO_TAG_FORM:
    return 1;
  default: return 0;
  }
}

/* Append a text node: line breaks inside it are spaces unless `pre`. */
void put_text(sbuf *out, const char *s, int pre) {
  size_t i, start = out->n;
  sb_puts(out, s);
  if (!pre)
    for (i = start; i < out->n; i++)
      if (out->p[i] == '\n' || out->p[i] == '\r') out->p[i] = ' ';
}

const GumboVector *g_kids(const GumboNode *n) {
  if (n->type == GUMBO_NODE_DOCUMENT) return &n->v.document.children;
  if (n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE)
    return &n->v.element.children;
  return NULL;
}

/* The first element under n (n included) with this tag, or with this id
** when id is not NULL. */
const GumboNode *g_find(const GumboNode *n, GumboTag tag,
                               const char *id, int depth) {
  const GumboVector *k = g_kids(n);
  unsigned i;
  if (n->type == GUMBO_NODE_ELEMENT) {
    const char *nid = g_attr(n, "id");
    if (id ? nid && strcmp(nid, id) == 0 : n->v.element.tag == tag) return n;
  }
  if (!k || depth > MAX_DEPTH) return NULL;
  for (i = 0; i < k->length; i++) {
    const GumboNode *f = g_find(k->data[i], tag, id, depth + 1);
    if (f) return f;
  }
  return NULL;
}

/* All the text under n, one line per block, no hidden elements. */
void g_plain_text(const GumboNode *n, sbuf *out, int depth) {
  const GumboVector *k;
  unsigned i;
  int block;
  if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
      n->type == GUMBO_NODE_CDATA) {
    put_text(out, n->v.text.text, 0);
    return;
  }
  if (n->type != GUMBO_NODE_ELEMENT || depth > MAX_DEPTH) return;
  if (n->v.element.tag == GUMBO_TAG_BR) {
    sb_putc(out, '\n');
    return;
  }
  if (is_hidden_tag(n->v.element.tag) || g_attr(n, "hidden")) return;
  block = is_block(n->v.element.tag);
  if (block) sb_putc(out, '\n');
  k = g_kids(n);
  for (i = 0; k && i < k->length; i++) g_plain_text(k->data[i], out, depth + 1);
  if (block) sb_putc(out, '\n');
}

GumboOutput *g_parse_file(const char *path, char **text) {
  size_t len;
  *text = read_file(path, &len);
  if (!*text) return NULL;
  return gumbo_parse_with_options(&kGumboDefaultOptions, *text, len);
}
