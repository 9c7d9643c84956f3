/*
** buf.c — the growable byte buffer with a sticky error (mem.h), after
** FTS5's Fts5Buffer: a caller appends a series of pieces and checks one
** code at the end. It grows by doubling (from 32 bytes) through the
** allocation seam; it does not shrink, and it holds bytes, not structs
** (cari_grow does those).
*/
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mem.h"

int cari_buf_grow(int *rc, cari_buf *b, size_t more) {
  if (*rc) return *rc;
  if (more > SIZE_MAX - 1 - b->n) return *rc = CARI_MEM_NOMEM;
  size_t need = b->n + more + 1;
  if (need <= b->cap) return 0;
  size_t cap = b->cap ? b->cap : 32;
  while (cap < need) cap = cap > SIZE_MAX / 2 ? need : cap * 2;
  char *p = cari_realloc(b->p, cap);
  if (!p) return *rc = CARI_MEM_NOMEM;
  b->p = p;
  b->cap = cap;
  return 0;
}

int cari_buf_add(int *rc, cari_buf *b, const void *s, size_t n) {
  if (cari_buf_grow(rc, b, n)) return *rc;
  if (n) memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = '\0';
  return 0;
}

int cari_buf_addc(int *rc, cari_buf *b, int c) {
  char ch = (char)c;
  return cari_buf_add(rc, b, &ch, 1);
}

int cari_buf_adds(int *rc, cari_buf *b, const char *s) {
  return cari_buf_add(rc, b, s, strlen(s));
}

int cari_buf_printf(int *rc, cari_buf *b, const char *fmt, ...) {
  if (*rc) return *rc;
  va_list ap;
  va_start(ap, fmt);
  char small[256];
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0) return *rc = CARI_MEM_NOMEM; /* vsnprintf's own failure */
  if ((size_t)n < sizeof small) return cari_buf_add(rc, b, small, (size_t)n);
  if (cari_buf_grow(rc, b, (size_t)n)) return *rc;
  va_start(ap, fmt);
  vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->n += (size_t)n;
  return 0;
}

int cari_buf_set(int *rc, cari_buf *b, const void *s, size_t n) {
  if (*rc) return *rc;
  size_t old = b->n;
  b->n = 0;
  if (cari_buf_add(rc, b, s, n)) b->n = old;
  return *rc;
}

void cari_buf_clear(cari_buf *b) {
  b->n = 0;
  if (b->p) b->p[0] = '\0';
}

void cari_buf_free(cari_buf *b) {
  cari_free(b->p);
  b->p = NULL;
  b->n = b->cap = 0;
}

const char *cari_buf_str(const cari_buf *b) { return b->p ? b->p : ""; }

char *cari_buf_take(cari_buf *b) {
  char *p = b->p;
  b->p = NULL;
  b->n = b->cap = 0;
  return p;
}
