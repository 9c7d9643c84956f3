/*
** releval.c — TREC qrels and runs, and the measures of releval.h computed
** as trec_eval computes them. Strings live in a per-object arena; queries
** are found through an open-addressing hash on the query id, and a query's
** judgements are kept sorted by document id for binary search: 5,369
** queries x 100 documents evaluate in about 15 ms (reading such a run from
** a file takes about 0.4 s, in strtod and getline). It does not search,
** print or exit.
*/
#include "releval.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define REL_PRINTF(f, a) __attribute__((format(printf, f, a)))

static const char rel_space[] = " \t\r\n\v\f";

REL_PRINTF(3, 4)
static void rel_err(char *buf, size_t cap, const char *fmt, ...) {
  if (!buf || cap == 0) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, cap, fmt, ap);
  va_end(ap);
}

/* ------------------------------------------------------------------ */
/* String arena: copies live until the owning object is freed.         */
/* ------------------------------------------------------------------ */

typedef struct rel_chunk {
  struct rel_chunk *next;
  size_t used, cap;
  char data[];
} rel_chunk;

typedef struct rel_arena {
  rel_chunk *head;
} rel_arena;

#define REL_CHUNK 65536

static char *arena_strdup(rel_arena *a, const char *s) {
  size_t n = strlen(s) + 1;
  rel_chunk *c = a->head;
  if (!c || c->cap - c->used < n) {
    size_t cap = n > REL_CHUNK ? n : REL_CHUNK;
    c = malloc(sizeof *c + cap);
    if (!c) return NULL;
    c->next = a->head;
    c->used = 0;
    c->cap = cap;
    a->head = c;
  }
  char *p = c->data + c->used;
  memcpy(p, s, n);
  c->used += n;
  return p;
}

static void arena_free(rel_arena *a) {
  rel_chunk *c = a->head;
  while (c) {
    rel_chunk *next = c->next;
    free(c);
    c = next;
  }
  a->head = NULL;
}

/* ------------------------------------------------------------------ */
/* Table: query id -> that query's documents, in order of first sight.  */
/* ------------------------------------------------------------------ */

typedef struct rel_doc {
  const char *id; /* in the table's arena */
  double val;     /* grade (qrels) or score (run) */
  long line;      /* input line, 0 when added in memory */
} rel_doc;

typedef struct rel_topic {
  const char *qid; /* in the table's arena */
  rel_doc *docs;
  size_t n, cap;
  long nrel;       /* qrels: documents with grade >= 1 */
  double idcg10;   /* qrels: DCG@10 of the grades sorted high to low */
  int sorted;      /* run: docs are in trec_eval's order */
} rel_topic;

typedef struct rel_table {
  rel_topic *t;
  size_t n, cap;
  size_t *slot; /* open addressing: topic index + 1, 0 for empty */
  size_t nslot; /* a power of two, at least twice n */
  size_t ndocs;
  size_t last;  /* the topic used last: consecutive adds skip the hash */
  const char *name; /* input file, for messages; NULL in memory */
  rel_arena arena;
} rel_table;

struct rel_qrels {
  rel_table tab;
};

struct rel_run {
  rel_table tab;
  int dirty; /* documents added since the last rel_run_sort() */
};

static uint64_t hash_str(const char *s) {
  uint64_t h = 14695981039346656037u; /* FNV-1a */
  for (; *s; s++) {
    h ^= (unsigned char)*s;
    h *= 1099511628211u;
  }
  return h;
}

/* The topic index of qid, or -1. */
static long table_find(const rel_table *tb, const char *qid) {
  if (tb->nslot == 0) return -1;
  size_t mask = tb->nslot - 1, i = (size_t)hash_str(qid) & mask;
  for (; tb->slot[i]; i = (i + 1) & mask)
    if (strcmp(tb->t[tb->slot[i] - 1].qid, qid) == 0)
      return (long)(tb->slot[i] - 1);
  return -1;
}

static int table_rehash(rel_table *tb, size_t nslot) {
  size_t *slot = calloc(nslot, sizeof *slot);
  if (!slot) return REL_NOMEM;
  for (size_t k = 0; k < tb->n; k++) {
    size_t i = (size_t)hash_str(tb->t[k].qid) & (nslot - 1);
    while (slot[i]) i = (i + 1) & (nslot - 1);
    slot[i] = k + 1;
  }
  free(tb->slot);
  tb->slot = slot;
  tb->nslot = nslot;
  return REL_OK;
}

/* Find or create the topic for qid; its index in *idx. */
static int table_topic(rel_table *tb, const char *qid, size_t *idx) {
  if (tb->last < tb->n && strcmp(tb->t[tb->last].qid, qid) == 0) {
    *idx = tb->last;
    return REL_OK;
  }
  long k = table_find(tb, qid);
  if (k >= 0) {
    *idx = tb->last = (size_t)k;
    return REL_OK;
  }
  if ((tb->n + 1) * 2 > tb->nslot &&
      table_rehash(tb, tb->nslot ? tb->nslot * 2 : 64))
    return REL_NOMEM;
  if (tb->n == tb->cap) {
    size_t cap = tb->cap ? tb->cap * 2 : 64;
    rel_topic *t = realloc(tb->t, cap * sizeof *t);
    if (!t) return REL_NOMEM;
    tb->t = t;
    tb->cap = cap;
  }
  const char *copy = arena_strdup(&tb->arena, qid);
  if (!copy) return REL_NOMEM;
  tb->t[tb->n] = (rel_topic){.qid = copy};
  size_t i = (size_t)hash_str(qid) & (tb->nslot - 1);
  while (tb->slot[i]) i = (i + 1) & (tb->nslot - 1);
  tb->slot[i] = tb->n + 1;
  *idx = tb->last = tb->n++;
  return REL_OK;
}

static int table_add(rel_table *tb, const char *qid, const char *docid,
                     double val, long line) {
  size_t k;
  int rc = table_topic(tb, qid, &k);
  if (rc || !docid) return rc;
  rel_topic *t = &tb->t[k];
  if (t->n == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 8;
    rel_doc *d = realloc(t->docs, cap * sizeof *d);
    if (!d) return REL_NOMEM;
    t->docs = d;
    t->cap = cap;
  }
  const char *copy = arena_strdup(&tb->arena, docid);
  if (!copy) return REL_NOMEM;
  t->docs[t->n++] = (rel_doc){copy, val, line};
  tb->ndocs++;
  return REL_OK;
}

static void table_free(rel_table *tb) {
  for (size_t k = 0; k < tb->n; k++) free(tb->t[k].docs);
  free(tb->t);
  free(tb->slot);
  arena_free(&tb->arena);
}

static int set_name(rel_table *tb, const char *name) {
  tb->name = arena_strdup(&tb->arena, name ? name : "-");
  return tb->name ? REL_OK : REL_NOMEM;
}

/* ------------------------------------------------------------------ */
/* Line input                                                          */
/* ------------------------------------------------------------------ */

/* Split `line` in place on white space into at most `max` fields; returns
** the number of fields found, or max + 1 when there are more. */
static int split(char *line, char **field, int max) {
  int n = 0;
  char *save = NULL;
  for (char *tok = strtok_r(line, rel_space, &save); tok;
       tok = strtok_r(NULL, rel_space, &save)) {
    if (n == max) return max + 1;
    field[n++] = tok;
  }
  return n;
}

typedef int (*line_fn)(void *ctx, char *line, long lineno, char *errbuf,
                       size_t errcap);

/* Call fn on each line of f (without its end of line). */
static int each_line(FILE *f, const char *name, line_fn fn, void *ctx,
                     char *errbuf, size_t errcap) {
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  long lineno = 0;
  int rc = REL_OK;
  errno = 0;
  while ((len = getline(&line, &cap, f)) >= 0) {
    lineno++;
    if (strlen(line) != (size_t)len) {
      rel_err(errbuf, errcap, "%s:%ld: NUL byte in line", name, lineno);
      rc = REL_FORMAT;
      break;
    }
    if ((rc = fn(ctx, line, lineno, errbuf, errcap)) != REL_OK) break;
  }
  if (rc == REL_OK && ferror(f)) {
    rel_err(errbuf, errcap, "%s: %s", name,
            errno ? strerror(errno) : "read error");
    rc = errno == ENOMEM ? REL_NOMEM : REL_IO;
  }
  free(line);
  return rc;
}

static int nomem(char *errbuf, size_t errcap) {
  rel_err(errbuf, errcap, "out of memory");
  return REL_NOMEM;
}

static FILE *open_in(const char *path, char *errbuf, size_t errcap) {
  FILE *f = fopen(path, "r");
  if (!f) rel_err(errbuf, errcap, "%s: %s", path, strerror(errno));
  return f;
}

/* ------------------------------------------------------------------ */
/* Qrels                                                               */
/* ------------------------------------------------------------------ */

static int qrels_line(void *ctx, char *line, long lineno, char *errbuf,
                      size_t errcap) {
  rel_table *tb = ctx;
  char *f[4];
  line[strcspn(line, "\r\n")] = 0;
  const char *p = line + strspn(line, rel_space);
  if (*p == 0 || *p == '#') return REL_OK;
  int nf = split(line, f, 4);
  if (nf != 3 && nf != 4) {
    rel_err(errbuf, errcap,
            "%s:%ld: expected 'qid docid grade' or 'qid iter docid grade', "
            "found %s%d fields", tb->name, lineno, nf > 4 ? "more than " : "",
            nf > 4 ? 4 : nf);
    return REL_FORMAT;
  }
  const char *docid = f[nf - 2], *grade = f[nf - 1];
  char *end;
  errno = 0;
  long g = strtol(grade, &end, 10);
  if (errno || *end || end == grade || g < -1000000 || g > 1000000) {
    rel_err(errbuf, errcap, "%s:%ld: grade '%s' is not a whole number",
            tb->name, lineno, grade);
    return REL_FORMAT;
  }
  if (table_add(tb, f[0], docid, (double)g, lineno)) return nomem(errbuf, errcap);
  return REL_OK;
}

static int cmp_doc_id(const void *a, const void *b) {
  return strcmp(((const rel_doc *)a)->id, ((const rel_doc *)b)->id);
}

static int cmp_double_desc(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? 1 : x > y ? -1 : 0;
}

/* Sort each query's judgements by docid, refuse duplicates, and count the
** relevant documents and the ideal DCG@10. */
static int qrels_finish(rel_table *tb, char *errbuf, size_t errcap) {
  double *gains = NULL;
  size_t ngcap = 0;
  for (size_t k = 0; k < tb->n; k++) {
    rel_topic *t = &tb->t[k];
    qsort(t->docs, t->n, sizeof *t->docs, cmp_doc_id);
    for (size_t i = 1; i < t->n; i++) {
      if (strcmp(t->docs[i - 1].id, t->docs[i].id) == 0) {
        const rel_doc *a = &t->docs[i - 1], *b = &t->docs[i];
        if (a->line > b->line) { const rel_doc *x = a; a = b; b = x; }
        rel_err(errbuf, errcap,
                "%s:%ld: document %s judged twice for query %s (first at "
                "line %ld)", tb->name, b->line, b->id, t->qid, a->line);
        free(gains);
        return REL_FORMAT;
      }
    }
    if (t->n > ngcap) {
      double *g = realloc(gains, t->n * sizeof *g);
      if (!g) { free(gains); return nomem(errbuf, errcap); }
      gains = g;
      ngcap = t->n;
    }
    size_t ng = 0;
    for (size_t i = 0; i < t->n; i++)
      if (t->docs[i].val > 0) gains[ng++] = t->docs[i].val;
    t->nrel = (long)ng;
    qsort(gains, ng, sizeof *gains, cmp_double_desc);
    t->idcg10 = 0;
    for (size_t i = 0; i < ng && i < 10; i++)
      t->idcg10 += gains[i] / log2((double)(i + 2));
  }
  free(gains);
  return REL_OK;
}

int rel_qrels_read(FILE *f, const char *name, rel_qrels **out, char *errbuf,
                   size_t errcap) {
  *out = NULL;
  rel_qrels *q = calloc(1, sizeof *q);
  if (!q || set_name(&q->tab, name)) {
    rel_qrels_free(q);
    return nomem(errbuf, errcap);
  }
  int rc = each_line(f, q->tab.name, qrels_line, &q->tab, errbuf, errcap);
  if (rc == REL_OK) rc = qrels_finish(&q->tab, errbuf, errcap);
  if (rc) {
    rel_qrels_free(q);
    return rc;
  }
  *out = q;
  return REL_OK;
}

int rel_qrels_load(const char *path, rel_qrels **out, char *errbuf,
                   size_t errcap) {
  *out = NULL;
  FILE *f = open_in(path, errbuf, errcap);
  if (!f) return REL_IO;
  int rc = rel_qrels_read(f, path, out, errbuf, errcap);
  fclose(f);
  return rc;
}

size_t rel_qrels_count(const rel_qrels *q) { return q->tab.n; }

int rel_qrels_has(const rel_qrels *q, const char *qid) {
  return table_find(&q->tab, qid) >= 0;
}

void rel_qrels_free(rel_qrels *q) {
  if (!q) return;
  table_free(&q->tab);
  free(q);
}

/* ------------------------------------------------------------------ */
/* Runs                                                                */
/* ------------------------------------------------------------------ */

rel_run *rel_run_new(void) { return calloc(1, sizeof(rel_run)); }

int rel_run_add(rel_run *r, const char *qid, const char *docid, double score) {
  if (!qid[0] || (docid && !docid[0]) || (docid && !isfinite(score)))
    return REL_FORMAT;
  int rc = table_add(&r->tab, qid, docid, score, 0);
  if (rc == REL_OK && docid) {
    r->tab.t[r->tab.last].sorted = 0;
    r->dirty = 1;
  }
  return rc;
}

static int run_line(void *ctx, char *line, long lineno, char *errbuf,
                    size_t errcap) {
  rel_run *r = ctx;
  char *f[6];
  line[strcspn(line, "\r\n")] = 0;
  if (line[strspn(line, rel_space)] == 0) return REL_OK;
  int nf = split(line, f, 6);
  if (nf != 6) {
    rel_err(errbuf, errcap,
            "%s:%ld: expected 'qid Q0 docid rank score tag', found %s%d "
            "fields", r->tab.name, lineno, nf > 6 ? "more than " : "",
            nf > 6 ? 6 : nf);
    return REL_FORMAT;
  }
  char *end;
  errno = 0;
  double s = strtod(f[4], &end);
  if (*end || end == f[4] || !isfinite(s)) {
    rel_err(errbuf, errcap, "%s:%ld: score '%s' is not a finite number",
            r->tab.name, lineno, f[4]);
    return REL_FORMAT;
  }
  if (table_add(&r->tab, f[0], f[2], s, lineno)) return nomem(errbuf, errcap);
  r->tab.t[r->tab.last].sorted = 0;
  r->dirty = 1;
  return REL_OK;
}

/* trec_eval's order (form_res_rels.c, comp_sim_docno): score descending,
** then docid descending. */
static int cmp_run(const void *a, const void *b) {
  const rel_doc *x = a, *y = b;
  if (x->val > y->val) return -1;
  if (x->val < y->val) return 1;
  return strcmp(y->id, x->id);
}

/* REL_FORMAT, naming it, if a document appears twice in topic t. Equal
** ids sort together under cmp_run() only when their scores are equal too,
** so look on a copy sorted by id. */
static int run_check_unique(const rel_run *r, const rel_topic *t,
                            char *errbuf, size_t errcap) {
  rel_doc *byid = malloc(t->n * sizeof *byid);
  if (!byid) return nomem(errbuf, errcap);
  memcpy(byid, t->docs, t->n * sizeof *byid);
  qsort(byid, t->n, sizeof *byid, cmp_doc_id);
  int rc = REL_OK;
  for (size_t i = 1; i < t->n && rc == REL_OK; i++) {
    if (strcmp(byid[i - 1].id, byid[i].id)) continue;
    const rel_doc *a = &byid[i - 1], *b = &byid[i];
    if (a->line > b->line) { const rel_doc *x = a; a = b; b = x; }
    if (b->line)
      rel_err(errbuf, errcap,
              "%s:%ld: document %s retrieved twice for query %s (first at "
              "line %ld)", r->tab.name, b->line, b->id, t->qid, a->line);
    else
      rel_err(errbuf, errcap, "document %s retrieved twice for query %s",
              b->id, t->qid);
    rc = REL_FORMAT;
  }
  free(byid);
  return rc;
}

int rel_run_sort(rel_run *r, char *errbuf, size_t errcap) {
  if (!r->dirty) return REL_OK;
  for (size_t k = 0; k < r->tab.n; k++) {
    rel_topic *t = &r->tab.t[k];
    if (t->sorted) continue;
    if (t->n > 1) {
      qsort(t->docs, t->n, sizeof *t->docs, cmp_run);
      int rc = run_check_unique(r, t, errbuf, errcap);
      if (rc) return rc;
    }
    t->sorted = 1;
  }
  r->dirty = 0;
  return REL_OK;
}

int rel_run_read(FILE *f, const char *name, rel_run **out, char *errbuf,
                 size_t errcap) {
  *out = NULL;
  rel_run *r = rel_run_new();
  if (!r || set_name(&r->tab, name)) {
    rel_run_free(r);
    return nomem(errbuf, errcap);
  }
  int rc = each_line(f, r->tab.name, run_line, r, errbuf, errcap);
  if (rc == REL_OK) rc = rel_run_sort(r, errbuf, errcap);
  if (rc) {
    rel_run_free(r);
    return rc;
  }
  *out = r;
  return REL_OK;
}

int rel_run_load(const char *path, rel_run **out, char *errbuf,
                 size_t errcap) {
  *out = NULL;
  FILE *f = open_in(path, errbuf, errcap);
  if (!f) return REL_IO;
  int rc = rel_run_read(f, path, out, errbuf, errcap);
  fclose(f);
  return rc;
}

size_t rel_run_count(const rel_run *r) { return r->tab.n; }
size_t rel_run_docs(const rel_run *r) { return r->tab.ndocs; }

/* The shortest %g form of x that reads back as x. */
static void fmt_score(char *buf, size_t cap, double x) {
  for (int prec = 1; prec <= 17; prec++) {
    snprintf(buf, cap, "%.*g", prec, x);
    if (strtod(buf, NULL) == x) return;
  }
}

int rel_run_write(rel_run *r, FILE *f, const char *tag, char *errbuf,
                  size_t errcap) {
  if (!tag[0] || tag[strcspn(tag, rel_space)]) {
    rel_err(errbuf, errcap, "run tag '%s' is empty or holds white space", tag);
    return REL_FORMAT;
  }
  int rc = rel_run_sort(r, errbuf, errcap);
  if (rc) return rc;
  for (size_t k = 0; k < r->tab.n; k++) {
    const rel_topic *t = &r->tab.t[k];
    if (t->qid[strcspn(t->qid, rel_space)]) {
      rel_err(errbuf, errcap, "query id '%s' holds white space: a TREC run "
              "cannot carry it", t->qid);
      return REL_FORMAT;
    }
    for (size_t i = 0; i < t->n; i++) {
      const char *id = t->docs[i].id;
      if (id[strcspn(id, rel_space)]) {
        rel_err(errbuf, errcap, "document id '%s' holds white space: a TREC "
                "run cannot carry it", id);
        return REL_FORMAT;
      }
      char score[40];
      fmt_score(score, sizeof score, t->docs[i].val);
      if (fprintf(f, "%s Q0 %s %zu %s %s\n", t->qid, id, i + 1, score, tag) < 0)
        goto write_error;
    }
  }
  if (fflush(f) == 0 && !ferror(f)) return REL_OK;
write_error:
  rel_err(errbuf, errcap, "writing the run: %s", strerror(errno));
  return REL_IO;
}

void rel_run_free(rel_run *r) {
  if (!r) return;
  table_free(&r->tab);
  free(r);
}

/* ------------------------------------------------------------------ */
/* Evaluation                                                          */
/* ------------------------------------------------------------------ */

/* The grade of docid in judged topic t, 0 when not judged. */
static double grade_of(const rel_topic *t, const char *docid) {
  size_t lo = 0, hi = t->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(t->docs[mid].id, docid);
    if (c == 0) return t->docs[mid].val;
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return 0;
}

/* The measures of one query: judged topic j, retrieved topic d (sorted). */
static rel_metrics measure(const rel_topic *j, const rel_topic *d) {
  rel_metrics m = {0, 0, 0, 0, 0};
  long rel_so_far = 0, rel10 = 0, rel100 = 0;
  double ap_sum = 0, dcg = 0;
  for (size_t i = 0; i < d->n; i++) {
    double g = grade_of(j, d->docs[i].id);
    if (g < 1) continue; /* not relevant (relevance level 1) */
    rel_so_far++;
    ap_sum += (double)rel_so_far / (double)(i + 1);
    if (i < 10) {
      if (rel10++ == 0) m.rr10 = 1.0 / (double)(i + 1);
      dcg += g / log2((double)(i + 2));
    }
    if (i < 100) rel100++;
  }
  m.ap = ap_sum / (double)j->nrel;
  m.p10 = (double)rel10 / 10.0;
  m.r100 = (double)rel100 / (double)j->nrel;
  m.ndcg10 = j->idcg10 > 0 ? dcg / j->idcg10 : 0;
  return m;
}

int rel_evaluate(const rel_qrels *qrels, rel_run *run, rel_eval **out,
                 char *errbuf, size_t errcap) {
  *out = NULL;
  int rc = rel_run_sort(run, errbuf, errcap);
  if (rc) return rc;
  const rel_table *qt = &qrels->tab;
  /* One block: the rows, then their query ids. */
  size_t nrow = 0, nbytes = 0;
  for (size_t k = 0; k < qt->n; k++) {
    if (qt->t[k].nrel == 0) continue;
    nrow++;
    nbytes += strlen(qt->t[k].qid) + 1;
  }
  rel_eval *e = calloc(1, sizeof *e);
  char *block = malloc(nrow * sizeof(rel_query_eval) + nbytes + 1);
  if (!e || !block) {
    free(e);
    free(block);
    return nomem(errbuf, errcap);
  }
  e->per_query = (rel_query_eval *)(void *)block;
  char *str = block + nrow * sizeof(rel_query_eval);
  rel_metrics sum = {0, 0, 0, 0, 0};
  for (size_t k = 0; k < qt->n; k++) {
    const rel_topic *j = &qt->t[k];
    if (j->nrel == 0) {
      e->no_rel++;
      continue;
    }
    rel_query_eval *row = &e->per_query[e->nqueries++];
    size_t len = strlen(j->qid) + 1;
    memcpy(str, j->qid, len);
    *row = (rel_query_eval){.qid = str, .relevant = j->nrel};
    str += len;
    long d = table_find(&run->tab, j->qid);
    if (d < 0) {
      e->missing++;
      continue;
    }
    row->in_run = 1;
    row->retrieved = (long)run->tab.t[d].n;
    row->m = measure(j, &run->tab.t[d]);
    sum.rr10 += row->m.rr10;
    sum.ndcg10 += row->m.ndcg10;
    sum.ap += row->m.ap;
    sum.p10 += row->m.p10;
    sum.r100 += row->m.r100;
  }
  for (size_t k = 0; k < run->tab.n; k++)
    if (table_find(qt, run->tab.t[k].qid) < 0) e->unjudged++;
  if (e->nqueries == 0) {
    rel_err(errbuf, errcap, "%s: no query has a relevant document",
            qt->name ? qt->name : "qrels");
    rel_eval_free(e);
    return REL_EMPTY;
  }
  double n = (double)e->nqueries;
  e->mean = (rel_metrics){sum.rr10 / n, sum.ndcg10 / n, sum.ap / n,
                          sum.p10 / n, sum.r100 / n};
  *out = e;
  return REL_OK;
}

void rel_eval_free(rel_eval *e) {
  if (!e) return;
  free(e->per_query);
  free(e);
}
