/*
** buf.c — the growable buffer the renderers write into (sticky out-of-memory
** flag), HTML escaping and URL encoding into it, and a UTF-8 check. It
** knows nothing of HTTP or of the library.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve.h"

static int grow(srv_buf *b, size_t more) {
  if (b->oom) return 0;
  if (b->n + more + 1 <= b->cap) return 1;
  size_t cap = b->cap ? b->cap : 1024;
  while (cap < b->n + more + 1) cap *= 2;
  char *p = realloc(b->p, cap);
  if (!p) {
    b->oom = 1;
    return 0;
  }
  b->p = p;
  b->cap = cap;
  return 1;
}

void srv_buf_add(srv_buf *b, const char *s, size_t n) {
  if (!grow(b, n)) return;
  memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = 0;
}

void srv_buf_str(srv_buf *b, const char *s) {
  if (s) srv_buf_add(b, s, strlen(s));
}

void srv_buf_printf(srv_buf *b, const char *fmt, ...) {
  char tmp[512];
  va_list ap;
  va_start(ap, fmt);
  int k = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (k < 0) return;
  if ((size_t)k < sizeof tmp) {
    srv_buf_add(b, tmp, (size_t)k);
    return;
  }
  if (!grow(b, (size_t)k)) return;
  va_start(ap, fmt);
  vsnprintf(b->p + b->n, (size_t)k + 1, fmt, ap);
  va_end(ap);
  b->n += (size_t)k;
}

void srv_buf_html(srv_buf *b, const char *s, int flags) {
  if (!s) return;
  const char *run = s;
  for (; *s; s++) {
    const char *rep;
    switch (*s) {
    case '&': rep = "&amp;"; break;
    case '<': rep = "&lt;"; break;
    case '>': rep = "&gt;"; break;
    case '"': rep = "&quot;"; break;
    case '\'':
      if (flags & SRV_HTML_KEEP_APOS) continue;
      rep = "&#39;";
      break;
    case '\1': rep = flags & SRV_HTML_MARKS ? "<mark>" : ""; break;
    case '\2': rep = flags & SRV_HTML_MARKS ? "</mark>" : ""; break;
    default: continue;
    }
    srv_buf_add(b, run, (size_t)(s - run));
    srv_buf_str(b, rep);
    run = s + 1;
  }
  srv_buf_add(b, run, (size_t)(s - run));
}

void srv_buf_urlenc(srv_buf *b, const char *s) {
  static const char hex[] = "0123456789ABCDEF";
  for (; s && *s; s++) {
    unsigned char c = (unsigned char)*s;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
        (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
        c == '~') {
      srv_buf_add(b, (const char *)&c, 1);
    } else {
      char e[3] = {'%', hex[c >> 4], hex[c & 15]};
      srv_buf_add(b, e, 3);
    }
  }
}

void srv_buf_free(srv_buf *b) {
  free(b->p);
  b->p = NULL;
  b->n = b->cap = 0;
  b->oom = 0;
}

/* Well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, <= U+10FFFF). */
int srv_utf8_ok(const char *str, size_t n) {
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0;
  while (i < n) {
    unsigned c = s[i];
    size_t k;
    unsigned lo = 0x80, hi = 0xBF;
    if (c == 0) return 0;
    if (c < 0x80) { i++; continue; }
    if (c >= 0xC2 && c <= 0xDF) k = 1;
    else if (c >= 0xE0 && c <= 0xEF) {
      k = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      k = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else return 0;
    if (i + k >= n) return 0; /* cut short */
    if (s[i + 1] < lo || s[i + 1] > hi) return 0;
    for (size_t j = 2; j <= k; j++)
      if (s[i + j] < 0x80 || s[i + j] > 0xBF) return 0;
    i += k + 1;
  }
  return 1;
}
