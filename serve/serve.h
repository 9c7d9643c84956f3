/*
** serve.h — the one internal header of `cari serve` (serve/), split into
** "Interface to code in X.c" sections. serve/ is a client of include/cari.h
** only: nothing here reaches into the library's own folders. It declares
** no HTTP parsing of its own: libmicrohttpd does that (http.c).
*/
#ifndef CARI_SERVE_H
#define CARI_SERVE_H

#include <pthread.h>
#include <stddef.h>

#include "cari.h"

/* ---- Interface to code in buf.c ------------------------------------ */

/* A growable byte buffer with a sticky error: once an append fails for
** want of memory, `oom` is set and every later append does nothing, so a
** renderer checks once at its end. `p` is always NUL-terminated when
** n > 0; the caller owns it and frees it with free() (or srv_buf_free). */
typedef struct srv_buf {
  char *p;
  size_t n, cap;
  int oom;
} srv_buf;

void srv_buf_add(srv_buf *b, const char *s, size_t n);
void srv_buf_str(srv_buf *b, const char *s);
void srv_buf_printf(srv_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Text as HTML (&, <, >, ", ' escaped); \1 and \2, the snippet marks this
** server asks the library for, become <mark> and </mark> with
** SRV_HTML_MARKS in `flags` and are dropped otherwise; SRV_HTML_KEEP_APOS
** leaves ' as it is (the JSON snippet, as `cari search --json` writes it).
** NULL appends nothing. */
#define SRV_HTML_MARKS 1
#define SRV_HTML_KEEP_APOS 2
void srv_buf_html(srv_buf *b, const char *s, int flags);
/* Text percent-encoded for a URL's query string (unreserved bytes kept). */
void srv_buf_urlenc(srv_buf *b, const char *s);
void srv_buf_free(srv_buf *b);

/* 1 when s[0..n) is valid UTF-8 without NUL bytes. */
int srv_utf8_ok(const char *s, size_t n);

/* ---- Interface to code in search.c --------------------------------- */

/* One result, its strings copied out of the cursor (owned by the hit). */
typedef struct srv_hit {
  char *id, *title, *url, *date, *author;
  char *snippet; /* \1 \2 marks, raw */
  char **tags;   /* ntags tags as written, each owned */
  int ntags;
  double score;
} srv_hit;

/* What a search asks for (GET /search's and the page's parameters), every
** string borrowed from the request for the time of the call. */
#define SRV_MAX_TAGS 16 /* tag parameters one request may give */
#define SRV_MAX_TAGS_TEXT "16"
typedef struct srv_query {
  const char *q;
  int limit, offset;
  const char *tags[SRV_MAX_TAGS]; /* every one must match */
  int ntags;
  const char *from, *to;          /* ISO 8601 dates, inclusive, or NULL */
  int sort;                       /* CARI_SORT_RELEVANCE or CARI_SORT_DATE */
  int facet_limit;                /* > 0: facets, that many values each */
  int max_ms;                     /* the time limit (srv_search) */
} srv_query;

/* One facet's values, most frequent first (owned by the results). */
typedef struct srv_facet {
  char **value;
  long long *count;
  int n;
} srv_facet;

/* A finished search: everything a renderer needs, no database handle.
** Owned by the caller; freed with srv_results_free. */
typedef struct srv_results {
  char *query;        /* as given (the article id, for related ones) */
  long long total;    /* -1 when counting ran out of time */
  srv_hit *hits;
  int n, offset, limit;
  char *note;         /* what the query's bounds cut, or NULL */
  char *did_you_mean; /* the query's likeliest correction, or NULL */
  char *message;      /* CARI_QUERY: nothing to search for, or NULL */
  int timed_out;      /* the time limit stopped the search */
  int has_facets;     /* facets[0] tags, facets[1] years were counted */
  srv_facet facets[2];
  double took_ms;
} srv_results;

/* The readers' pool: up to `cap` read-only handles on one database, each
** used by one thread at a time (checked out for one request). */
typedef struct srv_pool srv_pool;

/* `oo`: the options every handle is opened with (CARI_OPEN_READONLY
** added): the lexicon the database was made with. Borrowed, with its
** strings: they must outlive the pool. */
int srv_pool_new(const char *path, const cari_open_opts *oo, int cap,
                 srv_pool **out, char *err, size_t errcap);
cari_db *srv_pool_get(srv_pool *p, char *err, size_t errcap);
void srv_pool_put(srv_pool *p, cari_db *db);
void srv_pool_free(srv_pool *p);

/* Run the query on a pooled handle with snippets, the total (and the
** facets when asked), and sq->max_ms as the time limit of each library call
** and of the whole (checked between calls, so a search takes at most about
** 2 * max_ms). CARI_OK (also when the query had nothing to search for:
** r->message; or ran out of time: r->timed_out), or an error code with the
** message in err (CARI_INVALID: a bad filter, e.g. a date). */
int srv_search(srv_pool *p, const srv_query *sq, srv_results *r, char *err,
               size_t errcap);
/* The articles related to article `id` (cari_related: no snippets, no
** total): CARI_OK (r->message when it has no word to search by),
** CARI_NOTFOUND, or an error code; err as for srv_search. */
int srv_related(srv_pool *p, const char *id, int limit, int max_ms,
                srv_results *r, char *err, size_t errcap);
/* Completions of the last word of `text` (cari_suggest): CARI_OK with *out
** (the caller frees it with cari_suggestions_free) and *n, or an error
** code with the message in err. */
int srv_suggest(srv_pool *p, const char *text, int limit,
                cari_suggestion **out, int *n, char *err, size_t errcap);
void srv_results_free(srv_results *r);

/* ---- Interface to code in render.c --------------------------------- */

/* The JSON of `cari search --json` ({query, total, results:[{id, title,
** url, date, author, tags, score, snippet}], note?, facets?}, or {query,
** total:0, results:[], message} when there was nothing to search for) plus
** took_ms. A string the caller frees, or NULL when out of memory. */
char *srv_results_json(const srv_results *r);
/* The JSON of `cari related --json` ({id, results:[{id, title, url, date,
** tags, score}]}; message when the article has no word to search by) plus
** took_ms; NULL when out of memory. */
char *srv_related_json(const srv_results *r);
/* The JSON of `cari suggest --json` ({text, suggestions:[{word, count}]})
** plus took_ms; NULL when out of memory. */
char *srv_suggest_json(const char *text, const cari_suggestion *s, int n,
                       double took_ms);

/* The search page: a form (keeping sq's filters), the active filters, the
** sort switch, facet counts as filter links, the results (their tags as
** filter links) or "nothing found", page links. `sq` may be NULL (no
** query); `error` (may be NULL) is shown instead of results. Returns a
** string the caller frees, or NULL when out of memory. */
char *srv_page_html(const srv_query *sq, const srv_results *r, int per_page,
                    const char *error);

/* The stylesheet of the page and its search-as-you-type script
** (serve/page.css, serve/page.js, embedded at build time). */
extern const char srv_page_css[];
extern const size_t srv_page_css_len;
extern const char srv_page_js[];
extern const size_t srv_page_js_len;

/* ---- Interface to code in writer.c --------------------------------- */

/* The one writer connection (a mutex serialises writes) and the background
** thread that optimizes when enough has changed since the last build. */
typedef struct srv_writer srv_writer;

/* optimize_after: changes that start an optimize by themselves; 0 never;
** < 0 the default (a tenth of the articles, between 32 and 256). `oo`: the
** open options of both handles (the lexicon), borrowed for the call. */
int srv_writer_new(const char *path, const cari_open_opts *oo,
                   long optimize_after, srv_writer **out, char *err,
                   size_t errcap);
/* Stop the optimizer (waiting for an optimize in progress) and close. */
void srv_writer_free(srv_writer *w);

/* A parsed article, its strings owned by the JSON object it came from. */
typedef struct srv_article {
  cari_article a;
  const char *tags[64];
  long line; /* in a JSONL body, for messages; 0 otherwise */
} srv_article;

/* Store one article; remove one id; store many in one batch (all or
** none). Return CARI_OK or a code, the message in err. */
int srv_writer_put(srv_writer *w, const cari_article *a, char *err,
                   size_t errcap);
int srv_writer_remove(srv_writer *w, const char *id, char *err, size_t errcap);
int srv_writer_put_many(srv_writer *w, const srv_article *as, size_t n,
                        char *err, size_t errcap);
/* Ask the background thread for an optimize; with `wait`, return only when
** one begun after this call has finished (its rc, and message in err). */
int srv_writer_optimize(srv_writer *w, int wait, char *err, size_t errcap);

/* The state /health reports. */
typedef struct srv_writer_state {
  long long changes;     /* articles put or removed since the last build */
  long long threshold;   /* changes that start an optimize (0: never) */
  int optimizing;
  long long optimizes;   /* finished, since the server started */
  int last_rc;           /* of the last optimize, CARI_OK if none */
} srv_writer_state;
void srv_writer_state_get(srv_writer *w, srv_writer_state *s);

/* ---- Interface to code in article.c -------------------------------- */

/* Parse one JSON article ({"id","title","body","url"?,"date"?,"tags"?}, as
** a line of JSONL). `id` (may be NULL) is the path's id: the body's id, if
** any, must equal it. Fills `out` with pointers into `o`, which must
** outlive it. CARI_OK, or CARI_INVALID with the field named in err. */
struct json_t;
int srv_article_parse(struct json_t *o, const char *id, srv_article *out,
                      char *err, size_t errcap);

/* ---- Interface to code in http.c ----------------------------------- */

typedef struct srv_config {
  const char *db;
  const char *listen;      /* host:port */
  int threads;
  const char *token;       /* NULL: writes are off */
  size_t max_body;         /* bytes of a request body */
  size_t max_query;        /* bytes of q */
  int max_ms;              /* time limit of each library call of a search */
  int quiet;               /* no access log */
  long optimize_after;
  cari_open_opts open;     /* the lexicon: $CARI_DIC, $CARI_ROOTS and
                           ** $CARI_EXCEPTIONS, as the other commands read
                           ** them (the environment's strings) */
} srv_config;

typedef struct srv_server srv_server;

/* Start listening on fd (bound and listening) with cfg's pool and writer.
** On failure NULL and a message in err. */
srv_server *srv_http_start(const srv_config *cfg, int fd, srv_pool *pool,
                           srv_writer *w, char *err, size_t errcap);
/* Stop accepting, let the requests in flight finish (at most `grace_ms`),
** then stop every thread. The pool and writer stay the caller's. */
void srv_http_stop(srv_server *s, int grace_ms);

/* Constant-time comparison of a presented token with the configured one:
** 1 when equal. Time depends only on the lengths. */
int srv_token_eq(const char *given, size_t given_len, const char *want);

/* ---- Interface to code in main.c ----------------------------------- */

/* `cari serve`, called by the `cari` command with argv[0] the program name
** and argv[1] the first argument after "serve". Returns the exit status. */
int cari_cmd_serve(int argc, char **argv);

#endif
