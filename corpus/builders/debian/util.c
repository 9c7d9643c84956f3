/*
** util.c — debian_docs: memory (the program stops when it runs out),
** growable strings and string arrays, files and paths.
** It knows nothing of the documents.
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
** Memory, strings, files. The program stops on running out of memory.
*/

NORETURN PRINTF_LIKE(1, 2) void die(const char *fmt, ...) {
  va_list ap;
  fputs("debian_docs: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  exit(1);
}

void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q) die("out of memory");
  return q;
}

void *xmalloc(size_t n) { return xrealloc(NULL, n); }

char *xstrndup(const char *s, size_t n) {
  char *p = xmalloc(n + 1);
  if (n) memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }


void sb_add(sbuf *b, const char *s, size_t n) {
  if (b->n + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->n + n + 1) cap *= 2;
    b->p = xrealloc(b->p, cap);
    b->cap = cap;
  }
  if (n) memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = '\0';
}

void sb_puts(sbuf *b, const char *s) { sb_add(b, s, strlen(s)); }
void sb_putc(sbuf *b, char c) { sb_add(b, &c, 1); }
const char *sb_str(const sbuf *b) { return b->p ? b->p : ""; }

void sb_free(sbuf *b) {
  free(b->p);
  memset(b, 0, sizeof *b);
}

/* The contents as a new string the caller frees; the buffer is emptied. */
char *sb_take(sbuf *b) {
  char *p = b->p ? b->p : xstrdup("");
  memset(b, 0, sizeof *b);
  return p;
}


void sv_push(strv *s, char *p) {
  if (s->n == s->cap) {
    s->cap = s->cap ? 2 * s->cap : 16;
    s->v = xrealloc(s->v, s->cap * sizeof *s->v);
  }
  s->v[s->n++] = p;
}

void sv_free(strv *s) {
  size_t i;
  for (i = 0; i < s->n; i++) free(s->v[i]);
  free(s->v);
  memset(s, 0, sizeof *s);
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort s bytewise and drop repeated strings. */
void sv_sort_unique(strv *s) {
  size_t r, w = 0;
  if (s->n) qsort(s->v, s->n, sizeof *s->v, cmp_str);
  for (r = 0; r < s->n; r++) {
    if (w && strcmp(s->v[r], s->v[w - 1]) == 0) free(s->v[r]);
    else s->v[w++] = s->v[r];
  }
  s->n = w;
}

int has_prefix(const char *s, const char *pre) {
  return strncmp(s, pre, strlen(pre)) == 0;
}

int has_suffix(const char *s, const char *suf) {
  size_t n = strlen(s), k = strlen(suf);
  return n >= k && strcmp(s + n - k, suf) == 0;
}

/* First occurrence of pat[0..m) in s[0..n), or NULL. */
const char *find_seq(const char *s, size_t n, const char *pat) {
  size_t m = strlen(pat), i;
  for (i = 0; m <= n && i <= n - m; i++)
    if (s[i] == pat[0] && memcmp(s + i, pat, m) == 0) return s + i;
  return NULL;
}

/* The whole file as a new NUL-terminated string (length in *len), or NULL
** with errno set. */
char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  sbuf b = {0};
  char tmp[65536];
  size_t k;
  if (!f) return NULL;
  while ((k = fread(tmp, 1, sizeof tmp, f)) > 0) sb_add(&b, tmp, k);
  if (ferror(f)) {
    int e = errno;
    fclose(f);
    sb_free(&b);
    errno = e ? e : EIO;
    return NULL;
  }
  fclose(f);
  if (len) *len = b.n;
  return sb_take(&b);
}

/* a, b and c run together, as a new string. */
char *cat3(const char *a, const char *b, const char *c) {
  sbuf s = {0};
  sb_puts(&s, a);
  sb_puts(&s, b);
  sb_puts(&s, c);
  return sb_take(&s);
}

char *path_join(const char *a, const char *b) {
  sbuf s = {0};
  sb_puts(&s, a);
  if (s.n && s.p[s.n - 1] != '/' && *b) sb_putc(&s, '/');
  sb_puts(&s, b);
  return sb_take(&s);
}

/* Add to `out` the regular files under root/rel (symbolic links are not
** followed: manpages-id's aliases are links) whose names end in `suffix`,
** as paths relative to root. Returns 0, or -1 if root/rel cannot be read. */
int list_files(const char *root, const char *rel, const char *suffix,
                      strv *out, int depth) {
  char *dir = *rel ? path_join(root, rel) : xstrdup(root);
  DIR *d = opendir(dir);
  struct dirent *e;
  strv names = {0};
  size_t i;
  if (!d) {
    free(dir);
    return -1;
  }
  while ((e = readdir(d)) != NULL)
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
      sv_push(&names, xstrdup(e->d_name));
  closedir(d);
  if (names.n) qsort(names.v, names.n, sizeof *names.v, cmp_str);
  for (i = 0; i < names.n; i++) {
    char *full = path_join(dir, names.v[i]);
    char *sub = *rel ? path_join(rel, names.v[i]) : xstrdup(names.v[i]);
    struct stat st;
    if (lstat(full, &st) == 0) {
      if (S_ISDIR(st.st_mode) && depth < 32)
        list_files(root, sub, suffix, out, depth + 1);
      else if (S_ISREG(st.st_mode) && has_suffix(sub, suffix)) {
        sv_push(out, sub);
        sub = NULL;
      }
    }
    free(full);
    free(sub);
  }
  sv_free(&names);
  free(dir);
  return 0;
}

/* 1 if name is one of the NULL-terminated list. */
int name_in(const char *name, const char *const *list) {
  for (; *list; list++)
    if (strcmp(name, *list) == 0) return 1;
  return 0;
}
