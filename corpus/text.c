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
  cari_buf lf = CARI_BUF_INIT;
  size_t at = 0, i;
  int rc = CARI_OK;
  (void)name;
  /* Without the CR of CRLF line ends. */
  for (i = 0; i < len; i++) {
    if (text[i] == '\r' && i + 1 < len && text[i + 1] == '\n') {
      cari_buf_add(&rc, &lf, text + at, i - at);
      at = i + 1;
    }
  }
  if (!cari_buf_add(&rc, &lf, text + at, len - at))
    rc = corpus_boiler_page(d, cari_buf_str(&lf), lf.n);
  cari_buf_free(&lf);
  return rc;
}
