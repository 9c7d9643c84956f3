/*
** internal.h — what the tests may reach of lib/cari.c beyond
** include/cari.h. Never installed; no program but the tests uses it.
*/
#ifndef CARI_INTERNAL_H
#define CARI_INTERNAL_H

#include "cari.h"
#include "indexer.h"

/* Have cari_optimize() on this handle call fn(ctx, phase) between its
** short transactions (IDX_PHASE_* in indexer.h), so that a test can write
** through another connection at each point. NULL fn removes the hook. */
void cari_test_optimize_hook(cari_db *db, void (*fn)(void *ctx, int phase),
                             void *ctx);

/* How many cari_optimize() calls on this handle wrote the top-k postings
** collected while its articles were put (indexer/capture.c), not analysed
** again. */
int cari_test_captured(cari_db *db);

#endif
