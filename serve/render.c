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

/* {"tags": {...}, "year": {...}}, most frequent first, as `cari search
** --json --facets` writes them (jansson keeps the order of insertion). */
static json_t *jfacets(const srv_results *r) {
  static const char *const names[2] = {"tags", "year"};
  json_t *o = json_object();
  for (int f = 0; o && f < 2; f++) {
    json_t *v = json_object();
    for (int i = 0; v && i < r->facets[f].n; i++)
      json_object_set_new(v, r->facets[f].value[i],
                          json_integer(r->facets[f].count[i]));
    json_object_set_new(o, names[f], v ? v : json_null());
  }
  return o ? o : json_null();
}

/* o with took_ms, as compact text (o is released); NULL when out of
** memory. */
static char *finish_json(json_t *o, double took_ms) {
  char *out = NULL;
  if (!o) return NULL;
  if (json_object_set_new(o, "took_ms", json_real(took_ms)) == 0)
    out = json_dumps(o, JSON_COMPACT);
  json_decref(o);
  return out;
}

char *srv_related_json(const srv_results *r) {
  json_t *results = json_array();
  for (int i = 0; results && i < r->n; i++) {
    const srv_hit *h = &r->hits[i];
    json_t *hit = json_pack("{s:s, s:s, s:o, s:o, s:o, s:f}", "id", h->id,
                            "title", h->title ? h->title : "", "url",
                            jstr(h->url), "date", jstr(h->date), "tags",
                            jtags(h), "score", h->score);
    if (!hit || json_array_append_new(results, hit)) {
      json_decref(results);
      return NULL;
    }
  }
  json_t *o = results ? json_pack("{s:s, s:o}", "id", r->query, "results",
                                  results)
                      : NULL;
  if (o && r->message)
    json_object_set_new(o, "message", json_string(r->message));
  return finish_json(o, r->took_ms);
}

char *srv_suggest_json(const char *text, const cari_suggestion *s, int n,
                       double took_ms) {
  json_t *a = json_array();
  for (int i = 0; a && i < n; i++)
    if (json_array_append_new(a, json_pack("{s:s, s:I}", "word", s[i].word,
                                           "count",
                                           (json_int_t)s[i].count))) {
      json_decref(a);
      return NULL;
    }
  json_t *o = a ? json_pack("{s:s, s:o}", "text", text, "suggestions", a)
                : NULL;
  return finish_json(o, took_ms);
}

char *srv_results_json(const srv_results *r) {
  json_t *o, *results = json_array();
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
    if (o && r->has_facets) json_object_set_new(o, "facets", jfacets(r));
    if (o && r->did_you_mean)
      json_object_set_new(o, "did_you_mean", json_string(r->did_you_mean));
  }
  return finish_json(o, r->took_ms);
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

/* A link to the page for sq changed by one edit: a tag added (unless it is
** there already) or one dropped, the dates replaced, the sort or the page
** set. Every link of the page keeps the query and the other filters. */
typedef struct link_edit {
  const char *add_tag;
  int drop_tag;          /* index into sq->tags, or -1 */
  int set_dates;         /* 1: from and to below replace sq's */
  const char *from, *to;
  int sort;              /* CARI_SORT_*, or -1: sq's */
  int page;              /* 1: the first (not written) */
} link_edit;

static const link_edit KEEP = {NULL, -1, 0, NULL, NULL, -1, 1};

static void param(srv_buf *b, const char *name, const char *v) {
  srv_buf_str(b, "&amp;");
  srv_buf_str(b, name);
  srv_buf_str(b, "=");
  srv_buf_urlenc(b, v);
}

static int has_tag(const srv_query *sq, const char *t) {
  for (int i = 0; i < sq->ntags; i++)
    if (!strcasecmp(sq->tags[i], t)) return 1;
  return 0;
}

/* The href's value, escaped for an attribute ('&' as "&amp;"). */
static void href(srv_buf *b, const srv_query *sq, const link_edit *e) {
  srv_buf_str(b, "/?q=");
  srv_buf_urlenc(b, sq->q);
  for (int i = 0; i < sq->ntags; i++)
    if (i != e->drop_tag) param(b, "tag", sq->tags[i]);
  if (e->add_tag && !has_tag(sq, e->add_tag)) param(b, "tag", e->add_tag);
  const char *from = e->set_dates ? e->from : sq->from;
  const char *to = e->set_dates ? e->to : sq->to;
  if (from) param(b, "from", from);
  if (to) param(b, "to", to);
  if ((e->sort >= 0 ? e->sort : sq->sort) == CARI_SORT_DATE)
    param(b, "sort", "date");
  if (e->page > 1) srv_buf_printf(b, "&amp;page=%d", e->page);
}

/* <a href="..." [rel] [aria-label]>text</a>, the text escaped. */
static void a_link(srv_buf *b, const srv_query *sq, const link_edit *e,
                 const char *attrs, const char *text, const char *raw) {
  srv_buf_str(b, "<a href=\"");
  href(b, sq, e);
  srv_buf_str(b, "\"");
  if (attrs) srv_buf_str(b, attrs);
  srv_buf_str(b, ">");
  srv_buf_html(b, text, 0);
  if (raw) srv_buf_str(b, raw);
  srv_buf_str(b, "</a>");
}

static void quoted(srv_buf *b, const char *q) {
  srv_buf_str(b, "“<span class=\"q\">");
  srv_buf_html(b, q, 0);
  srv_buf_str(b, "</span>”");
}

/* The filters in force, each with a link that drops it. */
static void filters_html(srv_buf *b, const srv_query *sq) {
  if (!sq->ntags && !sq->from && !sq->to) return;
  srv_buf_str(b, "<p class=\"filters\">Saringan: ");
  for (int i = 0; i < sq->ntags; i++) {
    link_edit e = KEEP;
    e.drop_tag = i;
    a_link(b, sq, &e, " class=\"chip\" title=\"Hapus saringan ini\"",
         sq->tags[i], " <span aria-hidden=\"true\">×</span><span "
         "class=\"sr\"> (hapus)</span>");
    srv_buf_str(b, " ");
  }
  if (sq->from || sq->to) {
    link_edit e = KEEP;
    e.set_dates = 1;
    srv_buf str = {0};
    srv_buf_str(&str, sq->from ? sq->from : "…");
    srv_buf_str(&str, " – ");
    srv_buf_str(&str, sq->to ? sq->to : "…");
    a_link(b, sq, &e, " class=\"chip\" title=\"Hapus saringan ini\"",
         str.oom ? "" : str.p, " <span aria-hidden=\"true\">×</span><span "
         "class=\"sr\"> (hapus)</span>");
    srv_buf_free(&str);
  }
  srv_buf_str(b, "</p>\n");
}

/* Relevance or newest first: the one in force is text, the other a link. */
static void sort_html(srv_buf *b, const srv_query *sq) {
  static const char *const names[2] = {"relevansi", "terbaru"};
  srv_buf_str(b, "<p class=\"sort\">Urutkan: ");
  for (int k = 0; k < 2; k++) {
    int sort = k ? CARI_SORT_DATE : CARI_SORT_RELEVANCE;
    if (k) srv_buf_str(b, " · ");
    if (sq->sort == sort) {
      srv_buf_printf(b, "<strong aria-current=\"true\">%s</strong>", names[k]);
    } else {
      link_edit e = KEEP;
      e.sort = sort;
      a_link(b, sq, &e, NULL, names[k], NULL);
    }
  }
  srv_buf_str(b, "</p>\n");
}

/* Facet counts over every match, each value a link that filters by it. */
static void facets_html(srv_buf *b, const srv_query *sq, const srv_results *r) {
  if (!r->has_facets || (!r->facets[0].n && !r->facets[1].n)) return;
  srv_buf_str(b, "<nav class=\"facets\" aria-label=\"Saring hasil\">\n");
  for (int f = 0; f < 2; f++) {
    const srv_facet *sf = &r->facets[f];
    if (!sf->n) continue;
    srv_buf_str(b, f ? "<h2>Tahun</h2>\n<ul>" : "<h2>Tag</h2>\n<ul>");
    for (int i = 0; i < sf->n; i++) {
      link_edit e = KEEP;
      char from[16], to[16], count[32];
      if (f == 0) {
        e.add_tag = sf->value[i];
      } else {
        int y = atoi(sf->value[i]); /* 1..9999 (query/meta.c) */
        snprintf(from, sizeof from, "%04d-01-01", y);
        snprintf(to, sizeof to, "%04d-12-31", y);
        e.set_dates = 1;
        e.from = from;
        e.to = to;
      }
      snprintf(count, sizeof count, " <span class=\"n\">%lld</span>",
               sf->count[i]);
      int on = f == 0 ? has_tag(sq, sf->value[i])
                      : sq->from && sq->to && !strcmp(sq->from, from) &&
                            !strcmp(sq->to, to);
      if (on) { /* the filter in force: text, not a link to itself */
        srv_buf_str(b, "<li aria-current=\"true\"><strong>");
        srv_buf_html(b, sf->value[i], 0);
        srv_buf_str(b, "</strong>");
        srv_buf_str(b, count);
      } else {
        srv_buf_str(b, "<li>");
        a_link(b, sq, &e, NULL, sf->value[i], count);
      }
      srv_buf_str(b, "</li>");
    }
    srv_buf_str(b, "</ul>\n");
  }
  srv_buf_str(b, "</nav>\n");
}

/* One result: title (a link when its url is safe), date and author, tags
** as filter links, snippet. */
static void hit_html(srv_buf *b, const srv_query *sq, const srv_hit *h) {
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
  if (h->ntags > 0) {
    srv_buf_str(b, "<ul class=\"tags\" aria-label=\"Tag\">");
    for (int t = 0; t < h->ntags; t++) {
      link_edit e = KEEP;
      e.add_tag = h->tags[t];
      srv_buf_str(b, "<li>");
      a_link(b, sq, &e, " rel=\"tag\"", h->tags[t], NULL);
      srv_buf_str(b, "</li>");
    }
    srv_buf_str(b, "</ul>\n");
  }
  if (h->snippet && h->snippet[0]) {
    srv_buf_str(b, "<p class=\"snippet\">");
    srv_buf_html(b, h->snippet, SRV_HTML_MARKS);
    srv_buf_str(b, "</p>\n");
  }
  srv_buf_str(b, "</li>\n");
}

static void pages_html(srv_buf *b, const srv_query *sq, const srv_results *r,
                       int per_page) {
  int page = r->offset / per_page + 1;
  int more = r->total >= 0 ? (long long)r->offset + r->n < r->total
                           : r->n == per_page;
  if (page <= 1 && !more) return;
  link_edit e = KEEP;
  srv_buf_str(b, "<nav class=\"pages\" aria-label=\"Halaman hasil\">");
  if (page > 1) {
    e.page = page - 1;
    a_link(b, sq, &e, " rel=\"prev\"", "← Sebelumnya", NULL);
  }
  if (r->total >= 0)
    srv_buf_printf(b, " <span>Halaman %d dari %lld</span> ", page,
                   (r->total + per_page - 1) / per_page);
  else
    srv_buf_printf(b, " <span>Halaman %d</span> ", page);
  if (more) {
    e.page = page + 1;
    a_link(b, sq, &e, " rel=\"next\"", "Berikutnya →", NULL);
  }
  srv_buf_str(b, "</nav>\n");
}

static void results_html(srv_buf *b, const srv_query *sq, const srv_results *r,
                         int per_page) {
  filters_html(b, sq);
  if (r->message || (r->n == 0 && r->offset == 0)) {
    srv_buf_str(b, "<p class=\"status\" role=\"status\">Tidak ada hasil "
                   "untuk ");
    quoted(b, sq->q);
    srv_buf_str(b, ".</p>\n<p>Coba kata lain, atau kata yang lebih "
                   "umum.</p>\n");
    return;
  }
  srv_buf_str(b, "<p class=\"status\" role=\"status\">");
  if (r->total >= 0) srv_buf_printf(b, "%lld hasil untuk ", r->total);
  else srv_buf_str(b, "Hasil untuk ");
  quoted(b, sq->q);
  srv_buf_str(b, "</p>\n");
  sort_html(b, sq);
  facets_html(b, sq, r);
  if (r->n == 0)
    srv_buf_str(b, "<p>Tidak ada hasil lagi di halaman ini.</p>\n");
  else
    srv_buf_printf(b, "<ol class=\"results\" start=\"%d\">\n", r->offset + 1);
  for (int i = 0; i < r->n; i++) hit_html(b, sq, &r->hits[i]);
  if (r->n > 0) srv_buf_str(b, "</ol>\n");
  pages_html(b, sq, r, per_page);
}

/* The form: the query box, and the filters in force as hidden fields so
** that a new query keeps them. */
static void form_html(srv_buf *b, const srv_query *sq) {
  int has_q = sq && sq->q && sq->q[0];
  srv_buf_str(b, "<form role=\"search\" method=\"get\" action=\"/\">\n"
                 "<label for=\"q\">Kata pencarian</label>\n"
                 "<div class=\"row\"><input id=\"q\" name=\"q\" "
                 "type=\"search\" enterkeyhint=\"search\" autocomplete=\"off\" "
                 "list=\"saran\" value=\"");
  srv_buf_html(b, has_q ? sq->q : "", 0);
  srv_buf_str(b, has_q ? "\">" : "\" autofocus>");
  srv_buf_str(b, "<button type=\"submit\">Cari</button></div>\n"
                 "<datalist id=\"saran\"></datalist>\n");
  static const char *const names[2] = {"from", "to"};
  for (int i = 0; sq && i < sq->ntags; i++) {
    srv_buf_str(b, "<input type=\"hidden\" name=\"tag\" value=\"");
    srv_buf_html(b, sq->tags[i], 0);
    srv_buf_str(b, "\">\n");
  }
  for (int i = 0; sq && i < 2; i++) {
    const char *v = i ? sq->to : sq->from;
    if (!v) continue;
    srv_buf_printf(b, "<input type=\"hidden\" name=\"%s\" value=\"", names[i]);
    srv_buf_html(b, v, 0);
    srv_buf_str(b, "\">\n");
  }
  if (sq && sq->sort == CARI_SORT_DATE)
    srv_buf_str(b, "<input type=\"hidden\" name=\"sort\" value=\"date\">\n");
  srv_buf_str(b, "</form>\n");
}

char *srv_page_html(const srv_query *sq, const srv_results *r, int per_page,
                    const char *error) {
  srv_buf b = {0};
  int has_q = sq && sq->q && sq->q[0];
  srv_buf_str(&b, "<!doctype html>\n<html lang=\"id\">\n<head>\n"
                  "<meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, "
                  "initial-scale=1\">\n<title>");
  if (has_q) {
    srv_buf_html(&b, sq->q, 0);
    srv_buf_str(&b, " — ");
  }
  srv_buf_str(&b, "Cari</title>\n"
                  "<link rel=\"stylesheet\" href=\"/style.css\">\n"
                  "<script src=\"/app.js\" defer></script>\n"
                  "</head>\n<body>\n<main>\n<h1>Cari</h1>\n");
  form_html(&b, sq);
  if (error) {
    srv_buf_str(&b, "<p class=\"status error\" role=\"alert\">");
    srv_buf_html(&b, error, 0);
    srv_buf_str(&b, "</p>\n");
  } else if (has_q && r) {
    results_html(&b, sq, r, per_page);
  }
  srv_buf_str(&b, "</main>\n</body>\n</html>\n");
  if (b.oom) {
    srv_buf_free(&b);
    return NULL;
  }
  return b.p;
}
