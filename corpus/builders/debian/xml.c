/*
** xml.c — debian_docs: a small XML reader for Mallard pages.
** No DTD, no namespaces, no validation.
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
** A small XML reader for Mallard pages
**
** Mallard pages are well-formed XML written by itstool. This reads what
** they use into a tree: elements with attributes, text, CDATA, the five
** predefined entities and character references; comments, processing
** instructions and the DOCTYPE are skipped. No DTD, no namespaces (names
** are kept as written, "if:when"), no validation; a mismatched or unclosed
** tag is an error with its line number. Nesting deeper than MAX_DEPTH is
** an error too, so the recursive walks below stay bounded.
*/


static xnode *xnode_add(xnode *parent, char *name, char *text) {
  xnode *n = xmalloc(sizeof *n);
  memset(n, 0, sizeof *n);
  n->name = name;
  n->text = text;
  n->parent = parent;
  if (parent) {
    if (parent->nkid == parent->capkid) {
      parent->capkid = parent->capkid ? 2 * parent->capkid : 4;
      parent->kid = xrealloc(parent->kid, parent->capkid * sizeof *parent->kid);
    }
    parent->kid[parent->nkid++] = n;
  }
  return n;
}

void xml_free(xnode *n) {
  size_t i;
  if (!n) return;
  for (i = 0; i < n->nkid; i++) xml_free(n->kid[i]);
  for (i = 0; i < 2 * n->nattr; i++) free(n->attr[i]);
  free(n->attr);
  free(n->kid);
  free(n->name);
  free(n->text);
  free(n);
}

const char *xml_attr(const xnode *n, const char *name) {
  size_t i;
  for (i = 0; i < n->nattr; i++)
    if (strcmp(n->attr[2 * i], name) == 0) return n->attr[2 * i + 1];
  return NULL;
}

/* The element name without its namespace prefix. */
const char *xml_local(const xnode *n) {
  const char *c = strchr(n->name, ':');
  return c ? c + 1 : n->name;
}

static int xml_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static size_t xml_name_len(const char *s, size_t n) {
  size_t i = 0;
  while (i < n && !xml_space(s[i]) && !strchr("<>/=\"'", s[i])) i++;
  return i;
}

/* Parse s[0..n). Returns the document node (its kids: the root element),
** or NULL with a message in err. */
xnode *xml_parse(const char *s, size_t n, char *err, size_t errcap) {
  xnode *top = xnode_add(NULL, xstrdup(""), NULL), *cur = top;
  size_t i = 0, line = 1, k;
  int depth = 0;
  const char *why = NULL;
  while (i < n && !why) {
    const char *e;
    if (s[i] != '<') {
      sbuf t = {0};
      size_t j = i;
      while (j < n && s[j] != '<') j++;
      decode_entities(&t, s + i, j - i);
      xnode_add(cur, NULL, sb_take(&t));
      i = j;
    } else if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
      if (!(e = find_seq(s + i + 4, n - i - 4, "-->"))) why = "unclosed comment";
      else i = (size_t)(e - s) + 3;
    } else if (n - i >= 9 && memcmp(s + i, "<![CDATA[", 9) == 0) {
      if (!(e = find_seq(s + i + 9, n - i - 9, "]]>"))) why = "unclosed CDATA";
      else {
        xnode_add(cur, NULL, xstrndup(s + i + 9, (size_t)(e - s) - i - 9));
        i = (size_t)(e - s) + 3;
      }
    } else if (n - i >= 2 && s[i + 1] == '?') {
      if (!(e = find_seq(s + i + 2, n - i - 2, "?>"))) why = "unclosed <?";
      else i = (size_t)(e - s) + 2;
    } else if (n - i >= 2 && s[i + 1] == '!') { /* DOCTYPE [subset] */
      int br = 0;
      size_t j = i + 2;
      while (j < n && (s[j] != '>' || br > 0)) {
        if (s[j] == '[') br++;
        else if (s[j] == ']') br--;
        j++;
      }
      if (j >= n) why = "unclosed <!";
      else i = j + 1;
    } else if (n - i >= 2 && s[i + 1] == '/') {
      k = xml_name_len(s + i + 2, n - i - 2);
      if (cur == top || strlen(cur->name) != k ||
          memcmp(cur->name, s + i + 2, k) != 0)
        why = "end tag does not match the open element";
      else {
        size_t j = i + 2 + k;
        while (j < n && xml_space(s[j])) j++;
        if (j >= n || s[j] != '>') why = "bad end tag";
        else {
          cur = cur->parent;
          depth--;
          i = j + 1;
        }
      }
    } else {
      xnode *el;
      size_t j = i + 1;
      k = xml_name_len(s + j, n - j);
      if (!k) {
        why = "bad start tag";
        break;
      }
      el = xnode_add(cur, xstrndup(s + j, k), NULL);
      j += k;
      for (;;) {
        size_t an, vs;
        char q;
        sbuf v = {0};
        while (j < n && xml_space(s[j])) j++;
        if (j < n && s[j] == '>') {
          cur = el;
          if (++depth > MAX_DEPTH) why = "nested too deeply";
          j++;
          break;
        }
        if (j + 1 < n && s[j] == '/' && s[j + 1] == '>') {
          j += 2;
          break;
        }
        an = xml_name_len(s + j, n - j);
        vs = j + an;
        while (vs < n && xml_space(s[vs])) vs++;
        if (!an || vs >= n || s[vs] != '=') {
          why = "bad attribute";
          break;
        }
        vs++;
        while (vs < n && xml_space(s[vs])) vs++;
        if (vs >= n || (s[vs] != '"' && s[vs] != '\'')) {
          why = "unquoted attribute";
          break;
        }
        q = s[vs++];
        e = memchr(s + vs, q, n - vs);
        if (!e) {
          why = "unclosed attribute";
          break;
        }
        decode_entities(&v, s + vs, (size_t)(e - s) - vs);
        el->attr = xrealloc(el->attr, 2 * (el->nattr + 1) * sizeof *el->attr);
        el->attr[2 * el->nattr] = xstrndup(s + j, an);
        el->attr[2 * el->nattr + 1] = sb_take(&v);
        el->nattr++;
        j = (size_t)(e - s) + 1;
      }
      i = j;
    }
  }
  if (!why && cur != top) why = "unclosed element";
  if (why) {
    size_t j;
    for (j = 0; j < i && j < n; j++) line += s[j] == '\n';
    snprintf(err, errcap, "line %zu: %s", line, why);
    xml_free(top);
    return NULL;
  }
  return top;
}
