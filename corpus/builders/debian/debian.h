/*
** debian.h — the parts of debian_docs, the program that turns Debian's
** Indonesian documentation, already unpacked, into a JSONL corpus and three
** known-item query sets for relevance evaluation (corpus/DEBIAN.md): a file
** per source (LibreOffice help, Debian Reference, Mallard, man pages), the
** XML and roff readers, the query sets, the output. Private to the
** program; it uses nothing of cari and cari uses nothing of it.
*/
#ifndef DEBIAN_DOCS_H
#define DEBIAN_DOCS_H

#include <stddef.h>
#include <stdio.h>

#include <gumbo.h>

#define MAX_DEPTH 256 /* deepest tree walked; deeper content is ignored */
#define MAX_WORD 48   /* longest word the language and morphology look at */
#define MAX_REL 10    /* index terms pointing at more pages are dropped */

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#define NORETURN __attribute__((noreturn))
#else
#define PRINTF_LIKE(f, a)
#define NORETURN
#endif

/* A growable string; `p` is owned by the buffer, NUL-terminated once
** anything was added. Zero-initialise to start. */
typedef struct sbuf {
  char *p;
  size_t n, cap;
} sbuf;

/* A growable array of owned strings. */
typedef struct strv {
  char **v;
  size_t n, cap;
} strv;

typedef struct wentry {
  char *word;  /* lower case, UTF-8 */
  char *flags; /* hunspell's two-letter flags run together, "" if none */
} wentry;

/* An open-addressing hash set of words. Zero-initialise; wset_free(). */
typedef struct wset {
  wentry *slot;
  size_t cap, n;
} wset;

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
  sbuf dropped; /* dropped.tsv */
  wset dic;     /* id_ID.dic roots with their flags */
  wset fw;      /* function words */
} builder;

/* One query and its relevant pages (owned strings). */
typedef struct query {
  char *text;
  strv rel;
} query;

typedef struct qset {
  query *q;
  size_t n, cap;
} qset;

typedef struct xnode xnode;
struct xnode {
  char *name;  /* element name as written; NULL for a text node */
  char *text;  /* a text node's characters, entities decoded */
  char **attr; /* nattr pairs: attr[2i] name, attr[2i+1] value */
  size_t nattr;
  xnode **kid;
  size_t nkid, capkid;
  xnode *parent;
};

/* util.c: memory (the program stops when it runs out), growable strings and string arrays, files and paths. */
NORETURN PRINTF_LIKE(1, 2) void die(const char *fmt, ...);
void *xrealloc(void *p, size_t n);
void *xmalloc(size_t n);
char *xstrndup(const char *s, size_t n);
char *xstrdup(const char *s);
void sb_add(sbuf *b, const char *s, size_t n);
void sb_puts(sbuf *b, const char *s);
void sb_putc(sbuf *b, char c);
const char *sb_str(const sbuf *b);
void sb_free(sbuf *b);
char *sb_take(sbuf *b);
void sv_push(strv *s, char *p);
void sv_free(strv *s);
void sv_sort_unique(strv *s);
int has_prefix(const char *s, const char *pre);
int has_suffix(const char *s, const char *suf);
const char *find_seq(const char *s, size_t n, const char *pat);
char *read_file(const char *path, size_t *len);
char *cat3(const char *a, const char *b, const char *c);
char *path_join(const char *a, const char *b);
int list_files(const char *root, const char *rel, const char *suffix, strv *out,
               int depth);
int name_in(const char *name, const char *const *list);

/* text.c: clean text (collapsed white space, valid UTF-8), folding, words, and the HTML character references. */
void utf8_put(sbuf *out, unsigned long cp);
char *clean_text(const char *s, size_t n, int lines);
int blank(const char *s);
char *fold(const char *s);
int next_word(const char **p, char *w, size_t cap, int *shape);
void decode_entities(sbuf *out, const char *s, size_t n);

/* words.c: word sets: the hunspell dictionary and the function words; the language of a text. */
const wentry *wset_find(const wset *ws, const char *w);
void wset_free(wset *ws);
int has_flag(const char *flags, const char *any);
int dic_load(wset *ws, const char *path);
void function_words_load(wset *fw);
int function_word(const wset *fw, const char *w);
void lang_measure(const wset *fw, const char *s, long *en, long *id);
int is_english(long en, long id);

/* morph.c: Indonesian morphology: a few affix rules checked against hunspell. */
int morph_rewrite(const wset *dic, const char *w, char *out, size_t cap);
int indonesian_phrase(const wset *dic, const wset *fw, const char *s,
                      int *content);

/* builder.c: the documents kept and dropped, and the counts per source. */
void note_dropped(builder *b, const char *id, const char *why, long en,
                  long idn, const char *title);
void add_doc(builder *b, const char *source, const char *id, const char *title,
             const char *body, const char *url);
void unreadable(builder *b, const char *source, const char *path,
                const char *why);

/* html.c: HTML with gumbo: helpers the LibreOffice and Debian Reference readers share. */
const char *g_attr(const GumboNode *n, const char *name);
int has_class(const GumboNode *n, const char *cls);
int is_block(GumboTag t);
int is_hidden_tag(GumboTag t);
void put_text(sbuf *out, const char *s, int pre);
const GumboVector *g_kids(const GumboNode *n);
const GumboNode *g_find(const GumboNode *n, GumboTag tag, const char *id,
                        int depth);
void g_plain_text(const GumboNode *n, sbuf *out, int depth);
GumboOutput *g_parse_file(const char *path, char **text);

/* libreoffice.c: LibreOffice help: its pages and the index in bookmarks.js. */
void lo_read(builder *b, const char *dir, const char *url_base);

/* debref.c: Debian Reference: DocBook HTML, one article per section. */
void debref_read(builder *b, const char *dir, const char *url_base);

/* xml.c: a small XML reader for Mallard pages. */
void xml_free(xnode *n);
const char *xml_attr(const xnode *n, const char *name);
const char *xml_local(const xnode *n);
xnode *xml_parse(const char *s, size_t n, char *err, size_t errcap);

/* mallard.c: GNOME help: Mallard pages. */
void mallard_read(builder *b, const char *name, const char *dir);

/* roff.c: the roff reader: escapes, special characters, macro arguments. */
void roff_text(sbuf *out, const char *s);
void roff_args(const char *s, strv *args);

/* man.c: manpages-id: a page per file, title from its NAME line. */
void man_read(builder *b, const char *dir, const char *url_base);

/* queries.c: the known-item query sets (index, title, rootform). */
int cmp_doc(const void *a, const void *b);
void qset_free(qset *s);
void make_index_queries(builder *b, qset *out, long *too_many);
void make_title_queries(builder *b, qset *titles, qset *roots, long *dup,
                        long *generic, long *english);

/* output.c: the output files, written whole or not at all. */
FILE *open_out(const char *dir, const char *name, char **tmp);
void close_out(FILE *f, char *tmp);
void write_corpus(const builder *b, const char *dir);
void write_qset(const qset *s, const char *dir, const char *name,
                const char *prefix);
size_t qrels_count(const qset *s);

#endif
