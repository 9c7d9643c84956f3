/*
** test_releval.c — the relevance measures of cli/releval.c on cases
** computed by hand (the arithmetic is beside each expected value): graded
** nDCG, ties in scores, nothing relevant retrieved, relevant documents never
** retrieved, queries missing from the run or without relevant documents,
** cut-offs at 10 and 100, both qrels forms, malformed input, and a run
** written and read back. It does not search: see tests/sh/eval.sh.
*/
#include "test.h"

#include "releval.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define CHECK_NEAR(id, got, want)                                        \
  do {                                                                   \
    double g_ = (got), w_ = (want);                                      \
    CHECK(id, fabs(g_ - w_) < 1e-9, "got %.12f, want %.12f (%s)", g_, w_, \
          #got);                                                         \
  } while (0)

static FILE *mem(const char *text) {
  return fmemopen((void *)(uintptr_t)text, strlen(text), "r");
}

static int qrels_from(const char *text, rel_qrels **q, char *err, size_t cap) {
  FILE *f = mem(text);
  int rc = rel_qrels_read(f, "qrels", q, err, cap);
  fclose(f);
  return rc;
}

static int run_from(const char *text, rel_run **r, char *err, size_t cap) {
  FILE *f = mem(text);
  int rc = rel_run_read(f, "run", r, err, cap);
  fclose(f);
  return rc;
}

static const rel_query_eval *row_of(const rel_eval *e, const char *qid) {
  for (size_t i = 0; i < e->nqueries; i++)
    if (strcmp(e->per_query[i].qid, qid) == 0) return &e->per_query[i];
  return NULL;
}

/* log2(3) = 1.584962500721156, so 1/log2(3) = 0.630929753571457;
** log2(4) = 2; log2(5) = 2.321928094887362, 1/log2(5) = 0.430676558073393. */
#define INV_LOG2_3 0.6309297535714575
#define INV_LOG2_5 0.43067655807339306

static const char qrels_main[] =
    "# graded: d1 3, d2 2, d3 1, d4 judged not relevant\n"
    "g\td1\t3\n"
    "g\td2\t2\n"
    "g 0 d3 1\n"
    "g   0   d4   0\n"
    "\n"
    "tie\ta\t1\n"
    "none\tr\t1\n"
    "partial 0 r1 1\n"
    "partial 0 r2 1\n"
    "partial 0 r3 1\n"
    "partial 0 r4 1\n"
    "absent\tz\t1\n"
    "norel\tn\t0\n"
    "norel\tm\t-1\n";

static const char run_main[] =
    "g Q0 d4 1 4 t\n"      /* grade 0 */
    "g Q0 d3 2 3 t\n"      /* grade 1 */
    "g Q0 d1 3 2 t\n"      /* grade 3 */
    "g Q0 d5 4 1 t\n"      /* not judged */
    "tie Q0 a 1 1.0 t\n"   /* all three tied: trec_eval ranks c, b, a */
    "tie Q0 b 2 1.0 t\n"
    "tie Q0 c 3 1.0 t\n"
    "none Q0 x 1 3 t\n"
    "none Q0 y 2 2 t\n"
    "partial Q0 r1 1 30 t\n"
    "partial Q0 n1 2 20 t\n"
    "partial Q0 r2 3 10 t\n"
    "norel Q0 n 1 5 t\n"
    "extra Q0 e 1 5 t\n"; /* not in the qrels: ignored */

static void test_main_case(void) {
  char err[256] = "";
  rel_qrels *q;
  rel_run *r;
  CHECK_INT("main-qrels", qrels_from(qrels_main, &q, err, sizeof err), REL_OK);
  CHECK_INT("main-run", run_from(run_main, &r, err, sizeof err), REL_OK);
  if (!q || !r) { rel_qrels_free(q); rel_run_free(r); return; }
  CHECK_INT("qrels-queries", rel_qrels_count(q), 6);
  CHECK("qrels-has", rel_qrels_has(q, "norel") && !rel_qrels_has(q, "extra"),
        "rel_qrels_has");
  CHECK_INT("run-queries", rel_run_count(r), 6);
  CHECK_INT("run-docs", rel_run_docs(r), 14);
  rel_eval *e;
  CHECK_INT("eval-rc", rel_evaluate(q, r, &e, err, sizeof err), REL_OK);
  if (!e) { rel_qrels_free(q); rel_run_free(r); return; }
  /* Averaged: g, tie, none, partial, absent. Left out: norel (grades 0 and
  ** -1 only). Ignored: extra. */
  CHECK_INT("nqueries", e->nqueries, 5);
  CHECK_INT("no_rel", e->no_rel, 1);
  CHECK_INT("missing", e->missing, 1);
  CHECK_INT("unjudged", e->unjudged, 1);
  CHECK_STR("row-order", e->per_query[0].qid, "g");
  CHECK_STR("row-order-last", e->per_query[4].qid, "absent");

  /* g: ranking d4(0) d3(1) d1(3) d5(-); 3 relevant (d1, d2, d3).
  ** RR = 1/2. AP = (1/2 + 2/3) / 3 = 0.388888889.
  ** DCG@10 = 0/log2(2) + 1/log2(3) + 3/log2(4) = 0.630929754 + 1.5
  **        = 2.130929754
  ** IDCG@10 = 3/log2(2) + 2/log2(3) + 1/log2(4) = 3 + 1.261859507 + 0.5
  **         = 4.761859507
  ** nDCG@10 = 2.130929754 / 4.761859507 = 0.447499501.
  ** P@10 = 2/10. R@100 = 2/3. */
  const rel_query_eval *g = row_of(e, "g");
  if (g) {
    CHECK_NEAR("g-rr", g->m.rr10, 0.5);
    CHECK_NEAR("g-ap", g->m.ap, (1.0 / 2 + 2.0 / 3) / 3);
    CHECK_NEAR("g-ndcg", g->m.ndcg10,
               (INV_LOG2_3 + 1.5) / (3 + 2 * INV_LOG2_3 + 0.5));
    CHECK_NEAR("g-ndcg-value", g->m.ndcg10, 0.447499501061509);
    CHECK_NEAR("g-p10", g->m.p10, 0.2);
    CHECK_NEAR("g-r100", g->m.r100, 2.0 / 3);
    CHECK_INT("g-relevant", g->relevant, 3);
    CHECK_INT("g-retrieved", g->retrieved, 4);
  }
  /* tie: scores equal, so docid descending: c, b, a; a relevant at rank 3.
  ** RR = 1/3, AP = (1/3)/1, nDCG = (1/log2(4)) / 1 = 0.5, P@10 = 1/10,
  ** R@100 = 1/1. (File order a, b, c, or ascending ids, give rank 1.) */
  const rel_query_eval *t = row_of(e, "tie");
  if (t) {
    CHECK_NEAR("tie-rr", t->m.rr10, 1.0 / 3);
    CHECK_NEAR("tie-ap", t->m.ap, 1.0 / 3);
    CHECK_NEAR("tie-ndcg", t->m.ndcg10, 0.5);
    CHECK_NEAR("tie-p10", t->m.p10, 0.1);
    CHECK_NEAR("tie-r100", t->m.r100, 1.0);
  }
  /* none: x, y retrieved, r relevant and not retrieved: every measure 0. */
  const rel_query_eval *n = row_of(e, "none");
  if (n) {
    CHECK_NEAR("none-rr", n->m.rr10, 0);
    CHECK_NEAR("none-ap", n->m.ap, 0);
    CHECK_NEAR("none-ndcg", n->m.ndcg10, 0);
    CHECK_NEAR("none-p10", n->m.p10, 0);
    CHECK_NEAR("none-r100", n->m.r100, 0);
    CHECK_INT("none-in-run", n->in_run, 1);
  }
  /* partial: r1 n1 r2 retrieved; r1..r4 relevant (r3, r4 never retrieved).
  ** RR = 1. AP = (1/1 + 2/3) / 4 = 0.416666667 (not / 2: unretrieved
  ** relevant documents count). R@100 = 2/4. P@10 = 2/10.
  ** DCG = 1/log2(2) + 1/log2(4) = 1.5;
  ** IDCG = 1 + 1/log2(3) + 1/log2(4) + 1/log2(5) = 2.561606312;
  ** nDCG = 1.5 / 2.561606312 = 0.585570075. */
  const rel_query_eval *p = row_of(e, "partial");
  if (p) {
    CHECK_NEAR("partial-rr", p->m.rr10, 1.0);
    CHECK_NEAR("partial-ap", p->m.ap, (1 + 2.0 / 3) / 4);
    CHECK_NEAR("partial-r100", p->m.r100, 0.5);
    CHECK_NEAR("partial-p10", p->m.p10, 0.2);
    CHECK_NEAR("partial-ndcg", p->m.ndcg10,
               1.5 / (1 + INV_LOG2_3 + 0.5 + INV_LOG2_5));
    CHECK_NEAR("partial-ndcg-value", p->m.ndcg10, 0.5855700749881525);
  }
  /* absent: judged, not in the run: counted, all 0, in_run 0. */
  const rel_query_eval *a = row_of(e, "absent");
  if (a) {
    CHECK_INT("absent-in-run", a->in_run, 0);
    CHECK_NEAR("absent-ap", a->m.ap, 0);
    CHECK_INT("absent-retrieved", a->retrieved, 0);
  }
  CHECK("norel-excluded", row_of(e, "norel") == NULL, "norel has a row");
  CHECK("extra-excluded", row_of(e, "extra") == NULL, "extra has a row");

  /* Means over the 5 queries (g, tie, none, partial, absent):
  ** MRR@10 = (0.5 + 1/3 + 0 + 1 + 0) / 5 = 1.833333333 / 5 = 0.366666667
  ** MAP    = (0.388888889 + 0.333333333 + 0 + 0.416666667 + 0) / 5
  **        = 1.138888889 / 5 = 0.227777778
  ** nDCG   = (0.447499501 + 0.5 + 0 + 0.585570075 + 0) / 5
  **        = 1.533069576 / 5 = 0.306613915
  ** P@10   = (0.2 + 0.1 + 0 + 0.2 + 0) / 5 = 0.1
  ** R@100  = (2/3 + 1 + 0 + 1/2 + 0) / 5 = 0.433333333 */
  CHECK_NEAR("mean-rr", e->mean.rr10, (0.5 + 1.0 / 3 + 1) / 5);
  CHECK_NEAR("mean-ap", e->mean.ap, (7.0 / 18 + 1.0 / 3 + 5.0 / 12) / 5);
  CHECK_NEAR("mean-ap-value", e->mean.ap, 0.22777777777777777);
  CHECK_NEAR("mean-ndcg", e->mean.ndcg10,
             (0.447499501061509 + 0.5 + 0.5855700749881525) / 5);
  CHECK_NEAR("mean-ndcg-value", e->mean.ndcg10, 0.3066139152099323);
  CHECK_NEAR("mean-p10", e->mean.p10, 0.1);
  CHECK_NEAR("mean-r100", e->mean.r100, (2.0 / 3 + 1 + 0.5) / 5);
  rel_eval_free(e);
  rel_qrels_free(q);
  rel_run_free(r);
}

/* Cut-offs, on a run built in memory: the only relevant document at rank 11
** (outside RR@10, P@10, nDCG@10, inside R@100; AP = 1/11) and at rank 101
** (outside R@100; AP = 1/101). */
static void test_cutoffs(void) {
  char err[256] = "";
  rel_qrels *q;
  CHECK_INT("cut-qrels",
            qrels_from("at11 rel 1\nat101 rel 1\nat10 rel 2\n", &q, err,
                       sizeof err), REL_OK);
  rel_run *r = rel_run_new();
  if (!q || !r) { rel_qrels_free(q); rel_run_free(r); return; }
  char id[32];
  int rc = 0;
  for (int i = 1; i <= 101; i++) {
    /* Score 1000 - i: rank i. The relevant one takes rank 11 / 101 / 10. */
    snprintf(id, sizeof id, "n%03d", i);
    if (i <= 12) rc |= rel_run_add(r, "at11", i == 11 ? "rel" : id, 1000 - i);
    rc |= rel_run_add(r, "at101", i == 101 ? "rel" : id, 1000 - i);
    if (i <= 10) rc |= rel_run_add(r, "at10", i == 10 ? "rel" : id, 1000 - i);
  }
  CHECK_INT("cut-add", rc, REL_OK);
  rel_eval *e;
  CHECK_INT("cut-eval", rel_evaluate(q, r, &e, err, sizeof err), REL_OK);
  if (e) {
    const rel_query_eval *a = row_of(e, "at11"), *b = row_of(e, "at101");
    const rel_query_eval *c = row_of(e, "at10");
    if (a && b && c) {
      CHECK_NEAR("at11-rr", a->m.rr10, 0);
      CHECK_NEAR("at11-p10", a->m.p10, 0);
      CHECK_NEAR("at11-ndcg", a->m.ndcg10, 0);
      CHECK_NEAR("at11-r100", a->m.r100, 1);
      CHECK_NEAR("at11-ap", a->m.ap, 1.0 / 11);
      CHECK_NEAR("at101-r100", b->m.r100, 0);
      CHECK_NEAR("at101-ap", b->m.ap, 1.0 / 101);
      /* at10, grade 2 at rank 10: RR = 1/10, P@10 = 1/10;
      ** nDCG = (2/log2(11)) / (2/log2(2)) = 1/log2(11) = 0.289064826. */
      CHECK_NEAR("at10-rr", c->m.rr10, 0.1);
      CHECK_NEAR("at10-p10", c->m.p10, 0.1);
      CHECK_NEAR("at10-ndcg", c->m.ndcg10, 1 / log2(11.0));
      CHECK_NEAR("at10-ndcg-value", c->m.ndcg10, 0.28906482631788443);
    }
  }
  rel_eval_free(e);
  rel_qrels_free(q);
  rel_run_free(r);
}

/* The two qrels forms give the same judgements, line by line. */
static void test_qrels_forms(void) {
  char err[256] = "";
  rel_qrels *q3, *q4;
  CHECK_INT("three", qrels_from("q\ta\t2\nq\tb\t1\n", &q3, err, sizeof err),
            REL_OK);
  CHECK_INT("four", qrels_from("q 0 a 2\r\nq Q0 b 1\r\n", &q4, err, sizeof err),
            REL_OK);
  rel_run *r;
  CHECK_INT("forms-run", run_from("q Q0 b 1 2 x\nq Q0 a 2 1 x\n", &r, err,
                                  sizeof err), REL_OK);
  if (!q3 || !q4 || !r) goto done;
  rel_eval *e3, *e4;
  rel_evaluate(q3, r, &e3, err, sizeof err);
  rel_evaluate(q4, r, &e4, err, sizeof err);
  /* b (1) then a (2): DCG = 1 + 2/log2(3) = 2.261859507;
  ** IDCG = 2 + 1/log2(3) = 2.630929754; nDCG = 0.859715197. */
  if (e3 && e4) {
    CHECK_NEAR("three-ndcg", e3->mean.ndcg10,
               (1 + 2 * INV_LOG2_3) / (2 + INV_LOG2_3));
    CHECK_NEAR("four-ndcg", e4->mean.ndcg10, e3->mean.ndcg10);
    CHECK_NEAR("four-ap", e4->mean.ap, 1.0);
  }
  rel_eval_free(e3);
  rel_eval_free(e4);
done:
  rel_qrels_free(q3);
  rel_qrels_free(q4);
  rel_run_free(r);
}

/* Malformed input: rows of {id, qrels?, text, rc, message}. */
static const struct {
  const char *id;
  int is_qrels;
  const char *text;
  int rc;
  const char *msg;
} bad[] = {
    {"q-two-fields", 1, "q1 1 0\nq1 d1\n", REL_FORMAT,
     "qrels:2: expected 'qid docid grade' or 'qid iter docid grade', found 2 "
     "fields"},
    {"q-five-fields", 1, "q1 0 d1 1 x\n", REL_FORMAT,
     "qrels:1: expected 'qid docid grade' or 'qid iter docid grade', found "
     "more than 4 fields"},
    {"q-word-grade", 1, "q1 d1 high\n", REL_FORMAT,
     "qrels:1: grade 'high' is not a whole number"},
    {"q-frac-grade", 1, "q1 d1 1.5\n", REL_FORMAT,
     "qrels:1: grade '1.5' is not a whole number"},
    {"q-duplicate", 1, "# c\n\nq1 d1 1\nq1 0 d1 2\n", REL_FORMAT,
     "qrels:4: document d1 judged twice for query q1 (first at line 3)"},
    {"r-five-fields", 0, "q1 Q0 d1 1 2\n", REL_FORMAT,
     "run:1: expected 'qid Q0 docid rank score tag', found 5 fields"},
    {"r-word-score", 0, "q1 Q0 d1 1 abc t\n", REL_FORMAT,
     "run:1: score 'abc' is not a finite number"},
    {"r-nan-score", 0, "\nq1 Q0 d1 1 nan t\n", REL_FORMAT,
     "run:2: score 'nan' is not a finite number"},
    {"r-duplicate", 0, "q1 Q0 d1 1 2 t\nq2 Q0 d1 1 2 t\nq1 Q0 d1 2 1 t\n",
     REL_FORMAT, "run:3: document d1 retrieved twice for query q1 (first at "
                 "line 1)"},
};

static void test_malformed(void) {
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char err[256] = "";
    int rc;
    if (bad[i].is_qrels) {
      rel_qrels *q = (rel_qrels *)&err; /* must come back NULL */
      rc = qrels_from(bad[i].text, &q, err, sizeof err);
      CHECK(bad[i].id, q == NULL, "out not NULL on failure");
    } else {
      rel_run *r = (rel_run *)&err;
      rc = run_from(bad[i].text, &r, err, sizeof err);
      CHECK(bad[i].id, r == NULL, "out not NULL on failure");
    }
    CHECK_INT(bad[i].id, rc, bad[i].rc);
    CHECK_STR(bad[i].id, err, bad[i].msg);
  }
  char err[256] = "";
  rel_qrels *q;
  CHECK_INT("missing-file",
            rel_qrels_load("tests/data/eval/no-such-file", &q, err, sizeof err),
            REL_IO);
  CHECK("missing-file-msg", strstr(err, "tests/data/eval/no-such-file:") == err,
        "message '%s'", err);
  /* Nothing relevant anywhere: nothing to average. */
  rel_run *r = rel_run_new();
  CHECK_INT("empty-qrels", qrels_from("q1 d1 0\n", &q, err, sizeof err), REL_OK);
  if (q && r) {
    rel_eval *e;
    CHECK_INT("no-relevant", rel_evaluate(q, r, &e, err, sizeof err), REL_EMPTY);
    CHECK_STR("no-relevant-msg", err, "qrels: no query has a relevant document");
    CHECK("no-relevant-null", e == NULL, "out not NULL");
  }
  CHECK_INT("add-nan", r ? rel_run_add(r, "q", "d", NAN) : -1, REL_FORMAT);
  CHECK_INT("add-empty-qid", r ? rel_run_add(r, "", "d", 1) : -1, REL_FORMAT);
  CHECK_INT("add-dup", r ? rel_run_add(r, "q", "d", 1) | rel_run_add(r, "q", "d", 2)
                         : -1, REL_OK);
  if (r) {
    CHECK_INT("add-dup-sort", rel_run_sort(r, err, sizeof err), REL_FORMAT);
    CHECK_STR("add-dup-msg", err, "document d retrieved twice for query q");
  }
  rel_qrels_free(q);
  rel_run_free(r);
}

/* A run written and read back: trec_eval's order in the rank column, the
** scores exact, queries with no result write no line. */
static void test_write(void) {
  char err[256] = "";
  rel_run *r = rel_run_new();
  if (!r) return;
  int rc = rel_run_add(r, "q2", "a", 1.0);
  rc |= rel_run_add(r, "q2", "b", 1.0);
  rc |= rel_run_add(r, "q2", "c", 0.1 + 0.2);
  rc |= rel_run_add(r, "q1", "x", 1.0 / 3);
  rc |= rel_run_add(r, "q0", NULL, 0);
  rc |= rel_run_add(r, "q1", "y", 12.5);
  CHECK_INT("write-add", rc, REL_OK);
  CHECK_INT("write-count", rel_run_count(r), 3);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  CHECK_INT("write-rc", rel_run_write(r, f, "cari", err, sizeof err), REL_OK);
  fclose(f);
  /* q2: a and b tie at 1 -> b before a; c's 0.30000000000000004 kept whole.
  ** q1: y (12.5) before x (1/3 to 16 digits). q0: no line. */
  CHECK_STR("write-text", buf,
            "q2 Q0 b 1 1 cari\n"
            "q2 Q0 a 2 1 cari\n"
            "q2 Q0 c 3 0.30000000000000004 cari\n"
            "q1 Q0 y 1 12.5 cari\n"
            "q1 Q0 x 2 0.3333333333333333 cari\n");
  rel_run *back;
  CHECK_INT("read-back", run_from(buf ? buf : "", &back, err, sizeof err),
            REL_OK);
  rel_qrels *q;
  CHECK_INT("rt-qrels", qrels_from("q2 a 1\nq2 c 2\nq1 x 1\n", &q, err,
                                   sizeof err), REL_OK);
  if (back && q) {
    rel_eval *e1, *e2;
    rel_evaluate(q, r, &e1, err, sizeof err);
    rel_evaluate(q, back, &e2, err, sizeof err);
    if (e1 && e2) {
      CHECK_NEAR("rt-ndcg", e2->mean.ndcg10, e1->mean.ndcg10);
      CHECK_NEAR("rt-ap", e2->mean.ap, e1->mean.ap);
      /* q2: b(0) a(1) c(2): AP = (1/2 + 2/3)/2 = 0.583333333;
      ** q1: y(0) x(1): AP = 1/2; MAP = 0.541666667. */
      CHECK_NEAR("rt-ap-value", e2->mean.ap, ((0.5 + 2.0 / 3) / 2 + 0.5) / 2);
    }
    rel_eval_free(e1);
    rel_eval_free(e2);
  }
  free(buf);
  buf = NULL;
  f = open_memstream(&buf, &len);
  CHECK_INT("bad-tag", rel_run_write(r, f, "a b", err, sizeof err), REL_FORMAT);
  rel_run_add(r, "q9", "has space", 1);
  CHECK_INT("bad-docid", rel_run_write(r, f, "t", err, sizeof err), REL_FORMAT);
  CHECK_STR("bad-docid-msg", err, "document id 'has space' holds white space: "
                                  "a TREC run cannot carry it");
  fclose(f);
  free(buf);
  rel_qrels_free(q);
  rel_run_free(back);
  rel_run_free(r);
}

/* 5,000 queries x 100 documents: the hash, growth and sort at scale; every
** query has its relevant document at rank q % 100 + 1. */
static void test_scale(void) {
  char err[256] = "";
  rel_run *r = rel_run_new();
  char *qtext = malloc(5000 * 32);
  if (!r || !qtext) { rel_run_free(r); free(qtext); return; }
  size_t n = 0;
  char qid[32], doc[32];
  int rc = 0;
  for (int i = 0; i < 5000; i++) {
    snprintf(qid, sizeof qid, "q%d", i);
    n += (size_t)snprintf(qtext + n, 32, "q%d\tq%d-d%d\t1\n", i, i, i % 100);
    for (int k = 0; k < 100; k++) {
      snprintf(doc, sizeof doc, "q%d-d%d", i, k);
      rc |= rel_run_add(r, qid, doc, 100 - k);
    }
  }
  CHECK_INT("scale-add", rc, REL_OK);
  rel_qrels *q;
  CHECK_INT("scale-qrels", qrels_from(qtext, &q, err, sizeof err), REL_OK);
  rel_eval *e = NULL;
  if (q) CHECK_INT("scale-eval", rel_evaluate(q, r, &e, err, sizeof err), REL_OK);
  if (e) {
    /* rank = i % 100 + 1, each rank 1..100 taken by 50 queries:
    ** MAP = MRR = (1/1 + ... + 1/100) / 100 = H(100)/100 = 0.051873775;
    ** MRR@10 = H(10)/100 = 0.029289683; R@100 = 1; P@10 = 0.1 * 10/100. */
    double h100 = 0, h10 = 0;
    for (int k = 1; k <= 100; k++) h100 += 1.0 / k;
    for (int k = 1; k <= 10; k++) h10 += 1.0 / k;
    CHECK_INT("scale-n", e->nqueries, 5000);
    CHECK_NEAR("scale-map", e->mean.ap, h100 / 100);
    CHECK_NEAR("scale-mrr", e->mean.rr10, h10 / 100);
    CHECK_NEAR("scale-r100", e->mean.r100, 1);
    CHECK_NEAR("scale-p10", e->mean.p10, 0.01);
  }
  rel_eval_free(e);
  rel_qrels_free(q);
  rel_run_free(r);
  free(qtext);
}

int main(void) {
  test_main_case();
  test_cutoffs();
  test_qrels_forms();
  test_malformed();
  test_write();
  test_scale();
  return test_report("releval");
}
