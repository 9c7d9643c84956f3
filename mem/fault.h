/*
** fault.h — the test-only hook of the allocation seam (mem.h): the fault
** tests make cari's Nth allocation fail through it. No library code
** includes this header; it is not part of cari.h.
*/
#ifndef CARI_MEM_FAULT_H
#define CARI_MEM_FAULT_H

#include <stddef.h>

/* From now on every allocation of the seam (cari_malloc, cari_calloc,
** cari_realloc, cari_strdup, cari_strndup, cari_grow and the buffer's
** growth) first calls fail(ctx, n), n the bytes asked for; when it returns
** non-zero the allocation fails as if memory had run out. A NULL fail
** removes the hook. It is the library's one mutable global: set it only
** while no other thread is in the library, and only in tests. fail is
** called from whichever thread allocates: cari_optimize's helper thread
** too, unless the handle was opened with CARI_OPEN_ONE_THREAD. */
void cari_mem_fault_hook(int (*fail)(void *ctx, size_t n), void *ctx);

#endif
