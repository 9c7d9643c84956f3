/*
** roff.c — debian_docs: the roff reader: escapes, special characters, macro
** arguments.
** No roff evaluation.
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

static const char *roff_special(const char *name, size_t n) {
  static const char *const map[][2] = {
      {"em", "\xE2\x80\x94"}, {"en", "\xE2\x80\x93"}, {"hy", "-"},
      {"aq", "'"}, {"dq", "\""}, {"lq", "\xE2\x80\x9C"},
      {"rq", "\xE2\x80\x9D"}, {"oq", "\xE2\x80\x98"}, {"cq", "\xE2\x80\x99"},
      {"bu", "\xE2\x80\xA2"}, {"co", "\xC2\xA9"}, {"rg", "\xC2\xAE"},
      {"tm", "\xE2\x84\xA2"}, {"mu", "\xC3\x97"}, {"de", "\xC2\xB0"},
      {"ti", "~"}, {"ha", "^"}, {"rs", "\\"}, {"sl", "/"}, {"ga", "`"},
      {"ul", "_"}, {"pl", "+"}, {"mi", "-"}, {"eq", "="}, {"->", "\xE2\x86\x92"},
      {"<-", "\xE2\x86\x90"}, {">=", "\xE2\x89\xA5"}, {"<=", "\xE2\x89\xA4"},
      {"Aq", "'"}, {"lh", ""}, {"rh", ""}};
  size_t i;
  for (i = 0; i < sizeof map / sizeof *map; i++)
    if (strlen(map[i][0]) == n && memcmp(map[i][0], name, n) == 0)
      return map[i][1];
  return "";
}

/* The length of an escape's argument at s: X, (XX or [XXX]. */
static size_t roff_arg(const char *s, const char **name, size_t *n) {
  if (*s == '(' && s[1] && s[2]) {
    *name = s + 1, *n = 2;
    return 3;
  }
  if (*s == '[') {
    const char *e = strchr(s, ']');
    if (e) {
      *name = s + 1, *n = (size_t)(e - s - 1);
      return (size_t)(e - s) + 1;
    }
  }
  *name = s, *n = *s ? 1 : 0;
  return *n;
}

/* Text of one roff line, escapes resolved, appended to out. */
void roff_text(sbuf *out, const char *s) {
  while (*s) {
    const char *name;
    size_t n;
    if (*s != '\\') {
      sb_putc(out, *s == '\t' ? ' ' : *s);
      s++;
      continue;
    }
    s++;
    switch (*s) {
    case '\0': return;
    case '"': return; /* comment */
    case 'f': case 'n': case 'F': case 'g': case 'k': case 'm': case 'M':
      s++;
      s += roff_arg(s, &name, &n);
      break;
    case 's':
      s++;
      if (*s == '+' || *s == '-') s++;
      if (*s == '(' || *s == '[') s += roff_arg(s, &name, &n);
      else while (*s >= '0' && *s <= '9') s++;
      break;
    case '(': case '[':
      s += roff_arg(s, &name, &n);
      sb_puts(out, roff_special(name, n));
      break;
    case '*':
      s++;
      s += roff_arg(s, &name, &n);
      sb_puts(out, roff_special(name, n));
      break;
    case 'h': case 'v': case 'w': case 'l': case 'L': case 'o': case 'Z':
    case 'b': case 'D': case 'x': case 'X': case 'A': case 'B': case 'C':
    case 'N': case 'R': case 'S': case 'Y': {
      char q = s[1];
      const char *e = q ? strchr(s + 2, q) : NULL;
      s = e ? e + 1 : s + 1 + (q != '\0');
      break;
    }
    case '-': sb_putc(out, '-'); s++; break;
    case 'e': case '\\': sb_putc(out, '\\'); s++; break;
    case ' ': case '~': case '0': sb_putc(out, ' '); s++; break;
    case '\'': sb_putc(out, '\''); s++; break;
    case '`': sb_putc(out, '`'); s++; break;
    case '.': sb_putc(out, '.'); s++; break;
    case 'c': /* joins with the next line: drop the line's newline */
      s++;
      break;
    default: /* \& \| \^ \/ \, \: \) \% \{ \} and the unknown: nothing */
      s++;
      break;
    }
  }
}

/* Split a macro's arguments: spaces separate, "quoted args" keep theirs. */
void roff_args(const char *s, strv *args) {
  while (*s) {
    sbuf a = {0};
    while (*s == ' ' || *s == '\t') s++;
    if (!*s) break;
    if (*s == '"') {
      s++;
      while (*s && !(*s == '"' && s[1] != '"')) {
        if (*s == '"') s++;
        sb_putc(&a, *s++);
      }
      if (*s) s++;
    } else
      while (*s && *s != ' ' && *s != '\t') sb_putc(&a, *s++);
    sv_push(args, sb_take(&a));
  }
}
