/*
** prefix.c — prefix expansion: a plan's prefixes made to match what a
** person means by them on a stems-only index, as new phrases appended to a
** copy of the plan. It does not read postings (lookup.c) or rank; the
** pruned and the exhaustive search both rank the expanded plan.
**
** ALIASES
**
** A stems-only index holds `buat`, not `membuat`: a prefix such as
** `membua*` matches no term. The build's table of words as written
** (cari_words) gives the terms of the words the prefix begins; each one
** not already matched by the prefix becomes an alias phrase (QRY_ALIAS,
** see rank.c) after it. Only terms the analyzer gives back unchanged, so
** FTS5 looks up exactly that term. At most QRY_MAX_ALIASES per prefix.
**
** CAPS
**
** A prefix that begins more than QRY_PREFIX_MAX_TERMS index terms (`ke*`)
** would make FTS5 read and merge every one of them, on every query that
** names it (the search, each article rescored, the count): it is replaced
** by its QRY_PREFIX_MAX_TERMS most frequent terms (by df_title + df_body in
** the top-k postings, then in byte order), the first as the phrase and the
** others as its aliases, so that they still count as one word. The note
** says what was cut. Terms the analyzer would change are passed over as
** for aliases.
*/
#include "query.h"
#include "cari.h"
#include "indexer.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QRY_MAX_ALIASES 16

typedef struct {
  qry_build *b;
  qry_plan *out;
  sqlite3_stmt *words, *count, *top; /* words NULL without cari_words */
  sqlite3_str *note;                 /* the capped prefixes, listed */
  int added;                         /* phrases added or replaced */
} expansion;

/* A term row usable as a phrase: FTS5 looks it up as is. 1 yes, 0 no,
** -1 out of memory. */
static int usable(qry_build *b, const char *term, int n) {
  if (!term) return -1; /* a term is never NULL: its copy ran out of memory */
  if (n <= 0 || n > IDX_MAX_TOKEN || strchr(term, '"')) return 0;
  return qry_term_stable(b, term, n);
}

/* How many index terms [p->term, hi) holds, counting up to a million. */
static int count_terms(expansion *E, const qry_term *p, const char *hi, int nh,
                       long long *n, char *err, size_t errcap) {
  sqlite3_bind_text(E->count, 1, p->term, p->nterm, SQLITE_STATIC);
  sqlite3_bind_text(E->count, 2, hi, nh, SQLITE_STATIC);
  sqlite3_bind_int(E->count, 3, 1000000);
  int x = sqlite3_step(E->count);
  *n = x == SQLITE_ROW ? sqlite3_column_int64(E->count, 0) : 0;
  sqlite3_reset(E->count);
  if (x != SQLITE_ROW)
    return idx_sql_fail(E->b->db, x, "cannot read the top-k postings", err,
                        errcap);
  return CARI_OK;
}

/* The prefix p's most frequent terms as one phrase and its aliases, when
** it begins more than QRY_PREFIX_MAX_TERMS terms: *capped 1 (the phrase
** itself is then not kept), else 0. */
static int cap_prefix(expansion *E, const qry_term *p, const char *hi, int nh,
                      int *capped, char *err, size_t errcap) {
  const qry_phrase *ph = p->ph;
  long long nterms;
  *capped = 0;
  int rc = count_terms(E, p, hi, nh, &nterms, err, errcap);
  if (rc || nterms <= QRY_PREFIX_MAX_TERMS) return rc;
  sqlite3_bind_text(E->top, 1, p->term, p->nterm, SQLITE_STATIC);
  sqlite3_bind_text(E->top, 2, hi, nh, SQLITE_STATIC);
  int kept = 0, first = E->out->n, x = SQLITE_DONE;
  while (kept < QRY_PREFIX_MAX_TERMS &&
         (x = sqlite3_step(E->top)) == SQLITE_ROW) {
    const char *term = (const char *)sqlite3_column_text(E->top, 0);
    int n = sqlite3_column_bytes(E->top, 0);
    int ok = usable(E->b, term, n);
    if (ok < 0) rc = CARI_NOMEM;
    else if (ok)
      rc = qry_plan_add(E->out, term, n, 0, kept ? QRY_ALIAS : ph->kind,
                        ph->excluded, kept ? first : -1,
                        kept ? 0 : ph->weight);
    if (rc) break;
    kept += ok;
  }
  if (rc == CARI_OK && x != SQLITE_ROW && x != SQLITE_DONE)
    rc = idx_sql_fail(E->b->db, x, "cannot read the top-k postings", err,
                      errcap);
  sqlite3_reset(E->top);
  if (rc == CARI_OK && kept == 0) /* none FTS5 would find as is: a word */
    rc = qry_plan_add(E->out, p->term, p->nterm, 0, ph->kind, ph->excluded,
                      -1, ph->weight);
  if (rc) return rc;
  sqlite3_str_appendf(E->note, "%s'%s*' (of %lld)",
                      sqlite3_str_length(E->note) ? ", " : "", ph->text,
                      nterms);
  *capped = 1;
  return CARI_OK;
}

/* The terms of the words p begins (cari_words) that p does not match
** already, as aliases of phrase `lead` of the new plan. */
static int add_aliases(expansion *E, const qry_term *p, const char *hi,
                       int nh, int lead, char *err, size_t errcap) {
  sqlite3_bind_text(E->words, 1, p->term, p->nterm, SQLITE_STATIC);
  sqlite3_bind_text(E->words, 2, hi, nh, SQLITE_STATIC);
  int nalias = 0, x = SQLITE_DONE, rc = CARI_OK;
  while (nalias < QRY_MAX_ALIASES && (x = sqlite3_step(E->words)) == SQLITE_ROW) {
    const char *term = (const char *)sqlite3_column_text(E->words, 0);
    int n = sqlite3_column_bytes(E->words, 0);
    if (!term || n <= 0 || n > IDX_MAX_TOKEN || strchr(term, '"') ||
        (n >= p->nterm && memcmp(term, p->term, (size_t)p->nterm) == 0))
      continue; /* the prefix matches it already */
    int ok = qry_term_stable(E->b, term, n);
    if (ok < 0) rc = CARI_NOMEM;
    else if (ok) /* else FTS5 would look up another term */
      rc = qry_plan_add(E->out, term, n, 0, QRY_ALIAS, p->ph->excluded, lead,
                        0);
    if (rc) break;
    nalias += ok;
    E->added += ok;
  }
  /* A failed step must not drop aliases: the answer would change. */
  if (rc == CARI_OK && x != SQLITE_ROW && x != SQLITE_DONE)
    rc = idx_sql_fail(E->b->db, x, "cannot read the top-k words", err, errcap);
  sqlite3_reset(E->words);
  return rc;
}

static int prepare(expansion *E, char *err, size_t errcap) {
  sqlite3 *db = E->b->db;
  int y = SQLITE_OK;
  if ((E->b->have_words &&
       (y = sqlite3_prepare_v2(db,
                               "SELECT DISTINCT term FROM cari_words WHERE"
                               " word >= ?1 AND word < ?2 ORDER BY term",
                               -1, &E->words, NULL)) != SQLITE_OK) ||
      (y = sqlite3_prepare_v2(db,
                              "SELECT count(*) FROM (SELECT 1 FROM"
                              " cari_postings WHERE term >= ?1 AND term < ?2"
                              " LIMIT ?3)",
                              -1, &E->count, NULL)) != SQLITE_OK ||
      (y = sqlite3_prepare_v2(db,
                              "SELECT term FROM cari_postings WHERE term >= ?1"
                              " AND term < ?2 ORDER BY df_title + df_body"
                              " DESC, term",
                              -1, &E->top, NULL)) != SQLITE_OK)
    return idx_sql_fail(db, y, "cannot read the top-k words", err, errcap);
  return CARI_OK;
}

static int expandable(const qry_term *p) {
  return p->ph->prefix && p->ph->kind != QRY_SURFACE &&
         p->ph->kind != QRY_ALIAS && p->nterm > 0;
}

/* Each phrase of pl into E->out, expanded when it is a prefix. */
static int expand_all(expansion *E, const qry_plan *pl, const qry_terms *ts,
                      char *err, size_t errcap) {
  int *map = cari_malloc(((size_t)pl->n + 1) * sizeof *map); /* old -> new */
  int rc = map ? CARI_OK : CARI_NOMEM;
  for (int i = 0; rc == CARI_OK && i < pl->n; i++) {
    const qry_phrase *ph = &pl->p[i];
    const qry_term *p = &ts->p[i];
    char hi[IDX_MAX_TOKEN + 8];
    int nh = expandable(p) ? qry_prefix_hi(p->term, p->nterm, hi) : 0;
    int capped = 0;
    map[i] = E->out->n;
    if (nh > 0) rc = cap_prefix(E, p, hi, nh, &capped, err, errcap);
    E->added += capped;
    if (rc == CARI_OK && !capped)
      rc = qry_plan_add(E->out, ph->text, ph->ntext, ph->prefix, ph->kind,
                        ph->excluded, ph->lead == i ? -1 : map[ph->lead],
                        ph->weight);
    if (rc == CARI_OK && nh > 0 && E->words)
      rc = add_aliases(E, p, hi, nh, map[i], err, errcap);
  }
  cari_free(map);
  return rc;
}

int qry_expand_prefixes(qry_build *b, const qry_plan *pl, const qry_terms *ts,
                        qry_plan **out, char **note, char *err,
                        size_t errcap) {
  *out = NULL;
  *note = NULL;
  int any = 0;
  for (int i = 0; i < ts->n; i++) any |= expandable(&ts->p[i]);
  if (!any) return CARI_OK;
  expansion E = {b, qry_plan_new(), NULL, NULL, NULL, sqlite3_str_new(NULL), 0};
  int rc = E.out ? prepare(&E, err, errcap) : CARI_NOMEM;
  if (rc == CARI_OK) rc = expand_all(&E, pl, ts, err, errcap);
  if (rc == CARI_OK && sqlite3_str_errcode(E.note)) rc = CARI_NOMEM;
  char *capped = sqlite3_str_finish(E.note);
  if (rc == CARI_OK && E.added && capped) {
    const char *head = "a prefix matches at most its ";
    size_t n = strlen(head) + strlen(capped) + 40;
    if ((*note = cari_malloc(n)))
      snprintf(*note, n, "%s%d most frequent words: %s", head,
               QRY_PREFIX_MAX_TERMS, capped);
    else rc = CARI_NOMEM;
  }
  if (rc == CARI_OK && E.added) {
    E.out->question = pl->question;
    *out = E.out;
    E.out = NULL;
  }
  sqlite3_free(capped);
  sqlite3_finalize(E.words);
  sqlite3_finalize(E.count);
  sqlite3_finalize(E.top);
  qry_plan_free(E.out);
  if (rc == CARI_NOMEM) snprintf(err, errcap, "out of memory");
  return rc;
}
