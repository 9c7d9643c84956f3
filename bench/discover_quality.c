/*
** discover_quality.c — how good the suggestions and the related articles
** of issue 12 are, each against a baseline measured in the same run:
**
**   discover_quality suggest DB QUESTIONS.tsv
**     DB holds ../shared/data/tydiqa-id/docs.jsonl, QUESTIONS.tsv its
**     validation questions (qid<TAB>text). For every word of a question
**     (letters only, longer than the letters typed) after the first, the
**     first 3 and 4 letters are typed after the question's earlier words:
**     is the word among the suggestions (hit@1, hit@5, MRR@10)? Against
**     the frequency-only baseline: the same letters typed alone, so only
**     the vocabulary's counts order the completions.
**
**   discover_quality related DB
**     DB holds the Debian documentation corpus (corpus/DEBIAN.md), whose
**     articles are tagged with their source and have ids that name their
**     module (`lo:text/swriter/...`, `gnome:gnome-help/...`, `man:...`).
**     For every article, the share of its 5 related articles from the same
**     section (source tag, plus the LibreOffice module), against two
**     baselines: a search for the article's title (itself excluded), and
**     chance (the share two random articles have).
**
** Through include/cari.h only; it prints one table and returns 0.
*/
#include "cari.h"

#include <ctype.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die(const char *what, cari_db *db) {
  fprintf(stderr, "discover_quality: %s%s%s\n", what, db ? ": " : "",
          db ? cari_errmsg(db) : "");
  exit(1);
}

/* ------------------------------------------------------------------ */
/* suggestions                                                         */
/* ------------------------------------------------------------------ */

typedef struct {
  long long n;
  double hit1, hit5, rr;
} score;

/* Where `word` is among the suggestions for text: 1-based, 0 if absent. */
static int rank_of(cari_db *db, const char *text, const char *word) {
  cari_suggestion *s;
  int n, r = 0;
  if (cari_suggest(db, text, -1, 10, &s, &n)) die("suggest", db);
  for (int i = 0; i < n && !r; i++)
    if (!strcmp(s[i].word, word)) r = i + 1;
  cari_suggestions_free(s);
  return r;
}

static void add(score *sc, int r) {
  sc->n++;
  sc->hit1 += r == 1;
  sc->hit5 += r >= 1 && r <= 5;
  sc->rr += r ? 1.0 / r : 0;
}

static int suggest_mode(const char *dbpath, const char *qpath) {
  cari_db *db;
  if (cari_open(dbpath, NULL, CARI_OPEN_READONLY, &db)) die("open", db);
  FILE *f = fopen(qpath, "r");
  if (!f) die("cannot read the questions", NULL);
  score ctx[2] = {{0}}, freq[2] = {{0}};
  char line[2048];
  while (fgets(line, sizeof line, f)) {
    char *q = strchr(line, '\t');
    if (!q) continue;
    q++;
    q[strcspn(q, "\r\n")] = 0;
    /* The words: letters only, lower case, in order. */
    char words[64][48];
    int nw = 0;
    for (char *p = q; *p && nw < 64;) {
      while (*p && !isalpha((unsigned char)*p)) p++;
      int k = 0, letters = 1;
      while (*p && !isspace((unsigned char)*p) && *p != '?' && *p != ',') {
        if (!isalpha((unsigned char)*p)) letters = 0;
        if (k < 47) words[nw][k++] = (char)tolower((unsigned char)*p);
        p++;
      }
      words[nw][k] = 0;
      if (k && letters) nw++;
    }
    for (int i = 1; i < nw; i++)
      for (int L = 3; L <= 4; L++) {
        if ((int)strlen(words[i]) <= L) continue;
        char text[2048] = "", part[8];
        size_t n = 0;
        for (int j = 0; j < i; j++)
          n += (size_t)snprintf(text + n, sizeof text - n, "%s ", words[j]);
        snprintf(part, sizeof part, "%.*s", L, words[i]);
        snprintf(text + n, sizeof text - n, "%s", part);
        add(&ctx[L - 3], rank_of(db, text, words[i]));
        add(&freq[L - 3], rank_of(db, part, words[i]));
      }
  }
  fclose(f);
  printf("suggestions completing the words of %s (after the first word)\n",
         qpath);
  printf("%-8s %-34s %8s %8s %8s %8s\n", "typed", "ranking", "words",
         "hit@1", "hit@5", "MRR@10");
  for (int L = 0; L < 2; L++) {
    const score *s[2] = {&freq[L], &ctx[L]};
    const char *name[2] = {"frequency only (baseline)",
                           "with the earlier words (cari)"};
    for (int k = 0; k < 2; k++)
      printf("%d letters %-34s %8lld %8.4f %8.4f %8.4f\n", L + 3, name[k],
             s[k]->n, s[k]->hit1 / (double)s[k]->n,
             s[k]->hit5 / (double)s[k]->n, s[k]->rr / (double)s[k]->n);
  }
  return cari_close(db) ? 1 : 0;
}

/* ------------------------------------------------------------------ */
/* related articles                                                    */
/* ------------------------------------------------------------------ */

/* The section of an article: its id's source and, for LibreOffice help,
** its module ("lo:text/swriter"); for GNOME help, the document. */
static void section(const char *id, char *out, size_t cap) {
  const char *slash = strchr(id, '/');
  if (!strncmp(id, "lo:", 3) && slash && strchr(slash + 1, '/'))
    snprintf(out, cap, "%.*s", (int)(strchr(slash + 1, '/') - id), id);
  else if (!strncmp(id, "gnome:", 6) && slash)
    snprintf(out, cap, "%.*s", (int)(slash - id), id);
  else snprintf(out, cap, "%.*s", (int)strcspn(id, ":"), id);
}

typedef struct {
  char *id, *title, sec[96];
} doc;

static int same_of(cari_db *db, cari_cursor *c, const char *sec,
                   const char *self, int *n) {
  int same = 0, rc;
  *n = 0;
  while (*n < 5 && (rc = cari_next(c)) == CARI_ROW) {
    const char *id = cari_result_id(c);
    if (!strcmp(id, self)) continue;
    char s[96];
    section(id, s, sizeof s);
    same += !strcmp(s, sec);
    (*n)++;
  }
  return same;
}

static int related_mode(const char *dbpath) {
  cari_db *db;
  if (cari_open(dbpath, NULL, CARI_OPEN_READONLY, &db)) die("open", db);
  /* Every article's id and title, through a search-free path: the
  ** library's own connection is not exposed, so the file is read again. */
  sqlite3 *s;
  if (sqlite3_open_v2(dbpath, &s, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    die("cannot read the articles", NULL);
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(s, "SELECT id, title FROM articles ORDER BY id", -1,
                         &st, NULL) != SQLITE_OK)
    die("cannot read the articles", NULL);
  doc *d = NULL;
  int nd = 0, cap = 0;
  while (sqlite3_step(st) == SQLITE_ROW) {
    if (nd == cap && !(d = realloc(d, (size_t)(cap = cap ? cap * 2 : 1024) *
                                          sizeof *d)))
      die("out of memory", NULL);
    d[nd].id = strdup((const char *)sqlite3_column_text(st, 0));
    d[nd].title = strdup((const char *)sqlite3_column_text(st, 1));
    section(d[nd].id, d[nd].sec, sizeof d[nd].sec);
    nd++;
  }
  sqlite3_finalize(st);
  sqlite3_close(s);
  double rel_same = 0, rel_n = 0, ttl_same = 0, ttl_n = 0, chance = 0;
  cari_search_opts o = CARI_SEARCH_OPTS_INIT;
  o.limit = 6;
  o.flags = CARI_SEARCH_NO_SNIPPET;
  for (int i = 0; i < nd; i++) {
    cari_cursor *c;
    int n;
    if (cari_related(db, d[i].id, &o, &c) == CARI_OK) {
      rel_same += same_of(db, c, d[i].sec, d[i].id, &n);
      rel_n += n;
      cari_cursor_free(c);
    }
    if (cari_search(db, d[i].title, -1, &o, &c) == CARI_OK) {
      ttl_same += same_of(db, c, d[i].sec, d[i].id, &n);
      ttl_n += n;
      cari_cursor_free(c);
    }
    int k = 0;
    for (int j = 0; j < nd; j++) k += j != i && !strcmp(d[j].sec, d[i].sec);
    chance += (double)k / (nd - 1);
  }
  printf("related articles in the same section, top 5, %d articles of %s\n",
         nd, dbpath);
  printf("  cari related                       %.4f (%0.f related)\n",
         rel_same / rel_n, rel_n);
  printf("  search for the title (baseline)    %.4f (%0.f results)\n",
         ttl_same / ttl_n, ttl_n);
  printf("  chance (baseline)                  %.4f\n", chance / nd);
  for (int i = 0; i < nd; i++) {
    free(d[i].id);
    free(d[i].title);
  }
  free(d);
  return cari_close(db) ? 1 : 0;
}

int main(int argc, char **argv) {
  if (argc == 4 && !strcmp(argv[1], "suggest"))
    return suggest_mode(argv[2], argv[3]);
  if (argc == 3 && !strcmp(argv[1], "related")) return related_mode(argv[2]);
  fprintf(stderr, "usage: discover_quality suggest DB QUESTIONS.tsv\n"
                  "       discover_quality related DB\n");
  return 2;
}
