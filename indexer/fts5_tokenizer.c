/*
** fts5_tokenizer.c — the FTS5 tokenizer `indonesian` (FTS5 v1 tokenizer API,
** SQLite 3.40): a thin wrapper that hands each term of the analyzer to FTS5
** with the offsets of the word as written, so highlight() and snippet() mark
** the original text. Built twice: into the library, and with CARI_EXTENSION
** into the loadable extension (where SQLite calls go through sqlite3_api).
** While a handle captures (capture.c), a tap set around each put also gets
** the terms and stemmed words of the documents tokenized.
*/
#ifdef CARI_EXTENSION
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT3
#else
#include <sqlite3.h>
#endif

#include "indexer.h"
#include "cari.h"

#include <stdio.h>
#include <string.h>

typedef struct {
  idx_analyzer *an;
  int surface; /* index surface forms beside stems (argument `surface`) */
  idx_fts5_global *g; /* the registration's state (the tap) */
  int hooked;  /* an's stem hook is tap_word (capturing) */
} IdxFts5Tok;

typedef struct {
  void *pCtx;
  int (*xToken)(void *, int, const char *, int, int, int);
  const idx_tap *tap; /* or NULL */
} IdxFts5Walk;

struct idx_fts5_global {
  sid_lexicon *lx; /* owned; NULL until a `cari` tokenizer needs it */
  idx_lexicon_paths paths; /* where lx comes from: strings in this block */
  int capturing;         /* idx_fts5_capture */
  const idx_tap *tap;    /* borrowed, or NULL */
  unsigned long untapped;
};

void idx_fts5_capture(idx_fts5_global *g, int on) { g->capturing = on; }
void idx_fts5_tap(idx_fts5_global *g, const idx_tap *tap) { g->tap = tap; }
unsigned long idx_fts5_untapped(const idx_fts5_global *g) {
  return g->untapped;
}

/* The stem hook of a capturing tokenizer's analyzer. */
static void tap_word(void *ctx, const char *w, int n, const char *st, int m) {
  idx_fts5_global *g = ctx;
  if (g->tap) g->tap->word(g->tap->ctx, w, n, st, m);
  else g->untapped++;
}

static void global_free(void *p) {
  idx_fts5_global *g = p;
  if (!g) return;
  sid_lexicon_free(g->lx);
  sqlite3_free(g);
}

const sid_lexicon *idx_fts5_lexicon(idx_fts5_global *g, char *err,
                                    size_t errcap) {
  if (!g->lx) g->lx = idx_lexicon_load(&g->paths, err, errcap);
  return g->lx;
}

static int tok_create(void *pGlobal, const char **azArg, int nArg,
                      Fts5Tokenizer **ppOut) {
  const char *stemmer = NULL;
  char err[128];
  int surface = 0;
  *ppOut = NULL;
  for (int i = 0; i < nArg; i++) {
    if (strcmp(azArg[i], "surface") == 0) {
      surface = 1;
    } else if (strcmp(azArg[i], "stemmer") == 0 && i + 1 < nArg) {
      stemmer = azArg[++i];
    } else if (strncmp(azArg[i], "stemmer=", 8) == 0) {
      stemmer = azArg[i] + 8;
    } else {
      return SQLITE_ERROR; /* unknown option: FTS5 reports "error in tokenizer" */
    }
  }
  if (stemmer && !idx_stemmer_known(stemmer)) return SQLITE_ERROR;
  IdxFts5Tok *t = sqlite3_malloc(sizeof *t);
  if (!t) return SQLITE_NOMEM;
  t->surface = surface;
  t->g = pGlobal;
  t->hooked = 0;
  const sid_lexicon *lx = NULL;
  if (stemmer && idx_stemmer_lexical(stemmer) &&
      !(lx = idx_fts5_lexicon(pGlobal, err, sizeof err))) {
    sqlite3_free(t);
    return idx_lexicon_rc(err) == CARI_NOMEM ? SQLITE_NOMEM : SQLITE_ERROR;
  }
  t->an = idx_analyzer_new(stemmer, lx, err, sizeof err);
  if (!t->an) {
    sqlite3_free(t);
    return SQLITE_NOMEM;
  }
  *ppOut = (Fts5Tokenizer *)t;
  return SQLITE_OK;
}

static void tok_delete(Fts5Tokenizer *p) {
  IdxFts5Tok *t = (IdxFts5Tok *)p;
  if (!t) return;
  idx_analyzer_free(t->an);
  sqlite3_free(t);
}

static int on_term(void *ctx, const char *term, int n, int start, int end,
                   int colocated) {
  IdxFts5Walk *w = ctx;
  if (w->tap) w->tap->term(w->tap->ctx, term, n, start, end, colocated);
  return w->xToken(w->pCtx, colocated ? FTS5_TOKEN_COLOCATED : 0, term, n,
                   start, end);
}

/* Set or clear the tap for one tokenization (indexer.h: idx_tap).
** Setting or clearing the stem hook empties the stem cache, so a word
** cached while no hook was set is stemmed again, and seen, when it is. */
static void tap_walk(IdxFts5Tok *t, int flags, int aflags, const char *text,
                     int n, IdxFts5Walk *w) {
  idx_fts5_global *g = t->g;
  int doc = (flags & FTS5_TOKENIZE_DOCUMENT) && aflags == 0;
  if (t->hooked && !(g->capturing && doc)) {
    idx_analyzer_hook(t->an, NULL, NULL);
    t->hooked = 0;
  }
  if (!g->capturing || !(flags & FTS5_TOKENIZE_DOCUMENT)) return;
  if (!doc || !g->tap) {
    g->untapped++;
    if (!doc) return;
  }
  if (!t->hooked) {
    idx_analyzer_hook(t->an, tap_word, g);
    t->hooked = 1;
  }
  if (g->tap) {
    w->tap = g->tap;
    g->tap->begin(g->tap->ctx, text, n);
  }
}

static int tok_tokenize(Fts5Tokenizer *p, void *pCtx, int flags,
                        const char *pText, int nText,
                        int (*xToken)(void *, int, const char *, int, int,
                                      int)) {
  IdxFts5Tok *t = (IdxFts5Tok *)p;
  IdxFts5Walk w = {pCtx, xToken, NULL};
  int aflags = 0;
  if (flags & FTS5_TOKENIZE_QUERY) {
    /* A query string starting with the mark asks for surface forms (the
    ** query translation writes it; people's text never reaches here raw). */
    if (nText > 0 && pText[0] == IDX_SURFACE_MARK) {
      aflags = IDX_SURFACE_QUERY;
      pText++;
      nText--;
    } else if (flags & FTS5_TOKENIZE_PREFIX) {
      aflags = IDX_NOSTEM;
    }
  } else if (t->surface) {
    aflags = IDX_SURFACE;
  }
  tap_walk(t, flags, aflags, pText, nText, &w);
  int rc = idx_analyze(t->an, pText, nText, aflags, on_term, &w);
  return rc < 0 ? SQLITE_NOMEM : rc;
}

int idx_fts5_api(sqlite3 *db, fts5_api **out) {
  fts5_api *api = NULL;
  sqlite3_stmt *st = NULL;
  *out = NULL;
  int rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL);
  if (rc != SQLITE_OK) return rc;
  sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
  sqlite3_step(st);
  rc = sqlite3_finalize(st);
  if (rc != SQLITE_OK) return rc;
  if (!api || api->iVersion < 2) return SQLITE_ERROR;
  *out = api;
  return SQLITE_OK;
}

/* Copy s (may be NULL) to *at, advancing it; the copy or NULL. */
static const char *copy_path(char **at, const char *s) {
  if (!s) return NULL;
  size_t n = strlen(s) + 1;
  memcpy(*at, s, n);
  *at += n;
  return *at - n;
}

int idx_fts5_register(sqlite3 *db, const idx_lexicon_paths *paths,
                      idx_fts5_global **out) {
  fts5_api *api;
  int rc = idx_fts5_api(db, &api);
  if (rc != SQLITE_OK) return rc;
  static fts5_tokenizer tok = {tok_create, tok_delete, tok_tokenize};
  static const idx_lexicon_paths none = {NULL, NULL, NULL};
  if (!paths) paths = &none;
  const char *p3[3] = {paths->dic, paths->roots, paths->exceptions};
  size_t n = sizeof(idx_fts5_global);
  for (int i = 0; i < 3; i++) n += p3[i] ? strlen(p3[i]) + 1 : 0;
  idx_fts5_global *g = sqlite3_malloc64(n);
  if (!g) return SQLITE_NOMEM;
  char *at = (char *)(g + 1);
  g->lx = NULL;
  g->capturing = 0;
  g->tap = NULL;
  g->untapped = 0;
  g->paths.dic = copy_path(&at, paths->dic);
  g->paths.roots = copy_path(&at, paths->roots);
  g->paths.exceptions = copy_path(&at, paths->exceptions);
  /* FTS5 (3.40) frees g through global_free when the connection closes;
  ** if registering fails it never took g, so it is freed here. */
  rc = api->xCreateTokenizer(api, "indonesian", g, &tok, global_free);
  if (rc != SQLITE_OK) global_free(g);
  else if (out) *out = g;
  /* The functions the triggers of meta.c call, on every connection that
  ** may write articles (the extension's too). */
  if (rc == SQLITE_OK) rc = idx_meta_register(db, NULL);
  return rc;
}
