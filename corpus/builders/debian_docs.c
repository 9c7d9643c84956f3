/*
** debian_docs.c — turn Debian's Indonesian documentation, already unpacked,
** into a JSONL corpus and three known-item query sets for relevance
** evaluation: LibreOffice help (HTML and its index, bookmarks.js), Debian
** Reference (DocBook HTML, one article per section), GNOME Mallard help
** pages and manpages-id (roff). Pages that are mostly English are dropped
** and listed, with the index terms dropped, in dropped.tsv. The output is
** deterministic: inputs are read in byte order of their names and every
** output file is sorted. corpus/DEBIAN.md describes the result.
**
** It does not download, unpack or decompress anything (build-debian-corpus
** does), it renders neither roff nor Mallard faithfully (text only), and it
** uses none of cari's analysis: its Indonesian morphology is a handful of
** affix rules checked against the hunspell dictionary, so that the
** root-form queries do not come from the stemmer they are meant to test.
*/
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <gumbo.h>
#include <jansson.h>

#define MAX_DEPTH 256    /* deepest tree walked; deeper content is ignored */
#define MAX_WORD 48      /* longest word the language and morphology look at */
#define MAX_REL 10       /* index terms pointing at more pages are dropped */

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#define NORETURN __attribute__((noreturn))
#else
#define PRINTF_LIKE(f, a)
#define NORETURN
#endif

/**************************************************************************
** Memory, strings, files. The program stops on running out of memory.
*/

static NORETURN PRINTF_LIKE(1, 2) void die(const char *fmt, ...) {
  va_list ap;
  fputs("debian_docs: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  exit(1);
}

static void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q) die("out of memory");
  return q;
}

static void *xmalloc(size_t n) { return xrealloc(NULL, n); }

static char *xstrndup(const char *s, size_t n) {
  char *p = xmalloc(n + 1);
  if (n) memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

static char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

/* A growable string; `p` is owned by the buffer, NUL-terminated once
** anything was added. Zero-initialise to start. */
typedef struct sbuf {
  char *p;
  size_t n, cap;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n) {
  if (b->n + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->n + n + 1) cap *= 2;
    b->p = xrealloc(b->p, cap);
    b->cap = cap;
  }
  if (n) memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = '\0';
}

static void sb_puts(sbuf *b, const char *s) { sb_add(b, s, strlen(s)); }
static void sb_putc(sbuf *b, char c) { sb_add(b, &c, 1); }
static const char *sb_str(const sbuf *b) { return b->p ? b->p : ""; }

static void sb_free(sbuf *b) {
  free(b->p);
  memset(b, 0, sizeof *b);
}

/* The contents as a new string the caller frees; the buffer is emptied. */
static char *sb_take(sbuf *b) {
  char *p = b->p ? b->p : xstrdup("");
  memset(b, 0, sizeof *b);
  return p;
}

/* A growable array of owned strings. */
typedef struct strv {
  char **v;
  size_t n, cap;
} strv;

static void sv_push(strv *s, char *p) {
  if (s->n == s->cap) {
    s->cap = s->cap ? 2 * s->cap : 16;
    s->v = xrealloc(s->v, s->cap * sizeof *s->v);
  }
  s->v[s->n++] = p;
}

static void sv_free(strv *s) {
  size_t i;
  for (i = 0; i < s->n; i++) free(s->v[i]);
  free(s->v);
  memset(s, 0, sizeof *s);
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort s bytewise and drop repeated strings. */
static void sv_sort_unique(strv *s) {
  size_t r, w = 0;
  if (s->n) qsort(s->v, s->n, sizeof *s->v, cmp_str);
  for (r = 0; r < s->n; r++) {
    if (w && strcmp(s->v[r], s->v[w - 1]) == 0) free(s->v[r]);
    else s->v[w++] = s->v[r];
  }
  s->n = w;
}

static int has_prefix(const char *s, const char *pre) {
  return strncmp(s, pre, strlen(pre)) == 0;
}

static int has_suffix(const char *s, const char *suf) {
  size_t n = strlen(s), k = strlen(suf);
  return n >= k && strcmp(s + n - k, suf) == 0;
}

/* First occurrence of pat[0..m) in s[0..n), or NULL. */
static const char *find_seq(const char *s, size_t n, const char *pat) {
  size_t m = strlen(pat), i;
  for (i = 0; m <= n && i <= n - m; i++)
    if (s[i] == pat[0] && memcmp(s + i, pat, m) == 0) return s + i;
  return NULL;
}

/* The whole file as a new NUL-terminated string (length in *len), or NULL
** with errno set. */
static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  sbuf b = {0};
  char tmp[65536];
  size_t k;
  if (!f) return NULL;
  while ((k = fread(tmp, 1, sizeof tmp, f)) > 0) sb_add(&b, tmp, k);
  if (ferror(f)) {
    int e = errno;
    fclose(f);
    sb_free(&b);
    errno = e ? e : EIO;
    return NULL;
  }
  fclose(f);
  if (len) *len = b.n;
  return sb_take(&b);
}

/* a, b and c run together, as a new string. */
static char *cat3(const char *a, const char *b, const char *c) {
  sbuf s = {0};
  sb_puts(&s, a);
  sb_puts(&s, b);
  sb_puts(&s, c);
  return sb_take(&s);
}

static char *path_join(const char *a, const char *b) {
  sbuf s = {0};
  sb_puts(&s, a);
  if (s.n && s.p[s.n - 1] != '/' && *b) sb_putc(&s, '/');
  sb_puts(&s, b);
  return sb_take(&s);
}

/* Add to `out` the regular files under root/rel (symbolic links are not
** followed: manpages-id's aliases are links) whose names end in `suffix`,
** as paths relative to root. Returns 0, or -1 if root/rel cannot be read. */
static int list_files(const char *root, const char *rel, const char *suffix,
                      strv *out, int depth) {
  char *dir = *rel ? path_join(root, rel) : xstrdup(root);
  DIR *d = opendir(dir);
  struct dirent *e;
  strv names = {0};
  size_t i;
  if (!d) {
    free(dir);
    return -1;
  }
  while ((e = readdir(d)) != NULL)
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
      sv_push(&names, xstrdup(e->d_name));
  closedir(d);
  if (names.n) qsort(names.v, names.n, sizeof *names.v, cmp_str);
  for (i = 0; i < names.n; i++) {
    char *full = path_join(dir, names.v[i]);
    char *sub = *rel ? path_join(rel, names.v[i]) : xstrdup(names.v[i]);
    struct stat st;
    if (lstat(full, &st) == 0) {
      if (S_ISDIR(st.st_mode) && depth < 32)
        list_files(root, sub, suffix, out, depth + 1);
      else if (S_ISREG(st.st_mode) && has_suffix(sub, suffix)) {
        sv_push(out, sub);
        sub = NULL;
      }
    }
    free(full);
    free(sub);
  }
  sv_free(&names);
  free(dir);
  return 0;
}

/**************************************************************************
** Clean text: collapsed white space, valid UTF-8
*/

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n) {
  size_t len, i;
  unsigned long cp;
  if (s[0] < 0x80) return 1;
  if (s[0] >= 0xC2 && s[0] <= 0xDF) len = 2, cp = s[0] & 0x1F;
  else if (s[0] >= 0xE0 && s[0] <= 0xEF) len = 3, cp = s[0] & 0x0F;
  else if (s[0] >= 0xF0 && s[0] <= 0xF4) len = 4, cp = s[0] & 0x07;
  else return 0;
  if (n < len) return 0;
  for (i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (s[i] & 0x3F);
  }
  if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
      (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
    return 0;
  return len;
}

static void utf8_put(sbuf *out, unsigned long cp) {
  char u[4];
  if (cp < 0x80) {
    u[0] = (char)cp;
    sb_add(out, u, 1);
  } else if (cp < 0x800) {
    u[0] = (char)(0xC0 | (cp >> 6));
    u[1] = (char)(0x80 | (cp & 0x3F));
    sb_add(out, u, 2);
  } else if (cp < 0x10000) {
    u[0] = (char)(0xE0 | (cp >> 12));
    u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[2] = (char)(0x80 | (cp & 0x3F));
    sb_add(out, u, 3);
  } else {
    u[0] = (char)(0xF0 | (cp >> 18));
    u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[3] = (char)(0x80 | (cp & 0x3F));
    sb_add(out, u, 4);
  }
}

/* What a character counts as for cleaning. */
enum { CH_TEXT, CH_SPACE, CH_DROP };

static int char_class(const unsigned char *s, size_t len) {
  if (len == 1)
    return s[0] > 0x20 && s[0] != 0x7F ? CH_TEXT : CH_SPACE;
  if (len == 2 && s[0] == 0xC2 && s[1] == 0xA0) return CH_SPACE; /* NBSP */
  if (len == 2 && s[0] == 0xC2 && s[1] < 0xA0) return CH_SPACE;  /* C1 */
  if (len == 3 && s[0] == 0xE2 && s[1] == 0x80) {
    if (s[2] <= 0x8A || s[2] == 0xAF) return CH_SPACE; /* U+2000..200A, 202F */
    if (s[2] == 0x8B) return CH_DROP;                  /* zero width space */
  }
  if (len == 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
    return CH_DROP; /* BOM */
  if (len == 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
    return CH_SPACE; /* ideographic space */
  return CH_TEXT;
}

/*
** Clean s[0..n): every run of white space (ASCII, no-break and the other
** Unicode spaces, control characters) becomes one space, zero-width
** characters go, invalid UTF-8 becomes U+FFFD. With `lines` set, "\n"
** separates lines: each is cleaned on its own, empty lines are dropped and
** the rest joined with "\n". No space or newline starts or ends the result.
** Returns a new string.
*/
static char *clean_text(const char *s, size_t n, int lines) {
  const unsigned char *u = (const unsigned char *)s;
  sbuf out = {0};
  int space = 0, newline = 0;
  size_t i = 0;
  sb_add(&out, "", 0);
  while (i < n) {
    size_t len = utf8_seq(u + i, n - i);
    int cls;
    if (len == 0) { /* invalid byte */
      if (out.n) sb_puts(&out, newline ? "\n" : space ? " " : "");
      space = newline = 0;
      utf8_put(&out, 0xFFFD);
      i++;
      continue;
    }
    if (u[i] == '\n' && lines) {
      newline = 1;
      i++;
      continue;
    }
    cls = char_class(u + i, len);
    if (cls == CH_SPACE) space = 1;
    else if (cls == CH_TEXT) {
      if (out.n) sb_puts(&out, newline ? "\n" : space ? " " : "");
      space = newline = 0;
      sb_add(&out, s + i, len);
    }
    i += len;
  }
  return sb_take(&out);
}

/* True when s has nothing but ASCII white space. */
static int blank(const char *s) {
  while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') s++;
  return *s == '\0';
}

/* ASCII lower-case copy (Indonesian needs no more). */
static char *fold(const char *s) {
  char *p = xstrdup(s), *q;
  for (q = p; *q; q++)
    if (*q >= 'A' && *q <= 'Z') *q = (char)(*q - 'A' + 'a');
  return p;
}

/* The next run of ASCII letters at or after *p, lower-cased into w (cap
** bytes); *shape (if not NULL) says how it was written: 0 in lower case,
** 2 all in capitals (two letters or more), 1 otherwise. Runs longer than
** cap-1 and runs glued to digits ("l10n", "x86") are skipped. Returns 0 at
** the end of s. */
static int next_word(const char **p, char *w, size_t cap, int *shape) {
  const char *s = *p;
  for (;;) {
    size_t n = 0, upper = 0;
    while (*s && !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))) s++;
    if (!*s) {
      *p = s;
      return 0;
    }
    while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')) {
      if (*s <= 'Z') upper++;
      if (n + 1 < cap) w[n] = (char)(*s <= 'Z' ? *s - 'A' + 'a' : *s);
      n++;
      s++;
    }
    if (n + 1 < cap && !(*s >= '0' && *s <= '9') &&
        !(n < (size_t)(s - *p) && s[-(long)n - 1] >= '0' && s[-(long)n - 1] <= '9')) {
      w[n] = '\0';
      if (shape) *shape = upper == 0 ? 0 : upper == n && n > 1 ? 2 : 1;
      *p = s;
      return 1;
    }
  }
}

/**************************************************************************
** Word sets: the hunspell dictionary (word -> flags) and function words
*/

typedef struct wentry {
  char *word;  /* lower case, UTF-8 */
  char *flags; /* hunspell's two-letter flags run together, "" if none */
} wentry;

/* An open-addressing hash set of words. Zero-initialise; wset_free(). */
typedef struct wset {
  wentry *slot;
  size_t cap, n;
} wset;

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

static const wentry *wset_find(const wset *ws, const char *w) {
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

static void wset_free(wset *ws) {
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
static int has_flag(const char *flags, const char *any) {
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
static int dic_load(wset *ws, const char *path) {
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

static void function_words_load(wset *fw) {
  size_t i;
  for (i = 0; i < sizeof id_function_words / sizeof *id_function_words; i++)
    wset_add(fw, id_function_words[i], "id");
  for (i = 0; i < sizeof en_function_words / sizeof *en_function_words; i++)
    wset_add(fw, en_function_words[i], "en");
}

/* 'i' for an Indonesian function word, 'e' for an English one, 0 else. */
static int function_word(const wset *fw, const char *w) {
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
static void lang_measure(const wset *fw, const char *s, long *en, long *id) {
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
static int is_english(long en, long id) { return en > id; }

/**************************************************************************
** Indonesian morphology: a few affix rules checked against hunspell
**
** A word is analysed by taking off one prefix and one suffix of the tables
** below (the nasal of meN-/peN- may have replaced the root's first letter:
** "menulis" = meN + tulis) and accepting the first root that id_ID.dic
** lists with a flag licensing that affix pair (hunspell's own markings:
** Mk = meN-...-kan, Pa = peN-...-an, ...). A trailing clitic (-nya, -lah,
** -kah, -ku, -mu) is taken off first if the word does not analyse whole.
** Words that id_ID.dic lists as they are ("berkas", "perangkat") are roots.
*/

enum { PFX_NONE, PFX_MEN, PFX_DI, PFX_TER, PFX_BER, PFX_MEMPER, PFX_DIPER,
       PFX_PEN, PFX_PER, PFX_KE };

/* How a prefix may be written: the letters, the root's first letter the
** nasal replaced ("" if none), and the letters the rest may start with
** (NULL: any). Tried in this order. */
typedef struct prefix_form {
  int prefix;
  const char *s, *restore, *next;
} prefix_form;

#define VOWELS "aeiou"
static const prefix_form prefix_forms[] = {
    {PFX_MEMPER, "memper", "", NULL},
    {PFX_DIPER, "diper", "", NULL},
    {PFX_MEN, "meng", "", VOWELS "ghk"},
    {PFX_MEN, "meng", "k", VOWELS},
    {PFX_MEN, "meny", "s", VOWELS},
    {PFX_MEN, "mem", "", "bfvp"},
    {PFX_MEN, "mem", "p", VOWELS},
    {PFX_MEN, "men", "", "cdjzts"},
    {PFX_MEN, "men", "t", VOWELS},
    {PFX_MEN, "me", "", "lmnrywv"},
    {PFX_MEN, "menge", "", NULL}, /* one-syllable roots: mengecat */
    {PFX_DI, "di", "", NULL},
    {PFX_TER, "ter", "", NULL},
    {PFX_TER, "te", "", "r"},
    {PFX_BER, "ber", "", NULL},
    {PFX_BER, "be", "", "r"},
    {PFX_PER, "per", "", NULL},
    {PFX_PEN, "peng", "", VOWELS "ghk"},
    {PFX_PEN, "peng", "k", VOWELS},
    {PFX_PEN, "peny", "s", VOWELS},
    {PFX_PEN, "pem", "", "bfvp"},
    {PFX_PEN, "pem", "p", VOWELS},
    {PFX_PEN, "pen", "", "cdjzts"},
    {PFX_PEN, "pen", "t", VOWELS},
    {PFX_PEN, "pe", "", "lmnrywv"},
    {PFX_PEN, "penge", "", NULL},
    {PFX_KE, "ke", "", NULL},
    {PFX_NONE, "", "", NULL},
};

/* An affix pair and the hunspell flags (two letters each, run together)
** of which the root must carry one. Suffixes are tried in table order. */
typedef struct affix_rule {
  int prefix;
  const char *suffix, *flags;
} affix_rule;

static const affix_rule affix_rules[] = {
    {PFX_MEMPER, "kan", "Mu"}, {PFX_MEMPER, "i", "Mt"}, {PFX_MEMPER, "", "MR"},
    {PFX_DIPER, "kan", "Du"},  {PFX_DIPER, "i", "Dt"},  {PFX_DIPER, "", "DR"},
    {PFX_MEN, "kan", "Mk"},    {PFX_MEN, "i", "Mi"},    {PFX_MEN, "", "M0"},
    {PFX_DI, "kan", "Dk"},     {PFX_DI, "i", "Di"},     {PFX_DI, "", "D0"},
    {PFX_TER, "kan", "TkTn"},  {PFX_TER, "i", "Ti"},    {PFX_TER, "", "T0"},
    {PFX_BER, "kan", "Bk"},    {PFX_BER, "an", "Ba"},   {PFX_BER, "", "B0"},
    {PFX_PER, "an", "Ra"},     {PFX_PEN, "an", "PaPfPgPl"},
    {PFX_PEN, "", "P0PEPGPK"}, {PFX_KE, "an", "KaKc"},
    {PFX_NONE, "kan", "k0MkDk"}, {PFX_NONE, "i", "i0MiDi"},
    {PFX_NONE, "an", "a0"},
};

static const char *const clitics[] = {"nya", "lah", "kah", "ku", "mu"};

/* An analysis: the root, the affixes taken off, whether a clitic was. */
typedef struct morph {
  char root[MAX_WORD];
  int prefix;         /* PFX_* */
  const char *suffix; /* "kan", "i", "an" or "" */
  int clitic;
  int whole;          /* the word itself is in the dictionary */
} morph;

static int analyse_affixes(const wset *dic, const char *w, morph *m) {
  size_t n = strlen(w), f, r;
  for (f = 0; f < sizeof prefix_forms / sizeof *prefix_forms; f++) {
    const prefix_form *pf = &prefix_forms[f];
    size_t pl = strlen(pf->s);
    if (!has_prefix(w, pf->s)) continue;
    if (pf->next && (!w[pl] || !strchr(pf->next, w[pl]))) continue;
    for (r = 0; r < sizeof affix_rules / sizeof *affix_rules; r++) {
      const affix_rule *ar = &affix_rules[r];
      size_t sl = strlen(ar->suffix), rl = strlen(pf->restore);
      const wentry *e;
      char root[MAX_WORD];
      if (ar->prefix != pf->prefix || !has_suffix(w, ar->suffix)) continue;
      if (pf->prefix == PFX_NONE && !*ar->suffix) continue;
      if (n < pl + sl + 2 || n - pl - sl + rl >= sizeof root) continue;
      memcpy(root, pf->restore, rl);
      memcpy(root + rl, w + pl, n - pl - sl);
      root[rl + n - pl - sl] = '\0';
      if (strlen(root) < 3 || !(e = wset_find(dic, root)) ||
          !has_flag(e->flags, ar->flags))
        continue;
      memcpy(m->root, root, strlen(root) + 1);
      m->prefix = pf->prefix;
      m->suffix = ar->suffix;
      return 1;
    }
  }
  return 0;
}

/* Analyse lower-case word w. Returns 1 with *m filled when w is a
** dictionary word or an affixed form of one, 0 otherwise. */
static int morph_analyse(const wset *dic, const char *w, morph *m) {
  size_t i, n = strlen(w);
  memset(m, 0, sizeof *m);
  m->suffix = "";
  if (n >= sizeof m->root) return 0;
  if (wset_find(dic, w)) {
    memcpy(m->root, w, n + 1);
    m->whole = 1;
    return 1;
  }
  if (analyse_affixes(dic, w, m)) return 1;
  for (i = 0; i < sizeof clitics / sizeof *clitics; i++) {
    char base[MAX_WORD];
    size_t k = strlen(clitics[i]);
    if (!has_suffix(w, clitics[i]) || n < k + 3) continue;
    memcpy(base, w, n - k);
    base[n - k] = '\0';
    if (wset_find(dic, base)) {
      memcpy(m->root, base, n - k + 1);
      m->clitic = 1;
      return 1;
    }
    if (analyse_affixes(dic, base, m)) {
      m->clitic = 1;
      return 1;
    }
  }
  return 0;
}

/* The meN- form of a root, as id_ID.aff writes it: meng- before vowels,
** g, h and k (which it replaces unless a consonant follows), mem- before
** b, f, v and p (replaced), men- before c, d, j, z and t (replaced),
** meny- for s, me- before l, m, n, r, y, w, menge- for one syllable. */
static void men_form(const char *root, char *out, size_t cap) {
  const char *pre, *rest = root;
  size_t syll = 0, i;
  char c = root[0], c1 = root[1];
  for (i = 0; root[i]; i++)
    if (strchr(VOWELS, root[i]) && (i == 0 || !strchr(VOWELS, root[i - 1])))
      syll++;
  if (syll <= 1) pre = "menge";
  else if (strchr(VOWELS "gh", c)) pre = "meng";
  else if (c == 'k') pre = "meng", rest = c1 && strchr("hlr", c1) ? root : root + 1;
  else if (strchr("bfv", c)) pre = "mem";
  else if (c == 'p') pre = "mem", rest = c1 && strchr("lr", c1) ? root : root + 1;
  else if (strchr("cdjz", c)) pre = "men";
  else if (c == 't') pre = "men", rest = c1 == 'r' ? root : root + 1;
  else if (c == 's') pre = "meny", rest = root + 1;
  else if (strchr("lmnrywv", c)) pre = "me";
  else pre = "meng";
  snprintf(out, cap, "%s%s", pre, rest);
}

/*
** Rewrite lower-case word w in another inflection, the root-form rules of
** corpus/DEBIAN.md:
**   1. verbs (meN-, di-, ter-, memper-, diper-, with or without -kan/-i)
**      become the imperative: the root with the same -kan/-i, per- kept for
**      memper-/diper- ("menyisipkan" -> "sisipkan", "dihapus" -> "hapus",
**      "memperbarui" -> "perbarui"); ber- verbs become the root;
**   2. nouns made with peN-...-an, per-...-an, ke-...-an or -an become the
**      root ("pengaturan" -> "atur", "tampilan" -> "tampil");
**   3. a bare imperative root-kan/root-i becomes the meN- verb when the
**      dictionary allows it ("gunakan" -> "menggunakan");
**   4. a clitic (-nya, -lah, ...) goes.
** peN- agent nouns ("pengguna") and dictionary words stay as they are.
** Returns 1 with the new form in out (cap bytes) when w changed, else 0.
*/
static int morph_rewrite(const wset *dic, const char *w, char *out,
                         size_t cap) {
  morph m;
  if (!morph_analyse(dic, w, &m)) return 0;
  if (m.whole) return 0;
  switch (m.prefix) {
  case PFX_MEN:
  case PFX_DI:
  case PFX_TER:
    snprintf(out, cap, "%s%s", m.root, strcmp(m.suffix, "an") ? m.suffix : "");
    break;
  case PFX_MEMPER:
  case PFX_DIPER:
    snprintf(out, cap, "per%s%s", m.root, m.suffix);
    break;
  case PFX_BER:
  case PFX_PER:
  case PFX_KE:
    snprintf(out, cap, "%s", m.root);
    break;
  case PFX_PEN:
    if (!*m.suffix) return 0; /* agent noun: its root means another thing */
    snprintf(out, cap, "%s", m.root);
    break;
  default: /* PFX_NONE: -kan, -i, -an, or only a clitic */
    if (strcmp(m.suffix, "kan") == 0 || strcmp(m.suffix, "i") == 0) {
      const wentry *e = wset_find(dic, m.root);
      char verb[2 * MAX_WORD];
      if (!e || !has_flag(e->flags, *m.suffix == 'k' ? "Mk" : "Mi")) {
        if (!m.clitic) return 0;
        snprintf(out, cap, "%s%s", m.root, m.suffix);
        break;
      }
      men_form(m.root, verb, sizeof verb);
      snprintf(out, cap, "%s%s", verb, m.suffix);
    } else
      snprintf(out, cap, "%s", m.root);
    break;
  }
  return strcmp(out, w) != 0;
}

/* True when w (lower case) is Indonesian as far as we can tell: a function
** word, a dictionary word, or an affixed form of one. */
static int known_indonesian(const wset *dic, const wset *fw, const char *w) {
  morph m;
  return function_word(fw, w) == 'i' || morph_analyse(dic, w, &m);
}

/*
** Is the short phrase s (a title, an index term) Indonesian? Words are the
** letter runs of two letters or more, acronyms (all capitals) aside; more
** must be known Indonesian than not, or as many when no English function
** word is among them ("tabel pivot" passes, "contour wrap" and "AutoCorrect
** function -- headings" do not). *content gets the number of words that
** are not function words of either language.
*/
static int indonesian_phrase(const wset *dic, const wset *fw, const char *s,
                             int *content) {
  char w[MAX_WORD];
  int known = 0, unknown = 0, english = 0, shape, cw = 0;
  while (next_word(&s, w, sizeof w, &shape)) {
    int k;
    if (strlen(w) < 2) continue;
    k = function_word(fw, w);
    if (!k) cw++;
    if (shape == 2) continue;
    if (k == 'e') english++;
    if (known_indonesian(dic, fw, w)) known++;
    else unknown++;
  }
  if (content) *content = cw;
  return known > 0 && (known > unknown || (known == unknown && !english));
}

/**************************************************************************
** Documents and the builder
*/

typedef struct doc {
  char *id, *title, *body, *url; /* owned; url may be NULL */
  const char *source;            /* static; also the article's tag */
} doc;

/* What became of one source's pages. */
typedef struct source_stats {
  const char *name;
  long pages, kept, english, empty, bad;
} source_stats;

/* An index term and the page it points at. */
typedef struct term {
  char *key, *text, *docid; /* key: the text folded; all owned */
} term;

typedef struct builder {
  doc *docs;
  size_t ndocs, capdocs;
  source_stats stats[32];
  size_t nstats;
  term *terms;
  size_t nterms, capterms;
  long terms_read, terms_english, terms_nopage;
  sbuf dropped;     /* dropped.tsv */
  wset dic;         /* id_ID.dic roots with their flags */
  wset fw;          /* function words */
} builder;

static source_stats *stats_for(builder *b, const char *name) {
  size_t i;
  for (i = 0; i < b->nstats; i++)
    if (strcmp(b->stats[i].name, name) == 0) return &b->stats[i];
  if (b->nstats == sizeof b->stats / sizeof *b->stats) die("too many sources");
  memset(&b->stats[b->nstats], 0, sizeof b->stats[0]);
  b->stats[b->nstats].name = name;
  return &b->stats[b->nstats++];
}

static void note_dropped(builder *b, const char *id, const char *why, long en,
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
static void add_doc(builder *b, const char *source, const char *id,
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

static void unreadable(builder *b, const char *source, const char *path,
                       const char *why) {
  source_stats *st = stats_for(b, source);
  st->pages++;
  st->bad++;
  fprintf(stderr, "debian_docs: %s: %s (skipped)\n", path, why);
}

/**************************************************************************
** HTML with gumbo: shared helpers
*/

static const char *g_attr(const GumboNode *n, const char *name) {
  const GumboAttribute *a;
  if (n->type != GUMBO_NODE_ELEMENT) return NULL;
  a = gumbo_get_attribute(&n->v.element.attributes, name);
  return a ? a->value : NULL;
}

/* True when n's class attribute holds the word cls. */
static int has_class(const GumboNode *n, const char *cls) {
  const char *c = g_attr(n, "class");
  size_t k = strlen(cls);
  while (c && *c) {
    size_t len;
    while (*c == ' ' || *c == '\t' || *c == '\n') c++;
    len = strcspn(c, " \t\n");
    if (len == k && strncmp(c, cls, k) == 0) return 1;
    c += len;
  }
  return 0;
}

static int is_block(GumboTag t) {
  switch (t) {
  case GUMBO_TAG_P: case GUMBO_TAG_DIV: case GUMBO_TAG_H1: case GUMBO_TAG_H2:
  case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6:
  case GUMBO_TAG_LI: case GUMBO_TAG_UL: case GUMBO_TAG_OL: case GUMBO_TAG_DL:
  case GUMBO_TAG_DT: case GUMBO_TAG_DD: case GUMBO_TAG_TABLE:
  case GUMBO_TAG_TR: case GUMBO_TAG_TD: case GUMBO_TAG_TH:
  case GUMBO_TAG_THEAD: case GUMBO_TAG_TBODY: case GUMBO_TAG_TFOOT:
  case GUMBO_TAG_CAPTION: case GUMBO_TAG_PRE: case GUMBO_TAG_BLOCKQUOTE:
  case GUMBO_TAG_SECTION: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_MAIN:
  case GUMBO_TAG_FIGURE: case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_HR:
  case GUMBO_TAG_ADDRESS: case GUMBO_TAG_BODY: case GUMBO_TAG_FIELDSET:
  case GUMBO_TAG_LEGEND: case GUMBO_TAG_DETAILS: case GUMBO_TAG_SUMMARY:
    return 1;
  default: return 0;
  }
}

/* Elements whose content is never text of the page. */
static int is_hidden_tag(GumboTag t) {
  switch (t) {
  case GUMBO_TAG_HEAD: case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE:
  case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_META:
  case GUMBO_TAG_IMG: case GUMBO_TAG_SVG: case GUMBO_TAG_MATH:
  case GUMBO_TAG_BUTTON: case GUMBO_TAG_INPUT: case GUMBO_TAG_SELECT:
  case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_NAV: case GUMBO_TAG_ASIDE:
  case GUMBO_TAG_FOOTER: case GUMBO_TAG_HEADER: case GUMBO_TAG_FORM:
    return 1;
  default: return 0;
  }
}

/* Append a text node: line breaks inside it are spaces unless `pre`. */
static void put_text(sbuf *out, const char *s, int pre) {
  size_t i, start = out->n;
  sb_puts(out, s);
  if (!pre)
    for (i = start; i < out->n; i++)
      if (out->p[i] == '\n' || out->p[i] == '\r') out->p[i] = ' ';
}

static const GumboVector *g_kids(const GumboNode *n) {
  if (n->type == GUMBO_NODE_DOCUMENT) return &n->v.document.children;
  if (n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE)
    return &n->v.element.children;
  return NULL;
}

/* The first element under n (n included) with this tag, or with this id
** when id is not NULL. */
static const GumboNode *g_find(const GumboNode *n, GumboTag tag,
                               const char *id, int depth) {
  const GumboVector *k = g_kids(n);
  unsigned i;
  if (n->type == GUMBO_NODE_ELEMENT) {
    const char *nid = g_attr(n, "id");
    if (id ? nid && strcmp(nid, id) == 0 : n->v.element.tag == tag) return n;
  }
  if (!k || depth > MAX_DEPTH) return NULL;
  for (i = 0; i < k->length; i++) {
    const GumboNode *f = g_find(k->data[i], tag, id, depth + 1);
    if (f) return f;
  }
  return NULL;
}

/* All the text under n, one line per block, no hidden elements. */
static void g_plain_text(const GumboNode *n, sbuf *out, int depth) {
  const GumboVector *k;
  unsigned i;
  int block;
  if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
      n->type == GUMBO_NODE_CDATA) {
    put_text(out, n->v.text.text, 0);
    return;
  }
  if (n->type != GUMBO_NODE_ELEMENT || depth > MAX_DEPTH) return;
  if (n->v.element.tag == GUMBO_TAG_BR) {
    sb_putc(out, '\n');
    return;
  }
  if (is_hidden_tag(n->v.element.tag) || g_attr(n, "hidden")) return;
  block = is_block(n->v.element.tag);
  if (block) sb_putc(out, '\n');
  k = g_kids(n);
  for (i = 0; k && i < k->length; i++) g_plain_text(k->data[i], out, depth + 1);
  if (block) sb_putc(out, '\n');
}

static GumboOutput *g_parse_file(const char *path, char **text) {
  size_t len;
  *text = read_file(path, &len);
  if (!*text) return NULL;
  return gumbo_parse_with_options(&kGumboDefaultOptions, *text, len);
}

/**************************************************************************
** LibreOffice help: the pages under text/, and the index in bookmarks.js
**
** A page is <title> plus the text of <div id="DisplayArea">, less what the
** help's script would not show: the bookmark keywords (<meta> and the stray
** words beside them, straight inside DisplayArea), "Topik Terkait" link
** lists, and hidden cases of switches. A switch shows one case: the one
** for Linux (class UNIX) or for the page's module (WRITER, CALC, ...),
** else its default; for another module, or another system without a
** default, nothing.
*/

typedef struct lo_page {
  const GumboNode *area; /* div#DisplayArea */
  const char *module;    /* WRITER, CALC, ... or NULL for shared pages */
} lo_page;

static const char *lo_module(const char *rel) {
  static const char *const map[][2] = {
      {"text/swriter/", "WRITER"}, {"text/scalc/", "CALC"},
      {"text/simpress/", "IMPRESS"}, {"text/sdraw/", "DRAW"},
      {"text/schart/", "CHART"}, {"text/smath/", "MATH"},
      {"text/sbasic/", "BASIC"}, {"text/sdatabase/", "DATABASE"}};
  size_t i;
  for (i = 0; i < sizeof map / sizeof *map; i++)
    if (has_prefix(rel, map[i][0])) return map[i][1];
  return NULL;
}

static const GumboNode *lo_case(const lo_page *pg, const GumboNode *sw) {
  const GumboVector *k = g_kids(sw);
  const GumboNode *mine = NULL, *dflt = NULL;
  unsigned i;
  for (i = 0; k && i < k->length; i++) {
    const GumboNode *c = k->data[i];
    const char *id = g_attr(c, "id");
    if (c->type != GUMBO_NODE_ELEMENT) continue;
    if (!mine && (has_class(c, "UNIX") || (pg->module && has_class(c, pg->module))))
      mine = c;
    else if (!dflt && id && has_prefix(id, "default"))
      dflt = c;
  }
  return mine ? mine : dflt;
}

static void lo_text(const lo_page *pg, const GumboNode *n, sbuf *out, int pre,
                    int depth);

static void lo_kids(const lo_page *pg, const GumboNode *n, sbuf *out, int pre,
                    int depth) {
  const GumboVector *k = g_kids(n);
  unsigned i;
  for (i = 0; k && i < k->length; i++) lo_text(pg, k->data[i], out, pre, depth);
}

static void lo_text(const lo_page *pg, const GumboNode *n, sbuf *out, int pre,
                    int depth) {
  GumboTag tag;
  int block;
  if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
      n->type == GUMBO_NODE_CDATA) {
    if (n->parent != pg->area) put_text(out, n->v.text.text, pre);
    return;
  }
  if (n->type != GUMBO_NODE_ELEMENT || depth > MAX_DEPTH) return;
  tag = n->v.element.tag;
  if (tag == GUMBO_TAG_BR) {
    sb_putc(out, '\n');
    return;
  }
  if (is_hidden_tag(tag) || has_class(n, "relatedtopics")) return;
  if (has_class(n, "switch") || has_class(n, "switchinline")) {
    const GumboNode *c = lo_case(pg, n);
    if (c) lo_kids(pg, c, out, pre, depth + 1);
    return;
  }
  if (g_attr(n, "hidden")) return;
  block = is_block(tag);
  if (block) sb_putc(out, '\n');
  lo_kids(pg, n, out, pre || tag == GUMBO_TAG_PRE, depth + 1);
  if (block) sb_putc(out, '\n');
}

static void lo_page_read(builder *b, const char *dir, const char *rel,
                         const char *url_base) {
  char *path = path_join(dir, rel), *text, *id, *url, *stem;
  GumboOutput *g = g_parse_file(path, &text);
  const GumboNode *title;
  lo_page pg;
  sbuf t = {0}, body = {0};
  if (!g) {
    unreadable(b, "libreoffice-help", path, strerror(errno));
    free(path);
    free(text);
    return;
  }
  pg.area = g_find(g->root, GUMBO_TAG_UNKNOWN, "DisplayArea", 0);
  pg.module = lo_module(rel);
  title = g_find(g->root, GUMBO_TAG_TITLE, NULL, 0);
  if (title) g_plain_text(title, &t, 0);
  if (blank(sb_str(&t)) && pg.area) {
    const GumboNode *h1 = g_find(pg.area, GUMBO_TAG_H1, NULL, 0);
    if (h1) g_plain_text(h1, &t, 0);
  }
  if (pg.area) lo_text(&pg, pg.area, &body, 0, 0);
  stem = xstrndup(rel, strlen(rel) - strlen(".html"));
  id = cat3("lo:", stem, "");
  url = url_base ? cat3(url_base, rel, "") : NULL;
  if (!pg.area) unreadable(b, "libreoffice-help", path, "no DisplayArea");
  else add_doc(b, "libreoffice-help", id, sb_str(&t), sb_str(&body), url);
  gumbo_destroy_output(&kGumboDefaultOptions, g);
  sb_free(&t);
  sb_free(&body);
  free(text);
  free(path);
  free(stem);
  free(id);
  free(url);
}

/* Decode the HTML character references &#N; &#xN; &amp; &lt; &gt; &quot;
** &apos; of s[0..n) into out; others stay as written. */
static void decode_entities(sbuf *out, const char *s, size_t n) {
  static const char *const named[][2] = {{"amp", "&"}, {"lt", "<"},
      {"gt", ">"}, {"quot", "\""}, {"apos", "'"}, {"nbsp", "\xC2\xA0"}};
  size_t i = 0;
  while (i < n) {
    const char *semi;
    size_t k;
    if (s[i] != '&' ||
        !(semi = memchr(s + i, ';', n - i < 12 ? n - i : 12))) {
      sb_add(out, s + i, 1);
      i++;
      continue;
    }
    k = (size_t)(semi - (s + i + 1));
    if (k > 1 && s[i + 1] == '#') {
      char num[12], *end;
      int hex = s[i + 2] == 'x' || s[i + 2] == 'X';
      unsigned long cp;
      memcpy(num, s + i + 2 + hex, k - 1 - hex);
      num[k - 1 - hex] = '\0';
      cp = strtoul(num, &end, hex ? 16 : 10);
      if (*num && !*end && cp > 0 && cp <= 0x10FFFF &&
          !(cp >= 0xD800 && cp <= 0xDFFF)) {
        utf8_put(out, cp);
        i += k + 2;
        continue;
      }
    } else {
      size_t j;
      for (j = 0; j < sizeof named / sizeof *named; j++)
        if (strlen(named[j][0]) == k && memcmp(s + i + 1, named[j][0], k) == 0)
          break;
      if (j < sizeof named / sizeof *named) {
        sb_puts(out, named[j][1]);
        i += k + 2;
        continue;
      }
    }
    sb_add(out, s + i, 1);
    i++;
  }
}

/*
** An index term as a query: the help writes a term and its subterm as
** "term -- subterm" (";" in the XHP sources); both become plain words, and
** the commas and colons left at the ends of parts go. Returns a new string.
*/
static char *index_term_text(const char *raw) {
  sbuf parts = {0};
  const char *p = raw;
  char *out;
  while (*p) {
    const char *e = p, *s = p;
    while (*e && *e != ';' && !(e[0] == '-' && e[1] == '-')) e++;
    while (s < e && strchr(" \t,:;", *s)) s++;
    {
      const char *t = e;
      while (t > s && strchr(" \t,:;", t[-1])) t--;
      if (t > s) {
        if (parts.n) sb_putc(&parts, ' ');
        sb_add(&parts, s, (size_t)(t - s));
      }
    }
    p = *e == ';' ? e + 1 : *e ? e + 2 : e;
  }
  out = clean_text(sb_str(&parts), parts.n, 0);
  sb_free(&parts);
  return out;
}

/* The value of `key:"..."` in one bookmarks.js line, JavaScript escapes
** and then HTML references decoded, or NULL. Returns a new string. */
static char *js_field(const char *line, const char *key) {
  const char *p = strstr(line, key);
  sbuf raw = {0}, out = {0};
  if (!p) return NULL;
  p += strlen(key);
  if (*p++ != '"') return NULL;
  for (; *p && *p != '"'; p++) {
    if (*p == '\\' && p[1]) {
      p++;
      sb_putc(&raw, *p == 'n' ? ' ' : *p == 't' ? ' ' : *p);
    } else
      sb_putc(&raw, *p);
  }
  if (*p != '"') {
    sb_free(&raw);
    return NULL;
  }
  decode_entities(&out, sb_str(&raw), raw.n);
  sb_free(&raw);
  return sb_take(&out);
}

/* Read bookmarks.js: {url:"id/text/....html?DbPAR=..#bm_..", app:"..",
** text:"term -- subterm"}, one a line. Terms are kept with the page id they
** point at; which pages exist is checked later. */
static int lo_index_read(builder *b, const char *path) {
  size_t len, i = 0;
  char *text = read_file(path, &len);
  if (!text) return -1;
  while (i < len) {
    size_t end = i;
    char *line, *url, *raw;
    while (end < len && text[end] != '\n') end++;
    line = xstrndup(text + i, end - i);
    i = end + 1;
    url = js_field(line, "url:");
    raw = js_field(line, "text:");
    if (url && raw) {
      const char *rel = strstr(url, "text/");
      size_t n = rel ? strcspn(rel, "?#") : 0;
      char *q = index_term_text(raw);
      b->terms_read++;
      if (n > 5 && has_prefix(rel + n - 5, ".html") && *q) {
        term *t;
        sbuf id = {0};
        if (b->nterms == b->capterms) {
          b->capterms = b->capterms ? 2 * b->capterms : 1024;
          b->terms = xrealloc(b->terms, b->capterms * sizeof *b->terms);
        }
        sb_puts(&id, "lo:");
        sb_add(&id, rel, n - 5);
        t = &b->terms[b->nterms++];
        t->text = q;
        t->key = fold(q);
        t->docid = sb_take(&id);
        q = NULL;
      }
      free(q);
    }
    free(url);
    free(raw);
    free(line);
  }
  free(text);
  return 0;
}

static void lo_read(builder *b, const char *dir, const char *url_base) {
  strv files = {0};
  char *text_dir = path_join(dir, "text"), *bm;
  size_t i;
  if (list_files(dir, "text", ".html", &files, 0) != 0)
    die("%s: %s", text_dir, strerror(errno));
  for (i = 0; i < files.n; i++) lo_page_read(b, dir, files.v[i], url_base);
  bm = path_join(dir, "bookmarks.js");
  if (lo_index_read(b, bm) != 0)
    fprintf(stderr, "debian_docs: %s: %s (no index queries)\n", bm,
            strerror(errno));
  free(bm);
  free(text_dir);
  sv_free(&files);
}

/**************************************************************************
** Debian Reference: DocBook HTML, one article per section
**
** Each chapter file is cut at its sections down to the third heading level
** (chapter, section, subsection): a section's article is its own text up
** to its first subsection, titled by its heading without the number
** ("1.1.1. Prompt shell" -> "Prompt shell"). Deeper sections stay inside
** their parent with their heading as a line. Tables of contents and the
** navigation bars go.
*/

#define DR_LEVELS 8

typedef struct dr_ctx {
  builder *b;
  const char *file, *url_base; /* file name, for the URL */
  sbuf open[DR_LEVELS];        /* the bodies of the sections being read */
  int depth;
} dr_ctx;

/* The heading element of a DocBook section: h1..h6 in its div.titlepage. */
static const GumboNode *dr_heading(const GumboNode *sec, int *level) {
  const GumboVector *k = g_kids(sec);
  unsigned i;
  for (i = 0; k && i < k->length; i++) {
    const GumboNode *tp = k->data[i], *h;
    GumboTag t;
    if (tp->type != GUMBO_NODE_ELEMENT || !has_class(tp, "titlepage")) continue;
    for (t = GUMBO_TAG_H1; t <= GUMBO_TAG_H6; t++)
      if ((h = g_find(tp, t, NULL, 0)) != NULL) {
        *level = (int)(t - GUMBO_TAG_H1) + 1;
        return h;
      }
  }
  return NULL;
}

/* "Bab 1. Tutorial", "1.2.3. Prompt", "A.1. Lampiran" lose the label. */
static char *dr_title(const char *heading) {
  char *t = clean_text(heading, strlen(heading), 0), *p = t;
  size_t n;
  if (has_prefix(p, "Bab ") || has_prefix(p, "Lampiran ")) {
    char *sp = strchr(p, ' ') + 1;
    n = strcspn(sp, " ");
    if (n && sp[n - 1] == '.' && sp[n] == ' ') p = sp;
  }
  n = strcspn(p, " ");
  if (n > 1 && p[n - 1] == '.' && p[n] == ' ' && strspn(p, "0123456789ABCDEFGHIJ.") == n)
    p += n + 1;
  memmove(t, p, strlen(p) + 1);
  return t;
}

/* The id of the last <a id> in a heading. The XHTML writes <a id="x"/>,
** which HTML parsing leaves open, so gumbo clones it into later headings
** ahead of their own anchor. */
static const char *dr_anchor(const GumboNode *n, const char *last, int depth) {
  const GumboVector *k = g_kids(n);
  unsigned i;
  if (n->type == GUMBO_NODE_ELEMENT && n->v.element.tag == GUMBO_TAG_A &&
      g_attr(n, "id"))
    last = g_attr(n, "id");
  for (i = 0; k && i < k->length && depth < MAX_DEPTH; i++)
    last = dr_anchor(k->data[i], last, depth + 1);
  return last;
}

static void dr_walk(dr_ctx *c, const GumboNode *n, int pre, int depth);

static void dr_kids(dr_ctx *c, const GumboNode *n, int pre, int depth) {
  const GumboVector *k = g_kids(n);
  unsigned i;
  for (i = 0; k && i < k->length; i++) dr_walk(c, k->data[i], pre, depth);
}

/* One article: the section's own text, less its heading and the
** subsections dr_walk() makes articles of their own. */
static void dr_section(dr_ctx *c, const GumboNode *sec, const GumboNode *h,
                       int depth) {
  const char *anchor = dr_anchor(h, NULL, 0);
  const GumboVector *k = g_kids(sec);
  sbuf ht = {0}, *body = &c->open[c->depth];
  unsigned i;
  if (!anchor) anchor = g_attr(sec, "id");
  memset(body, 0, sizeof *body);
  c->depth++;
  for (i = 0; k && i < k->length; i++)
    if (!has_class(k->data[i], "titlepage")) dr_walk(c, k->data[i], 0, depth + 1);
  c->depth--;
  if (!anchor) {
    unreadable(c->b, "debian-reference", c->file, "a section without an id");
  } else {
    char *title, *id = cat3("debref:", anchor, ""), *url = NULL;
    g_plain_text(h, &ht, 0);
    title = dr_title(sb_str(&ht));
    if (c->url_base) {
      char *page = cat3(c->url_base, c->file, "#");
      url = cat3(page, anchor, "");
      free(page);
    }
    add_doc(c->b, "debian-reference", id, title, sb_str(body), url);
    free(title);
    free(id);
    free(url);
  }
  sb_free(&ht);
  sb_free(body);
}

static void dr_walk(dr_ctx *c, const GumboNode *n, int pre, int depth) {
  sbuf *out = c->depth ? &c->open[c->depth - 1] : NULL;
  GumboTag tag;
  int block, level = 0;
  const GumboNode *h;
  if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
      n->type == GUMBO_NODE_CDATA) {
    if (out) put_text(out, n->v.text.text, pre);
    return;
  }
  if (n->type != GUMBO_NODE_ELEMENT || depth > MAX_DEPTH) return;
  tag = n->v.element.tag;
  if (is_hidden_tag(tag) || g_attr(n, "hidden") || has_class(n, "toc") ||
      has_class(n, "navheader") || has_class(n, "navfooter") ||
      has_class(n, "list-of-tables") || has_class(n, "list-of-figures"))
    return;
  if (tag == GUMBO_TAG_BR) {
    if (out) sb_putc(out, '\n');
    return;
  }
  if ((has_class(n, "chapter") || has_class(n, "section") ||
       has_class(n, "preface") || has_class(n, "appendix")) &&
      (h = dr_heading(n, &level)) != NULL && level <= 3 &&
      c->depth < DR_LEVELS) {
    dr_section(c, n, h, depth);
    return;
  }
  if (has_class(n, "titlepage")) { /* of a section too deep to cut at */
    const GumboNode *hd = dr_heading(n->parent, &level);
    if (hd && out) {
      sbuf ht = {0};
      char *t;
      g_plain_text(hd, &ht, 0);
      t = dr_title(sb_str(&ht));
      sb_putc(out, '\n');
      sb_puts(out, t);
      sb_putc(out, '\n');
      free(t);
      sb_free(&ht);
    }
    return;
  }
  block = is_block(tag);
  if (block && out) sb_putc(out, '\n');
  dr_kids(c, n, pre || tag == GUMBO_TAG_PRE, depth + 1);
  if (block && out) sb_putc(out, '\n');
}

static void debref_read(builder *b, const char *dir, const char *url_base) {
  strv files = {0};
  size_t i;
  if (list_files(dir, "", ".html", &files, 0) != 0)
    die("%s: %s", dir, strerror(errno));
  for (i = 0; i < files.n; i++) {
    char *path, *text;
    GumboOutput *g;
    dr_ctx c;
    /* Chapters, preface, appendices; not the book's table of contents. */
    if (has_prefix(files.v[i], "index.")) continue;
    path = path_join(dir, files.v[i]);
    g = g_parse_file(path, &text);
    if (!g) {
      unreadable(b, "debian-reference", path, strerror(errno));
    } else {
      memset(&c, 0, sizeof c);
      c.b = b;
      c.file = files.v[i];
      c.url_base = url_base;
      dr_walk(&c, g->root, 0, 0);
      gumbo_destroy_output(&kGumboDefaultOptions, g);
    }
    free(text);
    free(path);
  }
  sv_free(&files);
}

/**************************************************************************
** A small XML reader for Mallard pages
**
** Mallard pages are well-formed XML written by itstool. This reads what
** they use into a tree: elements with attributes, text, CDATA, the five
** predefined entities and character references; comments, processing
** instructions and the DOCTYPE are skipped. No DTD, no namespaces (names
** are kept as written, "if:when"), no validation; a mismatched or unclosed
** tag is an error with its line number. Nesting deeper than MAX_DEPTH is
** an error too, so the recursive walks below stay bounded.
*/

typedef struct xnode xnode;
struct xnode {
  char *name;   /* element name as written; NULL for a text node */
  char *text;   /* a text node's characters, entities decoded */
  char **attr;  /* nattr pairs: attr[2i] name, attr[2i+1] value */
  size_t nattr;
  xnode **kid;
  size_t nkid, capkid;
  xnode *parent;
};

static xnode *xnode_add(xnode *parent, char *name, char *text) {
  xnode *n = xmalloc(sizeof *n);
  memset(n, 0, sizeof *n);
  n->name = name;
  n->text = text;
  n->parent = parent;
  if (parent) {
    if (parent->nkid == parent->capkid) {
      parent->capkid = parent->capkid ? 2 * parent->capkid : 4;
      parent->kid = xrealloc(parent->kid, parent->capkid * sizeof *parent->kid);
    }
    parent->kid[parent->nkid++] = n;
  }
  return n;
}

static void xml_free(xnode *n) {
  size_t i;
  if (!n) return;
  for (i = 0; i < n->nkid; i++) xml_free(n->kid[i]);
  for (i = 0; i < 2 * n->nattr; i++) free(n->attr[i]);
  free(n->attr);
  free(n->kid);
  free(n->name);
  free(n->text);
  free(n);
}

static const char *xml_attr(const xnode *n, const char *name) {
  size_t i;
  for (i = 0; i < n->nattr; i++)
    if (strcmp(n->attr[2 * i], name) == 0) return n->attr[2 * i + 1];
  return NULL;
}

/* The element name without its namespace prefix. */
static const char *xml_local(const xnode *n) {
  const char *c = strchr(n->name, ':');
  return c ? c + 1 : n->name;
}

static int xml_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static size_t xml_name_len(const char *s, size_t n) {
  size_t i = 0;
  while (i < n && !xml_space(s[i]) && !strchr("<>/=\"'", s[i])) i++;
  return i;
}

/* Parse s[0..n). Returns the document node (its kids: the root element),
** or NULL with a message in err. */
static xnode *xml_parse(const char *s, size_t n, char *err, size_t errcap) {
  xnode *top = xnode_add(NULL, xstrdup(""), NULL), *cur = top;
  size_t i = 0, line = 1, k;
  int depth = 0;
  const char *why = NULL;
  while (i < n && !why) {
    const char *e;
    if (s[i] != '<') {
      sbuf t = {0};
      size_t j = i;
      while (j < n && s[j] != '<') j++;
      decode_entities(&t, s + i, j - i);
      xnode_add(cur, NULL, sb_take(&t));
      i = j;
    } else if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
      if (!(e = find_seq(s + i + 4, n - i - 4, "-->"))) why = "unclosed comment";
      else i = (size_t)(e - s) + 3;
    } else if (n - i >= 9 && memcmp(s + i, "<![CDATA[", 9) == 0) {
      if (!(e = find_seq(s + i + 9, n - i - 9, "]]>"))) why = "unclosed CDATA";
      else {
        xnode_add(cur, NULL, xstrndup(s + i + 9, (size_t)(e - s) - i - 9));
        i = (size_t)(e - s) + 3;
      }
    } else if (n - i >= 2 && s[i + 1] == '?') {
      if (!(e = find_seq(s + i + 2, n - i - 2, "?>"))) why = "unclosed <?";
      else i = (size_t)(e - s) + 2;
    } else if (n - i >= 2 && s[i + 1] == '!') { /* DOCTYPE [subset] */
      int br = 0;
      size_t j = i + 2;
      while (j < n && (s[j] != '>' || br > 0)) {
        if (s[j] == '[') br++;
        else if (s[j] == ']') br--;
        j++;
      }
      if (j >= n) why = "unclosed <!";
      else i = j + 1;
    } else if (n - i >= 2 && s[i + 1] == '/') {
      k = xml_name_len(s + i + 2, n - i - 2);
      if (cur == top || strlen(cur->name) != k ||
          memcmp(cur->name, s + i + 2, k) != 0)
        why = "end tag does not match the open element";
      else {
        size_t j = i + 2 + k;
        while (j < n && xml_space(s[j])) j++;
        if (j >= n || s[j] != '>') why = "bad end tag";
        else {
          cur = cur->parent;
          depth--;
          i = j + 1;
        }
      }
    } else {
      xnode *el;
      size_t j = i + 1;
      k = xml_name_len(s + j, n - j);
      if (!k) {
        why = "bad start tag";
        break;
      }
      el = xnode_add(cur, xstrndup(s + j, k), NULL);
      j += k;
      for (;;) {
        size_t an, vs;
        char q;
        sbuf v = {0};
        while (j < n && xml_space(s[j])) j++;
        if (j < n && s[j] == '>') {
          cur = el;
          if (++depth > MAX_DEPTH) why = "nested too deeply";
          j++;
          break;
        }
        if (j + 1 < n && s[j] == '/' && s[j + 1] == '>') {
          j += 2;
          break;
        }
        an = xml_name_len(s + j, n - j);
        vs = j + an;
        while (vs < n && xml_space(s[vs])) vs++;
        if (!an || vs >= n || s[vs] != '=') {
          why = "bad attribute";
          break;
        }
        vs++;
        while (vs < n && xml_space(s[vs])) vs++;
        if (vs >= n || (s[vs] != '"' && s[vs] != '\'')) {
          why = "unquoted attribute";
          break;
        }
        q = s[vs++];
        e = memchr(s + vs, q, n - vs);
        if (!e) {
          why = "unclosed attribute";
          break;
        }
        decode_entities(&v, s + vs, (size_t)(e - s) - vs);
        el->attr = xrealloc(el->attr, 2 * (el->nattr + 1) * sizeof *el->attr);
        el->attr[2 * el->nattr] = xstrndup(s + j, an);
        el->attr[2 * el->nattr + 1] = sb_take(&v);
        el->nattr++;
        j = (size_t)(e - s) + 1;
      }
      i = j;
    }
  }
  if (!why && cur != top) why = "unclosed element";
  if (why) {
    size_t j;
    for (j = 0; j < i && j < n; j++) line += s[j] == '\n';
    snprintf(err, errcap, "line %zu: %s", line, why);
    xml_free(top);
    return NULL;
  }
  return top;
}

/**************************************************************************
** GNOME help: Mallard pages
**
** A page is its <title> and the text of its blocks; from <info> only the
** <desc> (the page's one-line summary) is kept. Media fallbacks (English
** captions), link lists, editorial comments and credits go. Key sequences
** are written "Ctrl+F".
*/

static int name_in(const char *name, const char *const *list) {
  for (; *list; list++)
    if (strcmp(name, *list) == 0) return 1;
  return 0;
}

static const char *const mal_skip[] = {"info", "comment", "media", "links",
    "credit", "license", "include", "revision", NULL};
static const char *const mal_block[] = {"p", "title", "subtitle", "desc",
    "item", "list", "steps", "terms", "tree", "note", "section", "figure",
    "listing", "example", "screen", "synopsis", "quote", "table", "tr", "td",
    "th", "thead", "tbody", "div", "page", "card", NULL};

static void mal_text(const xnode *n, sbuf *out, int pre, int depth) {
  const char *nm;
  size_t i;
  int block, sep = 0;
  if (!n->name) {
    put_text(out, n->text, pre);
    return;
  }
  if (depth > MAX_DEPTH) return;
  nm = xml_local(n);
  if (name_in(nm, mal_skip)) return;
  block = name_in(nm, mal_block);
  pre = pre || strcmp(nm, "screen") == 0 || strcmp(nm, "code") == 0;
  if (block) sb_putc(out, '\n');
  for (i = 0; i < n->nkid; i++) {
    if (strcmp(nm, "keyseq") == 0) { /* Ctrl+F: keys only, joined by + */
      if (!n->kid[i]->name) continue;
      if (sep++) sb_putc(out, '+');
    }
    mal_text(n->kid[i], out, pre, depth + 1);
  }
  if (block) sb_putc(out, '\n');
}

static const xnode *xml_child(const xnode *n, const char *local) {
  size_t i;
  for (i = 0; i < n->nkid; i++)
    if (n->kid[i]->name && strcmp(xml_local(n->kid[i]), local) == 0 &&
        !xml_attr(n->kid[i], "type"))
      return n->kid[i];
  return NULL;
}

static void mallard_read(builder *b, const char *name, const char *dir) {
  strv files = {0};
  size_t i;
  if (list_files(dir, "", ".page", &files, 0) != 0)
    die("%s: %s", dir, strerror(errno));
  for (i = 0; i < files.n; i++) {
    char *path = path_join(dir, files.v[i]), *text, err[128];
    size_t len, j;
    xnode *xdoc = NULL;
    const xnode *page = NULL, *title, *info, *desc;
    sbuf t = {0}, body = {0}, id = {0};
    text = read_file(path, &len);
    if (!text) {
      unreadable(b, name, path, strerror(errno));
      free(path);
      continue;
    }
    xdoc = xml_parse(text, len, err, sizeof err);
    for (j = 0; xdoc && j < xdoc->nkid; j++)
      if (xdoc->kid[j]->name) page = xdoc->kid[j];
    if (!xdoc || !page || strcmp(xml_local(page), "page") != 0) {
      unreadable(b, name, path, xdoc ? "not a Mallard page" : err);
    } else {
      title = xml_child(page, "title");
      if (title) mal_text(title, &t, 0, 0);
      info = xml_child(page, "info");
      desc = info ? xml_child(info, "desc") : NULL;
      if (desc) mal_text(desc, &body, 0, 0);
      for (j = 0; j < page->nkid; j++)
        if (page->kid[j] != title) mal_text(page->kid[j], &body, 0, 1);
      sb_puts(&id, "gnome:");
      sb_puts(&id, name);
      sb_putc(&id, '/');
      sb_add(&id, files.v[i], strlen(files.v[i]) - strlen(".page"));
      add_doc(b, name, sb_str(&id), sb_str(&t), sb_str(&body), NULL);
    }
    xml_free(xdoc);
    sb_free(&t);
    sb_free(&body);
    sb_free(&id);
    free(text);
    free(path);
  }
  sv_free(&files);
}

/**************************************************************************
** manpages-id: roff, read minimally
**
** The title is the NAME (NAMA) line, "chmod - mengubah bit-bit mode
** berkas"; the body is the rest: section headings as lines, macro
** arguments and text lines as text, font changes and other escapes gone,
** the common special characters translated. The sections every page has
** around its content go: the translators' note po4a adds (TERJEMAHAN),
** bug address, copyright, authors, availability and cross-references. Requests that only format
** (.nh, .ad, .ds, ...), macro definitions and tbl format lines are
** skipped. No roff evaluation: conditionals' text is kept or dropped
** whole (dropped), registers and strings read as nothing (\*(Aq as ').
*/

static const char *roff_special(const char *name, size_t n) {
  static const char *const map[][2] = {
      {"em", "\xE2\x80\x94"}, {"en", "\xE2\x80\x93"}, {"hy", "-"},
      {"aq", "'"}, {"dq", "\""}, {"lq", "\xE2\x80\x9C"},
      {"rq", "\xE2\x80\x9D"}, {"oq", "\xE2\x80\x98"}, {"cq", "\xE2\x80\x99"},
      {"bu", "\xE2\x80\xA2"}, {"co", "\xC2\xA9"}, {"rg", "\xC2\xAE"},
      {"tm", "\xE2\x84\xA2"}, {"mu", "\xC3\x97"}, {"de", "\xC2\xB0"},
      {"ti", "~"}, {"ha", "^"}, {"rs", "\\"}, {"sl", "/"}, {"ga", "`"},
      {"ul", "_"}, {"pl", "+"}, {"mi", "-"}, {"eq", "="}, {"->", "\xE2\x86\x92"},
      {"<-", "\xE2\x86\x90"}, {">=", "\xE2\x89\xA5"}, {"<=", "\xE2\x89\xA4"},
      {"Aq", "'"}, {"lh", ""}, {"rh", ""}};
  size_t i;
  for (i = 0; i < sizeof map / sizeof *map; i++)
    if (strlen(map[i][0]) == n && memcmp(map[i][0], name, n) == 0)
      return map[i][1];
  return "";
}

/* The length of an escape's argument at s: X, (XX or [XXX]. */
static size_t roff_arg(const char *s, const char **name, size_t *n) {
  if (*s == '(' && s[1] && s[2]) {
    *name = s + 1, *n = 2;
    return 3;
  }
  if (*s == '[') {
    const char *e = strchr(s, ']');
    if (e) {
      *name = s + 1, *n = (size_t)(e - s - 1);
      return (size_t)(e - s) + 1;
    }
  }
  *name = s, *n = *s ? 1 : 0;
  return *n;
}

/* Text of one roff line, escapes resolved, appended to out. */
static void roff_text(sbuf *out, const char *s) {
  while (*s) {
    const char *name;
    size_t n;
    if (*s != '\\') {
      sb_putc(out, *s == '\t' ? ' ' : *s);
      s++;
      continue;
    }
    s++;
    switch (*s) {
    case '\0': return;
    case '"': return; /* comment */
    case 'f': case 'n': case 'F': case 'g': case 'k': case 'm': case 'M':
      s++;
      s += roff_arg(s, &name, &n);
      break;
    case 's':
      s++;
      if (*s == '+' || *s == '-') s++;
      if (*s == '(' || *s == '[') s += roff_arg(s, &name, &n);
      else while (*s >= '0' && *s <= '9') s++;
      break;
    case '(': case '[':
      s += roff_arg(s, &name, &n);
      sb_puts(out, roff_special(name, n));
      break;
    case '*':
      s++;
      s += roff_arg(s, &name, &n);
      sb_puts(out, roff_special(name, n));
      break;
    case 'h': case 'v': case 'w': case 'l': case 'L': case 'o': case 'Z':
    case 'b': case 'D': case 'x': case 'X': case 'A': case 'B': case 'C':
    case 'N': case 'R': case 'S': case 'Y': {
      char q = s[1];
      const char *e = q ? strchr(s + 2, q) : NULL;
      s = e ? e + 1 : s + 1 + (q != '\0');
      break;
    }
    case '-': sb_putc(out, '-'); s++; break;
    case 'e': case '\\': sb_putc(out, '\\'); s++; break;
    case ' ': case '~': case '0': sb_putc(out, ' '); s++; break;
    case '\'': sb_putc(out, '\''); s++; break;
    case '`': sb_putc(out, '`'); s++; break;
    case '.': sb_putc(out, '.'); s++; break;
    case 'c': /* joins with the next line: drop the line's newline */
      s++;
      break;
    default: /* \& \| \^ \/ \, \: \) \% \{ \} and the unknown: nothing */
      s++;
      break;
    }
  }
}

/* Split a macro's arguments: spaces separate, "quoted args" keep theirs. */
static void roff_args(const char *s, strv *args) {
  while (*s) {
    sbuf a = {0};
    while (*s == ' ' || *s == '\t') s++;
    if (!*s) break;
    if (*s == '"') {
      s++;
      while (*s && !(*s == '"' && s[1] != '"')) {
        if (*s == '"') s++;
        sb_putc(&a, *s++);
      }
      if (*s) s++;
    } else
      while (*s && *s != ' ' && *s != '\t') sb_putc(&a, *s++);
    sv_push(args, sb_take(&a));
  }
}

static const char *const man_skip[] = {"TERJEMAHAN", "MELAPORKAN BUG",
    "HAK CIPTA", "PENGARANG", "PENULIS", "KETERSEDIAAN", "LIHAT JUGA",
    "TRANSLATION", "REPORTING BUGS", "COPYRIGHT", "AUTHOR", "AUTHORS",
    "AVAILABILITY", "SEE ALSO", NULL};

static void man_read(builder *b, const char *dir, const char *url_base) {
  strv files = {0};
  size_t f;
  if (list_files(dir, "", "", &files, 0) != 0) die("%s: %s", dir, strerror(errno));
  for (f = 0; f < files.n; f++) {
    const char *rel = files.v[f], *base = strrchr(rel, '/');
    char *path, *text, *line, *save = NULL;
    sbuf name = {0}, body = {0}, id = {0}, url = {0}, skipped = {0};
    int in_name = 0, skip_def = 0, skip_sec = 0, tbl = 0, tag = 0;
    base = base ? base + 1 : rel;
    /* manN/page.N only: no compressed or other files. */
    if (!has_prefix(rel, "man") || !strchr(base, '.') ||
        strchr(base, '.')[1] < '1' || strchr(base, '.')[1] > '9')
      continue;
    path = path_join(dir, rel);
    text = read_file(path, NULL);
    if (!text) {
      unreadable(b, "manpages", path, strerror(errno));
      free(path);
      continue;
    }
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
      sbuf *out = in_name ? &name : skip_sec ? &skipped : &body;
      if (skip_def) { /* up to "..", which may be written ".  ." */
        const char *p = line + (*line == '.');
        while (*p == ' ' || *p == '\t') p++;
        if (*line == '.' && *p == '.' && p[1 + strspn(p + 1, " \t")] == '\0')
          skip_def = 0;
        continue;
      }
      if (*line == '.' || *line == '\'') {
        const char *p = line + 1, *req;
        size_t rl;
        strv args = {0};
        while (*p == ' ' || *p == '\t') p++;
        req = p;
        rl = strcspn(p, " \t");
        p += rl;
        roff_args(p, &args);
#define REQ(s) (rl == strlen(s) && memcmp(req, s, rl) == 0)
        if (rl >= 1 && req[0] == '\\' && req[1] == '"') {
          /* comment */
        } else if (REQ("de") || REQ("de1") || REQ("am") || REQ("ig")) {
          skip_def = 1;
        } else if (REQ("SH") || REQ("SS")) {
          sbuf h = {0};
          size_t i;
          for (i = 0; i < args.n; i++) {
            if (i) sb_putc(&h, ' ');
            roff_text(&h, args.v[i]);
          }
          in_name = REQ("SH") && (strcmp(sb_str(&h), "NAMA") == 0 ||
                                  strcmp(sb_str(&h), "NAME") == 0);
          if (REQ("SH")) skip_sec = name_in(sb_str(&h), man_skip);
          if (!in_name && !skip_sec) {
            sb_putc(&body, '\n');
            sb_puts(&body, sb_str(&h));
            sb_putc(&body, '\n');
          }
          sb_free(&h);
        } else if (REQ("B") || REQ("I") || REQ("SM") || REQ("SB") ||
                   REQ("BR") || REQ("RB") || REQ("IR") || REQ("RI") ||
                   REQ("BI") || REQ("IB")) {
          size_t i;
          int alternate = rl == 2 && !REQ("SM") && !REQ("SB");
          for (i = 0; i < args.n; i++) {
            if (i && !alternate) sb_putc(out, ' ');
            roff_text(out, args.v[i]);
          }
          sb_putc(out, tag ? '\n' : ' ');
          tag = 0;
        } else if (REQ("IP") || REQ("TP") || REQ("PP") || REQ("P") ||
                   REQ("LP") || REQ("HP") || REQ("TQ") || REQ("br") ||
                   REQ("sp") || REQ("nf") || REQ("fi") || REQ("RS") ||
                   REQ("RE") || REQ("in") || REQ("ti") || REQ("EX") ||
                   REQ("EE") || REQ("UR") || REQ("UE") || REQ("MT") ||
                   REQ("ME")) {
          sb_putc(out, '\n');
          if (in_name && !blank(sb_str(&name))) in_name = 0, out = &body;
          tag = REQ("TP") || REQ("TQ"); /* the next line is the item's tag */
          if (REQ("IP") && args.n) {
            roff_text(out, args.v[0]);
            sb_putc(out, '\n');
          }
        } else if (REQ("TS")) {
          tbl = 1; /* options and format lines follow, up to a '.' */
          sb_putc(out, '\n');
        } else if (REQ("TE")) {
          tbl = 0;
          sb_putc(out, '\n');
        }
#undef REQ
        sv_free(&args);
        continue;
      }
      if (tbl == 1) {
        if (has_suffix(line, ".")) tbl = 2;
        continue;
      }
      if (tbl == 2) { /* a row: T{ and T} delimit cells, tabs separate */
        char *c;
        while ((c = strstr(line, "T{")) != NULL) c[0] = c[1] = ' ';
        while ((c = strstr(line, "T}")) != NULL) c[0] = c[1] = ' ';
      }
      roff_text(out, line);
      sb_putc(out, tbl == 2 || tag ? '\n' : ' ');
      tag = 0;
    }
    sb_puts(&id, "man:");
    sb_puts(&id, base);
    if (url_base) {
      sb_puts(&url, url_base);
      sb_puts(&url, base);
      sb_puts(&url, ".id.html");
    }
    add_doc(b, "manpages", sb_str(&id), sb_str(&name), sb_str(&body),
            url_base ? sb_str(&url) : NULL);
    sb_free(&name);
    sb_free(&skipped);
    sb_free(&body);
    sb_free(&id);
    sb_free(&url);
    free(text);
    free(path);
  }
  sv_free(&files);
}

/**************************************************************************
** Known-item query sets
*/

static int cmp_doc(const void *a, const void *b) {
  return strcmp(((const doc *)a)->id, ((const doc *)b)->id);
}

static const doc *doc_find(const builder *b, const char *id) {
  doc key;
  key.id = (char *)(uintptr_t)id; /* bsearch's key is only read */
  if (!b->ndocs) return NULL;
  return bsearch(&key, b->docs, b->ndocs, sizeof *b->docs, cmp_doc);
}

/* One query and its relevant pages (owned strings). */
typedef struct query {
  char *text;
  strv rel;
} query;

typedef struct qset {
  query *q;
  size_t n, cap;
} qset;

static query *qset_add(qset *s, const char *text) {
  query *q;
  if (s->n == s->cap) {
    s->cap = s->cap ? 2 * s->cap : 256;
    s->q = xrealloc(s->q, s->cap * sizeof *s->q);
  }
  q = &s->q[s->n++];
  q->text = xstrdup(text);
  memset(&q->rel, 0, sizeof q->rel);
  return q;
}

static void qset_free(qset *s) {
  size_t i;
  for (i = 0; i < s->n; i++) {
    free(s->q[i].text);
    sv_free(&s->q[i].rel);
  }
  free(s->q);
  memset(s, 0, sizeof *s);
}

static int cmp_term(const void *a, const void *b) {
  const term *x = a, *y = b;
  int c = strcmp(x->key, y->key);
  if (!c) c = strcmp(x->text, y->text);
  return c ? c : strcmp(x->docid, y->docid);
}

/*
** Set 1, index terms: every Indonesian term of the LibreOffice index whose
** page is in the corpus; the same term (any case) on several pages is one
** query with all of them relevant, unless there are more than MAX_REL.
** Queries in the order of their folded text.
*/
static void make_index_queries(builder *b, qset *out, long *too_many) {
  size_t i = 0, j;
  if (b->nterms) qsort(b->terms, b->nterms, sizeof *b->terms, cmp_term);
  while (i < b->nterms) {
    size_t end = i + 1;
    query *q = NULL;
    while (end < b->nterms && strcmp(b->terms[end].key, b->terms[i].key) == 0)
      end++;
    if (!indonesian_phrase(&b->dic, &b->fw, b->terms[i].text, NULL)) {
      for (j = i; j < end; j++)
        note_dropped(b, b->terms[j].docid, "index-term-not-indonesian", 0, 0,
                     b->terms[j].text);
      b->terms_english += (long)(end - i);
      i = end;
      continue;
    }
    for (j = i; j < end; j++) {
      if (!doc_find(b, b->terms[j].docid)) {
        b->terms_nopage++;
        continue;
      }
      if (!q) q = qset_add(out, b->terms[i].text);
      sv_push(&q->rel, xstrdup(b->terms[j].docid));
    }
    if (q) sv_sort_unique(&q->rel);
    if (q && q->rel.n > MAX_REL) {
      (*too_many)++;
      free(q->text);
      sv_free(&q->rel);
      out->n--;
    }
    i = end;
  }
}

typedef struct keyed {
  char *key;
  size_t doc;
} keyed;

static int cmp_keyed(const void *a, const void *b) {
  const keyed *x = a, *y = b;
  int c = strcmp(x->key, y->key);
  return c ? c : (x->doc > y->doc) - (x->doc < y->doc);
}

/* Is key among keys[0..n) (sorted)? */
static int keyed_has(const keyed *keys, size_t n, const char *key) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(keys[mid].key, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo < n && strcmp(keys[lo].key, key) == 0;
}

/*
** Sets 2 and 3. A title is a query when no other page has the same title
** (any case), it has at least two content words (not function words) and
** it reads as Indonesian. Its root-form rewrite (morph_rewrite() on each
** word) is a query when at least one word changed and no other title or
** rewrite reads the same. Both sets in the order of their page ids.
*/
static void make_title_queries(builder *b, qset *titles, qset *roots,
                               long *dup, long *generic, long *english) {
  keyed *k = xmalloc((b->ndocs + 1) * sizeof *k), *rk;
  char **rewrite = xmalloc((b->ndocs + 1) * sizeof *rewrite);
  unsigned char *ok = xmalloc(b->ndocs + 1);
  size_t i, nr = 0;
  for (i = 0; i < b->ndocs; i++) {
    k[i].key = fold(b->docs[i].title);
    k[i].doc = i;
    ok[i] = 0;
    rewrite[i] = NULL;
  }
  qsort(k, b->ndocs, sizeof *k, cmp_keyed);
  for (i = 0; i < b->ndocs; i++) {
    int content;
    const doc *d = &b->docs[k[i].doc];
    if ((i > 0 && strcmp(k[i - 1].key, k[i].key) == 0) ||
        (i + 1 < b->ndocs && strcmp(k[i + 1].key, k[i].key) == 0)) {
      (*dup)++;
      continue;
    }
    if (!indonesian_phrase(&b->dic, &b->fw, d->title, &content)) {
      if (content >= 2) (*english)++;
      else (*generic)++;
      continue;
    }
    if (content < 2) {
      (*generic)++;
      continue;
    }
    ok[k[i].doc] = 1;
  }
  /* Root forms of the titles kept. */
  rk = xmalloc((b->ndocs + 1) * sizeof *rk);
  for (i = 0; i < b->ndocs; i++) {
    const char *s = b->docs[i].title;
    sbuf out = {0};
    int changed = 0;
    if (!ok[i]) continue;
    while (*s) { /* words are letter runs; everything else is kept */
      char w[MAX_WORD], nw[2 * MAX_WORD];
      size_t n = 0;
      if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))) {
        char c = *s++;
        sb_putc(&out, c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c);
        continue;
      }
      while ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z')) n++;
      if (n < sizeof w && s[n] != '-' && !(s > b->docs[i].title && s[-1] == '-')) {
        size_t j;
        for (j = 0; j < n; j++)
          w[j] = (char)(s[j] <= 'Z' ? s[j] - 'A' + 'a' : s[j]);
        w[n] = '\0';
        if (morph_rewrite(&b->dic, w, nw, sizeof nw)) {
          sb_puts(&out, nw);
          changed = 1;
        } else
          sb_puts(&out, w);
      } else {
        size_t j;
        for (j = 0; j < n; j++)
          sb_putc(&out, s[j] <= 'Z' ? (char)(s[j] - 'A' + 'a') : s[j]);
      }
      s += n;
    }
    if (changed) {
      rewrite[i] = sb_take(&out);
      rk[nr].key = rewrite[i];
      rk[nr++].doc = i;
    } else
      sb_free(&out);
  }
  qsort(rk, nr, sizeof *rk, cmp_keyed);
  for (i = 0; i < b->ndocs; i++) {
    query *q;
    if (!ok[i]) continue;
    q = qset_add(titles, b->docs[i].title);
    sv_push(&q->rel, xstrdup(b->docs[i].id));
  }
  /* A rewrite equal to another (rk is sorted: to a neighbour) or to a
  ** title is ambiguous. ok[] now marks the rewrites kept. */
  for (i = 0; i < b->ndocs; i++) ok[i] = rewrite[i] != NULL;
  for (i = 0; i < nr; i++)
    if ((i > 0 && strcmp(rk[i - 1].key, rk[i].key) == 0) ||
        (i + 1 < nr && strcmp(rk[i + 1].key, rk[i].key) == 0) ||
        keyed_has(k, b->ndocs, rk[i].key))
      ok[rk[i].doc] = 0;
  for (i = 0; i < b->ndocs; i++)
    if (!ok[i]) {
      free(rewrite[i]);
      rewrite[i] = NULL;
    }
  for (i = 0; i < b->ndocs; i++) {
    query *q;
    if (!rewrite[i]) continue;
    q = qset_add(roots, rewrite[i]);
    sv_push(&q->rel, xstrdup(b->docs[i].id));
    free(rewrite[i]);
  }
  for (i = 0; i < b->ndocs; i++) free(k[i].key);
  free(k);
  free(rk);
  free(rewrite);
  free(ok);
}

/**************************************************************************
** Output
*/

/* Open dir/name.tmp for writing; close_out() renames it into place. */
static FILE *open_out(const char *dir, const char *name, char **tmp) {
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

static void close_out(FILE *f, char *tmp) {
  size_t n = strlen(tmp) - strlen(".tmp");
  char *final = xstrndup(tmp, n);
  if (ferror(f) | fclose(f)) die("%s: write failed", tmp);
  if (rename(tmp, final) != 0) die("%s: %s", final, strerror(errno));
  free(final);
  free(tmp);
}

static void write_corpus(const builder *b, const char *dir) {
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
static void write_qset(const qset *s, const char *dir, const char *name,
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

static size_t qrels_count(const qset *s) {
  size_t i, n = 0;
  for (i = 0; i < s->n; i++) n += s->q[i].rel.n;
  return n;
}

/**************************************************************************
** main
*/

static void usage(FILE *f) {
  fputs(
      "usage: debian_docs [options] OUTDIR\n"
      "Build corpus.jsonl, the index, title and rootform query sets\n"
      "(queries.SET.tsv, qrels.SET.tsv) and dropped.tsv in OUTDIR from\n"
      "Debian's Indonesian documentation, already unpacked (see\n"
      "corpus/builders/build-debian-corpus).\n"
      "  --lo DIR            LibreOffice help for Indonesian (.../help/id)\n"
      "  --lo-url URL        prefix of LibreOffice page URLs\n"
      "  --debref DIR        Debian Reference HTML (*.id.html)\n"
      "  --debref-url URL    prefix of Debian Reference URLs\n"
      "  --mallard NAME=DIR  Mallard pages of one help (repeatable)\n"
      "  --man DIR           man pages, uncompressed (DIR/manN/page.N)\n"
      "  --man-url URL       prefix of man page URLs (page.N.id.html)\n"
      "  --dic FILE          hunspell dictionary "
      "(/usr/share/hunspell/id_ID.dic)\n",
      f);
}

int main(int argc, char **argv) {
  const char *lo = NULL, *lo_url = NULL, *debref = NULL, *debref_url = NULL;
  const char *man = NULL, *man_url = NULL, *out = NULL;
  const char *dic = "/usr/share/hunspell/id_ID.dic";
  strv mallard = {0};
  builder b;
  qset qi = {0}, qt = {0}, qr = {0};
  long too_many = 0, dup = 0, generic = 0, english = 0;
  size_t i;
  char *tmp;
  FILE *f;
  memset(&b, 0, sizeof b);
  for (i = 1; i < (size_t)argc; i++) {
    const char *a = argv[i];
    const char **opt = NULL;
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      usage(stdout);
      return 0;
    }
    if (strcmp(a, "--lo") == 0) opt = &lo;
    else if (strcmp(a, "--lo-url") == 0) opt = &lo_url;
    else if (strcmp(a, "--debref") == 0) opt = &debref;
    else if (strcmp(a, "--debref-url") == 0) opt = &debref_url;
    else if (strcmp(a, "--man") == 0) opt = &man;
    else if (strcmp(a, "--man-url") == 0) opt = &man_url;
    else if (strcmp(a, "--dic") == 0) opt = &dic;
    else if (strcmp(a, "--mallard") == 0) {
      if (i + 1 >= (size_t)argc || !strchr(argv[i + 1], '=') ||
          argv[i + 1][0] == '=') {
        fprintf(stderr, "debian_docs: --mallard wants NAME=DIR\n");
        return 2;
      }
      sv_push(&mallard, xstrdup(argv[++i]));
      continue;
    } else if (a[0] == '-' && a[1]) {
      fprintf(stderr, "debian_docs: unknown option %s\n", a);
      usage(stderr);
      return 2;
    } else if (!out) {
      out = a;
      continue;
    } else {
      fprintf(stderr, "debian_docs: one OUTDIR only\n");
      return 2;
    }
    if (i + 1 >= (size_t)argc) {
      fprintf(stderr, "debian_docs: %s wants a value\n", a);
      return 2;
    }
    *opt = argv[++i];
  }
  if (!out) {
    usage(stderr);
    return 2;
  }
  if (dic_load(&b.dic, dic) != 0) die("%s: %s", dic, strerror(errno));
  function_words_load(&b.fw);

  if (lo) lo_read(&b, lo, lo_url);
  if (debref) debref_read(&b, debref, debref_url);
  for (i = 0; i < mallard.n; i++) {
    char *eq = strchr(mallard.v[i], '=');
    *eq = '\0';
    mallard_read(&b, mallard.v[i], eq + 1);
  }
  if (man) man_read(&b, man, man_url);

  if (b.ndocs) qsort(b.docs, b.ndocs, sizeof *b.docs, cmp_doc);
  for (i = 1; i < b.ndocs; i++)
    if (strcmp(b.docs[i - 1].id, b.docs[i].id) == 0)
      die("two pages with id %s", b.docs[i].id);
  make_index_queries(&b, &qi, &too_many);
  make_title_queries(&b, &qt, &qr, &dup, &generic, &english);

  write_corpus(&b, out);
  write_qset(&qi, out, "index", "idx");
  write_qset(&qt, out, "title", "ttl");
  write_qset(&qr, out, "rootform", "rf");
  f = open_out(out, "dropped.tsv", &tmp);
  fputs(sb_str(&b.dropped), f);
  close_out(f, tmp);

  printf("%-20s %6s %6s %8s %6s %6s\n", "source", "pages", "kept", "english",
         "empty", "bad");
  for (i = 0; i < b.nstats; i++) {
    const source_stats *s = &b.stats[i];
    printf("%-20s %6ld %6ld %8ld %6ld %6ld\n", s->name, s->pages, s->kept,
           s->english, s->empty, s->bad);
  }
  printf("corpus: %zu articles\n", b.ndocs);
  printf("index queries: %zu (%zu qrels) from %ld terms; dropped: %ld terms "
         "not Indonesian, %ld on pages not kept, %ld queries with more than "
         "%d pages\n",
         qi.n, qrels_count(&qi), b.terms_read, b.terms_english, b.terms_nopage,
         too_many, MAX_REL);
  printf("title queries: %zu; dropped: %ld shared titles, %ld with fewer than "
         "2 content words, %ld not Indonesian\n",
         qt.n, dup, generic, english);
  printf("rootform queries: %zu (titles with an affixed word, unambiguous)\n",
         qr.n);

  for (i = 0; i < b.ndocs; i++) {
    free(b.docs[i].id);
    free(b.docs[i].title);
    free(b.docs[i].body);
    free(b.docs[i].url);
  }
  free(b.docs);
  for (i = 0; i < b.nterms; i++) {
    free(b.terms[i].key);
    free(b.terms[i].text);
    free(b.terms[i].docid);
  }
  free(b.terms);
  sb_free(&b.dropped);
  wset_free(&b.dic);
  wset_free(&b.fw);
  qset_free(&qi);
  qset_free(&qt);
  qset_free(&qr);
  sv_free(&mallard);
  return 0;
}
