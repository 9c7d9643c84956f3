/*
** render.c — a finished search (srv_results) as JSON, the shape of
** `cari search --json` plus took_ms, and as the search page in HTML.
** Every piece of article text and of the query is escaped on its way into
** the page (srv_buf_html); the snippet's marks are the library's \1 and \2,
** which become <mark> only after the text around them is escaped. It runs
** no search and knows nothing of HTTP.
*/
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "serve.h"

static json_t *jstr(const char *s) { return s ? json_string(s) : json_null(); }

/* The snippet as `cari search --json` writes it: &, <, >, " escaped, the
** marks as <mark>...</mark>. */
static char *snippet_html(const char *s) {
  srv_buf b = {0};
  srv_buf_add(&b, "", 0);
  srv_buf_html(&b, s, SRV_HTML_MARKS | SRV_HTML_KEEP_APOS);
  if (b.oom) {
    srv_buf_free(&b);
    return NULL;
  }
  return b.p;
}

/* The hit's tags as a JSON array, as `cari search --json` gives them. */
static json_t *jtags(const srv_hit *h) {
  json_t *a = json_array();
  for (int i = 0; a && i < h->ntags; i++)
    json_array_append_new(a, json_string(h->tags[i]));
  return a ? a : json_null();
}

char *srv_results_json(const srv_results *r) {
  json_t *o, *results = json_array();
  char *out = NULL;
  if (!results) return NULL;
  if (r->message) {
    o = json_pack("{s:s, s:i, s:o, s:s}", "query", r->query, "total", 0,
                  "results", results, "message", r->message);
  } else {
    for (int i = 0; i < r->n; i++) {
      const srv_hit *h = &r->hits[i];
      char *html = snippet_html(h->snippet ? h->snippet : "");
      json_t *hit = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:f, s:o}",
                              "id", jstr(h->id), "title", jstr(h->title),
                              "url", jstr(h->url), "date", jstr(h->date),
                              "author", jstr(h->author), "tags", jtags(h),
                              "score", h->score, "snippet", jstr(html));
      free(html);
      if (!hit || json_array_append_new(results, hit)) {
        json_decref(results);
        return NULL;
      }
    }
    o = json_pack("{s:s, s:o, s:o}", "query", r->query, "total",
                  r->total >= 0 ? json_integer(r->total) : json_null(),
                  "results", results);
    if (o && r->note) json_object_set_new(o, "note", json_string(r->note));
    if (o && r->did_you_mean)
      json_object_set_new(o, "did_you_mean", json_string(r->did_you_mean));
  }
  if (!o) return NULL;
  if (json_object_set_new(o, "took_ms", json_real(r->took_ms)) == 0)
    out = json_dumps(o, JSON_COMPACT);
  json_decref(o);
  return out;
}

/* ---- the page ------------------------------------------------------ */

/* A link target the page may use: http(s) or a path on this site. Other
** schemes (javascript:, data:) are never links. */
static int safe_url(const char *u) {
  if (!u || !u[0]) return 0;
  if (!strncasecmp(u, "https://", 8) || !strncasecmp(u, "http://", 7))
    return 1;
  return u[0] == '/' && u[1] != '/' && u[1] != '\\';
}

static void page_link(srv_buf *b, const char *q, int page, const char *rel,
                      const char *text) {
  srv_buf_str(b, "<a rel=\"");
  srv_buf_str(b, rel);
  srv_buf_str(b, "\" href=\"/?q=");
  srv_buf_urlenc(b, q);
  if (page > 1) srv_buf_printf(b, "&amp;page=%d", page);
  srv_buf_str(b, "\">");
  srv_buf_str(b, text);
  srv_buf_str(b, "</a>");
}

static void quoted(srv_buf *b, const char *q) {
  srv_buf_str(b, "“<span class=\"q\">");
  srv_buf_html(b, q, 0);
  srv_buf_str(b, "</span>”");
}

static void results_html(srv_buf *b, const char *q, const srv_results *r,
                         int per_page) {
  if (r->message || (r->n == 0 && r->offset == 0)) {
    srv_buf_str(b, "<p class=\"status\" role=\"status\">Tidak ada hasil "
                   "untuk ");
    quoted(b, q);
    srv_buf_str(b, ".</p>\n<p>Coba kata lain, atau kata yang lebih "
                   "umum.</p>\n");
    return;
  }
  srv_buf_str(b, "<p class=\"status\" role=\"status\">");
  if (r->total >= 0) srv_buf_printf(b, "%lld hasil untuk ", r->total);
  else srv_buf_str(b, "Hasil untuk ");
  quoted(b, q);
  srv_buf_str(b, "</p>\n");
  if (r->n == 0)
    srv_buf_str(b, "<p>Tidak ada hasil lagi di halaman ini.</p>\n");
  else
    srv_buf_printf(b, "<ol class=\"results\" start=\"%d\">\n", r->offset + 1);
  for (int i = 0; i < r->n; i++) {
    const srv_hit *h = &r->hits[i];
    const char *title = h->title && h->title[0] ? h->title : h->id;
    srv_buf_str(b, "<li><h2>");
    if (safe_url(h->url)) {
      srv_buf_str(b, "<a href=\"");
      srv_buf_html(b, h->url, 0);
      srv_buf_str(b, "\">");
      srv_buf_html(b, title, 0);
      srv_buf_str(b, "</a>");
    } else {
      srv_buf_html(b, title, 0);
    }
    srv_buf_str(b, "</h2>\n");
    int has_date = h->date && h->date[0], has_author = h->author && h->author[0];
    if (has_date || has_author) {
      srv_buf_str(b, "<p class=\"meta\">");
      if (has_date) {
        srv_buf_str(b, "<time datetime=\"");
        srv_buf_html(b, h->date, 0);
        srv_buf_str(b, "\">");
        srv_buf_html(b, h->date, 0);
        srv_buf_str(b, "</time>");
      }
      if (has_author) {
        srv_buf_str(b, has_date ? " · oleh " : "oleh ");
        srv_buf_html(b, h->author, 0);
      }
      srv_buf_str(b, "</p>\n");
    }
    if (h->snippet && h->snippet[0]) {
      srv_buf_str(b, "<p class=\"snippet\">");
      srv_buf_html(b, h->snippet, SRV_HTML_MARKS);
      srv_buf_str(b, "</p>\n");
    }
    srv_buf_str(b, "</li>\n");
  }
  if (r->n > 0) srv_buf_str(b, "</ol>\n");
  int page = r->offset / per_page + 1;
  int more = r->total >= 0 ? (long long)r->offset + r->n < r->total
                           : r->n == per_page;
  if (page > 1 || more) {
    srv_buf_str(b, "<nav class=\"pages\" aria-label=\"Halaman hasil\">");
    if (page > 1) page_link(b, q, page - 1, "prev", "← Sebelumnya");
    if (r->total >= 0)
      srv_buf_printf(b, " <span>Halaman %d dari %lld</span> ", page,
                     (r->total + per_page - 1) / per_page);
    else
      srv_buf_printf(b, " <span>Halaman %d</span> ", page);
    if (more) page_link(b, q, page + 1, "next", "Berikutnya →");
    srv_buf_str(b, "</nav>\n");
  }
}

char *srv_page_html(const char *q, const srv_results *r, int per_page,
                    const char *error) {
  srv_buf b = {0};
  int has_q = q && q[0];
  srv_buf_str(&b, "<!doctype html>\n<html lang=\"id\">\n<head>\n"
                  "<meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, "
                  "initial-scale=1\">\n<title>");
  if (has_q) {
    srv_buf_html(&b, q, 0);
    srv_buf_str(&b, " — ");
  }
  srv_buf_str(&b, "Cari</title>\n"
                  "<link rel=\"stylesheet\" href=\"/style.css\">\n"
                  "<script src=\"/app.js\" defer></script>\n"
                  "</head>\n<body>\n<main>\n<h1>Cari</h1>\n"
                  "<form role=\"search\" method=\"get\" action=\"/\">\n"
                  "<label for=\"q\">Kata pencarian</label>\n"
                  "<div class=\"row\"><input id=\"q\" name=\"q\" "
                  "type=\"search\" enterkeyhint=\"search\" value=\"");
  srv_buf_html(&b, has_q ? q : "", 0);
  srv_buf_str(&b, has_q ? "\">" : "\" autofocus>");
  srv_buf_str(&b, "<button type=\"submit\">Cari</button></div>\n</form>\n");
  if (error) {
    srv_buf_str(&b, "<p class=\"status error\" role=\"alert\">");
    srv_buf_html(&b, error, 0);
    srv_buf_str(&b, "</p>\n");
  } else if (has_q && r) {
    results_html(&b, q, r, per_page);
  }
  srv_buf_str(&b, "</main>\n</body>\n</html>\n");
  if (b.oom) {
    srv_buf_free(&b);
    return NULL;
  }
  return b.p;
}
