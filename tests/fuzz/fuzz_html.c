/*
** fuzz_html.c — fuzz target: one input is one .html file, read through the
** public reader (cari_reader_open/next) as HTML (html.c over Gumbo: title,
** text without scripts, navigation...). Each article must have a non-empty
** id and valid UTF-8 in every field; each malformed record a CARI_FORMAT
** whose message names the file. Any other outcome, or a sanitizer report, is
** a crash. It does not index the articles (fuzz_search does searching).
*/
#include "fuzz.h"

FUZZ_READER_TARGET("html")
