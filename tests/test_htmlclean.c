/*
** test_htmlclean.c — the HTML cleaner (corpus/htmlclean.c) against gumbo
** itself: for hostile pages and random tag soup, gumbo's tree built from the
** cleaned copy nests at most CARI_READER_HTML_DEPTH (+ html, body) deep,
** holds at most CARI_READER_HTML_ELEMENTS elements, and the copy stays
** linear in the page; for ordinary and sloppy pages, the text gumbo finds in
** the copy is the text it finds in the page. It does not test the reader
** around the cleaner (test_readers.c does).
*/
#include <gumbo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "test.h"

/**************************************************************************
** Measuring gumbo's tree without recursion
*/

typedef struct tree_stats {
  size_t depth, elements;
} tree_stats;

static const GumboVector *kids(const GumboNode *n) {
  if (n->type == GUMBO_NODE_DOCUMENT) return &n->v.document.children;
  if (n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE)
    return &n->v.element.children;
  return NULL;
}

/* Depth and element count of the tree under doc; the text of its text
** nodes (outside script and style), joined with whitespace collapsed as
** html.c joins them, into text when not NULL. Returns 0, or -1 when out of memory. */
static int measure(const GumboNode *doc, tree_stats *s, cari_buf *text) {
  size_t cap = 64, top = 0;
  struct {
    const GumboNode *n;
    unsigned i;
  } *st = malloc(cap * sizeof *st), *grown;
  memset(s, 0, sizeof *s);
  if (!st) return -1;
  st[top].n = doc;
  st[top++].i = 0;
  while (top > 0) {
    const GumboNode *n = st[top - 1].n, *k;
    const GumboVector *v = kids(n);
    if (!v || st[top - 1].i >= v->length) {
      top--;
      continue;
    }
    k = v->data[st[top - 1].i++];
    if (k->type == GUMBO_NODE_TEXT || k->type == GUMBO_NODE_CDATA) {
      if (text && corpus_text_put(text, k->v.text.text,
                                  strlen(k->v.text.text), 1)) {
        free(st);
        return -1;
      }
      continue;
    }
    if (k->type != GUMBO_NODE_ELEMENT && k->type != GUMBO_NODE_TEMPLATE)
      continue;
    s->elements++;
    if (k->v.element.tag == GUMBO_TAG_SCRIPT ||
        k->v.element.tag == GUMBO_TAG_STYLE)
      continue;
    if (top == cap) {
      if (!(grown = realloc(st, 2 * cap * sizeof *st))) {
        free(st);
        return -1;
      }
      st = grown;
      cap *= 2;
    }
    st[top].n = k;
    st[top++].i = 0;
    if (top - 1 > s->depth) s->depth = top - 1;
  }
  free(st);
  if (text) corpus_text_trim(text);
  return 0;
}

/* Parse html[0..n) with gumbo (errors not recorded) and measure it. */
static int parse_measure(const char *html, size_t n, tree_stats *s,
                         cari_buf *text) {
  GumboOptions opt = kGumboDefaultOptions;
  GumboOutput *g;
  int rc;
  opt.max_errors = 0;
  g = gumbo_parse_with_options(&opt, html, n);
  if (!g) return -1;
  rc = measure(g->document, s, text);
  gumbo_destroy_output(&opt, g);
  return rc;
}

/**************************************************************************
** Hostile pages: a prefix, then a unit repeated (its "%d", if any, becomes
** the repetition number, so that attributes make each copy distinct)
*/

typedef struct hostile_case {
  const char *id;
  const char *prefix, *unit;
  int count;
} hostile_case;

static const hostile_case hostile_cases[] = {
    {"unclosed-b-i", "", "<b><i>", 100000},
    {"nested-div", "", "<div>", 100000},
    {"distinct-a", "", "<a href=\"%d\">", 50000},
    {"formatting-reopened", "", "<b id=%d><p>x", 50000},
    {"p-in-formatting", "", "<p><b class=%d>x", 50000},
    {"nested-tables", "", "<table><tr><td>", 40000},
    {"bare-cells", "<table>", "<td>x", 50000},
    {"foster-parented", "", "<table><div>x", 50000},
    {"svg-void-names", "<svg>", "<link><input><col>", 40000},
    {"svg-html-tag", "<svg>", "<html><head><body>", 40000},
    {"svg-nested", "<svg>", "<g><path d=%d>", 50000},
    {"math-nested", "<math>", "<mi><mrow>", 50000},
    {"math-breakout", "<math><mtext>", "<b><div><mi>", 30000},
    {"templates", "", "<template>", 100000},
    {"template-cells", "<template>", "<td><tr><template>", 30000},
    {"span-div-span", "", "<span><div></span>", 50000},
    {"select-soup", "", "<select><option><optgroup><div>", 30000},
    {"nobr-distinct", "", "<nobr id=%d>x", 50000},
    {"ruby", "", "<ruby><rb><rtc><rt>", 40000},
    {"objects", "", "<object><applet><marquee><b>", 30000},
    {"headings", "", "<h1><h2><div><h3>", 40000},
    {"custom-names", "", "<x-%d>", 50000},
    {"lists", "", "<ul><li><ol><li><dl><dd>", 30000},
    {"forms", "", "<form><button><fieldset>", 40000},
    {"frameset", "", "<frameset><frame>", 50000},
    {"self-closed", "", "<div/><span/><p/>", 50000},
    {"end-tag-walk", "<span>", "<x-a></span><x-b>", 50000},
    {"caption-colgroup", "<table>", "<caption><colgroup><col>", 40000},
    {"raw-in-formatting", "", "<b><title>t</title><i><style>s</style>", 30000},
    {"noscript-nest", "", "<noscript><div>", 50000},
};

/* Build the page of case c into b. Returns 0, or -1 when out of memory. */
static int build_hostile(const hostile_case *c, cari_buf *b) {
  const char *pct = strstr(c->unit, "%d");
  size_t lead = pct ? (size_t)(pct - c->unit) : strlen(c->unit);
  char num[16];
  int i, rc = CARI_OK;
  cari_buf_clear(b);
  cari_buf_adds(&rc, b, c->prefix);
  for (i = 0; i < c->count && rc == CARI_OK; i++) {
    snprintf(num, sizeof num, "%d", i);
    cari_buf_add(&rc, b, c->unit, lead);
    if (pct) {
      cari_buf_adds(&rc, b, num);
      cari_buf_adds(&rc, b, pct + 2);
    }
  }
  return rc ? -1 : 0;
}

/* The bound every cleaned copy must keep: gumbo's depth at most the limit
** plus html and body plus one leaf (a void element, or a raw text element
** the cleaner opens and closes at once even at the limit), its elements at most the limit plus html, head and
** body, and the copy at most 8 times the page plus a little. */
static void check_bound(const char *id, const char *page, size_t n,
                        cari_buf *copy) {
  tree_stats s;
  int rc = corpus_html_clean(page, n, copy);
  CHECK_INT(id, rc, CARI_OK);
  if (rc != CARI_OK) return;
  CHECK(id, copy->n <= 8 * n + 64, "copy of %zu bytes for a page of %zu",
        copy->n, n);
  if (parse_measure(copy->p, copy->n, &s, NULL) != 0) {
    T_FAIL(id, "out of memory measuring the tree");
    return;
  }
  CHECK(id, s.depth <= CARI_READER_HTML_DEPTH + 3,
        "gumbo nests %zu deep, limit %d", s.depth, CARI_READER_HTML_DEPTH);
  CHECK(id, s.elements <= CARI_READER_HTML_ELEMENTS + 3,
        "gumbo holds %zu elements, limit %d", s.elements,
        CARI_READER_HTML_ELEMENTS);
}

static void test_hostile(void) {
  cari_buf page = {0}, copy = {0};
  size_t i;
  for (i = 0; i < sizeof hostile_cases / sizeof hostile_cases[0]; i++) {
    const hostile_case *c = &hostile_cases[i];
    if (build_hostile(c, &page) != 0) {
      T_FAIL(c->id, "out of memory building the page");
      continue;
    }
    check_bound(c->id, page.p, page.n, &copy);
  }
  cari_buf_free(&page);
  cari_buf_free(&copy);
}

/**************************************************************************
** Random tag soup: any sequence of these pieces keeps the bound
*/

static const char *const soup[] = {
    "<div>", "</div>", "<p>", "</p>", "<span>", "</span>", "<b>", "</b>",
    "<i class=x>", "</i>", "<a href=y>", "</a>", "<li>", "</li>", "<ul>",
    "</ul>", "<table>", "</table>", "<tr>", "</tr>", "<td>", "</td>", "<th>",
    "<tbody>", "</tbody>", "<caption>", "<colgroup>", "<col>", "<svg>",
    "</svg>", "<math>", "</math>", "<mi>", "<mtext>", "<foreignObject>",
    "</foreignObject>", "<desc>", "<g>", "</g>", "<path/>", "<link>",
    "<template>", "</template>", "<select>", "</select>", "<option>",
    "<optgroup>", "<form>", "</form>", "<button>", "</button>", "<h1>",
    "</h2>", "<dd>", "<dt>", "<nobr>", "<font color=r>", "</font>", "<html>",
    "</html>", "<body>", "</body>", "<head>", "</head>", "<frameset>",
    "<object>", "</object>", "<marquee>", "<title>t", "</title>", "<style>",
    "<script>", "</script>", "<textarea>", "<xmp>", "<noscript>",
    "</noscript>", "<plaintext>", "<!-- c -->", "<!--", "-->", "<![CDATA[",
    "]]>", "<!DOCTYPE html>", "<?x?>", "</>", "<", ">", "text ", "&amp; ",
    "\"", "'", "<x-y>", "</x-y>", "<div title='", "<br>", "</br>", "<img/>",
    "<input type=hidden>", "<isindex>", "<image>", "<ruby>", "<rt>", "<hr>",
    "<pre>", "<listing>", "<menuitem>", "<applet>", "<iframe>", "<noembed>",
    "<noframes>", "<annotation-xml encoding=text/html>", "<svg/>", "<p/>",
};

static void test_soup(void) {
  cari_buf page = {0}, copy = {0};
  unsigned long seed = 20240611;
  char id[32];
  int doc, k;
  size_t nsoup = sizeof soup / sizeof soup[0];
  for (doc = 0; doc < 40; doc++) {
    int fail = 0;
    cari_buf_clear(&page);
    for (k = 0; k < 20000 && !fail; k++) {
      const char *piece;
      seed = seed * 6364136223846793005UL + 1442695040888963407UL;
      piece = soup[(seed >> 33) % nsoup];
      /* Lean on start tags so that the depth limit is reached. */
      if (piece[0] == '<' && piece[1] == '/' && (seed >> 20) % 3) continue;
      int rc = CARI_OK;
      fail = cari_buf_adds(&rc, &page, piece) != CARI_OK;
    }
    snprintf(id, sizeof id, "soup-%d", doc);
    if (fail) {
      T_FAIL(id, "out of memory building the page");
      continue;
    }
    check_bound(id, page.p, page.n, &copy);
  }
  cari_buf_free(&page);
  cari_buf_free(&copy);
}

/**************************************************************************
** Ordinary and sloppy pages: the same text through the copy
*/

typedef struct same_case {
  const char *id, *html;
} same_case;

static const same_case same_cases[] = {
    {"well-formed",
     "<!DOCTYPE html><html><head><title>Judul &amp; isi</title>"
     "<meta name=keywords content='a, b'></head><body><main><h1>H</h1>"
     "<p>Satu <b>dua</b> <a href=\"/x?a=1&amp;b=2\">tiga</a>.</p>"
     "<ul><li>x</li><li>y</li></ul></main></body></html>"},
    {"unclosed-p-li-td",
     "<p>satu<p>dua<ul><li>a<li>b</ul><table><tr><td>c<td>d<tr><td>e"
     "</table><dl><dt>t<dd>d</dl>"},
    {"misnested-formatting",
     "<p><b>tebal <i>miring</b> lagi</i> akhir</p><b><p>x</b>y</p>"},
    {"nested-a", "<a href=1>satu <a href=2>dua</a> tiga</a>"},
    {"comments-and-doctype",
     "<!DOCTYPE html><!-- c1 --><p>a<!-- c2 -->b<!---->c<!-->d<?php x ?>e"},
    {"raw-text",
     "<title>a < b</title><script>if (a<b) x('</p>')</script>"
     "<style>p>b{}</style><textarea>1 <b>2</b></textarea><p>sesudah</p>"},
    {"attributes",
     "<div title=\"a>b\" data-x='\"q\"' hidden=hidden alt=x>isi</div>"
     "<img alt=\"gambar <i>\" src=x><p class=a id=b>p</p>"},
    {"svg-and-math",
     "<p>teks <svg><a href=#><title>ikon</title><text>svg</text></a></svg> "
     "<math><mi>x</mi><mo>+</mo></math> akhir</p>"},
    {"table-soup",
     "<table><caption>cap</caption><col><tr><th>h<td>d</table>"
     "<table><div>asuh</div><tr><td>sel</table>"},
    {"entities-lt",
     "<p>1 &lt; 2 &amp;&amp; 3 > 2 < 4 &copy; &#169; &#xA9; &notanentity;"},
    {"pre-newline", "<pre>\nbaris\n  dua</pre><listing>\nx</listing>"},
    {"unclosed-at-end", "<div><p>isi <b>tebal <a href=x>taut"},
    {"self-closing", "<div/>a<br/>b<p/>c<span/>d"},
    {"select-form",
     "<form><select><option>a<option>b<optgroup><option>c</select>"
     "<button>k</button></form>"},
    {"headings", "<h1>a<h2>b</h1>c<h3>d"},
    {"cdata-bogus", "<p>a<![CDATA[x<y]]>b</ p>c</>d"},
};

static void test_same_text(void) {
  cari_buf copy = {0}, want = {0}, got = {0};
  tree_stats s;
  size_t i;
  for (i = 0; i < sizeof same_cases / sizeof same_cases[0]; i++) {
    const same_case *c = &same_cases[i];
    size_t n = strlen(c->html);
    cari_buf_clear(&want);
    cari_buf_clear(&got);
    if (corpus_html_clean(c->html, n, &copy) != CARI_OK ||
        parse_measure(c->html, n, &s, &want) != 0 ||
        parse_measure(copy.p, copy.n, &s, &got) != 0) {
      T_FAIL(c->id, "out of memory");
      continue;
    }
    CHECK_STR(c->id, cari_buf_str(&got), cari_buf_str(&want));
  }
  cari_buf_free(&copy);
  cari_buf_free(&want);
  cari_buf_free(&got);
}

int main(void) {
  test_same_text();
  test_hostile();
  test_soup();
  return test_report("htmlclean");
}
