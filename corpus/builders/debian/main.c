/*
** main.c — debian_docs: the options, the sources read in a fixed order, the
** output.
** It downloads and unpacks nothing (build-debian-corpus does).
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
