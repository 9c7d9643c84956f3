/*
** query.h — internal interface of the query side: what a person types,
** turned into a safe FTS5 MATCH expression (parse.c), and ranked results
** with snippets (search.c). Used by lib/ only; public names are in cari.h.
*/
#ifndef CARI_QUERY_H
#define CARI_QUERY_H

#include <stddef.h>

struct sqlite3;
struct idx_tokenizer;

/**************************************************************************
** Interface to code in rank.c
**
** The ranking settings (parsed from cari_search_opts.ranking) and the FTS5
** auxiliary function cari_rank() that scores with them.
*/
enum { QRY_RANK_CARI, QRY_RANK_BM25 };

typedef struct qry_ranking {
  int fn;                /* QRY_RANK_CARI (per-field BM25 sum) or _BM25 (FTS5's) */
  double k1, b_title, b_body;
  double w_title, w_body;
  int function_words;    /* 1: drop Indonesian function words from queries */
  double w_surface;      /* weight of a word's exact form beside its stem */
  double coord;          /* exponent of the share of query words held, for
                         ** keyword queries (questions use coord_question) */
  double coord_question;
  double coord_max;      /* ... applied to queries of at most this many words */
  double prox;           /* proximity bonus: score * (1 + prox / gap) */
  double prox_question;  /* ... for questions */
  int index_surface;     /* set by the caller: the index has surface forms */
} qry_ranking;

void qry_ranking_default(qry_ranking *r);
/* "key=value key=value": CARI_OK, or CARI_INVALID with err naming the key. */
int qry_ranking_parse(const char *spec, qry_ranking *r, char *err,
                      size_t errcap);
/* Register cari_rank() on the connection: SQLite result code. */
int qry_rank_register(struct sqlite3 *db);

/**************************************************************************
** Interface to code in parse.c
**
** The grammar (essay at the top of parse.c): words, "phrases", -exclusions,
** word* prefixes, OR. Every word in the output is a double-quoted FTS5
** string holding the word exactly as typed, so FTS5 never sees user syntax
** and analyses each word with the same tokenizer as the index.
*/
#define QRY_MAX_TERMS 64 /* distinct positive words or phrases kept */

/* Translate q[0..n) into an FTS5 expression. On CARI_OK *expr is a
** NUL-terminated string and *weights the comma-separated weights of its
** phrases in order (for cari_rank); the caller frees both with free().
** *question (when not NULL) is set to 1 for a question in natural language
** (a question word such as apa, siapakah, berapa, or a '?').
** CARI_QUERY with a one-line reason in err when nothing is left to search;
** CARI_NOMEM. `r` may be NULL (no function words, no surface forms). */
int qry_translate(struct idx_tokenizer *tok, const char *q, int n,
                  const qry_ranking *r, char **expr, char **weights,
                  int *question, char *err, size_t errcap);

/* 1 if the normalised word is an Indonesian function word (query side). */
int qry_function_word(const char *w, size_t n);

/**************************************************************************
** Interface to code in search.c
*/
typedef struct qry_cursor qry_cursor;

typedef struct qry_opts {
  int limit, offset, snippet_words;
  const char *mark_open, *mark_close, *ellipsis;
  int no_snippet;
  const qry_ranking *rank;
  const char *weights; /* phrase weights from qry_translate */
  int question;        /* from qry_translate */
} qry_opts;

/* Prepare a ranked search for an FTS5 expression. CARI_OK with *out, or a
** cari_rc with err set. The cursor borrows db until qry_cursor_free. */
int qry_open(struct sqlite3 *db, const char *expr, const qry_opts *o,
             qry_cursor **out, char *err, size_t errcap);
/* CARI_ROW, CARI_DONE or an error (err set). */
int qry_next(qry_cursor *c, char *err, size_t errcap);
/* Field i of the current row: 0 id, 1 title, 2 url, 3 date, 4 snippet. */
const char *qry_field(qry_cursor *c, int i);
double qry_score(qry_cursor *c);
/* Total matches, computed on first call; -1 on error (err set). */
long long qry_total(qry_cursor *c, char *err, size_t errcap);
void qry_cursor_free(qry_cursor *c);

#endif
