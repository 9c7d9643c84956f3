/*
** mallard.c — debian_docs: GNOME help: Mallard pages.
** It renders nothing: text only.
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
** GNOME help: Mallard pages
**
** A page is its <title> and the text of its blocks; from <info> only the
** <desc> (the page's one-line summary) is kept. Media fallbacks (English
** captions), link lists, editorial comments and credits go. Key sequences
** are written "Ctrl+F".
*/


static const char *const mal_skip[] = {"info", "comment", "media", "links",
    "credit", "license", "include", "revision", NULL};
static const char *const mal_block[] = {"p", "title", "subtitle", "desc",
    "item", "list", "steps", "terms", "tree", "note", "section", "figure",
    "listing", "example", "screen", "synopsis", "quote", "table", "tr", "td",
    "th", "thead", "tbody", "div", "page", "card", NULL};

static void mal_text(const xnode *n, sbuf *out, int pre, int depth) {
  const char *nm;
  size_t i;
  int block, sep = 0;
  if (!n->name) {
    put_text(out, n->text, pre);
    return;
  }
  if (depth > MAX_DEPTH) return;
  nm = xml_local(n);
  if (name_in(nm, mal_skip)) return;
  block = name_in(nm, mal_block);
  pre = pre || strcmp(nm, "screen") == 0 || strcmp(nm, "code") == 0;
  if (block) sb_putc(out, '\n');
  for (i = 0; i < n->nkid; i++) {
    if (strcmp(nm, "keyseq") == 0) { /* Ctrl+F: keys only, joined by + */
      if (!n->kid[i]->name) continue;
      if (sep++) sb_putc(out, '+');
    }
    mal_text(n->kid[i], out, pre, depth + 1);
  }
  if (block) sb_putc(out, '\n');
}

static const xnode *xml_child(const xnode *n, const char *local) {
  size_t i;
  for (i = 0; i < n->nkid; i++)
    if (n->kid[i]->name && strcmp(xml_local(n->kid[i]), local) == 0 &&
        !xml_attr(n->kid[i], "type"))
      return n->kid[i];
  return NULL;
}

void mallard_read(builder *b, const char *name, const char *dir) {
  strv files = {0};
  size_t i;
  if (list_files(dir, "", ".page", &files, 0) != 0)
    die("%s: %s", dir, strerror(errno));
  for (i = 0; i < files.n; i++) {
    char *path = path_join(dir, files.v[i]), *text, err[128];
    size_t len, j;
    xnode *xdoc = NULL;
    const xnode *page = NULL, *title, *info, *desc;
    sbuf t = {0}, body = {0}, id = {0};
    text = read_file(path, &len);
    if (!text) {
      unreadable(b, name, path, strerror(errno));
      free(path);
      continue;
    }
    xdoc = xml_parse(text, len, err, sizeof err);
    for (j = 0; xdoc && j < xdoc->nkid; j++)
      if (xdoc->kid[j]->name) page = xdoc->kid[j];
    if (!xdoc || !page || strcmp(xml_local(page), "page") != 0) {
      unreadable(b, name, path, xdoc ? "not a Mallard page" : err);
    } else {
      title = xml_child(page, "title");
      if (title) mal_text(title, &t, 0, 0);
      info = xml_child(page, "info");
      desc = info ? xml_child(info, "desc") : NULL;
      if (desc) mal_text(desc, &body, 0, 0);
      for (j = 0; j < page->nkid; j++)
        if (page->kid[j] != title) mal_text(page->kid[j], &body, 0, 1);
      sb_puts(&id, "gnome:");
      sb_puts(&id, name);
      sb_putc(&id, '/');
      sb_add(&id, files.v[i], strlen(files.v[i]) - strlen(".page"));
      add_doc(b, name, sb_str(&id), sb_str(&t), sb_str(&body), NULL);
    }
    xml_free(xdoc);
    sb_free(&t);
    sb_free(&body);
    sb_free(&id);
    free(text);
    free(path);
  }
  sv_free(&files);
}
