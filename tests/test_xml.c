/*
** test_xml.c — the feed and export reader (corpus/xml.c) and the
** boilerplate rules (corpus/boiler.c) on the files of tests/data/xml and
** tests/data/boiler, written for these tests: one table row per file with
** every article it must give, field by field, what it must pass over and
** why, and the error it must end with; one table of single lines and what
** the rules make of them. It does not index anything (tests/sh/xml.sh
** does, through the command).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cari.h"
#include "corpus.h"
#include "test.h"

#define DIR_XML "tests/data/xml/"
#define DIR_BOILER "tests/data/boiler/"

/* One article expected; NULL fields are expected absent ("" for tags:
** none). `has` must occur in the body, `lacks` must not (NULL: no check). */
typedef struct want {
  const char *id, *title, *author, *date, *url, *tags, *has, *lacks;
} want;

typedef struct file_case {
  const char *id, *path, *format;
  want arts[6];
  /* "format/reason=n,..." in the reader's order, "" for none */
  const char *passed;
  /* substrings of the messages of the CARI_FORMAT steps, in order,
  ** separated by '|' ("" none) */
  const char *errors;
} file_case;


/* Open a reader (cari_reader_open_as), its message copied into err; a
** failed open's reader, which holds only the message, is freed and *r is
** NULL. */
static int open_r(const char *path, const char *format, cari_reader **r,
                  char *err, size_t errcap) {
  int rc = cari_reader_open_as(path, format, r);
  snprintf(err, errcap, "%s", *r ? cari_reader_errmsg(*r) : "out of memory");
  if (rc != CARI_OK) {
    cari_reader_close(*r);
    *r = NULL;
  }
  return rc;
}

static const file_case cases[] = {
    {"wxr-1.2", DIR_XML "wxr-1.2.xml", "wxr",
     {{"https://catatanwarga.example/?p=101", "Resep Soto Betawi Santan",
       "sari", "2026-11-01T02:30:00Z",
       "https://catatanwarga.example/2026/11/soto-betawi/", "Kuliner|soto",
       "Semangkuk soto betawi hangat", "caption"},
      {"https://catatanwarga.example/?page_id=2", "Tentang Kami", "sari",
       "2026-01-05T03:00:00Z", "https://catatanwarga.example/tentang/", "",
       "ditulis warga RT 04", NULL},
      {"https://catatanwarga.example/?p=107", "Jadwal Posyandu Desember",
       "budi", "2026-12-02T01:15:00Z",
       "https://catatanwarga.example/2026/12/posyandu/", "kesehatan",
       "Timbang bayi setiap Sabtu pagi.", "wp:"}},
     "wxr/draft=1,wxr/private=1,wxr/attachment=1,wxr/revision=1,"
     "wxr/nav_menu_item=1,wxr/password-protected=1",
     ""},
    /* the comment's text, a shortcode, "Baca juga" and [gallery] are gone;
    ** a bracketed "[1]" without a closer stays */
    {"wxr-1.2-body", DIR_XML "wxr-1.2.xml", "wxr",
     {{"https://catatanwarga.example/?p=101", NULL, NULL, NULL, NULL, NULL,
       "empuk [1].", "Komentar rahasia"},
      {"https://catatanwarga.example/?page_id=2", NULL, NULL, NULL, NULL,
       NULL, NULL, "Baca juga"},
      {"https://catatanwarga.example/?p=107", NULL, NULL, NULL, NULL, NULL,
       "Posyandu balita", "gallery"}},
     NULL, ""},
    {"wxr-1.1", DIR_XML "wxr-1.1.xml", "wxr",
     {{"https://tani.example/?p=11", "Menanam Padi Organik", "Pak Darto",
       "2011-06-01T01:00:00Z", "https://tani.example/padi-organik",
       "Pertanian", "Pupuk kandang membuat sawah subur.", NULL}},
     "wxr/pending=1", ""},
    {"wxr-1.0", DIR_XML "wxr-1.0.xml", "wxr",
     {{"http://jurnal.example/?p=5", "Mudik Lebaran 2009", "admin",
       "2009-09-19T06:00:00Z", "http://jurnal.example/2009/09/mudik/",
       "Perjalanan|mudik", "sejak subuh.\n\nStasiun penuh", NULL}},
     "wxr/draft=1", ""},
    {"blogger", DIR_XML "blogger.xml", "blogger",
     {{"tag:blogger.com,1999:blog-1234567890.post-111", "Kue Nastar Lembut",
       "Ibu Ratna", "2026-11-20T12:30:00Z",
       "https://dapuribu.example/2026/11/kue-nastar.html", "kue|resep lebaran",
       "Nastar berisi selai nanas buatan sendiri.", "<b>"},
      {"tag:blogger.com,1999:blog-1234567890.post-555", "Opor Ayam Kuning",
       "Ibu Ratna", "2026-11-28T06:45:00Z",
       "https://dapuribu.example/2026/11/opor.html", "",
       "Opor ayam dengan kunyit.", NULL}},
     "blogger/settings=1,blogger/template=1,blogger/comment=1,"
     "blogger/draft=1,blogger/page=1",
     ""},
    {"atom", DIR_XML "atom.xml", "atom",
     {{"urn:seni:1", "Wayang Kulit & Gamelan", "Dewi Lestari",
       "2026-11-30T13:00:00Z", "https://seni.example/wayang", "wayang|budaya",
       "Dalang memainkan lakon semalam suntuk.", "jahat"},
      {"urn:seni:2", "Tari Saman Aceh", NULL, "2026-11-29T10:00:00Z",
       "https://seni.example/saman", "",
       "Penari duduk berbaris & bertepuk. penari & rebana\n\nGerak\ncepat "
       "<sekali>.", NULL},
      {"urn:seni:3", "Keroncong <Tugu>", NULL, "2026-11-28T10:00:00Z", NULL,
       "", "Musik keroncong <b>bukan tag</b> dari Kampung Tugu.", NULL},
      {"urn:seni:4", "Angklung", NULL, "2026-11-27T10:00:00Z", NULL, "",
       "Isi berkode base64 tentang angklung.", "<p>"},
      {"urn:seni:5", "Berkas Rekaman", NULL, "2026-11-26T10:00:00Z", NULL, "",
       "Rekaman gamelan Bali.", NULL}},
     "", ""},
    {"rss2", DIR_XML "rss2.xml", "rss2",
     {{"https://wartadesa.example/panen",
       "Panen Raya \xE2\x80\x93 Desa Sukamaju & Sekitarnya", "Tim Warta Desa",
       "2026-11-30T09:00:00Z", "https://wartadesa.example/panen",
       "pertanian|berita", "Kode a[i]]>b tetap utuh.", "CDATA"},
      {"https://wartadesa.example/cabai", "Harga Cabai Naik", NULL,
       "2026-11-29T07:00:00Z", "https://wartadesa.example/cabai", "",
       "Rp80.000 per kilo & bawang", "&amp;"},
      {"warta-3",
       "Jembatan gantung di dusun Krajan akhirnya selesai diperbaiki"
       "\xE2\x80\xA6",
       NULL, "2026-11-28T02:00:00Z", NULL, "", "oleh warga bersama-sama.",
       NULL},
      {"warta-4", "Lomba Agustusan", "Agus Salim", NULL, NULL, "",
       "Lomba balap karung dan panjat pinang.", "Baca juga"}},
     "", "rss2.xml:48: entry 5 (warta-5): no title and no text"},
    {"rss1", DIR_XML "rss1.xml", "rss1",
     {{"https://perpus.example/1", "Mobil Buku Datang", "Rina Marlina",
       "2026-10-10", "https://perpus.example/1", "literasi",
       "Anak-anak antre meminjam buku cerita.", NULL},
      {"https://perpus.example/2", "Donasi Buku", NULL, NULL,
       "https://perpus.example/2", "",
       "Terima kasih atas donasi buku pelajaran.", "<b>"}},
     "", ""},
    {"bom", DIR_XML "bom.xml", "rss2",
     {{"bom-1", "Kopi Gayo", NULL, NULL, NULL, "",
       "Kopi dari dataran tinggi Gayo.", NULL}},
     "", ""},
    {"latin1", DIR_XML "latin1.xml", "rss2",
     {{"latin-1", "Caf\xC3\xA9 Rindang", NULL, NULL, NULL, "",
       "Kopi s\xC3\xBCsu di caf\xC3\xA9 pojok.", NULL}},
     "", ""},
    /* an external entity is never read: its reference gives nothing */
    {"xxe", DIR_XML "xxe.xml", "rss2",
     {{"x-1", "Luar", NULL, NULL, NULL, "", "awal akhir", "root:"}},
     "", ""},
    /* the items before the broken one come out; the error names line and
    ** column; nothing after it (m-4) is read */
    {"malformed", DIR_XML "malformed.xml", "rss2",
     {{"m-1", "Pertama", NULL, NULL, NULL, "", "Isi pertama.", NULL},
      {"m-2", "Kedua", NULL, NULL, NULL, "", "bergotong royong", NULL}},
     "",
     "malformed.xml:10:81: Opening and ending tag mismatch: description "
     "line 10 and descripton (2 entries read before it)"},
    {"laughs", DIR_XML "laughs.xml", "xml", {{NULL}}, "",
     "laughs.xml:1:7: Detected an entity reference loop"},
    {"notfeed", DIR_XML "notfeed.xml", "xml", {{NULL}}, "",
     "notfeed.xml:2: not a feed or blog export: the root element is "
     "<catatan>"},
    /* the scraped page, as text and as HTML without semantic tags */
    {"scraped-txt", DIR_BOILER "komunitas.txt", "text",
     {{"komunitas", "Komunitas Sejati Bukan di Dunia Maya", "Ino Permana",
       NULL, NULL, "",
       "Komunitas berfungsi untuk keakraban dan solidaritas\n\nKalau "
       "dihitung-hitung",
       "Skip"}},
     "", ""},
    {"scraped-txt-tail", DIR_BOILER "komunitas.txt", "text",
     {{"komunitas", NULL, NULL, NULL, NULL, NULL, "bertemu muka.",
       "Baca juga"}},
     NULL, ""},
    {"scraped-txt-end", DIR_BOILER "komunitas.txt", "text",
     {{"komunitas", NULL, NULL, NULL, NULL, NULL, NULL, "Kampung"}},
     NULL, ""},
    {"scraped-html", DIR_BOILER "komunitas.html", "html",
     {{"komunitas", "Komunitas Sejati Bukan di Dunia Maya", "Ino Permana",
       "2026-12-02", NULL, "",
       "Komunitas berfungsi untuk keakraban dan solidaritas", "Skip"}},
     "", ""},
    {"scraped-html-nav", DIR_BOILER "komunitas.html", "html",
     {{"komunitas", NULL, NULL, NULL, NULL, NULL, "bertemu muka.",
       "Beranda"}},
     NULL, ""},
    {"scraped-news", DIR_BOILER "berita.txt", "text",
     {{"berita", "Jembatan Gantung Krajan Dibuka Kembali", "Siti Aminah",
       "2026-12-02", NULL, "",
       "Oleh karena itu, anak-anak tidak perlu lagi", "Like this"}},
     "", ""},
};

static const char *join_tags(const cari_article *a, char *out, size_t cap) {
  size_t i, at = 0;
  out[0] = '\0';
  for (i = 0; i < a->ntags && at < cap; i++)
    at += (size_t)snprintf(out + at, cap - at, "%s%s", i ? "|" : "",
                           a->tags[i]);
  return out;
}

static void check_article(const char *id, const want *w, const cari_article *a) {
  char tags[512];
  CHECK_STR(id, a->id, w->id);
  if (w->title) CHECK_STR(id, a->title, w->title);
  if (w->tags) {
    CHECK_STR(id, a->author, w->author);
    CHECK_STR(id, a->date, w->date);
    CHECK_STR(id, a->url, w->url);
    CHECK_STR(id, join_tags(a, tags, sizeof tags), w->tags);
  }
  if (w->has)
    CHECK(id, strstr(a->body, w->has) != NULL, "body lacks \"%s\": \"%s\"",
          w->has, a->body);
  if (w->lacks)
    CHECK(id, strstr(a->body, w->lacks) == NULL &&
                  strstr(a->title, w->lacks) == NULL,
          "\"%s\" is in \"%s\" / \"%s\"", w->lacks, a->title, a->body);
}

/* The reader's passed-over counts as "format/reason=n,...". */
static void passed_text(cari_reader *r, char *out, size_t cap) {
  const char *f, *why;
  long long n;
  size_t i, at = 0;
  out[0] = '\0';
  for (i = 0; cari_reader_passed(r, i, &f, &why, &n) == CARI_ROW && at < cap;
       i++)
    at += (size_t)snprintf(out + at, cap - at, "%s%s/%s=%lld", i ? "," : "",
                           f, why, n);
}

static void run_case(const file_case *c) {
  cari_reader *r;
  cari_article a;
  char err[512], passed[512], id[96];
  const char *errs = c->errors;
  size_t k = 0;
  int rc, fmt_ok = 1;
  rc = open_r(c->path, NULL, &r, err, sizeof err);
  CHECK(c->id, rc == CARI_OK, "open: %d %s", rc, err);
  if (rc != CARI_OK) return;
  while ((rc = cari_reader_next(r, &a)) != CARI_DONE) {
    snprintf(id, sizeof id, "%s#%zu", c->id, k);
    if (rc == CARI_FORMAT) {
      const char *bar = strchr(errs, '|');
      size_t n = bar ? (size_t)(bar - errs) : strlen(errs);
      char exp[400];
      snprintf(exp, sizeof exp, "%.*s", (int)n, errs);
      CHECK(id, n > 0 && strstr(cari_reader_errmsg(r), exp) != NULL,
            "error \"%s\", want \"%s\"", cari_reader_errmsg(r), exp);
      errs += n + (bar != NULL);
      continue;
    }
    CHECK(id, rc == CARI_ROW, "next: %d %s", rc, cari_reader_errmsg(r));
    if (rc != CARI_ROW) break;
    if (strcmp(cari_reader_format(r), c->format)) fmt_ok = 0;
    if (k < sizeof c->arts / sizeof c->arts[0] && c->arts[k].id)
      check_article(id, &c->arts[k], &a);
    else
      T_FAIL(id, "an article not expected: %s \"%s\"", a.id, a.title);
    k++;
  }
  snprintf(id, sizeof id, "%s:count", c->id);
  {
    size_t want_n = 0;
    while (want_n < sizeof c->arts / sizeof c->arts[0] && c->arts[want_n].id)
      want_n++;
    CHECK_INT(id, k, want_n);
  }
  CHECK(c->id, *errs == '\0', "errors never reported: %s", errs);
  CHECK(c->id, fmt_ok && !strcmp(cari_reader_format(r), c->format),
        "format %s, want %s", cari_reader_format(r), c->format);
  if (c->passed) {
    passed_text(r, passed, sizeof passed);
    snprintf(id, sizeof id, "%s:passed", c->id);
    CHECK_STR(id, passed, c->passed);
  }
  cari_reader_close(r);
}

/* Single lines: 0 text, 1 dropped, 2 byline, 3 date. */
static const struct {
  const char *line;
  int kind;
} lines[] = {
    {"Skip to content Skip to sidebar Skip to footer", 1},
    {"Langsung ke konten", 1},
    {"Beranda", 1},
    {"Beranda \xC2\xBB Berita \xC2\xBB Daerah", 1},
    {"Home / Opini", 1},
    {"Bagikan: Facebook Twitter WhatsApp", 1},
    {"0 Komentar", 1},
    {"Tinggalkan Balasan", 1},
    {"Baca juga: Lima Cara Merawat Pertemanan", 1},
    {"BACA JUGA : Lima Cara", 1},
    {"Posted in Opini, Komunitas", 1},
    {"\xC2\xA9 2026 Kabar Kampung", 1},
    {"Copyright 2026 Kabar Kampung. All rights reserved.", 1},
    {"Tags: komunitas, solidaritas", 1},
    {"- Oleh Ino Permana", 2},
    {"Oleh Ino Permana", 2},
    {"Penulis: Siti Aminah", 2},
    {"Ditulis oleh Budi Santoso | 2 Desember 2026", 2},
    {"Oleh Ino Permana, Senin, 2 Desember 2026", 2},
    {"2 Desember 2026", 3},
    {"Senin, 02/12/2026", 3},
    {"Senin, 2 Desember 2026 10:15 WIB", 3},
    {"Diposting pada 2 Desember 2026", 3},
    /* prose that starts like a rule */
    {"Oleh karena itu, warga berkumpul.", 0},
    {"Oleh sebab itu kami pulang", 0},
    {"Penulis muda berkumpul di taman baca.", 0},
    {"Beranda rumah itu luas dan sejuk.", 0},
    {"Baca buku setiap hari membuat pintar.", 0},
    {"Cari tahu sendiri jawabannya.", 0},
    {"Home industri keripik tumbuh pesat.", 0},
    {"Homestay di Sanur murah.", 0},
    {"Pada 2 Desember 2026 warga berkumpul.", 0},
    {"Komunitas Sejati Bukan di Dunia Maya", 0},
    {"Share your thoughts with us in the forum below, please.", 0},
};

static void test_lines(void) {
  size_t i;
  for (i = 0; i < sizeof lines / sizeof lines[0]; i++)
    CHECK(lines[i].line,
          corpus_boiler_line(lines[i].line, strlen(lines[i].line)) ==
              lines[i].kind,
          "got %d, want %d",
          corpus_boiler_line(lines[i].line, strlen(lines[i].line)),
          lines[i].kind);
}

/* --format: an .xml-less name read as XML, and a bad name refused. */
static void test_format(void) {
  cari_reader *r;
  cari_article a;
  char err[256];
  int rc = open_r(DIR_XML "rss1.xml", "xml", &r, err, sizeof err);
  CHECK("format-xml", rc == CARI_OK, "%d %s", rc, err);
  if (rc == CARI_OK) {
    CHECK_INT("format-xml-next", cari_reader_next(r, &a), CARI_ROW);
    cari_reader_close(r);
  }
  rc = open_r(DIR_BOILER "komunitas.txt", "yaml", &r, err, sizeof err);
  CHECK("format-bad", rc == CARI_INVALID && strstr(err, "unknown format"),
        "%d %s", rc, err);
  rc = open_r(DIR_XML, "xml", &r, err, sizeof err);
  CHECK("format-dir", rc == CARI_INVALID && strstr(err, "directory"),
        "%d %s", rc, err);
  /* a directory walk picks .xml files up by extension */
  rc = open_r(DIR_XML, NULL, &r, err, sizeof err);
  CHECK("dir", rc == CARI_OK, "%d %s", rc, err);
  if (rc == CARI_OK) {
    int rows = 0;
    while ((rc = cari_reader_next(r, &a)) != CARI_DONE)
      if (rc == CARI_ROW) rows++;
      else if (rc != CARI_FORMAT) break;
    CHECK_INT("dir-rows", rows, 23); /* 3+1+1+2+5+4+2+1+1+1+2 */
    {
      char passed[1024];
      passed_text(r, passed, sizeof passed);
      CHECK("dir-not-feed", strstr(passed, "xml/not a feed or export=1") !=
                                NULL, "%s", passed);
    }
    cari_reader_close(r);
  }
  CHECK_INT("passed-null", cari_reader_passed(NULL, 0, NULL, NULL, NULL),
            CARI_INVALID);
}

/* The fast path for simple fragments (htmlfast.c) against the gumbo walk
** (html.c): equal wherever the fast path answers. Fixed fragments, then
** random ones built from pieces inside and outside its subset. */
static const char *const frag_fixed[] = {
    "<p>Satu</p><p>Dua</p>",
    "<p>Satu<div>dua</div>tiga</p>",
    "<ul><li>a<li>b</ul>c",
    "<h2>Judul</h2>\n<p>Isi &amp; isi&nbsp;lagi &#233; &#x41;</p>",
    "<p>a<br>b<br/>c</p>",
    "teks <img src=\"x.jpg\" alt=\"foto kampung\"/> lagi",
    "<!-- wp:paragraph --><p>x</p><!-- /wp:paragraph -->",
    "<blockquote><p>kutipan</p></blockquote><figure><figcaption>cap"
    "</figcaption></figure>",
    "<p>x</li>",
    "<table><tr><td>a</td></tr></table>",
    "<p hidden>rahasia</p>",
    "a < b & c",
    "<span>a<p>b</span>c",
};

static const char *const pieces[] = {
    "kata", " ", "\n", "  dua  kata ", "&amp;", "&nbsp;", "&#233;", "&#x41;",
    "& ", "&bogus;", "&#1;", "<!-- c -->", "<!-->", "a<b", "<p>", "</p>",
    "<div>", "</div>", "<ul>", "</ul>", "<li>", "</li>", "<h2>", "</h2>",
    "<h3>", "</h3>", "<br>", "<br/>", "<hr>", "<b>", "</b>", "<a href=x>",
    "</a>", "<span class='c'>", "</span>", "<img alt=\"gambar\">",
    "<img alt='a &amp; b'>", "<p/>", "<table>", "</table>", "<pre>",
    "</pre>", "<blockquote>", "</blockquote>", "<em>", "</em>",
    "<strong>", "</strong>", "<div hidden>", "<ol>", "</ol>", "<figure>",
    "</figure>", "<figcaption>", "</figcaption>", "<P>", "</P>", "\t",
    "<code>", "</code>", "<LI>", "<br >", "<img alt=x src=y>", "&hellip;",
    "&rsquo;", "&ldquo;&rdquo;", "&ndash;&mdash;", "&laquo;&raquo;",
    "&copy;&middot;&bull;", "&deg;&times;&euro;", "&lsquo;", "&hellip",
    "&Hellip;",
};

static int frag_compare(const char *id, const char *html, corpus_doc *d,
                        cari_buf *fast) {
  int rc = corpus_html_fast(html, strlen(html), fast);
  if (rc == CORPUS_SKIP) return 0;
  CHECK(id, rc == CARI_OK, "fast: %d", rc);
  corpus_doc_reset(d);
  rc = corpus_html_text("frag", html, strlen(html), d, 0);
  CHECK(id, rc == CARI_OK && !strcmp(cari_buf_str(fast),
                                     cari_buf_str(&d->body)),
        "fragment \"%s\": fast \"%s\", gumbo \"%s\"", html,
        cari_buf_str(fast), cari_buf_str(&d->body));
  return 1;
}

static void test_fast_html(void) {
  corpus_doc d;
  cari_buf fast = {0};
  char frag[2048], id[32];
  unsigned long long seed = 14;
  size_t i, k, npieces = sizeof pieces / sizeof pieces[0];
  int taken = 0, runs = 20000;
  memset(&d, 0, sizeof d);
  for (i = 0; i < sizeof frag_fixed / sizeof frag_fixed[0]; i++) {
    snprintf(id, sizeof id, "fast-fixed-%zu", i);
    taken += frag_compare(id, frag_fixed[i], &d, &fast);
  }
  CHECK_INT("fast-fixed-taken", taken, 7); /* the first 8 but the 2nd */
  taken = 0;
  for (i = 0; i < (size_t)runs; i++) {
    size_t at = 0, n;
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    n = 1 + (size_t)((seed >> 33) % 12);
    frag[0] = '\0';
    for (k = 0; k < n; k++) {
      const char *p;
      seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
      p = pieces[(seed >> 33) % npieces];
      at += (size_t)snprintf(frag + at, sizeof frag - at, "%s", p);
    }
    snprintf(id, sizeof id, "fast-random-%zu", i);
    taken += frag_compare(id, frag, &d, &fast);
  }
  /* the comparison must have been made often */
  CHECK("fast-random-taken", taken > runs / 10, "%d of %d", taken, runs);
  cari_buf_free(&fast);
  corpus_doc_free(&d);
}

/* An entry with a field over CARI_READER_MAX_BYTES is refused with its
** message; the next entry is read. */
static void test_big_entry(void) {
  char path[64], err[256];
  FILE *f;
  cari_reader *r;
  cari_article a;
  size_t i;
  int rc, ok = 1;
  snprintf(path, sizeof path, "/tmp/cari-xml-%d.xml", (int)getpid());
  if (!(f = fopen(path, "wb"))) {
    T_FAIL("big-open", "cannot write %s", path);
    return;
  }
  ok &= fputs("<rss><channel><item><title>Besar</title><description>", f) >= 0;
  for (i = 0; ok && i <= CARI_READER_MAX_BYTES / 64; i++)
    ok &= fputs("kata kata kata kata kata kata kata kata kata kata kata kata kat "  /* 64 */,
                f) >= 0;
  ok &= fputs("</description></item><item><title>Kecil</title><guid>k</guid>"
              "<description>isi</description></item></channel></rss>",
              f) >= 0;
  ok &= fclose(f) == 0;
  CHECK("big-write", ok, "writing %s", path);
  rc = open_r(path, NULL, &r, err, sizeof err);
  CHECK("big-reader", rc == CARI_OK, "%d %s", rc, err);
  if (rc == CARI_OK) {
    rc = cari_reader_next(r, &a);
    CHECK("big-refused", rc == CARI_FORMAT &&
                             strstr(cari_reader_errmsg(r), "longer than the "
                                                           "limit"),
          "%d %s", rc, cari_reader_errmsg(r));
    rc = cari_reader_next(r, &a);
    CHECK("big-next", rc == CARI_ROW && !strcmp(a.id, "k"), "%d", rc);
    CHECK_INT("big-done", cari_reader_next(r, &a), CARI_DONE);
    cari_reader_close(r);
  }
  CHECK("big-unlink", unlink(path) == 0, "unlink %s", path);
}

int main(void) {
  size_t i;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) run_case(&cases[i]);
  test_lines();
  test_format();
  test_fast_html();
  test_big_entry();
  return test_report("xml");
}
