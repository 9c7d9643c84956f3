/*
** fuzz_xml.c — fuzz target: one input is one .xml file, read through the
** public reader (cari_reader_open/next) as a feed or blog export (xml.c:
** WXR, Blogger, Atom, RSS 2.0 and 1.0; the HTML of entries through
** htmlfast.c or gumbo). Each article must have a non-empty id and valid
** UTF-8 in every field; each malformed entry or file a CARI_FORMAT whose
** message names the file. Any other outcome, or a sanitizer report, is a
** crash. It does not index the articles.
*/
#include "fuzz.h"

FUZZ_READER_TARGET("xml")
