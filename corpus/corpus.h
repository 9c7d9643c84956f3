/*
** corpus.h — the internal header shared by the corpus readers (the C files
** of corpus/) and nothing else. reader.c owns the public cari_reader_*
** calls and the helpers every format uses (the article being built, error
** messages, text joining; buffers are mem.h's cari_buf); each format file
** turns bytes into one corpus_doc. Not an API: names here may change with the readers.
*/
#ifndef CARI_CORPUS_H
#define CARI_CORPUS_H

#include <stddef.h>
#include <stdio.h>

#include "cari.h"
#include "mem.h" /* cari_buf, the seam */

/* The sticky code of mem/'s buffer is CARI_NOMEM. */
_Static_assert(CARI_MEM_NOMEM == CARI_NOMEM, "mem.h's code is CARI_NOMEM");

/* A format parser's "this file holds no article, and that is fine" (a
** Markdown draft). Never returned by a public call. */
#define CORPUS_SKIP (-1)

#if defined(__GNUC__)
#define CORPUS_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CORPUS_PRINTF(f, a)
#endif

/**************************************************************************
** Interface to code in reader.c
*/

/*
** Text joining for the Markdown and HTML extractors. corpus_text_put()
** appends text; with `collapse` set, every run of ASCII whitespace becomes
** one space and no space starts a line. corpus_text_break() ends the
** current line: trailing spaces go, then the buffer ends in at least
** `lines` newlines (1 = new line, 2 = blank line) unless it is empty.
** corpus_text_trim() strips leading and trailing whitespace. All return
** CARI_OK or CARI_NOMEM except trim, which cannot fail.
*/
int corpus_text_put(cari_buf *b, const char *s, size_t n, int collapse);
int corpus_text_break(cari_buf *b, int lines);
void corpus_text_trim(cari_buf *b);

/* The article being built from one record, plus the message saying why it
** could not be. Every buffer is owned by the doc and reused from record to
** record; corpus_doc_reset() empties them, corpus_doc_free() frees them. */
typedef struct corpus_doc {
  cari_buf id, title, body, url, date, source, author;
  cari_buf tagtext;          /* the tags, each followed by its NUL */
  size_t ntags;
  const char **tagv;           /* filled by reader.c when handed out */
  size_t tagcap;
  char err[2048];              /* "file:line: what", "" if none */
} corpus_doc;

void corpus_doc_reset(corpus_doc *d);
void corpus_doc_free(corpus_doc *d);

/* Add one tag (trimmed; empty ones are dropped), or every comma-separated
** part of s[0..n). CARI_OK or CARI_NOMEM. */
int corpus_doc_tag(corpus_doc *d, const char *s, size_t n);
int corpus_doc_tags_csv(corpus_doc *d, const char *s, size_t n);

/* Format the message into d->err (truncated to fit) and return rc, so that
** `return corpus_err(d, CARI_FORMAT, "%s:%ld: ...", ...)` reads as one step. */
int corpus_err(corpus_doc *d, int rc, const char *fmt, ...) CORPUS_PRINTF(3, 4);

/* Check that s[0..n) is UTF-8 without NUL bytes. Returns 0 when it is,
** else 1 (not UTF-8) or 2 (a NUL byte) with *off set to the bad byte. */
int corpus_utf8_check(const char *s, size_t n, size_t *off);

/* Replace every byte of b that does not belong to valid UTF-8 with U+FFFD
** (NUL bytes stay: tag lists hold them). For text a library decoded, such as
** Gumbo's character references (`&#xbebbbbde;` gives a lone byte in
** Debian's gumbo 0.10). CARI_OK, or CARI_NOMEM with b unchanged. */
int corpus_utf8_repair(cari_buf *b);

/* Skip a UTF-8 byte order mark: the number of bytes to skip (0 or 3). */
size_t corpus_bom(const char *s, size_t n);

/* True for ASCII whitespace (space, tab, CR, LF, FF, VT). */
int corpus_isspace(int c);

/**************************************************************************
** Interface to code in jsonl.c
*/

/* One JSONL stream being read line by line. `f` and `name` are borrowed
** from the reader, which also closes f; `line` is owned (the line buffer). */
typedef struct corpus_jsonl {
  FILE *f;
  const char *name;      /* for messages: "posts.jsonl", "<stdin>" */
  int fatal_io;          /* read errors are CARI_IO (stdin), not CARI_FORMAT */
  long lineno;
  int eof;
  cari_buf line;
} corpus_jsonl;

/* Start reading `f` from its first line; keeps the line buffer. */
void corpus_jsonl_start(corpus_jsonl *j, FILE *f, const char *name,
                        int fatal_io);

/*
** Read the next record into d (reset first). *consumed grows by the bytes
** read. Returns CARI_ROW; CARI_DONE at the end of the stream; CARI_FORMAT
** (d->err says where and what; the stream goes on with the next line,
** except after a read error on a file, which ends it); CARI_IO (a read
** error with fatal_io) or CARI_NOMEM. d->source is "name:line".
*/
int corpus_jsonl_next(corpus_jsonl *j, corpus_doc *d, long long *consumed);

/* Free the line buffer (the stream is not closed). */
void corpus_jsonl_free(corpus_jsonl *j);

/**************************************************************************
** Interface to code in markdown.c, html.c and text.c
**
** Each turns one whole file, text[0..len) (valid UTF-8 without NUL or BOM,
** checked by the caller), into d (reset by the caller): title, body, and
** what the format may name (id, url, date, tags). `name` is the file's
** path for messages. Returns CARI_OK; CORPUS_SKIP (no article, no error);
** CARI_FORMAT with d->err set; or CARI_NOMEM. The caller fills the id from
** the path when the file names none.
*/
int corpus_markdown_parse(const char *name, const char *text, size_t len,
                          corpus_doc *d);
int corpus_html_parse(const char *name, const char *text, size_t len,
                      corpus_doc *d);
int corpus_text_parse(const char *name, const char *text, size_t len,
                      corpus_doc *d);
/* HTML that is part of something else (a feed entry's content): as
** corpus_html_parse, without the scraped-page rules; with `fast`, a
** fragment htmlfast.c can read is read there (the same text; only the body
** is filled then). */
int corpus_html_text(const char *name, const char *text, size_t len,
                     corpus_doc *d, int fast);

/**************************************************************************
** Interface to code in htmlfast.c
*/

/* The text of text[0..len) into out, exactly as html.c's walk would write
** the body, when the fragment is in htmlfast.c's simple subset: CARI_OK;
** else CORPUS_SKIP (out is then garbage); or CARI_NOMEM. */
int corpus_html_fast(const char *text, size_t len, cari_buf *out);

/**************************************************************************
** Interface to code in boiler.c (the rule table and its essay are there)
*/

/* Drop the boilerplate lines (navigation, prompts; bylines and dates near
** the top and bottom, which fill d->author and d->date when empty) from
** d->body. CARI_OK or CARI_NOMEM (body unchanged). */
int corpus_boiler_body(corpus_doc *d);

/* A scraped page's text[0..len) into d: the headline (the first line that
** is not boilerplate) into d->title, the rest without boilerplate into
** d->body, author and date as corpus_boiler_body. CARI_OK or CARI_NOMEM. */
int corpus_boiler_page(corpus_doc *d, const char *text, size_t len);

/* What the rules make of one trimmed line: 0 text, 1 dropped, 2 byline,
** 3 date (near the top of a page). For tests. */
int corpus_boiler_line(const char *s, size_t n);

/**************************************************************************
** Interface to code in xml.c (the formats and their essay are there)
*/

typedef struct corpus_xml corpus_xml;

/* Start reading feed or export entries from f (borrowed; `name` too, for
** messages). fatal_io: read errors are CARI_IO (stdin). CARI_OK with *out,
** or CARI_NOMEM. */
int corpus_xml_open(corpus_xml **out, FILE *f, const char *name,
                    int fatal_io);

/*
** The next entry into d (reset by the caller): CARI_ROW; CARI_DONE at the
** end; CORPUS_SKIP for an entry that is not an article (corpus_xml_reason
** says why: "draft", "attachment", "comment"…); CARI_FORMAT for a bad entry
** (the stream goes on) or malformed XML (the stream ends: d->err says
** file:line:column); CARI_IO or CARI_NOMEM. *consumed grows by the bytes
** read.
*/
int corpus_xml_next(corpus_xml *x, corpus_doc *d, long long *consumed);

/* The format of the last entry: "wxr", "blogger", "atom", "rss2", "rss1",
** or "xml" before the first. Static. */
const char *corpus_xml_format(const corpus_xml *x);
/* Why the last CORPUS_SKIP entry was passed over; owned by x, valid until
** the next call. */
const char *corpus_xml_reason(const corpus_xml *x);
/* True after the CARI_FORMAT of a document whose root is not a feed's or
** an export's (a sitemap, say). */
int corpus_xml_not_feed(const corpus_xml *x);
void corpus_xml_close(corpus_xml *x);

/**************************************************************************
** Interface to code in htmlclean.c
*/

/*
** Rewrite the page text[0..len) into out (emptied first) as HTML that
** gumbo parses in time and memory linear in len: formatting elements
** renamed, comments and unused attributes dropped, every element closed by
** its own end tag, nesting at most CARI_READER_HTML_DEPTH deep and at most
** CARI_READER_HTML_ELEMENTS elements (tags past either are left out, their
** text kept). The text of the page is kept. Returns CARI_OK or CARI_NOMEM.
*/
int corpus_html_clean(const char *text, size_t len, cari_buf *out);

#endif /* CARI_CORPUS_H */
