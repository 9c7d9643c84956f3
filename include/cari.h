/*
** cari.h — the whole public API of cari, an Indonesian full-text search
** engine on SQLite FTS5.
**
** One handle (cari_db) owns one SQLite connection with the `indonesian`
** tokenizer registered on it. Articles go in with cari_put(), come out with
** cari_remove(), and are found with cari_search(), which returns a cursor.
** Readers (cari_reader) turn files — JSONL, Markdown with front matter,
** HTML, plain text, blog exports and feeds — into articles. An analyzer (cari_analyzer) exposes the
** tokenizer and stemmer on their own, for `cari stem` and for tests.
**
** Errors: every call that can fail returns a cari_rc. cari_errstr(rc) names
** the code (static text); cari_errmsg(db) gives the detail of the last
** failed call on that handle (owned by the handle, valid until the next call
** on it). The library never prints, exits or aborts, and reads no
** environment variable (the `cari` command does, and passes options).
**
** Constructors (cari_open, cari_open_ex, cari_open_sqlite, cari_reader_open,
** cari_analyzer_new) follow one convention: they return a cari_rc and always
** set *out — to the new object; on failure to an object that holds only the
** error message (read with cari_errmsg, cari_reader_errmsg or
** cari_analyzer_errmsg, then freed as usual); or to NULL when even that
** could not be allocated (CARI_NOMEM). So a failure always has a message,
** and the caller frees *out either way.
**
** Threads: a cari_db, and every cursor opened from it, belongs to one thread
** at a time. Separate handles on the same file may be used from separate
** threads (SQLite's locking applies). Readers and analyzers are likewise
** one thread at a time each.
*/
#ifndef CARI_H
#define CARI_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What the library exports: every function declared here, nothing else.
** The library is built with -fvisibility=hidden, so its internal functions
** (idx_, qry_, sid_, corpus_) cannot collide with an embedder's names; the
** static archive is one object whose internal symbols are local. */
#ifndef CARI_API
#if defined(__GNUC__) && __GNUC__ >= 4
#define CARI_API __attribute__((visibility("default")))
#else
#define CARI_API
#endif
#endif

/* Option structs can grow: each begins with `size_t size`, which the
** caller sets to the size of the struct it was compiled with, by
** initialising it with the struct's _INIT macro (the other fields are then
** zero, meaning their defaults):
**   cari_search_opts o = CARI_SEARCH_OPTS_INIT;  o.limit = 20;
** or, with designated initialisers, by naming it:
**   cari_search_opts o = {.size = sizeof(cari_search_opts), .limit = 20};
** The library reads only the first `size` bytes: fields a newer cari.h added
** past them take their defaults, so a program keeps its behaviour with a
** newer library. A size smaller than the struct's first version (0: the
** struct was zeroed, not initialised) or larger than this library knows
** with non-zero bytes past what it knows (a newer cari.h's fields set) is
** CARI_INVALID with a message. */

#define CARI_VERSION        "0.1.0"
#define CARI_VERSION_NUMBER 1000 /* major*1000000 + minor*1000 + patch */

/* The library's version string, CARI_VERSION of the build that is linked. */
CARI_API const char *cari_version(void);

typedef enum cari_rc {
  CARI_OK = 0,      /* success */
  CARI_ERROR,       /* SQLite or other internal failure; see cari_errmsg() */
  CARI_NOMEM,       /* out of memory */
  CARI_IO,          /* a file could not be opened, read or written (also
                    ** when another connection held the database locked
                    ** past the 5 s busy timeout: try again later) */
  CARI_CORRUPT,     /* the database failed its integrity check */
  CARI_MISMATCH,    /* the database was built with another analyzer/schema */
  CARI_INVALID,     /* a bad argument or article (message says which field) */
  CARI_QUERY,       /* the query has nothing to search for, or ran past its
                    ** time budget (message says which) */
  CARI_NOTFOUND,    /* no article with that id */
  CARI_FORMAT,      /* a malformed input record (message says file and line) */
  CARI_ROW,         /* cari_next()/cari_reader_next(): an item is ready */
  CARI_DONE         /* cari_next()/cari_reader_next(): nothing more */
} cari_rc;

/* Static English text naming the code: never NULL, never freed. */
CARI_API const char *cari_errstr(int rc);

/* ------------------------------------------------------------------ */
/* Opening a database                                                  */
/* ------------------------------------------------------------------ */

typedef struct cari_db cari_db;
struct sqlite3;

/* Open an existing database read-only: for searching with permission to
** read the file only. A database in a folder this process may not write
** needs its -wal and -shm files beside it (cari's writers leave them there)
** or, when it was copied there alone, is read as immutable: without locks,
** so it must not be written in place while read. */
#define CARI_OPEN_READONLY 0x01
#define CARI_OPEN_SURFACE 0x02    /* a new database indexes surface forms */
#define CARI_OPEN_NO_SURFACE 0x04 /* a new database indexes stems only (the
                                  ** default) */
/* cari_optimize() works on the calling thread only: without it, it starts
** one helper thread for the time of the call, which analyses half of the
** articles (the library starts no other thread). */
#define CARI_OPEN_ONE_THREAD 0x08

/*
** Open (creating if needed) the cari database in file `path`.
** `stemmer` chooses the analyzer of a new database: "cari" (our own
** Indonesian stemmer, the default when NULL), "snowball" (libstemmer's) or
** "none". For an existing database, NULL means
** "use the recorded one"; a different name returns CARI_MISMATCH with a
** message naming both. A database recorded by an analyzer version this build
** does not provide also returns CARI_MISMATCH.
** A new database indexes stems only, unless CARI_OPEN_SURFACE asks for
** surface forms too: each word also indexed as written beside its stem, so
** exact forms rank above other forms of the same root and `word*` prefixes
** match words as written, for about twice the index size and half the
** indexing speed. Either flag given for an existing database that was built
** the other way returns CARI_MISMATCH.
** The `cari` stemmer's lexicon is the default one (cari_open_opts); a
** database built with another returns CARI_MISMATCH.
**
** On return *out is always set (the convention of every constructor here):
** to the new handle, or on failure to a handle that holds only the error
** message (read it with cari_errmsg(), then cari_close() it), or to NULL
** when even that could not be allocated (CARI_NOMEM). The caller owns the
** handle and frees it with cari_close().
*/
CARI_API int cari_open(const char *path, const char *stemmer, int flags,
                       cari_db **out);

/*
** Everything cari_open() takes and what it does not: initialise with
** CARI_OPEN_OPTS_INIT (see "Option structs can grow" above), then set
** what differs from the defaults.
**
** The `cari` stemmer's lexicon: the library reads no environment
** variable; the `cari` command reads $CARI_DIC, $CARI_ROOTS and
** $CARI_EXCEPTIONS and passes them here. The lexicon's checksum is recorded
** in a new database; opening it with another lexicon is CARI_MISMATCH. A
** file that cannot be read is CARI_IO, with its name, when the lexicon is
** first needed (opening a database that uses the `cari` stemmer).
*/
typedef struct cari_open_opts {
  size_t size;            /* sizeof(cari_open_opts): CARI_OPEN_OPTS_INIT */
  const char *stemmer;    /* as cari_open()'s; NULL: recorded, or "cari" */
  int flags;              /* CARI_OPEN_* */
  const char *dic;        /* hunspell-id's word list; NULL:
                          ** /usr/share/hunspell/id_ID.dic */
  const char *roots;      /* NULL, or a file of further roots, one a line */
  const char *exceptions; /* NULL, or a file of exceptions, word<TAB>stem */
  /* Synonyms at query time (README "Synonyms"). `thesaurus`: a MyThes
  ** thesaurus, its .idx file (the .dat beside it); NULL:
  ** /usr/share/mythes/th_id_ID_v2.idx (Debian's mythes-id). Read on the
  ** first search that asks for it (CARI_SEARCH_THESAURUS), then kept by
  ** the handle (about 3 MB); a file that cannot be read fails that search
  ** with CARI_IO. `synonyms`: NULL, or the user's synonyms file, one group
  ** a line (`kopdar = kopi darat`), read by the open: a bad line is
  ** CARI_FORMAT with "FILE:LINE: reason", an unreadable file CARI_IO. Its
  ** synonyms apply to every search unless CARI_SEARCH_NO_SYNONYMS. The
  ** library reads no environment: the `cari` command passes $CARI_THES
  ** and $CARI_SYNONYMS here. */
  const char *thesaurus;
  const char *synonyms;
} cari_open_opts;
#define CARI_OPEN_OPTS_INIT \
  {sizeof(cari_open_opts), NULL, 0, NULL, NULL, NULL, NULL, NULL}

/* cari_open() with options: `opts` NULL means every default. The strings
** are borrowed for the call (the handle copies what it keeps). */
CARI_API int cari_open_ex(const char *path, const cari_open_opts *opts,
                          cari_db **out);

/*
** Wrap a connection the embedder already has. cari registers the
** `indonesian` tokenizer on it and creates its tables if missing; the
** connection stays the caller's: cari_close() does not close it, and it must
** outlive the handle. `opts` as for cari_open_ex() (NULL: defaults); the
** connection's own read-only state adds CARI_OPEN_READONLY. *out as for
** cari_open().
*/
CARI_API int cari_open_sqlite(struct sqlite3 *conn, const cari_open_opts *opts,
                              cari_db **out);

/* Free the handle (and close its connection if cari opened it). NULL is
** harmless. Open cursors must be freed first; returns CARI_ERROR if not. */
CARI_API int cari_close(cari_db *db);

/* The detail of the last error on this handle, "" if none. Owned by the
** handle; valid until the next call on it. A NULL db gives a static text. */
CARI_API const char *cari_errmsg(cari_db *db);

/* The stemmer name this database analyzes with ("cari", "snowball", "none"). Owned
** by the handle. */
CARI_API const char *cari_stemmer(cari_db *db);

/* ------------------------------------------------------------------ */
/* Articles                                                            */
/* ------------------------------------------------------------------ */

/*
** An article. Every pointer is borrowed: cari copies what it keeps before
** the call returns. `id` is required (non-empty, at most 1024 bytes, valid
** UTF-8); the text fields must be valid UTF-8 when not NULL; NULL title or
** body count as empty. `source` is where the article came from ("a.md",
** "posts.jsonl:12"): used in messages only, never stored. `author` (last,
** so that initialisers without it stay valid) is stored and shown, not
** searched (README, "Authors").
*/
typedef struct cari_article {
  const char *id;
  const char *title;
  const char *body;
  const char *url;           /* optional */
  const char *date;          /* optional, kept as given; an ISO 8601 date
                             ** or date-time (cari_parse_date) is also
                             ** what filters and sorting by date use;
                             ** anything else leaves the article undated */
  const char *const *tags;   /* optional array of ntags strings: filters
                             ** compare them trimmed and case folded,
                             ** results show them trimmed, as written */
  size_t ntags;
  const char *source;        /* optional, for messages */
  const char *author;        /* optional: who wrote it */
} cari_article;

/* Add the article, or replace the one with the same id (its old text leaves
** the index). CARI_INVALID names the bad field. */
CARI_API int cari_put(cari_db *db, const cari_article *a);

/* Parse an ISO 8601 date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM,
** optionally :SS and a fraction, T or one space between, then optionally
** Z, +HH, +HHMM or +HH:MM; blanks around are ignored), as cari_put() does
** with an article's date. CARI_OK with *seconds (the instant since
** 1970-01-01T00:00Z; no zone given means UTC) and *day (the calendar date
** as written, in days since 1970-01-01); either pointer may be NULL.
** CARI_INVALID for anything else (an embedder or `cari index` reports the
** article as undated with its source). */
CARI_API int cari_parse_date(const char *text, long long *seconds, long long *day);

/* Remove the article with this id; CARI_NOTFOUND if there is none. */
CARI_API int cari_remove(cari_db *db, const char *id);

/* Number of articles stored, or -1 on error. */
CARI_API long long cari_count(cari_db *db);

/*
** Batches. Between cari_begin() and cari_commit() every put and remove lands
** together or not at all; cari_rollback() drops them. Without cari_begin()
** each put or remove is its own transaction.
*/
CARI_API int cari_begin(cari_db *db);
CARI_API int cari_commit(cari_db *db);
CARI_API int cari_rollback(cari_db *db);

/* Check the articles table, the full-text index and their agreement, and
** the top-k postings against the index when they are up to date (terms,
** article counts, field lengths). CARI_CORRUPT with a message when they
** disagree. On a handle opened CARI_OPEN_READONLY the full-text index's own
** check (which SQLite runs as a write) is skipped: the file's pages and the
** postings are still checked. */
CARI_API int cari_check(cari_db *db);

/* After a large load (optional, and what `cari index` does at its end):
** merge the index's segments into one and rebuild the top-k postings
** (query/topk.c), which let searches rank without scoring every match.
** Articles added, replaced or removed after it are still found and ranked
** exactly; only speed degrades until the next optimize (new articles are
** ranked by FTS5; more than 256 replaced or removed ones make every search
** exhaustive). A blog server can run it when about a tenth of its articles
** are new, as `cari index` does. Takes about as long as reading and
** analysing every article once (~25 s per 100k blog-length articles here).
**
** Meanwhile, on other connections or processes (the database in WAL mode,
** as cari_open() sets it): searches go on and see the old postings until
** the new ones are swapped in; cari_put(), cari_remove() and batches go on
** too, waiting for about one of the optimize's short write transactions
** (a merge step of the index, or a chunk of the new tables) and the pause
** it leaves after each (0.27 s at most in bench/README.md's measurement,
** against 11 s before). What they change while the optimize
** reads is known to the new postings as changed, so results stay exact.
** It must not be called inside a batch (CARI_INVALID). If it fails, the
** postings searches use are the ones before it. Two optimizes at once do
** not corrupt anything: the one whose build began first stops with
** CARI_ERROR and a message saying another one started; the other
** completes. Threads: one helper thread analyses half of the articles for
** the time of the call, unless the handle was opened CARI_OPEN_ONE_THREAD;
** the results are the same either way. */
CARI_API int cari_optimize(cari_db *db);

/* ------------------------------------------------------------------ */
/* Searching                                                           */
/* ------------------------------------------------------------------ */

/*
** Query syntax (any text is accepted; what is not syntax is words):
**   word      matched through the analyzer: `berkumpul` finds `kumpul`
**   "a b"     a phrase
**   -word     exclude articles with the word (also -"a phrase")
**   word*     prefix of a word as written
**   a OR b    accepted; words are already alternatives: an article need not
**             contain every word, articles with more of them rank higher
** Punctuation that is not syntax separates words. A query with no word left
** returns CARI_QUERY with a one-line reason.
**
** Bounds: a search box is open to anyone, so what one query may cost is
** bounded. The first 64 distinct words or phrases are searched for, the
** first 32 exclusions applied, and the first 8 prefixes expanded; a prefix
** needs 2 letters before the '*'. A prefix past those, or shorter, is
** searched as the word itself (`a*` finds the word `a`). A prefix that
** begins more than 32 of the index's terms matches its 32 most frequent
** ones (when the top-k postings exist: after cari_optimize). Whatever was
** cut, the search runs with the rest and cari_cursor_note() says what was
** cut. The SQLite work of each call stops after cari_search_opts.max_ms.
*/
#define CARI_SEARCH_NO_SNIPPET 0x01 /* skip snippets (batch evaluation) */
/* Score every matching article (FTS5 ORDER BY rank) instead of the pruned
** top-k evaluation: the same results, slower; for tests and benchmarks. */
#define CARI_SEARCH_EXHAUSTIVE 0x02
/* Count facets over the whole match set: cari_cursor_facet(). */
#define CARI_SEARCH_FACETS 0x04
/* Synonyms (cari_open_opts.thesaurus and .synonyms): each word of the query
** also finds its synonyms, weighted below the word itself (ranking key
** `synonym`), at most 4 per word and 32 per query; a synonym of several
** words is searched as a phrase. CARI_SEARCH_THESAURUS adds the
** thesaurus's (off by default: measured on the relevance sets it costs
** more than it gains, README "Synonyms"); CARI_SEARCH_NO_SYNONYMS leaves
** out the user's synonyms file. */
#define CARI_SEARCH_THESAURUS 0x08
#define CARI_SEARCH_NO_SYNONYMS 0x10
/* No typo matching and no did-you-mean: the query's words match only
** what they stem to, and nothing is looked up (the ranking setting typo=0
** adds no correction either, but still makes the did-you-mean). By default a word of 5 letters
** or more that the index knows rarely (in no article below 20,000 of
** them; in at most one in 20,000 above) also matches the vocabulary's
** closest words: one edit from 5 letters, two from 9, an edit of the
** first letter counting two, and the query's last word also as the start
** of a longer word. They score below the word itself (ranking setting
** typo=W: W per one edit, W*W for two; default 0.8), so an article with
** the word as typed ranks first among otherwise equal ones. */
#define CARI_SEARCH_NO_TYPO 0x20

#define CARI_SORT_RELEVANCE 0 /* best score first (ties by rowid) */
#define CARI_SORT_DATE 1      /* newest first (undated last), ties by score */
#define CARI_FACET_LIMIT 10   /* values per facet when facet_limit <= 0 */

typedef struct cari_search_opts {
  size_t size;             /* sizeof(cari_search_opts): CARI_SEARCH_OPTS_INIT */
  int limit;               /* results wanted; <= 0 means 10 */
  int offset;              /* results skipped first */
  const char *mark_open;   /* put before a matched word or phrase in
                           ** snippets; NULL "[" */
  const char *mark_close;  /* put after it; NULL "]" */
  const char *ellipsis;    /* marks cut text in snippets; NULL "…" */
  int snippet_words;       /* snippet length in words; <= 0 means 24 */
  int flags;               /* CARI_SEARCH_* */
  /* The ranking, NULL for the default: space-separated key=value settings,
  ** for comparing configurations (`cari eval --ranking`); an unknown key or
  ** a value out of range is CARI_INVALID with a message. The score is a
  ** per-field BM25 sum (query/rank.c's essay), then coordination and
  ** proximity. Keys, with their defaults:
  **   fn=cari         cari (this score) or bm25 (FTS5's own bm25())
  **   k1=1.2          BM25 term-frequency saturation (0..100)
  **   b=              sets b_title and b_body together (0..1)
  **   b_title=0.3     length normalisation of the title
  **   b_body=0.75     length normalisation of the body
  **   title=2 body=1  field weights
  **   surface=0.3     weight of the exact-form bonus (surface indexes)
  **   synonym=0.5     weight of a synonym beside its word (0: none)
  **   coord=1         score * (words held / query words)^coord
  **   coord_question=0  the same for questions
  **   coord_max=100   no coordination for queries of more words
  **   prox=0.25       score * (1 + prox / gap), gap the smallest distance in
  **                   tokens between two query words in one field
  **   prox_question=0 the same for questions
  **   stop=on         on/off: drop Indonesian function words from queries
  **   typo=0.8        weight of a misspelt word's correction (0 <= W < 1;
  **                   W*W at two edits; 0: none, see CARI_SEARCH_NO_TYPO)
  **   typo_swap=on    on/off: two neighbouring letters swapped are one edit */
  const char *ranking;
  /* Time budget, in milliseconds, of each call that searches: cari_search
  ** (ranking), cari_next (a snippet) and cari_cursor_total (the count).
  ** 0 means 2000; < 0 no limit. A call that runs out stops and returns
  ** CARI_QUERY with the message "the search took longer than N ms ...".
  ** It works through the connection's progress handler (sqlite3_progress_
  ** handler), which is set during those calls and cleared after them: an
  ** embedder's own handler on a cari_open_sqlite() connection is replaced. */
  int max_ms;
  /* Filters: only articles holding every one of the ntags tags (compared
  ** trimmed and case folded: "Kuliner " matches "kuliner") and, when from
  ** or to is set, dated (cari_parse_date) on or after `from` and on or
  ** before `to` (ISO 8601; their calendar dates count, inclusive; an
  ** undated article never passes a date bound). A bad date is
  ** CARI_INVALID. Filtering does not change the ranking: the results are
  ** exactly the unfiltered ones without the articles the filter rejects,
  ** in the same order with the same scores (those are skipped before
  ** scoring). */
  const char *const *tags;
  int ntags;
  const char *from, *to;
  int sort;                /* CARI_SORT_RELEVANCE (0) or CARI_SORT_DATE */
  /* With CARI_SEARCH_FACETS: values kept per facet, most frequent first;
  ** <= 0 means CARI_FACET_LIMIT. */
  int facet_limit;
} cari_search_opts;
#define CARI_SEARCH_OPTS_INIT \
  {sizeof(cari_search_opts), 0, 0, NULL, NULL, NULL, 0, 0, NULL, 0, \
   NULL, 0, NULL, NULL, 0, 0}

typedef struct cari_cursor cari_cursor;

/*
** Run a query (`len` bytes, or NUL-terminated if len < 0). `opts` may be NULL.
** On CARI_OK *out is a cursor positioned before the first result; the caller
** frees it with cari_cursor_free() before closing the db.
**
** Snapshot: a search reads one state of the database from cari_search() to
** cari_cursor_free(), whatever other connections write meanwhile: its total,
** hits and rows always agree. Outside a batch the handle holds a read
** transaction for that time, shared by the cursors open together and ended
** by freeing the last of them; until then writes on this handle
** (cari_put, cari_remove, cari_begin, cari_optimize) return CARI_INVALID.
** Free cursors promptly: an open snapshot keeps the write-ahead log from
** being folded into the file past it. Inside a batch (cari_begin) a search
** reads the batch's own changes and writes may go on.
*/
CARI_API int cari_search(cari_db *db, const char *query, int len,
                const cari_search_opts *opts, cari_cursor **out);

/* Advance: CARI_ROW when a result is ready, CARI_DONE at the end, or an
** error code (details in cari_errmsg() of the db). */
CARI_API int cari_next(cari_cursor *c);

/* The current result's fields. Strings are owned by the cursor and valid
** until the next cari_next() or cari_cursor_free(); optional fields may be
** NULL, and every field is NULL (the score 0) before the first row, after
** the last, or for a NULL cursor. The score is higher for better matches.
** The snippet is one line of
** the body as written; the article's control characters (C0, DEL, C1) show
** as spaces, so mark_open and mark_close are the only marks in it. */
CARI_API const char *cari_result_id(cari_cursor *c);
CARI_API const char *cari_result_title(cari_cursor *c);
CARI_API const char *cari_result_url(cari_cursor *c);
CARI_API const char *cari_result_date(cari_cursor *c);
CARI_API const char *cari_result_snippet(cari_cursor *c);
/* The article's author, NULL when it has none (or the database was written
** before authors were stored). */
CARI_API const char *cari_result_author(cari_cursor *c);
CARI_API double cari_result_score(cari_cursor *c);
/* The current result's tags, trimmed, as written: their number (0 for none
** or no row), and tag i (0 <= i < that number; NULL otherwise), owned by
** the cursor and valid until the next cari_next() or cari_cursor_free(). */
CARI_API int cari_result_ntags(cari_cursor *c);
CARI_API const char *cari_result_tag(cari_cursor *c, int i);

/* Facet counts (search with CARI_SEARCH_FACETS) over every article that
** matches the query and passes the filters, not only the page shown.
** `facet` is "tags" (tags as written; the same tag written differently
** counts once, under the smallest of its spellings) or "year" (the year
** of the date as written; undated articles are not counted). Value i of
** at most facet_limit, most frequent first (ties by value):
** CARI_ROW with *value (owned by the cursor until cari_cursor_free) and
** *count, CARI_DONE past the last, CARI_INVALID for another facet or a
** search without CARI_SEARCH_FACETS, CARI_QUERY past max_ms, or another
** error. The counts are made on the first call, in one look at every
** matching article (which also makes cari_cursor_total's count). */
CARI_API int cari_cursor_facet(cari_cursor *c, const char *facet, int i,
                      const char **value, long long *count);

/* How many articles match in all (ignoring limit and offset), into *total.
** CARI_OK; CARI_QUERY when counting took longer than max_ms; CARI_NOMEM or
** another error (cari_errmsg() of the db says what); CARI_INVALID for a
** NULL cursor or total. *total is -1 unless CARI_OK. The count is made
** once, on the first call, and is exact: for a query of words, prefixes
** and exclusions on an optimized index, from the top-k postings the search
** read (a few nanoseconds per matching article); otherwise (phrases, an
** index never optimized) FTS5 reads every matching article's positions. */
CARI_API int cari_cursor_total(cari_cursor *c, long long *total);

/* What the query's bounds cut (see "Bounds" above), as one line of
** sentences separated by "; " — e.g. "a prefix needs 2 letters before
** '*': 'a*' was searched as a word" — or NULL when nothing was cut. Owned
** by the cursor, valid until cari_cursor_free(). */
CARI_API const char *cari_cursor_note(cari_cursor *c);

/* The query with its likeliest correction ("did you mean"), or NULL. It
** is offered when a word of 5 letters or more is in no article (in at
** most one in 20,000 on a collection larger than that) while a word within
** its typo distance (CARI_SEARCH_NO_TYPO) is in at least one (ten times as
** many): that word's hits, if any, come only from the corrections. Each
** such word is replaced by its likeliest correction (fewest edits, then
** most articles, a word of hunspell-id's list counting double), in lower
** case as the vocabulary keeps it; the rest of the query stays as typed.
** Always NULL with CARI_SEARCH_NO_TYPO. Owned by the cursor, valid until cari_cursor_free(); NULL for a NULL
** cursor. */
CARI_API const char *cari_cursor_did_you_mean(cari_cursor *c);

/* The FTS5 expression searched: the query's translation, with a prefix's
** aliases when it has some (`membua*` also matches "buat"). Owned by the
** cursor. */
CARI_API const char *cari_cursor_expr(cari_cursor *c);

/* Free the cursor; NULL is harmless. */
CARI_API void cari_cursor_free(cari_cursor *c);

/*
** Related articles: those most like the article `id`, itself excluded, as
** a cursor of the same shape as cari_search() (the same options, filters
** and sorting included; snippets mark the words it was found by). The
** article's most distinctive stems are searched for: weighted by
** (1 + ln(3 * title occurrences + body occurrences)) times their BM25 idf
** in the collection, at most CARI_RELATED_TERMS of them (function words and
** numbers left out), each as a word of an OR query weighted by its share of
** the best weight, ranked by the top-k search without the proximity bonus
** (query/suggest.c). CARI_NOTFOUND when there is no such article;
** CARI_QUERY when it has no word to search by.
*/
#define CARI_RELATED_TERMS 16
CARI_API int cari_related(cari_db *db, const char *id, const cari_search_opts *opts,
                 cari_cursor **out);

/*
** Suggestions as a reader types: completions of the last word of `text`
** (len bytes, or NUL-terminated if len < 0), the partial word being the
** text after its last space (normalised as the index is: case folded,
** accents stripped). Words come from the index's own vocabulary of words as
** written (updated by every cari_put and cari_remove), most frequent first
** (the number of articles holding them); when `text` has earlier words
** (other than function words), words that occur in the articles holding
** them move up: the order is then their share among those articles,
** smoothed towards their share in the collection (query/suggest.c). At most `limit` (<= 0: 10; at most 100). On CARI_OK,
** *out is an array of *n entries the caller frees with
** cari_suggestions_free(); an empty partial word gives none. CARI_MISMATCH
** on a database made before the vocabulary was kept, opened read-only.
*/
typedef struct cari_suggestion {
  const char *word; /* owned by the array */
  long long count;  /* articles holding the word */
} cari_suggestion;
CARI_API int cari_suggest(cari_db *db, const char *text, int len, int limit,
                 cari_suggestion **out, int *n);
CARI_API void cari_suggestions_free(cari_suggestion *s);

/* ------------------------------------------------------------------ */
/* Readers: files to articles                                          */
/* ------------------------------------------------------------------ */

/*
** A reader walks one path: a file, a directory (recursively, files in
** byte order of their names, by extension: .jsonl/.ndjson, .md/.markdown,
** .html/.htm, .txt, .xml/.rss/.atom; other files are passed over) or "-"
** (JSONL on stdin, unless cari_reader_open_as() names another format).
**   JSONL     {"id","title","body","url"?,"date"?,"tags"?} one a line
**   Markdown  optional YAML front matter between --- lines (title, date,
**             tags, url, id or slug); text without markup. No title in the
**             front matter: the first heading.
**   HTML      title from <title>, else the first <h1>; text without script,
**             style, nav, header, footer, aside, form, template.
**   text      the headline (the first line that is not navigation, a
**             prompt, a byline or a date) is the title, the rest the body
**             without such lines (corpus/boiler.c has the rule table); a
**             byline ("Oleh X", "Penulis: X") gives the author. HTML
**             without <article>, <main> or <h1> is cleaned the same way.
**   XML       WordPress exports (WXR 1.0-1.2), Blogger exports, Atom, RSS
**             2.0 and RSS 1.0, told apart by the root element and
**             namespaces and read as a stream: one article per published
**             post or page (WXR) or post (Blogger), or per feed entry;
**             drafts, private posts, attachments, revisions, menu items,
**             comments, settings and templates are passed over and counted
**             (cari_reader_passed). corpus/xml.c says which field comes
**             from where. Malformed XML ends the file with CARI_FORMAT and
**             "file:line:column: what"; the entries before it were returned.
**             No network access and no external entities are ever read.
**             In a directory, an .xml file that is no feed or export (a
**             sitemap) is passed over and counted ("not a feed or
**             export"); named on its own, it is CARI_FORMAT.
** A file's article id, unless the file names one, is its path relative to
** the directory given (or its name, for a file given) without extension.
**
** Limits: every Markdown, HTML or text file is read, or refused with
** CARI_FORMAT and a message naming the file and the limit, in time and
** memory linear in its size; JSONL is read a line at a time.
**   - A Markdown, HTML or text file larger than CARI_READER_MAX_BYTES
**     (4 MiB) is refused unread; so is a JSONL line longer than that
**     (skipped without being kept in memory; the next lines are read).
**   - Front matter larger than CARI_READER_FRONT_MATTER_BYTES (64 KiB), or
**     holding more than CARI_READER_FRONT_MATTER_BRACKETS (256) '[' and '{'
**     in all, is refused before the YAML parser sees it.
**   - HTML is indexed from a rewritten copy of the page (see
**     corpus/htmlclean.c) whose elements nest at most CARI_READER_HTML_DEPTH
**     (256) deep, with at most CARI_READER_HTML_ELEMENTS (100,000)
**     elements: a start tag past either limit is left out and its text kept
**     in its parent, so such a page is indexed flattened, not refused.
** Symbolic links: a link named by `path` itself is followed. Inside a
** directory, links are never followed: one whose target lies inside the
** directory is passed over silently (its target is read where it is); a
** link to a directory, or a link named like an article, that points
** outside it, dangles or loops is passed over and reported as CARI_FORMAT
** ("path: symbolic link to outside the directory, not followed").
*/
#define CARI_READER_MAX_BYTES (4 * 1024 * 1024)
#define CARI_READER_FRONT_MATTER_BYTES (64 * 1024)
#define CARI_READER_FRONT_MATTER_BRACKETS 256
#define CARI_READER_HTML_DEPTH 256
#define CARI_READER_HTML_ELEMENTS 100000

typedef struct cari_reader cari_reader;

/* Open a reader on `path`. *out as for cari_open(): the reader, or on
** failure (CARI_IO, CARI_FORMAT, CARI_INVALID) a reader that holds only
** the message (cari_reader_errmsg(); cari_reader_next() returns the same
** code again), or NULL (CARI_NOMEM). The caller frees the reader with
** cari_reader_close(). */
CARI_API int cari_reader_open(const char *path, cari_reader **out);

/* The same, reading a file or "-" as `format`: "jsonl", "xml", "markdown",
** "html" or "text" (NULL or "auto": by extension; "-" is then JSONL).
** Markdown, HTML and text on stdin are read whole, at most
** CARI_READER_MAX_BYTES. CARI_INVALID for an unknown format, or a format
** named for a directory. *out as for cari_reader_open(). */
CARI_API int cari_reader_open_as(const char *path, const char *format,
                                 cari_reader **out);

/* The format of the article last returned, or of the file the last error
** came from: "jsonl", "markdown", "html", "text", "wxr", "blogger", "atom",
** "rss2", "rss1" ("xml" before an XML file's first entry); "" before any.
** Static text. */
CARI_API const char *cari_reader_format(cari_reader *r);

/* Entries passed over on purpose (not errors: drafts, comments, …),
** counted by format and reason. For i = 0, 1, …: CARI_ROW with *format
** (static), *reason (owned by the reader, valid until it is closed) and
** *count; CARI_DONE past the last; CARI_INVALID for a NULL reader. Any
** out pointer may be NULL. */
CARI_API int cari_reader_passed(cari_reader *r, size_t i,
                                const char **format, const char **reason,
                                long long *count);

/*
** Read the next article into *a. Returns CARI_ROW (the article's strings are
** owned by the reader and valid until the next call), CARI_DONE, CARI_FORMAT
** (a malformed record was skipped: cari_reader_errmsg() says file, line and
** what; call again for the next one), or CARI_IO/CARI_NOMEM (stop).
*/
CARI_API int cari_reader_next(cari_reader *r, cari_article *a);

/* The last error's message ("file:line: what"), "" if none. Owned by the
** reader. */
CARI_API const char *cari_reader_errmsg(cari_reader *r);

/* Input bytes consumed so far and in all (total is 0 when unknown, as on
** stdin), for progress displays. */
CARI_API void cari_reader_progress(cari_reader *r, long long *done, long long *total);

/* Free the reader; NULL is harmless. */
CARI_API void cari_reader_close(cari_reader *r);

/* ------------------------------------------------------------------ */
/* The analyzer on its own                                             */
/* ------------------------------------------------------------------ */

typedef struct cari_analyzer cari_analyzer;

/* Create an analyzer: the stemmer ("cari", "cari_formal" (cari without
** informal readings), "snowball", "none") and the `cari` stemmer's lexicon
** of `opts` (its flags are not used; NULL: every default, the `cari`
** stemmer). CARI_INVALID for an unknown stemmer; CARI_IO when the lexicon
** cannot be read (hunspell-id missing, or a file of opts). *out as for
** cari_open(): the analyzer, or on failure one that holds only the message
** (cari_analyzer_errmsg(), then free it), or NULL (CARI_NOMEM). Free with
** cari_analyzer_free(); NULL is harmless. */
CARI_API int cari_analyzer_new(const cari_open_opts *opts, cari_analyzer **out);
/* The last error's message, "" if none. Owned by the analyzer; valid until
** the next call on it. A NULL analyzer gives a static text. */
CARI_API const char *cari_analyzer_errmsg(cari_analyzer *an);
CARI_API void cari_analyzer_free(cari_analyzer *an);

/* Called once per term: the token as written (text[start..end) of the
** input), and a term indexed for it. A token indexed under several terms
** (an informal word beside its formal reading: `ngumpul` gives `kumpul`,
** then `ngumpul`) gives one call per term, with the same start and end,
** the term it counts as first. Both pointers are valid only during the
** call. Return non-zero to stop. */
typedef int (*cari_token_fn)(void *ctx, const char *term, int term_len,
                             int start, int end);

/* Split `text` (len bytes, or NUL-terminated if len < 0) into tokens and
** give each to fn. Returns CARI_OK, CARI_NOMEM, or CARI_ERROR when fn stopped. */
CARI_API int cari_analyze(cari_analyzer *an, const char *text, int len, cari_token_fn fn,
                 void *ctx);

/* The list of stemmer names this build provides, NULL-terminated, static. */
CARI_API const char *const *cari_stemmers(void);

#ifdef __cplusplus
}
#endif
#endif /* CARI_H */
