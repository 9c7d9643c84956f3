/*
** sqlerr.c — the one translation of SQLite result codes into cari_rc codes
** and messages, used by every module that calls SQLite (indexer/, query/,
** lib/). It is fed the code the failing call returned: sqlite3_errcode()
** read later may already describe a later call (a reset, a finalize, a
** ROLLBACK) and say "not an error". It does not decide what a caller does
** after a failure (roll back, retry); it only names it.
*/
#include "indexer.h"
#include "cari.h"

#include <sqlite3.h>
#include <stdio.h>

/* The sticky code of mem/'s buffer and cari_grow is CARI_NOMEM. */
_Static_assert(CARI_MEM_NOMEM == CARI_NOMEM, "mem.h's code is CARI_NOMEM");

int idx_sql_rc(int x) {
  if (x == SQLITE_IOERR_NOMEM) return CARI_NOMEM; /* an I/O buffer, not I/O */
  switch (x & 0xff) { /* the primary code, whether extended codes are on */
  case SQLITE_NOMEM: return CARI_NOMEM;
  case SQLITE_CORRUPT:
  case SQLITE_NOTADB: return CARI_CORRUPT;
  case SQLITE_IOERR:
  case SQLITE_FULL:
  case SQLITE_CANTOPEN:
  case SQLITE_READONLY:
  case SQLITE_PERM:
  /* Another connection held the lock past the busy timeout: the file
  ** could not be read or written now; trying again later may succeed. */
  case SQLITE_BUSY:
  case SQLITE_LOCKED: return CARI_IO;
  default: return CARI_ERROR; /* also OK/ROW/DONE: a caller's mistake */
  }
}

int idx_sql_fail(sqlite3 *db, int x, const char *what, char *err,
                 size_t errcap) {
  /* The connection's message belongs to x only when its code is x; else
  ** the code's own text is all that is known. */
  const char *why = db && sqlite3_errcode(db) == x ? sqlite3_errmsg(db)
                                                    : sqlite3_errstr(x);
  if (x == SQLITE_OK || x == SQLITE_ROW || x == SQLITE_DONE)
    why = "unexpected SQLite result (internal error)";
  if (err && errcap) snprintf(err, errcap, "%s: %s", what, why);
  return idx_sql_rc(x);
}

int idx_sql_int(sqlite3 *db, const char *sql, long long *v) {
  sqlite3_stmt *st;
  *v = 0;
  int x = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
  if (x != SQLITE_OK) return x;
  x = sqlite3_step(st);
  if (x == SQLITE_ROW) *v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return x == SQLITE_ROW || x == SQLITE_DONE ? SQLITE_OK : x;
}
