/*
** libreoffice.c — debian_docs: LibreOffice help: its pages and the index in
** bookmarks.js.
** It does not read the help's other languages or its media.
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
** LibreOffice help: the pages under text/, and the index in bookmarks.js
**
** A page is <title> plus the text of <div id="DisplayArea">, less what the
** help's script would not show: the bookmark keywords (<meta> and the stray
** words beside them, straight inside DisplayArea), "Topik Terkait" link
** lists, and hidden cases of switches. A switch shows one case: the one
** for Linux (class UNIX) or for the page's module (WRITER, CALC, ...),
** else its default; for another module, or another system without a
** default, nothing.
*/

typedef struct lo_page {
  const GumboNode *area; /* div#DisplayArea */
  const char *module;    /* WRITER, CALC, ... or NULL for shared pages */
} lo_page;

static const char *lo_module(const char *rel) {
  static const char *const map[][2] = {
      {"text/swriter/", "WRITER"}, {"text/scalc/", "CALC"},
      {"text/simpress/", "IMPRESS"}, {"text/sdraw/", "DRAW"},
      {"text/schart/", "CHART"}, {"text/smath/", "MATH"},
      {"text/sbasic/", "BASIC"}, {"text/sdatabase/", "DATABASE"}};
  size_t i;
  for (i = 0; i < sizeof map / sizeof *map; i++)
    if (has_prefix(rel, map[i][0])) return map[i][1];
  return NULL;
}

static const GumboNode *lo_case(const lo_page *pg, const GumboNode *sw) {
  const GumboVector *k = g_kids(sw);
  const GumboNode *mine = NULL, *dflt = NULL;
  unsigned i;
  for (i = 0; k && i < k->length; i++) {
    const GumboNode *c = k->data[i];
    const char *id = g_attr(c, "id");
    if (c->type != GUMBO_NODE_ELEMENT) continue;
    if (!mine && (has_class(c, "UNIX") || (pg->module && has_class(c, pg->module))))
      mine = c;
    else if (!dflt && id && has_prefix(id, "default"))
      dflt = c;
  }
  return mine ? mine : dflt;
}

static void lo_text(const lo_page *pg, const GumboNode *n, sbuf *out, int pre,
                    int depth);

static void lo_kids(const lo_page *pg, const GumboNode *n, sbuf *out, int pre,
                    int depth) {
  const GumboVector *k = g_kids(n);
  unsigned i;
  for (i = 0; k && i < k->length; i++) lo_text(pg, k->data[i], out, pre, depth);
}

static void lo_text(const lo_page *pg, const GumboNode *n, sbuf *out, int pre,
                    int depth) {
  GumboTag tag;
  int block;
  if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
      n->type == GUMBO_NODE_CDATA) {
    if (n->parent != pg->area) put_text(out, n->v.text.text, pre);
    return;
  }
  if (n->type != GUMBO_NODE_ELEMENT || depth > MAX_DEPTH) return;
  tag = n->v.element.tag;
  if (tag == GUMBO_TAG_BR) {
    sb_putc(out, '\n');
    return;
  }
  if (is_hidden_tag(tag) || has_class(n, "relatedtopics")) return;
  if (has_class(n, "switch") || has_class(n, "switchinline")) {
    const GumboNode *c = lo_case(pg, n);
    if (c) lo_kids(pg, c, out, pre, depth + 1);
    return;
  }
  if (g_attr(n, "hidden")) return;
  block = is_block(tag);
  if (block) sb_putc(out, '\n');
  lo_kids(pg, n, out, pre || tag == GUMBO_TAG_PRE, depth + 1);
  if (block) sb_putc(out, '\n');
}

static void lo_page_read(builder *b, const char *dir, const char *rel,
                         const char *url_base) {
  char *path = path_join(dir, rel), *text, *id, *url, *stem;
  GumboOutput *g = g_parse_file(path, &text);
  const GumboNode *title;
  lo_page pg;
  sbuf t = {0}, body = {0};
  if (!g) {
    unreadable(b, "libreoffice-help", path, strerror(errno));
    free(path);
    free(text);
    return;
  }
  pg.area = g_find(g->root, GUMBO_TAG_UNKNOWN, "DisplayArea", 0);
  pg.module = lo_module(rel);
  title = g_find(g->root, GUMBO_TAG_TITLE, NULL, 0);
  if (title) g_plain_text(title, &t, 0);
  if (blank(sb_str(&t)) && pg.area) {
    const GumboNode *h1 = g_find(pg.area, GUMBO_TAG_H1, NULL, 0);
    if (h1) g_plain_text(h1, &t, 0);
  }
  if (pg.area) lo_text(&pg, pg.area, &body, 0, 0);
  stem = xstrndup(rel, strlen(rel) - strlen(".html"));
  id = cat3("lo:", stem, "");
  url = url_base ? cat3(url_base, rel, "") : NULL;
  if (!pg.area) unreadable(b, "libreoffice-help", path, "no DisplayArea");
  else add_doc(b, "libreoffice-help", id, sb_str(&t), sb_str(&body), url);
  gumbo_destroy_output(&kGumboDefaultOptions, g);
  sb_free(&t);
  sb_free(&body);
  free(text);
  free(path);
  free(stem);
  free(id);
  free(url);
}


/*
** An index term as a query: the help writes a term and its subterm as
** "term -- subterm" (";" in the XHP sources); both become plain words, and
** the commas and colons left at the ends of parts go. Returns a new string.
*/
static char *index_term_text(const char *raw) {
  sbuf parts = {0};
  const char *p = raw;
  char *out;
  while (*p) {
    const char *e = p, *s = p;
    while (*e && *e != ';' && !(e[0] == '-' && e[1] == '-')) e++;
    while (s < e && strchr(" \t,:;", *s)) s++;
    {
      const char *t = e;
      while (t > s && strchr(" \t,:;", t[-1])) t--;
      if (t > s) {
        if (parts.n) sb_putc(&parts, ' ');
        sb_add(&parts, s, (size_t)(t - s));
      }
    }
    p = *e == ';' ? e + 1 : *e ? e + 2 : e;
  }
  out = clean_text(sb_str(&parts), parts.n, 0);
  sb_free(&parts);
  return out;
}

/* The value of `key:"..."` in one bookmarks.js line, JavaScript escapes
** and then HTML references decoded, or NULL. Returns a new string. */
static char *js_field(const char *line, const char *key) {
  const char *p = strstr(line, key);
  sbuf raw = {0}, out = {0};
  if (!p) return NULL;
  p += strlen(key);
  if (*p++ != '"') return NULL;
  for (; *p && *p != '"'; p++) {
    if (*p == '\\' && p[1]) {
      p++;
      sb_putc(&raw, *p == 'n' ? ' ' : *p == 't' ? ' ' : *p);
    } else
      sb_putc(&raw, *p);
  }
  if (*p != '"') {
    sb_free(&raw);
    return NULL;
  }
  decode_entities(&out, sb_str(&raw), raw.n);
  sb_free(&raw);
  return sb_take(&out);
}

/* Read bookmarks.js: {url:"id/text/....html?DbPAR=..#bm_..", app:"..",
** text:"term -- subterm"}, one a line. Terms are kept with the page id they
** point at; which pages exist is checked later. */
static int lo_index_read(builder *b, const char *path) {
  size_t len, i = 0;
  char *text = read_file(path, &len);
  if (!text) return -1;
  while (i < len) {
    size_t end = i;
    char *line, *url, *raw;
    while (end < len && text[end] != '\n') end++;
    line = xstrndup(text + i, end - i);
    i = end + 1;
    url = js_field(line, "url:");
    raw = js_field(line, "text:");
    if (url && raw) {
      const char *rel = strstr(url, "text/");
      size_t n = rel ? strcspn(rel, "?#") : 0;
      char *q = index_term_text(raw);
      b->terms_read++;
      if (n > 5 && has_prefix(rel + n - 5, ".html") && *q) {
        term *t;
        sbuf id = {0};
        if (b->nterms == b->capterms) {
          b->capterms = b->capterms ? 2 * b->capterms : 1024;
          b->terms = xrealloc(b->terms, b->capterms * sizeof *b->terms);
        }
        sb_puts(&id, "lo:");
        sb_add(&id, rel, n - 5);
        t = &b->terms[b->nterms++];
        t->text = q;
        t->key = fold(q);
        t->docid = sb_take(&id);
        q = NULL;
      }
      free(q);
    }
    free(url);
    free(raw);
    free(line);
  }
  free(text);
  return 0;
}

void lo_read(builder *b, const char *dir, const char *url_base) {
  strv files = {0};
  char *text_dir = path_join(dir, "text"), *bm;
  size_t i;
  if (list_files(dir, "text", ".html", &files, 0) != 0)
    die("%s: %s", text_dir, strerror(errno));
  for (i = 0; i < files.n; i++) lo_page_read(b, dir, files.v[i], url_base);
  bm = path_join(dir, "bookmarks.js");
  if (lo_index_read(b, bm) != 0)
    fprintf(stderr, "debian_docs: %s: %s (no index queries)\n", bm,
            strerror(errno));
  free(bm);
  free(text_dir);
  sv_free(&files);
}
