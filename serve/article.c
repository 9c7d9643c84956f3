/*
** article.c — one article from a JSON object, the fields of a JSONL line
** ({"id","title","body","url"?,"date"?,"tags"?,"author"?}; the id a non-empty string
** or an integer; tags an array of at most 64 strings — the JSONL readers'
** comma-separated string form is not taken here). It stores nothing
** (writer.c does) and copies nothing: the article points into the JSON
** object, and a.tags into the srv_article itself, which must not move.
*/
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "serve.h"

static int bad(char *err, size_t errcap, const char *field, const char *what) {
  snprintf(err, errcap, "field \"%s\" %s", field, what);
  return CARI_INVALID;
}

static int opt_string(json_t *o, const char *key, const char **out, char *err,
                      size_t errcap) {
  json_t *v = json_object_get(o, key);
  *out = NULL;
  if (!v || json_is_null(v)) return CARI_OK;
  if (!json_is_string(v)) return bad(err, errcap, key, "must be a string");
  if (strlen(json_string_value(v)) != json_string_length(v))
    return bad(err, errcap, key, "holds a NUL character");
  *out = json_string_value(v);
  return CARI_OK;
}

int srv_article_parse(json_t *o, const char *id, srv_article *out, char *err,
                      size_t errcap) {
  json_t *v, *t;
  size_t i;
  int rc;
  memset(out, 0, sizeof *out);
  if (!json_is_object(o)) {
    snprintf(err, errcap, "an article must be a JSON object");
    return CARI_INVALID;
  }
  v = json_object_get(o, "id");
  if (v && json_is_integer(v)) {
    /* Kept as the JSON holds it: the id's text is the integer's. */
    json_t *s = json_sprintf("%" JSON_INTEGER_FORMAT, json_integer_value(v));
    if (!s || json_object_set_new(o, "id", s)) {
      snprintf(err, errcap, "out of memory");
      return CARI_NOMEM;
    }
    v = json_object_get(o, "id");
  }
  if (v && !json_is_null(v)) {
    if (!json_is_string(v))
      return bad(err, errcap, "id", "must be a string or an integer");
    if (id && strcmp(id, json_string_value(v)) != 0)
      return bad(err, errcap, "id", "differs from the id in the path");
    out->a.id = json_string_value(v);
  } else {
    out->a.id = id;
  }
  if (!out->a.id) {
    snprintf(err, errcap, "missing field \"id\"");
    return CARI_INVALID;
  }
  if (!out->a.id[0]) return bad(err, errcap, "id", "is empty");
  if ((rc = opt_string(o, "title", &out->a.title, err, errcap)) ||
      (rc = opt_string(o, "body", &out->a.body, err, errcap)) ||
      (rc = opt_string(o, "url", &out->a.url, err, errcap)) ||
      (rc = opt_string(o, "date", &out->a.date, err, errcap)) ||
      (rc = opt_string(o, "author", &out->a.author, err, errcap)))
    return rc;
  if (!(out->a.title && out->a.title[0]) && !(out->a.body && out->a.body[0])) {
    snprintf(err, errcap, "the article has neither \"title\" nor \"body\"");
    return CARI_INVALID;
  }
  v = json_object_get(o, "tags");
  if (v && !json_is_null(v)) {
    if (!json_is_array(v))
      return bad(err, errcap, "tags", "must be an array of strings");
    if (json_array_size(v) > sizeof out->tags / sizeof out->tags[0])
      return bad(err, errcap, "tags", "holds more than 64 tags");
    json_array_foreach(v, i, t) {
      if (!json_is_string(t))
        return bad(err, errcap, "tags", "must be an array of strings");
      out->tags[i] = json_string_value(t);
    }
    out->a.tags = out->tags;
    out->a.ntags = json_array_size(v);
  }
  return CARI_OK;
}
