/*
** mem.h — the library's lowest layer: the one allocation seam and the one
** growable buffer. Every folder of the library (stemmer-id/, indexer/,
** query/, corpus/, lib/) sees it; it sees nothing but the C library. It
** does not know cari.h (the stemmer may not see that), so its one error
** code is CARI_MEM_NOMEM, equal to CARI_NOMEM (indexer.h and corpus.h
** check it at compile time).
**
** The seam. Library code allocates with cari_malloc, cari_calloc,
** cari_realloc, cari_strdup and cari_strndup and frees with cari_free,
** never with the C library's functions directly (tests/sh/alloc.sh fails
** the build's tests when it does). They behave as their C namesakes, except
** that a test can make any one of them fail (mem/fault.h): so the fault
** tests fail cari's allocations, and SQLite's through SQLite's own seam,
** and nothing else's. Memory another library allocated with malloc for us
** to free (realpath, utf8proc_map, json_dumps) goes back with
** cari_free_foreign.
**
** The buffer. A cari_buf is {p, n, cap}: bytes p[0..n) in cap allocated,
** NUL-terminated once anything was added. Its functions take a sticky
** `int *rc`: they do nothing when *rc is not 0 (CARI_OK), and on a failed
** allocation (or a size that would overflow) they set *rc to
** CARI_MEM_NOMEM and leave the buffer as it was. A caller makes a series of
** calls and checks rc once, at the end. They also return *rc. The buffer
** owns p; cari_buf_free releases it, cari_buf_take hands it to the caller
** (who frees it with cari_free). A zeroed cari_buf (CARI_BUF_INIT) is empty
** and allocates nothing until the first add.
**
** It does not shrink, and it is not for arrays of structs: those grow with
** cari_grow, the same doubling on the same seam, typed by the caller.
*/
#ifndef CARI_MEM_H
#define CARI_MEM_H

#include <stddef.h>

#define CARI_MEM_NOMEM 2 /* CARI_NOMEM of cari.h */

/**************************************************************************
** Interface to code in mem.c: the allocation seam
*/

void *cari_malloc(size_t n);
void *cari_calloc(size_t k, size_t n);
void *cari_realloc(void *p, size_t n);
char *cari_strdup(const char *s);
/* At most n bytes of s, NUL-terminated. */
char *cari_strndup(const char *s, size_t n);
/* Free what the functions above returned; NULL is harmless. */
void cari_free(void *p);
/* Free what another library returned from malloc(3) for its caller to
** free (realpath, utf8proc_map, jansson's json_dumps). */
void cari_free_foreign(void *p);

/* Make room in the array a of elements of `size` bytes, which holds *cap,
** for at least `need`: a new capacity twice the old (at least 8) or
** `need`, whichever is larger. The array to use from now on, or, when *rc
** was already set, the sizes overflow or the allocation fails (*rc becomes
** CARI_MEM_NOMEM), a unchanged with *cap unchanged. Use it as
** `x->v = cari_grow(&rc, x->v, &x->cap, x->n + 1, sizeof *x->v);`. */
void *cari_grow(int *rc, void *a, size_t *cap, size_t need, size_t size);

/**************************************************************************
** Interface to code in buf.c: the growable buffer
*/

typedef struct cari_buf {
  char *p;    /* owned by the buffer; NULL until the first add */
  size_t n;   /* bytes in use, without the NUL */
  size_t cap; /* bytes allocated */
} cari_buf;

#define CARI_BUF_INIT {NULL, 0, 0}

/* Make room for `more` bytes past n and the NUL after them. */
int cari_buf_grow(int *rc, cari_buf *b, size_t more);
/* Append s[0..n), the byte c, the C string s. */
int cari_buf_add(int *rc, cari_buf *b, const void *s, size_t n);
int cari_buf_addc(int *rc, cari_buf *b, int c);
int cari_buf_adds(int *rc, cari_buf *b, const char *s);
/* Append printf-style text. */
int cari_buf_printf(int *rc, cari_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Replace the contents with s[0..n) (on failure they stay as they were). */
int cari_buf_set(int *rc, cari_buf *b, const void *s, size_t n);
/* Empty the buffer, keeping its memory. */
void cari_buf_clear(cari_buf *b);
/* Release the memory; the buffer is empty again. */
void cari_buf_free(cari_buf *b);
/* The contents as a C string: "" for a buffer never added to. Borrowed. */
const char *cari_buf_str(const cari_buf *b);
/* Hand the contents (a C string, or NULL when nothing was ever added) to
** the caller, who frees them with cari_free; the buffer is empty again. */
char *cari_buf_take(cari_buf *b);

#endif
