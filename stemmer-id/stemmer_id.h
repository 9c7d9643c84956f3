/*
** stemmer_id.h — the whole API of cari's Indonesian stemmer: bytes in,
** bytes out. Dictionary-based confix stripping: candidate roots are made by
** peeling particles, possessives, derivational suffixes and (stacked)
** prefixes with consonant restoration, and the preferred analysis whose root
** is in the lexicon wins. No SQLite, no utf8proc, no global mutable state;
** it allocates (loading the lexicon, creating a stemmer) through the
** library's allocation seam (mem/mem.h, its one dependency) and nothing
** while stemming.
**
** Threads: a sid_lexicon is immutable once loaded and may be shared by any
** number of threads; a sid_stemmer holds scratch space and belongs to one
** thread at a time. Create one stemmer per thread, all borrowing one lexicon.
*/
#ifndef SID_STEMMER_ID_H
#define SID_STEMMER_ID_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Words longer than this many bytes are returned unchanged. */
#define SID_MAX_WORD 64

/* Where Debian's hunspell-id installs its word list. */
#define SID_DEFAULT_DIC "/usr/share/hunspell/id_ID.dic"

typedef struct sid_lexicon sid_lexicon;
typedef struct sid_stemmer sid_stemmer;

/*
** Load a lexicon of roots. `dic_path` is a hunspell .dic file (first line a
** count, then `word` or `word/FLAGS`; flags are ignored, words lowercased,
** affix entries such as `ber-` skipped). `extra_roots_path` (may be NULL) is
** a file of further roots, one a line; they are preferred roots, which win
** when two analyses of a word differ only in their root, except after a
** line `[plain]` (until a line `[preferred]`). `exceptions_path` (may be
** NULL) holds lines `word<TAB>stem` (the word, and any analysis whose root
** is that word, gives stem) or a lone `word` (a root never stemmed). In
** both extra files blank lines and lines starting with '#' are ignored;
** every file is UTF-8 (a .dic line that is not valid UTF-8 is read as
** ISO-8859-1).
**
** Returns the lexicon, which the caller owns and frees with
** sid_lexicon_free() after every stemmer borrowing it has been freed; or
** NULL with a message naming the file (and line) in err[0..errcap) when a
** file cannot be read or memory runs out. `err` may be NULL.
*/
sid_lexicon *sid_lexicon_load(const char *dic_path, const char *extra_roots_path,
                              const char *exceptions_path, char *err,
                              size_t errcap);

/*
** The same from several sources at once: the .dic file, roots and
** exceptions given as text in memory (the lists built into a program), and
** files of further roots and exceptions. Every pointer is borrowed for the
** call only; NULL members are skipped, except dic_path, which is required.
** Entries add up across sources; a later exception for a word replaces an
** earlier one.
*/
typedef struct sid_lexicon_spec {
  const char *dic_path;
  const char *roots_text;      /* roots_len bytes, the extra-roots format */
  size_t roots_len;
  const char *exceptions_text; /* exceptions_len bytes, the exceptions format */
  size_t exceptions_len;
  const char *roots_path;      /* a file of further roots */
  const char *exceptions_path; /* a file of further exceptions */
} sid_lexicon_spec;

sid_lexicon *sid_lexicon_open(const sid_lexicon_spec *spec, char *err,
                              size_t errcap);

/* Free a lexicon; NULL is harmless. */
void sid_lexicon_free(sid_lexicon *lx);

/*
** A 16-digit lowercase hex checksum of the loaded roots and exceptions,
** independent of their order in the files, so that an index can record
** which lexicon built it. The string is owned by the lexicon and lives as
** long as it.
*/
const char *sid_lexicon_checksum(const sid_lexicon *lx);

/* Number of distinct entries (roots and exception words) loaded. */
int sid_lexicon_count(const sid_lexicon *lx);

/* 1 if the n bytes at w are a root or an exception word of the lexicon. */
int sid_lexicon_has(const sid_lexicon *lx, const char *w, int n);

/*
** A stemmer borrowing `lx`, which must outlive it. Returns NULL when lx is
** NULL or memory runs out. The caller owns the stemmer and frees it with
** sid_free().
*/
sid_stemmer *sid_new(const sid_lexicon *lx);

/* Free a stemmer; NULL is harmless. The lexicon is not freed. */
void sid_free(sid_stemmer *st);

/*
** Stem the n bytes at w (n < 0: w is NUL-terminated). Input is expected
** lowercase UTF-8 as the analyzer produces it (ASCII capitals are folded);
** any bytes are accepted. Hyphenated words come whole: a reduplication
** (`anak-anak`, `berkumpul-kumpul`, `anak2`, `anak2nya`) gives its base's
** root; other compounds give each part stemmed, joined by '-'. Words longer
** than SID_MAX_WORD bytes, words without letters and words with digits
** (other than the reduplication `2`) are returned unchanged.
**
** The stem is written to out[0..cap) followed by a NUL when there is room,
** and its length (without the NUL) is returned. If the length exceeds cap,
** out is left unchanged and the length needed is returned. Returns -1 when
** st or w is NULL. No allocation; `out` is the caller's and may not overlap
** w.
*/
int sid_stem(sid_stemmer *st, const char *w, int n, char *out, int cap);

/*
** Informal Indonesian (informal.c): the formal root that the informal word
** w[0..n) stands for, written as sid_stem() writes (out, cap; the length
** returned), or 0 when it has no informal reading, -1 when st or w is NULL.
** Readings come from a table of lexical forms and abbreviations (yg, gak,
** udah, gimana), from letters repeated for emphasis (bangeeet), and from
** colloquial morphology that the stemmer must confirm against the lexicon:
** the bare nasal for meN- (ngumpul, nulis, nyapu, nyari, mukul, ngecat),
** -in for -kan/-i (dengerin, diajarin, mikirin), ke- for ter- (kesedot),
** the spoken vowel (dapet, sampe, kalo). A word the lexicon knows has none
** (kepala, nyata, ingin), unless the table lists it. Give it what
** sid_stem() returned for a word: the reading is then a function of that
** stem alone. *sure (may be NULL) is set to 1 when the word is nothing but
** an informal spelling (yg, bangeeet), 0 when it may also be a word or a
** name of its own (ngumpul, nanda, gua).
*/
int sid_informal(sid_stemmer *st, const char *w, int n, char *out, int cap,
                 int *sure);

/*
** The spoken vowel of a whole word (pesen, seneng) against the analysis the
** stemmer made of it (pe+sen, se+neng): when the word is not in the lexicon
** and a spoken-vowel variant of it (pesan, senang) is a preferred root of
** its own, that root, written as sid_stem() writes; else 0 (-1: NULL). The
** caller uses it instead of the stem when the stemmer stripped affixes from
** the word, as the stemmer would have, had the word been written formally.
*/
int sid_informal_whole(sid_stemmer *st, const char *w, int n, char *out,
                       int cap);

/* The formal word of an informal form of the table (yg: "yang"), static
** text, or NULL; *sure (may be NULL) as for sid_informal. Needs no
** lexicon. */
const char *sid_informal_word(const char *w, int n, int *sure);

#ifdef __cplusplus
}
#endif

#endif
