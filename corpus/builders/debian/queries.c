/*
** queries.c — debian_docs: the known-item query sets (index, title,
** rootform).
** It does not search: bench/relevance runs the sets.
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
** Known-item query sets
*/

int cmp_doc(const void *a, const void *b) {
  return strcmp(((const doc *)a)->id, ((const doc *)b)->id);
}

static const doc *doc_find(const builder *b, const char *id) {
  doc key;
  key.id = (char *)(uintptr_t)id; /* bsearch's key is only read */
  if (!b->ndocs) return NULL;
  return bsearch(&key, b->docs, b->ndocs, sizeof *b->docs, cmp_doc);
}


static query *qset_add(qset *s, const char *text) {
  query *q;
  if (s->n == s->cap) {
    s->cap = s->cap ? 2 * s->cap : 256;
    s->q = xrealloc(s->q, s->cap * sizeof *s->q);
  }
  q = &s->q[s->n++];
  q->text = xstrdup(text);
  memset(&q->rel, 0, sizeof q->rel);
  return q;
}

void qset_free(qset *s) {
  size_t i;
  for (i = 0; i < s->n; i++) {
    free(s->q[i].text);
    sv_free(&s->q[i].rel);
  }
  free(s->q);
  memset(s, 0, sizeof *s);
}

static int cmp_term(const void *a, const void *b) {
  const term *x = a, *y = b;
  int c = strcmp(x->key, y->key);
  if (!c) c = strcmp(x->text, y->text);
  return c ? c : strcmp(x->docid, y->docid);
}

/*
** Set 1, index terms: every Indonesian term of the LibreOffice index whose
** page is in the corpus; the same term (any case) on several pages is one
** query with all of them relevant, unless there are more than MAX_REL.
** Queries in the order of their folded text.
*/
void make_index_queries(builder *b, qset *out, long *too_many) {
  size_t i = 0, j;
  if (b->nterms) qsort(b->terms, b->nterms, sizeof *b->terms, cmp_term);
  while (i < b->nterms) {
    size_t end = i + 1;
    query *q = NULL;
    while (end < b->nterms && strcmp(b->terms[end].key, b->terms[i].key) == 0)
      end++;
    if (!indonesian_phrase(&b->dic, &b->fw, b->terms[i].text, NULL)) {
      for (j = i; j < end; j++)
        note_dropped(b, b->terms[j].docid, "index-term-not-indonesian", 0, 0,
                     b->terms[j].text);
      b->terms_english += (long)(end - i);
      i = end;
      continue;
    }
    for (j = i; j < end; j++) {
      if (!doc_find(b, b->terms[j].docid)) {
        b->terms_nopage++;
        continue;
      }
      if (!q) q = qset_add(out, b->terms[i].text);
      sv_push(&q->rel, xstrdup(b->terms[j].docid));
    }
    if (q) sv_sort_unique(&q->rel);
    if (q && q->rel.n > MAX_REL) {
      (*too_many)++;
      free(q->text);
      sv_free(&q->rel);
      out->n--;
    }
    i = end;
  }
}

typedef struct keyed {
  char *key;
  size_t doc;
} keyed;

static int cmp_keyed(const void *a, const void *b) {
  const keyed *x = a, *y = b;
  int c = strcmp(x->key, y->key);
  return c ? c : (x->doc > y->doc) - (x->doc < y->doc);
}

/* Is key among keys[0..n) (sorted)? */
static int keyed_has(const keyed *keys, size_t n, const char *key) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(keys[mid].key, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo < n && strcmp(keys[lo].key, key) == 0;
}

/*
** Sets 2 and 3. A title is a query when no other page has the same title
** (any case), it has at least two content words (not function words) and
** it reads as Indonesian. Its root-form rewrite (morph_rewrite() on each
** word) is a query when at least one word changed and no other title or
** rewrite reads the same. Both sets in the order of their page ids.
*/
void make_title_queries(builder *b, qset *titles, qset *roots,
                               long *dup, long *generic, long *english) {
  keyed *k = xmalloc((b->ndocs + 1) * sizeof *k), *rk;
  char **rewrite = xmalloc((b->ndocs + 1) * sizeof *rewrite);
  unsigned char *ok = xmalloc(b->ndocs + 1);
  size_t i, nr = 0;
  for (i = 0; i < b->ndocs; i++) {
    k[i].key = fold(b->docs[i].title);
    k[i].doc = i;
    ok[i] = 0;
    rewrite[i] = NULL;
  }
  qsort(k, b->ndocs, sizeof *k, cmp_keyed);
  for (i = 0; i < b->ndocs; i++) {
    int content;
    const doc *d = &b->docs[k[i].doc];
    if ((i > 0 && strcmp(k[i - 1].key, k[i].key) == 0) ||
        (i + 1 < b->ndocs && strcmp(k[i + 1].key, k[i].key) == 0)) {
      (*dup)++;
      continue;
    }
    if (!indonesian_phrase(&b->dic, &b->fw, d->title, &content)) {
      if (content >= 2) (*english)++;
      else (*generic)++;
      continue;
    }
    if (content < 2) {
      (*generic)++;
      continue;
    }
    ok[k[i].doc] = 1;
  }
  /* Root forms of the titles kept. */
  rk = xmalloc((b->ndocs + 1) * sizeof *rk);
  for (i = 0; i < b->ndocs; i++) {
    const char *s = b->docs[i].title;
    sbuf out = {0};
    int changed = 0;
    if (!ok[i]) continue;
    while (*s) { /* words are letter runs; everything else is kept */
      char w[MAX_WORD], nw[2 * MAX_WORD];
      size_t n = 0;
      if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))) {
        char c = *s++;
        sb_putc(&out, c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c);
        continue;
      }
      while ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z')) n++;
      if (n < sizeof w && s[n] != '-' && !(s > b->docs[i].title && s[-1] == '-')) {
        size_t j;
        for (j = 0; j < n; j++)
          w[j] = (char)(s[j] <= 'Z' ? s[j] - 'A' + 'a' : s[j]);
        w[n] = '\0';
        if (morph_rewrite(&b->dic, w, nw, sizeof nw)) {
          sb_puts(&out, nw);
          changed = 1;
        } else
          sb_puts(&out, w);
      } else {
        size_t j;
        for (j = 0; j < n; j++)
          sb_putc(&out, s[j] <= 'Z' ? (char)(s[j] - 'A' + 'a') : s[j]);
      }
      s += n;
    }
    if (changed) {
      rewrite[i] = sb_take(&out);
      rk[nr].key = rewrite[i];
      rk[nr++].doc = i;
    } else
      sb_free(&out);
  }
  qsort(rk, nr, sizeof *rk, cmp_keyed);
  for (i = 0; i < b->ndocs; i++) {
    query *q;
    if (!ok[i]) continue;
    q = qset_add(titles, b->docs[i].title);
    sv_push(&q->rel, xstrdup(b->docs[i].id));
  }
  /* A rewrite equal to another (rk is sorted: to a neighbour) or to a
  ** title is ambiguous. ok[] now marks the rewrites kept. */
  for (i = 0; i < b->ndocs; i++) ok[i] = rewrite[i] != NULL;
  for (i = 0; i < nr; i++)
    if ((i > 0 && strcmp(rk[i - 1].key, rk[i].key) == 0) ||
        (i + 1 < nr && strcmp(rk[i + 1].key, rk[i].key) == 0) ||
        keyed_has(k, b->ndocs, rk[i].key))
      ok[rk[i].doc] = 0;
  for (i = 0; i < b->ndocs; i++)
    if (!ok[i]) {
      free(rewrite[i]);
      rewrite[i] = NULL;
    }
  for (i = 0; i < b->ndocs; i++) {
    query *q;
    if (!rewrite[i]) continue;
    q = qset_add(roots, rewrite[i]);
    sv_push(&q->rel, xstrdup(b->docs[i].id));
    free(rewrite[i]);
  }
  for (i = 0; i < b->ndocs; i++) free(k[i].key);
  free(k);
  free(rk);
  free(rewrite);
  free(ok);
}
