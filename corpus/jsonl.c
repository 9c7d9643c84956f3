/*
** jsonl.c — JSON Lines articles, one object a line, parsed with jansson:
** {"id","title","body","url"?,"date"?,"tags"?,"author"?}. A bad line is reported
** with its line number and skipped; the lines after it are still read.
** It does not open or close streams (reader.c does) and keeps no record
** beyond the current line.
*/
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "corpus.h"

void corpus_jsonl_start(corpus_jsonl *j, FILE *f, const char *name,
                        int fatal_io) {
  j->f = f;
  j->name = name;
  j->fatal_io = fatal_io;
  j->lineno = 0;
  j->eof = 0;
}

void corpus_jsonl_free(corpus_jsonl *j) {
  cari_buf_free(&j->line);
}

/* Report a bad field of the current line. */
static int field_err(corpus_jsonl *j, corpus_doc *d, const char *key,
                     const char *what) {
  return corpus_err(d, CARI_FORMAT, "%s:%ld: field \"%s\" %s", j->name,
                    j->lineno, key, what);
}

/* Copy the optional string field `key` into out (absent or null: left
** empty). CARI_OK, CARI_FORMAT or CARI_NOMEM. */
static int get_string(corpus_jsonl *j, corpus_doc *d, json_t *o,
                      const char *key, cari_buf *out) {
  json_t *v = json_object_get(o, key);
  if (!v || json_is_null(v)) return CARI_OK;
  if (!json_is_string(v)) return field_err(j, d, key, "must be a string");
  int rc = CARI_OK;
  return cari_buf_set(&rc, out, json_string_value(v), json_string_length(v));
}

/* The id: a non-empty string, or an integer written in decimal. */
static int get_id(corpus_jsonl *j, corpus_doc *d, json_t *o) {
  json_t *v = json_object_get(o, "id");
  char num[32];
  int rc = CARI_OK;
  if (!v || json_is_null(v))
    return corpus_err(d, CARI_FORMAT, "%s:%ld: missing field \"id\"", j->name,
                      j->lineno);
  if (json_is_integer(v)) {
    int n = snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT,
                     json_integer_value(v));
    return cari_buf_set(&rc, &d->id, num, (size_t)n);
  }
  if (!json_is_string(v))
    return field_err(j, d, "id", "must be a string or an integer");
  if (json_string_length(v) == 0) return field_err(j, d, "id", "is empty");
  return cari_buf_set(&rc, &d->id, json_string_value(v),
                      json_string_length(v));
}

/* Tags: an array of strings, or one string of comma-separated tags. */
static int get_tags(corpus_jsonl *j, corpus_doc *d, json_t *o) {
  json_t *v = json_object_get(o, "tags"), *t;
  size_t i;
  if (!v || json_is_null(v)) return CARI_OK;
  if (json_is_string(v))
    return corpus_doc_tags_csv(d, json_string_value(v), json_string_length(v));
  if (!json_is_array(v))
    return field_err(j, d, "tags", "must be an array of strings");
  json_array_foreach(v, i, t) {
    if (!json_is_string(t))
      return field_err(j, d, "tags", "must be an array of strings");
    if (corpus_doc_tag(d, json_string_value(t), json_string_length(t)) !=
        CARI_OK)
      return CARI_NOMEM;
  }
  return CARI_OK;
}

static const char *json_kind(const json_t *v) {
  switch (json_typeof(v)) {
  case JSON_ARRAY: return "an array";
  case JSON_STRING: return "a string";
  case JSON_INTEGER:
  case JSON_REAL: return "a number";
  case JSON_TRUE:
  case JSON_FALSE: return "a boolean";
  case JSON_NULL: return "null";
  default: return "not an object";
  }
}

/* Turn one non-blank line s[0..n) into d. */
static int parse_line(corpus_jsonl *j, const char *s, size_t n, corpus_doc *d) {
  json_error_t e;
  json_t *o = json_loadb(s, n, JSON_DECODE_ANY, &e);
  int rc;
  if (!o) {
    switch (json_error_code(&e)) {
    case json_error_out_of_memory:
      return corpus_err(d, CARI_NOMEM, "%s:%ld: out of memory", j->name,
                        j->lineno);
    case json_error_invalid_utf8:
      return corpus_err(d, CARI_FORMAT, "%s:%ld: not valid UTF-8 (column %d)",
                        j->name, j->lineno, e.column);
    default:
      return corpus_err(d, CARI_FORMAT, "%s:%ld: invalid JSON at column %d: %s",
                        j->name, j->lineno, e.column, e.text);
    }
  }
  if (!json_is_object(o)) {
    rc = corpus_err(d, CARI_FORMAT, "%s:%ld: not a JSON object but %s",
                    j->name, j->lineno, json_kind(o));
    json_decref(o);
    return rc;
  }
  rc = get_id(j, d, o);
  if (rc == CARI_OK) rc = get_string(j, d, o, "title", &d->title);
  if (rc == CARI_OK) rc = get_string(j, d, o, "body", &d->body);
  if (rc == CARI_OK) rc = get_string(j, d, o, "url", &d->url);
  if (rc == CARI_OK) rc = get_string(j, d, o, "date", &d->date);
  if (rc == CARI_OK) rc = get_string(j, d, o, "author", &d->author);
  if (rc == CARI_OK) rc = get_tags(j, d, o);
  if (rc == CARI_OK && d->title.n == 0 && d->body.n == 0)
    rc = corpus_err(d, CARI_FORMAT, "%s:%ld: record has neither \"title\" "
                    "nor \"body\"", j->name, j->lineno);
  json_decref(o);
  if (rc == CARI_NOMEM && !d->err[0])
    corpus_err(d, CARI_NOMEM, "%s:%ld: out of memory", j->name, j->lineno);
  return rc;
}

/* getline() with a bound: the line (with its newline) into j->line, its
** length into *got, -1 at the end or on an error (errno set). A line longer
** than CARI_READER_MAX_BYTES is read to its end but not kept: *toolong is
** set and *got is its whole length. */
static int read_line(corpus_jsonl *j, ssize_t *got, int *toolong) {
  size_t n = 0;
  int c = EOF, rc = CARI_OK;
  *toolong = 0;
  cari_buf_clear(&j->line);
  flockfile(j->f);
  while ((c = getc_unlocked(j->f)) != EOF) {
    if (!*toolong) { /* the byte and a NUL fit: written in place */
      if (j->line.n + 2 > j->line.cap && cari_buf_grow(&rc, &j->line, 1)) {
        funlockfile(j->f);
        errno = ENOMEM;
        return -1;
      }
      j->line.p[j->line.n++] = (char)c;
    }
    n++;
    if (n > CARI_READER_MAX_BYTES) *toolong = 1;
    if (c == '\n') break;
  }
  funlockfile(j->f);
  if (n == 0) return -1; /* the end, or an error: ferror tells */
  if (!*toolong) j->line.p[j->line.n] = 0;
  *got = (ssize_t)n;
  return 0;
}

int corpus_jsonl_next(corpus_jsonl *j, corpus_doc *d, long long *consumed) {
  for (;;) {
    ssize_t got;
    const char *s;
    size_t n, i;
    int rc, err;
    char num[24];
    corpus_doc_reset(d);
    if (j->eof) return CARI_DONE;
    int toolong = 0;
    errno = 0;
    if (read_line(j, &got, &toolong) < 0) {
      err = errno;
      j->eof = 1;
      if (ferror(j->f))
        return corpus_err(d, j->fatal_io ? CARI_IO : CARI_FORMAT,
                          "%s:%ld: read error: %s", j->name, j->lineno + 1,
                          strerror(err));
      if (!feof(j->f) && err == ENOMEM)
        return corpus_err(d, CARI_NOMEM, "%s:%ld: out of memory", j->name,
                          j->lineno + 1);
      return CARI_DONE;
    }
    j->lineno++;
    *consumed += got;
    if (toolong)
      return corpus_err(d, CARI_FORMAT,
                        "%s:%ld: a line of %lld bytes, more than the limit of "
                        "%d bytes for one record",
                        j->name, j->lineno, (long long)got,
                        CARI_READER_MAX_BYTES);
    s = j->line.p;
    n = (size_t)got;
    if (j->lineno == 1) {
      size_t bom = corpus_bom(s, n);
      s += bom;
      n -= bom;
    }
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r')) n--;
    for (i = 0; i < n && corpus_isspace((unsigned char)s[i]); i++) {}
    if (i == n) continue; /* a blank line */
    rc = parse_line(j, s, n, d);
    if (rc != CARI_OK) return rc;
    snprintf(num, sizeof num, ":%ld", j->lineno);
    cari_buf_set(&rc, &d->source, j->name, strlen(j->name));
    if (cari_buf_adds(&rc, &d->source, num))
      return corpus_err(d, CARI_NOMEM, "%s:%ld: out of memory", j->name,
                        j->lineno);
    return CARI_ROW;
  }
}
