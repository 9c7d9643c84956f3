/*
** extension.c — entry point of the SQLite loadable extension that gives any
** sqlite3 program (the shell, Python, a blog server) the `indonesian` FTS5
** tokenizer: `.load ./cari_indonesian` then
** CREATE VIRTUAL TABLE t USING fts5(body, tokenize='indonesian').
** It registers the tokenizer only; the cari schema and queries are the
** library's. Its `cari` stemmer uses the default lexicon (hunspell-id's
** word list and the lists built in): it reads no environment variable.
*/
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1

#include "indexer.h"

/* SQLite derives this name from the file name cari_indonesian.so. The one
** symbol the extension exports (everything is built -fvisibility=hidden). */
#if defined(_WIN32)
#define CARI_EXT_EXPORT __declspec(dllexport)
#elif defined(__GNUC__)
#define CARI_EXT_EXPORT __attribute__((visibility("default")))
#else
#define CARI_EXT_EXPORT
#endif
CARI_EXT_EXPORT
int sqlite3_cariindonesian_init(sqlite3 *db, char **pzErrMsg,
                                const sqlite3_api_routines *pApi);

int sqlite3_cariindonesian_init(sqlite3 *db, char **pzErrMsg,
                                const sqlite3_api_routines *pApi) {
  SQLITE_EXTENSION_INIT2(pApi);
  int rc = idx_fts5_register(db, NULL, NULL); /* the default lexicon */
  if (rc != SQLITE_OK && pzErrMsg)
    *pzErrMsg = sqlite3_mprintf("cari: cannot register the indonesian "
                                "tokenizer (is FTS5 available?)");
  return rc;
}
