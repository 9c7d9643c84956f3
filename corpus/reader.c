/*
** reader.c — the public cari_reader_* calls: open a path ("-", a file or a
** directory walked in byte order of relative paths), hand each file to its
** format's parser and each record out as a cari_article. Also the small
** helpers every format shares (buffers, text joining, UTF-8 checks).
** It does not parse any format itself, and it does not follow symbolic
** links inside a directory it walks: one pointing inside the directory is
** passed over (its target is read where it is), one pointing out of it, or
** nowhere, is reported. Files larger than CARI_READER_MAX_BYTES are refused
** unread.
*/
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "corpus.h"

/**************************************************************************
** Text joining
*/

int corpus_isspace(int c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

int corpus_text_put(cari_buf *b, const char *s, size_t n, int collapse) {
  size_t i = 0, start;
  int rc = CARI_OK;
  if (!collapse) return cari_buf_add(&rc, b, s, n);
  while (i < n && rc == CARI_OK) {
    if (corpus_isspace((unsigned char)s[i])) {
      while (i < n && corpus_isspace((unsigned char)s[i])) i++;
      if (b->n > 0 && b->p[b->n - 1] != ' ' && b->p[b->n - 1] != '\n')
        cari_buf_addc(&rc, b, ' ');
      continue;
    }
    start = i;
    while (i < n && !corpus_isspace((unsigned char)s[i])) i++;
    cari_buf_add(&rc, b, s + start, i - start);
  }
  return rc;
}

int corpus_text_break(cari_buf *b, int lines) {
  int have = 0;
  while (b->n > 0 && (b->p[b->n - 1] == ' ' || b->p[b->n - 1] == '\t')) b->n--;
  if (b->p) b->p[b->n] = '\0';
  if (b->n == 0) return CARI_OK;
  while (have < lines && (size_t)have < b->n &&
         b->p[b->n - 1 - (size_t)have] == '\n')
    have++;
  int rc = CARI_OK;
  for (; have < lines; have++) cari_buf_addc(&rc, b, '\n');
  return rc;
}

void corpus_text_trim(cari_buf *b) {
  size_t lead = 0;
  while (b->n > 0 && corpus_isspace((unsigned char)b->p[b->n - 1])) b->n--;
  while (lead < b->n && corpus_isspace((unsigned char)b->p[lead])) lead++;
  if (lead) memmove(b->p, b->p + lead, b->n - lead);
  b->n -= lead;
  if (b->p) b->p[b->n] = '\0';
}

/**************************************************************************
** The article being built
*/

void corpus_doc_reset(corpus_doc *d) {
  cari_buf_clear(&d->id);
  cari_buf_clear(&d->title);
  cari_buf_clear(&d->body);
  cari_buf_clear(&d->url);
  cari_buf_clear(&d->date);
  cari_buf_clear(&d->source);
  cari_buf_clear(&d->author);
  cari_buf_clear(&d->tagtext);
  d->ntags = 0;
  d->err[0] = '\0';
}

void corpus_doc_free(corpus_doc *d) {
  cari_buf_free(&d->id);
  cari_buf_free(&d->title);
  cari_buf_free(&d->body);
  cari_buf_free(&d->url);
  cari_buf_free(&d->date);
  cari_buf_free(&d->source);
  cari_buf_free(&d->author);
  cari_buf_free(&d->tagtext);
  cari_free(d->tagv);
  d->tagv = NULL;
  d->ntags = d->tagcap = 0;
}

int corpus_doc_tag(corpus_doc *d, const char *s, size_t n) {
  while (n > 0 && corpus_isspace((unsigned char)*s)) {
    s++;
    n--;
  }
  while (n > 0 && corpus_isspace((unsigned char)s[n - 1])) n--;
  if (n == 0) return CARI_OK;
  /* Each tag keeps its own NUL inside tagtext: "a\0b\0". */
  int rc = CARI_OK;
  cari_buf_add(&rc, &d->tagtext, s, n);
  if (cari_buf_addc(&rc, &d->tagtext, '\0')) return rc;
  d->ntags++;
  return CARI_OK;
}

int corpus_doc_tags_csv(corpus_doc *d, const char *s, size_t n) {
  size_t i = 0, start = 0;
  for (; i <= n; i++) {
    if (i == n || s[i] == ',') {
      if (corpus_doc_tag(d, s + start, i - start) != CARI_OK) return CARI_NOMEM;
      start = i + 1;
    }
  }
  return CARI_OK;
}

int corpus_err(corpus_doc *d, int rc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(d->err, sizeof d->err, fmt, ap);
  va_end(ap);
  return rc;
}

/* Point d->tagv at the tags in d->tagtext. CARI_OK or CARI_NOMEM. */
static int doc_tagv(corpus_doc *d) {
  size_t i, at = 0;
  int rc = CARI_OK;
  d->tagv = cari_grow(&rc, d->tagv, &d->tagcap, d->ntags, sizeof *d->tagv);
  if (rc) return rc;
  for (i = 0; i < d->ntags; i++) {
    d->tagv[i] = d->tagtext.p + at;
    at += strlen(d->tagv[i]) + 1;
  }
  return CARI_OK;
}

/**************************************************************************
** UTF-8
*/

int corpus_utf8_check(const char *s, size_t n, size_t *off) {
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0;
  while (i < n) {
    unsigned c = u[i];
    size_t len, k;
    unsigned lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    if (c < 0x80) {
      if (c == 0) {
        *off = i;
        return 2;
      }
      i++;
      continue;
    }
    if (c >= 0xC2 && c <= 0xDF) len = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;      /* no overlongs */
      else if (c == 0xED) hi = 0x9F; /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      else if (c == 0xF4) hi = 0x8F; /* nothing above U+10FFFF */
    } else {
      *off = i;
      return 1;
    }
    if (n - i < len || u[i + 1] < lo || u[i + 1] > hi) {
      *off = i;
      return 1;
    }
    for (k = 2; k < len; k++) {
      if (u[i + k] < 0x80 || u[i + k] > 0xBF) {
        *off = i;
        return 1;
      }
    }
    i += len;
  }
  return 0;
}

int corpus_utf8_repair(cari_buf *b) {
  cari_buf out = CARI_BUF_INIT;
  size_t i = 0, off;
  int bad = 0, rc = CARI_OK;
  while (i < b->n && rc == CARI_OK) {
    int k = corpus_utf8_check(b->p + i, b->n - i, &off);
    if (k == 0) off = b->n - i;
    if (bad) cari_buf_add(&rc, &out, b->p + i, off);
    if (k == 0) break;
    if (k == 2) { /* a NUL byte: valid here, keep it */
      if (bad) cari_buf_add(&rc, &out, "", 1);
    } else {
      if (!bad) cari_buf_add(&rc, &out, b->p, i + off);
      bad = 1;
      cari_buf_add(&rc, &out, "\xEF\xBF\xBD", 3);
    }
    i += off + 1;
  }
  if (rc != CARI_OK) {
    cari_buf_free(&out);
    return rc;
  }
  if (!bad) return CARI_OK;
  cari_buf_free(b);
  *b = out;
  return CARI_OK;
}

size_t corpus_bom(const char *s, size_t n) {
  return n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

/**************************************************************************
** The reader
*/

enum kind { K_JSONL, K_MD, K_HTML, K_TXT, K_XML, K_DIRERR, K_STATERR,
            K_LINK };

/* The format names cari_reader_format() gives, by kind (XML: xml.c's). */
static const char *const kind_names[] = {"jsonl", "markdown", "html", "text",
                                         "xml", "", "", ""};

/* Entries passed over on purpose, counted by format and reason. At most
** SKIP_KINDS distinct pairs; later ones are counted as "other". */
#define SKIP_KINDS 32
typedef struct skip_count {
  const char *format; /* static */
  char reason[40];
  long long n;
} skip_count;

/* One file (or unreadable directory) found at open, in reading order. */
typedef struct entry {
  char *rel;       /* owned: path relative to the directory, or as given */
  int kind;
  int err;         /* errno for K_DIRERR, K_STATERR and K_LINK (0: a link
                   ** that points outside the directory) */
  long long size;  /* bytes, as stat() said at open */
} entry;

struct cari_reader {
  int single;          /* a file was given: ids come from its base name */
  char *root;          /* owned: the path given */
  char *root_real;     /* owned: its real path (a directory), or NULL */
  entry *ents;         /* owned */
  size_t nents, cap, next;
  FILE *jf;            /* the JSONL stream being read (stdin is not closed) */
  int in_jsonl;
  corpus_jsonl jl;
  FILE *xf;            /* the XML stream being read (stdin is not closed) */
  corpus_xml *xml;     /* owned, while in_xml */
  int in_xml;
  int is_stdin;        /* "-": the one entry is stdin */
  const char *format;  /* of the last article or error: static */
  skip_count skips[SKIP_KINDS];
  size_t nskips;
  cari_buf path;     /* the current file's path as shown in messages */
  cari_buf file;     /* the current file's bytes */
  corpus_doc doc;
  long long done, total;
  int failed;          /* the open's error, returned by every next call */
};

static const struct {
  const char *ext;
  int kind;
} exts[] = {
    {"jsonl", K_JSONL}, {"ndjson", K_JSONL}, {"md", K_MD},
    {"markdown", K_MD}, {"html", K_HTML},    {"htm", K_HTML},
    {"txt", K_TXT},      {"xml", K_XML},      {"rss", K_XML},
    {"atom", K_XML},
};

/* --format names and the kind each reads. */
static const struct {
  const char *name;
  int kind;
} format_names[] = {
    {"jsonl", K_JSONL}, {"xml", K_XML},   {"markdown", K_MD},
    {"md", K_MD},       {"html", K_HTML}, {"text", K_TXT}, {"txt", K_TXT},
};

/* The '.' starting the extension of the last path component, or NULL.
** A leading dot (".profile") is not an extension. */
static const char *ext_dot(const char *path) {
  const char *base = strrchr(path, '/'), *dot;
  base = base ? base + 1 : path;
  dot = strrchr(base, '.');
  return dot && dot != base ? dot : NULL;
}

/* The format of a file by its extension (any case), or -1. */
static int kind_of(const char *path) {
  const char *dot = ext_dot(path);
  size_t i;
  if (!dot) return -1;
  for (i = 0; i < sizeof exts / sizeof exts[0]; i++)
    if (strcasecmp(dot + 1, exts[i].ext) == 0) return exts[i].kind;
  return -1;
}

static void open_err(char *errbuf, size_t errcap, const char *fmt, ...)
    CORPUS_PRINTF(3, 4);
static void open_err(char *errbuf, size_t errcap, const char *fmt, ...) {
  va_list ap;
  if (!errbuf || errcap == 0) return;
  va_start(ap, fmt);
  vsnprintf(errbuf, errcap, fmt, ap);
  va_end(ap);
}

static int add_entry(cari_reader *r, const char *rel, int kind, int err,
                     long long size) {
  entry *e;
  char *copy;
  int rc = CARI_OK;
  r->ents = cari_grow(&rc, r->ents, &r->cap, r->nents + 1, sizeof *r->ents);
  if (rc) return rc;
  copy = cari_strdup(rel);
  if (!copy) return CARI_NOMEM;
  e = &r->ents[r->nents++];
  e->rel = copy;
  e->kind = kind;
  e->err = err;
  e->size = size;
  r->total += size;
  return CARI_OK;
}

/*
** A symbolic link met in the walk, at `path` (`rel` inside the directory),
** whose name is of format `kind` (-1: none). It is never followed. A link
** whose target is inside the directory is passed over silently: the target
** is read where it is, if it is an article. A link to a directory or an
** article-named link that points outside, dangles or loops becomes a
** K_LINK entry, reported when the walk reaches it. Returns CARI_OK or
** CARI_NOMEM.
*/
static int walk_link(cari_reader *r, const char *path, const char *rel,
                     int kind) {
  char *real = realpath(path, NULL);
  struct stat st;
  size_t n = r->root_real ? strlen(r->root_real) : 0;
  int rc = CARI_OK, inside;
  if (!real) {
    if (errno == ENOMEM) return CARI_NOMEM;
    return kind >= 0 ? add_entry(r, rel, K_LINK, errno, 0) : CARI_OK;
  }
  inside = n > 0 && strncmp(real, r->root_real, n) == 0 &&
           (real[n] == '/' || real[n] == '\0' || n == 1);
  if (!inside && stat(real, &st) == 0 &&
      (S_ISDIR(st.st_mode) || (kind >= 0 && S_ISREG(st.st_mode))))
    rc = add_entry(r, rel, K_LINK, 0, 0);
  cari_free_foreign(real); /* realpath's */
  return rc;
}

/*
** Collect the files under the directory fp holds (fp is restored on return;
** the relative path starts at fp->p + relstart). A subdirectory that cannot
** be read becomes a K_DIRERR entry, reported when the walk reaches it.
** Returns CARI_OK or CARI_NOMEM.
*/
static int walk(cari_reader *r, cari_buf *fp, size_t relstart) {
  size_t base = fp->n;
  struct dirent *de;
  DIR *dir = opendir(fp->p);
  int rc = CARI_OK;
  const char *rel = fp->n >= relstart ? fp->p + relstart : "";
  if (!dir) return add_entry(r, rel, K_DIRERR, errno, 0);
  for (;;) {
    struct stat st;
    int kind;
    errno = 0;
    de = readdir(dir);
    if (!de) {
      if (errno) {
        fp->n = base;
        fp->p[base] = '\0';
        rc = add_entry(r, base >= relstart ? fp->p + relstart : "", K_DIRERR,
                       errno, 0);
      }
      break;
    }
    if (de->d_name[0] == '.') continue; /* hidden, and . and .. */
    fp->n = base;
    if (base > 0 && fp->p[base - 1] != '/') cari_buf_addc(&rc, fp, '/');
    if (cari_buf_adds(&rc, fp, de->d_name)) break;
    kind = kind_of(de->d_name);
    if (lstat(fp->p, &st) != 0) {
      if (kind >= 0) rc = add_entry(r, fp->p + relstart, K_STATERR, errno, 0);
    } else if (S_ISLNK(st.st_mode)) {
      rc = walk_link(r, fp->p, fp->p + relstart, kind);
    } else if (S_ISDIR(st.st_mode)) {
      rc = walk(r, fp, relstart);
    } else if (kind >= 0 && S_ISREG(st.st_mode)) {
      rc = add_entry(r, fp->p + relstart, kind, 0, (long long)st.st_size);
    }
    if (rc != CARI_OK) break;
  }
  closedir(dir);
  fp->n = base;
  fp->p[base] = '\0';
  return rc;
}

static int entry_cmp(const void *a, const void *b) {
  return strcmp(((const entry *)a)->rel, ((const entry *)b)->rel);
}

/* Open a directory reader: walk, then sort. */
static int open_dir(cari_reader *r, char *errbuf, size_t errcap) {
  cari_buf fp = {0};
  size_t relstart;
  int rc;
  DIR *dir = opendir(r->root);
  if (!dir) {
    open_err(errbuf, errcap, "%s: cannot open directory: %s", r->root,
             strerror(errno));
    return CARI_IO;
  }
  closedir(dir);
  /* Links are judged inside or outside against the real path. */
  r->root_real = realpath(r->root, NULL);
  if (!r->root_real && errno == ENOMEM) goto nomem;
  rc = CARI_OK;
  if (cari_buf_adds(&rc, &fp, r->root)) goto nomem;
  relstart = fp.n + (fp.p[fp.n - 1] != '/');
  rc = walk(r, &fp, relstart);
  cari_buf_free(&fp);
  if (rc != CARI_OK) goto nomem;
  if (r->nents > 1) qsort(r->ents, r->nents, sizeof *r->ents, entry_cmp);
  return CARI_OK;
nomem:
  cari_buf_free(&fp);
  open_err(errbuf, errcap, "%s: out of memory", r->root);
  return CARI_NOMEM;
}

/* Open a reader on one named file. */
static int open_file(cari_reader *r, const struct stat *st, int kind,
                     char *errbuf, size_t errcap) {
  if (kind < 0) kind = kind_of(r->root);
  if (kind < 0) {
    open_err(errbuf, errcap,
             "%s: unknown file type (expected .jsonl, .ndjson, .md, "
             ".markdown, .html, .htm, .txt, .xml, .rss or .atom; or name "
             "one with --format)",
             r->root);
    return CARI_INVALID;
  }
  /* access() rather than a trial fopen(): opening a FIFO has side effects. */
  if (access(r->root, R_OK) != 0) {
    open_err(errbuf, errcap, "%s: %s", r->root, strerror(errno));
    return CARI_IO;
  }
  r->single = 1;
  if (add_entry(r, r->root, kind, 0,
                S_ISREG(st->st_mode) ? (long long)st->st_size : 0) != CARI_OK) {
    open_err(errbuf, errcap, "%s: out of memory", r->root);
    return CARI_NOMEM;
  }
  return CARI_OK;
}

/* The kind a --format name reads, -1 for NULL or "auto", -2 unknown. */
static int format_kind(const char *format) {
  size_t i;
  if (!format || !strcmp(format, "auto")) return -1;
  for (i = 0; i < sizeof format_names / sizeof format_names[0]; i++)
    if (!strcmp(format, format_names[i].name)) return format_names[i].kind;
  return -2;
}

/* Open "-": JSONL and XML are streamed; the other formats are read whole
** (at most CARI_READER_MAX_BYTES) as one entry. */
static int open_stdin(cari_reader *r, int kind, char *errbuf,
                      size_t errcap) {
  r->is_stdin = r->single = 1;
  if (kind == K_JSONL || kind < 0) {
    r->jf = stdin;
    r->in_jsonl = 1;
    r->format = kind_names[K_JSONL];
    corpus_jsonl_start(&r->jl, stdin, "<stdin>", 1);
    return CARI_OK;
  }
  if (add_entry(r, "<stdin>", kind, 0, 0) != CARI_OK) {
    open_err(errbuf, errcap, "<stdin>: out of memory");
    return CARI_NOMEM;
  }
  return CARI_OK;
}

int cari_reader_open(const char *path, cari_reader **out) {
  return cari_reader_open_as(path, NULL, out);
}

int cari_reader_open_as(const char *path, const char *format,
                        cari_reader **out) {
  cari_reader *r;
  struct stat st;
  int rc, kind = format_kind(format);
  if (!out) return CARI_INVALID;
  *out = r = cari_calloc(1, sizeof *r);
  if (!r) return CARI_NOMEM;
  char *errbuf = r->doc.err; /* a failed open keeps its message here */
  size_t errcap = sizeof r->doc.err;
  if (!path || !*path || kind == -2) {
    open_err(errbuf, errcap, kind == -2 ? "unknown format '%s' (known: "
             "auto, jsonl, xml, markdown, html, text)" : "cari_reader_open: "
             "%s", kind == -2 ? format : "no path given");
    return r->failed = CARI_INVALID;
  }
  if (!(r->root = cari_strdup(path))) {
    open_err(errbuf, errcap, "%s: out of memory", path);
    return r->failed = CARI_NOMEM;
  }
  if (strcmp(path, "-") == 0)
    return r->failed = open_stdin(r, kind, errbuf, errcap);
  if (stat(path, &st) != 0) {
    open_err(errbuf, errcap, "%s: %s", path, strerror(errno));
    rc = CARI_IO;
  } else if (S_ISDIR(st.st_mode)) {
    if (kind >= 0) {
      open_err(errbuf, errcap, "%s: a directory: a format is named for a "
               "file or -, not a directory (its files go by extension)",
               path);
      rc = CARI_INVALID;
    } else {
      rc = open_dir(r, errbuf, errcap);
    }
  } else {
    rc = open_file(r, &st, kind, errbuf, errcap);
  }
  return r->failed = rc;
}

/* Stop reading the current JSONL stream. */
static void end_jsonl(cari_reader *r) {
  if (r->jf && r->jf != stdin) fclose(r->jf);
  r->jf = NULL;
  r->in_jsonl = 0;
}

/* Stop reading the current XML stream. */
static void end_xml(cari_reader *r) {
  corpus_xml_close(r->xml);
  r->xml = NULL;
  if (r->xf && r->xf != stdin) fclose(r->xf);
  r->xf = NULL;
  r->in_xml = 0;
}

/* Count an entry passed over on purpose. */
static void count_skip(cari_reader *r, const char *format,
                       const char *reason) {
  size_t i;
  for (i = 0; i < r->nskips; i++)
    if (r->skips[i].format == format && !strcmp(r->skips[i].reason, reason))
      break;
  if (i == r->nskips) {
    if (r->nskips == SKIP_KINDS) {
      i = SKIP_KINDS - 1;
      snprintf(r->skips[i].reason, sizeof r->skips[i].reason, "other");
    } else {
      r->nskips++;
      r->skips[i].format = format;
      snprintf(r->skips[i].reason, sizeof r->skips[i].reason, "%s", reason);
    }
  }
  r->skips[i].n++;
}

/*
** Open the file of the current entry for reading. A file the walk found is
** opened without following a link (it may have been replaced by one since)
** and must still be a regular file (a FIFO would block); a file named by
** the caller is opened as it is. NULL with errno set on failure (ELOOP: a
** link; EINVAL: not a regular file).
*/
static FILE *open_entry(const cari_reader *r, const char *path) {
  struct stat st;
  FILE *f;
  int fd;
  if (r->is_stdin) return stdin;
  if (r->single) return fopen(path, "rb");
  fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return NULL;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
      fcntl(fd, F_SETFL, 0) != 0 || !(f = fdopen(fd, "rb"))) {
    int e = errno;
    if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) e = EINVAL;
    close(fd);
    errno = e;
    return NULL;
  }
  return f;
}

/* The message for a file open_entry() could not open. */
static int open_failed(cari_reader *r, const char *path, int e) {
  if (e == ENOMEM)
    return corpus_err(&r->doc, CARI_NOMEM, "%s: out of memory", path);
  if (e == ELOOP && !r->single)
    return corpus_err(&r->doc, CARI_FORMAT, "%s: symbolic link, not "
                      "followed", path);
  if (e == EINVAL && !r->single)
    return corpus_err(&r->doc, CARI_FORMAT, "%s: not a regular file", path);
  return corpus_err(&r->doc, CARI_FORMAT, "%s: cannot open: %s", path,
                    strerror(e));
}

static int too_large(cari_reader *r, const char *path, long long size) {
  return corpus_err(&r->doc, CARI_FORMAT, "%s: %lld bytes, more than the "
                    "limit of %d bytes for one file", path, size,
                    CARI_READER_MAX_BYTES);
}

/* Read the file r->path names (of `size` bytes at open) into r->file; at
** most CARI_READER_MAX_BYTES. CARI_OK, or CARI_FORMAT with the reason in
** r->doc.err, or CARI_NOMEM. */
static int read_whole(cari_reader *r, long long size) {
  const char *path = r->path.p;
  FILE *f;
  int rc = CARI_OK;
  if (size > CARI_READER_MAX_BYTES) {
    r->done += size; /* passed over, but progress still reaches the total */
    return too_large(r, path, size);
  }
  if (!(f = open_entry(r, path))) {
    r->done += size;
    return open_failed(r, path, errno);
  }
  cari_buf_clear(&r->file);
  for (;;) {
    size_t got, room;
    if (cari_buf_grow(&rc, &r->file, 65536)) {
      rc = corpus_err(&r->doc, CARI_NOMEM, "%s: out of memory", path);
      break;
    }
    /* One byte past the limit tells a file that grew since it was seen. */
    room = r->file.cap - r->file.n - 1;
    if (room > (size_t)CARI_READER_MAX_BYTES + 1 - r->file.n)
      room = (size_t)CARI_READER_MAX_BYTES + 1 - r->file.n;
    got = room ? fread(r->file.p + r->file.n, 1, room, f) : 0;
    r->file.n += got;
    r->file.p[r->file.n] = '\0';
    if (r->file.n > (size_t)CARI_READER_MAX_BYTES) {
      rc = too_large(r, path, (long long)r->file.n);
      break;
    }
    if (got == 0) {
      if (ferror(f))
        rc = corpus_err(&r->doc, CARI_FORMAT, "%s: read error: %s", path,
                        strerror(errno));
      break;
    }
  }
  if (f != stdin) fclose(f);
  r->done += (long long)r->file.n;
  return rc;
}

/* Set the id from the path: the relative path (or base name of a named
** file) without its extension. */
static int id_from_path(cari_reader *r, const entry *e) {
  const char *rel = e->rel, *dot = ext_dot(rel);
  int rc = CARI_OK;
  if (r->is_stdin) return cari_buf_set(&rc, &r->doc.id, "stdin", 5);
  if (r->single) {
    const char *slash = strrchr(rel, '/');
    if (slash) rel = slash + 1;
  }
  return cari_buf_set(&rc, &r->doc.id, rel,
                      dot ? (size_t)(dot - rel) : strlen(rel));
}

/* Pages and posts usually repeat their title as the first heading: when the
** body's first line is the title, drop it, so the title is indexed once (in
** its own field) and snippets do not repeat it. */
static void drop_title_line(corpus_doc *d) {
  size_t t = d->title.n;
  if (t == 0 || d->body.n < t || memcmp(d->body.p, d->title.p, t) != 0) return;
  if (d->body.n > t && d->body.p[t] != '\n') return;
  size_t k = t;
  while (k < d->body.n && corpus_isspace((unsigned char)d->body.p[k])) k++;
  memmove(d->body.p, d->body.p + k, d->body.n - k);
  d->body.n -= k;
  d->body.p[d->body.n] = 0;
}

/* Parse one whole file (Markdown, HTML, text) into r->doc. Returns CARI_OK,
** CORPUS_SKIP, CARI_FORMAT or CARI_NOMEM. */
static int parse_whole(cari_reader *r, const entry *e) {
  corpus_doc *d = &r->doc;
  const char *path = r->path.p, *text;
  size_t off, n, bom;
  int rc = read_whole(r, e->size);
  if (rc != CARI_OK) return rc;
  text = r->file.p;
  n = r->file.n;
  switch (corpus_utf8_check(text, n, &off)) {
  case 1:
    return corpus_err(d, CARI_FORMAT, "%s: not valid UTF-8 (byte offset %zu)",
                      path, off);
  case 2:
    return corpus_err(d, CARI_FORMAT, "%s: contains a NUL byte (byte offset "
                      "%zu)", path, off);
  }
  bom = corpus_bom(text, n);
  text += bom;
  n -= bom;
  if (e->kind == K_MD) rc = corpus_markdown_parse(path, text, n, d);
  else if (e->kind == K_HTML) rc = corpus_html_parse(path, text, n, d);
  else rc = corpus_text_parse(path, text, n, d);
  if (rc == CARI_NOMEM && !d->err[0])
    corpus_err(d, CARI_NOMEM, "%s: out of memory", path);
  if (rc != CARI_OK) return rc;
  drop_title_line(d);
  if (d->title.n == 0 && d->body.n == 0)
    return corpus_err(d, CARI_FORMAT, "%s: no title and no text", path);
  if (d->id.n == 0 && id_from_path(r, e) != CARI_OK) return CARI_NOMEM;
  return cari_buf_set(&rc, &d->source, path, strlen(path));
}

/* Start on the next entry: open a JSONL stream, or parse a whole file.
** Returns CARI_OK (an article is in r->doc, or a stream is open),
** CORPUS_SKIP, CARI_FORMAT or CARI_NOMEM. */
static int start_entry(cari_reader *r, const entry *e) {
  corpus_doc *d = &r->doc;
  int rc = CARI_OK;
  cari_buf_clear(&r->path);
  if (!r->single) {
    size_t n = strlen(r->root);
    cari_buf_add(&rc, &r->path, r->root, n);
    if (n > 0 && r->root[n - 1] != '/') cari_buf_addc(&rc, &r->path, '/');
  }
  cari_buf_adds(&rc, &r->path, e->rel);
  if (rc != CARI_OK) return corpus_err(d, CARI_NOMEM, "out of memory");
  switch (e->kind) {
  case K_DIRERR:
    return corpus_err(d, CARI_FORMAT, "%s: cannot read directory: %s",
                      r->path.p, strerror(e->err));
  case K_STATERR:
    return corpus_err(d, CARI_FORMAT, "%s: %s", r->path.p, strerror(e->err));
  case K_LINK:
    if (e->err)
      return corpus_err(d, CARI_FORMAT, "%s: symbolic link, not followed: %s",
                        r->path.p, strerror(e->err));
    return corpus_err(d, CARI_FORMAT, "%s: symbolic link to outside the "
                      "directory, not followed", r->path.p);
  case K_JSONL:
    r->jf = open_entry(r, r->path.p);
    if (!r->jf) {
      r->done += e->size; /* as in read_whole() */
      return open_failed(r, r->path.p, errno);
    }
    r->in_jsonl = 1;
    corpus_jsonl_start(&r->jl, r->jf, r->path.p, 0);
    return CARI_OK;
  case K_XML:
    r->xf = open_entry(r, r->path.p);
    if (!r->xf) {
      r->done += e->size;
      return open_failed(r, r->path.p, errno);
    }
    if (corpus_xml_open(&r->xml, r->xf, r->path.p, r->is_stdin) != CARI_OK) {
      if (r->xf != stdin) fclose(r->xf);
      r->xf = NULL;
      return corpus_err(d, CARI_NOMEM, "%s: out of memory", r->path.p);
    }
    r->in_xml = 1;
    return CARI_OK;
  default:
    return parse_whole(r, e);
  }
}

/* Hand the article in r->doc out through a. */
static int give(cari_reader *r, cari_article *a) {
  corpus_doc *d = &r->doc;
  if (doc_tagv(d) != CARI_OK)
    return corpus_err(d, CARI_NOMEM, "%s: out of memory", d->source.p);
  a->id = cari_buf_str(&d->id);
  a->title = cari_buf_str(&d->title);
  a->body = cari_buf_str(&d->body);
  a->url = d->url.n ? d->url.p : NULL;
  a->date = d->date.n ? d->date.p : NULL;
  a->tags = d->ntags ? d->tagv : NULL;
  a->ntags = d->ntags;
  a->source = cari_buf_str(&d->source);
  a->author = d->author.n ? d->author.p : NULL;
  return CARI_ROW;
}

int cari_reader_next(cari_reader *r, cari_article *a) {
  if (!r) return CARI_INVALID;
  if (r->failed) return r->failed; /* its message stays */
  corpus_doc_reset(&r->doc);
  if (!a)
    return corpus_err(&r->doc, CARI_INVALID, "cari_reader_next: a is NULL");
  memset(a, 0, sizeof *a);
  for (;;) {
    int rc;
    const entry *e;
    if (r->in_xml) {
      rc = corpus_xml_next(r->xml, &r->doc, &r->done);
      r->format = corpus_xml_format(r->xml);
      if (rc == CARI_ROW) return give(r, a);
      if (rc == CARI_DONE) {
        end_xml(r);
        continue;
      }
      if (rc == CORPUS_SKIP) {
        count_skip(r, r->format, corpus_xml_reason(r->xml));
        corpus_doc_reset(&r->doc);
        continue;
      }
      /* In a directory, other XML (a sitemap) is passed over and counted;
      ** a file named on its own must be a feed. */
      if (rc == CARI_FORMAT && !r->single && corpus_xml_not_feed(r->xml)) {
        count_skip(r, r->format, "not a feed or export");
        corpus_doc_reset(&r->doc);
        continue;
      }
      return rc;
    }
    if (r->in_jsonl) {
      r->format = kind_names[K_JSONL];
      rc = corpus_jsonl_next(&r->jl, &r->doc, &r->done);
      if (rc == CARI_ROW) return give(r, a);
      if (rc == CARI_DONE) {
        end_jsonl(r);
        continue;
      }
      if (r->jl.eof) end_jsonl(r); /* a read error ended the stream */
      return rc;
    }
    if (r->next >= r->nents) return CARI_DONE;
    e = &r->ents[r->next++];
    corpus_doc_reset(&r->doc);
    r->format = kind_names[e->kind];
    rc = start_entry(r, e);
    if (rc == CARI_OK && !r->in_jsonl && !r->in_xml) return give(r, a);
    if (rc == CORPUS_SKIP) count_skip(r, r->format, "draft");
    if (rc != CARI_OK && rc != CORPUS_SKIP) return rc;
  }
}

const char *cari_reader_format(cari_reader *r) {
  return r && r->format ? r->format : "";
}

int cari_reader_passed(cari_reader *r, size_t i, const char **format,
                       const char **reason, long long *count) {
  if (!r) return CARI_INVALID;
  if (i >= r->nskips) return CARI_DONE;
  if (format) *format = r->skips[i].format;
  if (reason) *reason = r->skips[i].reason;
  if (count) *count = r->skips[i].n;
  return CARI_ROW;
}

const char *cari_reader_errmsg(cari_reader *r) {
  return r ? r->doc.err : "no reader";
}

void cari_reader_progress(cari_reader *r, long long *done, long long *total) {
  if (done) *done = r ? r->done : 0;
  if (total) *total = r ? r->total : 0;
}

void cari_reader_close(cari_reader *r) {
  size_t i;
  if (!r) return;
  end_jsonl(r);
  end_xml(r);
  for (i = 0; i < r->nents; i++) cari_free(r->ents[i].rel);
  cari_free(r->ents);
  cari_free(r->root);
  cari_free_foreign(r->root_real); /* realpath's */
  corpus_jsonl_free(&r->jl);
  cari_buf_free(&r->path);
  cari_buf_free(&r->file);
  corpus_doc_free(&r->doc);
  cari_free(r);
}
