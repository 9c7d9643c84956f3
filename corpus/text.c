/*
** text.c — a plain text file to an article: the first non-blank line,
** trimmed, is the title; everything after it, trimmed, with CRLF turned
** into LF, is the body. It does not guess at headings, wrapping or
** encodings other than UTF-8.
*/
#include <string.h>

#include "corpus.h"

int corpus_text_parse(const char *name, const char *text, size_t len,
                      corpus_doc *d) {
  size_t at = 0, i;
  (void)name;
  /* The title: the first line with something on it. */
  while (at < len) {
    const char *nl = memchr(text + at, '\n', len - at);
    size_t end = nl ? (size_t)(nl - text) : len;
    if (corpus_buf_set(&d->title, text + at, end - at) != CARI_OK)
      return CARI_NOMEM;
    corpus_text_trim(&d->title);
    at = nl ? end + 1 : len;
    if (d->title.n > 0) break;
  }
  /* The body: the rest, without the CR of CRLF line ends. */
  corpus_buf_clear(&d->body);
  for (i = at; i < len; i++) {
    if (text[i] == '\r' && i + 1 < len && text[i + 1] == '\n') {
      if (corpus_buf_add(&d->body, text + at, i - at) != CARI_OK)
        return CARI_NOMEM;
      at = i + 1;
    }
  }
  if (corpus_buf_add(&d->body, text + at, len - at) != CARI_OK)
    return CARI_NOMEM;
  corpus_text_trim(&d->body);
  return CARI_OK;
}
