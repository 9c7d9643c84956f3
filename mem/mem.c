/*
** mem.c — the allocation seam (mem.h): the C library's allocator behind
** cari_* names, and a test hook that can make any allocation fail
** (fault.h). It does not pool, count or align memory, and it adds nothing
** to an allocation: cari_free is free(3).
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fault.h"
#include "mem.h"

/* The test hook (fault.h): the library's one mutable global, NULL except
** while a test runs. */
static int (*fault_fn)(void *ctx, size_t n);
static void *fault_ctx;

void cari_mem_fault_hook(int (*fail)(void *ctx, size_t n), void *ctx) {
  fault_fn = fail;
  fault_ctx = ctx;
}

static int fails(size_t n) { return fault_fn && fault_fn(fault_ctx, n); }

void *cari_malloc(size_t n) { return fails(n) ? NULL : malloc(n); }

void *cari_calloc(size_t k, size_t n) {
  if (n && k > SIZE_MAX / n) return NULL; /* k * n would wrap */
  return fails(k * n) ? NULL : calloc(k, n);
}

void *cari_realloc(void *p, size_t n) {
  return fails(n) ? NULL : realloc(p, n);
}

char *cari_strndup(const char *s, size_t n) {
  size_t len = strnlen(s, n);
  char *d = cari_malloc(len + 1);
  if (!d) return NULL;
  memcpy(d, s, len);
  d[len] = '\0';
  return d;
}

char *cari_strdup(const char *s) { return cari_strndup(s, SIZE_MAX); }

void cari_free(void *p) { free(p); }

void cari_free_foreign(void *p) { free(p); }

void *cari_grow(int *rc, void *a, size_t *cap, size_t need, size_t size) {
  if (*rc || need <= *cap) return a;
  size_t n = *cap > SIZE_MAX / 2 ? need : *cap * 2;
  if (n < 8) n = 8;
  if (n < need) n = need;
  if (size && n > SIZE_MAX / size) {
    *rc = CARI_MEM_NOMEM;
    return a;
  }
  void *p = cari_realloc(a, n * size);
  if (!p) {
    *rc = CARI_MEM_NOMEM;
    return a;
  }
  *cap = n;
  return p;
}
