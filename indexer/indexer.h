/*
** indexer.h — internal interface of the indexer: tokenizer, analyzer, the
** FTS5 tokenizer `indonesian`, and the article store. Used by query/ and
** lib/; never installed. Public names live in include/cari.h.
** Errors are reported as cari_rc codes plus a message written into a
** caller-supplied buffer (err, errcap); nothing here prints or exits.
*/
#ifndef CARI_INDEXER_H
#define CARI_INDEXER_H

#include <stddef.h>

#include "mem.h"
#include "stemmer_id.h"

struct sqlite3;

/**************************************************************************
** Interface to code in sqlerr.c
**
** The one mapping of SQLite result codes to cari_rc, for every module:
**   SQLITE_NOMEM                                    CARI_NOMEM
**   SQLITE_CORRUPT, SQLITE_NOTADB                   CARI_CORRUPT
**   SQLITE_IOERR, _FULL, _CANTOPEN, _READONLY, _PERM CARI_IO
**   SQLITE_BUSY, SQLITE_LOCKED                      CARI_IO (the lock was
**                       held past the busy timeout: the file could not be
**                       read or written now; a retry later may succeed)
**   anything else                                   CARI_ERROR
** Extended codes map as their primary code (SQLITE_IOERR_NOMEM: CARI_NOMEM).
** Feed it the code the failing
** call returned (sqlite3_step, _prepare, _exec, _finalize...), never
** sqlite3_errcode() read after later calls: a reset, finalize or ROLLBACK
** in between replaces it.
*/
int idx_sql_rc(int sqlite_rc);
/* Write "what: why" into err (errcap bytes) and return idx_sql_rc(x). `why`
** is sqlite3_errmsg(db) when the connection's last error is x (db may be
** NULL), else sqlite3_errstr(x). */
int idx_sql_fail(struct sqlite3 *db, int x, const char *what, char *err,
                 size_t errcap);
/* The first column of sql's first row as an integer into *v (0 when there
** is no row): SQLITE_OK, or the SQLite code of the call that failed. */
int idx_sql_int(struct sqlite3 *db, const char *sql, long long *v);

/**************************************************************************
** Interface to code in tokenize.c
**
** Splits UTF-8 text into words and normalises each (NFKC, case fold, marks
** stripped, default-ignorables dropped, apostrophe and hyphen look-alikes
** lumped to ASCII). A word is a run of letters, marks and numbers; an
** apostrophe or hyphen between two word characters stays inside the word
** (`jum'at`, `anak-anak`), as do `.` and `,` between two digits (`15.000`).
** Invalid UTF-8 bytes separate words. Offsets are byte offsets into the
** original text: [start, end).
*/
#define IDX_MAX_TOKEN 256 /* normalised bytes kept per token; longer is cut */

typedef struct idx_tokenizer idx_tokenizer;

/* Called per token with its normalised bytes (owned by the tokenizer, valid
** during the call) and its original offsets. `hyphens` counts the hyphens
** inside it. Non-zero return stops the walk and is returned. */
typedef int (*idx_token_fn)(void *ctx, const char *norm, int nnorm, int start,
                            int end, int hyphens);

/* NULL on out of memory. Free with idx_tokenizer_free (NULL harmless). */
idx_tokenizer *idx_tokenizer_new(void);
void idx_tokenizer_free(idx_tokenizer *t);

/* 0 when the whole text was walked, else fn's non-zero return, or -1 on out
** of memory. */
int idx_tokenize(idx_tokenizer *t, const char *text, int len, idx_token_fn fn,
                 void *ctx);

/* 1 when the `len` bytes are valid UTF-8; else 0 with the offset of the first
** bad byte in *bad. */
int idx_utf8_valid(const char *s, size_t len, size_t *bad);

/**************************************************************************
** Interface to code in analyzer.c
**
** Tokenizer + stemmer: turns text into index terms. The stemmers:
**   cari      our own (stemmer-id/), with the lexicon of idx_lexicon_load()
**   snowball  libstemmer's Snowball `indonesian`
**   none      the normalised word
** Hyphenated words: a reduplication (`anak-anak`, `berkumpul-kumpul`,
** `sayur-mayur`, also `anak2`) becomes one term, its base's stem; any other
** hyphenated word (`Jakarta-Bandung`, `COVID-19`) becomes one term per part.
** Words longer than IDX_MAX_STEM bytes and words with digits are not stemmed.
*/
#define IDX_ANALYZER_VERSION 2 /* bump when any stemmer's output changes */
#define IDX_MAX_STEM 64

#define IDX_NOSTEM 0x01 /* terms are the normalised words (prefix queries) */
/* Surface forms: besides its stem, each word is indexed as written
** (normalised, whole), marked by a leading IDX_SURFACE_MARK byte so it never
** collides with a stem, at the same position (FTS5 colocated token). Exact
** forms can then score above mere stem matches, and prefixes match words as
** written. */
#define IDX_SURFACE 0x02       /* documents: stems plus colocated surfaces */
#define IDX_SURFACE_QUERY 0x04 /* queries: only the marked surface forms */
#define IDX_SURFACE_MARK '\x01'

typedef struct idx_analyzer idx_analyzer;

/* Called per term: the term (valid during the call), the offsets of the
** word it came from, and whether it sits at the previous term's position
** (a colocated surface form). Non-zero return stops the walk. */
typedef int (*idx_term_fn)(void *ctx, const char *term, int nterm, int start,
                           int end, int colocated);

#define IDX_DEFAULT_STEMMER "cari"

/* Where the `cari` stemmer's lexicon comes from (cari_open_opts): the
** hunspell-id word list (NULL or "": SID_DEFAULT_DIC), and optional files of
** further roots and exceptions (NULL or "": none). Nothing here reads the
** environment. */
typedef struct idx_lexicon_paths {
  const char *dic, *roots, *exceptions;
} idx_lexicon_paths;

/* The lexicon: the files of `paths` (NULL: the defaults) and the lists
** built into the library. NULL with a message in err on failure. Free with
** sid_lexicon_free(). */
sid_lexicon *idx_lexicon_load(const idx_lexicon_paths *paths, char *err,
                              size_t errcap);
/* The cari_rc of a failed load from its message: CARI_NOMEM when memory
** ran out, else CARI_IO (a file could not be read). */
int idx_lexicon_rc(const char *err);

/* Create an analyzer with the named stemmer (NULL: IDX_DEFAULT_STEMMER).
** For "cari", `lx` is the lexicon to borrow (it must outlive the analyzer),
** or NULL to load the default one of its own. NULL on failure, with a message in err.
** Free with idx_analyzer_free. */
idx_analyzer *idx_analyzer_new(const char *stemmer, const sid_lexicon *lx,
                               char *err, size_t errcap);
void idx_analyzer_free(idx_analyzer *an);

/* 0, fn's non-zero return, or -1 on out of memory. */
int idx_analyze(idx_analyzer *an, const char *text, int len, int flags,
                idx_term_fn fn, void *ctx);

/* Called with each word the stemmer runs on (not those the stem cache
** answers: about once per distinct word) and its stem; both valid during
** the call. For the top-k build's table of words as written. Setting (or
** clearing) the hook empties the stem cache, so that every word is seen. */
typedef void (*idx_stem_hook)(void *ctx, const char *word, int nword,
                              const char *stem, int nstem);
void idx_analyzer_hook(idx_analyzer *an, idx_stem_hook fn, void *ctx);

/* The canonical stemmer name ("snowball"), owned by the analyzer. */
const char *idx_analyzer_stemmer(const idx_analyzer *an);

/* 1 if `name` is a stemmer this build has. */
int idx_stemmer_known(const char *name);
/* 1 if the stemmer `name` uses the cari lexicon ("cari", "cari_formal"). */
int idx_stemmer_lexical(const char *name);

/* NULL-terminated static list of stemmer names. */
const char *const *idx_stemmer_names(void);

/**************************************************************************
** Interface to code in fts5_tokenizer.c
**
** The FTS5 tokenizer `indonesian`, arguments `stemmer NAME` (or
** `stemmer=NAME`). Query prefixes (`word*`) are not stemmed.
*/
/* What one connection's registration owns: the lexicon shared by every
** `cari` tokenizer on it, loaded when first needed, freed with the
** connection. */
typedef struct idx_fts5_global idx_fts5_global;

/* The connection's FTS5 API (v2 or later) into *out: SQLite result code. */
struct fts5_api;
int idx_fts5_api(struct sqlite3 *db, struct fts5_api **out);

/* Register `indonesian` on the connection: SQLite result code. The `cari`
** stemmer's lexicon will be loaded from `paths` (copied; NULL: the
** defaults). When `out` is not NULL it receives the registration's state,
** owned by the connection (valid until it closes). */
int idx_fts5_register(struct sqlite3 *db, const idx_lexicon_paths *paths,
                      idx_fts5_global **out);

/* The shared lexicon, loaded on first call; NULL with err on failure. */
const sid_lexicon *idx_fts5_lexicon(idx_fts5_global *g, char *err,
                                    size_t errcap);

/* A tap on what the tokenizers of a connection make of documents, so that
** the top-k postings need no second analysis (capture.c). While capturing
** is on, every document tokenization with analyzer flags 0 (no `surface`)
** calls, when a tap is set, begin(ctx, text, n), then term() with each
** term handed to FTS5 (its return value is ignored), and word() with each
** word stemmed afresh (idx_stem_hook): the tokenizers keep their
** analyzer's stem hook set meanwhile, so the stem cache hides no word.
** A document tokenization, or a stemmed word, with capturing on and no tap
** set is counted as untapped. Queries and auxiliary functions are never
** tapped. The tap is borrowed (it must stay valid while set). */
typedef struct idx_tap {
  void *ctx;
  void (*begin)(void *ctx, const char *text, int n);
  idx_term_fn term;
  idx_stem_hook word;
} idx_tap;
void idx_fts5_capture(idx_fts5_global *g, int on);
void idx_fts5_tap(idx_fts5_global *g, const idx_tap *tap); /* NULL: none */
unsigned long idx_fts5_untapped(const idx_fts5_global *g);

/**************************************************************************
** Interface to code in store.c
**
** The schema and every write. Essay on the layout at the top of store.c.
*/
typedef struct idx_store idx_store;

typedef struct idx_article {
  const char *id, *title, *body, *url, *date;
  const char *const *tags;
  size_t ntags;
  const char *source;
  const char *author; /* stored only */
} idx_article;

/* Open the store on a connection that has `indonesian` registered: create
** the schema when the database is empty, else check the recorded analyzer.
** `stemmer` NULL means the recorded one (or the default, new); `surface` -1
** likewise (else 0 or 1: index surface forms). Returns a cari_rc; on failure
** *out is NULL and err says why. */
#define IDX_DEFAULT_SURFACE 0 /* see bench/README.md: 1.9x the index */
int idx_store_open(struct sqlite3 *db, idx_fts5_global *g,
                   const char *stemmer, int surface, int readonly,
                   idx_store **out, char *err, size_t errcap);
void idx_store_close(idx_store *s);

const char *idx_store_stemmer(const idx_store *s);
int idx_store_surface(const idx_store *s);

int idx_store_put(idx_store *s, const idx_article *a, char *err,
                  size_t errcap);
int idx_store_remove(idx_store *s, const char *id, char *err, size_t errcap);
long long idx_store_count(idx_store *s);
int idx_store_check(idx_store *s, char *err, size_t errcap);

/* Where a long operation (cari_optimize) stands, for a test hook: called
** between its short transactions, never inside one. */
enum {
  IDX_PHASE_MERGE = 1, /* after each merge step of the full-text index */
  IDX_PHASE_READ,      /* the build's read snapshot is open (mid-read) */
  IDX_PHASE_WRITE,     /* between the build's chunks of new tables */
  IDX_PHASE_SWAP       /* before the short transaction that swaps them in */
};
/* Tests only: fn(ctx, phase) runs on the optimizing thread; it may write
** through another connection (not this one). NULL fn: no hook. */
typedef struct idx_hook {
  void (*fn)(void *ctx, int phase);
  void *ctx;
} idx_hook;

/* Merge the full-text index's segments into one, by incremental merge
** steps, each its own short write transaction (writers on other
** connections get the lock between steps). Stops when a step finds nothing
** to merge, or after a budget of about three times the index's size in
** pages (writers that keep adding segments cannot make it run forever; the
** index is then merged less, never wrong). Must run outside a transaction.
** `hook` may be NULL. A cari_rc, err set. */
int idx_store_merge(idx_store *s, const idx_hook *hook, char *err,
                    size_t errcap);
/* Milliseconds of a monotonic clock. */
double idx_now_ms(void);
/* After a write transaction begun at t0 (idx_now_ms): sleep about as long
** as it took, at most 100 ms, so that writers waiting for the lock get it
** (store.c says why). */
void idx_pause_after(double t0);

/* Names the query side uses. */
#define IDX_TABLE "articles"
#define IDX_FTS "articles_fts"

/**************************************************************************
** Interface to code in meta.c
**
** The articles' normalised dates and tags, and the vocabulary of words as
** written, in side tables kept by triggers (essay at the top of meta.c).
*/
#define IDX_VOCAB_MAX_WORD 40 /* longer words are not in cari_vocab */
/* 1 when s[0..n) is an ISO 8601 date (YYYY-MM-DD) or date-time
** (YYYY-MM-DDTHH:MM[:SS[.f]] with T or a space, then optionally Z, +HH,
** +HHMM or +HH:MM), blanks around allowed; then *sec (seconds since the
** epoch, the zone applied, UTC when none) and *day (the date as written,
** days since 1970-01-01) are set (either may be NULL). 0 otherwise. */
int idx_date_parse(const char *s, size_t n, long long *sec, long long *day);
long long idx_days_from_civil(int y, int m, int d);
int idx_year_from_days(long long day);
/* Trim blanks (space, tab, newlines) from both ends of s[0..*n). */
void idx_trim(const char **s, size_t *n);
/* The tag as filters compare it: trimmed, NFKC, case folded. A string the
** caller frees with cari_free(), or NULL on out of memory. */
char *idx_tag_fold(const char *s, size_t n);
/* Register the triggers' SQL functions on the connection: SQLite rc.
** *out (when out is not NULL) receives the vocabulary's state, owned by
** the connection (freed when it closes or the functions are registered
** again). */
typedef struct idx_vocab idx_vocab;
int idx_meta_register(struct sqlite3 *db, idx_vocab **out);
/* The vocabulary's counts of a batch, written once per word: between
** idx_vocab_defer(v, 1) and (v, 0) the triggers' counts wait in memory;
** idx_vocab_settle(v, ok) after each put or remove: ok 1, it landed
** (CARI_NOMEM if its counts could not be kept); ok 0, it failed after its
** triggers ran, and the batch must be rolled back (flush refuses until
** then). idx_vocab_flush writes the counts (before the batch's COMMIT: a
** cari_rc, err set); idx_vocab_drop forgets them (the batch rolled back).
** NULL v: nothing. */
void idx_vocab_defer(idx_vocab *v, int on);
int idx_vocab_settle(idx_vocab *v, int ok);
int idx_vocab_flush(idx_vocab *v, char *err, size_t errcap);
void idx_vocab_drop(idx_vocab *v);
/* Create the tables and triggers when missing, filled from the articles
** stored (a database made before them). A cari_rc, err set. */
int idx_meta_ensure(struct sqlite3 *db, char *err, size_t errcap);
/* Remove vocabulary rows no article holds any more. */
int idx_meta_purge(struct sqlite3 *db, char *err, size_t errcap);

/**************************************************************************
** Interface to code in postings.c
**
** The top-k postings (essay at the top of postings.c): a compact,
** non-positional copy of the index in plain tables, built by
** idx_post_build and decoded by query/lookup.c and query/topk.c.
*/
#include <stdint.h>
#define IDX_POST_BLOCK 128    /* postings per block */
#define IDX_DOCLEN_CHUNK 4096 /* articles per cari_doclen row */
#define IDX_TOPK_VERSION 3 /* 2: two bounds a block; 1: two tf varints */

typedef struct idx_posting {
  long long doc;
  int tf[2]; /* title, body */
} idx_posting;

typedef struct idx_post_block {
  long long first_after; /* postings' docs are > this */
  long long last;        /* the block's last doc */
  int count, nbytes;
  double gt, gbt, gbo;   /* bounds of the term-frequency factors (postings.c) */
  const unsigned char *data; /* borrowed from the blob */
} idx_post_block;

typedef struct idx_post_list {
  int nblock;
  idx_post_block *blk; /* owned */
} idx_post_list;

/* Parse a term's blob (borrowed: it must outlive l). CARI_OK, CARI_CORRUPT
** or CARI_NOMEM. Free with idx_post_list_free. */
int idx_post_list_open(idx_post_list *l, const void *data, int n);
void idx_post_list_free(idx_post_list *l);
/* BM25's term-frequency factor of tf > 0 occurrences in a field of len
** tokens (mean avg): the one definition, used by the block bounds here
** and by the score (query.h's qry_field_score). */
static inline double idx_bm25_tf(double tf, double k1, double b, double len,
                                 double avg) {
  return tf * (k1 + 1) / (tf + k1 * (1 - b + b * len / avg));
}
/* The bound of every w*s in block b, for title and body coefficients A and
** B (weight * idf; drift included by the caller). */
static inline double idx_post_bound(const idx_post_block *h, double A,
                                    double B) {
  double with = A * h->gt + B * h->gbt, without = B * h->gbo;
  return with > without ? with : without;
}
/* Decode block b into out[IDX_POST_BLOCK]: its count, or -1 if damaged. */
int idx_post_block_decode(const idx_post_list *l, int b, idx_posting *out);
/* One varint at p (not past end) into *v: its length, 0 if damaged. */
int idx_varint_get(const unsigned char *p, const unsigned char *end,
                   uint64_t *v);

/* The field lengths of articles 0..max_doc from cari_doclen into *out
** (2 per article: title, body; 0 0 for a missing one; the caller
** frees it with cari_free()). CARI_OK, CARI_NOMEM, CARI_CORRUPT or another
** cari_rc, err set. */
int idx_doclen_read(struct sqlite3 *db, long long max_doc, unsigned **out,
                    char *err, size_t errcap);

/* The postings of articles as they are put, in memory (capture.c feeds
** them from the tokenizer's tap): article by article, in increasing doc
** order, each with the signatures (idx_text_sig) of its title and body as
** stored; then each distinct term with its counts in title and body, in
** the order of its first occurrence (title first), the fields' lengths in
** tokens (colocated terms not counted), the words stemmed afresh, and
** idx_post_acc_end. A call that fails (out of memory, a doc not above the
** last) returns -1 and leaves the accumulator failed: the build then
** ignores it. idx_post_acc_free frees it (NULL is harmless). */
typedef struct idx_post_acc idx_post_acc;
idx_post_acc *idx_post_acc_new(void);
void idx_post_acc_free(idx_post_acc *a);
int idx_post_acc_doc(idx_post_acc *a, long long doc, const uint64_t sig[2]);
int idx_post_acc_term(idx_post_acc *a, const char *term, int n,
                      const int tf[2]);
void idx_post_acc_len(idx_post_acc *a, const int len[2]);
void idx_post_acc_word(idx_post_acc *a, const char *w, int n, const char *st,
                       int m);
int idx_post_acc_end(idx_post_acc *a);
/* A 64-bit signature of n bytes of text (not cryptographic). */
uint64_t idx_text_sig(const void *text, size_t n);

/* (Re)build the tables from every article, analysed by `an` (the index's
** analyzer, flags 0) and, when not NULL, by a second analyzer like it `an2`
** on a helper thread for half of each batch, with the BM25 parameters of
** the block bounds. When `acc` is not NULL (taken: freed here) and the
** build's snapshot holds exactly its articles, every title and body equal
** to the text its postings were collected from, nothing is analysed: its
** postings are written (the same bytes the analysis would give; the test
** test_capture compares them; *used_acc = 1 when not NULL); otherwise the
** articles are analysed. Reads one snapshot and writes in short transactions
** (essay in postings.c, THE BUILD): other connections keep writing and
** reading meanwhile. Must run outside a transaction (CARI_INVALID). On
** failure the tables searches use are unchanged; when another build
** started on the database meanwhile, this one stops with CARI_ERROR and
** says so. `hook` may be NULL. A cari_rc, err set. */
int idx_post_build(struct sqlite3 *db, idx_analyzer *an, idx_analyzer *an2,
                   idx_post_acc *acc, int *used_acc, double k1, double b_title,
                   double b_body, const idx_hook *hook, char *err,
                   size_t errcap);

/**************************************************************************
** Interface to code in capture.c
**
** The top-k postings of a database filled from empty by one handle,
** collected while its articles are put (the tokenizer's tap), so that
** cari_optimize analyses nothing a second time.
*/
typedef struct idx_capture idx_capture;
/* A capture for the connection's tokenizers (g), off; NULL on out of
** memory. idx_capture_start turns it on when the table has no article
** (a cari_rc, err set). */
idx_capture *idx_capture_new(struct sqlite3 *db, idx_fts5_global *g);
int idx_capture_start(idx_capture *c, char *err, size_t errcap);
void idx_capture_free(idx_capture *c);
/* Around each put (rc: the put's cari_rc). A put that changed an article
** captured before, or failed after FTS5 saw its text, ends the capture. */
void idx_capture_put_begin(idx_capture *c);
void idx_capture_put_end(idx_capture *c, int rc);
/* End the capture (an article removed, a batch rolled back). Every call
** takes NULL (a read-only handle has no capture) and does nothing. */
void idx_capture_stop(idx_capture *c);
/* The postings collected, for idx_post_build (the caller owns them), or
** NULL; the capture ends either way. */
idx_post_acc *idx_capture_take(idx_capture *c);
/* Bring the top-k bookkeeping of databases written by older versions up to
** date: the triggers (INSERT OR IGNORE failed on the second change of an
** article; no generation recorded) and cari_stale's generation column.
** Nothing when current. A cari_rc, err set. */
int idx_post_upgrade(struct sqlite3 *db, char *err, size_t errcap);
/* Remove the tables (searches then score every match). */
int idx_post_drop(struct sqlite3 *db, char *err, size_t errcap);

/**************************************************************************
** Interface to code in postings_check.c
*/
/* Compare the top-k postings with FTS5 (terms, article counts, lengths)
** when they describe the index as it is (nothing added, replaced or
** removed since the build): CARI_OK (also when there is nothing exact to
** compare), CARI_CORRUPT with err, or another cari_rc. */
int idx_post_check(struct sqlite3 *db, char *err, size_t errcap);

#endif
