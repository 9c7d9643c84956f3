/*
** words.c — debian_docs: word sets: the hunspell dictionary and the function
** words; the language of a text.
** It does not stem: morph.c analyses words.
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
** Word sets: the hunspell dictionary (word -> flags) and function words
*/


static uint32_t hash_bytes(const char *s, size_t n) {
  uint32_t h = 2166136261u;
  while (n--) h = (h ^ (unsigned char)*s++) * 16777619u;
  return h;
}

static wentry *wset_slot(const wset *ws, const char *w, size_t n) {
  size_t i;
  if (!ws->cap) return NULL;
  i = hash_bytes(w, n) & (ws->cap - 1);
  while (ws->slot[i].word) {
    if (strncmp(ws->slot[i].word, w, n) == 0 && ws->slot[i].word[n] == '\0')
      return &ws->slot[i];
    i = (i + 1) & (ws->cap - 1);
  }
  return &ws->slot[i];
}

const wentry *wset_find(const wset *ws, const char *w) {
  wentry *e = wset_slot(ws, w, strlen(w));
  return e && e->word ? e : NULL;
}

/* Add word w with flags; a word added twice gets both sets of flags. */
static void wset_add(wset *ws, const char *w, const char *flags) {
  wentry *e;
  if (2 * (ws->n + 1) > ws->cap) {
    wset old = *ws;
    size_t i;
    ws->cap = old.cap ? 2 * old.cap : 1024;
    ws->slot = xmalloc(ws->cap * sizeof *ws->slot);
    memset(ws->slot, 0, ws->cap * sizeof *ws->slot);
    for (i = 0; i < old.cap; i++)
      if (old.slot[i].word)
        *wset_slot(ws, old.slot[i].word, strlen(old.slot[i].word)) =
            old.slot[i];
    free(old.slot);
  }
  e = wset_slot(ws, w, strlen(w));
  if (e->word) {
    sbuf f = {0};
    sb_puts(&f, e->flags);
    sb_puts(&f, flags);
    free(e->flags);
    e->flags = sb_take(&f);
    return;
  }
  e->word = xstrdup(w);
  e->flags = xstrdup(flags);
  ws->n++;
}

void wset_free(wset *ws) {
  size_t i;
  for (i = 0; i < ws->cap; i++) {
    free(ws->slot[i].word);
    free(ws->slot[i].flags);
  }
  free(ws->slot);
  memset(ws, 0, sizeof *ws);
}

/* True when the two-letter flag list `flags` holds one of the two-letter
** flags run together in `any`. */
int has_flag(const char *flags, const char *any) {
  size_t i, j, n = strlen(flags), m = strlen(any);
  for (i = 0; i + 1 < n; i += 2)
    for (j = 0; j + 1 < m; j += 2)
      if (flags[i] == any[j] && flags[i + 1] == any[j + 1]) return 1;
  return 0;
}

/*
** Load a hunspell .dic (first line the count, then word/FLAGS, ISO-8859-1
** as id_ID.aff declares): words are lower-cased and stored as UTF-8.
** Returns 0, or -1 with errno set.
*/
int dic_load(wset *ws, const char *path) {
  size_t len, i = 0;
  char *text = read_file(path, &len);
  int first = 1;
  if (!text) return -1;
  while (i < len) {
    size_t end = i, slash;
    sbuf w = {0};
    while (end < len && text[end] != '\n') end++;
    for (slash = i; slash < end && text[slash] != '/' && text[slash] != '\r' &&
                    text[slash] != '\t' && text[slash] != ' ';
         slash++) {
      unsigned char c = (unsigned char)text[slash];
      if (c >= 'A' && c <= 'Z') c = (unsigned char)(c - 'A' + 'a');
      utf8_put(&w, c); /* ISO-8859-1 byte = code point */
    }
    if (!first && w.n) {
      size_t f = slash < end && text[slash] == '/' ? slash + 1 : slash, fe = f;
      char *flags;
      while (fe < end && text[fe] > ' ') fe++;
      flags = xstrndup(text + f, fe - f);
      wset_add(ws, sb_str(&w), flags);
      free(flags);
    }
    first = 0;
    sb_free(&w);
    i = end + 1;
  }
  free(text);
  return 0;
}

/*
** Function words decide a page's language: the share of common English
** function words against common Indonesian ones. Neither list holds a word
** of the other language ("di", "an", "as" are not both).
*/
static const char *const id_function_words[] = {
    "adalah", "agar",   "akan",    "anda",   "antara",  "apa",     "apabila",
    "atau",   "bahwa",  "bagi",    "belum",  "bila",    "bisa",    "dalam",
    "dan",    "dapat",  "dari",    "dengan", "di",      "harus",   "hanya",
    "ini",    "itu",    "jika",    "juga",   "kami",    "karena",  "ke",
    "kemudian", "ketika", "kita",  "lalu",   "lebih",   "maka",    "masing",
    "mereka", "namun",  "oleh",    "pada",   "saat",    "sama",    "secara",
    "sebagai", "sebuah", "sedang", "seperti", "serta",  "setiap",  "sudah",
    "suatu",  "telah",  "tersebut", "tetapi", "tidak",  "untuk",   "yang"};

static const char *const en_function_words[] = {
    "about", "after", "all",   "also",   "an",    "and",   "are",   "as",
    "at",    "be",    "been",  "before", "but",   "by",    "can",   "could",
    "does",  "each",  "for",   "from",   "has",   "have",  "how",   "if",
    "in",    "into",  "is",    "it",     "its",   "may",   "more",  "must",
    "not",   "of",    "on",    "only",   "or",    "other", "should", "such",
    "than",  "that",  "the",   "their",  "then",  "there", "these", "they",
    "this",  "to",    "was",   "were",   "what",  "when",  "which", "will",
    "with",  "would", "you",   "your"};

void function_words_load(wset *fw) {
  size_t i;
  for (i = 0; i < sizeof id_function_words / sizeof *id_function_words; i++)
    wset_add(fw, id_function_words[i], "id");
  for (i = 0; i < sizeof en_function_words / sizeof *en_function_words; i++)
    wset_add(fw, en_function_words[i], "en");
}

/* 'i' for an Indonesian function word, 'e' for an English one, 0 else. */
int function_word(const wset *fw, const char *w) {
  const wentry *e = wset_find(fw, w);
  return e ? e->flags[0] : 0;
}

/*
** How much of s is English and how much Indonesian, in bytes of lines: a
** line is English when it has more English function words than Indonesian
** ones, Indonesian when it has fewer, neither when as many. English words
** count only in lower case, so that code (BASIC's "Dim s As String", "If
** .. Then") is not English prose; Indonesian words count in any case.
*/
void lang_measure(const wset *fw, const char *s, long *en, long *id) {
  while (*s) {
    size_t len = strcspn(s, "\n");
    char *line = xstrndup(s, len), w[MAX_WORD];
    const char *p = line;
    long e = 0, i = 0;
    int shape;
    while (next_word(&p, w, sizeof w, &shape)) {
      int k = function_word(fw, w);
      if (k == 'e' && shape == 0) e++;
      else if (k == 'i') i++;
    }
    if (e > i) *en += (long)len;
    else if (i > e) *id += (long)len;
    free(line);
    s += len + (s[len] == '\n');
  }
}

/*
** A page is English when more of its text is in English lines than in
** Indonesian ones. Untranslated pages have next to no Indonesian line;
** partly translated pages (LibreOffice has many: a new paragraph added
** after the translation) are kept while most of their text is Indonesian.
*/
int is_english(long en, long id) { return en > id; }
