/*
** test_readers.c — the readers (cari_reader_*) on small files written to a
** temporary directory: one table of single files checked field by field,
** one table of walks (JSONL streams, directories) checked step by step.
** It does not index anything; cari_put() is tested elsewhere.
*/
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cari.h"
#include "corpus.h"
#include "test.h"

static char tmp[64]; /* the temporary directory, "" until made */

/* "tmp/sub/name" into out. */
static void tpath(char *out, size_t cap, const char *sub, const char *name) {
  snprintf(out, cap, "%s/%s%s%s", tmp, sub, *name ? "/" : "", name);
}

/* Write text (len bytes, or strlen if len is 0) to tmp/sub/name, making the
** directories on the way. Returns 0 or -1. */
static int put_file(const char *sub, const char *name, const char *text,
                    size_t len) {
  char path[512];
  char *slash;
  FILE *f;
  size_t n = len ? len : strlen(text);
  tpath(path, sizeof path, sub, name);
  for (slash = strchr(path + strlen(tmp) + 1, '/'); slash;
       slash = strchr(slash + 1, '/')) {
    *slash = '\0';
    if (mkdir(path, 0755) != 0 && errno != EEXIST) return -1;
    *slash = '/';
  }
  if (!(f = fopen(path, "wb"))) return -1;
  if (fwrite(text, 1, n, f) != n) {
    fclose(f);
    return -1;
  }
  return fclose(f) == 0 ? 0 : -1;
}

/* Remove a directory tree (no links are followed: lstat). */
static void rm_rf(const char *path) {
  struct stat st;
  DIR *d;
  struct dirent *de;
  char sub[1024];
  if (lstat(path, &st) != 0) return;
  if (S_ISDIR(st.st_mode) && (d = opendir(path))) {
    while ((de = readdir(d))) {
      if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
      snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
      rm_rf(sub);
    }
    closedir(d);
    rmdir(path);
  } else {
    unlink(path);
  }
}

/* The tags joined with '|', into out. */
static const char *join_tags(const cari_article *a, char *out, size_t cap) {
  size_t i, at = 0;
  out[0] = '\0';
  for (i = 0; i < a->ntags && at < cap; i++)
    at += (size_t)snprintf(out + at, cap - at, "%s%s", i ? "|" : "",
                           a->tags[i]);
  return a->ntags ? out : NULL;
}

static int has(const char *s, const char *sub) {
  return s && sub && strstr(s, sub) != NULL;
}

/**************************************************************************
** One file, one article (or one error)
*/

typedef struct art_case {
  const char *id;    /* case id; the file goes in tmp/<id>/ */
  const char *file;  /* its name */
  const char *text;
  size_t len;        /* 0: strlen(text) */
  int rc;            /* the first cari_reader_next() */
  const char *art;   /* CARI_ROW: the article id; else a message substring */
  const char *title; /* expected exactly */
  const char *body;  /* exact body, or NULL not to check */
  const char *has;   /* a substring the body must hold, or NULL */
  const char *hasnt; /* a substring the body must not hold, or NULL */
  const char *tags;  /* "a|b", NULL for none */
  const char *url, *date; /* expected exactly (NULL: none) */
} art_case;

#define MD_FULL                                                            \
  "---\ntitle: Pantai Kuta\ndate: 2024-03-01\ntags: [pantai, bali]\n"       \
  "url: https://blog.example/kuta\nauthor: Ani\n---\n"                      \
  "# Ombak di Kuta\n\nParagraf **tebal** dan [tautan](https://example.com) " \
  "dengan `kode` &amp; &lt;tag&gt; &#233;&#x41; &copy;.\n\n"                \
  "![gambar pantai](img.png)\n\n<div class=\"x\">\nblok html\n</div>\n\n"   \
  "- satu\n- dua <b>tebal</b>\n"

#define HTML_FULL                                                           \
  "<!DOCTYPE html>\n<html><head><title>  Judul \n  Halaman </title>\n"       \
  "<meta name=\"date\" content=\"2024-05-06\">\n"                           \
  "<meta name=\"keywords\" content=\"kopi, teh ,\">\n"                      \
  "<link rel=\"canonical\" href=\"https://x.example/p\">\n"                 \
  "<style>body { color: red }</style><script>var x = 1;</script></head>\n"  \
  "<body><nav>Menu Beranda</nav><header>Kepala situs</header>\n"            \
  "<p>Kopi &amp; teh &lt;panas&gt; &eacute;nak</p>\n"                       \
  "<script>alert('skrip')</script><noscript>nojs</noscript>\n"              \
  "<div>Baris   \n   dua</div><ul><li>satu</li><li>dua</li></ul>\n"        \
  "<form><button>Kirim</button></form><aside>Samping</aside>"               \
  "<p hidden>tersembunyi</p><footer>Kaki</footer></body></html>\n"

#define HTML_ARTICLE                                                        \
  "<html><body><div>Di luar artikel</div><main><h1>Judul <em>H1</em></h1>"  \
  "<p>Di dalam main.</p><svg><title>ikon</title></svg></main>"              \
  "<article>Artikel kedua</article></body></html>"

static const art_case art_cases[] = {
    /* JSONL */
    {"jsonl-happy", "posts.jsonl",
     "{\"id\":\"a1\",\"title\":\"Judul\",\"body\":\"Isi artikel\","
     "\"url\":\"https://x/a1\",\"date\":\"2024-01-02\","
     "\"tags\":[\"wisata\",\" bali \"],\"other\":{\"x\":1}}\n",
     0, CARI_ROW, "a1", "Judul", "Isi artikel", NULL, NULL, "wisata|bali",
     "https://x/a1", "2024-01-02"},
    {"jsonl-number-id", "n.ndjson", "{\"id\":42,\"title\":\"T\",\"url\":null}",
     0, CARI_ROW, "42", "T", "", NULL, NULL, NULL, NULL, NULL},
    {"jsonl-tags-string", "t.jsonl",
     "{\"id\":\"t\",\"body\":\"b\",\"tags\":\"kopi, teh,, \"}\n", 0, CARI_ROW,
     "t", "", "b", NULL, NULL, "kopi|teh", NULL, NULL},
    {"jsonl-empty", "e.jsonl", "", 0, CARI_DONE, "", NULL, NULL, NULL, NULL,
     NULL, NULL, NULL},
    {"jsonl-blank-lines", "b.jsonl", "\n  \n\t\r\n", 0, CARI_DONE, "", NULL,
     NULL, NULL, NULL, NULL, NULL, NULL},

    /* Markdown */
    {"md-full", "kuta.md", MD_FULL, 0, CARI_ROW, "kuta", "Pantai Kuta", NULL,
     "Paragraf tebal dan tautan dengan kode & <tag> \xC3\xA9" "A \xC2\xA9.",
     "example.com", "pantai|bali", "https://blog.example/kuta", "2024-03-01"},
    {"md-no-markup", "kuta.md", MD_FULL, 0, CARI_ROW, "kuta", "Pantai Kuta",
     NULL, "gambar pantai", "**", "pantai|bali", "https://blog.example/kuta",
     "2024-03-01"},
    {"md-no-html", "kuta.md", MD_FULL, 0, CARI_ROW, "kuta", "Pantai Kuta",
     NULL, "dua tebal", "blok html", "pantai|bali",
     "https://blog.example/kuta", "2024-03-01"},
    {"md-exact", "e.md",
     "Satu *dua*\ntiga  \nempat\n\n## Sub\n\n> kutip\n\n```\nkode  blok\n"
     "```\n\n| a | b |\n|---|---|\n| c | d |\n\n1. x\n2. y\n   - z\n",
     0, CARI_ROW, "e", "Sub",
     "Satu dua tiga\nempat\n\nSub\n\nkutip\n\nkode  blok\n\na b\nc d\n\nx\n"
     "y\nz",
     NULL, NULL, NULL, NULL, NULL},
    {"md-tags-string-slug", "x.markdown",
     "---\ntitle: \"Judul: kutip\"\ntags: a, b , c\nslug: my-slug\n"
     "draft: false\n---\nIsi.\n",
     0, CARI_ROW, "my-slug", "Judul: kutip", "Isi.", NULL, NULL, "a|b|c", NULL,
     NULL},
    {"md-id-over-slug", "x.md",
     "---\nslug: s\nid: blog/the-id\ntags:\n  - satu\n  - dua\n---\nIsi.",
     0, CARI_ROW, "blog/the-id", "", "Isi.", NULL, NULL, "satu|dua", NULL,
     NULL},
    {"md-draft", "d.md", "---\ntitle: Belum\ndraft: true\n---\nIsi.\n", 0,
     CARI_DONE, "", NULL, NULL, NULL, NULL, NULL, NULL, NULL},
    {"md-no-front-matter", "h.md", "Awal.\n\n# Judul Besar\n\nIsi.\n", 0,
     CARI_ROW, "h", "Judul Besar", "Awal.\n\nJudul Besar\n\nIsi.", NULL, NULL,
     NULL, NULL, NULL},
    {"md-no-title", "p.md", "Hanya teks.", 0, CARI_ROW, "p", "",
     "Hanya teks.", NULL, NULL, NULL, NULL, NULL},
    {"md-empty-front-matter", "p.md", "---\n---\n# T\nx", 0, CARI_ROW, "p",
     "T", "x", NULL, NULL, NULL, NULL, NULL},
    {"md-rule-not-front-matter", "r.md", "---\nteks\n", 0, CARI_ROW, "r", "",
     "teks", NULL, NULL, NULL, NULL, NULL},
    {"md-dots-close", "r.md", "---\ntitle: Titik\n...\nteks\n", 0, CARI_ROW,
     "r", "Titik", "teks", NULL, NULL, NULL, NULL, NULL},
    {"md-crlf", "c.md",
     "---\r\ntitle: CR\r\n---\r\nBaris satu\r\nbaris dua\r\n", 0, CARI_ROW,
     "c", "CR", "Baris satu baris dua", NULL, NULL, NULL, NULL, NULL},
    {"md-bom", "b.md", "\xEF\xBB\xBF---\ntitle: BOM\n---\nIsi", 0, CARI_ROW,
     "b", "BOM", "Isi", NULL, NULL, NULL, NULL, NULL},
    {"md-bad-yaml", "y.md", "---\ntitle: ok\nfoo: bar: baz\n---\nIsi\n", 0,
     CARI_FORMAT, "y.md:3: front matter: mapping values are not allowed",
     NULL, NULL, NULL, NULL, NULL, NULL, NULL},
    {"md-title-type", "y.md", "---\ndate: 1\ntitle: [a, b]\n---\nIsi\n", 0,
     CARI_FORMAT, "y.md:3: front matter \"title\" must be a string", NULL,
     NULL, NULL, NULL, NULL, NULL, NULL},
    {"md-tags-type", "y.md", "---\ntags: {a: 1}\n---\nIsi\n", 0, CARI_FORMAT,
     "y.md:2: front matter \"tags\" must be a list", NULL, NULL, NULL, NULL,
     NULL, NULL, NULL},
    {"md-not-mapping", "y.md", "---\n- a\n- b\n---\nIsi\n", 0, CARI_FORMAT,
     "y.md:2: front matter must be", NULL, NULL, NULL, NULL, NULL, NULL, NULL},
    {"md-empty", "e.md", "", 0, CARI_FORMAT, "e.md: no title and no text",
     NULL, NULL, NULL, NULL, NULL, NULL, NULL},
    {"md-bad-utf8", "u.md", "\xEF\xBB\xBF# Judul\n\xC3\x28", 0, CARI_FORMAT,
     "u.md: not valid UTF-8 (byte offset 11)", NULL, NULL, NULL, NULL, NULL,
     NULL, NULL},

    /* HTML */
    {"html-full", "page.html", HTML_FULL, 0, CARI_ROW, "page", "Judul Halaman",
     "Kopi & teh <panas> \xC3\xA9nak\n\nBaris dua\n\nsatu\ndua", NULL, NULL,
     "kopi|teh", "https://x.example/p", "2024-05-06"},
    {"html-excluded", "page.htm", HTML_FULL, 0, CARI_ROW, "page",
     "Judul Halaman", NULL, NULL, "Menu", "kopi|teh", "https://x.example/p",
     "2024-05-06"},
    {"html-main", "m.html", HTML_ARTICLE, 0, CARI_ROW, "m", "Judul H1",
     "Di dalam main.", NULL, NULL, NULL, NULL, NULL},
    {"html-empty-title", "t.html",
     "<title> </title><meta property=\"article:published_time\" "
     "content=\"2020\"><h1>Dari &quot;h1&quot;</h1>x<br>y<pre>a\n  b</pre>",
     0, CARI_ROW, "t", "Dari \"h1\"", "x\ny\n\na\n  b", NULL,
     NULL, NULL, NULL, "2020"},
    {"html-bom-crlf", "b.html", "\xEF\xBB\xBF<title>B</title>\r\n<p>x\r\ny</p>",
     0, CARI_ROW, "b", "B", "x y", NULL, NULL, NULL, NULL, NULL},
    {"html-empty", "e.html", "", 0, CARI_FORMAT, "e.html: no title and no text",
     NULL, NULL, NULL, NULL, NULL, NULL, NULL},
    /* Gumbo turns an out-of-range character reference into a lone byte
    ** (found by fuzz_html): it must come out as U+FFFD, not invalid UTF-8. */
    {"html-huge-charref", "r.html",
     "<title>T &#xbebbbbde;</title><meta name=\"keywords\" "
     "content=\"k&#xbebbbbde;,b\"><p>a&#xbebbbbde;b</p>", 0, CARI_ROW, "r",
     "T \xEF\xBF\xBD", "a\xEF\xBF\xBD" "b", NULL, NULL, "k\xEF\xBF\xBD|b", NULL,
     NULL},
    {"html-bad-utf8", "u.html", "<p>caf\xE9</p>", 0, CARI_FORMAT,
     "u.html: not valid UTF-8 (byte offset 6)", NULL, NULL, NULL, NULL, NULL,
     NULL, NULL},

    /* Plain text */
    {"txt-happy", "catatan.txt", "\n \n  Judul Teks  \nbaris satu\nbaris dua\n",
     0, CARI_ROW, "catatan", "Judul Teks", "baris satu\nbaris dua", NULL, NULL,
     NULL, NULL, NULL},
    {"txt-crlf", "c.TXT", "Judul\r\n\r\nSatu\r\nDua\r\n", 0, CARI_ROW, "c",
     "Judul", "Satu\nDua", NULL, NULL, NULL, NULL, NULL},
    {"txt-bom-title-only", "b.txt", "\xEF\xBB\xBFJudul BOM", 0, CARI_ROW, "b",
     "Judul BOM", "", NULL, NULL, NULL, NULL, NULL},
    {"txt-empty", "e.txt", "", 0, CARI_FORMAT, "e.txt: no title and no text",
     NULL, NULL, NULL, NULL, NULL, NULL, NULL},
    {"txt-blank", "e.txt", " \n\t\n", 0, CARI_FORMAT, "no title and no text",
     NULL, NULL, NULL, NULL, NULL, NULL, NULL},
    {"txt-bad-utf8", "u.txt", "abc\xFF", 0, CARI_FORMAT,
     "u.txt: not valid UTF-8 (byte offset 3)", NULL, NULL, NULL, NULL, NULL,
     NULL, NULL},
    {"txt-surrogate", "u.txt", "ab\xED\xA0\x80", 0, CARI_FORMAT,
     "not valid UTF-8 (byte offset 2)", NULL, NULL, NULL, NULL, NULL, NULL,
     NULL},
    {"txt-overlong", "u.txt", "\xC0\xAF", 0, CARI_FORMAT,
     "not valid UTF-8 (byte offset 0)", NULL, NULL, NULL, NULL, NULL, NULL,
     NULL},
    {"txt-truncated", "u.txt", "ok \xF0\x9F\x98", 0, CARI_FORMAT,
     "not valid UTF-8 (byte offset 3)", NULL, NULL, NULL, NULL, NULL, NULL,
     NULL},
    {"txt-nul", "z.txt", "ab\0cd", 5, CARI_FORMAT,
     "z.txt: contains a NUL byte (byte offset 2)", NULL, NULL, NULL, NULL,
     NULL, NULL, NULL},
    {"txt-utf8-ok", "k.txt", "Kafe \xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\nx",
     0, CARI_ROW, "k", "Kafe \xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80", "x", NULL,
     NULL, NULL, NULL, NULL},
};

static void run_art_case(const art_case *c) {
  char path[512], tags[256];
  cari_reader *r = NULL;
  cari_article a;
  long long done = -1, total = -1;
  int rc;
  if (put_file(c->id, c->file, c->text, c->len) != 0) {
    T_FAIL(c->id, "cannot write %s", c->file);
    return;
  }
  tpath(path, sizeof path, c->id, c->file);
  rc = cari_reader_open(path, &r);
  CHECK(c->id, rc == CARI_OK, "open: rc %d: %s", rc, cari_reader_errmsg(r));
  if (rc != CARI_OK) {
    cari_reader_close(r);
    return;
  }
  rc = cari_reader_next(r, &a);
  CHECK(c->id, rc == c->rc, "rc %d, want %d (%s)", rc, c->rc,
        cari_reader_errmsg(r));
  if (rc == CARI_ROW && c->rc == CARI_ROW) {
    CHECK_STR(c->id, a.id, c->art);
    CHECK_STR(c->id, a.title, c->title);
    if (c->body) CHECK_STR(c->id, a.body, c->body);
    if (c->has)
      CHECK(c->id, has(a.body, c->has), "body \"%s\" lacks \"%s\"", a.body,
            c->has);
    if (c->hasnt)
      CHECK(c->id, !has(a.body, c->hasnt), "body \"%s\" has \"%s\"", a.body,
            c->hasnt);
    CHECK_STR(c->id, join_tags(&a, tags, sizeof tags), c->tags);
    CHECK_STR(c->id, a.url, c->url);
    CHECK_STR(c->id, a.date, c->date);
    CHECK(c->id, has(a.source, c->file), "source \"%s\"", a.source);
    CHECK_STR(c->id, cari_reader_errmsg(r), "");
  } else if (c->rc == CARI_FORMAT) {
    CHECK(c->id, has(cari_reader_errmsg(r), c->art),
          "message \"%s\" lacks \"%s\"", cari_reader_errmsg(r), c->art);
  }
  if (rc != CARI_DONE) CHECK_INT(c->id, cari_reader_next(r, &a), CARI_DONE);
  cari_reader_progress(r, &done, &total);
  CHECK(c->id, done == total && total == (long long)(c->len ? c->len
                                                    : strlen(c->text)),
        "progress %lld of %lld", done, total);
  cari_reader_close(r);
}

/**************************************************************************
** Walks: several records or files, step by step
*/

typedef struct seq_file {
  const char *name, *text;
} seq_file;

typedef struct seq_case {
  const char *id;       /* case id; the files go in tmp/<id>/ */
  seq_file files[16];
  const char *open;     /* opened: tmp/<id>/<open>; "" for the directory */
  int open_rc;
  const char *open_msg; /* substring of the open message, when it fails */
  const char *steps;    /* "ROW id[ @source suffix]|FORMAT message part|DONE" */
} seq_case;

static const seq_case seq_cases[] = {
    {"jsonl-errors",
     {{"p.jsonl",
       "{\"id\":\"a\",\"title\":\"A\"}\n"
       "{\"id\":\"b\",\"title\": }\n"
       "\n"
       "{\"title\":\"tanpa id\"}\n"
       "{\"id\":\"c\",\"title\":5}\n"
       "[1,2]\n"
       "{\"id\":\"d\",\"body\":\"ok\",\"tags\":[1]}\n"
       "{\"id\":\"e\"}\n"
       "{\"id\":\"\",\"title\":\"x\"}\n"
       "{\"id\":\"f\",\"title\":\"buruk \xFF\"}\n"
       "{\"id\":1.5,\"title\":\"x\"}\n"
       "{\"id\":\"g\",\"body\":\"B\"} {}\n"
       "\"teks\"\n"
       "{\"id\":\"h\",\"body\":\"B\",\"tags\":7}\n"
       "{\"id\":\"i\",\"body\":\"akhir\"}\n"}},
     "p.jsonl", CARI_OK, NULL,
     "ROW a @p.jsonl:1"
     "|FORMAT p.jsonl:2: invalid JSON at column 20: unexpected token"
     "|FORMAT p.jsonl:4: missing field \"id\""
     "|FORMAT p.jsonl:5: field \"title\" must be a string"
     "|FORMAT p.jsonl:6: not a JSON object but an array"
     "|FORMAT p.jsonl:7: field \"tags\" must be an array of strings"
     "|FORMAT p.jsonl:8: record has neither \"title\" nor \"body\""
     "|FORMAT p.jsonl:9: field \"id\" is empty"
     "|FORMAT p.jsonl:10: not valid UTF-8"
     "|FORMAT p.jsonl:11: field \"id\" must be a string or an integer"
     "|FORMAT p.jsonl:12: invalid JSON at column"
     "|FORMAT p.jsonl:13: not a JSON object but a string"
     "|FORMAT p.jsonl:14: field \"tags\" must be"
     "|ROW i @p.jsonl:15|DONE"},
    {"jsonl-bom-crlf-no-newline",
     {{"q.ndjson", "\xEF\xBB\xBF{\"id\":\"x\",\"title\":\"t\"}\r\n\r\n"
                   "{\"id\":\"y\",\"body\":\"b\"}"}},
     "q.ndjson", CARI_OK, NULL, "ROW x @q.ndjson:1|ROW y @q.ndjson:3|DONE"},
    {"jsonl-long-line",
     {{"long.jsonl", NULL}}, /* filled in by main(): a 300 kB body */
     "long.jsonl", CARI_OK, NULL, "ROW long @long.jsonl:1|DONE"},
    {"walk",
     {{"z.txt", "Z\n"},
      {"a.txt", "A"},
      {"a/x.md", "# X"},
      {"B.md", "# Bee"},
      {"travel/bali.md", "---\ntitle: Bali\n---\nPantai"},
      {"travel/lombok.HTML", "<title>Lombok</title><p>p</p>"},
      {"travel/draft.md", "---\ndraft: yes\n---\nx"},
      {"travel/bad.txt", "buruk\xFF"},
      {"travel/deep/er/most.txt", "Paling dalam"},
      {".hidden/secret.md", "# Rahasia"},
      {".dot.md", "# Titik"},
      {"notes.docx", "bukan artikel"},
      {"README", "bukan artikel"},
      {"posts.jsonl", "{\"id\":\"j1\",\"title\":\"J1\"}\n"
                      "{\"id\":\"j2\",\"title\":\"J2\"}\n"}},
     "", CARI_OK, NULL,
     "ROW B @walk/B.md|ROW a @walk/a.txt|ROW a/x @walk/a/x.md"
     "|ROW j1 @walk/posts.jsonl:1|ROW j2 @walk/posts.jsonl:2"
     "|FORMAT walk/travel/bad.txt: not valid UTF-8 (byte offset 5)"
     "|ROW travel/bali|ROW travel/deep/er/most @travel/deep/er/most.txt"
     "|ROW travel/lombok @travel/lombok.HTML|ROW z|DONE"},
    {"walk-empty-dir", {{"sub/notes.doc", "x"}}, "", CARI_OK, NULL, "DONE"},
    {"walk-trailing-slash", {{"s/a.txt", "A"}}, "s/", CARI_OK, NULL,
     "ROW a @s/a.txt|DONE"},
    {"unknown-named", {{"notes.docx", "x"}}, "notes.docx", CARI_INVALID,
     "notes.docx: unknown file type", ""},
    {"no-extension-named", {{"README", "x"}}, "README", CARI_INVALID,
     "README: unknown file type", ""},
    {"missing", {{"a.txt", "A"}}, "nothing.md", CARI_IO,
     "nothing.md: No such file or directory", ""},
};

/* Run the steps of c on an open reader. */
static void run_steps(const char *id, cari_reader *r, const char *steps) {
  char buf[2048], tags[64];
  char *step, *save = NULL;
  cari_article a;
  snprintf(buf, sizeof buf, "%s", steps);
  for (step = strtok_r(buf, "|", &save); step;
       step = strtok_r(NULL, "|", &save)) {
    int rc = cari_reader_next(r, &a);
    if (!strncmp(step, "ROW ", 4)) {
      char *want = step + 4, *at = strstr(want, " @");
      if (at) *at = '\0';
      CHECK(id, rc == CARI_ROW, "step \"%s\": rc %d (%s)", want, rc,
            cari_reader_errmsg(r));
      if (rc != CARI_ROW) continue;
      CHECK_STR(id, a.id, want);
      CHECK(id, a.title && a.body && (a.title[0] || a.body[0]),
            "%s: empty article", want);
      (void)join_tags(&a, tags, sizeof tags);
      if (at) {
        size_t n = strlen(a.source), m = strlen(at + 2);
        CHECK(id, n >= m && !strcmp(a.source + n - m, at + 2),
              "source \"%s\", want it to end in \"%s\"", a.source, at + 2);
      }
    } else if (!strncmp(step, "FORMAT ", 7)) {
      CHECK(id, rc == CARI_FORMAT && has(cari_reader_errmsg(r), step + 7),
            "rc %d, message \"%s\", want CARI_FORMAT and \"%s\"", rc,
            cari_reader_errmsg(r), step + 7);
    } else {
      CHECK(id, rc == CARI_DONE, "rc %d (%s), want CARI_DONE", rc,
            cari_reader_errmsg(r));
    }
  }
  /* Done stays done. */
  CHECK_INT(id, cari_reader_next(r, &a), CARI_DONE);
}

static void run_seq_case(const seq_case *c) {
  char path[512], sentinel[8];
  cari_reader *r = (cari_reader *)&sentinel; /* must be set by the open */
  long long done = -1, total = -1, sum = 0;
  size_t i;
  int rc;
  for (i = 0; i < sizeof c->files / sizeof c->files[0] && c->files[i].name;
       i++)
    if (c->files[i].text &&
        put_file(c->id, c->files[i].name, c->files[i].text, 0) != 0)
      T_FAIL(c->id, "cannot write %s", c->files[i].name);
  tpath(path, sizeof path, c->id, c->open);
  rc = cari_reader_open(path, &r);
  CHECK_INT(c->id, rc, c->open_rc);
  if (rc != CARI_OK) {
    /* A failed open gives a reader that holds only its message. */
    cari_article a;
    CHECK(c->id, r != NULL && r != (cari_reader *)&sentinel,
          "no reader after a failed open");
    CHECK(c->id, has(cari_reader_errmsg(r), c->open_msg),
          "message \"%s\" lacks \"%s\"", cari_reader_errmsg(r), c->open_msg);
    CHECK_INT(c->id, cari_reader_next(r, &a), rc);
    CHECK(c->id, has(cari_reader_errmsg(r), c->open_msg),
          "message after next \"%s\"", cari_reader_errmsg(r));
    cari_reader_close(r);
    return;
  }
  CHECK_STR(c->id, cari_reader_errmsg(r), "");
  cari_reader_progress(r, &done, &total);
  CHECK(c->id, done == 0, "progress %lld at the start", done);
  run_steps(c->id, r, c->steps);
  /* Every file read counts: all of them except hidden and unknown ones. */
  for (i = 0; i < sizeof c->files / sizeof c->files[0] && c->files[i].name;
       i++) {
    const char *n = c->files[i].name, *base = strrchr(n, '/');
    struct stat st;
    base = base ? base + 1 : n;
    if (n[0] == '.' || !strchr(base, '.') || strstr(base, ".doc")) continue;
    snprintf(path, sizeof path, "%s/%s/%s", tmp, c->id, n);
    if (stat(path, &st) == 0) sum += (long long)st.st_size;
  }
  cari_reader_progress(r, &done, &total);
  CHECK(c->id, done == total && total == sum,
        "progress %lld of %lld, want %lld of %lld", done, total, sum, sum);
  cari_reader_close(r);
}

/**************************************************************************
** Limits: large and hostile files, generated here
*/

typedef struct limit_case {
  const char *id, *file;
  const char *prefix, *unit1, *unit2, *suffix; /* unit1 * n, unit2 * n */
  long n;
  int rc;
  const char *want; /* CARI_ROW: the title; else a message substring */
  const char *has;  /* CARI_ROW: a substring of the body, or NULL */
} limit_case;

#define MAXB CARI_READER_MAX_BYTES

static const limit_case limit_cases[] = {
    /* Files larger than the limit are refused unread; at it, read. */
    {"txt-at-limit", "a.txt", "Judul\n", "a", "", "", MAXB - 6, CARI_ROW,
     "Judul", "aaa"},
    {"txt-over-limit", "big.txt", "Judul\n", "a", "", "", MAXB - 5,
     CARI_FORMAT, "big.txt: 4194305 bytes, more than the limit of 4194304 "
     "bytes for one file", NULL},
    {"md-over-limit", "big.md", "# T\n", "a", "", "", MAXB - 3, CARI_FORMAT,
     "big.md: 4194305 bytes, more than the limit", NULL},
    {"html-over-limit", "big.html", "<p>", "a", "", "", MAXB - 2, CARI_FORMAT,
     "big.html: 4194305 bytes, more than the limit", NULL},
    /* A JSONL line: at the limit read, over it skipped unkept. */
    {"jsonl-at-limit", "a.jsonl", "{\"id\":\"a\",\"title\":\"T\",\"body\":\"",
     "a", "", "\"}\n", MAXB - 33, CARI_ROW, "T", "aaa"},
    {"jsonl-over-limit", "big.jsonl",
     "{\"id\":\"a\",\"title\":\"T\",\"body\":\"", "a", "", "\"}\n",
     MAXB - 32, CARI_FORMAT, "big.jsonl:1: a line of 4194305 bytes, more than "
     "the limit of 4194304 bytes for one record", NULL},
    /* Front matter is bounded before libyaml reads it. */
    {"yaml-brackets", "y.md", "---\ntitle: ", "[", "", "\n---\nisi\n", 60000,
     CARI_FORMAT, "y.md:2: front matter holds more than the limit of 256 "
     "'[' and '{'", NULL},
    {"yaml-braces-late", "y.md", "---\ntitle: t\ntags:\n", "  - {a: 1}\n", "",
     "---\nisi\n", 300, CARI_FORMAT, "y.md:260: front matter holds more than",
     NULL},
    {"yaml-brackets-at-limit", "y.md", "---\ntitle: t\nx: ", "[", "]",
     "\n---\nisi\n", 256, CARI_ROW, "t", "isi"},
    {"yaml-bytes", "y.md", "---\ntitle: ", "a", "", "\n---\nisi\n", 65536,
     CARI_FORMAT, "y.md:2: front matter is 65544 bytes, more than the limit "
     "of 65536", NULL},
    /* HTML that gumbo alone takes minutes and gigabytes over: indexed,
    ** flattened past the depth limit, text kept. */
    {"html-unclosed-b-i", "h.html", "<title>T</title>", "<b><i>", "", "akhir",
     100000, CARI_ROW, "T", "akhir"},
    {"html-nested-div", "h.html", "<title>T</title>", "<div>x", "", "", 200000,
     CARI_ROW, "T", "xxxx"},
    {"html-distinct-a", "h.html", "<title>T</title>", "<p><a href=1>x",
     "<b class=2>y", "", 60000, CARI_ROW, "T", "x"},
    {"html-nested-tables", "h.html", "<title>T</title>", "<table><tr><td>x",
     "", "", 60000, CARI_ROW, "T", "x"},
    {"html-svg-links", "h.html", "<title>T</title><p>teks<svg>", "<link>",
     "</svg>", "", 100000, CARI_ROW, "T", "teks"},
    {"html-templates", "h.html", "<title>T</title><p>teks", "<template>", "",
     "", 100000, CARI_ROW, "T", "teks"},
    {"html-span-div", "h.html", "<title>T</title>", "<span><div>x</span>", "",
     "", 60000, CARI_ROW, "T", "x"},
    {"html-unclosed-comment", "h.html", "<title>T</title><p>awal<!--",
     "<b>", "", "", 100000, CARI_ROW, "T", "awal"},
};

/* Write the file of case c. Returns 0 or -1. */
static int put_limit_file(const limit_case *c) {
  size_t l1 = strlen(c->unit1), l2 = strlen(c->unit2), at;
  size_t np = strlen(c->prefix), ns = strlen(c->suffix);
  size_t n = np + (size_t)c->n * (l1 + l2) + ns;
  char *text = malloc(n + 1);
  long i;
  int rc;
  if (!text) return -1;
  memcpy(text, c->prefix, np);
  at = np;
  for (i = 0; i < c->n; i++, at += l1) memcpy(text + at, c->unit1, l1);
  for (i = 0; i < c->n; i++, at += l2) memcpy(text + at, c->unit2, l2);
  memcpy(text + at, c->suffix, ns);
  rc = put_file(c->id, c->file, text, n);
  free(text);
  return rc;
}

static void run_limit_case(const limit_case *c) {
  char path[512];
  cari_reader *r = NULL;
  cari_article a;
  long long done = -1, total = -1;
  int rc;
  if (put_limit_file(c) != 0) {
    T_FAIL(c->id, "cannot write %s", c->file);
    return;
  }
  tpath(path, sizeof path, c->id, "");
  CHECK_INT(c->id, cari_reader_open(path, &r), CARI_OK);
  if (!r) return;
  rc = cari_reader_next(r, &a);
  CHECK(c->id, rc == c->rc, "rc %d, want %d (%s)", rc, c->rc,
        cari_reader_errmsg(r));
  if (rc == CARI_ROW && c->rc == CARI_ROW) {
    CHECK_STR(c->id, a.title, c->want);
    if (c->has)
      CHECK(c->id, has(a.body, c->has), "body lacks \"%s\"", c->has);
  } else if (rc == c->rc) {
    CHECK(c->id, has(cari_reader_errmsg(r), c->want),
          "message \"%s\" lacks \"%s\"", cari_reader_errmsg(r), c->want);
  }
  CHECK_INT(c->id, cari_reader_next(r, &a), CARI_DONE);
  cari_reader_progress(r, &done, &total);
  CHECK(c->id, done == total && total > 0, "progress %lld of %lld", done,
        total);
  cari_reader_close(r);
  rm_rf(path);
}

/* The limit cases run in a child held to 2 GiB of address space and 120 s
** of CPU (far above what they need): a reader that loses its bounds fails
** here instead of taking the machine's memory or hours. The child sends
** its counts back through a pipe. */
static void test_limits(void) {
  int fds[2], status = 0, counts[2] = {0, 0};
  pid_t pid;
  size_t i;
  if (pipe(fds) != 0 || (pid = fork()) < 0) {
    T_FAIL("limits", "cannot start the child: %s", strerror(errno));
    return;
  }
  if (pid == 0) {
    struct rlimit cpu = {120, 120};
#if !defined(__SANITIZE_ADDRESS__) /* ASan reserves terabytes up front */
    struct rlimit as = {2UL << 30, 2UL << 30};
    if (setrlimit(RLIMIT_AS, &as) != 0) _exit(2);
#endif
    if (setrlimit(RLIMIT_CPU, &cpu) != 0) _exit(2);
    close(fds[0]);
    test_passed = test_failed = 0;
    for (i = 0; i < sizeof limit_cases / sizeof limit_cases[0]; i++)
      run_limit_case(&limit_cases[i]);
    counts[0] = test_passed;
    counts[1] = test_failed;
    _exit(write(fds[1], counts, sizeof counts) == (ssize_t)sizeof counts
              ? 0 : 3);
  }
  close(fds[1]);
  if (read(fds[0], counts, sizeof counts) != (ssize_t)sizeof counts)
    counts[0] = counts[1] = 0;
  close(fds[0]);
  waitpid(pid, &status, 0);
  CHECK("limits", WIFEXITED(status) && WEXITSTATUS(status) == 0,
        "the child died (status %d): a limit case ran out of memory or time",
        status);
  test_passed += counts[0];
  test_failed += counts[1];
}

/**************************************************************************
** Symbolic links in a walked directory
*/

static int links_setup(void) {
  char path[512], target[512];
  static const char *const links[][2] = {
      {"in.md", "a.md"},              /* inside: passed over silently */
      {"out.md", "../outside/secret.md"},
      {"outdir", "../outside"},
      {"loop.md", "loop.md"},
      {"dangling.txt", "nothing.txt"},
      {"self", "."},                  /* a directory loop, inside */
      {"sub/up.md", "../a.md"},       /* inside, one level up */
  };
  size_t i;
  if (put_file("links", "outside/secret.md", "# Rahasia luar\n", 0) ||
      put_file("links", "tree/a.md", "# A\n", 0) ||
      put_file("links", "tree/sub/b.txt", "B\n", 0))
    return -1;
  for (i = 0; i < sizeof links / sizeof links[0]; i++) {
    snprintf(target, sizeof target, "%s", links[i][1]);
    tpath(path, sizeof path, "links/tree", links[i][0]);
    if (symlink(target, path) != 0) return -1;
  }
  return 0;
}

static void test_links(void) {
  char path[512], target[512];
  cari_reader *r = NULL;
  cari_article a;
  long long done = -1, total = -1;
  if (links_setup() != 0) {
    T_FAIL("links", "cannot set up: %s", strerror(errno));
    return;
  }
  tpath(path, sizeof path, "links", "tree");
  CHECK_INT("links", cari_reader_open(path, &r), CARI_OK);
  if (r) {
    run_steps("links", r,
              "ROW a"
              "|FORMAT tree/dangling.txt: symbolic link, not followed: No such"
              "|FORMAT tree/loop.md: symbolic link, not followed: Too many"
              "|FORMAT tree/out.md: symbolic link to outside the directory, "
              "not followed"
              "|FORMAT tree/outdir: symbolic link to outside the directory"
              "|ROW sub/b|DONE");
    cari_reader_progress(r, &done, &total);
    CHECK("links", done == total && total == 4 + 2, "progress %lld of %lld",
          done, total);
    cari_reader_close(r);
  }
  /* A link named by the caller is followed. */
  r = NULL;
  tpath(path, sizeof path, "links", "tree/out.md");
  CHECK_INT("links-named", cari_reader_open(path, &r), CARI_OK);
  if (r) {
    CHECK_INT("links-named", cari_reader_next(r, &a), CARI_ROW);
    CHECK_STR("links-named", a.title, "Rahasia luar");
    cari_reader_close(r);
  }
  /* A file the walk saw, replaced by a link (or a FIFO) before it is read,
  ** is not followed (nor waited on). */
  r = NULL;
  if (put_file("swap", "x.md", "# X\n", 0) ||
      put_file("swap", "y.md", "# Y\n", 0) ||
      put_file("swap", "z.jsonl", "{\"id\":\"z\",\"title\":\"Z\"}\n", 0)) {
    T_FAIL("links-swap", "cannot write: %s", strerror(errno));
    return;
  }
  tpath(path, sizeof path, "swap", "");
  CHECK_INT("links-swap", cari_reader_open(path, &r), CARI_OK);
  if (!r) return;
  tpath(path, sizeof path, "swap", "x.md");
  tpath(target, sizeof target, "links", "outside/secret.md");
  CHECK("links-swap", unlink(path) == 0 && symlink(target, path) == 0,
        "cannot swap x.md: %s", strerror(errno));
  tpath(path, sizeof path, "swap", "y.md");
  CHECK("links-swap", unlink(path) == 0 && mkfifo(path, 0600) == 0,
        "cannot swap y.md: %s", strerror(errno));
  tpath(path, sizeof path, "swap", "z.jsonl");
  CHECK("links-swap", unlink(path) == 0 && symlink(target, path) == 0,
        "cannot swap z.jsonl: %s", strerror(errno));
  run_steps("links-swap", r,
            "FORMAT swap/x.md: symbolic link, not followed"
            "|FORMAT swap/y.md: not a regular file"
            "|FORMAT swap/z.jsonl: symbolic link, not followed|DONE");
  cari_reader_close(r);
}

/**************************************************************************
** The rest: stdin, bad arguments, unreadable files
*/

static void test_stdin(void) {
  const char *text = "{\"id\":\"s1\",\"title\":\"Dari stdin\"}\nbukan json\n"
                     "{\"id\":\"s2\",\"body\":\"dua\"}\n";
  char path[512];
  cari_reader *r = NULL;
  long long done = -1, total = -1;
  if (put_file("stdin", "in.jsonl", text, 0) != 0) {
    T_FAIL("stdin", "cannot write the input");
    return;
  }
  tpath(path, sizeof path, "stdin", "in.jsonl");
  if (!freopen(path, "rb", stdin)) {
    T_FAIL("stdin", "freopen: %s", strerror(errno));
    return;
  }
  CHECK_INT("stdin", cari_reader_open("-", &r), CARI_OK);
  if (!r) return;
  run_steps("stdin", r,
            "ROW s1 @<stdin>:1|FORMAT <stdin>:2: invalid JSON at column 5"
            "|ROW s2 @<stdin>:3|DONE");
  cari_reader_progress(r, &done, &total);
  CHECK("stdin", done == (long long)strlen(text) && total == 0,
        "progress %lld of %lld", done, total);
  cari_reader_close(r);
}

static void test_arguments(void) {
  char err[8];
  cari_reader *r = (cari_reader *)err;
  cari_article a;
  long long done = 1, total = 1;
  CHECK_INT("args", cari_reader_open(NULL, &r), CARI_INVALID);
  CHECK("args", r != (cari_reader *)err && r != NULL, "out not set");
  CHECK("args", has(cari_reader_errmsg(r), "no path given"), "message \"%s\"",
        cari_reader_errmsg(r));
  cari_reader_close(r);
  CHECK_INT("args", cari_reader_open("", &r), CARI_INVALID);
  cari_reader_close(r);
  CHECK_INT("args", cari_reader_open("x.md", NULL), CARI_INVALID);
  CHECK_INT("args", cari_reader_next(NULL, &a), CARI_INVALID);
  CHECK_STR("args", cari_reader_errmsg(NULL), "no reader");
  cari_reader_progress(NULL, &done, &total);
  CHECK("args", done == 0 && total == 0, "progress of NULL");
  cari_reader_close(NULL);
  CHECK_INT("args", cari_reader_open(tmp, &r), CARI_OK);
  if (r) {
    CHECK_INT("args", cari_reader_next(r, NULL), CARI_INVALID);
    cari_reader_close(r);
  }
}

/* A file or directory that cannot be read mid-walk is reported and passed
** over; a file named that cannot be read fails the open. */
static int unreadable_setup(void) {
  static const char *const names[] = {"a.md", "b.jsonl", "c"};
  char path[512];
  size_t i;
  if (put_file("unreadable", "a.md", "# A", 0) ||
      put_file("unreadable", "b.jsonl", "{\"id\":\"b\",\"title\":\"B\"}\n",
               0) ||
      put_file("unreadable", "c/d.txt", "D", 0) ||
      put_file("unreadable", "e.txt", "E", 0))
    return -1;
  for (i = 0; i < 3; i++) {
    tpath(path, sizeof path, "unreadable", names[i]);
    if (chmod(path, 0) != 0) return -1;
  }
  return 0;
}

static void unreadable_checks(void) {
  char path[512];
  cari_reader *r = NULL;
  long long done = -1, total = -1;
  tpath(path, sizeof path, "unreadable", "");
  CHECK_INT("unreadable", cari_reader_open(path, &r), CARI_OK);
  if (r) {
    run_steps("unreadable", r,
              "FORMAT a.md: cannot open: Permission denied"
              "|FORMAT b.jsonl: cannot open: Permission denied"
              "|FORMAT c: cannot read directory: Permission denied"
              "|ROW e|DONE");
    cari_reader_progress(r, &done, &total);
    CHECK("unreadable", done == total && total > 0, "progress %lld of %lld",
          done, total);
    cari_reader_close(r);
  }
  r = NULL;
  tpath(path, sizeof path, "unreadable", "a.md");
  CHECK_INT("unreadable-named", cari_reader_open(path, &r), CARI_IO);
  CHECK("unreadable-named", r && has(cari_reader_errmsg(r), "a.md"),
        "message \"%s\"", r ? cari_reader_errmsg(r) : "(no reader)");
  cari_reader_close(r);
}

/* Permissions do not stop root: then the checks run in a child that has
** become nobody, and count here as one check. */
static void test_unreadable(void) {
  char path[512];
  pid_t pid;
  int status = 0;
  if (unreadable_setup() != 0) {
    T_FAIL("unreadable", "cannot set up: %s", strerror(errno));
    return;
  }
  if (geteuid() != 0) {
    unreadable_checks();
  } else if (chmod(tmp, 0711) != 0 || (pid = fork()) < 0) {
    T_FAIL("unreadable", "cannot start the child: %s", strerror(errno));
  } else if (pid == 0) {
    if (setgid(65534) != 0 || setuid(65534) != 0) _exit(77);
    test_failed = 0; /* count only the child's own checks */
    unreadable_checks();
    _exit(test_failed ? 1 : 0);
  } else {
    waitpid(pid, &status, 0);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 77)
      printf("skipped: unreadable files (cannot become nobody)\n");
    else
      CHECK("unreadable", WIFEXITED(status) && WEXITSTATUS(status) == 0,
            "the child (as nobody) failed, status %d", status);
  }
  chmod(tmp, 0700);
  tpath(path, sizeof path, "unreadable", "c");
  chmod(path, 0700); /* so that rm_rf can enter it */
}

/* corpus_utf8_repair: each byte outside valid UTF-8 becomes U+FFFD, NUL
** bytes (tag separators) stay. */
static void test_utf8_repair(void) {
  static const struct {
    const char *id, *in;
    size_t nin;
    const char *want;
    size_t nwant;
  } rows[] = {
      {"repair-valid", "a\xC3\xA9", 3, "a\xC3\xA9", 3},
      {"repair-empty", "", 0, "", 0},
      {"repair-lone", "a\xDE" "b", 3, "a\xEF\xBF\xBD" "b", 5},
      {"repair-nul-kept", "a\0\xFF\0b", 5, "a\0\xEF\xBF\xBD\0b", 7},
      {"repair-truncated", "x\xF0\x9F", 3, "x\xEF\xBF\xBD\xEF\xBF\xBD", 7},
      {"repair-surrogate-end", "\xED\xA0\x80z", 4,
       "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDz", 10},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    cari_buf b = {0};
    int rc = CARI_OK;
    cari_buf_set(&rc, &b, rows[i].in, rows[i].nin);
    CHECK_INT(rows[i].id, rc, CARI_OK);
    rc = corpus_utf8_repair(&b);
    CHECK_INT(rows[i].id, rc, CARI_OK);
    CHECK(rows[i].id, b.n == rows[i].nwant &&
          (b.n == 0 || memcmp(b.p, rows[i].want, b.n) == 0),
          "got %zu bytes \"%.*s\", want %zu", b.n, (int)b.n,
          cari_buf_str(&b), rows[i].nwant);
    cari_buf_free(&b);
  }
}

int main(void) {
  size_t i, n = 300000;
  char *big;
  seq_case long_case;
  snprintf(tmp, sizeof tmp, "/tmp/cari-readers-XXXXXX");
  if (!mkdtemp(tmp)) {
    T_FAIL("setup", "mkdtemp: %s", strerror(errno));
    return test_report("readers");
  }
  for (i = 0; i < sizeof art_cases / sizeof art_cases[0]; i++)
    run_art_case(&art_cases[i]);
  for (i = 0; i < sizeof seq_cases / sizeof seq_cases[0]; i++) {
    const seq_case *c = &seq_cases[i];
    if (!strcmp(c->id, "jsonl-long-line")) {
      /* One record longer than any fixed line buffer would be. */
      big = malloc(n + 64);
      if (!big) continue;
      memcpy(big, "{\"id\":\"long\",\"body\":\"", 21);
      memset(big + 21, 'k', n);
      memcpy(big + 21 + n, "\"}\n", 4);
      long_case = *c;
      long_case.files[0].text = big;
      run_seq_case(&long_case);
      free(big);
      continue;
    }
    run_seq_case(c);
  }
  test_limits();
  test_links();
  test_utf8_repair();
  test_arguments();
  test_unreadable();
  test_stdin();
  rm_rf(tmp);
  return test_report("readers");
}
