/*
** query.h — internal interface of the query side: what a person types,
** turned into a query plan and its safe FTS5 MATCH expression (parse.c),
** and ranked results with snippets (search.c). Used by lib/ only; public
** names are in cari.h.
*/
#ifndef CARI_QUERY_H
#define CARI_QUERY_H

#include <stddef.h>

#include "indexer.h" /* idx_bm25_tf: one definition for score and bound */

struct sqlite3;
struct idx_tokenizer;
struct idx_analyzer;

/**************************************************************************
** Interface to code in rank.c
**
** The ranking settings (parsed from cari_search_opts.ranking) and the FTS5
** auxiliary function cari_rank() that scores with them.
*/
enum { QRY_RANK_CARI, QRY_RANK_BM25 };

typedef struct qry_ranking {
  int fn;                /* QRY_RANK_CARI (per-field BM25 sum) or _BM25 (FTS5's) */
  double k1, b_title, b_body;
  double w_title, w_body;
  int function_words;    /* 1: drop Indonesian function words from queries */
  double w_surface;      /* weight of a word's exact form beside its stem */
  double w_synonym;      /* weight of a synonym beside its word (< 1) */
  double coord;          /* exponent of the share of query words held, for
                         ** keyword queries (questions use coord_question) */
  double coord_question;
  double coord_max;      /* ... applied to queries of at most this many words */
  double prox;           /* proximity bonus: score * (1 + prox / gap) */
  double prox_question;  /* ... for questions */
  int index_surface;     /* set by the caller: the index has surface forms */
  int index_informal;    /* set by the caller: the index reads informal
                         ** words (parse.c: `yg`, `gimana` are function
                         ** and question words as `yang`, `bagaimana`) */
  double w_typo;         /* weight of a correction of a misspelt word at
                         ** one edit (its square at two); 0: no typo
                         ** matching (typo.c) */
  int typo_swap;         /* 1: swapping two neighbouring letters is one
                         ** edit (Damerau), 0: two */
} qry_ranking;

void qry_ranking_default(qry_ranking *r);

/* The pieces of cari_rank's score, shared with the pruned search (topk.c)
** so that both compute it with the same operations in the same order, to
** the last bit (the Makefile compiles with -ffp-contract=off for that). */
#include <math.h>
static inline double qry_idf(long long nrow, long long df) {
  return log(1.0 + ((double)nrow - (double)df + 0.5) / ((double)df + 0.5));
}
static inline double qry_avg(long long nrow, long long total) {
  double a = nrow > 0 ? (double)total / (double)nrow : 1.0;
  return a <= 0 ? 1.0 : a;
}
/* One field's BM25 term for tf > 0 occurrences in a field of len tokens. */
static inline double qry_field_score(double W, double idf, int tf, double k1,
                                     double b, double len, double avg) {
  return W * idf * idx_bm25_tf(tf, k1, b, len, avg);
}
/* A synonym's idf in a field: its own, at most its word's (rank.c). */
static inline double qry_syn_idf(double idf, double word_idf) {
  return word_idf < idf ? word_idf : idf;
}
static inline double qry_coord(double score, int held, int ncore,
                               double coord, double coord_max) {
  if (coord > 0 && ncore > 1 && ncore <= coord_max)
    score *= pow((double)held / (double)ncore, coord);
  return score;
}
static inline double qry_prox(double score, int gap, double prox) {
  if (prox > 0 && gap > 0) score *= 1.0 + prox / gap;
  return score;
}
/* "key=value key=value": CARI_OK, or CARI_INVALID with err naming the key. */
int qry_ranking_parse(const char *spec, qry_ranking *r, char *err,
                      size_t errcap);
/* Register cari_rank() and cari_stats() on the connection: SQLite result
** code. */
int qry_rank_register(struct sqlite3 *db);

/* cari_rank's one argument: the ranking as this query applies it and, per
** phrase of the MATCH expression (in its order), what rank.c needs of the
** plan and the document frequencies already known. It travels to FTS5 as
** an SQL blob made by qry_rank_encode and read by qry_rank_decode, the one
** codec of it: doubles and integers copied as bytes, so every number comes
** back to the bit (no decimal text on the way). */
typedef struct qry_rank_phrase {
  double w;        /* the phrase's weight (qry_phrase.weight) */
  int kind;        /* QRY_WORD, QRY_SURFACE, ... (qry_phrase.kind) */
  int lead;        /* qry_phrase.lead: <= its own index */
  long long df[2]; /* articles with it in title, body; df[0] < 0: unknown
                   ** (cari_rank counts them itself) */
} qry_rank_phrase;
typedef struct qry_rank_args {
  double k1, b[2], W[2]; /* BM25 and field weights: title, body */
  double coord, coord_max, prox; /* as this query applies them */
  int nphrase;
  qry_rank_phrase *ph;   /* nphrase entries */
} qry_rank_args;
/* Encode a into *out (*nout bytes; the caller frees it with
** cari_free()): CARI_OK or CARI_NOMEM. */
int qry_rank_encode(const qry_rank_args *a, unsigned char **out, int *nout);
/* Decode blob[0..n) into *a; a->ph is the caller's (cari_free()), NULL
** when nphrase is 0. CARI_OK, CARI_NOMEM, or CARI_INVALID when the bytes
** are not an encoding (wrong size or tag, a lead after its phrase, an
** unknown kind, a negative count). */
int qry_rank_decode(const void *blob, int n, qry_rank_args *a);

/* The collection statistics cari_rank scores with, as cari_stats() hands
** them to the pruned search: `SELECT cari_stats(articles_fts, ?1)` with a
** qry_stats bound by sqlite3_bind_pointer(..., QRY_STATS_POINTER, NULL)
** fills it (SQL NULL result; an error when no pointer is bound). */
#define QRY_STATS_POINTER "cari_stats"
typedef struct qry_stats {
  long long nrow; /* articles */
  double avg[2];  /* mean field length in tokens (qry_avg): title, body */
} qry_stats;

/**************************************************************************
** Interface to code in parse.c
**
** The grammar (essay at the top of parse.c): words, "phrases", -exclusions,
** word* prefixes, OR. A query becomes a plan: its phrases in order, each
** the text of one FTS5 string holding the words exactly as typed, so FTS5
** never sees user syntax and analyses each word with the same tokenizer as
** the index. The plan is made once, grows once (prefix.c's
** expansion), and every module reads its fields: the MATCH expression is
** rendered from it (qry_plan_match), cari_rank's argument too
** (qry_rank_encode), never parsed back.
*/
#define QRY_MAX_TERMS 64    /* distinct positive words or phrases kept */
#define QRY_MAX_EXCLUDED 32 /* exclusions kept */
#define QRY_MAX_PREFIXES 8  /* prefixes kept as prefixes (then words) */
#define QRY_PREFIX_MIN 2    /* characters a prefix needs (else a word) */

/* What a phrase is to the score (rank.c's essay). */
enum qry_kind {
  QRY_WORD,     /* a word or phrase of the query: counts in coordination */
  QRY_SURFACE,  /* the exact form of the word before it: a bonus only */
  QRY_ALIAS,    /* another index term of its lead's word: its matches are
                ** the lead's (prefix expansion) */
  QRY_INFORMAL, /* reserved: a formal reading of an informal word */
  QRY_TYPO,     /* a correction of a misspelt word, its lead (typo.c):
                ** scored with its own weight and document frequency,
                ** counted as its lead's word in coordination and
                ** proximity (rank.c) */
  QRY_SYNONYM,  /* a word of the same meaning as its lead's (synonym.c):
                ** scored on its own, with at most its lead's idf; its
                ** matches count as its lead's word in coordination and
                ** proximity */
  QRY_NKIND
};

typedef struct qry_phrase {
  char *text;    /* owned by the plan: the FTS5 string's bytes, NUL-ended:
                 ** words one space apart (a leading IDX_SURFACE_MARK asks
                 ** for surface forms); never holds '"' */
  int ntext;
  int prefix;    /* 1: the last word matches every term it begins */
  int kind;      /* enum qry_kind */
  int excluded;  /* 1: after NOT (articles matching it are dropped) */
  int lead;      /* the phrase whose word this is: itself, an alias's
                 ** leader, or the word a synonym stands for (an earlier
                 ** phrase, never an alias or a synonym) */
  double weight; /* w_p of the score: 1 a word, w_surface a surface bonus,
                 ** 0 an alias or an exclusion */
} qry_phrase;

/* Phrases in the order of the expression: the searched ones, then the
** excluded ones; an alias right after its leader (or its leader's other
** aliases). */
typedef struct qry_plan {
  qry_phrase *p; /* owned: n phrases */
  int n;
  size_t cap;
  int question;  /* 1: a question in natural language (a question word such
                 ** as apa, siapakah, berapa, or a '?') */
} qry_plan;

/* Translate q[0..n) into a plan. On CARI_OK *out is the plan (free it with
** qry_plan_free), holding at least one searched phrase. CARI_QUERY with a
** one-line reason in err when nothing is left to search; CARI_NOMEM. `r`
** may be NULL (no function words, no surface forms). `note` (when not
** NULL, notecap bytes) receives what the bounds cut (parse.c's essay:
** words, exclusions, prefixes), one line of sentences separated by "; ",
** or "" when nothing was cut. */
int qry_translate(struct idx_tokenizer *tok, const char *q, int n,
                  const qry_ranking *r, qry_plan **out, char *note,
                  size_t notecap, char *err, size_t errcap);
/* An empty plan (question 0), or NULL on out of memory. */
qry_plan *qry_plan_new(void);
/* Append a phrase: a copy of text[0..ntext) (it must hold no '"'); lead -1
** means itself. CARI_OK or CARI_NOMEM (the plan is unchanged). */
int qry_plan_add(qry_plan *pl, const char *text, int ntext, int prefix,
                 int kind, int excluded, int lead, double weight);
void qry_plan_free(qry_plan *pl);
/* The FTS5 MATCH expression of the plan, the one rendering of it:
**   ("w1" OR "w2" OR "p1 p2" OR "pre"*) NOT ("x1" OR "x2")
** (no parentheses without exclusions). *out is NUL-terminated, freed by
** the caller with cari_free(). CARI_OK or CARI_NOMEM. */
int qry_plan_match(const qry_plan *pl, char **out);

/* 1 if the normalised word is an Indonesian function word (query side). */
int qry_function_word(const char *w, size_t n);

/**************************************************************************
** Interface to code in lookup.c
**
** What the pruned search knows (topk.c is its only user): the top-k build
** as it stands (postings.c's tables, reloaded when the database changed),
** and each phrase of a plan with its index term and postings.
*/
typedef struct qry_build {
  struct sqlite3 *db;
  struct idx_analyzer *an; /* borrowed */
  long long seen_version, seen_changes; /* the database when last read */
  int have;           /* tables present and usable */
  int have_words;     /* cari_words present (a build since it exists) */
  char stamp[160];    /* the build's meta values: which len is loaded */
  long long max_doc, last_doc;
  double avg_build[2], k1, b[2];
  long long *stale;   /* owned: sorted rowids replaced or removed, nstale */
  int nstale;
  unsigned *len;      /* owned: title, body length per doc up to max_doc */
  struct sqlite3_stmt *term; /* owned: one term's postings row */
} qry_build;
/* Reload what changed since the last call (PRAGMA data_version for other
** connections, total_changes for this one); sets b->have. A cari_rc. */
int qry_build_refresh(qry_build *b, char *err, size_t errcap);
/* 1 if doc was replaced or removed since the build. */
int qry_build_stale(const qry_build *b, long long doc);
/* Free what b owns (b itself is the caller's). */
void qry_build_clear(qry_build *b);

/* One phrase of the plan as the postings know it. */
typedef struct qry_term {
  const qry_phrase *ph;         /* borrowed from the plan */
  int group;                    /* a leader with aliases: postings merged */
  char term[IDX_MAX_TOKEN + 8]; /* its one index term, when single */
  int nterm;                    /* bytes of term; -1 if not one term */
  int found;                    /* its postings were read */
  long long df[2];              /* articles with it: title, body */
  unsigned char *data;          /* owned copy of the blob */
  idx_post_list list;
  idx_posting *flat;            /* owned: a prefix's or group's merged
                                ** postings, or NULL */
  int nflat;
  double idf[2];                /* set by the search */
} qry_term;
typedef struct qry_terms {
  qry_term *p; /* owned: one per phrase of the plan, in its order */
  int n;
} qry_terms;
/* Each phrase's one index term, as the analyzer makes it (nterm -1 when
** it has none or several). A cari_rc, err set; free *ts with
** qry_terms_free (also after a failure). */
int qry_terms_analyse(qry_build *b, const qry_plan *pl, qry_terms *ts,
                      char *err, size_t errcap);
/* Then each term's top-k postings (a prefix or a word with aliases: all
** their terms' merged). A cari_rc, err set. */
int qry_terms_postings(qry_build *b, qry_terms *ts, char *err, size_t errcap);
void qry_terms_free(qry_terms *ts);
/* A term's blocks of postings, and block i of them decoded into
** buf[IDX_POST_BLOCK]: its count, or -1 when damaged. */
int qry_term_nblocks(const qry_term *p);
int qry_term_block(const qry_term *p, int i, idx_posting *buf);
/* Does FTS5 look up exactly `term` when given it quoted (the analyzer
** gives it back unchanged)? 1 or 0; -1 on out of memory. */
int qry_term_stable(qry_build *b, const char *term, int n);
/* The range [term, *hi) of the terms starting with term[0..n): hi's
** length (hi holds IDX_MAX_TOKEN + 8 bytes), 0 when there is no end. */
int qry_prefix_hi(const char *term, int n, char *hi);

/**************************************************************************
** Interface to code in prefix.c
**
** Prefix expansion (essay at the top of prefix.c): a prefix also matches
** the index terms of the words it begins (aliases), and one that begins
** too many terms is cut to its most frequent ones.
*/
#define QRY_PREFIX_MAX_TERMS 32 /* index terms one prefix expands to */
/* The plan pl with its prefixes expanded into *out (a new plan: free it
** with qry_plan_free), or *out NULL when nothing changes; *note (cari_free,
** or NULL) says what a cap cut. ts: pl's terms (qry_terms_analyse). A cari_rc, err set. */
int qry_expand_prefixes(qry_build *b, const qry_plan *pl,
                        const qry_terms *ts, qry_plan **out, char **note,
                        char *err, size_t errcap);

/**************************************************************************
** Interface to code in thesaurus.c
**
** A MyThes thesaurus (Debian's mythes-id: .idx and .dat, ISO-8859-1 on
** disk), read whole once and looked up by normalised word (essay at the
** top of thesaurus.c).
*/
#define QRY_THES_DEFAULT "/usr/share/mythes/th_id_ID_v2.idx"
typedef struct qry_thes qry_thes;
/* Called per synonym of a sense (sense: its number, from 0 over every
** entry of the key), syn[0..n) UTF-8, valid during the call. A non-zero
** return stops the walk and is returned (use a negative one). */
typedef int (*qry_thes_fn)(void *ctx, int sense, const char *syn, int n);
/* Read the thesaurus at path ("X.idx", "X.dat" or "X": both files), its
** headwords normalised by tok (used during the call only). CARI_OK with
** *out (free with qry_thes_free); CARI_IO (a file unreadable), CARI_FORMAT
** (an encoding other than ISO-8859-1 or UTF-8, a file over 64 MB),
** CARI_NOMEM; err names the file. */
int qry_thes_open(const char *path, struct idx_tokenizer *tok,
                  qry_thes **out, char *err, size_t errcap);
void qry_thes_free(qry_thes *th);
/* fn for every synonym of every sense (antonyms skipped) of every entry
** whose normalised headword is key[0..nkey): 0 when there is none, 1 when
** there is, or fn's non-zero return. th NULL: 0. */
int qry_thes_lookup(const qry_thes *th, const char *key, int nkey,
                    qry_thes_fn fn, void *ctx);
/* The normalised key of s[0..n) (its words as tok makes them, one space
** apart) into out (cap bytes, NUL-ended): its length, 0 when it has no
** word or does not fit, -1 on out of memory. */
int qry_thes_key(struct idx_tokenizer *tok, const char *s, int n, char *out,
                 int cap);
/* Entries, and bytes held. */
int qry_thes_entries(const qry_thes *th);
size_t qry_thes_bytes(const qry_thes *th);

/**************************************************************************
** Interface to code in synonym.c
**
** The user's synonyms file (`kopdar = kopi darat`), and a plan's words
** expanded with synonyms from it and from the thesaurus (essay at the top
** of synonym.c: the format, the order of candidates, the caps).
*/
#define QRY_SYN_PER_WORD 4      /* synonyms kept per query word */
#define QRY_SYN_MAX 32          /* synonyms kept per query */
#define QRY_SYN_TERM_WORDS 4    /* words of a term of the synonyms file */
#define QRY_SYN_TERM_WORDS_STR "4"
typedef struct qry_syns qry_syns;
/* Parse the synonyms file's text[0..n) (`name`: the file, for messages).
** CARI_OK with *out (free with qry_syns_free); CARI_FORMAT with "name:line:
** reason" in err; CARI_NOMEM. tok is used during the call only. */
int qry_syns_parse(const char *text, size_t n, const char *name,
                   struct idx_tokenizer *tok, qry_syns **out, char *err,
                   size_t errcap);
/* The same from the file at path: CARI_IO when it cannot be read. */
int qry_syns_load(const char *path, struct idx_tokenizer *tok,
                  qry_syns **out, char *err, size_t errcap);
void qry_syns_free(qry_syns *s);
/* Groups (lines) read. */
int qry_syns_count(const qry_syns *s);
/* fn (sense: the group) for every other term of every group holding the
** normalised key[0..nkey): 0 none, 1 some, or fn's non-zero return. */
int qry_syns_lookup(const qry_syns *s, const char *key, int nkey,
                    qry_thes_fn fn, void *ctx);

typedef struct qry_syn_source {
  const qry_thes *thes; /* NULL: no thesaurus */
  const qry_syns *user; /* NULL: no user synonyms */
  double weight;        /* w_p of a synonym phrase (qry_ranking.w_synonym) */
} qry_syn_source;
/* The plan pl with its words' synonyms (QRY_SYNONYM phrases, each led by
** its word) after its searched phrases, into *out (a new plan: free with
** qry_plan_free), or *out NULL when there is none. tok and an (the index's
** analyzer) are used during the call. CARI_OK or CARI_NOMEM (err set). */
int qry_expand_synonyms(const qry_syn_source *src, struct idx_tokenizer *tok,
                        struct idx_analyzer *an, const qry_plan *pl,
                        qry_plan **out, char *err, size_t errcap);

/**************************************************************************
** Interface to code in typo.c
**
** Typing errors (essay at the top of typo.c): the plan's words the index
** knows rarely, matched to close words of the vocabulary (cari_vocab) as
** QRY_TYPO phrases, and the did-you-mean query.
*/
#define QRY_TYPO_MIN1 5      /* letters a word needs for one edit ... */
#define QRY_TYPO_MIN2 9      /* ... and for two */
#define QRY_TYPO_RARE 20000  /* "rarely": in at most N / this articles */
#define QRY_TYPO_RATIO 10    /* a known word's correction: this many times
                             ** as many articles */
#define QRY_TYPO_MAX_CAND 3  /* corrections per word */
#define QRY_TYPO_MAX_WORDS 8 /* words of a query looked up */
#define QRY_TYPO_MAX_STEPS 20000 /* vocabulary rows read per word */

struct sid_lexicon;
typedef struct qry_typo_opts {
  double weight; /* a correction's weight at one edit (squared at two); 0:
                 ** look up (for did-you-mean) but add no phrase */
  int swap;      /* 1: a transposition is one edit */
  int function_words; /* 1: a correction that is a function word is
                 ** not searched (the query drops those), only proposed */
  const struct sid_lexicon *lx; /* borrowed, or NULL: dictionary words
                 ** (hunspell-id) count double among equals */
} qry_typo_opts;
typedef struct qry_typo {
  qry_plan *plan;  /* owned: pl with its corrections, or NULL (none) */
  char **from;     /* owned: nfix words corrected (normalised) ... */
  char **to;       /* ... and the likeliest correction of each */
  int nfix;
  int looked;      /* words looked up */
  int skipped;     /* rarely known words not looked up (past
                   ** QRY_TYPO_MAX_WORDS) */
  int truncated;   /* a bound stopped a lookup, or words were left out */
} qry_typo;
/* Look up pl's rarely known words in the vocabulary of db (an: the
** index's analyzer, tok its tokenizer; both borrowed for the call) into
** *res (cleared first; free with qry_typo_clear, also after a failure).
** A cari_rc, err set. */
int qry_typo_expand(struct sqlite3 *db, struct idx_analyzer *an,
                    struct idx_tokenizer *tok, const qry_plan *pl,
                    const qry_typo_opts *o, qry_typo *res, char *err,
                    size_t errcap);
void qry_typo_clear(qry_typo *res);
/* The query q[0..n) with each word res corrected replaced by its
** correction, trimmed: *out (free with cari_free) or NULL when res
** corrected none. CARI_OK or CARI_NOMEM. */
int qry_typo_did_you_mean(struct idx_tokenizer *tok, const char *q, int n,
                          const qry_typo *res, char **out);

/**************************************************************************
** Interface to code in topk.c
**
** The k best articles of a plan, from the top-k postings when they can
** decide (essay at the top of topk.c), else from FTS5; the same either
** way.
*/
typedef struct qry_topk qry_topk;
typedef struct qry_hit {
  long long doc;
  double score;
  int body; /* 1: a query word is in the body; 0: none is; -1: unknown */
} qry_hit;
typedef struct qry_result {
  qry_hit *hit;      /* owned: nhit hits, best first, after the offset */
  int nhit;
  int pruned;        /* 1: answered from the top-k postings */
  int expanded;      /* 1: prefixes gained aliases or were cut */
  char **term;       /* owned: the positive words and phrases as snippet
                     ** units (qry_snippet_unit); NULL, nterm 0 without
                     ** snippets */
  int *termlen;
  int nterm;
  char *expr;        /* owned: the MATCH expression searched */
  char *note;        /* owned: what the prefix expansion cut, or NULL */
  qry_terms terms;   /* owned: the searched plan's terms with their top-k
                     ** postings (merged for prefixes and aliases), for
                     ** qry_topk_count; n 0 when the postings were not read */
  qry_plan *xpl;     /* owned: the expanded plan they point into, or NULL */
} qry_result;

/* A searcher on db, analysing query words with `an` (the index's analyzer,
** borrowed: both must outlive it). NULL on out of memory. */
qry_topk *qry_topk_new(struct sqlite3 *db, struct idx_analyzer *an);
void qry_topk_free(qry_topk *t);
/* The analyzer it was made with. */
struct idx_analyzer *qry_topk_analyzer(qry_topk *t);
/* Rank the plan (qry_translate's; borrowed for the call) into *res:
** CARI_OK, or a cari_rc with err set. exhaustive 1 forces FTS5's scoring
** of every match. Free res with qry_result_free. */
struct qry_opts;
int qry_topk_search(qry_topk *t, const qry_plan *pl, const struct qry_opts *o,
                    int exhaustive, qry_result *res, char *err, size_t errcap);
void qry_result_free(qry_result *r);
/* Every article that matches the plan, in rowid order, into *out (cari_free())
** and *n, from the postings when they can tell (words and exclusions,
** postings built); else *n is -1 and *out NULL: the caller asks FTS5. A
** cari_rc, err set. */
int qry_topk_matches(qry_topk *t, const qry_plan *pl, long long **out,
                     long long *n, char *err, size_t errcap);
/* The number of articles matching what res searched (qry_topk_search's
** result: its terms and expression, prefixes and aliases included), into
** *n, from the postings it read, without listing them; -1 when they cannot
** tell (phrases, surface forms, no postings): the caller asks FTS5. A
** cari_rc, err set. */
int qry_topk_count(qry_topk *t, const qry_result *res, long long *n,
                   char *err, size_t errcap);

/**************************************************************************
** Interface to code in meta.c
**
** The articles' dates and tags in memory (loaded from indexer/meta.c's
** tables, again after the database changed), filters resolved into a
** bitmap of rowids, and walks over a query's whole match set.
*/
typedef struct qry_meta qry_meta;
/* NULL on out of memory. The handle borrows db. */
qry_meta *qry_meta_new(struct sqlite3 *db);
void qry_meta_free(qry_meta *m);
/* Load (again) when the database changed: a cari_rc, err set;
** CARI_MISMATCH when the tables are missing (an older database opened
** read-only). */
int qry_meta_refresh(qry_meta *m, char *err, size_t errcap);
/* An article's instant (seconds since the epoch), INT64_MIN if undated. */
long long qry_meta_sec(const qry_meta *m, long long doc);

typedef struct qry_filter_spec {
  const char *const *tags; /* every one must match (trimmed, case folded) */
  int ntags;
  int has_from, has_to;    /* bounds on the date as written, inclusive */
  long long from_day, to_day;
} qry_filter_spec;
typedef struct qry_filter {
  unsigned char *bits; /* bit d: article d passes */
  long long n;         /* rowids covered: 0..n-1 (others do not pass) */
  long long count;     /* articles that pass */
} qry_filter;
/* Resolve a filter: CARI_OK with *out (free with qry_filter_free), or a
** cari_rc with err set. */
int qry_filter_make(qry_meta *m, const qry_filter_spec *fs, qry_filter **out,
                    char *err, size_t errcap);
void qry_filter_free(qry_filter *f);
static inline int qry_filter_has(const qry_filter *f, long long doc) {
  return doc >= 0 && doc < f->n && ((f->bits[doc >> 3] >> (doc & 7)) & 1);
}

typedef struct qry_facet {
  char **value;       /* owned: tag as written, or year */
  long long *count;
  int n;
} qry_facet;
typedef struct qry_facets {
  qry_facet f[2];     /* 0 tags, 1 years; most frequent first */
} qry_facets;
void qry_facets_free(qry_facets *fc);
/* One pass over every article matching expr (FTS5) and passing filter
** (NULL: all): their number into total; when facet_limit > 0 the facet
** counts (at most facet_limit values each); when docs is not NULL on entry
** (an allocation of capdoc) their rowids, in rowid order. */
typedef struct qry_scan {
  long long total;
  int facet_limit;
  qry_facets facets;  /* owned: qry_facets_free */
  long long *docs, ndoc; /* docs owned: cari_free() */
  size_t capdoc;
} qry_scan;
/* The match set of plan pl (its MATCH expression expr): read from the
** postings of t when they can tell (qry_topk_matches; t may be NULL),
** else from FTS5. */
int qry_meta_scan(qry_meta *m, qry_topk *t, const qry_plan *pl,
                  const char *expr, const qry_filter *filter, qry_scan *sc,
                  char *err, size_t errcap);

/**************************************************************************
** Interface to code in search.c
*/
typedef struct qry_cursor qry_cursor;

struct qry_topk;
typedef struct qry_opts {
  int limit, offset, snippet_words;
  const char *mark_open, *mark_close, *ellipsis;
  int no_snippet;
  const qry_ranking *rank;
  int exhaustive;      /* 1: score every match (CARI_SEARCH_EXHAUSTIVE) */
  const struct qry_filter *filter; /* NULL, or only the articles it passes
                       ** (the others are skipped before scoring: the
                       ** list is the unfiltered one without them) */
  int sort_date;       /* 1: newest first, then by score (search.c) */
  int facet_limit;     /* > 0: facets over the whole match set */
  qry_meta *meta;      /* borrowed: for sort_date and facets */
} qry_opts;

/* Prepare a ranked search for a plan. CARI_OK with *out, or a cari_rc
** with err set. The cursor borrows db and the plan until qry_cursor_free
** (its total and facets read the plan again). */
int qry_open(struct sqlite3 *db, struct qry_topk *topk, const qry_plan *pl,
             const qry_opts *o, qry_cursor **out, char *err, size_t errcap);
/* CARI_ROW, CARI_DONE or an error (err set). */
int qry_next(qry_cursor *c, char *err, size_t errcap);
/* Field i of the current row: 0 id, 1 title, 2 url, 3 date, 4 snippet,
** 5 author (NULL in a database without the column). */
const char *qry_field(qry_cursor *c, int i);
double qry_score(qry_cursor *c);
/* The MATCH expression searched (qry_result.expr). */
const char *qry_expr(qry_cursor *c);
/* What the prefix expansion cut (qry_result.note), or NULL. */
const char *qry_note(qry_cursor *c);
/* Total matches into *n, computed on the first call: a cari_rc (err set
** on failure, *n then -1). */
int qry_total(qry_cursor *c, long long *n, char *err, size_t errcap);
/* The facets over the whole match set (with the filter), at most limit
** values each, made on the first call (which also sets the total): a
** cari_rc; *out owned by the cursor. */
int qry_facets_get(qry_cursor *c, int limit, const qry_facets **out,
                   char *err, size_t errcap);
/* Drop article doc from the hits, then keep hits [offset, offset+limit)
** (cari_related: the article itself is not related to itself). CARI_OK. */
int qry_drop_hit(qry_cursor *c, long long doc, int offset, int limit);
/* The current row's tags (trimmed, as written): their number, *tags owned
** by the cursor until the next row. */
int qry_tags(qry_cursor *c, const char *const **tags);
void qry_cursor_free(qry_cursor *c);

/**************************************************************************
** Interface to code in suggest.c
**
** Completions of a partial word from the vocabulary (cari_suggest), and
** the query of an article's related ones (cari_related). Essay at the top
** of suggest.c.
*/
struct cari_suggestion;
/* cari_suggest's work: on CARI_OK *out (one block the caller frees with
** cari_free()) holds *nout suggestions; else a cari_rc with err set. */
int qry_suggest(struct sqlite3 *db, struct idx_tokenizer *tok,
                const char *text, int len, int limit,
                struct cari_suggestion **out, int *nout, char *err,
                size_t errcap);
/* The number of articles as the ranking counts them (FTS5's record, read
** without counting the table) into *nrow: SQLite rc. */
int qry_nrow(struct sqlite3 *db, long long *nrow);
/* The plan (free with qry_plan_free) of the article with this title and
** body, in a collection of nrow articles: CARI_OK, CARI_QUERY when it has
** no word to search by, CARI_NOMEM or another cari_rc, err set. */
int qry_related_plan(struct sqlite3 *db, struct idx_analyzer *an,
                     const char *title, const char *body, long long nrow,
                     qry_plan **out, char *err, size_t errcap);

/**************************************************************************
** Interface to code in budget.c
**
** A time budget for the SQLite work of one call: a progress handler on the
** connection that interrupts the running statement (SQLITE_INTERRUPT) once
** the deadline has passed. The C work between statements is bounded by the
** query's bounds instead (parse.c's essay), not by this.
*/
#define QRY_BUDGET_MS 2000 /* cari_search_opts.max_ms 0 means this */
typedef struct qry_budget {
  struct sqlite3 *db;
  double deadline; /* seconds on CLOCK_MONOTONIC */
  int expired;     /* 1 once the handler has interrupted a statement */
} qry_budget;
/* Start a budget of ms milliseconds on db (ms < 0: none, nothing is
** installed; 0 is a budget already spent: the first check interrupts).
** Replaces the connection's progress handler until qry_budget_end. */
void qry_budget_begin(qry_budget *b, struct sqlite3 *db, int ms);
/* Remove the handler. Returns b->expired. */
int qry_budget_end(qry_budget *b);

/**************************************************************************
** Interface to code in snippet.c
**
** The snippet of one field of a shown result, made from the stored text in
** one pass of the analyzer (FTS5's snippet() tokenizes each body twice).
*/
struct idx_analyzer;

typedef struct qry_snippet_opts {
  int words;                            /* window length in words (<=0: 24, max 64) */
  const char *open, *close, *ellipsis;  /* NULL: "[", "]", "…" */
} qry_snippet_opts;
/* A snippet of text[0..len) (one field of an article) for the query
** units terms[0..nterm) (lengths in nterms). A unit is one word or phrase
** of the query as qry_snippet_unit makes it: its index terms in order,
** separated by one space, with '*' after the last for a prefix (it then
** matches every term that starts with the bytes before the '*', as an
** FTS5 prefix query does); a term starting with IDX_SURFACE_MARK is a
** surface form. The window is the one of `words` words holding the most
** distinct units (then the most occurrences, then the earliest); each
** occurrence (its words in a row, as an FTS5 phrase matches) is wrapped
** in open/close around its bytes as written, one mark for the whole
** phrase; the words of a phrase standing alone are not marked. Ellipsis
** where text was cut, all on one line (every run of white space or control
** characters becomes one space, so the snippet holds no control byte of
** the text: open/close are the only marks in it). With no hit: the first
** `words` words. On CARI_OK *out is a NUL-terminated string the caller
** frees with cari_free(); CARI_NOMEM otherwise. Work is linear in the text and
** stops once the snippet is settled. Details (the window's placement,
** where it stops reading, what counts as a word, the limits on units) are
** in the essay at the top of snippet.c. `an` is used for the call only
** (one thread at a time, like every analyzer); `o` may be NULL; len < 0
** means text is NUL-terminated. */
int qry_snippet(struct idx_analyzer *an, const char *text, int len,
                const char *const *terms, const int *nterms, int nterm,
                const qry_snippet_opts *o, char **out);

/* The snippet unit of one phrase of a plan (its text, prefix 1 for a
** prefix):
** its terms as the `indonesian` tokenizer makes them for FTS5's query (a
** leading IDX_SURFACE_MARK: surface forms; a prefix: unstemmed words). On
** CARI_OK *out is the unit (NUL-terminated, *nout bytes; the caller frees
** it with cari_free()), or NULL when the text holds no term; else
** CARI_NOMEM. */
int qry_snippet_unit(struct idx_analyzer *an, const char *text, int len,
                     int prefix, char **out, int *nout);

#endif
