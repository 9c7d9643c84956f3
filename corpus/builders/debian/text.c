/*
** text.c — debian_docs: clean text (collapsed white space, valid UTF-8),
** folding, words, and the HTML character references.
** It does not know which language a text is in (words.c).
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
** Clean text: collapsed white space, valid UTF-8
*/

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n) {
  size_t len, i;
  unsigned long cp;
  if (s[0] < 0x80) return 1;
  if (s[0] >= 0xC2 && s[0] <= 0xDF) len = 2, cp = s[0] & 0x1F;
  else if (s[0] >= 0xE0 && s[0] <= 0xEF) len = 3, cp = s[0] & 0x0F;
  else if (s[0] >= 0xF0 && s[0] <= 0xF4) len = 4, cp = s[0] & 0x07;
  else return 0;
  if (n < len) return 0;
  for (i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (s[i] & 0x3F);
  }
  if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
      (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
    return 0;
  return len;
}

void utf8_put(sbuf *out, unsigned long cp) {
  char u[4];
  if (cp < 0x80) {
    u[0] = (char)cp;
    sb_add(out, u, 1);
  } else if (cp < 0x800) {
    u[0] = (char)(0xC0 | (cp >> 6));
    u[1] = (char)(0x80 | (cp & 0x3F));
    sb_add(out, u, 2);
  } else if (cp < 0x10000) {
    u[0] = (char)(0xE0 | (cp >> 12));
    u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[2] = (char)(0x80 | (cp & 0x3F));
    sb_add(out, u, 3);
  } else {
    u[0] = (char)(0xF0 | (cp >> 18));
    u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[3] = (char)(0x80 | (cp & 0x3F));
    sb_add(out, u, 4);
  }
}

/* What a character counts as for cleaning. */
enum { CH_TEXT, CH_SPACE, CH_DROP };

static int char_class(const unsigned char *s, size_t len) {
  if (len == 1)
    return s[0] > 0x20 && s[0] != 0x7F ? CH_TEXT : CH_SPACE;
  if (len == 2 && s[0] == 0xC2 && s[1] == 0xA0) return CH_SPACE; /* NBSP */
  if (len == 2 && s[0] == 0xC2 && s[1] < 0xA0) return CH_SPACE;  /* C1 */
  if (len == 3 && s[0] == 0xE2 && s[1] == 0x80) {
    if (s[2] <= 0x8A || s[2] == 0xAF) return CH_SPACE; /* U+2000..200A, 202F */
    if (s[2] == 0x8B) return CH_DROP;                  /* zero width space */
  }
  if (len == 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
    return CH_DROP; /* BOM */
  if (len == 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
    return CH_SPACE; /* ideographic space */
  return CH_TEXT;
}

/*
** Clean s[0..n): every run of white space (ASCII, no-break and the other
** Unicode spaces, control characters) becomes one space, zero-width
** characters go, invalid UTF-8 becomes U+FFFD. With `lines` set, "\n"
** separates lines: each is cleaned on its own, empty lines are dropped and
** the rest joined with "\n". No space or newline starts or ends the result.
** Returns a new string.
*/
char *clean_text(const char *s, size_t n, int lines) {
  const unsigned char *u = (const unsigned char *)s;
  sbuf out = {0};
  int space = 0, newline = 0;
  size_t i = 0;
  sb_add(&out, "", 0);
  while (i < n) {
    size_t len = utf8_seq(u + i, n - i);
    int cls;
    if (len == 0) { /* invalid byte */
      if (out.n) sb_puts(&out, newline ? "\n" : space ? " " : "");
      space = newline = 0;
      utf8_put(&out, 0xFFFD);
      i++;
      continue;
    }
    if (u[i] == '\n' && lines) {
      newline = 1;
      i++;
      continue;
    }
    cls = char_class(u + i, len);
    if (cls == CH_SPACE) space = 1;
    else if (cls == CH_TEXT) {
      if (out.n) sb_puts(&out, newline ? "\n" : space ? " " : "");
      space = newline = 0;
      sb_add(&out, s + i, len);
    }
    i += len;
  }
  return sb_take(&out);
}

/* True when s has nothing but ASCII white space. */
int blank(const char *s) {
  while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') s++;
  return *s == '\0';
}

/* ASCII lower-case copy (Indonesian needs no more). */
char *fold(const char *s) {
  char *p = xstrdup(s), *q;
  for (q = p; *q; q++)
    if (*q >= 'A' && *q <= 'Z') *q = (char)(*q - 'A' + 'a');
  return p;
}

/* The next run of ASCII letters at or after *p, lower-cased into w (cap
** bytes); *shape (if not NULL) says how it was written: 0 in lower case,
** 2 all in capitals (two letters or more), 1 otherwise. Runs longer than
** cap-1 and runs glued to digits ("l10n", "x86") are skipped. Returns 0 at
** the end of s. */
int next_word(const char **p, char *w, size_t cap, int *shape) {
  const char *s = *p;
  for (;;) {
    size_t n = 0, upper = 0;
    while (*s && !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))) s++;
    if (!*s) {
      *p = s;
      return 0;
    }
    while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')) {
      if (*s <= 'Z') upper++;
      if (n + 1 < cap) w[n] = (char)(*s <= 'Z' ? *s - 'A' + 'a' : *s);
      n++;
      s++;
    }
    if (n + 1 < cap && !(*s >= '0' && *s <= '9') &&
        !(n < (size_t)(s - *p) && s[-(long)n - 1] >= '0' && s[-(long)n - 1] <= '9')) {
      w[n] = '\0';
      if (shape) *shape = upper == 0 ? 0 : upper == n && n > 1 ? 2 : 1;
      *p = s;
      return 1;
    }
  }
}

/* Decode the HTML character references &#N; &#xN; &amp; &lt; &gt; &quot;
** &apos; of s[0..n) into out; others stay as written. */
void decode_entities(sbuf *out, const char *s, size_t n) {
  static const char *const named[][2] = {{"amp", "&"}, {"lt", "<"},
      {"gt", ">"}, {"quot", "\""}, {"apos", "'"}, {"nbsp", "\xC2\xA0"}};
  size_t i = 0;
  while (i < n) {
    const char *semi;
    size_t k;
    if (s[i] != '&' ||
        !(semi = memchr(s + i, ';', n - i < 12 ? n - i : 12))) {
      sb_add(out, s + i, 1);
      i++;
      continue;
    }
    k = (size_t)(semi - (s + i + 1));
    if (k > 1 && s[i + 1] == '#') {
      char num[12], *end;
      int hex = s[i + 2] == 'x' || s[i + 2] == 'X';
      unsigned long cp;
      memcpy(num, s + i + 2 + hex, k - 1 - hex);
      num[k - 1 - hex] = '\0';
      cp = strtoul(num, &end, hex ? 16 : 10);
      if (*num && !*end && cp > 0 && cp <= 0x10FFFF &&
          !(cp >= 0xD800 && cp <= 0xDFFF)) {
        utf8_put(out, cp);
        i += k + 2;
        continue;
      }
    } else {
      size_t j;
      for (j = 0; j < sizeof named / sizeof *named; j++)
        if (strlen(named[j][0]) == k && memcmp(s + i + 1, named[j][0], k) == 0)
          break;
      if (j < sizeof named / sizeof *named) {
        sb_puts(out, named[j][1]);
        i += k + 2;
        continue;
      }
    }
    sb_add(out, s + i, 1);
    i++;
  }
}
