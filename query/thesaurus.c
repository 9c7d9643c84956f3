/*
** thesaurus.c — a reader of MyThes thesauri (Debian's mythes-id, LibreOffice's
** format): the synonyms of a word, by sense, as UTF-8. It does not choose,
** rank or cap synonyms, nor touch a query (synonym.c does), and it does not
** write the format.
**
** THE FORMAT (th_id_ID_v2.idx and th_id_ID_v2.dat, read at run time)
**
** Both files are lines ending in '\n'. Their first line names the encoding
** of the rest: "ISO-8859-1" for mythes-id (each byte one character, so byte
** c >= 0x80 is U+00c0..U+00FF and becomes two UTF-8 bytes), or "UTF-8"; any
** other is refused. The .idx then has the number of entries, then one line
** per entry, "headword|offset", sorted by bytes: offset is where the entry
** starts in the .dat. An entry of the .dat is
**
**   headword|n
**   (pos)|synonym|synonym|...      n lines: one per sense
**
** where the first field of a sense line is its part of speech in brackets:
** "[n]", "[v]", "[a]", ... and "[ant]" for a line of antonyms, which are
** not synonyms and are skipped. A synonym may be several words ("sepuluh
** dasawarsa") or hyphenated ("alif-ba-ta").
**
** IN MEMORY
**
** Both files are read whole once (they are about 0.35 and 1.7 MB; a file
** over QRY_THES_MAX_BYTES is refused), and the .idx's headwords are put
** through the query's tokenizer (lower case, normalised, words one space
** apart) into one sorted array of keys, so that `Minggu` (Sunday) and
** `minggu` (week) are both found for the key `minggu`. An entry's senses
** are read from the .dat when looked up; an offset that does not point at
** its headword's line is treated as no entry (the files disagree), never
** read past the buffer.
*/
#include "query.h"
#include "cari.h"
#include "indexer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QRY_THES_MAX_BYTES (64 << 20) /* larger files are refused */
#define THES_MAX_SENSES 64            /* senses read of one entry */

typedef struct {
  const char *key; /* normalised headword: into the keys' buffer */
  size_t koff;     /* ... at this offset (the buffer moves while it grows) */
  int nkey;
  const char *head; /* the headword as in the .dat (raw bytes) */
  int nhead;
  long long off; /* its entry in the .dat */
} thes_entry;

/* A growable buffer of normalised words, one space apart. */
typedef struct {
  char *p;
  size_t n, cap;
  int nwords, oom;
} keybuf;

struct qry_thes {
  char *dat; /* the .dat, NUL-ended */
  size_t ndat;
  char *idx; /* the .idx, NUL-ended (headwords point into it) */
  size_t nidx;
  int latin1;    /* 1: ISO-8859-1, 0: UTF-8 */
  thes_entry *e; /* sorted by key, then by offset */
  int n;
  keybuf keys;   /* every key, one after the other */
};

/* A whole file into *out (NUL-ended), or a cari_rc with err naming it. */
static int slurp(const char *path, char **out, size_t *nout, char *err,
                 size_t errcap) {
  *out = NULL;
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(err, errcap, "cannot read the thesaurus '%s'", path);
    return CARI_IO;
  }
  long n = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
  int rc = CARI_OK;
  if (n < 0 || fseek(f, 0, SEEK_SET) != 0) rc = CARI_IO;
  else if (n > QRY_THES_MAX_BYTES) rc = CARI_FORMAT;
  else if (!(*out = cari_malloc((size_t)n + 1))) rc = CARI_NOMEM;
  else if (fread(*out, 1, (size_t)n, f) != (size_t)n) rc = CARI_IO;
  fclose(f);
  if (rc == CARI_OK) {
    (*out)[n] = 0;
    *nout = (size_t)n;
    return CARI_OK;
  }
  cari_free(*out);
  *out = NULL;
  if (rc == CARI_NOMEM) snprintf(err, errcap, "out of memory");
  else if (rc == CARI_FORMAT)
    snprintf(err, errcap, "the thesaurus '%s' is over %d MB", path,
             QRY_THES_MAX_BYTES >> 20);
  else snprintf(err, errcap, "cannot read the thesaurus '%s'", path);
  return rc;
}

/* The encoding of a file's first line: 1 ISO-8859-1, 0 UTF-8, -1 other. */
static int encoding(const char *s) {
  size_t n = strcspn(s, "\r\n");
  if (n == 10 && memcmp(s, "ISO-8859-1", 10) == 0) return 1;
  if (n == 5 && memcmp(s, "UTF-8", 5) == 0) return 0;
  return -1;
}

/* Bytes of s[0..n) as UTF-8 into out (room for 2n bytes): its length. */
static int to_utf8(int latin1, const char *s, int n, char *out) {
  int k = 0;
  for (int i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (latin1 && c >= 0x80) {
      out[k++] = (char)(0xC0 | (c >> 6));
      out[k++] = (char)(0x80 | (c & 0x3F));
    } else {
      out[k++] = (char)c;
    }
  }
  return k;
}

static void key_add(keybuf *K, const char *s, size_t n) {
  if (K->oom) return;
  if (K->n + n + 1 > K->cap) {
    size_t cap = K->cap ? K->cap * 2 : 256;
    while (cap < K->n + n + 1) cap *= 2;
    char *p = cari_realloc(K->p, cap);
    if (!p) {
      K->oom = 1;
      return;
    }
    K->p = p;
    K->cap = cap;
  }
  memcpy(K->p + K->n, s, n);
  K->n += n;
  K->p[K->n] = 0;
}

static int on_key_word(void *ctx, const char *norm, int nnorm, int start,
                       int end, int hyphens) {
  keybuf *K = ctx;
  (void)start, (void)end, (void)hyphens;
  if (K->nwords++) key_add(K, " ", 1);
  key_add(K, norm, (size_t)nnorm);
  return K->oom;
}

int qry_thes_key(idx_tokenizer *tok, const char *s, int n, char *out,
                 int cap) {
  keybuf K = {0};
  int x = idx_tokenize(tok, s, n, on_key_word, &K);
  int len = (int)K.n;
  if (x < 0 || K.oom) len = -1;
  else if (len >= cap) len = 0;
  else if (len > 0) memcpy(out, K.p, (size_t)len + 1);
  else if (cap > 0) out[0] = 0;
  cari_free(K.p);
  return len;
}

static int cmp_entry(const void *a, const void *b) {
  const thes_entry *x = a, *y = b;
  int n = x->nkey < y->nkey ? x->nkey : y->nkey;
  int c = memcmp(x->key, y->key, (size_t)n);
  if (c) return c;
  if (x->nkey != y->nkey) return x->nkey < y->nkey ? -1 : 1;
  return x->off < y->off ? -1 : x->off > y->off;
}

/* One .idx line [p, end) into th->e (a line that is no entry is skipped).
** A cari_rc. */
static int index_line(qry_thes *th, idx_tokenizer *tok, const char *p,
                      const char *end, int *cap) {
  const char *bar = memchr(p, '|', (size_t)(end - p));
  if (!bar || bar == p || bar - p > IDX_MAX_TOKEN) return CARI_OK;
  long long off = strtoll(bar + 1, NULL, 10);
  if (off < 0 || (size_t)off >= th->ndat) return CARI_OK;
  if (th->n == *cap) {
    int c = *cap ? *cap * 2 : 1024;
    thes_entry *e = cari_realloc(th->e, (size_t)c * sizeof *e);
    if (!e) return CARI_NOMEM;
    th->e = e;
    *cap = c;
  }
  char u[2 * IDX_MAX_TOKEN + 2];
  keybuf *K = &th->keys;
  size_t start = K->n;
  K->nwords = 0;
  int nu = to_utf8(th->latin1, p, (int)(bar - p), u);
  if (idx_tokenize(tok, u, nu, on_key_word, K) < 0 || K->oom) return CARI_NOMEM;
  if (!K->nwords) return CARI_OK;
  thes_entry *e = &th->e[th->n++];
  e->koff = start;
  e->nkey = (int)(K->n - start);
  e->head = p;
  e->nhead = (int)(bar - p);
  e->off = off;
  return CARI_OK;
}

/* The .idx's entry lines (after the encoding and the count) into th->e. */
static int read_index(qry_thes *th, idx_tokenizer *tok, char *err,
                      size_t errcap) {
  const char *p = strchr(th->idx, '\n');
  p = p ? strchr(p + 1, '\n') : NULL;
  int cap = 0, rc = CARI_OK;
  while (rc == CARI_OK && p && *++p) {
    const char *nl = strchr(p, '\n');
    rc = index_line(th, tok, p, nl ? nl : th->idx + th->nidx, &cap);
    p = nl;
  }
  if (rc == CARI_NOMEM) snprintf(err, errcap, "out of memory");
  return rc;
}

/* "X.idx", "X.dat" or "X": the two names into idx and dat. */
static int names(const char *path, char *idx, char *dat, size_t cap) {
  size_t n = strlen(path);
  if (n >= 4 && (strcmp(path + n - 4, ".idx") == 0 ||
                 strcmp(path + n - 4, ".dat") == 0))
    n -= 4;
  return snprintf(idx, cap, "%.*s.idx", (int)n, path) < (int)cap &&
         snprintf(dat, cap, "%.*s.dat", (int)n, path) < (int)cap;
}

int qry_thes_open(const char *path, idx_tokenizer *tok, qry_thes **out,
                  char *err, size_t errcap) {
  *out = NULL;
  char ni[4096], nd[4096];
  if (!names(path, ni, nd, sizeof ni)) {
    snprintf(err, errcap, "the thesaurus path is too long");
    return CARI_INVALID;
  }
  qry_thes *th = cari_calloc(1, sizeof *th);
  if (!th) {
    snprintf(err, errcap, "out of memory");
    return CARI_NOMEM;
  }
  int rc = slurp(ni, &th->idx, &th->nidx, err, errcap);
  if (rc == CARI_OK) rc = slurp(nd, &th->dat, &th->ndat, err, errcap);
  if (rc == CARI_OK) {
    int ei = encoding(th->idx), ed = encoding(th->dat);
    if (ei < 0 || ed != ei) {
      snprintf(err, errcap, "the thesaurus '%s': its first line must name "
               "its encoding, ISO-8859-1 or UTF-8, the same in the .dat",
               ni);
      rc = CARI_FORMAT;
    }
    th->latin1 = ei == 1;
  }
  if (rc == CARI_OK) rc = read_index(th, tok, err, errcap);
  if (rc == CARI_OK) {
    for (int i = 0; i < th->n; i++) /* the keys' buffer is final now */
      th->e[i].key = th->keys.p + th->e[i].koff;
    qsort(th->e, (size_t)th->n, sizeof *th->e, cmp_entry);
    *out = th;
    return CARI_OK;
  }
  qry_thes_free(th);
  return rc;
}

void qry_thes_free(qry_thes *th) {
  if (!th) return;
  cari_free(th->dat);
  cari_free(th->idx);
  cari_free(th->e);
  cari_free(th->keys.p);
  cari_free(th);
}

size_t qry_thes_bytes(const qry_thes *th) {
  size_t n = th ? sizeof *th : 0;
  if (th)
    n += th->ndat + th->nidx + 2 + (size_t)th->n * sizeof *th->e +
         th->keys.cap;
  return n;
}

int qry_thes_entries(const qry_thes *th) { return th ? th->n : 0; }

/* The first entry with this key, or -1. */
static int find(const qry_thes *th, const char *key, int nkey) {
  int lo = 0, hi = th->n;
  thes_entry probe = {key, 0, nkey, NULL, 0, -1};
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    if (cmp_entry(&th->e[mid], &probe) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo < th->n && th->e[lo].nkey == nkey &&
                 memcmp(th->e[lo].key, key, (size_t)nkey) == 0
             ? lo
             : -1;
}

/* One sense line [s, end): each synonym to fn. Antonyms skipped. */
static int sense(const qry_thes *th, const char *s, const char *end, int id,
                 qry_thes_fn fn, void *ctx) {
  const char *bar = memchr(s, '|', (size_t)(end - s));
  if (!bar) return 0;
  if ((bar - s >= 4 && memcmp(s, "[ant", 4) == 0) ||
      (bar - s >= 4 && memcmp(s, "(ant", 4) == 0))
    return 0;
  char u[2 * IDX_MAX_TOKEN + 2];
  for (const char *p = bar + 1; p < end;) {
    const char *q = memchr(p, '|', (size_t)(end - p));
    if (!q) q = end;
    int n = (int)(q - p);
    if (n > 0 && n <= IDX_MAX_TOKEN) {
      int x = fn(ctx, id, u, to_utf8(th->latin1, p, n, u));
      if (x) return x;
    }
    p = q + 1;
  }
  return 0;
}

/* The senses of entry i: fn per synonym; fn's non-zero return stops. */
static int entry_senses(const qry_thes *th, const thes_entry *e, int *id,
                        qry_thes_fn fn, void *ctx) {
  const char *p = th->dat + e->off, *end = th->dat + th->ndat;
  if ((size_t)(end - p) < (size_t)e->nhead + 2 ||
      memcmp(p, e->head, (size_t)e->nhead) != 0 || p[e->nhead] != '|')
    return 0; /* the files disagree: no entry */
  long nsense = strtol(p + e->nhead + 1, NULL, 10);
  if (nsense > THES_MAX_SENSES) nsense = THES_MAX_SENSES;
  p = memchr(p, '\n', (size_t)(end - p));
  for (long i = 0; p && i < nsense; i++) {
    p++;
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *le = nl ? nl : end;
    if (le > p && le[-1] == '\r') le--;
    int x = sense(th, p, le, (*id)++, fn, ctx);
    if (x) return x;
    p = nl;
  }
  return 0;
}

int qry_thes_lookup(const qry_thes *th, const char *key, int nkey,
                    qry_thes_fn fn, void *ctx) {
  int i = th ? find(th, key, nkey) : -1, id = 0, x = 0, found = 0;
  for (; i >= 0 && i < th->n && x == 0 && th->e[i].nkey == nkey &&
         memcmp(th->e[i].key, key, (size_t)nkey) == 0;
       i++) {
    found = 1;
    x = entry_senses(th, &th->e[i], &id, fn, ctx);
  }
  return x ? x : found;
}
