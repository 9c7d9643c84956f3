/*
** parse.c — what a person types, turned into an FTS5 MATCH expression that
** cannot fail to parse. It does not run queries (search.c does) and does not
** stem: FTS5 hands each quoted word to the `indonesian` tokenizer.
**
** THE QUERY GRAMMAR
**
** The input is any bytes. It is read left to right as items separated by
** white space:
**
**   "some words"   a phrase: the words in this order, next to each other.
**                  A missing closing quote ends the phrase at the end.
**   -item          an exclusion: articles matching the item are dropped.
**                  The '-' must start the item and be followed by more.
**   word*          a prefix: the last word of the item matches any word that
**                  starts with it as written (not stemmed).
**   OR             in capitals, alone: accepted and ignored, because the
**                  words of a query are already alternatives.
**   anything else  split into words by the tokenizer (tokenize.c): so
**                  `title:kucing` is the words `title` and `kucing`, and
**                  `^`, `*`, `:`, emoji and invalid UTF-8 are no words.
**
** The output is a plan (query.h): a list of phrases, each one FTS5 string
** holding its words' bytes as typed, which qry_plan_match renders as
**
**   ("w1" OR "w2" OR "p1 p2" OR "pre"*) NOT ("x1" OR "x2")
**
** Inside a quoted string FTS5 recognises no syntax, and tokenizer words
** never contain '"', so no input reaches FTS5's parser as an operator.
** Words are alternatives (an article need not contain all of them; bm25
** ranks articles with more of them higher). Duplicates (by normalised form)
** are dropped so a repeated word does not count twice. A query with no
** word, or with only exclusions, is an error (CARI_QUERY) with a one-line
** reason.
**
** BOUNDS (a search box is open to anyone: what a query may cost)
**
** The words of a query bound its cost only if each word does. FTS5 has no
** prefix index here, so `a*` reads every term that starts with `a`; and
** every exclusion is one more term to read. So, keeping the first ones in
** the order typed:
**   QRY_MAX_TERMS      distinct words or phrases searched for (64);
**   QRY_MAX_EXCLUDED   exclusions (32): later ones are dropped;
**   QRY_MAX_PREFIXES   prefixes (8): later ones are searched as words;
**   QRY_PREFIX_MIN     characters before the '*' (2): `a*` is the word `a`.
** What one prefix expands to is bounded where the index's terms are known
** (prefix.c, QRY_PREFIX_MAX_TERMS), and the time of the whole search by the
** caller's budget (budget.c). Nothing is cut silently: each cut adds a
** sentence to the note (qry_translate's `note`), which cari_cursor_note()
** hands to the caller; the search runs with what was kept.
*/
#include "query.h"
#include "cari.h"
#include "indexer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The words of one item, as the tokenizer found them. */
typedef struct {
  const char *src;
  int (*span)[2];  /* original offsets of each word */
  cari_buf keys;   /* normalised words, each followed by '\n' */
  int n;
  size_t cap;
  int oom;         /* sticky: CARI_NOMEM once an allocation failed */
} words;

static int on_word(void *ctx, const char *norm, int nnorm, int start, int end,
                   int hyphens) {
  words *w = ctx;
  (void)hyphens;
  w->span = cari_grow(&w->oom, w->span, &w->cap, (size_t)w->n + 1,
                      sizeof *w->span);
  if (w->oom) return 1;
  w->span[w->n][0] = start;
  w->span[w->n][1] = end;
  w->n++;
  cari_buf_add(&w->oom, &w->keys, norm, (size_t)nnorm);
  return cari_buf_addc(&w->oom, &w->keys, '\n') != CARI_OK;
}

typedef struct {
  qry_plan *pos, *neg; /* the searched phrases; the excluded ones */
  qry_plan *fw;  /* function words, kept aside: used only if nothing else */
  cari_buf seen; /* keys of kept terms, each ending in '\n' (phrases: ' ') */
  int nprefix;      /* prefixes kept */
  /* What was cut (counts, and the first item of each kind, for the note). */
  int cut_terms, cut_excluded, cut_prefixes, cut_short;
  char first_short[24], first_prefix[24];
  int drop_fw;
  int informal;     /* the index reads informal words: so do these lists */
  int question;     /* a question word was seen */
  double w_surface; /* > 0: add each word's marked surface form */
  int oom;
} query;

/* Question words, with and without the particle -kah. Sorted. */
static const char *const question_words[] = {
    "adakah", "apa", "apakah", "bagaimana", "bagaimanakah", "berapa",
    "berapakah", "bilakah", "bilamana", "darimana", "darimanakah", "dimana",
    "dimanakah", "kapan", "kapankah", "kemana", "kemanakah", "kenapa",
    "manakah", "mengapa", "siapa", "siapakah",
};

/*
** Indonesian function words: question words and the most frequent
** grammatical words. In a question ("Apa kepanjangan dari GPS?") they match
** almost every article and say nothing about the topic, so a query drops
** them when it has any other word. Negations (tidak, bukan) and words that
** are often content (ada, dapat, bisa) are deliberately not here. Sorted
** for bsearch.
*/
static const char *const function_words[] = {
    "adakah", "adalah", "agar", "akan", "apa", "apakah", "atau", "bagaimana",
    "bagaimanakah", "bagi", "bahwa", "berapa", "berapakah", "bilamana",
    "dalam", "dan", "dari", "darimana", "dengan", "di", "dimana", "dimanakah",
    "ialah", "ini", "itu", "juga", "kapan", "kapankah", "karena", "ke",
    "kemana", "kemanakah", "kenapa", "kepada", "maka", "mana", "manakah",
    "mengapa", "merupakan", "namun", "oleh", "pada", "para", "saja",
    "sebagai", "sebuah", "secara", "seorang", "serta", "siapa", "siapakah",
    "suatu", "sudah", "telah", "tentang", "terhadap", "tersebut", "tetapi",
    "untuk", "yang",
};

static int cmp_word(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int in_list(const char *const *list, size_t nlist, const char *w,
                   size_t n) {
  char buf[24];
  if (n == 0 || n >= sizeof buf) return 0;
  memcpy(buf, w, n);
  buf[n] = 0;
  const char *key = buf;
  return bsearch(&key, list, nlist, sizeof *list, cmp_word) != NULL;
}

int qry_function_word(const char *w, size_t n) {
  return in_list(function_words, sizeof function_words / sizeof *function_words,
                 w, n);
}

static int question_word(const char *w, size_t n) {
  return in_list(question_words, sizeof question_words / sizeof *question_words,
                 w, n);
}


/* Is the key (ending in '\n') among the kept ones? */
static int seen_before(const cari_buf *seen, const char *key, size_t n) {
  const char *p = seen->p, *end = p ? p + seen->n : NULL;
  while (p && p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t len = (size_t)(nl - p) + 1;
    if (len == n && memcmp(p, key, n) == 0) return 1;
    p = nl + 1;
  }
  return 0;
}

/* Add one term: words [a, b) of w, as a phrase when b - a > 1; `denied`
** is prefix_denied's reason when a prefix typed is searched as a word. */
static void add_term(query *qy, const words *w, int a, int b, int neg,
                     int prefix, int denied) {
  cari_buf key = CARI_BUF_INIT;
  int rc = CARI_OK;
  const char *k = w->keys.p;
  for (int i = 0; i < b; i++) { /* find the keys of words a..b-1 */
    const char *nl = strchr(k, '\n');
    if (i >= a) {
      cari_buf_add(&rc, &key, k, (size_t)(nl - k));
      cari_buf_add(&rc, &key, i + 1 < b ? " " : (prefix ? "*" : ""),
                   i + 1 < b || prefix);
    }
    k = nl + 1;
  }
  cari_buf_add(&rc, &key, neg ? "-\n" : "\n", neg ? 2 : 1);
  if (rc) { qy->oom = 1; cari_buf_free(&key); return; }
  int full = neg ? qy->neg->n >= QRY_MAX_EXCLUDED : qy->pos->n >= QRY_MAX_TERMS;
  int seen = seen_before(&qy->seen, key.p, key.n);
  if (seen || full) {
    /* Cut keys are not remembered: `seen` stays as short as what is kept,
    ** so each item costs a bounded lookup however long the query is (a
    ** cut word typed twice counts twice). */
    if (!seen) *(neg ? &qy->cut_excluded : &qy->cut_terms) += 1;
    cari_free(key.p);
    return;
  }
  cari_buf_add(&qy->oom, &qy->seen, key.p, key.n);
  qy->nprefix += prefix;
  if (denied) { /* the first one typed is named in the note */
    int len = w->span[a][1] - w->span[a][0];
    char *first = denied == 1 ? qy->first_short : qy->first_prefix;
    if ((*(denied == 1 ? &qy->cut_short : &qy->cut_prefixes))++ == 0)
      snprintf(first, sizeof qy->first_short, "%.*s", len < 20 ? len : 20,
               w->src + w->span[a][0]);
  }
  /* An informal form of the table is the word it stands for (yg: yang). */
  const char *kw = key.p;
  size_t kn = key.n - 1;
  const char *formal = qy->informal && b - a == 1 && !prefix
                           ? sid_informal_word(kw, (int)kn, NULL) : NULL;
  if (formal) {
    kw = formal;
    kn = strlen(formal);
  }
  if (!neg && b - a == 1 && question_word(kw, kn)) qy->question = 1;
  int fw = qy->drop_fw && !neg && !prefix && b - a == 1 &&
           qry_function_word(kw, kn);
  cari_free(key.p);
  qry_plan *out = neg ? qy->neg : fw ? qy->fw : qy->pos;
  /* With surface forms indexed, a prefix matches words as written, and a
  ** word also asks for its exact form (the mark makes the tokenizer look
  ** up the surface form instead of the stem). */
  int surf = qy->w_surface > 0 && !neg && b - a == 1;
  for (int pass = 0; pass < 2; pass++) {
    int marked = prefix ? surf : pass == 1;
    if (pass == 1 && (!surf || prefix)) break;
    cari_buf text = CARI_BUF_INIT;
    int trc = CARI_OK;
    cari_buf_add(&trc, &text, "\x01", (size_t)marked);
    for (int i = a; i < b; i++) {
      if (i > a) cari_buf_addc(&trc, &text, ' ');
      /* Words never hold '"' (not a word character): nothing to escape. */
      cari_buf_add(&trc, &text, w->src + w->span[i][0],
                   (size_t)(w->span[i][1] - w->span[i][0]));
    }
    double weight = neg ? 0 : pass == 1 ? qy->w_surface : 1.0;
    if (trc || qry_plan_add(out, text.p ? text.p : "", (int)text.n,
                            prefix, pass == 1 ? QRY_SURFACE : QRY_WORD,
                            neg, -1, weight) != CARI_OK)
      qy->oom = 1;
    cari_free(text.p);
  }
}

/* May word i of w (its last, typed with '*') be searched as a prefix?
** 0 yes; 1 no, it is shorter than QRY_PREFIX_MIN characters; 2 no, the
** query has QRY_MAX_PREFIXES prefixes already. It is then searched as the
** word itself (add_term counts the cut for the note when it keeps it).
** Excluded prefixes (`-ab*`) count too: FTS5 expands them the same way. */
static int prefix_denied(const query *qy, const words *w, int i) {
  const char *k = w->keys.p;
  for (int j = 0; j < i; j++) k = strchr(k, '\n') + 1;
  size_t n = (size_t)(strchr(k, '\n') - k);
  int chars = 0;
  for (size_t j = 0; j < n; j++) chars += ((unsigned char)k[j] & 0xC0) != 0x80;
  if (chars < QRY_PREFIX_MIN) return 1;
  return qy->nprefix >= QRY_MAX_PREFIXES ? 2 : 0;
}

/* The note of what the bounds cut, "" when nothing was. */
static void write_note(const query *qy, char *note, size_t cap) {
  size_t n = 0;
  note[0] = 0;
#define NOTE(...)                                                            \
  do {                                                                       \
    if (n < cap) n += (size_t)snprintf(note + n, cap - n, "%s", n ? "; " : ""); \
    if (n < cap) n += (size_t)snprintf(note + n, cap - n, __VA_ARGS__);       \
  } while (0)
  if (qy->cut_terms)
    NOTE("only the first %d words were searched for (%d more ignored)",
         QRY_MAX_TERMS, qy->cut_terms);
  if (qy->cut_excluded)
    NOTE("only the first %d exclusions were applied (%d more ignored)",
         QRY_MAX_EXCLUDED, qy->cut_excluded);
  if (qy->cut_short == 1)
    NOTE("a prefix needs %d letters before '*': '%s*' was searched as a word",
         QRY_PREFIX_MIN, qy->first_short);
  else if (qy->cut_short)
    NOTE("a prefix needs %d letters before '*': '%s*' and %d more were "
         "searched as words", QRY_PREFIX_MIN, qy->first_short,
         qy->cut_short - 1);
  if (qy->cut_prefixes == 1)
    NOTE("only the first %d prefixes were expanded: '%s*' was searched as "
         "a word", QRY_MAX_PREFIXES, qy->first_prefix);
  else if (qy->cut_prefixes)
    NOTE("only the first %d prefixes were expanded: '%s*' and %d more were "
         "searched as words", QRY_MAX_PREFIXES, qy->first_prefix,
         qy->cut_prefixes - 1);
#undef NOTE
}

/* Add the words of src[0..n) as one phrase or as separate terms. */
static int add_item(query *qy, idx_tokenizer *tok, const char *src, int n,
                    int neg, int phrase, int prefix) {
  words w = {src, NULL, {0}, 0, 0, 0};
  int rc = idx_tokenize(tok, src, n, on_word, &w);
  if (rc < 0 || w.oom) rc = CARI_NOMEM;
  else {
    rc = CARI_OK;
    if (phrase && w.n > 0)
      add_term(qy, &w, 0, w.n, neg, 0, 0);
    else
      for (int i = 0; i < w.n; i++) {
        int pre = prefix && i == w.n - 1;
        int denied = pre ? prefix_denied(qy, &w, i) : 0;
        add_term(qy, &w, i, i + 1, neg, pre && !denied, denied);
      }
  }
  cari_free(w.span);
  cari_buf_free(&w.keys);
  return rc;
}

static int is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

/* Append src's phrases to dst (the parser's own: each its own lead). */
static int plan_append(qry_plan *dst, const qry_plan *src) {
  for (int i = 0; i < src->n; i++) {
    const qry_phrase *p = &src->p[i];
    if (qry_plan_add(dst, p->text, p->ntext, p->prefix, p->kind, p->excluded,
                     -1, p->weight) != CARI_OK)
      return CARI_NOMEM;
  }
  return CARI_OK;
}

/* Read q[0..n) item by item into qy. */
static int read_items(query *qy, idx_tokenizer *tok, const char *q, int n) {
  int i = 0, rc = CARI_OK;
  while (i < n && rc == CARI_OK) {
    if (is_space(q[i])) { i++; continue; }
    int neg = 0;
    if (q[i] == '-' && i + 1 < n && !is_space(q[i + 1])) {
      neg = 1;
      i++;
    }
    if (q[i] == '"') {
      int j = i + 1;
      while (j < n && q[j] != '"') j++;
      rc = add_item(qy, tok, q + i + 1, j - i - 1, neg, 1, 0);
      i = j < n ? j + 1 : n;
      continue;
    }
    int j = i;
    while (j < n && !is_space(q[j]) && q[j] != '"') j++;
    if (!neg && j - i == 2 && q[i] == 'O' && q[i + 1] == 'R') { i = j; continue; }
    int end = j, prefix = 0;
    while (end > i && q[end - 1] == '*') { end--; prefix = 1; }
    rc = add_item(qy, tok, q + i, end - i, neg, 0, prefix);
    i = j;
  }
  return rc;
}

int qry_translate(idx_tokenizer *tok, const char *q, int n,
                  const qry_ranking *r, qry_plan **out, char *note,
                  size_t notecap, char *err, size_t errcap) {
  query qy;
  memset(&qy, 0, sizeof qy);
  qy.drop_fw = r ? r->function_words : 0;
  qy.w_surface = r && r->index_surface ? r->w_surface : 0;
  qy.informal = r ? r->index_informal : 0;
  *out = NULL;
  qy.pos = qry_plan_new();
  qy.neg = qry_plan_new();
  qy.fw = qry_plan_new();
  qry_plan *pl = qry_plan_new();
  int rc = qy.pos && qy.neg && qy.fw && pl ? CARI_OK : CARI_NOMEM;
  if (rc == CARI_OK) rc = read_items(&qy, tok, q, n);
  if (rc == CARI_OK && qy.oom) rc = CARI_NOMEM;
  if (note && notecap) write_note(&qy, note, notecap);
  /* Only function words: search for them. Excluded phrases come after the
  ** others (and never add to a score: weight 0). */
  const qry_plan *searched = rc == CARI_OK && qy.pos->n == 0 ? qy.fw : qy.pos;
  if (rc == CARI_OK && (plan_append(pl, searched) != CARI_OK ||
                        plan_append(pl, qy.neg) != CARI_OK))
    rc = CARI_NOMEM;
  if (rc == CARI_NOMEM) snprintf(err, errcap, "out of memory");
  if (rc == CARI_OK && searched->n == 0) {
    rc = CARI_QUERY;
    snprintf(err, errcap, qy.neg->n
                 ? "the query only excludes words: add a word to search for"
                 : "the query has no words to search for");
  }
  if (rc == CARI_OK) {
    pl->question = qy.question || memchr(q, '?', (size_t)n) != NULL;
    *out = pl;
    pl = NULL;
  }
  qry_plan_free(pl);
  qry_plan_free(qy.pos);
  qry_plan_free(qy.neg);
  qry_plan_free(qy.fw);
  cari_buf_free(&qy.seen);
  return rc;
}

/* ------------------------------------------------------------------ */
/* the plan                                                            */
/* ------------------------------------------------------------------ */

qry_plan *qry_plan_new(void) { return cari_calloc(1, sizeof(qry_plan)); }

int qry_plan_add(qry_plan *pl, const char *text, int ntext, int prefix,
                 int kind, int excluded, int lead, double weight) {
  int rc = CARI_OK;
  pl->p = cari_grow(&rc, pl->p, &pl->cap, (size_t)pl->n + 1, sizeof *pl->p);
  if (rc) return rc;
  qry_phrase *p = &pl->p[pl->n];
  if (!(p->text = cari_malloc((size_t)ntext + 1))) return CARI_NOMEM;
  memcpy(p->text, text, (size_t)ntext);
  p->text[ntext] = 0;
  p->ntext = ntext;
  p->prefix = prefix;
  p->kind = kind;
  p->excluded = excluded;
  p->lead = lead < 0 ? pl->n : lead;
  p->weight = weight;
  pl->n++;
  return CARI_OK;
}

void qry_plan_free(qry_plan *pl) {
  if (!pl) return;
  for (int i = 0; i < pl->n; i++) cari_free(pl->p[i].text);
  cari_free(pl->p);
  cari_free(pl);
}

int qry_plan_match(const qry_plan *pl, char **out) {
  cari_buf b = CARI_BUF_INIT;
  int rc = CARI_OK, nneg = 0;
  for (int i = 0; i < pl->n; i++) nneg += pl->p[i].excluded;
  if (nneg) cari_buf_addc(&rc, &b, '(');
  for (int i = 0; i < pl->n; i++) {
    const qry_phrase *p = &pl->p[i];
    if (i > 0)
      cari_buf_adds(&rc, &b, p->excluded && !pl->p[i - 1].excluded
                                 ? ") NOT (" : " OR ");
    cari_buf_addc(&rc, &b, '"');
    cari_buf_add(&rc, &b, p->text, (size_t)p->ntext);
    cari_buf_adds(&rc, &b, p->prefix ? "\"*" : "\"");
  }
  if (nneg) cari_buf_addc(&rc, &b, ')');
  if (!b.p) cari_buf_add(&rc, &b, "", 0);
  if (rc) {
    cari_buf_free(&b);
    *out = NULL;
    return rc;
  }
  *out = cari_buf_take(&b);
  return CARI_OK;
}
