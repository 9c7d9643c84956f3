/*
** output.c — debian_docs: the output files, written whole or not at all.
** It does not decide what is kept.
*/
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "debian.h"

/**************************************************************************
** Output
*/

/* Open dir/name.tmp for writing; close_out() renames it into place. */
FILE *open_out(const char *dir, const char *name, char **tmp) {
  char *path = path_join(dir, name);
  sbuf t = {0};
  FILE *f;
  sb_puts(&t, path);
  sb_puts(&t, ".tmp");
  free(path);
  *tmp = sb_take(&t);
  if (!(f = fopen(*tmp, "wb"))) die("%s: %s", *tmp, strerror(errno));
  return f;
}

void close_out(FILE *f, char *tmp) {
  size_t n = strlen(tmp) - strlen(".tmp");
  char *final = xstrndup(tmp, n);
  if (ferror(f) | fclose(f)) die("%s: write failed", tmp);
  if (rename(tmp, final) != 0) die("%s: %s", final, strerror(errno));
  free(final);
  free(tmp);
}

void write_corpus(const builder *b, const char *dir) {
  char *tmp;
  FILE *f = open_out(dir, "corpus.jsonl", &tmp);
  size_t i;
  for (i = 0; i < b->ndocs; i++) {
    const doc *d = &b->docs[i];
    json_t *o = json_object(), *tags = json_array();
    char *line;
    if (!o || !tags) die("out of memory");
    json_object_set_new(o, "id", json_string(d->id));
    json_object_set_new(o, "title", json_string(d->title));
    json_object_set_new(o, "body", json_string(d->body));
    if (d->url) json_object_set_new(o, "url", json_string(d->url));
    json_array_append_new(tags, json_string(d->source));
    json_object_set_new(o, "tags", tags);
    line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!line) die("%s: cannot encode as JSON", d->id);
    fputs(line, f);
    fputc('\n', f);
    free(line);
    json_decref(o);
  }
  close_out(f, tmp);
}

/* queries.NAME.tsv (qid TAB text) and qrels.NAME.tsv (qid TAB docid TAB 1);
** qids are PREFIX-00001 in the set's order. */
void write_qset(const qset *s, const char *dir, const char *name,
                       const char *prefix) {
  char fq[64], fr[64], *tq, *tr;
  FILE *q, *r;
  size_t i, j;
  snprintf(fq, sizeof fq, "queries.%s.tsv", name);
  snprintf(fr, sizeof fr, "qrels.%s.tsv", name);
  q = open_out(dir, fq, &tq);
  r = open_out(dir, fr, &tr);
  for (i = 0; i < s->n; i++) {
    fprintf(q, "%s-%05zu\t%s\n", prefix, i + 1, s->q[i].text);
    for (j = 0; j < s->q[i].rel.n; j++)
      fprintf(r, "%s-%05zu\t%s\t1\n", prefix, i + 1, s->q[i].rel.v[j]);
  }
  close_out(q, tq);
  close_out(r, tr);
}

size_t qrels_count(const qset *s) {
  size_t i, n = 0;
  for (i = 0; i < s->n; i++) n += s->q[i].rel.n;
  return n;
}
