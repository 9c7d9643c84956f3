/*
** builder.c — debian_docs: the documents kept and dropped, and the counts
** per source.
** It reads no source and writes no file.
*/
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "debian.h"

/**************************************************************************
** Documents and the builder
*/


static source_stats *stats_for(builder *b, const char *name) {
  size_t i;
  for (i = 0; i < b->nstats; i++)
    if (strcmp(b->stats[i].name, name) == 0) return &b->stats[i];
  if (b->nstats == sizeof b->stats / sizeof *b->stats) die("too many sources");
  memset(&b->stats[b->nstats], 0, sizeof b->stats[0]);
  b->stats[b->nstats].name = name;
  return &b->stats[b->nstats++];
}

void note_dropped(builder *b, const char *id, const char *why, long en,
                         long idn, const char *title) {
  char num[64];
  sb_puts(&b->dropped, id);
  sb_putc(&b->dropped, '\t');
  sb_puts(&b->dropped, why);
  snprintf(num, sizeof num, "\t%ld\t%ld\t", en, idn);
  sb_puts(&b->dropped, num);
  sb_puts(&b->dropped, title);
  sb_putc(&b->dropped, '\n');
}

/*
** Offer a page: title and body are cleaned (the body keeps one line per
** block, and loses a first line equal to the title), then the page is kept
** unless its body is empty or it is English. All arguments are borrowed.
*/
void add_doc(builder *b, const char *source, const char *id,
                    const char *title, const char *body, const char *url) {
  source_stats *st = stats_for(b, source);
  char *t = clean_text(title, strlen(title), 0);
  char *x = clean_text(body, strlen(body), 1);
  long en = 0, idn = 0;
  size_t tl = strlen(t);
  doc *d;
  st->pages++;
  if (tl && strncmp(x, t, tl) == 0 && (x[tl] == '\n' || x[tl] == '\0'))
    memmove(x, x + tl + (x[tl] == '\n'), strlen(x + tl) + (x[tl] != '\n'));
  if (!*t) {
    free(t);
    t = xstrdup(id);
  }
  lang_measure(&b->fw, t, &en, &idn);
  lang_measure(&b->fw, x, &en, &idn);
  if (!*x) {
    st->empty++;
    note_dropped(b, id, "empty", en, idn, t);
    free(t);
    free(x);
    return;
  }
  if (is_english(en, idn)) {
    st->english++;
    note_dropped(b, id, "english", en, idn, t);
    free(t);
    free(x);
    return;
  }
  if (b->ndocs == b->capdocs) {
    b->capdocs = b->capdocs ? 2 * b->capdocs : 256;
    b->docs = xrealloc(b->docs, b->capdocs * sizeof *b->docs);
  }
  d = &b->docs[b->ndocs++];
  d->id = xstrdup(id);
  d->title = t;
  d->body = x;
  d->url = url ? xstrdup(url) : NULL;
  d->source = source;
  st->kept++;
}

void unreadable(builder *b, const char *source, const char *path,
                       const char *why) {
  source_stats *st = stats_for(b, source);
  st->pages++;
  st->bad++;
  fprintf(stderr, "debian_docs: %s: %s (skipped)\n", path, why);
}
