/*
** fuzz_analyze.c — fuzz target: one input is text given to the analyzer
** (indexer/analyzer.c over tokenize.c and the stemmers): the public
** cari_analyze with the default stemmer, then idx_analyze with each stemmer
** (cari, snowball, none) and flags chosen by a hash of the input (none,
** IDX_NOSTEM, IDX_SURFACE, IDX_SURFACE_QUERY). Checked per term: a
** non-empty term of bounded length, its word's offsets inside the input
** and in order, colocated terms only with IDX_SURFACE, surface terms
** marked. It does not check which stem a word gets (test_stemmer does).
*/
#include "fuzz.h"

#include "cari.h"
#include "indexer.h"

#include <string.h>

/* Built once per process: libFuzzer passes targets no context. */
static cari_analyzer *pub;
static sid_lexicon *lex;
static idx_analyzer *an[3];
static const char *const names[3] = {"cari", "snowball", "none"};

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  char err[400];
  FUZZ_CHECK(cari_analyzer_new(NULL, &pub) == CARI_OK, "cari_analyzer_new");
  lex = idx_lexicon_load(NULL, err, sizeof err);
  FUZZ_CHECK(lex != NULL, "idx_lexicon_load: %s", err);
  for (int i = 0; i < 3; i++) {
    an[i] = idx_analyzer_new(names[i], lex, err, sizeof err);
    FUZZ_CHECK(an[i] != NULL, "idx_analyzer_new(%s): %s", names[i], err);
  }
  return 0;
}

typedef struct walk {
  int len, flags;
  int last_start; /* start of the previous term's word, -1 before the first */
  int terms;
} walk;

static void check_term(walk *w, const char *term, int n, int start, int end) {
  FUZZ_CHECK(term != NULL && n > 0, "empty term at [%d,%d)", start, end);
  /* A term is a normalised word (cut to IDX_MAX_TOKEN), its stem, or a mark
  ** plus the word; NFKC can grow a cut word by a few bytes. */
  FUZZ_CHECK(n <= IDX_MAX_TOKEN + 16, "term of %d bytes", n);
  FUZZ_CHECK(memchr(term, '\0', (size_t)n) == NULL, "NUL in a term");
  FUZZ_CHECK(0 <= start && start < end && end <= w->len,
             "offsets [%d,%d) outside the input of %d bytes", start, end,
             w->len);
  FUZZ_CHECK(start >= w->last_start, "term at %d after one at %d", start,
             w->last_start);
  w->last_start = start;
  w->terms++;
}

static int on_pub(void *ctx, const char *term, int n, int start, int end) {
  check_term(ctx, term, n, start, end);
  return 0;
}

static int on_idx(void *ctx, const char *term, int n, int start, int end,
                  int colocated) {
  walk *w = ctx;
  check_term(w, term, n, start, end);
  FUZZ_CHECK(!colocated || (w->flags & IDX_SURFACE),
             "colocated term without IDX_SURFACE");
  if (w->flags & IDX_SURFACE_QUERY)
    FUZZ_CHECK(term[0] == IDX_SURFACE_MARK, "unmarked term with "
               "IDX_SURFACE_QUERY");
  if (colocated)
    FUZZ_CHECK(term[0] == IDX_SURFACE_MARK, "unmarked colocated term");
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const int flag_sets[4] = {0, IDX_NOSTEM, IDX_SURFACE,
                                   IDX_SURFACE_QUERY};
  if (size > 1 << 20) return 0;
  const char *text = (const char *)data;
  uint64_t h = fuzz_hash(data, size);
  walk w = {(int)size, 0, -1, 0};
  int rc = cari_analyze(pub, text, (int)size, on_pub, &w);
  FUZZ_CHECK(rc == CARI_OK, "cari_analyze: %s", cari_errstr(rc));
  int pub_terms = w.terms;
  for (int i = 0; i < 3; i++) {
    int flags = flag_sets[(h >> (2 * i)) & 3];
    walk x = {(int)size, flags, -1, 0};
    rc = idx_analyze(an[i], text, (int)size, flags, on_idx, &x);
    FUZZ_CHECK(rc == 0, "idx_analyze(%s, flags %d): %d", names[i], flags, rc);
    if (i == 0 && flags == 0)
      FUZZ_CHECK(x.terms == pub_terms, "cari_analyze gave %d terms, "
                 "idx_analyze %d", pub_terms, x.terms);
  }
  return 0;
}
