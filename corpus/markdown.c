/*
** markdown.c — a Markdown file to an article: YAML front matter (libyaml)
** for title, date, tags, url, id/slug and draft, then the text without
** markup (md4c, GitHub dialect): blocks become lines and blank lines, link
** and image text stay, URLs and raw HTML go, entities are decoded.
** It does not render HTML, resolve YAML types (values are kept as
** written) or read TOML (+++) front matter.
*/
#include <md4c.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "corpus.h"

/**************************************************************************
** Front matter
*/

/* The length of the line at s[0..n) without its line ending, and in *next
** where the following line starts. */
static size_t line_len(const char *s, size_t n, size_t *next) {
  const char *nl = memchr(s, '\n', n);
  size_t len = nl ? (size_t)(nl - s) : n;
  *next = nl ? len + 1 : n;
  if (len > 0 && s[len - 1] == '\r') len--;
  return len;
}

/* True when the line s[0..len) is `mark` followed by nothing but blanks. */
static int is_fence(const char *s, size_t len, const char *mark) {
  while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t')) len--;
  return len == 3 && memcmp(s, mark, 3) == 0;
}

/* YAML says a plain null this way; the document API does not resolve it. */
static int is_null(const yaml_node_t *v) {
  const char *s = (const char *)v->data.scalar.value;
  size_t n = v->data.scalar.length;
  if (v->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) return 0;
  return n == 0 || (n == 1 && *s == '~') ||
         (n == 4 && (!memcmp(s, "null", 4) || !memcmp(s, "Null", 4) ||
                     !memcmp(s, "NULL", 4)));
}

static int is_true(const yaml_node_t *v) {
  static const char *const yes[] = {"true", "True", "TRUE", "yes", "Yes",
                                    "YES",  "on",   "On",   "ON"};
  size_t i;
  if (v->type != YAML_SCALAR_NODE) return 0;
  for (i = 0; i < sizeof yes / sizeof yes[0]; i++)
    if (v->data.scalar.length == strlen(yes[i]) &&
        memcmp(v->data.scalar.value, yes[i], v->data.scalar.length) == 0)
      return 1;
  return 0;
}

typedef struct fm_ctx {
  const char *name;  /* file, for messages */
  unsigned long line0; /* file line of the YAML's first line */
  corpus_doc *d;
  int draft;
  cari_buf slug;
} fm_ctx;

static int fm_type_err(fm_ctx *c, const yaml_node_t *v, const char *key,
                       const char *what) {
  return corpus_err(c->d, CARI_FORMAT, "%s:%lu: front matter \"%s\" must be %s",
                    c->name, c->line0 + (unsigned long)v->start_mark.line, key,
                    what);
}

/* Store a scalar value, trimmed, into out; a null leaves it empty. */
static int fm_string(fm_ctx *c, const yaml_node_t *v, const char *key,
                     cari_buf *out) {
  const char *s;
  size_t n;
  if (v->type != YAML_SCALAR_NODE) return fm_type_err(c, v, key, "a string");
  if (is_null(v)) return CARI_OK;
  s = (const char *)v->data.scalar.value;
  n = v->data.scalar.length;
  int rc = CARI_OK;
  if (cari_buf_set(&rc, out, s, n)) return rc;
  corpus_text_trim(out);
  return CARI_OK;
}

static int fm_tags(fm_ctx *c, yaml_document_t *doc, const yaml_node_t *v) {
  const char *what = "a list of strings or a comma-separated string";
  yaml_node_item_t *it;
  if (v->type == YAML_SCALAR_NODE) {
    if (is_null(v)) return CARI_OK;
    return corpus_doc_tags_csv(c->d, (const char *)v->data.scalar.value,
                               v->data.scalar.length);
  }
  if (v->type != YAML_SEQUENCE_NODE) return fm_type_err(c, v, "tags", what);
  for (it = v->data.sequence.items.start; it < v->data.sequence.items.top;
       it++) {
    const yaml_node_t *t = yaml_document_get_node(doc, *it);
    if (!t || t->type != YAML_SCALAR_NODE)
      return fm_type_err(c, t ? t : v, "tags", what);
    if (is_null(t)) continue;
    if (corpus_doc_tag(c->d, (const char *)t->data.scalar.value,
                       t->data.scalar.length) != CARI_OK)
      return CARI_NOMEM;
  }
  return CARI_OK;
}

/* One key: value pair of the front matter. Unknown keys are ignored. */
static int fm_pair(fm_ctx *c, yaml_document_t *doc, const yaml_node_t *k,
                   const yaml_node_t *v) {
  const char *key;
  size_t n;
  if (!k || !v || k->type != YAML_SCALAR_NODE) return CARI_OK;
  key = (const char *)k->data.scalar.value;
  n = k->data.scalar.length;
#define KEY_IS(s) (n == sizeof(s) - 1 && memcmp(key, s, n) == 0)
  if (KEY_IS("title")) return fm_string(c, v, "title", &c->d->title);
  if (KEY_IS("date")) return fm_string(c, v, "date", &c->d->date);
  if (KEY_IS("url")) return fm_string(c, v, "url", &c->d->url);
  if (KEY_IS("id")) return fm_string(c, v, "id", &c->d->id);
  if (KEY_IS("slug")) return fm_string(c, v, "slug", &c->slug);
  if (KEY_IS("tags")) return fm_tags(c, doc, v);
  if (KEY_IS("draft")) c->draft = is_true(v);
#undef KEY_IS
  return CARI_OK;
}

/*
** Refuse front matter that libyaml would take too long over: more than
** CARI_READER_FRONT_MATTER_BYTES, or more than
** CARI_READER_FRONT_MATTER_BRACKETS '[' and '{' in all. libyaml keeps a
** simple-key slot per open flow collection and checks all of them at every
** token, so 100 KB of '[' take a minute; counting every bracket, quoted or
** not, bounds that nesting for any text. CARI_OK or CARI_FORMAT.
*/
static int fm_bounded(fm_ctx *c, const char *yaml, size_t n) {
  size_t i, brackets = 0;
  unsigned long line = 0;
  if (n > CARI_READER_FRONT_MATTER_BYTES)
    return corpus_err(c->d, CARI_FORMAT, "%s:%lu: front matter is %zu bytes, "
                      "more than the limit of %d", c->name, c->line0, n,
                      CARI_READER_FRONT_MATTER_BYTES);
  for (i = 0; i < n; i++) {
    if (yaml[i] == '\n') line++;
    if ((yaml[i] == '[' || yaml[i] == '{') &&
        ++brackets > CARI_READER_FRONT_MATTER_BRACKETS)
      return corpus_err(c->d, CARI_FORMAT, "%s:%lu: front matter holds more "
                        "than the limit of %d '[' and '{'", c->name,
                        c->line0 + line, CARI_READER_FRONT_MATTER_BRACKETS);
  }
  return CARI_OK;
}

/* Parse the front matter yaml[0..n), whose first line is file line line0. */
static int front_matter(fm_ctx *c, const char *yaml, size_t n) {
  yaml_parser_t p;
  yaml_document_t doc;
  yaml_node_t *root;
  yaml_node_pair_t *pair;
  int rc = CARI_OK;
  if (!yaml_parser_initialize(&p)) return CARI_NOMEM;
  yaml_parser_set_input_string(&p, (const unsigned char *)yaml, n);
  yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
  if (!yaml_parser_load(&p, &doc)) {
    if (p.error == YAML_MEMORY_ERROR) rc = CARI_NOMEM;
    else
      rc = corpus_err(c->d, CARI_FORMAT, "%s:%lu: front matter: %s%s%s",
                      c->name, c->line0 + (unsigned long)p.problem_mark.line,
                      p.problem ? p.problem : "malformed YAML",
                      p.context ? " " : "", p.context ? p.context : "");
    yaml_parser_delete(&p);
    return rc;
  }
  root = yaml_document_get_root_node(&doc);
  if (root && root->type == YAML_SCALAR_NODE && is_null(root)) root = NULL;
  if (root && root->type != YAML_MAPPING_NODE) {
    rc = corpus_err(c->d, CARI_FORMAT, "%s:%lu: front matter must be "
                    "\"key: value\" lines", c->name,
                    c->line0 + (unsigned long)root->start_mark.line);
  } else if (root) {
    for (pair = root->data.mapping.pairs.start;
         rc == CARI_OK && pair < root->data.mapping.pairs.top; pair++)
      rc = fm_pair(c, &doc, yaml_document_get_node(&doc, pair->key),
                   yaml_document_get_node(&doc, pair->value));
  }
  yaml_document_delete(&doc);
  yaml_parser_delete(&p);
  return rc;
}

/**************************************************************************
** Entities
*/

static size_t utf8_put(char *out, unsigned long cp) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    cp = 0xFFFD; /* as CommonMark says */
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (char)(0xC0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | (cp >> 18));
  out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

/* Decode the entity s[0..n) ("&amp;", "&#233;", "&#xE9;") into out (at
** least 4 bytes). Returns the length, or 0 for a name not in the table. */
static size_t entity(const char *s, size_t n, char *out) {
  static const struct {
    const char *name;
    unsigned long cp;
  } names[] = {
      {"amp", '&'},      {"lt", '<'},        {"gt", '>'},
      {"quot", '"'},     {"apos", '\''},     {"nbsp", 0xA0},
      {"ndash", 0x2013}, {"mdash", 0x2014},  {"hellip", 0x2026},
      {"lsquo", 0x2018}, {"rsquo", 0x2019},  {"ldquo", 0x201C},
      {"rdquo", 0x201D}, {"laquo", 0xAB},    {"raquo", 0xBB},
      {"copy", 0xA9},    {"reg", 0xAE},      {"trade", 0x2122},
      {"middot", 0xB7},  {"bull", 0x2022},   {"deg", 0xB0},
      {"times", 0xD7},   {"euro", 0x20AC},   {"shy", 0xAD},
  };
  size_t i;
  if (n < 3 || s[0] != '&' || s[n - 1] != ';') return 0;
  s++;
  n -= 2;
  if (s[0] == '#') {
    unsigned long cp = 0;
    int hex = n > 1 && (s[1] == 'x' || s[1] == 'X');
    for (i = hex ? 2 : 1; i < n; i++) {
      unsigned char ch = (unsigned char)s[i];
      unsigned dv = ch >= '0' && ch <= '9'   ? ch - '0'
                    : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                    : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
                                             : 99;
      if (dv >= (hex ? 16u : 10u)) return 0;
      if (cp <= 0x10FFFF) cp = cp * (hex ? 16 : 10) + dv;
    }
    return utf8_put(out, cp);
  }
  for (i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strlen(names[i].name) == n && memcmp(names[i].name, s, n) == 0)
      return utf8_put(out, names[i].cp);
  return 0;
}

/**************************************************************************
** Text
*/

typedef struct md_ctx {
  corpus_doc *d;
  cari_buf heading;    /* the first heading's text, while want_heading */
  int want_heading;    /* 1: none seen yet; 2: inside it; 0: done */
  int list_depth;
  int rc;              /* sticky CARI_NOMEM */
} md_ctx;

static void put(md_ctx *c, const char *s, size_t n) {
  if (c->rc == CARI_OK) c->rc = corpus_text_put(&c->d->body, s, n, 0);
  if (c->rc == CARI_OK && c->want_heading == 2)
    c->rc = corpus_text_put(&c->heading, s, n, 1);
}

static void brk(md_ctx *c, int lines) {
  if (c->rc == CARI_OK) c->rc = corpus_text_break(&c->d->body, lines);
}

/* Line breaks around a block: lists and table rows end lines, other blocks
** end paragraphs; cells in a row are separated by a space. */
static void block_edge(md_ctx *c, MD_BLOCKTYPE type) {
  switch (type) {
  case MD_BLOCK_DOC: break;
  case MD_BLOCK_LI:
  case MD_BLOCK_TR: brk(c, 1); break;
  case MD_BLOCK_UL:
  case MD_BLOCK_OL: brk(c, c->list_depth > 0 ? 1 : 2); break;
  case MD_BLOCK_TH:
  case MD_BLOCK_TD:
    if (c->rc == CARI_OK) c->rc = corpus_text_put(&c->d->body, " ", 1, 1);
    break;
  case MD_BLOCK_THEAD:
  case MD_BLOCK_TBODY: break;
  default: brk(c, 2); break;
  }
}

static int enter_block(MD_BLOCKTYPE type, void *detail, void *ud) {
  md_ctx *c = ud;
  (void)detail;
  block_edge(c, type);
  if (type == MD_BLOCK_UL || type == MD_BLOCK_OL) c->list_depth++;
  if (type == MD_BLOCK_H && c->want_heading == 1) c->want_heading = 2;
  return c->rc != CARI_OK;
}

static int leave_block(MD_BLOCKTYPE type, void *detail, void *ud) {
  md_ctx *c = ud;
  (void)detail;
  if (type == MD_BLOCK_UL || type == MD_BLOCK_OL) c->list_depth--;
  block_edge(c, type);
  if (type == MD_BLOCK_H && c->want_heading == 2) c->want_heading = 0;
  return c->rc != CARI_OK;
}

static int span(MD_SPANTYPE type, void *detail, void *ud) {
  (void)type;
  (void)detail;
  (void)ud;
  return 0;
}

static int text(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE n, void *ud) {
  md_ctx *c = ud;
  char buf[4];
  size_t len;
  switch (type) {
  case MD_TEXT_NULLCHAR: put(c, "\xEF\xBF\xBD", 3); break;
  case MD_TEXT_BR: put(c, "\n", 1); break;
  case MD_TEXT_SOFTBR: put(c, " ", 1); break;
  case MD_TEXT_HTML: break; /* raw HTML is markup, not text */
  case MD_TEXT_ENTITY:
    len = entity(s, n, buf);
    if (len) put(c, buf, len);
    else put(c, s, n);
    break;
  default: put(c, s, n); break; /* normal, code, math */
  }
  return c->rc != CARI_OK;
}

/* Extract the text of md[0..n) into the body, and the first heading into
** the title when the title is still empty. */
static int md_text(corpus_doc *d, const char *md, size_t n) {
  MD_PARSER parser;
  md_ctx c;
  int ret;
  memset(&parser, 0, sizeof parser);
  memset(&c, 0, sizeof c);
  parser.flags = MD_DIALECT_GITHUB;
  parser.enter_block = enter_block;
  parser.leave_block = leave_block;
  parser.enter_span = span;
  parser.leave_span = span;
  parser.text = text;
  c.d = d;
  c.want_heading = d->title.n == 0;
  ret = md_parse(md, (MD_SIZE)n, &parser, &c);
  if (c.rc == CARI_OK && ret != 0) c.rc = CARI_NOMEM; /* md4c's own failure */
  if (c.rc == CARI_OK && d->title.n == 0) {
    corpus_text_trim(&c.heading);
    cari_buf_set(&c.rc, &d->title, cari_buf_str(&c.heading), c.heading.n);
  }
  cari_buf_free(&c.heading);
  corpus_text_trim(&d->body);
  return c.rc;
}

int corpus_markdown_parse(const char *name, const char *text_, size_t len,
                          corpus_doc *d) {
  size_t next, at, fm_end = 0, body = 0;
  int rc;
  if (len > (MD_SIZE)-1)
    return corpus_err(d, CARI_FORMAT, "%s: too large for the Markdown parser",
                      name);
  /* Front matter: a first line "---", up to a line "---" or "...". Without
  ** the closing line the "---" is Markdown (a rule), not front matter. */
  if (is_fence(text_, line_len(text_, len, &next), "---")) {
    for (at = next; at < len; at += next) {
      size_t ll = line_len(text_ + at, len - at, &next);
      if (is_fence(text_ + at, ll, "---") || is_fence(text_ + at, ll, "...")) {
        fm_end = at;
        body = at + next;
        break;
      }
    }
  }
  if (body > 0) {
    fm_ctx c;
    memset(&c, 0, sizeof c);
    c.name = name;
    c.line0 = 2;
    c.d = d;
    line_len(text_, len, &next);
    rc = fm_bounded(&c, text_ + next, fm_end - next);
    if (rc == CARI_OK) rc = front_matter(&c, text_ + next, fm_end - next);
    if (rc == CARI_OK && d->id.n == 0 && c.slug.n > 0)
      cari_buf_set(&rc, &d->id, c.slug.p, c.slug.n);
    cari_buf_free(&c.slug);
    if (rc != CARI_OK) return rc;
    if (c.draft) return CORPUS_SKIP;
  }
  return md_text(d, text_ + body, len - body);
}
