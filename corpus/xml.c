/*
** xml.c — blog exports and feeds, read as a stream with libxml2's
** xmlTextReader: WordPress WXR 1.0-1.2, Blogger's Atom export, Atom 1.0,
** RSS 2.0 and RSS 1.0 (RDF). One entry at a time becomes one corpus_doc;
** the document is never held whole, so memory is bounded by the largest
** entry (at most CARI_READER_MAX_BYTES of text), not by the file.
** It does not fetch anything: no network, no external entities, no DTD
** loading; internal entities are expanded by libxml2, whose own bound on
** entity amplification stops a "billion laughs" file with an error.
**
** WHICH FORMAT. The root element and namespaces decide, never the file name:
**   <rss>                 RSS 2.0; an item holding elements of a WordPress
**                         export namespace (http://wordpress.org/export/…)
**                         is a WXR item ("wxr"), as is every item of a
**                         channel that declares <wp:wxr_version>
**   <rdf:RDF>             RSS 1.0: <item> elements in its namespace
**   <feed> (Atom)         Atom 1.0 (or 0.3); an entry carrying Blogger's
**                         kind category or blogger: elements, or any entry
**                         of a feed whose id or generator is Blogger's, is
**                         a Blogger export entry ("blogger")
** Elements are matched by namespace URI and local name, so a prefix may be
** anything and be declared on any element.
**
** WHAT IS AN ARTICLE. WXR: post types post and page with status publish
** and no password; everything else (drafts, private, attachments,
** revisions, nav_menu_item, other types) is passed over with its reason.
** Blogger: entries of kind post that are not drafts (comments, settings,
** templates, pages are passed over). Feeds: every item or entry.
**
** FIELDS. title (Atom type html/xhtml read as markup); text from
** content:encoded, Atom content (text, html, inline xhtml, base64 for a
** non-text MIME type or Atom 0.3's mode="base64"), else description or
** summary — HTML goes through html.c, WordPress shortcodes removed first
** (block comments are HTML comments, which htmlclean.c drops); url from
** link; date from wp:post_date_gmt, pubDate (RFC 822), published, updated
** or dc:date, written as ISO 8601 (UTC when the source names a zone);
** tags from categories (WXR: domains post_tag and category); author from
** dc:creator, author, or Atom's author/name; id from guid, Atom id,
** wp:post_id, link, else "file#N". A missing title becomes the text's first
** eight words followed by "…".
*/
#define _GNU_SOURCE /* memmem */
#include <libxml/xmlreader.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "corpus.h"

#define NS_WP_PREFIX "http://wordpress.org/export/"
#define NS_CONTENT "http://purl.org/rss/1.0/modules/content/"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_ATOM "http://www.w3.org/2005/Atom"
#define NS_ATOM03 "http://purl.org/atom/ns#"
#define NS_RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define NS_RSS1 "http://purl.org/rss/1.0/"
#define NS_APP07 "http://www.w3.org/2007/app"
#define NS_APP "http://purl.org/atom/app#"
#define NS_BLOGGER18 "http://schemas.google.com/blogger/2018"
#define KIND_SCHEME "http://schemas.google.com/g/2005#kind"
#define KIND_PREFIX "http://schemas.google.com/blogger/2008/kind#"

enum family { F_NONE, F_RSS, F_RDF, F_ATOM };

/* The fields of an entry being read; each buffer reused entry to entry. */
enum field {
  X_NONE, X_TITLE, X_CONTENT, X_DESC, X_LINK, X_GUID, X_POSTID, X_DATE_GMT,
  X_DATE_LOCAL, X_PUBDATE, X_PUBLISHED, X_UPDATED, X_DCDATE, X_AUTHOR,
  X_STATUS, X_TYPE, X_PASSWORD, X_CATEGORY, X_DRAFT, X_BTYPE, X_BSTATUS,
  X_ID, X_COUNT
};

/* How a captured element's content is kept; M_BASE64 is a flag on the
** others (the content is base64 of text, HTML or …). */
enum mode { M_TEXT, M_HTML, M_XHTML, M_BINARY, M_BASE64 = 0x10 };

struct corpus_xml {
  xmlTextReaderPtr rd;
  FILE *in;
  const char *name;
  int fatal_io, io_err;
  long long consumed, reported;
  int family, file_wxr, file_blogger, started, eof, nentries;
  const char *format;          /* of the last entry: static */
  const char *reason;          /* why the last entry was passed over */
  char reason_buf[64];
  /* the first error libxml2 reported: line, column, message */
  int err_line, err_col, have_err;
  char err_msg[256];
  /* the entry being read */
  int item_depth, is_wxr, is_blogger, kind_seen;
  cari_buf f[X_COUNT];
  int fmode[X_COUNT];          /* content mode of title, content, desc */
  char kind[32];
  /* the element being captured */
  int cap_field, cap_depth, cap_mode, cap_over, in_author;
  int too_big;                 /* a field of this entry passed the limit */
  int not_feed;                /* the root was not a feed's */
  char cap_domain[64];         /* a category's domain */
  cari_buf scratch;
  corpus_doc html;             /* html.c's output for entry text */
};

/**************************************************************************
** Input and errors
*/

/* The input, XML_READ_BYTES at a time. The reader parses the chunk it
** was given before it hands out the nodes parsed from it, and a malformed
** chunk stops it before they come out: small chunks keep what an error
** costs to the entry it is in (and one that ends within those bytes before
** it). 64 bytes cost 8% more reading time than 4 KiB on bench/gen_wxr's
** export and returned every entry before the error's in malformed.xml;
** 4 KiB lost the one before it. */
#define XML_READ_BYTES 64

static int read_cb(void *ctx, char *buf, int len) {
  corpus_xml *x = ctx;
  size_t got = fread(buf, 1, (size_t)(len > XML_READ_BYTES ? XML_READ_BYTES
                                                            : len), x->in);
  if (got == 0 && ferror(x->in)) {
    x->io_err = 1;
    return -1;
  }
  x->consumed += (long long)got;
  return (int)got;
}

static void error_cb(void *ctx, xmlErrorPtr e) {
  corpus_xml *x = ctx;
  size_t n;
  if (!e || e->level < XML_ERR_ERROR || x->have_err) return;
  x->have_err = 1;
  x->err_line = e->line;
  x->err_col = e->int2;
  snprintf(x->err_msg, sizeof x->err_msg, "%s",
           e->message ? e->message : "malformed XML");
  n = strlen(x->err_msg);
  while (n > 0 && corpus_isspace((unsigned char)x->err_msg[n - 1]))
    x->err_msg[--n] = '\0';
}

int corpus_xml_open(corpus_xml **out, FILE *f, const char *name,
                    int fatal_io) {
  corpus_xml *x = cari_calloc(1, sizeof *x);
  *out = NULL;
  if (!x) return CARI_NOMEM;
  x->in = f;
  x->name = name;
  x->fatal_io = fatal_io;
  x->format = "xml";
  xmlInitParser();
  /* No XML_PARSE_NOENT: with it libxml2 would read external entities
  ** (local files). Encoding from the BOM or the declaration. */
  /* Line numbers past 65535 are kept (for messages). */
  x->rd = xmlReaderForIO(read_cb, NULL, x, name, NULL,
                         XML_PARSE_NONET | XML_PARSE_NOCDATA |
                             XML_PARSE_COMPACT | XML_PARSE_NOWARNING |
                             XML_PARSE_NOERROR | XML_PARSE_BIG_LINES);
  if (!x->rd) {
    cari_free(x);
    return CARI_NOMEM;
  }
  xmlTextReaderSetStructuredErrorHandler(x->rd, error_cb, x);
  *out = x;
  return CARI_OK;
}

void corpus_xml_close(corpus_xml *x) {
  int i;
  if (!x) return;
  xmlFreeTextReader(x->rd);
  for (i = 0; i < X_COUNT; i++) cari_buf_free(&x->f[i]);
  cari_buf_free(&x->scratch);
  corpus_doc_free(&x->html);
  cari_free(x);
}

const char *corpus_xml_format(const corpus_xml *x) { return x->format; }
int corpus_xml_not_feed(const corpus_xml *x) { return x->not_feed; }
const char *corpus_xml_reason(const corpus_xml *x) { return x->reason; }

/* The stream's failure as CARI_FORMAT (or CARI_IO) with file:line:column. */
static int xml_fail(corpus_xml *x, corpus_doc *d) {
  x->eof = 1;
  if (x->io_err)
    return corpus_err(d, x->fatal_io ? CARI_IO : CARI_FORMAT,
                      "%s: read error", x->name);
  if (!x->have_err) {
    x->err_line = xmlTextReaderGetParserLineNumber(x->rd);
    x->err_col = xmlTextReaderGetParserColumnNumber(x->rd);
    snprintf(x->err_msg, sizeof x->err_msg, "malformed XML");
  }
  return corpus_err(d, CARI_FORMAT, "%s:%d:%d: %s (%d entr%s read before it)",
                    x->name, x->err_line, x->err_col, x->err_msg,
                    x->nentries, x->nentries == 1 ? "y" : "ies");
}

/**************************************************************************
** Names
*/

static int is(const xmlChar *s, const char *want) {
  return s && strcmp((const char *)s, want) == 0;
}

static int ns_wp(const xmlChar *ns) {
  return ns && strncmp((const char *)ns, NS_WP_PREFIX,
                       sizeof NS_WP_PREFIX - 1) == 0;
}

static int ns_atom(const xmlChar *ns) {
  return is(ns, NS_ATOM) || is(ns, NS_ATOM03);
}

/* The RSS 2.0 / RSS 1.0 element namespace of this family (none, or RSS
** 1.0's). */
static int ns_plain(const corpus_xml *x, const xmlChar *ns) {
  if (x->family == F_RDF) return is(ns, NS_RSS1);
  return ns == NULL || ns[0] == '\0';
}

/* The entry field an element at depth item+1 fills, or X_NONE. */
static int field_of(corpus_xml *x, const xmlChar *ns, const xmlChar *ln) {
  if (is(ns, NS_CONTENT) && is(ln, "encoded")) return X_CONTENT;
  if (is(ns, NS_DC)) {
    if (is(ln, "creator")) return X_AUTHOR;
    if (is(ln, "date")) return X_DCDATE;
    if (is(ln, "subject")) return X_CATEGORY;
    return X_NONE;
  }
  if (ns_wp(ns)) {
    x->is_wxr = 1;
    if (is(ln, "post_id")) return X_POSTID;
    if (is(ln, "post_date_gmt")) return X_DATE_GMT;
    if (is(ln, "post_date")) return X_DATE_LOCAL;
    if (is(ln, "status")) return X_STATUS;
    if (is(ln, "post_type")) return X_TYPE;
    if (is(ln, "post_password")) return X_PASSWORD;
    return X_NONE;
  }
  if (is(ns, NS_BLOGGER18)) {
    x->is_blogger = 1;
    if (is(ln, "type")) return X_BTYPE;
    if (is(ln, "status")) return X_BSTATUS;
    return X_NONE;
  }
  if (x->family == F_ATOM) {
    if (!ns_atom(ns)) return X_NONE;
    if (is(ln, "title")) return X_TITLE;
    if (is(ln, "content")) return X_CONTENT;
    if (is(ln, "summary")) return X_DESC;
    if (is(ln, "id")) return X_ID;
    if (is(ln, "published") || is(ln, "issued")) return X_PUBLISHED;
    if (is(ln, "updated") || is(ln, "modified")) return X_UPDATED;
    return X_NONE;
  }
  if (!ns_plain(x, ns)) return X_NONE;
  if (is(ln, "title")) return X_TITLE;
  if (is(ln, "description")) return X_DESC;
  if (is(ln, "link")) return X_LINK;
  if (is(ln, "guid")) return X_GUID;
  if (is(ln, "pubDate")) return X_PUBDATE;
  if (is(ln, "author")) return X_AUTHOR;
  if (is(ln, "category")) return X_CATEGORY;
  return X_NONE;
}

/**************************************************************************
** Capturing an element's content
*/

static char *attr(corpus_xml *x, const char *name) {
  return (char *)xmlTextReaderGetAttribute(x->rd, (const xmlChar *)name);
}

/* Add s[0..n) to the captured field, or mark it over the limit. */
static int cap_add(corpus_xml *x, const char *s, size_t n) {
  cari_buf *b = &x->f[x->cap_field];
  if (x->cap_over) return CARI_OK;
  if (b->n + n > (size_t)CARI_READER_MAX_BYTES) {
    x->cap_over = 1;
    return CARI_OK;
  }
  int rc = CARI_OK;
  return cari_buf_add(&rc, b, s, n);
}

/* Add text escaped for HTML (inline XHTML is re-serialised). */
static int cap_escaped(corpus_xml *x, const char *s) {
  const char *p;
  for (p = s; *p; p++) {
    const char *rep = *p == '<' ? "&lt;" : *p == '&' ? "&amp;"
                    : *p == '>' ? "&gt;" : *p == '"' ? "&quot;" : NULL;
    int rc = rep ? cap_add(x, rep, strlen(rep)) : cap_add(x, p, 1);
    if (rc != CARI_OK) return rc;
  }
  return CARI_OK;
}

/* The content mode of an Atom text construct from its type and mode. */
static int atom_mode(corpus_xml *x) {
  char *type = attr(x, "type"), *mode = attr(x, "mode");
  int m;
  if (!type || strcmp(type, "text") == 0 || strcmp(type, "text/plain") == 0)
    m = M_TEXT;
  else if (strcmp(type, "html") == 0 || strcmp(type, "text/html") == 0)
    m = M_HTML;
  else if (strcmp(type, "xhtml") == 0 ||
           strcmp(type, "application/xhtml+xml") == 0) m = M_XHTML;
  else if (strncmp(type, "text/", 5) == 0) m = M_TEXT;
  else if (strstr(type, "xml")) m = M_XHTML; /* other XML: its text */
  else m = M_BINARY | M_BASE64;              /* Atom 1.0: base64 */
  /* Atom 0.3 says so itself; escaped and xml modes are the defaults. */
  if (mode && strcmp(mode, "base64") == 0) m |= M_BASE64;
  if (m == M_XHTML && mode && strcmp(mode, "escaped") == 0) m = M_HTML;
  xmlFree(type);
  xmlFree(mode);
  return m;
}

/* Start capturing the element the reader is on into field fl. */
static int cap_start(corpus_xml *x, int fl, int depth) {
  x->cap_field = fl;
  x->cap_depth = depth;
  x->cap_over = 0;
  x->cap_mode = M_TEXT;
  x->cap_domain[0] = '\0';
  if (fl == X_CATEGORY) {
    char *dom = attr(x, "domain");
    snprintf(x->cap_domain, sizeof x->cap_domain, "%s", dom ? dom : "");
    xmlFree(dom);
    cari_buf_clear(&x->f[X_CATEGORY]);
    return CARI_OK;
  }
  if (x->family == F_ATOM && (fl == X_TITLE || fl == X_CONTENT ||
                              fl == X_DESC)) {
    x->cap_mode = atom_mode(x);
    x->fmode[fl] = x->cap_mode;
  } else if (fl == X_CONTENT || fl == X_DESC) {
    x->fmode[fl] = x->cap_mode = M_HTML;
  }
  cari_buf_clear(&x->f[fl]);
  return CARI_OK;
}

/* An Atom <category>: a Blogger kind, or a tag (its term). */
static int atom_category(corpus_xml *x, corpus_doc *d) {
  char *scheme = attr(x, "scheme"), *term = attr(x, "term");
  int rc = CARI_OK;
  if (term && scheme && strcmp(scheme, KIND_SCHEME) == 0) {
    const char *k = strncmp(term, KIND_PREFIX, sizeof KIND_PREFIX - 1) == 0
                        ? term + sizeof KIND_PREFIX - 1 : term;
    snprintf(x->kind, sizeof x->kind, "%s", k);
    x->is_blogger = x->kind_seen = 1;
  } else if (term) {
    rc = corpus_doc_tag(d, term, strlen(term));
  }
  xmlFree(scheme);
  xmlFree(term);
  return rc;
}

/* An Atom <link>: the alternate one's href is the url. */
static int atom_link(corpus_xml *x) {
  char *rel = attr(x, "rel"), *href = attr(x, "href");
  int rc = CARI_OK;
  if (href && (!rel || strcmp(rel, "alternate") == 0) &&
      (x->f[X_LINK].n == 0 || !rel))
    cari_buf_set(&rc, &x->f[X_LINK], href, strlen(href));
  xmlFree(rel);
  xmlFree(href);
  return rc;
}

/* The end of a captured element. */
static int cap_end(corpus_xml *x, corpus_doc *d) {
  int fl = x->cap_field, rc = CARI_OK;
  cari_buf *b = &x->f[fl];
  x->cap_field = X_NONE;
  if (x->cap_over) { /* reported when the entry ends */
    cari_buf_clear(b);
    x->too_big = 1;
    return CARI_OK;
  }
  if (fl == X_CATEGORY && x->family != F_ATOM) {
    /* A WordPress taxonomy other than tags and categories (a post format,
    ** a menu) is not a tag; WXR 1.0 wrote "tag". An RSS domain is a URL. */
    if (x->cap_domain[0] && !strstr(x->cap_domain, "://") &&
        strcmp(x->cap_domain, "post_tag") != 0 &&
        strcmp(x->cap_domain, "tag") != 0 &&
        strcmp(x->cap_domain, "category") != 0)
      return CARI_OK;
    rc = corpus_doc_tag(d, cari_buf_str(b), b->n);
  }
  return rc;
}

/**************************************************************************
** Base64 (Atom content of a non-text type)
*/

static int b64val(int c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

/* Decode b in place; 0, or -1 when it is not base64. */
static int b64_decode(cari_buf *b) {
  size_t i, o = 0;
  unsigned acc = 0;
  int bits = 0;
  for (i = 0; i < b->n; i++) {
    int c = (unsigned char)b->p[i], v;
    if (corpus_isspace(c)) continue;
    if (c == '=') break;
    if ((v = b64val(c)) < 0) return -1;
    acc = (acc << 6) | (unsigned)v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      b->p[o++] = (char)((acc >> bits) & 0xFF);
    }
  }
  b->n = o;
  if (b->p) b->p[o] = '\0';
  return 0;
}

/**************************************************************************
** Dates
*/

static const char *const months[] = {"jan", "feb", "mar", "apr", "may",
                                     "jun", "jul", "aug", "sep", "oct",
                                     "nov", "dec"};

static long days_from_civil(long y, unsigned m, unsigned dd) {
  long era;
  unsigned yoe, doy, doe;
  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = (unsigned)(y - era * 400);
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + dd - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (long)doe - 719468;
}

static void civil_from_days(long z, long *y, unsigned *m, unsigned *dd) {
  long era;
  unsigned doe, yoe, doy, mp;
  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = (unsigned)(z - era * 146097);
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  *y = (long)yoe + era * 400;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  *dd = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y += *m <= 2;
}

/* Write y-m-d h:mi:s shifted by -off minutes (to UTC) as ISO 8601. */
static int put_utc(cari_buf *out, long y, unsigned mo, unsigned dd, int h,
                   int mi, int s, int off) {
  char buf[80];
  long t = days_from_civil(y, mo, dd) * 1440 + h * 60 + mi - off;
  long day = t >= 0 ? t / 1440 : -((-t + 1439) / 1440);
  int min = (int)(t - day * 1440); /* 0..1439 */
  civil_from_days(day, &y, &mo, &dd);
  snprintf(buf, sizeof buf, "%04ld-%02u-%02uT%02d:%02d:%02dZ", y % 10000,
           mo % 100, dd % 100, min / 60, min % 60, s % 100);
  int rc = CARI_OK;
  return cari_buf_set(&rc, out, buf, strlen(buf));
}

/* A zone: +0700, -05:00, Z, GMT, UT, UTC, or a US zone name; minutes east,
** or 0 with *ok cleared. */
static int zone_minutes(const char *z, int *ok) {
  static const struct { const char *name; int off; } names[] = {
      {"GMT", 0}, {"UT", 0}, {"UTC", 0}, {"Z", 0}, {"EST", -300},
      {"EDT", -240}, {"CST", -360}, {"CDT", -300}, {"MST", -420},
      {"MDT", -360}, {"PST", -480}, {"PDT", -420}, {"WIB", 420},
      {"WITA", 480}, {"WIT", 540}};
  size_t i;
  *ok = 1;
  while (*z == ' ') z++;
  if (*z == '+' || *z == '-') {
    int sign = *z == '-' ? -1 : 1, hh, mm = 0;
    if (sscanf(z + 1, "%2d:%2d", &hh, &mm) >= 1 ||
        sscanf(z + 1, "%2d%2d", &hh, &mm) >= 1)
      return sign * (hh * 60 + mm);
  }
  for (i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strcasecmp(z, names[i].name) == 0) return names[i].off;
  *ok = 0;
  return 0;
}

/* RFC 822 ("Wed, 02 Oct 2002 13:00:00 +0700") into ISO 8601 UTC. 0 if
** written, -1 if s is not such a date. */
static int rfc822(const char *s, cari_buf *out) {
  char mon[16] = "", zone[16] = "";
  int dd, y, h = 0, mi = 0, sec = 0, ok, n = 0;
  size_t m;
  const char *comma = strchr(s, ',');
  if (comma) s = comma + 1;
  if (sscanf(s, " %d %15s %d %d:%d:%d %15s%n", &dd, mon, &y, &h, &mi, &sec,
             zone, &n) < 5 &&
      sscanf(s, " %d %15s %d %d:%d %15s", &dd, mon, &y, &h, &mi, zone) < 5)
    return -1;
  for (m = 0; m < 12; m++)
    if (strncasecmp(mon, months[m], 3) == 0) break;
  if (m == 12 || dd < 1 || dd > 31 || h > 23 || mi > 59 || sec > 60)
    return -1;
  if (y < 100) y += y < 50 ? 2000 : 1900;
  {
    int off = zone_minutes(zone, &ok);
    if (!ok) off = 0;
    return put_utc(out, y, (unsigned)m + 1, (unsigned)dd, h, mi, sec, off) ==
                   CARI_OK ? 0 : -1;
  }
}

/* ISO 8601 or WordPress's "YYYY-MM-DD HH:MM:SS" (utc: a GMT field): kept
** as UTC when a zone is given (or utc), else as written with 'T'. 0 if
** written, -1 if not such a date, or a zero date. */
static int iso8601(const char *s, int utc, cari_buf *out) {
  int y, mo, dd, h = 0, mi = 0, sec = 0, n = 0, ok;
  char buf[40];
  while (corpus_isspace((unsigned char)*s)) s++;
  if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &dd, &n) != 3 || y == 0 ||
      mo < 1 || mo > 12 || dd < 1 || dd > 31)
    return -1;
  s += n;
  if ((*s == 'T' || *s == ' ') &&
      sscanf(s + 1, "%2d:%2d:%2d%n", &h, &mi, &sec, &n) >= 2) {
    if (n == 0) sscanf(s + 1, "%2d:%2d%n", &h, &mi, &n);
    s += 1 + n;
    while (*s == '.' || (*s >= '0' && *s <= '9')) s++;
    if (*s) {
      int off = zone_minutes(s, &ok);
      if (ok) return put_utc(out, y, (unsigned)mo, (unsigned)dd, h, mi, sec,
                             off) == CARI_OK ? 0 : -1;
    }
    if (utc)
      return put_utc(out, y, (unsigned)mo, (unsigned)dd, h, mi, sec, 0) ==
                     CARI_OK ? 0 : -1;
    snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", y, mo, dd, h,
             mi, sec);
  } else {
    snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, mo, dd);
  }
  int rc = CARI_OK;
  return cari_buf_set(&rc, out, buf, strlen(buf)) == CARI_OK ? 0 : -1;
}

/* The entry's date, the first of its fields that parses. */
static int entry_date(corpus_xml *x, corpus_doc *d) {
  const char *gmt = cari_buf_str(&x->f[X_DATE_GMT]);
  if (x->f[X_DATE_GMT].n && iso8601(gmt, 1, &d->date) == 0) return CARI_OK;
  if (x->f[X_PUBDATE].n &&
      (rfc822(cari_buf_str(&x->f[X_PUBDATE]), &d->date) == 0 ||
       iso8601(cari_buf_str(&x->f[X_PUBDATE]), 0, &d->date) == 0))
    return CARI_OK;
  if (x->f[X_DATE_LOCAL].n &&
      iso8601(cari_buf_str(&x->f[X_DATE_LOCAL]), 0, &d->date) == 0)
    return CARI_OK;
  if (x->f[X_PUBLISHED].n &&
      iso8601(cari_buf_str(&x->f[X_PUBLISHED]), 0, &d->date) == 0)
    return CARI_OK;
  if (x->f[X_UPDATED].n &&
      iso8601(cari_buf_str(&x->f[X_UPDATED]), 0, &d->date) == 0)
    return CARI_OK;
  if (x->f[X_DCDATE].n &&
      iso8601(cari_buf_str(&x->f[X_DCDATE]), 0, &d->date) == 0)
    return CARI_OK;
  return CARI_OK; /* none: a date line in the text may have given one */
}

/**************************************************************************
** Text of an entry
*/

/* Is s[0..n) a shortcode name: a letter, then letters, digits, _ or -. */
static int shortcode_name(const char *s, size_t n) {
  size_t i;
  if (n == 0 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
    return 0;
  for (i = 1; i < n; i++) {
    char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
          (c >= '0' && c <= '9') || c == '_' || c == '-'))
      return 0;
  }
  return 1;
}

/*
** WordPress shortcodes: [name attrs]…[/name] and [name attrs /] are dropped
** with their brackets, their inner text kept. A bracketed word is taken as
** a shortcode when it has attributes, closes itself, is closed later in the
** text, or is a closing [/name]; "[1]" and "[sic]" without a closer stay.
** Linear: each '[' looks at most 128 bytes ahead for its ']' and a closer
** is searched for by memmem once per opening tag name found (bounded by the
** entry's length times the number of tags; entries are at most 4 MiB).
*/
static int strip_shortcodes(const cari_buf *in, cari_buf *out) {
  size_t i = 0, n = in->n;
  const char *s = cari_buf_str(in);
  int rc = CARI_OK;
  cari_buf_clear(out);
  while (i < n && rc == CARI_OK) {
    const char *open = memchr(s + i, '[', n - i);
    size_t at = open ? (size_t)(open - s) : n, end, k, nlen;
    int closing, drop = 0;
    cari_buf_add(&rc, out, s + i, at - i);
    if (!open) break;
    for (end = at + 1; end < n && end < at + 128 && s[end] != ']' &&
                       s[end] != '[' && s[end] != '\n'; end++) {}
    closing = at + 1 < n && s[at + 1] == '/';
    k = at + 1 + (size_t)closing;
    for (nlen = 0; k + nlen < end && !corpus_isspace((unsigned char)s[k + nlen])
                   && s[k + nlen] != '/' ; nlen++) {}
    if (end < n && s[end] == ']' && shortcode_name(s + k, nlen)) {
      if (closing || s[end - 1] == '/' || k + nlen < end) drop = 1;
      else {
        char closer[80];
        int cn = snprintf(closer, sizeof closer, "[/%.*s]", (int)nlen, s + k);
        drop = cn > 0 && cn < (int)sizeof closer &&
               memmem(s + end, n - end, closer, (size_t)cn) != NULL;
      }
    }
    cari_buf_addc(&rc, out, drop ? ' ' : '[');
    i = drop ? end + 1 : at + 1;
  }
  return rc;
}

/* WordPress stores posts without <p>: a blank line is a paragraph break
** its theme adds when showing the post. in into out (emptied first), each
** run of blank lines written as an empty paragraph's break. */
static int autop(const cari_buf *in, cari_buf *out) {
  size_t i = 0, n = in->n;
  const char *s = cari_buf_str(in);
  int rc = CARI_OK;
  cari_buf_clear(out);
  while (i < n && rc == CARI_OK) {
    const char *nl = memchr(s + i, '\n', n - i);
    size_t end = nl ? (size_t)(nl - s) + 1 : n, k = end;
    cari_buf_add(&rc, out, s + i, end - i);
    while (k < n && (s[k] == ' ' || s[k] == '\t' || s[k] == '\r')) k++;
    if (nl && k < n && s[k] == '\n') {
      cari_buf_add(&rc, out, "<p></p>", 7);
      while (k < n && corpus_isspace((unsigned char)s[k])) k++;
      end = k;
    }
    i = end;
  }
  return cari_buf_add(&rc, out, "", 0);
}

/* The text of markup or text in field fl into out (emptied first). */
static int field_text(corpus_xml *x, int fl, int mode, cari_buf *out) {
  cari_buf *src = &x->f[fl];
  size_t off;
  int rc;
  cari_buf_clear(out);
  if (mode & M_BASE64) {
    if (b64_decode(src) != 0 || corpus_utf8_check(src->p, src->n, &off) != 0)
      return CARI_OK; /* binary content: nothing to index */
    mode &= ~M_BASE64;
    if (mode == M_BINARY) mode = M_TEXT; /* it decoded to UTF-8 text */
    if (mode == M_XHTML) mode = M_HTML;
  }
  if (mode == M_TEXT) {
    rc = corpus_text_put(out, cari_buf_str(src), src->n, 0);
    corpus_text_trim(out);
    return rc;
  }
  if (x->is_wxr && fl == X_CONTENT) {
    if (strip_shortcodes(src, &x->scratch) != CARI_OK ||
        autop(&x->scratch, src) != CARI_OK)
      return CARI_NOMEM;
    /* src (the raw field) now holds the rewritten text */
  }
  corpus_doc_reset(&x->html);
  rc = corpus_html_text(x->name, cari_buf_str(src), src->n, &x->html, 1);
  if (rc != CARI_OK) return rc;
  return cari_buf_set(&rc, out, cari_buf_str(&x->html.body), x->html.body.n);
}

/* The title: its text on one line. */
static int entry_title(corpus_xml *x, corpus_doc *d) {
  int mode = x->family == F_ATOM ? x->fmode[X_TITLE] : M_TEXT;
  size_t i;
  int rc = field_text(x, X_TITLE, mode, &x->scratch);
  if (rc != CARI_OK) return rc;
  cari_buf_clear(&d->title);
  rc = corpus_text_put(&d->title, cari_buf_str(&x->scratch), x->scratch.n,
                       1);
  for (i = 0; i < d->title.n; i++)
    if (d->title.p[i] == '\n') d->title.p[i] = ' ';
  corpus_text_trim(&d->title);
  return rc;
}

/* No title: the first eight words of the body, then "…". */
static int title_from_body(corpus_doc *d) {
  size_t i = 0, words = 0, n = d->body.n;
  const char *s = cari_buf_str(&d->body);
  while (i < n && words < 8) {
    while (i < n && corpus_isspace((unsigned char)s[i])) i++;
    if (i == n) break;
    while (i < n && !corpus_isspace((unsigned char)s[i])) i++;
    words++;
  }
  if (words == 0) return CARI_OK;
  if (corpus_text_put(&d->title, s, i, 1) != CARI_OK) return CARI_NOMEM;
  for (i = 0; i < d->title.n; i++)
    if (d->title.p[i] == '\n') d->title.p[i] = ' ';
  corpus_text_trim(&d->title);
  int rc = CARI_OK;
  return cari_buf_add(&rc, &d->title, "\xE2\x80\xA6", 3);
}

/**************************************************************************
** An entry into an article
*/

/* Why a WXR or Blogger entry is not an article (NULL: it is one). */
static const char *skip_reason(corpus_xml *x) {
  const char *type = cari_buf_str(&x->f[X_TYPE]);
  const char *status = cari_buf_str(&x->f[X_STATUS]);
  if (x->is_wxr) {
    if (x->f[X_TYPE].n && strcmp(type, "post") && strcmp(type, "page")) {
      snprintf(x->reason_buf, sizeof x->reason_buf, "%s", type);
      return x->reason_buf;
    }
    if (x->f[X_STATUS].n && strcmp(status, "publish")) {
      snprintf(x->reason_buf, sizeof x->reason_buf, "%s", status);
      return x->reason_buf;
    }
    if (x->f[X_PASSWORD].n) return "password-protected";
    return NULL;
  }
  if (x->is_blogger) {
    const char *bt = cari_buf_str(&x->f[X_BTYPE]);
    const char *bs = cari_buf_str(&x->f[X_BSTATUS]);
    size_t i;
    if (x->f[X_BTYPE].n && strcasecmp(bt, "POST"))
      snprintf(x->reason_buf, sizeof x->reason_buf, "%s", bt);
    else if (x->kind_seen && strcmp(x->kind, "post"))
      snprintf(x->reason_buf, sizeof x->reason_buf, "%s", x->kind);
    else if (x->f[X_DRAFT].n && !strcmp(cari_buf_str(&x->f[X_DRAFT]), "yes"))
      snprintf(x->reason_buf, sizeof x->reason_buf, "draft");
    else if (x->f[X_BSTATUS].n && strcasecmp(bs, "LIVE"))
      snprintf(x->reason_buf, sizeof x->reason_buf, "%s", bs);
    else return NULL;
    for (i = 0; x->reason_buf[i]; i++)
      if (x->reason_buf[i] >= 'A' && x->reason_buf[i] <= 'Z')
        x->reason_buf[i] = (char)(x->reason_buf[i] + 32);
    return x->reason_buf;
  }
  return NULL;
}

/* RSS's author is "mail@host (Name)": the name when there is one. */
static int entry_author(corpus_xml *x, corpus_doc *d) {
  cari_buf *a = &x->f[X_AUTHOR];
  const char *s = cari_buf_str(a), *lp = strchr(s, '('), *rp;
  int rc = CARI_OK;
  if (a->n == 0) return CARI_OK; /* a byline in the text may have said */
  if (lp && strchr(s, '@') && (rp = strrchr(s, ')')) && rp > lp + 1)
    return cari_buf_set(&rc, &d->author, lp + 1, (size_t)(rp - lp - 1));
  if (cari_buf_set(&rc, &d->author, s, a->n)) return rc;
  corpus_text_trim(&d->author);
  return CARI_OK;
}

static int entry_id(corpus_xml *x, corpus_doc *d) {
  static const int order[] = {X_GUID, X_ID, X_POSTID, X_LINK};
  char num[32];
  size_t i;
  int rc = CARI_OK;
  for (i = 0; i < sizeof order / sizeof order[0]; i++) {
    cari_buf *b = &x->f[order[i]];
    if (b->n == 0) continue;
    if (cari_buf_set(&rc, &d->id, b->p, b->n)) return rc;
    corpus_text_trim(&d->id);
    if (d->id.n) return CARI_OK;
  }
  snprintf(num, sizeof num, "#%d", x->nentries);
  cari_buf_set(&rc, &d->id, x->name, strlen(x->name));
  return cari_buf_adds(&rc, &d->id, num);
}

/* The entry just ended: CARI_ROW with d filled, CORPUS_SKIP (x->reason),
** CARI_FORMAT or CARI_NOMEM. */
static int finish_entry(corpus_xml *x, corpus_doc *d) {
  char num[32];
  int rc, body_fl;
  x->nentries++;
  x->format = x->is_wxr || x->file_wxr ? "wxr"
              : x->is_blogger || x->file_blogger ? "blogger"
              : x->family == F_ATOM ? "atom"
              : x->family == F_RDF ? "rss1" : "rss2";
  if (x->format[0] == 'w') x->is_wxr = 1;
  if (x->format[0] == 'b') x->is_blogger = 1;
  if ((x->reason = skip_reason(x)) != NULL) return CORPUS_SKIP;
  if (x->too_big)
    return corpus_err(d, CARI_FORMAT, "%s:%d: entry %d: a field longer than "
                      "the limit of %d bytes", x->name,
                      xmlTextReaderGetParserLineNumber(x->rd), x->nentries,
                      CARI_READER_MAX_BYTES);
  body_fl = x->f[X_CONTENT].n ? X_CONTENT : X_DESC;
  rc = field_text(x, body_fl, x->fmode[body_fl], &d->body);
  if (rc == CARI_OK && d->body.n == 0 && body_fl == X_CONTENT)
    rc = field_text(x, X_DESC, x->fmode[X_DESC], &d->body); /* binary */
  if (rc == CARI_OK) rc = corpus_boiler_body(d);
  if (rc == CARI_OK) rc = entry_title(x, d);
  if (rc == CARI_OK && d->title.n == 0) rc = title_from_body(d);
  if (rc == CARI_OK) rc = entry_date(x, d);
  if (rc == CARI_OK) rc = entry_author(x, d);
  if (rc == CARI_OK) rc = entry_id(x, d);
  if (rc == CARI_OK) {
    cari_buf_set(&rc, &d->url, cari_buf_str(&x->f[X_LINK]), x->f[X_LINK].n);
    corpus_text_trim(&d->url);
  }
  if (rc != CARI_OK)
    return corpus_err(d, rc, "%s: entry %d: out of memory", x->name,
                      x->nentries);
  if (d->title.n == 0 && d->body.n == 0)
    return corpus_err(d, CARI_FORMAT, "%s:%d: entry %d (%s): no title and "
                      "no text", x->name,
                      xmlTextReaderGetParserLineNumber(x->rd), x->nentries,
                      d->id.p);
  snprintf(num, sizeof num, "#%d", x->nentries);
  cari_buf_set(&rc, &d->source, x->name, strlen(x->name));
  if (cari_buf_adds(&rc, &d->source, num)) return rc;
  return CARI_ROW;
}

/**************************************************************************
** The stream
*/

/* Start of the document: the root decides the family. */
static int on_root(corpus_xml *x, corpus_doc *d) {
  const xmlChar *ln = xmlTextReaderConstLocalName(x->rd);
  const xmlChar *ns = xmlTextReaderConstNamespaceUri(x->rd);
  x->started = 1;
  if (is(ln, "rss")) x->family = F_RSS;
  else if (is(ln, "RDF") && is(ns, NS_RDF)) x->family = F_RDF;
  else if (is(ln, "feed") && ns_atom(ns)) x->family = F_ATOM;
  else {
    x->eof = x->not_feed = 1;
    return corpus_err(d, CARI_FORMAT, "%s:%d: not a feed or blog export: "
                      "the root element is <%s>%s%s (expected rss, rdf:RDF "
                      "or an Atom feed)", x->name,
                      (int)xmlGetLineNo(xmlTextReaderCurrentNode(x->rd)),
                      (const char *)ln, ns ? " in namespace " : "",
                      ns ? (const char *)ns : "");
  }
  return CARI_OK;
}

/* Is the element the reader is on (at depth) an entry? */
static int is_entry(corpus_xml *x, const xmlChar *ns, const xmlChar *ln,
                    int depth) {
  if (x->family == F_ATOM) return depth == 1 && ns_atom(ns) && is(ln, "entry");
  if (x->family == F_RDF) return depth == 1 && is(ns, NS_RSS1) &&
                                 is(ln, "item");
  return depth == 2 && (ns == NULL || !ns[0]) && is(ln, "item");
}

static void entry_begin(corpus_xml *x, int depth) {
  int i;
  x->item_depth = depth;
  x->is_wxr = x->is_blogger = x->kind_seen = 0;
  x->kind[0] = '\0';
  x->cap_field = X_NONE;
  x->in_author = 0;
  x->too_big = 0;
  for (i = 0; i < X_COUNT; i++) {
    cari_buf_clear(&x->f[i]);
    x->fmode[i] = M_TEXT;
  }
}

/* Outside entries: notice what marks the whole file as WXR or Blogger. */
static void on_channel(corpus_xml *x, const xmlChar *ns, const xmlChar *ln,
                       int depth) {
  if (ns_wp(ns)) x->file_wxr = 1;
  if (is(ns, NS_BLOGGER18)) x->file_blogger = 1;
  if (x->family == F_ATOM && depth == 1 && ns_atom(ns) &&
      (is(ln, "generator") || is(ln, "id"))) {
    xmlChar *v = xmlTextReaderReadString(x->rd);
    if (v && (strstr((const char *)v, "blogger.com") ||
              strstr((const char *)v, "Blogger")))
      x->file_blogger = 1;
    xmlFree(v);
  }
}

/* An element start inside an entry. */
static int on_entry_element(corpus_xml *x, corpus_doc *d, const xmlChar *ns,
                            const xmlChar *ln, int depth) {
  int rel = depth - x->item_depth, fl;
  if (x->cap_field != X_NONE) {
    int empty = xmlTextReaderIsEmptyElement(x->rd), rc;
    char *alt;
    if (x->cap_mode != M_XHTML) return CARI_OK; /* text of its children */
    /* inline XHTML written back as HTML: the name, and an image's alt */
    if (cap_add(x, "<", 1) ||
        cap_add(x, (const char *)ln, strlen((const char *)ln)))
      return CARI_NOMEM;
    if (is(ln, "img") && (alt = attr(x, "alt")) != NULL) {
      rc = cap_add(x, " alt=\"", 6);
      if (rc == CARI_OK) rc = cap_escaped(x, alt);
      if (rc == CARI_OK) rc = cap_add(x, "\"", 1);
      xmlFree(alt);
      if (rc != CARI_OK) return rc;
    }
    return cap_add(x, empty ? "/>" : ">", empty ? 2 : 1);
  }
  if (rel == 2 && x->in_author && ns_atom(ns) && is(ln, "name"))
    return cap_start(x, X_AUTHOR, depth);
  if (rel == 2 && (is(ns, NS_APP07) || is(ns, NS_APP)) && is(ln, "draft"))
    return cap_start(x, X_DRAFT, depth);
  if (rel != 1) return CARI_OK;
  if (x->family == F_ATOM && ns_atom(ns)) {
    if (is(ln, "category")) return atom_category(x, d);
    if (is(ln, "link")) return atom_link(x);
    if (is(ln, "author")) {
      x->in_author = !xmlTextReaderIsEmptyElement(x->rd);
      return CARI_OK;
    }
  }
  fl = field_of(x, ns, ln);
  if (fl == X_NONE) return CARI_OK;
  if (fl == X_AUTHOR && x->f[X_AUTHOR].n) return CARI_OK; /* the first */
  if (fl == X_CATEGORY && x->family == F_ATOM) return CARI_OK;
  return cap_start(x, fl, depth);
}

/* Text inside an entry. */
static int on_text(corpus_xml *x, int type) {
  const char *v;
  if (x->cap_field == X_NONE) return CARI_OK;
  if (type == XML_READER_TYPE_ENTITY_REFERENCE) {
    /* An internal entity's replacement text (libxml2 bounded its
    ** expansion); an external one is never read. */
    xmlNodePtr n = xmlTextReaderCurrentNode(x->rd);
    xmlEntityPtr e = n ? (xmlEntityPtr)n->children : NULL;
    xmlChar *c;
    int rc;
    if (!e || e->type != XML_ENTITY_DECL ||
        e->etype != XML_INTERNAL_GENERAL_ENTITY)
      return CARI_OK;
    c = xmlNodeGetContent(n);
    if (!c) return CARI_OK;
    rc = x->cap_mode == M_XHTML ? cap_escaped(x, (const char *)c)
                                : cap_add(x, (const char *)c, strlen((const char *)c));
    xmlFree(c);
    return rc;
  }
  v = (const char *)xmlTextReaderConstValue(x->rd);
  if (!v) return CARI_OK;
  if (x->cap_mode == M_XHTML) return cap_escaped(x, v);
  return cap_add(x, v, strlen(v));
}

/* An element end inside an entry; CARI_ROW etc. when the entry ends. */
static int on_entry_end(corpus_xml *x, corpus_doc *d, const xmlChar *ln,
                        int depth) {
  if (x->cap_field != X_NONE) {
    if (depth == x->cap_depth) return cap_end(x, d);
    if (x->cap_mode == M_XHTML) {
      if (cap_add(x, "</", 2) ||
          cap_add(x, (const char *)ln, strlen((const char *)ln)) ||
          cap_add(x, ">", 1))
        return CARI_NOMEM;
    }
    return CARI_OK;
  }
  if (depth == x->item_depth + 1) x->in_author = 0;
  if (depth == x->item_depth) {
    x->item_depth = -1;
    return finish_entry(x, d);
  }
  return CARI_OK;
}

/* One node of the stream. CARI_OK to go on, or what next() returns. */
static int on_node(corpus_xml *x, corpus_doc *d) {
  int type = xmlTextReaderNodeType(x->rd);
  int depth = xmlTextReaderDepth(x->rd), rc;
  const xmlChar *ln = xmlTextReaderConstLocalName(x->rd);
  const xmlChar *ns = xmlTextReaderConstNamespaceUri(x->rd);
  if (type == XML_READER_TYPE_ELEMENT) {
    int empty = xmlTextReaderIsEmptyElement(x->rd);
    if (!x->started) return on_root(x, d);
    if (x->item_depth < 0) {
      if (!is_entry(x, ns, ln, depth)) {
        on_channel(x, ns, ln, depth);
        return CARI_OK;
      }
      entry_begin(x, depth);
      return empty ? on_entry_end(x, d, ln, depth) : CARI_OK;
    }
    rc = on_entry_element(x, d, ns, ln, depth);
    if (rc != CARI_OK || !empty) return rc;
    /* An empty element has no end node. */
    if (x->cap_field != X_NONE && depth == x->cap_depth) return cap_end(x, d);
    return CARI_OK;
  }
  if (x->item_depth < 0) return CARI_OK;
  switch (type) {
  case XML_READER_TYPE_TEXT:
  case XML_READER_TYPE_CDATA:
  case XML_READER_TYPE_WHITESPACE:
  case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
  case XML_READER_TYPE_ENTITY_REFERENCE:
    return on_text(x, type);
  case XML_READER_TYPE_END_ELEMENT:
    return on_entry_end(x, d, ln, depth);
  default: return CARI_OK;
  }
}

int corpus_xml_next(corpus_xml *x, corpus_doc *d, long long *consumed) {
  if (!x->started) x->item_depth = -1;
  for (;;) {
    int rc, got;
    if (x->eof) return CARI_DONE;
    got = xmlTextReaderRead(x->rd);
    *consumed += x->consumed - x->reported;
    x->reported = x->consumed;
    if (got < 0) return xml_fail(x, d);
    if (got == 0) {
      if (x->have_err) return xml_fail(x, d);
      x->eof = 1;
      if (!x->started)
        return corpus_err(d, CARI_FORMAT, "%s: no XML element", x->name);
      return CARI_DONE;
    }
    if (x->have_err) { /* an error the parser went past (a namespace):
                        ** stop where it is */
      xmlNodePtr n = xmlTextReaderCurrentNode(x->rd);
      if (!n || xmlGetLineNo(n) < 0 || xmlGetLineNo(n) >= x->err_line)
        return xml_fail(x, d);
    }
    rc = on_node(x, d);
    if (rc == CARI_OK) continue;
    if (rc == CARI_NOMEM && !d->err[0])
      corpus_err(d, CARI_NOMEM, "%s: out of memory", x->name);
    return rc;
  }
}
