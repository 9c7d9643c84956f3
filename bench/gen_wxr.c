/*
** gen_wxr.c — a WordPress export (WXR 1.2) of a given size, and the same
** articles as JSONL, for measuring the XML reader against the JSONL path
** (bench/README.md, "Blog exports").
**
**   gen_wxr SOURCE BYTES OUT.xml OUT.jsonl
**
** SOURCE is any path cari reads (gen_corpus's JSONL, say). Its articles are
** written again and again, round r giving ids "ID-r", until OUT.xml holds
** BYTES bytes: each as a published post whose content is HTML with
** WordPress's block comments, a [caption] shortcode, tags, a category and
** one comment — plus, every tenth, a draft and a revision that the reader
** must pass over. OUT.jsonl gets the published posts only: id, title, the
** body as plain text, url, date, tags, author. Streamed: memory is one
** article. It does not check what it writes (tests/test_xml.c does).
*/
#include "cari.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* s with ]]> split across two CDATA sections. */
static void cdata(FILE *f, const char *s) {
  const char *p;
  fputs("<![CDATA[", f);
  while ((p = strstr(s, "]]>")) != NULL) {
    fwrite(s, 1, (size_t)(p - s) + 2, f);
    fputs("]]><![CDATA[", f);
    s = p + 2;
  }
  fputs(s, f);
  fputs("]]>", f);
}

static void json_str(FILE *f, const char *s) {
  putc('"', f);
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') fprintf(f, "\\%c", c);
    else if (c == '\n') fputs("\\n", f);
    else if (c < 0x20) fprintf(f, "\\u%04x", c);
    else putc(c, f);
  }
  putc('"', f);
}

/* The body as HTML paragraphs in block comments, one per line of text. */
static void html_body(FILE *f, const char *body, long k) {
  const char *s = body;
  int para = 0;
  fputs("<content:encoded><![CDATA[", f);
  while (*s) {
    const char *nl = strchr(s, '\n');
    size_t n = nl ? (size_t)(nl - s) : strlen(s);
    if (n > 0) {
      const char *p = s, *e = s + n;
      fputs("<!-- wp:paragraph -->\n<p>", f);
      /* ]]> would end the section; & and < are fine inside CDATA but are
      ** HTML: escape them as a real export does */
      for (; p < e; p++) {
        if (*p == '&') fputs("&amp;", f);
        else if (*p == '<') fputs("&lt;", f);
        else if (*p == '>') fputs("&gt;", f);
        else putc(*p, f);
      }
      fputs("</p>\n<!-- /wp:paragraph -->\n", f);
      if (para++ == 0)
        fprintf(f, "[caption id=\"attachment_%ld\" width=\"300\"]<img src="
                   "\"foto-%ld.jpg\" alt=\"foto\" /> Foto %ld[/caption]\n",
                k, k, k);
    }
    s += n + (nl != NULL);
  }
  fputs("]]></content:encoded>\n", f);
}

static void item(FILE *f, const cari_article *a, const char *id, long k,
                 const char *status, const char *type) {
  size_t i;
  fputs("<item>\n<title>", f);
  cdata(f, a->title ? a->title : "");
  fprintf(f, "</title>\n<link>https://blog.example/%s/</link>\n"
             "<pubDate>Mon, 02 Nov 2026 10:00:00 +0000</pubDate>\n"
             "<dc:creator><![CDATA[penulis%ld]]></dc:creator>\n"
             "<guid isPermaLink=\"false\">https://blog.example/?p=%s</guid>\n",
          id, k % 50, id);
  html_body(f, a->body ? a->body : "", k);
  fprintf(f, "<wp:post_id>%ld</wp:post_id>\n"
             "<wp:post_date_gmt><![CDATA[2026-11-02 10:00:00]]>"
             "</wp:post_date_gmt>\n"
             "<wp:status><![CDATA[%s]]></wp:status>\n"
             "<wp:post_type><![CDATA[%s]]></wp:post_type>\n"
             "<category domain=\"category\" nicename=\"umum\"><![CDATA[Umum]]>"
             "</category>\n",
          k, status, type);
  /* the tags after the category, as the JSONL lists them */
  for (i = 0; i < a->ntags; i++) {
    fputs("<category domain=\"post_tag\">", f);
    cdata(f, a->tags[i]);
    fputs("</category>\n", f);
  }
  fputs("<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_content>"
        "<![CDATA[Terima kasih, tulisannya bagus.]]></wp:comment_content>"
        "</wp:comment>\n</item>\n", f);
}

static void jsonl(FILE *f, const cari_article *a, const char *id, long k) {
  char guid[1300];
  size_t i;
  snprintf(guid, sizeof guid, "https://blog.example/?p=%s", id);
  fputs("{\"id\":", f);
  json_str(f, guid);
  fputs(",\"title\":", f);
  json_str(f, a->title ? a->title : "");
  fputs(",\"body\":", f);
  json_str(f, a->body ? a->body : "");
  fprintf(f, ",\"url\":\"https://blog.example/%s/\",\"date\":"
             "\"2026-11-02T10:00:00Z\",\"author\":\"penulis%ld\",\"tags\":[",
          id, k % 50);
  fputs("\"Umum\"", f); /* the category, first as in the export */
  for (i = 0; i < a->ntags; i++) {
    putc(',', f);
    json_str(f, a->tags[i]);
  }
  fputs("]}\n", f);
}

int main(int argc, char **argv) {
  char err[512], id[1200];
  long long want, k = 0;
  int round = 0;
  FILE *x, *j;
  if (argc != 5 || (want = atoll(argv[2])) <= 0) {
    fprintf(stderr, "usage: gen_wxr SOURCE BYTES OUT.xml OUT.jsonl\n");
    return 2;
  }
  if (!(x = fopen(argv[3], "wb")) || !(j = fopen(argv[4], "wb"))) {
    perror("gen_wxr");
    return 1;
  }
  fputs("<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<rss version=\"2.0\" "
        "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" "
        "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
        "xmlns:wp=\"http://wordpress.org/export/1.2/\">\n<channel>\n"
        "<title>Blog Contoh</title>\n<wp:wxr_version>1.2</wp:wxr_version>\n",
        x);
  while (ftell(x) < want) {
    cari_reader *r;
    cari_article a;
    int rc;
    if (cari_reader_open(argv[1], &r, err, sizeof err) != CARI_OK) {
      fprintf(stderr, "gen_wxr: %s\n", err);
      return 1;
    }
    while (ftell(x) < want && (rc = cari_reader_next(r, &a)) != CARI_DONE) {
      if (rc != CARI_ROW) continue;
      snprintf(id, sizeof id, "%s-%d", a.id, round);
      item(x, &a, id, (long)k, "publish", "post");
      jsonl(j, &a, id, (long)k);
      if (k % 10 == 0) {
        item(x, &a, "draf", (long)k, "draft", "post");
        item(x, &a, "revisi", (long)k, "inherit", "revision");
      }
      k++;
    }
    cari_reader_close(r);
    round++;
    if (k == 0) {
      fprintf(stderr, "gen_wxr: no articles in %s\n", argv[1]);
      return 1;
    }
  }
  fputs("</channel>\n</rss>\n", x);
  if (fclose(x) != 0 || fclose(j) != 0) {
    perror("gen_wxr");
    return 1;
  }
  fprintf(stderr, "gen_wxr: %lld published posts\n", k);
  return 0;
}
