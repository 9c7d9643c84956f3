/*
** synonym.c — synonyms at query time: the user's synonyms file, and a
** plan's words expanded into phrases of the same meaning (QRY_SYNONYM)
** from it and from the thesaurus (thesaurus.c). It does not score (rank.c
** and topk.c weigh a synonym below its word) and does not read the index:
** a synonym the index does not hold costs one empty lookup.
**
** THE SYNONYMS FILE
**
** UTF-8 text, one group of synonyms a line:
**
**   # a comment, to the end of the line
**   kopdar = kopi darat
**   ortu = orang tua, orangtua
**
** Every term of a line is a synonym of every other, both ways: `kopdar`
** finds `kopi darat` and `kopi darat` finds `kopdar`. A term is one or more
** words (at most QRY_SYN_TERM_WORDS), compared as the query's tokenizer
** normalises them (case, accents as the index reads them). A line holds
** one '=' with terms on both sides, the right side a list separated by
** ','; blank lines and comments are skipped. Anything else is an error
** that names the file and line: no '=', two '=', an empty term, a term
** with no word or too many, invalid UTF-8, a line over QRY_SYN_LINE bytes.
**
** EXPANSION (what one query may cost)
**
** For each searched word of the plan (a word typed, not a prefix, a
** surface form or an exclusion), and for runs of up to QRY_SYN_TERM_WORDS
** consecutive such words or a quoted phrase (`kopi darat`): the user's
** synonyms first, in the file's order, then the thesaurus's. The
** thesaurus lists lemmas: a word it does not have as written is looked up
** by its index terms (the stemmer's roots: `membaca` by `baca`). Its
** candidates (at most QRY_SYN_CANDIDATES per word) are ordered by:
** mutual first (the synonym's own entry lists the word back: synonymy
** should be symmetric, and a one-way listing is more often a loose
** association), then by how many senses list it, then single words before
** several, then the file's order. Each word keeps at most QRY_SYN_PER_WORD
** synonyms, a query at most QRY_SYN_MAX; a synonym whose index terms are
** those of a word of the query or of a synonym kept already is skipped (it
** would count twice). A synonym becomes a phrase of its words (several
** words: an FTS5 phrase, in order and adjacent), led by the word it stands
** for, with the ranking's synonym weight; a synonym of a run of typed
** words (`kopi darat` typed, `kopdar` its synonym) once per word of the
** run, each led by its word, so that an article holding it holds all of
** them (coordination counts words held) and scores as if each word had it.
*/
#include "query.h"
#include "cari.h"
#include "indexer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QRY_SYN_LINE 4096       /* bytes of a line of the synonyms file */
#define QRY_SYN_LINE_TERMS 64   /* terms of one line */
#define QRY_SYN_CANDIDATES 48   /* candidates considered per word */
#define KEY_CAP 512             /* bytes of a normalised term */

/* ------------------------------------------------------------------ */
/* the user's file                                                     */
/* ------------------------------------------------------------------ */

typedef struct {
  size_t koff; /* into keys */
  int nkey;
  int group;   /* its line's group; members of a group are contiguous */
  int pos;     /* its place in mem[] (file order) */
} syn_member;

struct qry_syns {
  char *keys;
  size_t nkeys, capkeys;
  syn_member *mem;  /* file order: groups contiguous */
  syn_member *sort; /* the same, sorted by key */
  int n, cap;
  int *gstart;      /* ngroup + 1: a group's first member */
  int ngroup, capgroup;
};

static int add_key(qry_syns *s, const char *k, int n, int group) {
  if (s->nkeys + (size_t)n + 1 > s->capkeys) {
    size_t cap = s->capkeys ? s->capkeys * 2 : 4096;
    while (cap < s->nkeys + (size_t)n + 1) cap *= 2;
    char *p = cari_realloc(s->keys, cap);
    if (!p) return CARI_NOMEM;
    s->keys = p;
    s->capkeys = cap;
  }
  if (s->n == s->cap) {
    int cap = s->cap ? s->cap * 2 : 64;
    syn_member *m = cari_realloc(s->mem, (size_t)cap * sizeof *m);
    if (!m) return CARI_NOMEM;
    s->mem = m;
    s->cap = cap;
  }
  memcpy(s->keys + s->nkeys, k, (size_t)n);
  s->mem[s->n] = (syn_member){s->nkeys, n, group, s->n};
  s->nkeys += (size_t)n;
  s->n++;
  return CARI_OK;
}

/* One term [a, b) of a line: its key into k. The number of its words, or
** -1 on out of memory. */
static int term_key(idx_tokenizer *tok, const char *a, const char *b,
                    char *k, int *nk) {
  int words = 0;
  *nk = qry_thes_key(tok, a, (int)(b - a), k, KEY_CAP);
  if (*nk < 0) return -1;
  for (int i = 0; i < *nk; i++) words += k[i] == ' ';
  return *nk > 0 ? words + 1 : 0;
}

/* Why a line of the file is bad, into err: CARI_FORMAT. */
static int bad(char *err, size_t errcap, const char *name, int line,
               const char *why) {
  snprintf(err, errcap, "%s:%d: %s", name, line, why);
  return CARI_FORMAT;
}

/* The terms of one line [p, end) (comment removed) as group g. */
static int parse_line(qry_syns *s, idx_tokenizer *tok, const char *p,
                      const char *end, const char *name, int line, char *err,
                      size_t errcap) {
  const char *eq = memchr(p, '=', (size_t)(end - p));
  if (!eq) return bad(err, errcap, name, line, "no '=' (a line is "
                      "'term = term, term ...')");
  if (memchr(eq + 1, '=', (size_t)(end - eq - 1)))
    return bad(err, errcap, name, line, "more than one '='");
  int g = s->ngroup, nterm = 0, rc = CARI_OK;
  char k[KEY_CAP];
  for (const char *a = p; rc == CARI_OK && a <= end;) {
    const char *b = a;
    while (b < end && *b != ',' && *b != '=') b++;
    if (a == p && b != eq) /* the left side holds one term */
      return bad(err, errcap, name, line, "a ',' before the '='");
    int nk, words = term_key(tok, a, b, k, &nk);
    if (words < 0) return CARI_NOMEM;
    if (words == 0)
      return bad(err, errcap, name, line, b == eq ? "no term before '='"
                 : "an empty term (no word between separators)");
    if (words > QRY_SYN_TERM_WORDS)
      return bad(err, errcap, name, line, "a term of more than "
                 QRY_SYN_TERM_WORDS_STR " words");
    if (++nterm > QRY_SYN_LINE_TERMS)
      return bad(err, errcap, name, line, "more than 64 terms");
    rc = add_key(s, k, nk, g);
    a = b + 1;
  }
  return rc;
}

static int cmp_member(const void *a, const void *b, const char *keys) {
  const syn_member *x = a, *y = b;
  int n = x->nkey < y->nkey ? x->nkey : y->nkey;
  int c = memcmp(keys + x->koff, keys + y->koff, (size_t)n);
  if (c) return c;
  if (x->nkey != y->nkey) return x->nkey < y->nkey ? -1 : 1;
  return x->pos - y->pos;
}

/* Sort s->sort by key (insertion into a merge-sorted copy: qsort has no
** context argument in C11, so a bottom-up merge sort). */
static int sort_members(qry_syns *s) {
  syn_member *a = cari_malloc(((size_t)s->n + 1) * sizeof *a);
  syn_member *t = cari_malloc(((size_t)s->n + 1) * sizeof *t);
  if (!a || !t) {
    cari_free(a);
    cari_free(t);
    return CARI_NOMEM;
  }
  memcpy(a, s->mem, (size_t)s->n * sizeof *a);
  for (int w = 1; w < s->n; w *= 2) {
    for (int lo = 0; lo < s->n; lo += 2 * w) {
      int mid = lo + w < s->n ? lo + w : s->n;
      int hi = lo + 2 * w < s->n ? lo + 2 * w : s->n;
      int i = lo, j = mid, k = lo;
      while (i < mid && j < hi)
        t[k++] = cmp_member(&a[i], &a[j], s->keys) <= 0 ? a[i++] : a[j++];
      while (i < mid) t[k++] = a[i++];
      while (j < hi) t[k++] = a[j++];
    }
    syn_member *x = a;
    a = t;
    t = x;
  }
  cari_free(t);
  s->sort = a;
  return CARI_OK;
}

/* Close the current group: its members end here. */
static int end_group(qry_syns *s) {
  if (s->ngroup + 2 > s->capgroup) {
    int cap = s->capgroup ? s->capgroup * 2 : 64;
    int *g = cari_realloc(s->gstart, (size_t)cap * sizeof *g);
    if (!g) return CARI_NOMEM;
    s->gstart = g;
    s->capgroup = cap;
  }
  s->gstart[++s->ngroup] = s->n;
  return CARI_OK;
}

/* Every line of text[0..n). */
static int parse_text(qry_syns *s, idx_tokenizer *tok, const char *text,
                      size_t n, const char *name, char *err, size_t errcap) {
  const char *p = text, *end = text + n;
  int rc = CARI_OK;
  for (int line = 1; rc == CARI_OK && p < end; line++) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *le = nl ? nl : end;
    size_t bad_at;
    if (le - p > QRY_SYN_LINE)
      return bad(err, errcap, name, line, "a line over 4096 bytes");
    if (!idx_utf8_valid(p, (size_t)(le - p), &bad_at))
      return bad(err, errcap, name, line, "not UTF-8");
    const char *hash = memchr(p, '#', (size_t)(le - p));
    const char *ce = hash ? hash : le;
    const char *q = p;
    while (q < ce && (*q == ' ' || *q == '\t' || *q == '\r')) q++;
    if (q < ce) {
      rc = parse_line(s, tok, q, ce, name, line, err, errcap);
      if (rc == CARI_OK) rc = end_group(s);
    }
    p = nl ? nl + 1 : end;
  }
  return rc;
}

int qry_syns_parse(const char *text, size_t n, const char *name,
                   idx_tokenizer *tok, qry_syns **out, char *err,
                   size_t errcap) {
  *out = NULL;
  qry_syns *s = cari_calloc(1, sizeof *s);
  int *g0 = s ? cari_malloc(64 * sizeof *g0) : NULL;
  if (g0) { /* group 0 starts at member 0 */
    g0[0] = 0;
    s->gstart = g0;
    s->capgroup = 64;
  }
  int rc = g0 ? parse_text(s, tok, text, n, name, err, errcap) : CARI_NOMEM;
  if (rc == CARI_OK) rc = sort_members(s);
  if (rc == CARI_OK) {
    *out = s;
    return CARI_OK;
  }
  if (rc == CARI_NOMEM) snprintf(err, errcap, "out of memory");
  qry_syns_free(s);
  return rc;
}

int qry_syns_load(const char *path, idx_tokenizer *tok, qry_syns **out,
                  char *err, size_t errcap) {
  *out = NULL;
  FILE *f = fopen(path, "rb");
  char *text = NULL;
  size_t n = 0, cap = 0;
  int rc = f ? CARI_OK : CARI_IO;
  while (rc == CARI_OK) {
    if (n + 65536 > cap) {
      cap = cap ? cap * 2 : 65536;
      char *t = cap <= (64u << 20) ? cari_realloc(text, cap) : NULL;
      if (!t) rc = cap <= (64u << 20) ? CARI_NOMEM : CARI_FORMAT;
      else text = t;
    }
    if (rc) break;
    size_t got = fread(text + n, 1, cap - n, f);
    n += got;
    if (got == 0) {
      if (ferror(f)) rc = CARI_IO;
      break;
    }
  }
  if (f) fclose(f);
  if (rc == CARI_OK)
    rc = qry_syns_parse(text ? text : "", n, path, tok, out, err, errcap);
  else if (rc == CARI_IO)
    snprintf(err, errcap, "cannot read the synonyms file '%s'", path);
  else if (rc == CARI_FORMAT)
    snprintf(err, errcap, "the synonyms file '%s' is over 64 MB", path);
  else snprintf(err, errcap, "out of memory");
  cari_free(text);
  return rc;
}

void qry_syns_free(qry_syns *s) {
  if (!s) return;
  cari_free(s->keys);
  cari_free(s->mem);
  cari_free(s->sort);
  cari_free(s->gstart);
  cari_free(s);
}

int qry_syns_count(const qry_syns *s) { return s ? s->ngroup : 0; }

int qry_syns_lookup(const qry_syns *s, const char *key, int nkey,
                    qry_thes_fn fn, void *ctx) {
  if (!s || !s->n) return 0;
  int lo = 0, hi = s->n, found = 0;
  /* The key is not in s->keys: compared by hand. */
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    const syn_member *m = &s->sort[mid];
    int n = m->nkey < nkey ? m->nkey : nkey;
    int c = memcmp(s->keys + m->koff, key, (size_t)n);
    if (!c) c = m->nkey < nkey ? -1 : m->nkey > nkey ? 1 : 0;
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  for (int i = lo; i < s->n; i++) {
    const syn_member *m = &s->sort[i];
    if (m->nkey != nkey || memcmp(s->keys + m->koff, key, (size_t)nkey))
      break;
    found = 1;
    for (int j = s->gstart[m->group]; j < s->gstart[m->group + 1]; j++) {
      const syn_member *o = &s->mem[j];
      if (o->pos == m->pos) continue;
      int x = fn(ctx, m->group, s->keys + o->koff, o->nkey);
      if (x) return x;
    }
  }
  return found;
}

/* ------------------------------------------------------------------ */
/* expansion                                                           */
/* ------------------------------------------------------------------ */

typedef struct {
  char key[KEY_CAP]; /* normalised */
  int nkey;
  int user;          /* 1: from the user's file */
  int mutual;        /* its thesaurus entry lists the word back */
  int senses;        /* senses of the word listing it */
  int words;
  int order;
} cand;

typedef struct {
  const qry_syn_source *src;
  idx_tokenizer *tok;
  idx_analyzer *an;
  qry_plan *out;
  char **units;     /* index terms of the query's words and kept synonyms */
  int nunit, capunit;
  cand c[QRY_SYN_CANDIDATES];
  int nc, user;     /* candidates; the source being read */
  const char *back; /* mutual check: the key to find */
  int nback, hit;
  int added, kept;  /* phrases added; synonyms kept */
  int oom;
} expander;

/* A candidate from a source (fn of qry_thes_lookup / qry_syns_lookup). */
static int on_candidate(void *ctx, int sense, const char *syn, int n) {
  expander *E = ctx;
  char k[KEY_CAP];
  int nk = qry_thes_key(E->tok, syn, n, k, KEY_CAP);
  if (nk < 0) return E->oom = 1, -1;
  if (nk == 0) return 0;
  for (int i = 0; i < E->nc; i++)
    if (E->c[i].nkey == nk && memcmp(E->c[i].key, k, (size_t)nk) == 0) {
      E->c[i].senses += !E->user; /* one more sense lists it */
      return 0;
    }
  if (E->nc == QRY_SYN_CANDIDATES) return 0;
  cand *c = &E->c[E->nc];
  memcpy(c->key, k, (size_t)nk + 1);
  c->nkey = nk;
  c->user = E->user;
  c->mutual = 0;
  c->senses = 1;
  c->words = 1;
  for (int i = 0; i < nk; i++) c->words += k[i] == ' ';
  c->order = E->nc++;
  return 0;
}

/* Mutual check: does an entry list E->back? (ASCII case folded). */
static int on_back(void *ctx, int sense, const char *syn, int n) {
  expander *E = ctx;
  (void)sense;
  if (n != E->nback) return 0;
  for (int i = 0; i < n; i++) {
    char a = syn[i], b = E->back[i];
    if (a >= 'A' && a <= 'Z') a = (char)(a - 'A' + 'a');
    if (a != b) return 0;
  }
  return E->hit = 1;
}

static int cmp_cand(const void *a, const void *b) {
  const cand *x = a, *y = b;
  if (x->user != y->user) return y->user - x->user;
  if (!x->user) {
    if (x->mutual != y->mutual) return y->mutual - x->mutual;
    if (x->senses != y->senses) return y->senses - x->senses;
    if ((x->words > 1) != (y->words > 1)) return (x->words > 1) - (y->words > 1);
  }
  return x->order - y->order;
}

typedef struct {
  char t[4][IDX_MAX_TOKEN + 8];
  int n[4], count;
} roots;

static int on_root(void *ctx, const char *term, int nterm, int start, int end,
                   int colocated) {
  roots *R = ctx;
  (void)start, (void)end, (void)colocated;
  if (R->count == 4 || nterm <= 0 || nterm > IDX_MAX_TOKEN ||
      term[0] == IDX_SURFACE_MARK)
    return 0;
  memcpy(R->t[R->count], term, (size_t)nterm);
  R->n[R->count++] = nterm;
  return 0;
}

/* The thesaurus's candidates for key (one word: also by its roots). */
static int thesaurus_candidates(expander *E, const char *key, int nkey,
                                int single) {
  const qry_thes *th = E->src->thes;
  roots R; /* key may point into it below: it lives as long as the call */
  R.count = 0;
  E->user = 0;
  int x = qry_thes_lookup(th, key, nkey, on_candidate, E);
  if (x < 0) return CARI_NOMEM;
  if (x == 0 && single) {
    if (idx_analyze(E->an, key, nkey, 0, on_root, &R) < 0) return CARI_NOMEM;
    for (int i = 0; i < R.count; i++) {
      if (R.n[i] == nkey && memcmp(R.t[i], key, (size_t)nkey) == 0) continue;
      if ((x = qry_thes_lookup(th, R.t[i], R.n[i], on_candidate, E)) < 0)
        return CARI_NOMEM;
      if (x) {
        key = R.t[i]; /* the root the mutual check looks for */
        nkey = R.n[i];
        break;
      }
    }
  }
  for (int i = 0; i < E->nc; i++) { /* does the synonym list the word back? */
    cand *c = &E->c[i];
    if (c->user) continue;
    E->back = key;
    E->nback = nkey;
    E->hit = 0;
    if (qry_thes_lookup(th, c->key, c->nkey, on_back, E) < 0) return CARI_NOMEM;
    c->mutual = E->hit;
  }
  return E->oom ? CARI_NOMEM : CARI_OK;
}

/* Remember a unit (index terms); 1 if it was known already, -1 on OOM. */
static int unit_seen(expander *E, const char *text, int n) {
  char *u = NULL;
  int nu = 0;
  if (qry_snippet_unit(E->an, text, n, 0, &u, &nu) != CARI_OK) return -1;
  if (!u) return 1; /* no term: nothing to search */
  for (int i = 0; i < E->nunit; i++)
    if (strcmp(E->units[i], u) == 0) {
      cari_free(u);
      return 1;
    }
  if (E->nunit == E->capunit) {
    int cap = E->capunit ? E->capunit * 2 : 32;
    char **p = cari_realloc(E->units, (size_t)cap * sizeof *p);
    if (!p) {
      cari_free(u);
      return -1;
    }
    E->units = p;
    E->capunit = cap;
  }
  E->units[E->nunit++] = u;
  return 0;
}

/* The synonyms of key (the words of phrases leads[0..nleads)), added to
** E->out. A synonym of several typed words is added once for each of them,
** led by it: it then holds every one of them for coordination, and scores
** as a synonym of each would (each copy at most its word's idf, so still
** below the words themselves). */
static int expand_key(expander *E, const char *key, int nkey, const int *leads,
                      int nleads, int single, int thes) {
  E->nc = 0;
  E->user = 1;
  if (E->src->user &&
      qry_syns_lookup(E->src->user, key, nkey, on_candidate, E) < 0)
    return CARI_NOMEM;
  int rc = thes && E->src->thes ? thesaurus_candidates(E, key, nkey, single)
                                : CARI_OK;
  if (rc) return rc;
  qsort(E->c, (size_t)E->nc, sizeof *E->c, cmp_cand);
  int kept = 0;
  for (int i = 0; i < E->nc && kept < QRY_SYN_PER_WORD &&
                  E->kept < QRY_SYN_MAX;
       i++) {
    int seen = unit_seen(E, E->c[i].key, E->c[i].nkey);
    if (seen < 0) return CARI_NOMEM;
    if (seen) continue;
    for (int k = 0; k < nleads; k++)
      if (qry_plan_add(E->out, E->c[i].key, E->c[i].nkey, 0, QRY_SYNONYM, 0,
                       leads[k], E->src->weight) != CARI_OK)
        return CARI_NOMEM;
    kept++;
    E->kept++;
    E->added += nleads;
  }
  return CARI_OK;
}

/* May phrase p be expanded? A word or quoted phrase as typed. */
static int expandable(const qry_phrase *p, int i) {
  return p->kind == QRY_WORD && p->lead == i && !p->prefix && !p->excluded &&
         p->weight > 0 && p->text[0] != IDX_SURFACE_MARK;
}

/* Each searched phrase, then runs of consecutive single words. */
static int expand_all(expander *E, const qry_plan *pl, int npos) {
  char (*keys)[KEY_CAP] = cari_malloc(((size_t)npos + 1) * sizeof *keys);
  int *nk = cari_malloc(((size_t)npos + 1) * sizeof *nk);
  int rc = keys && nk ? CARI_OK : CARI_NOMEM;
  for (int i = 0; rc == CARI_OK && i < npos; i++) {
    const qry_phrase *p = &pl->p[i];
    nk[i] = expandable(p, i) ? qry_thes_key(E->tok, p->text, p->ntext,
                                            keys[i], KEY_CAP)
                             : 0;
    if (nk[i] < 0) rc = CARI_NOMEM;
    else if (p->kind != QRY_SURFACE && unit_seen(E, p->text, p->ntext) < 0)
      rc = CARI_NOMEM;
  }
  for (int i = 0; rc == CARI_OK && i < npos; i++) {
    if (nk[i] <= 0) continue;
    int leads[QRY_SYN_TERM_WORDS] = {i}, nleads = 1;
    rc = expand_key(E, keys[i], nk[i], leads, 1,
                    !memchr(keys[i], ' ', (size_t)nk[i]), 1);
    char run[KEY_CAP];
    int nrun = nk[i];
    memcpy(run, keys[i], (size_t)nrun);
    /* Runs: the user's multi-word terms typed without quotes (a word's
    ** surface-form phrase, on a surface index, is passed over). */
    for (int j = i + 1, w = 1; rc == CARI_OK && E->src->user && j < npos &&
                               w < QRY_SYN_TERM_WORDS;
         j++, w++) {
      if (pl->p[j].kind == QRY_SURFACE) {
        w--;
        continue;
      }
      if (nk[j] <= 0 || memchr(keys[j], ' ', (size_t)nk[j]) ||
          nrun + 1 + nk[j] >= KEY_CAP)
        break;
      run[nrun++] = ' ';
      memcpy(run + nrun, keys[j], (size_t)nk[j]);
      nrun += nk[j];
      leads[nleads++] = j;
      rc = expand_key(E, run, nrun, leads, nleads, 0, 0);
    }
  }
  cari_free(keys);
  cari_free(nk);
  return rc;
}

int qry_expand_synonyms(const qry_syn_source *src, idx_tokenizer *tok,
                        idx_analyzer *an, const qry_plan *pl, qry_plan **out,
                        char *err, size_t errcap) {
  *out = NULL;
  if (!src->thes && !src->user) return CARI_OK;
  expander E;
  memset(&E, 0, sizeof E);
  E.src = src;
  E.tok = tok;
  E.an = an;
  int npos = 0; /* the searched phrases come first, then the excluded */
  while (npos < pl->n && !pl->p[npos].excluded) npos++;
  E.out = qry_plan_new();
  int rc = E.out ? CARI_OK : CARI_NOMEM;
  for (int i = 0; rc == CARI_OK && i < npos; i++) {
    const qry_phrase *p = &pl->p[i];
    rc = qry_plan_add(E.out, p->text, p->ntext, p->prefix, p->kind, 0,
                      p->lead, p->weight);
  }
  if (rc == CARI_OK) rc = expand_all(&E, pl, npos);
  for (int i = npos; rc == CARI_OK && E.added && i < pl->n; i++) {
    const qry_phrase *p = &pl->p[i];
    rc = qry_plan_add(E.out, p->text, p->ntext, p->prefix, p->kind, 1,
                      p->lead == i ? -1 : p->lead + E.added, p->weight);
  }
  if (rc == CARI_OK && E.added) {
    E.out->question = pl->question;
    *out = E.out;
    E.out = NULL;
  }
  for (int i = 0; i < E.nunit; i++) cari_free(E.units[i]);
  cari_free(E.units);
  qry_plan_free(E.out);
  if (rc == CARI_NOMEM) snprintf(err, errcap, "out of memory");
  return rc;
}
