/*
** http.c — the HTTP side of `cari serve` on libmicrohttpd: its own polling
** with a pool of worker threads, each request routed to a handler, request
** bodies gathered up to the limit, the bearer token checked before any
** write, every error answered as JSON, and one access-log line per request.
** It parses no HTTP itself and holds no database handle of its own (the
** pool and the writer do).
**
** Endpoints (README.md, "cari serve"):
**   GET  /                 the search page (?q=, &page=, and the filters)
**   GET  /style.css        its stylesheet
**   GET  /app.js           its search-as-you-type script (optional)
**   GET  /search           JSON (?q=, &limit=, &offset=, &tag=..., &from=,
**                          &to=, &sort=, &facets=1, &facet_limit=)
**   GET  /related/{id}     JSON: articles like that one (?limit=)
**   GET  /suggest          JSON: completions of q's last word (?q=, &limit=)
**   GET  /health           JSON: article count, optimizer state
**   PUT  /articles/{id}    one JSON article              (token)
**   DELETE /articles/{id}                                (token)
**   POST /articles         JSONL, one batch               (token)
**   POST /optimize         rebuild the top-k postings     (token)
*/
#include <errno.h>
#include <jansson.h>
#include <microhttpd.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "serve.h"

#define PER_PAGE 10
#define MAX_LIMIT 100
#define MAX_OFFSET 10000

struct srv_server {
  const srv_config *cfg;
  srv_pool *pool;
  srv_writer *writer;
  struct MHD_Daemon *d;
  atomic_int inflight;
};

/* One request: made when its first line arrives (uri_log), freed when it
** completes (on_completed). */
typedef struct req {
  srv_server *s;
  struct timespec t0;
  char method[16];
  char path[256];     /* for the log: the path, never the query string */
  int status;         /* 0 until a response is queued */
  int started;        /* the handler has seen the headers */
  int too_big;
  srv_buf body;
} req;

/* ---- responses ----------------------------------------------------- */

static enum MHD_Result send_buf(req *r, struct MHD_Connection *c, int status,
                                const char *type, char *text, size_t n) {
  struct MHD_Response *resp =
      MHD_create_response_from_buffer(n, text, MHD_RESPMEM_MUST_FREE);
  if (!resp) {
    free(text);
    return MHD_NO;
  }
  MHD_add_response_header(resp, "Content-Type", type);
  MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
  if (!strncmp(type, "text/html", 9)) {
    /* Defence in depth: the page escapes everything; this keeps anything
    ** that slipped through from running. */
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'none'; style-src 'self'; "
                            "script-src 'self'; connect-src 'self'; "
                            "form-action 'self'; base-uri 'none'; "
                            "frame-ancestors 'none'");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
  } else if (!strncmp(type, "application/json", 16)) {
    MHD_add_response_header(resp, "Cache-Control", "no-store");
  }
  if (status == MHD_HTTP_METHOD_NOT_ALLOWED) {
    const char *allow = "GET, HEAD";
    if (!strncmp(r->path, "/articles/", 10)) allow = "PUT, DELETE";
    else if (!strcmp(r->path, "/articles") || !strcmp(r->path, "/optimize"))
      allow = "POST";
    MHD_add_response_header(resp, "Allow", allow);
  }
  if (status == MHD_HTTP_UNAUTHORIZED)
    MHD_add_response_header(resp, "WWW-Authenticate", "Bearer");
  r->status = status;
  enum MHD_Result ok = MHD_queue_response(c, (unsigned)status, resp);
  MHD_destroy_response(resp);
  return ok;
}

static enum MHD_Result send_json(req *r, struct MHD_Connection *c, int status,
                                 json_t *o) {
  char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
  json_decref(o);
  if (!text) return MHD_NO;
  return send_buf(r, c, status, "application/json", text, strlen(text));
}

static enum MHD_Result send_error(req *r, struct MHD_Connection *c, int status,
                                  const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static enum MHD_Result send_error(req *r, struct MHD_Connection *c, int status,
                                  const char *fmt, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  /* The message may quote what the client sent: JSON needs valid UTF-8. */
  if (!srv_utf8_ok(msg, strlen(msg))) snprintf(msg, sizeof msg, "bad request");
  return send_json(r, c, status, json_pack("{s:s}", "error", msg));
}

/* The status a library error answers with. */
static int status_of(int rc) {
  switch (rc) {
  case CARI_INVALID: return MHD_HTTP_BAD_REQUEST;
  case CARI_NOTFOUND: return MHD_HTTP_NOT_FOUND;
  case CARI_IO: return MHD_HTTP_SERVICE_UNAVAILABLE; /* busy: try again */
  default: return MHD_HTTP_INTERNAL_SERVER_ERROR;
  }
}

/* ---- parameters ---------------------------------------------------- */

/* An integer parameter in [min, max]; absent: dflt. 0, or -1 after
** answering 400 naming it. */
static int int_param(req *r, struct MHD_Connection *c, const char *name,
                     int dflt, int min, int max, int *out) {
  const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
  char *end;
  if (!v) {
    *out = dflt;
    return 0;
  }
  errno = 0;
  long n = strtol(v, &end, 10);
  if (!v[0] || *end || errno || n < min || n > max) {
    send_error(r, c, MHD_HTTP_BAD_REQUEST,
               "parameter %s: a whole number from %d to %d", name, min, max);
    return -1;
  }
  *out = (int)n;
  return 0;
}

/* The query q: present unless `optional`, valid UTF-8, within the limit. */
static int q_param(req *r, struct MHD_Connection *c, int optional,
                   const char **out) {
  const char *q = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "q");
  size_t n = q ? strlen(q) : 0;
  *out = q;
  if (!q || !q[0]) {
    if (optional) return 0;
    send_error(r, c, MHD_HTTP_BAD_REQUEST, "parameter q: missing or empty");
    return -1;
  }
  if (n > r->s->cfg->max_query) {
    send_error(r, c, MHD_HTTP_BAD_REQUEST,
               "parameter q: %zu bytes, more than the limit of %zu", n,
               r->s->cfg->max_query);
    return -1;
  }
  if (!srv_utf8_ok(q, n)) {
    send_error(r, c, MHD_HTTP_BAD_REQUEST, "parameter q: not valid UTF-8");
    return -1;
  }
  return 0;
}

/* ---- reads --------------------------------------------------------- */

/* Every `tag` parameter (repeatable) into the query. */
typedef struct tag_walk {
  srv_query *sq;
  size_t max_len;
  const char *bad; /* what is wrong with one of them, or NULL */
} tag_walk;

static enum MHD_Result tag_iter(void *cls, enum MHD_ValueKind kind,
                                const char *key, const char *value) {
  tag_walk *w = cls;
  if (strcmp(key, "tag") != 0 || w->bad) return MHD_YES;
  if (!value) value = ""; /* ?tag alone: an empty tag, which asks for nothing */
  if (w->sq->ntags == SRV_MAX_TAGS)
    w->bad = "parameter tag: more than " SRV_MAX_TAGS_TEXT " tags";
  else if (strlen(value) > w->max_len)
    w->bad = "parameter tag: longer than the query limit";
  else if (!srv_utf8_ok(value, strlen(value)))
    w->bad = "parameter tag: not valid UTF-8";
  else
    w->sq->tags[w->sq->ntags++] = value;
  return MHD_YES;
}

/* The filters and the sort (tag..., from, to, sort) into sq: 0, or -1 with
** what is wrong, naming the parameter, in msg. */
static int filter_params(req *r, struct MHD_Connection *c, srv_query *sq,
                         char *msg, size_t cap) {
  tag_walk w = {sq, r->s->cfg->max_query, NULL};
  MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, tag_iter, &w);
  if (w.bad) {
    snprintf(msg, cap, "%s", w.bad);
    return -1;
  }
  static const char *const dates[2] = {"from", "to"};
  for (int i = 0; i < 2; i++) {
    const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND,
                                                dates[i]);
    if (v && (strlen(v) > 64 || cari_parse_date(v, NULL, NULL) != CARI_OK)) {
      snprintf(msg, cap, "parameter %s: an ISO 8601 date (YYYY-MM-DD) or "
               "date-time", dates[i]);
      return -1;
    }
    if (i) sq->to = v;
    else sq->from = v;
  }
  const char *s = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "sort");
  if (!s || !strcmp(s, "relevance")) {
    sq->sort = CARI_SORT_RELEVANCE;
  } else if (!strcmp(s, "date")) {
    sq->sort = CARI_SORT_DATE;
  } else {
    snprintf(msg, cap, "parameter sort: relevance or date");
    return -1;
  }
  return 0;
}

/* A search's outcome as JSON (200), or its error (500, 503 past the time
** limit, 400 for what the library found wrong with the parameters). */
static enum MHD_Result send_results(req *r, struct MHD_Connection *c, int rc,
                                    srv_results *res, const char *err,
                                    char *(*json)(const srv_results *)) {
  enum MHD_Result ok;
  if (rc != CARI_OK) {
    ok = send_error(r, c, rc == CARI_NOTFOUND ? MHD_HTTP_NOT_FOUND
                          : rc == CARI_INVALID ? MHD_HTTP_BAD_REQUEST
                                               : MHD_HTTP_INTERNAL_SERVER_ERROR,
                    "%s", err);
  } else if (res->timed_out) {
    ok = send_error(r, c, MHD_HTTP_SERVICE_UNAVAILABLE, "%s", err);
  } else {
    char *text = json(res);
    ok = text ? send_buf(r, c, MHD_HTTP_OK, "application/json", text,
                         strlen(text))
              : MHD_NO;
  }
  srv_results_free(res);
  return ok;
}

static enum MHD_Result do_search(req *r, struct MHD_Connection *c) {
  srv_query sq;
  memset(&sq, 0, sizeof sq);
  int facets;
  char err[512] = "";
  if (q_param(r, c, 0, &sq.q) ||
      int_param(r, c, "limit", 10, 1, MAX_LIMIT, &sq.limit) ||
      int_param(r, c, "offset", 0, 0, MAX_OFFSET, &sq.offset) ||
      int_param(r, c, "facets", 0, 0, 1, &facets) ||
      int_param(r, c, "facet_limit", CARI_FACET_LIMIT, 1, MAX_LIMIT,
                &sq.facet_limit))
    return MHD_YES;
  if (filter_params(r, c, &sq, err, sizeof err))
    return send_error(r, c, MHD_HTTP_BAD_REQUEST, "%s", err);
  if (!facets) sq.facet_limit = 0;
  sq.max_ms = r->s->cfg->max_ms;
  srv_results res;
  int rc = srv_search(r->s->pool, &sq, &res, err, sizeof err);
  return send_results(r, c, rc, &res, err, srv_results_json);
}

static enum MHD_Result do_related(req *r, struct MHD_Connection *c,
                                  const char *id) {
  int limit;
  char err[512] = "";
  if (!srv_utf8_ok(id, strlen(id)))
    return send_error(r, c, MHD_HTTP_BAD_REQUEST, "id: not valid UTF-8");
  if (int_param(r, c, "limit", 10, 1, MAX_LIMIT, &limit)) return MHD_YES;
  srv_results res;
  int rc = srv_related(r->s->pool, id, limit, r->s->cfg->max_ms, &res, err,
                       sizeof err);
  return send_results(r, c, rc, &res, err, srv_related_json);
}

static double ms_since(const struct timespec *t0) {
  struct timespec t1;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  return (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
         (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static enum MHD_Result do_suggest(req *r, struct MHD_Connection *c) {
  const char *q;
  int limit, n;
  char err[512] = "";
  if (q_param(r, c, 0, &q) ||
      int_param(r, c, "limit", 10, 1, MAX_LIMIT, &limit))
    return MHD_YES;
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  cari_suggestion *s;
  int rc = srv_suggest(r->s->pool, q, limit, &s, &n, err, sizeof err);
  if (rc) return send_error(r, c, status_of(rc), "%s", err);
  char *text = srv_suggest_json(q, s, n, ms_since(&t0));
  cari_suggestions_free(s);
  if (!text) return MHD_NO;
  return send_buf(r, c, MHD_HTTP_OK, "application/json", text, strlen(text));
}

static enum MHD_Result do_page(req *r, struct MHD_Connection *c) {
  srv_query sq;
  memset(&sq, 0, sizeof sq);
  sq.q = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "q");
  const char *pg = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND,
                                               "page");
  char err[512] = "", msg[256];
  const char *error = NULL;
  int status = MHD_HTTP_OK, page = 1, run = 0;
  srv_results res;
  memset(&res, 0, sizeof res);
  size_t n = sq.q ? strlen(sq.q) : 0;
  if (sq.q && n > r->s->cfg->max_query) {
    snprintf(msg, sizeof msg, "Kata pencarian terlalu panjang (lebih dari "
             "%zu bita).", r->s->cfg->max_query);
    error = msg;
  } else if (sq.q && !srv_utf8_ok(sq.q, n)) {
    error = "Kata pencarian bukan teks UTF-8 yang sah.";
  } else if (filter_params(r, c, &sq, err, sizeof err)) {
    error = "Saringan tidak sah (tag, tanggal atau urutan).";
  } else if (pg) {
    char *end;
    long v = strtol(pg, &end, 10);
    if (!pg[0] || *end || v < 1 || v > MAX_OFFSET / PER_PAGE + 1)
      error = "Nomor halaman tidak sah.";
    else page = (int)v;
  }
  if (error) {
    status = MHD_HTTP_BAD_REQUEST;
    /* Nothing is echoed: it may be what made the request bad. */
    memset(&sq, 0, sizeof sq);
  } else if (sq.q && sq.q[0]) {
    sq.limit = PER_PAGE;
    sq.offset = (page - 1) * PER_PAGE;
    sq.facet_limit = CARI_FACET_LIMIT;
    sq.max_ms = r->s->cfg->max_ms;
    int rc = srv_search(r->s->pool, &sq, &res, err, sizeof err);
    run = 1;
    if (rc != CARI_OK) {
      status = MHD_HTTP_INTERNAL_SERVER_ERROR;
      error = "Maaf, pencarian gagal. Coba lagi nanti.";
    } else if (res.timed_out) {
      status = MHD_HTTP_SERVICE_UNAVAILABLE;
      error = "Pencarian ini terlalu lama. Coba kata yang lebih khusus.";
    }
  }
  char *html = srv_page_html(&sq, run ? &res : NULL, PER_PAGE, error);
  if (run) srv_results_free(&res);
  if (!html) return MHD_NO;
  return send_buf(r, c, status, "text/html; charset=utf-8", html,
                  strlen(html));
}

static enum MHD_Result do_static(req *r, struct MHD_Connection *c,
                                 const char *text, size_t n,
                                 const char *type) {
  char *copy = malloc(n + 1);
  if (!copy) return MHD_NO;
  memcpy(copy, text, n + 1);
  return send_buf(r, c, MHD_HTTP_OK, type, copy, n);
}

static enum MHD_Result do_health(req *r, struct MHD_Connection *c) {
  char err[512] = "";
  cari_db *db = srv_pool_get(r->s->pool, err, sizeof err);
  if (!db)
    return send_error(r, c, MHD_HTTP_SERVICE_UNAVAILABLE, "%s", err);
  long long count = cari_count(db);
  if (count < 0) snprintf(err, sizeof err, "%s", cari_errmsg(db));
  srv_pool_put(r->s->pool, db);
  if (count < 0)
    return send_error(r, c, MHD_HTTP_SERVICE_UNAVAILABLE, "%s", err);
  json_t *o = json_pack("{s:s, s:I, s:s, s:b}", "status", "ok", "articles",
                        (json_int_t)count, "version", cari_version(),
                        "writes", r->s->writer != NULL);
  if (o && r->s->writer) {
    srv_writer_state st;
    srv_writer_state_get(r->s->writer, &st);
    json_object_set_new(
        o, "index",
        json_pack("{s:I, s:I, s:b, s:I, s:s}", "changes_since_optimize",
                  (json_int_t)st.changes, "optimize_after",
                  (json_int_t)st.threshold, "optimizing", st.optimizing,
                  "optimizes", (json_int_t)st.optimizes, "last_optimize",
                  cari_errstr(st.last_rc)));
  }
  return send_json(r, c, MHD_HTTP_OK, o);
}

/* ---- writes -------------------------------------------------------- */

/* 1 when the request may write; otherwise answers 401/403 and gives 0. */
static int authorized(req *r, struct MHD_Connection *c) {
  const char *want = r->s->cfg->token;
  if (!want || !r->s->writer) {
    send_error(r, c, MHD_HTTP_FORBIDDEN,
               "writes are off: the server was started without --token-file");
    return 0;
  }
  const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                              MHD_HTTP_HEADER_AUTHORIZATION);
  if (h && !strncasecmp(h, "Bearer ", 7)) {
    h += 7;
    while (*h == ' ') h++;
    if (srv_token_eq(h, strlen(h), want)) return 1;
  }
  send_error(r, c, MHD_HTTP_UNAUTHORIZED,
             h ? "wrong token" : "missing Authorization: Bearer <token>");
  return 0;
}

static json_t *load_body(req *r, struct MHD_Connection *c) {
  json_error_t e;
  json_t *o = json_loadb(r->body.p ? r->body.p : "", r->body.n, 0, &e);
  if (!o)
    send_error(r, c, MHD_HTTP_BAD_REQUEST, "body: invalid JSON at line %d "
               "column %d: %s", e.line, e.column, e.text);
  return o;
}

static enum MHD_Result do_put(req *r, struct MHD_Connection *c,
                              const char *id) {
  char err[1024] = "";
  srv_article a;
  json_t *o = load_body(r, c);
  if (!o) return MHD_YES;
  int rc = srv_article_parse(o, id, &a, err, sizeof err);
  if (rc == CARI_OK) rc = srv_writer_put(r->s->writer, &a.a, err, sizeof err);
  enum MHD_Result ok =
      rc ? send_error(r, c, status_of(rc), "%s", err)
         : send_json(r, c, MHD_HTTP_OK,
                     json_pack("{s:s, s:s}", "id", id, "status", "stored"));
  json_decref(o);
  return ok;
}

static enum MHD_Result do_delete(req *r, struct MHD_Connection *c,
                                 const char *id) {
  char err[1024] = "";
  int rc = srv_writer_remove(r->s->writer, id, err, sizeof err);
  if (rc) return send_error(r, c, status_of(rc), "%s", err);
  return send_json(r, c, MHD_HTTP_OK,
                   json_pack("{s:s, s:s}", "id", id, "status", "removed"));
}

/* POST /articles: JSONL, every line an article, all stored in one batch or
** none (the first bad line is named). */
static enum MHD_Result do_post(req *r, struct MHD_Connection *c) {
  char err[1024] = "";
  const char *p = r->body.p ? r->body.p : "", *end = p + r->body.n;
  size_t n = 0, cap = 0;
  srv_article *as = NULL;
  json_t **objs = NULL;
  int rc = CARI_OK, status = MHD_HTTP_BAD_REQUEST;
  long line = 0;
  while (p < end && rc == CARI_OK) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *le = nl ? nl : end;
    line++;
    size_t k = (size_t)(le - p);
    while (k > 0 && (p[k - 1] == '\r' || p[k - 1] == ' ' || p[k - 1] == '\t'))
      k--;
    if (k > 0) {
      if (n == cap) {
        size_t nc = cap ? cap * 2 : 64;
        srv_article *na = realloc(as, nc * sizeof *na);
        if (na) as = na;
        json_t **no = na ? realloc(objs, nc * sizeof *no) : NULL;
        if (no) objs = no;
        if (!na || !no) {
          rc = CARI_NOMEM;
          snprintf(err, sizeof err, "out of memory");
          status = MHD_HTTP_INTERNAL_SERVER_ERROR;
          break;
        }
        /* The articles' tag pointers point into themselves: re-aim them. */
        for (size_t i = 0; i < n; i++)
          if (as[i].a.tags) as[i].a.tags = as[i].tags;
        cap = nc;
      }
      json_error_t e;
      objs[n] = json_loadb(p, k, 0, &e);
      if (!objs[n]) {
        rc = CARI_INVALID;
        snprintf(err, sizeof err, "line %ld: invalid JSON at column %d: %s "
                 "(nothing stored)", line, e.column, e.text);
        break;
      }
      char fe[512];
      rc = srv_article_parse(objs[n], NULL, &as[n], fe, sizeof fe);
      as[n].line = line;
      n++;
      if (rc) snprintf(err, sizeof err, "line %ld: %s (nothing stored)", line,
                       fe);
    }
    p = le + 1;
  }
  if (rc == CARI_OK && n == 0) {
    rc = CARI_INVALID;
    snprintf(err, sizeof err, "body: no article (JSONL: one JSON object a "
             "line)");
  }
  if (rc == CARI_OK) {
    rc = srv_writer_put_many(r->s->writer, as, n, err, sizeof err);
    status = status_of(rc);
  }
  enum MHD_Result ok =
      rc ? send_error(r, c, status, "%s", err)
         : send_json(r, c, MHD_HTTP_OK,
                     json_pack("{s:I, s:s}", "stored", (json_int_t)n,
                               "status", "stored"));
  for (size_t i = 0; i < n; i++) json_decref(objs[i]);
  free(objs);
  free(as);
  return ok;
}

static enum MHD_Result do_optimize(req *r, struct MHD_Connection *c) {
  char err[512] = "";
  const char *w = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "wait");
  int wait = w && strcmp(w, "0") != 0;
  int rc = srv_writer_optimize(r->s->writer, wait, err, sizeof err);
  if (rc) return send_error(r, c, status_of(rc), "%s", err);
  return send_json(r, c, wait ? MHD_HTTP_OK : MHD_HTTP_ACCEPTED,
                   json_pack("{s:s}", "status", wait ? "optimized" : "started"));
}

/* ---- routing ------------------------------------------------------- */

enum route { R_NONE, R_PAGE, R_CSS, R_JS, R_SEARCH, R_HEALTH, R_ARTICLE,
             R_ARTICLES, R_OPTIMIZE, R_RELATED, R_SUGGEST };

static enum route route_of(const char *url, int *method_ok,
                           const char *method) {
  int get = !strcmp(method, "GET") || !strcmp(method, "HEAD");
  int post = !strcmp(method, "POST");
  if (!strcmp(url, "/")) return *method_ok = get, R_PAGE;
  if (!strcmp(url, "/style.css")) return *method_ok = get, R_CSS;
  if (!strcmp(url, "/app.js")) return *method_ok = get, R_JS;
  if (!strcmp(url, "/search")) return *method_ok = get, R_SEARCH;
  if (!strcmp(url, "/health")) return *method_ok = get, R_HEALTH;
  if (!strcmp(url, "/suggest")) return *method_ok = get, R_SUGGEST;
  if (!strncmp(url, "/related/", 9) && url[9])
    return *method_ok = get, R_RELATED;
  if (!strcmp(url, "/articles")) return *method_ok = post, R_ARTICLES;
  if (!strcmp(url, "/optimize")) return *method_ok = post, R_OPTIMIZE;
  if (!strncmp(url, "/articles/", 10) && url[10]) {
    *method_ok = !strcmp(method, "PUT") || !strcmp(method, "DELETE");
    return R_ARTICLE;
  }
  return R_NONE;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
                                  const char *url, const char *method,
                                  const char *version, const char *upload,
                                  size_t *upload_size, void **ctx) {
  req *r = *ctx;
  int method_ok = 0;
  if (!r) return MHD_NO; /* out of memory in on_uri */
  enum route rt = route_of(url, &method_ok, method);
  int writes = rt == R_ARTICLE || rt == R_ARTICLES || rt == R_OPTIMIZE;
  if (!r->started) {
    /* The headers only. Answers come on a later call, once the body (if
    ** any) is read, so the connection can stay open for the next request;
    ** a refused write is answered now and its body never read. */
    r->started = 1;
    snprintf(r->method, sizeof r->method, "%s", method);
    if (rt != R_NONE && method_ok && writes) {
      if (!authorized(r, c)) return MHD_YES;
      const char *cl = MHD_lookup_connection_value(
          c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
      if (cl && strtoull(cl, NULL, 10) > r->s->cfg->max_body)
        return send_error(r, c, MHD_HTTP_CONTENT_TOO_LARGE,
                          "body: more than the limit of %zu bytes",
                          r->s->cfg->max_body);
    }
    return MHD_YES;
  }
  if (r->status) {
    *upload_size = 0; /* already answered: the rest is dropped */
    return MHD_YES;
  }
  if (*upload_size > 0) {
    if (r->body.n + *upload_size > r->s->cfg->max_body) {
      *upload_size = 0;
      return send_error(r, c, MHD_HTTP_CONTENT_TOO_LARGE,
                        "body: more than the limit of %zu bytes",
                        r->s->cfg->max_body);
    }
    srv_buf_add(&r->body, upload, *upload_size);
    *upload_size = 0;
    if (r->body.oom)
      return send_error(r, c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
    return MHD_YES;
  }
  const char *id = url + 10;
  if (rt == R_NONE)
    return send_error(r, c, MHD_HTTP_NOT_FOUND, "no such path: %s", r->path);
  if (!method_ok)
    return send_error(r, c, MHD_HTTP_METHOD_NOT_ALLOWED,
                      "method %s not allowed on %s", r->method, r->path);
  switch (rt) {
  case R_PAGE: return do_page(r, c);
  case R_CSS:
    return do_static(r, c, srv_page_css, srv_page_css_len,
                     "text/css; charset=utf-8");
  case R_JS:
    return do_static(r, c, srv_page_js, srv_page_js_len,
                     "text/javascript; charset=utf-8");
  case R_SEARCH: return do_search(r, c);
  case R_HEALTH: return do_health(r, c);
  case R_SUGGEST: return do_suggest(r, c);
  case R_RELATED: return do_related(r, c, url + 9);
  case R_ARTICLES: return do_post(r, c);
  case R_OPTIMIZE: return do_optimize(r, c);
  case R_ARTICLE:
    if (!srv_utf8_ok(id, strlen(id)))
      return send_error(r, c, MHD_HTTP_BAD_REQUEST, "id: not valid UTF-8");
    return !strcmp(method, "PUT") ? do_put(r, c, id) : do_delete(r, c, id);
  default: return MHD_NO;
  }
}

/* The first line of a request: its context, the clock started. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c) {
  srv_server *s = cls;
  req *r = calloc(1, sizeof *r);
  if (!r) return NULL;
  r->s = s;
  clock_gettime(CLOCK_MONOTONIC, &r->t0);
  size_t k = strcspn(uri, "?");
  if (k >= sizeof r->path) k = sizeof r->path - 1;
  memcpy(r->path, uri, k);
  r->path[k] = 0;
  /* The method is known in on_request; the log shows it from there. */
  atomic_fetch_add(&s->inflight, 1);
  return r;
}

/* The path as the log shows it: control bytes, spaces and non-ASCII
** bytes percent-encoded, so one request is one line. out holds 3 * in. */
static void log_clean(const char *in, char *out) {
  static const char hex[] = "0123456789ABCDEF";
  for (; *in; in++) {
    unsigned char ch = (unsigned char)*in;
    if (ch <= 0x20 || ch >= 0x7f) {
      *out++ = '%';
      *out++ = hex[ch >> 4];
      *out++ = hex[ch & 15];
    } else {
      *out++ = (char)ch;
    }
  }
  *out = 0;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **ctx,
                         enum MHD_RequestTerminationCode why) {
  srv_server *s = cls;
  req *r = *ctx;
  if (!r) return;
  if (!s->cfg->quiet) {
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long long us = (long long)(t1.tv_sec - r->t0.tv_sec) * 1000000 +
                   (t1.tv_nsec - r->t0.tv_nsec) / 1000;
    char line[1024], path[sizeof r->path * 3];
    log_clean(r->path, path);
    snprintf(line, sizeof line, "%s %s %d %lld\n",
             r->method[0] ? r->method : "-", path, r->status, us);
    fputs(line, stderr); /* one call: lines of two threads never mix */
  }
  srv_buf_free(&r->body);
  free(r);
  *ctx = NULL;
  atomic_fetch_sub(&s->inflight, 1);
}

/* ---- the daemon ---------------------------------------------------- */

int srv_token_eq(const char *given, size_t given_len, const char *want) {
  size_t n = strlen(want);
  unsigned char diff = given_len != n;
  /* Every byte of the configured token is looked at, whatever was given. */
  for (size_t i = 0; i < n; i++) {
    unsigned char g = i < given_len ? (unsigned char)given[i] : 0;
    diff |= (unsigned char)(g ^ (unsigned char)want[i]);
  }
  return diff == 0;
}

srv_server *srv_http_start(const srv_config *cfg, int fd, srv_pool *pool,
                           srv_writer *w, char *err, size_t errcap) {
  srv_server *s = calloc(1, sizeof *s);
  if (!s) {
    snprintf(err, errcap, "out of memory");
    return NULL;
  }
  s->cfg = cfg;
  s->pool = pool;
  s->writer = w;
  atomic_init(&s->inflight, 0);
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC |
                   MHD_USE_EPOLL;
  s->d = MHD_start_daemon(
      flags, 0, NULL, NULL, on_request, s,
      MHD_OPTION_LISTEN_SOCKET, fd,
      MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads,
      MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
      MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
      MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024,
      MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
      MHD_OPTION_END);
  if (!s->d) {
    snprintf(err, errcap, "libmicrohttpd could not start (%s)",
             strerror(errno));
    free(s);
    return NULL;
  }
  return s;
}

void srv_http_stop(srv_server *s, int grace_ms) {
  if (!s) return;
  /* No new connections; the requests in flight go on to their end. */
  MHD_socket fd = MHD_quiesce_daemon(s->d);
  for (int waited = 0; atomic_load(&s->inflight) > 0 && waited < grace_ms;
       waited += 10) {
    struct timespec ts = {0, 10 * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
  MHD_stop_daemon(s->d);
  if (fd != MHD_INVALID_SOCKET) close(fd);
  free(s);
}
