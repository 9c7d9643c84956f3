/*
** budget.c — the time budget of one search call: a SQLite progress handler
** that interrupts the running statement once a deadline has passed. It does
** not choose the budget (lib/cari.c does, from cari_search_opts.max_ms) and
** does not stop C loops between statements: those are bounded by the
** query's bounds (parse.c's essay, prefix.c's cap).
*/
#include "query.h"

#include <sqlite3.h>
#include <time.h>

/* SQLite calls the handler every this many virtual machine steps: often
** enough to stop within a millisecond or so, rarely enough to cost nothing
** measurable (one clock read per call). */
#define BUDGET_STEPS 1000

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int on_progress(void *ctx) {
  qry_budget *b = ctx;
  if (now() < b->deadline) return 0;
  b->expired = 1;
  return 1; /* SQLite stops the statement with SQLITE_INTERRUPT */
}

void qry_budget_begin(qry_budget *b, sqlite3 *db, int ms) {
  b->db = ms < 0 ? NULL : db;
  b->expired = 0;
  b->deadline = now() + (ms > 0 ? ms : 0) * 1e-3;
  if (b->db) sqlite3_progress_handler(db, BUDGET_STEPS, on_progress, b);
}

int qry_budget_end(qry_budget *b) {
  if (b->db) sqlite3_progress_handler(b->db, 0, NULL, NULL);
  b->db = NULL;
  return b->expired;
}
