/*
** gen_corpus.c — a deterministic corpus of N blog-length Indonesian articles
** for the hot-path benchmarks, made by re-sampling real sentences, plus the
** fixed query set the benchmarks run (see bench/README.md, "The corpus").
**
**   gen_corpus N OUT.jsonl QUERIES.tsv [SOURCE] [SEED]
**
** SOURCE (default ../shared/data/tydiqa-id/docs.jsonl, else corpus/articles)
** is read through cari's own readers. Article k depends only on k, SEED and
** SOURCE, so the first 10,000 lines of a 100,000-article file are the
** 10,000-article corpus. Output is streamed: memory is the source's size.
** It does not invent words: every word of the output is in SOURCE —
** unless --open is given: then words are made as the text grows (names,
** compounds, typos: "the open vocabulary" below), and article k depends on
** the articles before it (still, the first N lines of a longer file are
** the N-article corpus).
*/
#include "cari.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_SOURCE "../shared/data/tydiqa-id/docs.jsonl"
#define FALLBACK_SOURCE "corpus/articles"
#define MIN_WORDS 300
#define MAX_WORDS 1500
#define TOPIC_SHARE 70  /* % of an article's sentences drawn near its topic */
#define TOPIC_SPAN 8    /* passages either side of the topic passage */
#define PER_BAND 20     /* queries per band */

/* ---- growable buffers ---------------------------------------------- */

static void *xrealloc(void *p, size_t n) {
  p = realloc(p, n);
  if (!p) {
    fprintf(stderr, "gen_corpus: out of memory\n");
    exit(1);
  }
  return p;
}

typedef struct {
  char *p;
  size_t n, cap;
} buf;

static void buf_add(buf *b, const char *s, size_t n) {
  if (b->n + n + 1 > b->cap) {
    b->cap = (b->n + n + 1) * 2;
    b->p = xrealloc(b->p, b->cap);
  }
  memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = 0;
}

/* ---- the sentence pool --------------------------------------------- */

typedef struct {
  size_t off;  /* into pool text */
  int len;     /* bytes */
  int words;
} sentence;

static buf text;              /* all sentences, NUL-separated */
static sentence *sents;
static int nsents, capsents;
static int *pass_first, *pass_count; /* sentences of each source passage */
static int npass, cappass;

static int count_words(const char *s, int n) {
  int w = 0, in = 0;
  for (int i = 0; i < n; i++) {
    int sp = s[i] == ' ' || s[i] == '\n' || s[i] == '\t';
    if (!sp && !in) w++;
    in = !sp;
  }
  return w;
}

static void add_sentence(const char *s, int n) {
  while (n > 0 && (*s == ' ' || *s == '\n' || *s == '\t')) s++, n--;
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\t'))
    n--;
  int w = count_words(s, n);
  if (w < 3) return;
  if (nsents == capsents) {
    capsents = capsents ? capsents * 2 : 4096;
    sents = xrealloc(sents, (size_t)capsents * sizeof *sents);
  }
  sents[nsents].off = text.n;
  sents[nsents].len = n;
  sents[nsents].words = w;
  nsents++;
  /* Newlines inside a sentence become spaces: paragraphs are ours. */
  size_t at = text.n;
  buf_add(&text, s, (size_t)n);
  for (size_t i = at; i < text.n; i++)
    if (text.p[i] == '\n' || text.p[i] == '\t' || text.p[i] == '\r')
      text.p[i] = ' ';
  buf_add(&text, "", 1);
}

/* Split a passage into sentences: at . ? ! followed by white space and a
** capital, digit or quote; "[12]" citation marks are dropped. */
static void add_passage(const char *body) {
  buf clean = {0};
  for (const char *p = body; *p; p++) {
    if (*p == '[') {
      const char *q = p + 1;
      while (*q >= '0' && *q <= '9') q++;
      if (*q == ']' && q > p + 1) {
        p = q;
        continue;
      }
    }
    buf_add(&clean, p, 1);
  }
  if (npass == cappass) {
    cappass = cappass ? cappass * 2 : 1024;
    pass_first = xrealloc(pass_first, (size_t)cappass * sizeof *pass_first);
    pass_count = xrealloc(pass_count, (size_t)cappass * sizeof *pass_count);
  }
  pass_first[npass] = nsents;
  const char *s = clean.p ? clean.p : "";
  size_t n = clean.n, start = 0;
  for (size_t i = 0; i < n; i++) {
    if ((s[i] == '.' || s[i] == '?' || s[i] == '!') && i + 2 < n &&
        (s[i + 1] == ' ' || s[i + 1] == '\n')) {
      unsigned char c = (unsigned char)s[i + 2];
      if (isupper(c) || isdigit(c) || c == '"' || c >= 0x80) {
        add_sentence(s + start, (int)(i + 1 - start));
        start = i + 1;
      }
    }
  }
  if (start < n) add_sentence(s + start, (int)(n - start));
  pass_count[npass] = nsents - pass_first[npass];
  npass++;
  free(clean.p);
}

static int load_source(const char *path) {
  cari_reader *r;
  if (cari_reader_open(path, &r) != CARI_OK) {
    fprintf(stderr, "gen_corpus: %s\n",
            r ? cari_reader_errmsg(r) : "out of memory");
    cari_reader_close(r);
    return 1;
  }
  cari_article a;
  int rc;
  while ((rc = cari_reader_next(r, &a)) != CARI_DONE) {
    if (rc == CARI_FORMAT) continue;
    if (rc != CARI_ROW) {
      fprintf(stderr, "gen_corpus: %s\n", cari_reader_errmsg(r));
      cari_reader_close(r);
      return 1;
    }
    if (a.body && a.body[0]) add_passage(a.body);
  }
  cari_reader_close(r);
  return nsents == 0;
}

/* ---- deterministic random numbers (splitmix64) ------------------------ */

static uint64_t rnd_next(uint64_t *s) {
  uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}
static int rnd_below(uint64_t *s, int n) {
  return (int)(rnd_next(s) % (uint64_t)n);
}

/* ---- articles ------------------------------------------------------- */

static void json_str(FILE *f, const char *s, size_t n) {
  fputc('"', f);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') {
      fputc('\\', f);
      fputc(c, f);
    } else if (c == '\n') {
      fputs("\\n", f);
    } else if (c < 0x20) {
      fprintf(f, "\\u%04x", c);
    } else {
      fputc(c, f);
    }
  }
  fputc('"', f);
}

static int pick_sentence(uint64_t *r, int topic) {
  if (rnd_below(r, 100) < TOPIC_SHARE) {
    for (int tries = 0; tries < 8; tries++) {
      int p = topic + rnd_below(r, 2 * TOPIC_SPAN + 1) - TOPIC_SPAN;
      if (p < 0 || p >= npass || pass_count[p] == 0) continue;
      return pass_first[p] + rnd_below(r, pass_count[p]);
    }
  }
  return rnd_below(r, nsents);
}

/* A title: 3-8 words of a sentence near the topic, trailing punctuation off,
** first letter capital. */
static void make_title(uint64_t *r, int topic, buf *t) {
  const sentence *s = &sents[pick_sentence(r, topic)];
  const char *p = text.p + s->off, *end = p + s->len;
  int skip = s->words > 8 ? rnd_below(r, s->words - 7) : 0;
  int want = 3 + rnd_below(r, 6);
  for (; skip > 0 && p < end; skip--) {
    while (p < end && *p != ' ') p++;
    while (p < end && *p == ' ') p++;
  }
  const char *q = p;
  for (int w = 0; w < want && q < end; w++) {
    while (q < end && *q == ' ') q++;
    while (q < end && *q != ' ') q++;
  }
  while (q > p && strchr(" ,.;:()\"'-", q[-1])) q--;
  t->n = 0;
  buf_add(t, p, (size_t)(q - p));
  if (t->n && t->p[0] >= 'a' && t->p[0] <= 'z') t->p[0] -= 32;
}

/* Tags, for the filter and facet benchmarks: each from its own hash of k,
** so that the text (drawn from the article's own stream) is the same as
** without them. About 10% "kuliner", 35% "berita", 20% "teknologi", 5%
** "olahraga", 1% "resep"; some written in capitals, which filters fold. */
static const struct {
  const char *tag, *shown;
  int permille;
} gen_tags[] = {{"kuliner", "Kuliner", 100}, {"berita", "berita", 350},
                {"teknologi", "Teknologi", 200}, {"olahraga", "olahraga", 50},
                {"resep", "Resep", 10}};

static void write_tags(FILE *f, long k, uint64_t seed) {
  int n = 0;
  fputs(",\"tags\":[", f);
  for (size_t i = 0; i < sizeof gen_tags / sizeof *gen_tags; i++) {
    uint64_t r = seed ^ ((uint64_t)k * 0x9E3779B97F4A7C15ULL) ^
                 ((uint64_t)(i + 1) << 56);
    if ((int)(rnd_next(&r) % 1000) >= gen_tags[i].permille) continue;
    fprintf(f, "%s\"%s\"", n++ ? "," : "", gen_tags[i].shown);
  }
  fputs("]", f);
}

static int open_mode; /* --open */
static void open_add(buf *body, const char *s, int n, uint64_t *r);
static void count_words_seen(const char *s, size_t n);

static void write_article(FILE *f, long k, uint64_t seed, buf *body,
                          buf *title) {
  uint64_t r = seed ^ ((uint64_t)k * 0xD1B54A32D192ED03ULL);
  rnd_next(&r);
  int topic = rnd_below(&r, npass);
  int target = MIN_WORDS + rnd_below(&r, MAX_WORDS - MIN_WORDS + 1);
  make_title(&r, topic, title);
  body->n = 0;
  int words = 0, in_par = 0, par_len = 3 + rnd_below(&r, 5);
  while (words < target) {
    const sentence *s = &sents[pick_sentence(&r, topic)];
    if (in_par == par_len) {
      buf_add(body, "\n\n", 2);
      in_par = 0;
      par_len = 3 + rnd_below(&r, 5);
    } else if (body->n) {
      buf_add(body, " ", 1);
    }
    if (open_mode) open_add(body, text.p + s->off, s->len, &r);
    else buf_add(body, text.p + s->off, (size_t)s->len);
    words += s->words;
    in_par++;
  }
  if (open_mode) {
    count_words_seen(title->p ? title->p : "", title->n);
    count_words_seen(body->p, body->n);
  }
  int day = (int)(k % 3650);
  fprintf(f, "{\"id\":\"gen-%07ld\",\"title\":", k + 1);
  json_str(f, title->p ? title->p : "", title->n);
  fprintf(f, ",\"date\":\"%04d-%02d-%02d\"", 2015 + day / 365,
          1 + (day % 365) / 31 % 12, 1 + day % 28);
  write_tags(f, k, seed);
  fputs(",\"body\":", f);
  json_str(f, body->p, body->n);
  fputs("}\n", f);
}

/* ---- the query set -------------------------------------------------- */

/* Vocabulary of the pool: lowercase ASCII-letter words with their counts.
** (Words with other bytes are left out of queries: they are few and make
** the query set depend on the analyzer's folding.) */
typedef struct {
  char *w;
  long n;
  long rank; /* position by descending count, set after sorting */
} vword;

static vword *vtab;   /* open-addressing hash table */
static size_t vcap, vcount;

static uint64_t hash(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ULL;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
  return h;
}

static void vocab_add(const char *s, size_t n) {
  if (vcount * 2 >= vcap) {
    size_t ncap = vcap ? vcap * 2 : 1 << 16;
    vword *nt = calloc(ncap, sizeof *nt);
    if (!nt) {
      fprintf(stderr, "gen_corpus: out of memory\n");
      exit(1);
    }
    for (size_t i = 0; i < vcap; i++)
      if (vtab[i].w) {
        size_t j = hash(vtab[i].w, strlen(vtab[i].w)) & (ncap - 1);
        while (nt[j].w) j = (j + 1) & (ncap - 1);
        nt[j] = vtab[i];
      }
    free(vtab);
    vtab = nt;
    vcap = ncap;
  }
  size_t j = hash(s, n) & (vcap - 1);
  while (vtab[j].w) {
    if (strlen(vtab[j].w) == n && memcmp(vtab[j].w, s, n) == 0) {
      vtab[j].n++;
      return;
    }
    j = (j + 1) & (vcap - 1);
  }
  vtab[j].w = xrealloc(NULL, n + 1);
  memcpy(vtab[j].w, s, n);
  vtab[j].w[n] = 0;
  vtab[j].n = 1;
  vcount++;
}

/* The words of sentence i, lowercased, ASCII letters only ("" for a word
** with other bytes), written as NUL-separated strings into out. */
static int sentence_words(int i, char out[][32], int max) {
  const char *p = text.p + sents[i].off, *end = p + sents[i].len;
  int n = 0;
  while (p < end && n < max) {
    while (p < end && !isalnum((unsigned char)*p) && (unsigned char)*p < 0x80)
      p++;
    const char *q = p;
    int ok = 1;
    while (q < end && (isalnum((unsigned char)*q) || (unsigned char)*q >= 0x80))
      ok &= isalpha((unsigned char)*q) != 0, q++;
    if (q == p) break;
    size_t len = (size_t)(q - p);
    if (ok && len < 32) {
      for (size_t k = 0; k < len; k++) out[n][k] = (char)tolower((unsigned char)p[k]);
      out[n][len] = 0;
    } else {
      out[n][0] = 0;
    }
    n++;
    p = q;
  }
  return n;
}

static int by_count(const void *a, const void *b) {
  const vword *x = a, *y = b;
  if (x->n != y->n) return x->n < y->n ? 1 : -1;
  return strcmp(x->w, y->w);
}

static vword *vocab_find(const char *s) {
  size_t n = strlen(s), j = hash(s, n) & (vcap - 1);
  for (; vtab[j].w; j = (j + 1) & (vcap - 1))
    if (strcmp(vtab[j].w, s) == 0) return &vtab[j];
  return NULL;
}

/* A content word for multi-word queries and phrases: not among the 150 most
** frequent words, at least 4 letters. */
static int content(const char *w) {
  if (strlen(w) < 4) return 0;
  const vword *e = vocab_find(w);
  return e && e->rank >= 150;
}

static void write_queries(FILE *f, uint64_t seed) {
  char (*ws)[32] = xrealloc(NULL, 512 * sizeof *ws);
  for (int i = 0; i < nsents; i++) {
    int n = sentence_words(i, ws, 512);
    for (int k = 0; k < n; k++)
      if (ws[k][0]) vocab_add(ws[k], strlen(ws[k]));
  }
  vword *v = xrealloc(NULL, vcount * sizeof *v);
  size_t nv = 0;
  for (size_t i = 0; i < vcap; i++)
    if (vtab[i].w) v[nv++] = vtab[i];
  qsort(v, nv, sizeof *v, by_count);
  for (size_t i = 0; i < nv; i++) vocab_find(v[i].w)->rank = (long)i;

  fprintf(f, "# band\tquery — written by bench/gen_corpus.c; %zu words in "
             "the source vocabulary\n", nv);
  /* common: ranks 0..199, every 10th; middle: from rank 1000 every 200th
  ** (4+ letters). */
  for (int i = 0; i < PER_BAND; i++)
    fprintf(f, "common\t%s\n", v[(size_t)i * 10 % nv].w);
  for (size_t i = 1000, got = 0; got < PER_BAND && i < nv; i += 200)
    if (strlen(v[i].w) >= 4) {
      fprintf(f, "middle\t%s\n", v[i].w);
      got++;
    }
  /* rare: occurring 2 or 3 times in the source, 5+ letters, evenly spread. */
  {
    size_t lo = nv, hi = 0;
    for (size_t i = 0; i < nv; i++)
      if (v[i].n <= 3 && v[i].n >= 2) {
        if (i < lo) lo = i;
        hi = i;
      }
    int got = 0;
    for (size_t i = lo; hi > lo && i <= hi && got < PER_BAND;
         i += (hi - lo) / (PER_BAND * 2) + 1)
      if (strlen(v[i].w) >= 5 && v[i].n >= 2 && v[i].n <= 3) {
        fprintf(f, "rare\t%s\n", v[i].w);
        got++;
      }
  }
  /* morphological variants: affixed words (me-, ber-, di-, pe-, ter-, ke-)
  ** of 7+ letters among the 5,000 most frequent, evenly spread. */
  {
    static const char *const pre[] = {"mem", "men", "ber", "di", "pe", "ter",
                                       "ke", NULL};
    size_t cand[5000];
    int nc = 0;
    for (size_t i = 0; i < nv && i < 5000; i++) {
      if (strlen(v[i].w) < 7) continue;
      for (int k = 0; pre[k]; k++)
        if (strncmp(v[i].w, pre[k], strlen(pre[k])) == 0) {
          cand[nc++] = i;
          break;
        }
    }
    for (int i = 0; i < PER_BAND && nc > 0; i++)
      fprintf(f, "morph\t%s\n", v[cand[(size_t)i * (size_t)nc / PER_BAND]].w);
  }
  /* two and three words, phrases: from random sentences. */
  uint64_t r = seed ^ 0x5151515151515151ULL;
  const char *band[] = {"two", "three", "phrase"};
  for (int b = 0; b < 3; b++) {
    int got = 0;
    for (int tries = 0; got < PER_BAND && tries < 100000; tries++) {
      int n = sentence_words(rnd_below(&r, nsents), ws, 512);
      if (n < 6) continue;
      if (b < 2) {
        int want = b + 2, k = 0, idx[3];
        for (int t = 0; t < 40 && k < want; t++) {
          int j = rnd_below(&r, n), dup = 0;
          for (int m = 0; m < k; m++) dup |= strcmp(ws[idx[m]], ws[j]) == 0;
          if (!dup && ws[j][0] && content(ws[j])) idx[k++] = j;
        }
        if (k < want) continue;
        fprintf(f, "%s\t%s %s%s%s\n", band[b], ws[idx[0]], ws[idx[1]],
                want == 3 ? " " : "", want == 3 ? ws[idx[2]] : "");
      } else {
        int j = rnd_below(&r, n - 1), len = 2 + rnd_below(&r, 2);
        if (j + len > n) continue;
        int ok = 0, all = 1;
        for (int m = j; m < j + len; m++) {
          all &= ws[m][0] != 0;
          ok |= ws[m][0] && content(ws[m]);
        }
        if (!all || !ok) continue;
        fprintf(f, "phrase\t\"%s %s%s%s\"\n", ws[j], ws[j + 1],
                len == 3 ? " " : "", len == 3 ? ws[j + 2] : "");
      }
      got++;
    }
  }
  /* prefixes: the first 4-6 letters of middle-frequency words. */
  for (int i = 0; i < PER_BAND && nv > 3000; i++) {
    const char *w = v[300 + (size_t)i * 130].w;
    int len = (int)strlen(w), k = len > 7 ? 6 : len > 5 ? 5 : 4;
    if (k > len) k = len;
    fprintf(f, "prefix\t%.*s*\n", k, w);
  }
  free(ws);
  free(v);
}

/* ---- the open vocabulary (--open) ------------------------------------ */

/* Real text keeps meeting words it has not seen: names, closed compounds,
** typos. Its number of distinct words grows with the number of words read
** as Heaps' law says, V(t) ~ K t^beta (beta near 0.5-0.8 for web text);
** re-sampled sentences stop at the source's vocabulary instead. With --open,
** the t-th word of the output (t counted over the whole file, so the
** first N articles of a longer file are the N-article corpus) is replaced
** by a word never written before whenever the words made so far fall below
** OPEN_A * t^OPEN_BETA; otherwise, with probability OPEN_REUSE, by one made
** before (the recent ones more likely: a name recurs in the news of its
** week). The constants aim the distinct words (lowercased runs of letters
** and digits) at 190,000 for 10,000 articles and 910,000 for 100,000, what
** real Indonesian web text of that length holds (issue 15): fitted through
** a run with 0.52 and 0.785 (191,195 and 961,992); with them, 189,884 at
** 10,000 (bench/README.md). The generator prints its own counts. */
#define OPEN_A 0.734
#define OPEN_BETA 0.763
#define OPEN_REUSE 30 /* per mille */

typedef struct {
  char **w;      /* owned strings, lowercase */
  size_t n, cap; /* table slots: cap, a power of two */
  long count;
} strset;

/* Add s[0..n) lowercased; 1 if it was new. */
static int strset_add(strset *S, const char *s, size_t n) {
  if ((size_t)S->count * 2 >= S->cap) {
    size_t ncap = S->cap ? S->cap * 2 : 1 << 16;
    char **nw = calloc(ncap, sizeof *nw);
    if (!nw) {
      fprintf(stderr, "gen_corpus: out of memory\n");
      exit(1);
    }
    for (size_t i = 0; i < S->cap; i++)
      if (S->w[i]) {
        size_t j = hash(S->w[i], strlen(S->w[i])) & (ncap - 1);
        while (nw[j]) j = (j + 1) & (ncap - 1);
        nw[j] = S->w[i];
      }
    free(S->w);
    S->w = nw;
    S->cap = ncap;
  }
  char low[256];
  if (n >= sizeof low) n = sizeof low - 1;
  for (size_t i = 0; i < n; i++) low[i] = (char)tolower((unsigned char)s[i]);
  low[n] = 0;
  size_t j = hash(low, n) & (S->cap - 1);
  for (; S->w[j]; j = (j + 1) & (S->cap - 1))
    if (strcmp(S->w[j], low) == 0) return 0;
  S->w[j] = xrealloc(NULL, n + 1);
  memcpy(S->w[j], low, n + 1);
  S->count++;
  return 1;
}

static strset seen;      /* every word written (the distinct-word count) */
static strset made_set;  /* source words and words made: a new one is new */
static char **made;      /* words made, in order */
static long nmade, capmade;
static double open_t;    /* words written so far */

static int word_byte(unsigned char c) { return isalnum(c) || c >= 0x80; }

/* Count the distinct words of s[0..n). */
static void count_words_seen(const char *s, size_t n) {
  for (size_t i = 0; i < n;) {
    while (i < n && !word_byte((unsigned char)s[i])) i++;
    size_t j = i;
    while (j < n && word_byte((unsigned char)s[j])) j++;
    if (j > i) strset_add(&seen, s + i, j - i);
    i = j;
  }
}

static const char *const syl_c[] = {"b", "c", "d", "g", "h", "j", "k", "l",
                                    "m", "n", "p", "r", "s", "t", "w", "y",
                                    "ng", "ny", "sy", "kh"};
static const char *const syl_v[] = {"a", "i", "u", "e", "o", "a", "i", "a"};
#define NELEM(a) ((int)(sizeof a / sizeof *a))

/* A made word into out (NUL-terminated): a name of 2-4 syllables, two
** words of the source run together, or a typo of `orig`. */
static void make_word(uint64_t *r, const char *orig, size_t norig, char *out,
                      size_t cap) {
  int kind = rnd_below(r, 100);
  out[0] = 0;
  int ascii = 1; /* a typo edits bytes: ASCII words only (valid UTF-8) */
  for (size_t i = 0; i < norig; i++) ascii &= isalpha((unsigned char)orig[i]) != 0;
  if (kind < 30 && ascii && norig >= 4 && norig < cap - 2) { /* a typo */
    memcpy(out, orig, norig);
    out[norig] = 0;
    size_t at = 1 + (size_t)rnd_below(r, (int)norig - 2);
    switch (rnd_below(r, 3)) {
    case 0: { char c = out[at]; out[at] = out[at + 1]; out[at + 1] = c; break; }
    case 1: memmove(out + at, out + at + 1, norig - at); break;
    default: memmove(out + at + 1, out + at, norig - at + 1); break;
    }
    return;
  }
  if (kind < 55) { /* a closed compound of two source words */
    const sentence *s1 = &sents[rnd_below(r, nsents)];
    const sentence *s2 = &sents[rnd_below(r, nsents)];
    char w1[32][32], w2[32][32];
    int n1 = sentence_words((int)(s1 - sents), w1, 32);
    int n2 = sentence_words((int)(s2 - sents), w2, 32);
    if (n1 > 0 && n2 > 0) {
      const char *x = w1[rnd_below(r, n1)], *y = w2[rnd_below(r, n2)];
      size_t nx = strlen(x), ny = strlen(y);
      if (nx && ny && nx + ny < cap) {
        memcpy(out, x, nx);
        memcpy(out + nx, y, ny + 1);
        return;
      }
    }
  }
  size_t n = 0;
  for (int k = 2 + rnd_below(r, 3); k > 0; k--) {
    const char *c = syl_c[rnd_below(r, NELEM(syl_c))];
    const char *v = syl_v[rnd_below(r, NELEM(syl_v))];
    n += (size_t)snprintf(out + n, cap - n, "%s%s", c, v);
  }
  if (rnd_below(r, 3) == 0) n += (size_t)snprintf(out + n, cap - n, "%s",
                                     syl_c[rnd_below(r, 12)]);
  out[0] = (char)toupper((unsigned char)out[0]);
}

/* The source's own words count as known: a made word is new to them too. */
static void open_init(void) {
  for (int i = 0; i < nsents; i++) {
    const char *s = text.p + sents[i].off;
    for (int a = 0, b; a < sents[i].len; a = b) {
      while (a < sents[i].len && !word_byte((unsigned char)s[a])) a++;
      for (b = a; b < sents[i].len && word_byte((unsigned char)s[b]);) b++;
      if (b > a) strset_add(&made_set, s + a, (size_t)(b - a));
    }
  }
}

/* A word never written before, kept in `made`. */
static const char *open_new(uint64_t *r, const char *orig, size_t norig) {
  char w[128];
  for (int tries = 0;; tries++) {
    make_word(r, orig, tries < 4 ? norig : 0, w, sizeof w);
    if (w[0] && strset_add(&made_set, w, strlen(w))) break;
  }
  if (nmade == capmade) {
    capmade = capmade ? capmade * 2 : 1 << 16;
    made = xrealloc(made, (size_t)capmade * sizeof *made);
  }
  made[nmade] = xrealloc(NULL, strlen(w) + 1);
  strcpy(made[nmade], w);
  return made[nmade++];
}

/* Append sentence s[0..n) to body, its words replaced as --open says. */
static void open_add(buf *body, const char *s, int n, uint64_t *r) {
  for (int i = 0; i < n;) {
    int a = i;
    while (i < n && s[i] != ' ') i++;
    int c0 = a, c1 = i; /* the word inside its punctuation */
    while (c0 < c1 && !word_byte((unsigned char)s[c0])) c0++;
    while (c1 > c0 && !word_byte((unsigned char)s[c1 - 1])) c1--;
    const char *w = NULL;
    if (c1 > c0) {
      open_t += 1;
      if ((double)nmade < OPEN_A * pow(open_t, OPEN_BETA))
        w = open_new(r, s + c0, (size_t)(c1 - c0));
      else if (nmade > 0 && rnd_below(r, 1000) < OPEN_REUSE) {
        double u = (double)(rnd_next(r) >> 11) / 9007199254740992.0;
        w = made[nmade - 1 - (long)((double)nmade * u * u * u)];
      }
    }
    if (w) {
      buf_add(body, s + a, (size_t)(c0 - a));
      buf_add(body, w, strlen(w));
      buf_add(body, s + c1, (size_t)(i - c1));
    } else {
      buf_add(body, s + a, (size_t)(i - a));
    }
    while (i < n && s[i] == ' ') buf_add(body, s + i++, 1);
  }
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "--open") == 0) {
    open_mode = 1;
    argv++;
    argc--;
  }
  if (argc < 4) {
    fprintf(stderr, "usage: gen_corpus [--open] N OUT.jsonl QUERIES.tsv "
                    "[SOURCE] [SEED]\n");
    return 2;
  }
  long n = atol(argv[1]);
  const char *src = argc > 4 ? argv[4] : DEFAULT_SOURCE;
  uint64_t seed = argc > 5 ? strtoull(argv[5], NULL, 10) : 20240501;
  FILE *probe = fopen(src, "r");
  if (!probe && argc <= 4) {
    fprintf(stderr, "gen_corpus: %s not found: using %s (a small source: "
                    "vocabulary and figures are not comparable)\n",
            src, FALLBACK_SOURCE);
    src = FALLBACK_SOURCE;
  }
  if (probe) fclose(probe);
  if (load_source(src)) {
    fprintf(stderr, "gen_corpus: no sentences in %s\n", src);
    return 1;
  }
  FILE *q = fopen(argv[3], "w");
  if (!q) {
    perror(argv[3]);
    return 1;
  }
  write_queries(q, seed);
  if (fclose(q) != 0) {
    perror(argv[3]);
    return 1;
  }
  FILE *f = strcmp(argv[2], "-") == 0 ? stdout : fopen(argv[2], "w");
  if (!f) {
    perror(argv[2]);
    return 1;
  }
  static char obuf[1 << 20];
  setvbuf(f, obuf, _IOFBF, sizeof obuf);
  buf body = {0}, title = {0};
  if (open_mode) open_init();
  for (long k = 0; k < n; k++) {
    write_article(f, k, seed, &body, &title);
    long done = k + 1, m = 1000;
    while (m < done) m *= 10;
    if (open_mode && (done == m || done == n))
      fprintf(stderr, "gen_corpus: %ld articles: %ld distinct words in %.0f "
                      "(%ld made)\n", done, seen.count, open_t, nmade);
  }
  if (fflush(f) != 0 || (f != stdout && fclose(f) != 0)) {
    perror(argv[2]);
    return 1;
  }
  fprintf(stderr, "gen_corpus: %ld articles from %d sentences of %d passages "
                  "(%s, seed %llu)\n",
          n, nsents, npass, src, (unsigned long long)seed);
  free(body.p);
  free(title.p);
  return 0;
}
