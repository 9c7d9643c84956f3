/*
** sid_int.h — internal interface between the files of stemmer-id/: the
** lexicon's layout and its lookup, used by stem.c. Not installed; the API is
** stemmer_id.h.
*/
#ifndef SID_INT_H
#define SID_INT_H

#include "mem.h"
#include "stemmer_id.h"

#include <stdint.h>
#include <string.h>

/**************************************************************************
** Interface to code in lexicon.c
**
** The lexicon is an open-addressing hash table (linear probing, load <= 1/2)
** of 64-bit slots: the low 32 bits hold the key's hash, the high 32 bits the
** index of its entry plus one (0: empty). Entries point into one text arena
** holding every key and every exception's stem. In front of it a one-bit
** filter (the top bits of the hash) answers most misses from 16 KiB that
** stay in the L1 cache; a miss that passes costs one slot read, a hit one
** more entry read and a compare.
*/
#define SID_E_ROOT 0x01   /* a root: from the .dic or the extra roots */
#define SID_E_NOSTEM 0x02 /* an exception that is never stemmed */
#define SID_E_ALIAS 0x04  /* an exception with a stem (alias_*) */
#define SID_E_CORE 0x08   /* from the extra roots: wins ties */
#define SID_E_DERIVED 0x10 /* prefix + preferred root: see stem.c */
#define SID_E_NAME 0x20   /* a [plain] root (names): never derived */

typedef struct sid_entry {
  uint32_t off;       /* key at text + off */
  uint32_t alias_off; /* stem at text + alias_off when SID_E_ALIAS */
  uint8_t len;        /* key length, 1..SID_MAX_WORD */
  uint8_t alias_len;
  uint8_t flags;      /* SID_E_* */
} sid_entry;

#define SID_FILTER_BITS 17 /* 16 KiB: stays in L1 beside the word */

struct sid_lexicon {
  uint64_t filter[(1u << SID_FILTER_BITS) / 64]; /* bit (h >> 15): a key */
  uint64_t *slots; /* owned; mask + 1 of them */
  uint32_t mask;
  sid_entry *ent;  /* owned; nent used of capent */
  int nent;
  size_t capent;
  cari_buf text;   /* the arena: every key and stem, at their offsets */
  char checksum[17];
};

/* The hash every key and every candidate is looked up by: eight bytes at
** a time, the tail in (overlapping) loads that never read past s[n-1],
** then a final mix so that the low bits index well. */
static inline uint64_t sid_rd64(const char *p) {
  uint64_t v;
  memcpy(&v, p, 8);
  return v;
}
static inline uint64_t sid_rd32(const char *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}
static inline uint32_t sid_hash(const char *s, int n) {
  uint64_t h = 0x9e3779b97f4a7c15ull ^ (uint64_t)n, v;
  int i = 0;
  for (; i + 8 <= n; i += 8) {
    h = (h ^ sid_rd64(s + i)) * 0xff51afd7ed558ccdull;
    h ^= h >> 32;
  }
  int r = n - i;
  if (r >= 4)
    v = sid_rd32(s + i) | sid_rd32(s + n - 4) << 32;
  else if (r > 0)
    v = (uint64_t)(unsigned char)s[i] | (uint64_t)(unsigned char)s[i + r / 2] << 8 |
        (uint64_t)(unsigned char)s[n - 1] << 16;
  else
    v = 0;
  h = (h ^ v) * 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 29;
  h *= 0x9e3779b97f4a7c15ull;
  return (uint32_t)(h >> 32);
}

/* The entry whose key is the n bytes at s (hash h), or NULL. */
static inline const sid_entry *sid_lex_find(const sid_lexicon *lx, uint32_t h,
                                            const char *s, int n) {
  uint32_t b = h >> (32 - SID_FILTER_BITS);
  if (!(lx->filter[b >> 6] >> (b & 63) & 1)) return NULL;
  for (uint32_t i = h & lx->mask;; i = (i + 1) & lx->mask) {
    uint64_t v = lx->slots[i];
    if (v == 0) return NULL;
    if ((uint32_t)v == h) {
      const sid_entry *e = &lx->ent[(v >> 32) - 1];
      if (e->len == n && memcmp(lx->text.p + e->off, s, (size_t)n) == 0)
        return e;
    }
  }
}

/**************************************************************************
** Interface to code in stem.c
*/
/* Set SID_E_DERIVED on the entries that look derived; run once at load. */
void sid_mark_derived(sid_lexicon *lx);
/* The root the stemmer finds for w[0..n) in out (SID_MAX_WORD bytes), its
** length; 0 when no analysis reaches a root of the lexicon (names, unknown
** words). *core (may be NULL) gets whether it is a preferred root. */
int sid_stem_known(sid_stemmer *st, const char *w, int n, char *out,
                   int *core);
/* The lexicon a stemmer borrows. */
const sid_lexicon *sid_stemmer_lexicon(const sid_stemmer *st);

/**************************************************************************
** Interface to code in informal.c
*/
/* 0 when the table of informal forms is sorted, else the index of the
** first entry out of order (for the tests). */
int sid_informal_table_ok(void);

#endif
