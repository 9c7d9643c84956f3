/*
** eval.c — `cari eval`: run a set of judged queries against the index (or
** read a TREC run) and print MRR@10, nDCG@10, MAP, P@10 and Recall@100 as
** trec_eval computes them. A client of include/cari.h; the measures are in
** cli/releval.c. It does not tune anything or compare runs.
*/
#include "cari.h"
#include "commands.h"
#include "releval.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

enum { EV_OK = 0, EV_USAGE = 2, EV_FAIL = 3 };

static const char eval_help[] =
    "usage: cari eval [--db FILE] --queries FILE --qrels FILE [--run FILE]\n"
    "                 [--tag NAME] [--k N] [--ranking SPEC] [--per-query]\n"
    "                 [--thesaurus] [--synonyms FILE] [--exhaustive] [--json]\n"
    "       cari eval --run FILE --qrels FILE [--per-query] [--json]\n"
    "Measure search quality against relevance judgements. With --queries,\n"
    "search for each query, keep the first N results, and write them to\n"
    "--run FILE as a TREC run if given; without, evaluate the run in FILE.\n"
    "Prints MRR@10, nDCG@10, MAP, P@10 and Recall@100 computed as trec_eval\n"
    "computes them (ties in score: greater document id first), averaged over\n"
    "every query of the qrels with a relevant document (grade >= 1); a query\n"
    "with no results, or missing from the run, counts 0 (trec_eval -c).\n"
    "  --db FILE       database (default $CARI_DB or cari.db)\n"
    "  --queries FILE  queries, qid<TAB>text a line\n"
    "  --qrels FILE    judgements, qid<TAB>docid<TAB>grade or TREC's\n"
    "                  'qid 0 docid grade', a line\n"
    "  --run FILE      with --queries, write the run (qid Q0 docid rank score\n"
    "                  tag) there; without, the run to evaluate\n"
    "  --tag NAME      the run's tag column (default cari)\n"
    "  --k N           results kept per query (default 100)\n"
    "  --ranking SPEC  ranking settings, key=value separated by spaces\n"
    "  --thesaurus     expand queries with the thesaurus's synonyms\n"
    "                  ($CARI_THES; as 'cari search --thesaurus')\n"
    "  --synonyms FILE expand queries with a synonyms file (default\n"
    "                  $CARI_SYNONYMS)\n"
    "  --exhaustive    score every match (no pruned top-k): the same results\n"
    "  --per-query     a row per query as well: RR@10 nDCG@10 AP P@10 R@100\n"
    "  --json          one JSON object: {queries, metrics, per_query}\n"
    "Exit status: 0 done, 2 usage error, 3 failure (a file missing or\n"
    "malformed: FILE:LINE: what).\n";

static int usage(const char *msg) {
  fprintf(stderr, "cari eval: %s (see 'cari eval --help')\n", msg);
  return EV_USAGE;
}

/* ------------------------------------------------------------------ */
/* Queries file                                                        */
/* ------------------------------------------------------------------ */

typedef struct {
  char *qid;  /* the line as read (getline's buffer): the list frees it */
  char *text; /* in the same buffer, after the TAB */
  long line;
} ev_query;

typedef struct {
  ev_query *q;
  size_t n, cap;
} ev_queries;

static void queries_free(ev_queries *qs) {
  for (size_t i = 0; i < qs->n; i++) free(qs->q[i].qid);
  free(qs->q);
}

static int cmp_query(const void *a, const void *b) {
  const ev_query *x = *(const ev_query *const *)a;
  const ev_query *y = *(const ev_query *const *)b;
  int c = strcmp(x->qid, y->qid);
  return c ? c : (x->line > y->line) - (x->line < y->line);
}

/* Read `qid<TAB>text` lines. Blank lines are passed over. On failure a
** one-line message is printed and EV_FAIL returned. */
static int queries_read(const char *path, ev_queries *qs) {
  FILE *f = fopen(path, "r");
  if (!f) {
    fprintf(stderr, "cari: %s: %s\n", path, strerror(errno));
    return EV_FAIL;
  }
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  long lineno = 0;
  int rc = EV_OK;
  while ((len = getline(&line, &cap, f)) >= 0) {
    lineno++;
    int nul = (size_t)len != strlen(line);
    line[strcspn(line, "\r\n")] = 0;
    if (!nul && line[strspn(line, " \t")] == 0) continue; /* blank */
    char *tab = strchr(line, '\t');
    const char *what =
        nul ? "NUL byte in line"
        : !tab || tab == line ? "expected 'qid<TAB>query text'"
        : strcspn(line, " \v\f") < (size_t)(tab - line)
            ? "the query id holds white space"
            : NULL;
    if (what) {
      fprintf(stderr, "cari: %s:%ld: %s\n", path, lineno, what);
      rc = EV_FAIL;
      break;
    }
    if (qs->n == qs->cap) {
      size_t ncap = qs->cap ? qs->cap * 2 : 256;
      ev_query *q = realloc(qs->q, ncap * sizeof *q);
      if (!q) { rc = EV_FAIL; fprintf(stderr, "cari: out of memory\n"); break; }
      qs->q = q;
      qs->cap = ncap;
    }
    *tab = 0;
    qs->q[qs->n++] = (ev_query){line, tab + 1, lineno};
    line = NULL; /* the list owns it now */
    cap = 0;
  }
  if (rc == EV_OK && ferror(f)) {
    fprintf(stderr, "cari: %s: %s\n", path, strerror(errno));
    rc = EV_FAIL;
  }
  free(line);
  fclose(f);
  if (rc || qs->n < 2) return rc;
  /* A query id given twice would merge two result lists: refuse it. */
  ev_query **by = malloc(qs->n * sizeof *by);
  if (!by) { fprintf(stderr, "cari: out of memory\n"); return EV_FAIL; }
  for (size_t i = 0; i < qs->n; i++) by[i] = &qs->q[i];
  qsort(by, qs->n, sizeof *by, cmp_query);
  for (size_t i = 1; i < qs->n && rc == EV_OK; i++) {
    if (strcmp(by[i - 1]->qid, by[i]->qid)) continue;
    fprintf(stderr, "cari: %s:%ld: query %s appears twice (first at line "
            "%ld)\n", path, by[i]->line, by[i]->qid, by[i - 1]->line);
    rc = EV_FAIL;
  }
  free(by);
  return rc;
}

/* ------------------------------------------------------------------ */
/* Searching: the queries to a run                                      */
/* ------------------------------------------------------------------ */

/* Search one query into `run`; a query with nothing to search for
** (CARI_QUERY) is recorded with no result and counted in *empty. On
** failure the message for stderr is left in msg. */
static int search_one(cari_db *db, const ev_query *q,
                      const cari_search_opts *so, rel_run *run, size_t *empty,
                      char *msg, size_t cap) {
  cari_cursor *cur;
  int rc = cari_search(db, q->text, -1, so, &cur);
  if (rc == CARI_QUERY) {
    (*empty)++;
    rc = rel_run_add(run, q->qid, NULL, 0);
    if (rc) snprintf(msg, cap, "cari: out of memory");
    return rc ? EV_FAIL : EV_OK;
  }
  if (rc == CARI_INVALID && so->ranking) {
    snprintf(msg, cap, "cari eval: --ranking: %s", cari_errmsg(db));
    return EV_USAGE;
  }
  if (rc) {
    snprintf(msg, cap, "cari: query %s: %s", q->qid, cari_errmsg(db));
    return EV_FAIL;
  }
  int status = EV_OK;
  if (rel_run_add(run, q->qid, NULL, 0)) { /* in the run even if empty */
    snprintf(msg, cap, "cari: out of memory");
    status = EV_FAIL;
  }
  while (status == EV_OK && (rc = cari_next(cur)) == CARI_ROW) {
    const char *id = cari_result_id(cur);
    double score = cari_result_score(cur);
    rc = rel_run_add(run, q->qid, id, score);
    if (rc == REL_NOMEM) {
      snprintf(msg, cap, "cari: out of memory");
      status = EV_FAIL;
    } else if (rc) {
      snprintf(msg, cap, "cari: query %s: result %s has score %g", q->qid,
               id, score);
      status = EV_FAIL;
    }
  }
  if (status == EV_OK && rc != CARI_DONE) {
    snprintf(msg, cap, "cari: query %s: %s", q->qid, cari_errmsg(db));
    status = EV_FAIL;
  }
  cari_cursor_free(cur);
  return status;
}

/* Search every query, keeping k results each, into `run`; progress on a
** terminal. */
static int search_all(cari_db *db, const ev_queries *qs, int k,
                      const char *ranking, int flags, rel_run *run,
                      size_t *empty) {
  /* No time limit: a batch evaluation scores every query in full. */
  cari_search_opts so = {.size = sizeof(cari_search_opts),
                         .limit = k, .flags = CARI_SEARCH_NO_SNIPPET | flags,
                         .ranking = ranking, .max_ms = -1};
  int progress = isatty(2), status = EV_OK;
  char msg[1200];
  for (size_t i = 0; i < qs->n && status == EV_OK; i++) {
    if (progress && i % 64 == 0) {
      fprintf(stderr, "\r\033[K%zu of %zu queries", i, qs->n);
      fflush(stderr);
    }
    status = search_one(db, &qs->q[i], &so, run, empty, msg, sizeof msg);
  }
  if (progress) fputs("\r\033[K", stderr);
  if (status) fprintf(stderr, "%s\n", msg);
  return status;
}

static int write_run(rel_run *run, const char *path, const char *tag) {
  char err[512];
  FILE *f = fopen(path, "w");
  if (!f) {
    fprintf(stderr, "cari: %s: %s\n", path, strerror(errno));
    return EV_FAIL;
  }
  int rc = rel_run_write(run, f, tag, err, sizeof err);
  if (fclose(f) != 0 && rc == REL_OK) {
    snprintf(err, sizeof err, "%s", strerror(errno));
    rc = REL_IO;
  }
  if (rc) {
    fprintf(stderr, "cari: %s: %s\n", path, err);
    return EV_FAIL;
  }
  return EV_OK;
}

/* ------------------------------------------------------------------ */
/* Output                                                              */
/* ------------------------------------------------------------------ */

static void print_text(const rel_eval *e, int per_query) {
  if (per_query) {
    int w = 3;
    for (size_t i = 0; i < e->nqueries; i++) {
      size_t n = strlen(e->per_query[i].qid);
      if (n > (size_t)w) w = n > 200 ? 200 : (int)n;
    }
    printf("%-*s  %7s  %7s  %7s  %7s  %7s\n", w, "qid", "RR@10", "nDCG@10",
           "AP", "P@10", "R@100");
    for (size_t i = 0; i < e->nqueries; i++) {
      const rel_query_eval *r = &e->per_query[i];
      printf("%-*s  %7.4f  %7.4f  %7.4f  %7.4f  %7.4f\n", w, r->qid,
             r->m.rr10, r->m.ndcg10, r->m.ap, r->m.p10, r->m.r100);
    }
    putchar('\n');
  }
  printf("%-8s %7zu\n", "queries", e->nqueries);
  printf("%-8s %7.4f\n", "MRR@10", e->mean.rr10);
  printf("%-8s %7.4f\n", "nDCG@10", e->mean.ndcg10);
  printf("%-8s %7.4f\n", "MAP", e->mean.ap);
  printf("%-8s %7.4f\n", "P@10", e->mean.p10);
  printf("%-8s %7.4f\n", "R@100", e->mean.r100);
}

static int print_json(const rel_eval *e, int per_query) {
  json_t *o = json_pack(
      "{s:I, s:{s:f, s:f, s:f, s:f, s:f}}", "queries", (json_int_t)e->nqueries,
      "metrics", "mrr@10", e->mean.rr10, "ndcg@10", e->mean.ndcg10, "map",
      e->mean.ap, "p@10", e->mean.p10, "recall@100", e->mean.r100);
  json_t *rows = per_query ? json_array() : NULL;
  if (!o || (per_query && !rows)) goto nomem;
  for (size_t i = 0; per_query && i < e->nqueries; i++) {
    const rel_query_eval *r = &e->per_query[i];
    json_t *row = json_pack(
        "{s:s, s:f, s:f, s:f, s:f, s:f, s:I, s:I}", "qid", r->qid, "rr@10",
        r->m.rr10, "ndcg@10", r->m.ndcg10, "ap", r->m.ap, "p@10", r->m.p10,
        "recall@100", r->m.r100, "relevant", (json_int_t)r->relevant,
        "retrieved", (json_int_t)r->retrieved);
    if (!row || json_array_append_new(rows, row)) goto nomem;
  }
  if (rows && json_object_set_new(o, "per_query", rows)) {
    rows = NULL;
    goto nomem;
  }
  rows = NULL;
  int rc = json_dumpf(o, stdout, JSON_COMPACT);
  putchar('\n');
  json_decref(o);
  return rc ? EV_FAIL : EV_OK;
nomem:
  json_decref(rows);
  json_decref(o);
  fprintf(stderr, "cari: out of memory\n");
  return EV_FAIL;
}

/* ------------------------------------------------------------------ */

static int parse_k(const char *s, int *k) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || end == s || *end || v < 1 || v > 1000000) return -1;
  *k = (int)v;
  return 0;
}

int cari_cmd_eval(int argc, char **argv) {
  static const struct option opts[] = {
      {"db", required_argument, 0, 'd'},      {"queries", required_argument, 0, 'Q'},
      {"qrels", required_argument, 0, 'q'},   {"run", required_argument, 0, 'r'},
      {"tag", required_argument, 0, 't'},     {"k", required_argument, 0, 'k'},
      {"ranking", required_argument, 0, 'R'}, {"per-query", no_argument, 0, 'p'},
      {"json", no_argument, 0, 'j'},          {"help", no_argument, 0, 'h'},
      {"thesaurus", no_argument, 0, 'H'},     {"synonyms", required_argument, 0, 'Y'},
      {"exhaustive", no_argument, 0, 'E'},    {0, 0, 0, 0}};
  const char *dbpath = NULL, *queries = NULL, *qrels_path = NULL;
  const char *run_path = NULL, *tag = NULL, *ranking = NULL;
  const char *synonyms = getenv("CARI_SYNONYMS");
  int k = 100, k_given = 0, per_query = 0, json = 0, c, flags = 0;
  while ((c = getopt_long(argc, argv, "d:Q:q:r:t:k:R:pjh", opts, NULL)) != -1) {
    switch (c) {
    case 'd': dbpath = optarg; break;
    case 'Q': queries = optarg; break;
    case 'q': qrels_path = optarg; break;
    case 'r': run_path = optarg; break;
    case 't': tag = optarg; break;
    case 'k':
      if (parse_k(optarg, &k)) {
        char msg[160];
        snprintf(msg, sizeof msg, "--k wants a whole number from 1 to "
                 "1000000, not '%s'", optarg);
        return usage(msg);
      }
      k_given = 1;
      break;
    case 'R': ranking = optarg; break;
    case 'p': per_query = 1; break;
    case 'H': flags |= CARI_SEARCH_THESAURUS; break;
    case 'Y': synonyms = optarg; break;
    case 'E': flags |= CARI_SEARCH_EXHAUSTIVE; break;
    case 'j': json = 1; break;
    case 'h': fputs(eval_help, stdout); return EV_OK;
    default: return usage("unknown option");
    }
  }
  if (optind < argc) return usage("unexpected argument");
  if (!qrels_path) return usage("no --qrels given");
  if (!queries && !run_path)
    return usage("give --queries (to search) or --run (a run to evaluate)");
  if (!queries && (dbpath || k_given || ranking || tag))
    return usage("--db, --k, --ranking and --tag need --queries");
  if (tag && (!tag[0] || tag[strcspn(tag, " \t\r\n\v\f")]))
    return usage("--tag wants a name without white space");
  if (!dbpath) {
    const char *env = getenv("CARI_DB");
    dbpath = env && env[0] ? env : "cari.db";
  }

  char err[1024];
  rel_qrels *qrels = NULL;
  rel_run *run = NULL;
  rel_eval *e = NULL;
  ev_queries qs = {NULL, 0, 0};
  cari_db *db = NULL;
  size_t empty = 0;
  int status = EV_FAIL;
  if (rel_qrels_load(qrels_path, &qrels, err, sizeof err)) {
    fprintf(stderr, "cari: %s\n", err);
    goto done;
  }
  if (queries) {
    if (queries_read(queries, &qs)) goto done;
    struct stat st;
    if (stat(dbpath, &st) != 0) {
      fprintf(stderr, "cari: no database at '%s' (create one with 'cari "
              "index')\n", dbpath);
      goto done;
    }
    cari_open_opts o = cli_open_opts(NULL, CARI_OPEN_READONLY);
    o.synonyms = synonyms && synonyms[0] ? synonyms : NULL;
    if (cari_open_ex(dbpath, &o, &db)) {
      fprintf(stderr, "cari: %s\n", cari_errmsg(db));
      goto done;
    }
    if (!(run = rel_run_new())) {
      fprintf(stderr, "cari: out of memory\n");
      goto done;
    }
    int rc = search_all(db, &qs, k, ranking, flags, run, &empty);
    if (rc) { status = rc; goto done; }
    if (run_path && write_run(run, run_path, tag ? tag : "cari")) goto done;
  } else if (rel_run_load(run_path, &run, err, sizeof err)) {
    fprintf(stderr, "cari: %s\n", err);
    goto done;
  }
  if (rel_evaluate(qrels, run, &e, err, sizeof err)) {
    fprintf(stderr, "cari: %s\n", err);
    goto done;
  }
  const char *from = queries ? "the queries file" : "the run";
  if (empty)
    fprintf(stderr, "cari: queries with nothing to search for (counted as "
            "empty results): %zu of %zu\n", empty, qs.n);
  if (e->missing)
    fprintf(stderr, "cari: judged queries missing from %s (each counts 0): "
            "%zu\n", from, e->missing);
  if (e->no_rel)
    fprintf(stderr, "cari: queries of the qrels without a relevant document "
            "(left out): %zu\n", e->no_rel);
  if (e->unjudged)
    fprintf(stderr, "cari: queries of %s without judgements (ignored): %zu\n",
            from, e->unjudged);
  if (json) {
    status = print_json(e, per_query);
  } else {
    print_text(e, per_query);
    status = EV_OK;
  }
  if (fflush(stdout) != 0) status = EV_FAIL;
done:
  rel_eval_free(e);
  rel_run_free(run);
  rel_qrels_free(qrels);
  queries_free(&qs);
  cari_close(db);
  return status;
}
