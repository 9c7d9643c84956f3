/*
** text.c — a plain text file to an article: CRLF turned into LF, then the
** boilerplate rules (boiler.c) find the headline, which is the title, the
** byline and date, and drop navigation and prompts; the rest, trimmed, is
** the body. It does not guess at wrapping or encodings other than UTF-8.
*/
#include <string.h>

#include "corpus.h"

int corpus_text_parse(const char *name, const char *text, size_t len,
                      corpus_doc *d) {
  corpus_buf lf = {0};
  size_t at = 0, i;
  int rc;
  (void)name;
  /* Without the CR of CRLF line ends. */
  for (i = 0; i < len; i++) {
    if (text[i] == '\r' && i + 1 < len && text[i + 1] == '\n') {
      if (corpus_buf_add(&lf, text + at, i - at) != CARI_OK) goto nomem;
      at = i + 1;
    }
  }
  if (corpus_buf_add(&lf, text + at, len - at) != CARI_OK) goto nomem;
  rc = corpus_boiler_page(d, corpus_buf_str(&lf), lf.n);
  corpus_buf_free(&lf);
  return rc;
nomem:
  corpus_buf_free(&lf);
  return CARI_NOMEM;
}
