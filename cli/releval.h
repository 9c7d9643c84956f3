/*
** releval.h — relevance evaluation: TREC qrels and runs in, the measures
** trec_eval computes out (RR@10, nDCG@10, AP, P@10, Recall@100), per query
** and averaged. Pure C: no SQLite, no cari; `cari eval` and the tests use it.
** It does not search, and it does not compute significance or any other
** measure.
**
** Conventions (the same as trec_eval 9.x, usnistgov/trec_eval):
**   - A document is relevant when its grade is >= 1 (trec_eval's default
**     -l1). Documents missing from the qrels, and negative grades, count as
**     not relevant.
**   - A run is ranked by score, higher first; equal scores are ordered by
**     document id, the greater id (strcmp) first. The rank column of a run
**     file is ignored. So figures computed here from a run file are the
**     figures trec_eval prints for it.
**   - AP divides by the number of relevant documents in the qrels, retrieved
**     or not. nDCG@10 takes the grade as the gain, discounts rank r by
**     log2(r + 1), and normalises by the DCG@10 of the qrels' grades sorted
**     from high to low (trec_eval's ndcg_cut.10). RR@10 is 1/r for the first
**     relevant document at rank r <= 10, else 0 (trec_eval's recip_rank has
**     no cut-off; RR@10 is ir_measures' RR@10). P@10 divides by 10 even when
**     fewer were retrieved; Recall@100 by the number of relevant documents.
**   - Which queries are averaged: every query of the qrels that has at least
**     one relevant document. A query the run lacks counts 0 on every measure
**     (trec_eval only does this with -c: by default it averages over the
**     queries present in both files, so a system that returns nothing for a
**     query would not be penalised). Queries of the qrels with no relevant
**     document are left out (trec_eval keeps them, scoring 0, which only
**     lowers every system alike). Queries of the run without judgements are
**     ignored, as in trec_eval.
**
** Errors: functions that can fail return a rel_rc and, when errbuf is not
** NULL, write a one-line message there ("FILE:LINE: what" for bad input),
** at most errcap bytes, NUL-terminated.
**
** Threads: each object belongs to one thread at a time; nothing is global.
*/
#ifndef CARI_RELEVAL_H
#define CARI_RELEVAL_H

#include <stddef.h>
#include <stdio.h>

typedef enum rel_rc {
  REL_OK = 0,
  REL_NOMEM,  /* out of memory */
  REL_IO,     /* a file could not be opened, read or written */
  REL_FORMAT, /* malformed input: the message says file, line and what */
  REL_EMPTY   /* rel_evaluate(): no query of the qrels has a relevant doc */
} rel_rc;

/* ------------------------------------------------------------------ */
/* Relevance judgements                                                */
/* ------------------------------------------------------------------ */

typedef struct rel_qrels rel_qrels;

/*
** Read qrels from `f`; `name` is used in messages only. Each line is either
**   qid<TAB>docid<TAB>grade          (three columns)
**   qid iter docid grade             (TREC's four columns; iter ignored)
** with fields separated by any run of spaces or tabs; the form is decided
** line by line. The grade is an integer. Blank lines and lines starting with
** '#' are passed over. A document judged twice for one query is an error,
** as in trec_eval. On REL_OK *out is the new qrels, which the caller frees
** with rel_qrels_free(); on failure *out is NULL.
*/
int rel_qrels_read(FILE *f, const char *name, rel_qrels **out, char *errbuf,
                   size_t errcap);

/* rel_qrels_read() on the file at `path` (REL_IO names it if unreadable). */
int rel_qrels_load(const char *path, rel_qrels **out, char *errbuf,
                   size_t errcap);

/* Number of queries in the qrels (with or without relevant documents). */
size_t rel_qrels_count(const rel_qrels *q);

/* Whether the qrels judge query `qid`. */
int rel_qrels_has(const rel_qrels *q, const char *qid);

/* Free; NULL is harmless. */
void rel_qrels_free(rel_qrels *q);

/* ------------------------------------------------------------------ */
/* Runs                                                                */
/* ------------------------------------------------------------------ */

typedef struct rel_run rel_run;

/* A new, empty run, or NULL when out of memory. Free with rel_run_free(). */
rel_run *rel_run_new(void);

/*
** Add a retrieved document with its score to query `qid`. Both strings are
** copied. Adding a query with `docid` NULL records the query with no
** document (a search that found nothing), so that it is written to no line
** but still counts as "in the run". REL_FORMAT if the score is not finite.
*/
int rel_run_add(rel_run *r, const char *qid, const char *docid, double score);

/*
** Read a TREC run from `f` ("qid Q0 docid rank score tag", whitespace
** separated; the Q0, rank and tag fields are not used). Blank lines are
** passed over. A document retrieved twice for one query is an error, as in
** trec_eval. On REL_OK *out is the new run (free with rel_run_free()); on
** failure *out is NULL.
*/
int rel_run_read(FILE *f, const char *name, rel_run **out, char *errbuf,
                 size_t errcap);

/* rel_run_read() on the file at `path`. */
int rel_run_load(const char *path, rel_run **out, char *errbuf, size_t errcap);

/* Number of queries in the run, and of documents in it. */
size_t rel_run_count(const rel_run *r);
size_t rel_run_docs(const rel_run *r);

/*
** Put each query's documents in trec_eval's order (score descending, then
** docid descending) and check that no document appears twice for a query
** (REL_FORMAT, naming it). rel_run_write() and rel_evaluate() call it; it
** does nothing the second time unless documents were added since.
*/
int rel_run_sort(rel_run *r, char *errbuf, size_t errcap);

/*
** Write the run in TREC format, "qid Q0 docid rank score tag" a line,
** queries in the order they were first added, ranks from 1 in the order of
** rel_run_sort(). Scores are written with as few digits as give back the
** same double, so a run read back evaluates exactly as the one in memory.
** REL_FORMAT if an id holds white space (the format cannot carry it) or tag
** is empty or holds white space; REL_IO on a write error.
*/
int rel_run_write(rel_run *r, FILE *f, const char *tag, char *errbuf,
                  size_t errcap);

/* Free; NULL is harmless. */
void rel_run_free(rel_run *r);

/* ------------------------------------------------------------------ */
/* Evaluation                                                          */
/* ------------------------------------------------------------------ */

typedef struct rel_metrics {
  double rr10;   /* reciprocal rank of the first relevant doc within 10 */
  double ndcg10; /* nDCG@10, gain = grade */
  double ap;     /* average precision over all relevant docs of the qrels */
  double p10;    /* relevant docs in the top 10, divided by 10 */
  double r100;   /* relevant docs in the top 100 / relevant docs */
} rel_metrics;

typedef struct rel_query_eval {
  const char *qid;  /* owned by the rel_eval */
  int in_run;       /* 0 when the run lacks the query (all measures 0) */
  long relevant;    /* relevant documents in the qrels */
  long retrieved;   /* documents in the run for this query */
  rel_metrics m;
} rel_query_eval;

typedef struct rel_eval {
  size_t nqueries;          /* queries averaged: those with a relevant doc */
  rel_metrics mean;         /* means over those nqueries */
  rel_query_eval *per_query; /* nqueries rows, in the qrels' order */
  size_t missing;   /* of the nqueries, how many the run lacked (count 0) */
  size_t no_rel;    /* queries of the qrels without a relevant doc: left out */
  size_t unjudged;  /* queries of the run absent from the qrels: ignored */
} rel_eval;

/*
** Evaluate `run` against `qrels` (the run is sorted first: see
** rel_run_sort()). On REL_OK *out holds the figures; the caller frees it
** with rel_eval_free(). REL_EMPTY when no query has a relevant document;
** REL_FORMAT from the sort; REL_NOMEM. On failure *out is NULL.
*/
int rel_evaluate(const rel_qrels *qrels, rel_run *run, rel_eval **out,
                 char *errbuf, size_t errcap);

/* Free; NULL is harmless. */
void rel_eval_free(rel_eval *e);

#endif /* CARI_RELEVAL_H */
