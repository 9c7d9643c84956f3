/*
** test_synonym.c — synonyms at query time: the MyThes reader on a small
** ISO-8859-1 thesaurus written here (and on Debian's mythes-id when it is
** installed), the synonyms file's parser (good lines, bad lines with their
** line numbers), the expansion of plans (both directions, multi-word
** terms, roots, caps, hostile queries), and the ranking rule: a synonym
** never outranks its word on otherwise equal articles, pruned or not.
*/
#include "cari.h"
#include "indexer.h"
#include "query.h"
#include "test.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char dir[] = "/tmp/cari-syn-XXXXXX";

/* Write text to dir/name; the path into path. */
static int write_file(const char *name, const char *text, size_t n,
                      char *path, size_t cap) {
  snprintf(path, cap, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  if (!f) return 0;
  int ok = fwrite(text, 1, n, f) == n;
  return fclose(f) == 0 && ok;
}

/* A thesaurus written as MyThes does: the .dat, then the .idx of its
** entries' offsets, sorted by bytes. `entries` holds "head|n\n" lines each
** followed by n sense lines, '\n'-separated; heads in byte order. */
static int write_thesaurus(const char *base, const char *enc,
                           const char *entries, char *path, size_t cap) {
  char dat[65536], idx[65536], p[400];
  size_t nd = (size_t)snprintf(dat, sizeof dat, "%s\n", enc);
  int count = 0;
  size_t ni = 0;
  char lines[65536] = "";
  const char *e = entries;
  while (*e) {
    const char *nl = strchr(e, '\n');
    const char *bar = memchr(e, '|', (size_t)(nl - e));
    int nsense = atoi(bar + 1);
    ni += (size_t)snprintf(lines + ni, sizeof lines - ni, "%.*s|%zu\n",
                           (int)(bar - e), e, nd);
    count++;
    const char *end = nl + 1;
    for (int i = 0; i < nsense; i++) end = strchr(end, '\n') + 1;
    memcpy(dat + nd, e, (size_t)(end - e));
    nd += (size_t)(end - e);
    e = end;
  }
  size_t nx = (size_t)snprintf(idx, sizeof idx, "%s\n%d\n%s", enc, count,
                               lines);
  snprintf(p, sizeof p, "%s.dat", base);
  if (!write_file(p, dat, nd, path, cap)) return 0;
  snprintf(p, sizeof p, "%s.idx", base);
  return write_file(p, idx, nx, path, cap);
}

/* A small thesaurus: ISO-8859-1 (caf\xe9), an antonym line, a capitalised
** headword beside its lower-case one, a multi-word headword, roots. */
static const char small[] =
    "Minggu|1\n[n]|Ahad\n"
    "abadi|2\n[a]|kekal|langgeng|lestari\n[ant]|sementara\n"
    "abdi negara|1\n[n]|pegawai negeri|birokrat\n"
    "baca|1\n[v]|eja|telaah\n"
    "caf\xe9|1\n[n]|kedai kopi|warung\n"
    "kekal|1\n[a]|abadi|awet\n"
    "langgeng|1\n[a]|lestari\n"
    "minggu|1\n[n]|pekan\n"
    "rumah|3\n[n]|wisma|griya|kediaman|hunian|tempat tinggal|bangunan\n"
    "[n]|griya|keluarga|bangunan|wangsa|dinasti\n[n]|kediaman|pondok\n";

typedef struct {
  char out[1024];
  int n;
} joined;

static int join_fn(void *ctx, int sense, const char *syn, int n) {
  joined *J = ctx;
  J->n += snprintf(J->out + J->n, sizeof J->out - (size_t)J->n, "%s%d:%.*s",
                   J->n ? "|" : "", sense, n, syn);
  return 0;
}

static void test_reader(idx_tokenizer *tok) {
  char path[600], err[600];
  CHECK("write the thesaurus",
        write_thesaurus("th", "ISO-8859-1", small, path, sizeof path),
        "cannot write %s", path);
  snprintf(path, sizeof path, "%s/th.idx", dir);
  qry_thes *th = NULL;
  int rc = qry_thes_open(path, tok, &th, err, sizeof err);
  CHECK("open the thesaurus", rc == CARI_OK, "%d %s", rc, err);
  if (rc) return;
  CHECK_INT("entries", qry_thes_entries(th), 9);
  static const struct {
    const char *id, *key, *want;
  } rows[] = {
      {"senses, antonyms skipped", "abadi", "0:kekal|0:langgeng|0:lestari"},
      {"Minggu and minggu: one key", "minggu", "0:Ahad|1:pekan"},
      {"multi-word headword", "abdi negara", "0:pegawai negeri|0:birokrat"},
      {"ISO-8859-1 becomes UTF-8, normalised", "cafe", "0:kedai kopi|0:warung"},
      {"several senses", "rumah",
       "0:wisma|0:griya|0:kediaman|0:hunian|0:tempat tinggal|0:bangunan|"
       "1:griya|1:keluarga|1:bangunan|1:wangsa|1:dinasti|2:kediaman|2:pondok"},
      {"no entry", "membaca", ""},
      {"not a prefix of a key", "aba", ""},
      {"the antonym is no key", "sementara", ""},
  };
  for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
    joined J = {"", 0};
    int x = qry_thes_lookup(th, rows[i].key, (int)strlen(rows[i].key), join_fn,
                            &J);
    CHECK_STR(rows[i].id, J.out, rows[i].want);
    CHECK_INT(rows[i].id, x, rows[i].want[0] != 0);
  }
  CHECK("bytes held", qry_thes_bytes(th) > sizeof small,
        "%zu", qry_thes_bytes(th));
  qry_thes_free(th);

  /* Bad files: named in the message, never a crash. */
  th = NULL;
  snprintf(path, sizeof path, "%s/missing.idx", dir);
  rc = qry_thes_open(path, tok, &th, err, sizeof err);
  CHECK("a missing thesaurus", rc == CARI_IO && strstr(err, "missing.idx") &&
        !th, "%d %s", rc, err);
  CHECK("write KOI8", write_thesaurus("koi", "KOI8-R", small, path,
                                      sizeof path), "write");
  snprintf(path, sizeof path, "%s/koi", dir);
  rc = qry_thes_open(path, tok, &th, err, sizeof err);
  CHECK("another encoding", rc == CARI_FORMAT && strstr(err, "encoding"),
        "%d %s", rc, err);
  /* An .idx whose offsets point elsewhere: no entry, nothing read wrong. */
  static const char idx[] = "UTF-8\n3\nabadi|999999\nbaca|0\nkekal|6\n";
  static const char dat[] = "UTF-8\nkekal|1\n[a]|awet\n";
  CHECK("write disagreeing files",
        write_file("bad.idx", idx, sizeof idx - 1, path, sizeof path) &&
            write_file("bad.dat", dat, sizeof dat - 1, path, sizeof path),
        "write");
  rc = qry_thes_open(path, tok, &th, err, sizeof err);
  CHECK("disagreeing files open", rc == CARI_OK, "%d %s", rc, err);
  static const char *const keys[] = {"abadi", "baca", "kekal"};
  static const char *const want[] = {"", "", "0:awet"};
  for (int i = 0; rc == CARI_OK && i < 3; i++) {
    joined J = {"", 0};
    qry_thes_lookup(th, keys[i], (int)strlen(keys[i]), join_fn, &J);
    CHECK_STR(keys[i], J.out, want[i]);
  }
  qry_thes_free(th);
}

/* Debian's mythes-id, when installed. */
static void test_debian(idx_tokenizer *tok) {
  struct stat st;
  if (stat(QRY_THES_DEFAULT, &st) != 0) {
    printf("skipped: %s not installed (mythes-id)\n", QRY_THES_DEFAULT);
    return;
  }
  char err[600];
  qry_thes *th = NULL;
  int rc = qry_thes_open(QRY_THES_DEFAULT, tok, &th, err, sizeof err);
  CHECK("open mythes-id", rc == CARI_OK, "%s", err);
  if (rc) return;
  CHECK("mythes-id entries", qry_thes_entries(th) > 20000, "%d",
        qry_thes_entries(th));
  joined J = {"", 0};
  qry_thes_lookup(th, "abadi", 5, join_fn, &J);
  CHECK("abadi: kekal", strstr(J.out, ":kekal|") != NULL, "%s", J.out);
  CHECK("abadi: no antonym", strstr(J.out, "sementara") == NULL, "%s", J.out);
  printf("mythes-id: %d entries, %zu bytes held\n", qry_thes_entries(th),
         qry_thes_bytes(th));
  qry_thes_free(th);
}

/* ------------------------------------------------------------------ */
/* the synonyms file                                                   */
/* ------------------------------------------------------------------ */

static void test_file(idx_tokenizer *tok) {
  static const char good[] =
      "# synonyms of a blog\n"
      "\n"
      "kopdar = kopi darat   # a meeting in person\n"
      "Ortu = orang tua, orangtua\r\n"
      "  \t# an indented comment\n"
      "HP = telepon genggam, ponsel, handphone";
  char err[600];
  qry_syns *s = NULL;
  int rc = qry_syns_parse(good, sizeof good - 1, "syn.txt", tok, &s, err,
                          sizeof err);
  CHECK("good file", rc == CARI_OK, "%d %s", rc, err);
  if (rc == CARI_OK) {
    CHECK_INT("groups", qry_syns_count(s), 3);
    static const struct {
      const char *key, *want;
    } rows[] = {
        {"kopdar", "0:kopi darat"},
        {"kopi darat", "0:kopdar"},
        {"ortu", "1:orang tua|1:orangtua"},
        {"orangtua", "1:ortu|1:orang tua"},
        {"ponsel", "2:hp|2:telepon genggam|2:handphone"},
        {"kopi", ""},
        {"darat", ""},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
      joined J = {"", 0};
      qry_syns_lookup(s, rows[i].key, (int)strlen(rows[i].key), join_fn, &J);
      CHECK_STR(rows[i].key, J.out, rows[i].want);
    }
  }
  qry_syns_free(s);

  static const struct {
    const char *id, *text, *want;
  } bad[] = {
      {"no '='", "kopdar = kopi darat\nkopdar kopi darat\n",
       "f.txt:2: no '='"},
      {"two '='", "# c\n\na = b = c\n", "f.txt:3: more than one '='"},
      {"nothing left", "= kopi\n", "f.txt:1: no term before '='"},
      {"empty right term", "a = b,, c\n", "f.txt:1: an empty term"},
      {"nothing right", "a =\n", "f.txt:1: an empty term"},
      {"a comma on the left", "a, b = c\n", "f.txt:1: a ',' before the '='"},
      {"no word", "a = !!!\n", "f.txt:1: an empty term"},
      {"too many words", "a = b c d e f\n", "f.txt:1: a term of more than 4"},
      {"not UTF-8", "ok = fine\na = caf\xe9\n", "f.txt:2: not UTF-8"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    s = NULL;
    rc = qry_syns_parse(bad[i].text, strlen(bad[i].text), "f.txt", tok, &s,
                        err, sizeof err);
    CHECK(bad[i].id, rc == CARI_FORMAT && !s && strstr(err, bad[i].want),
          "%d '%s', want '%s'", rc, err, bad[i].want);
    qry_syns_free(s);
  }
  char path[600];
  snprintf(path, sizeof path, "%s/none.txt", dir);
  rc = qry_syns_load(path, tok, &s, err, sizeof err);
  CHECK("missing file", rc == CARI_IO && strstr(err, "none.txt"), "%d %s", rc,
        err);
}

/* ------------------------------------------------------------------ */
/* expansion                                                           */
/* ------------------------------------------------------------------ */

/* The plan as text: "text/kind/lead" per phrase, '|'-separated (kinds: W
** word, S synonym, X excluded word, P prefix). */
static void plan_text(const qry_plan *pl, char *out, size_t cap) {
  size_t n = 0;
  out[0] = 0;
  for (int i = 0; i < pl->n && n < cap; i++) {
    const qry_phrase *p = &pl->p[i];
    char kind = p->excluded ? 'X' : p->kind == QRY_SYNONYM ? 'S'
                : p->prefix ? 'P' : 'W';
    n += (size_t)snprintf(out + n, cap - n, "%s%s/%c/%d", i ? "|" : "",
                          p->text, kind, p->lead);
  }
}

typedef struct {
  idx_tokenizer *tok;
  idx_analyzer *an;
  qry_syn_source src;
} env;

/* Expand q; the plan's text into out ("" when nothing was added). */
static int expand(env *E, const char *q, char *out, size_t cap,
                  qry_plan **keep) {
  qry_ranking r;
  qry_ranking_default(&r);
  char err[600];
  qry_plan *pl = NULL, *x = NULL;
  int rc = qry_translate(E->tok, q, (int)strlen(q), &r, &pl, NULL, 0, err,
                         sizeof err);
  if (rc == CARI_OK)
    rc = qry_expand_synonyms(&E->src, E->tok, E->an, pl, &x, err, sizeof err);
  out[0] = 0;
  if (rc == CARI_OK && x) plan_text(x, out, cap);
  if (rc) snprintf(out, cap, "error %d: %s", rc, err);
  if (keep) {
    *keep = x;
    x = NULL;
  }
  qry_plan_free(pl);
  qry_plan_free(x);
  return rc;
}

static void test_expand(idx_tokenizer *tok, idx_analyzer *an) {
  char err[600], path[600], out[4096];
  static const char file[] =
      "kopdar = kopi darat\nortu = orang tua, orangtua\nabadi = baka\n";
  qry_syns *user = NULL;
  int rc = qry_syns_parse(file, sizeof file - 1, "u", tok, &user, err,
                          sizeof err);
  snprintf(path, sizeof path, "%s/th", dir);
  qry_thes *th = NULL;
  if (rc == CARI_OK) rc = qry_thes_open(path, tok, &th, err, sizeof err);
  CHECK("sources", rc == CARI_OK, "%s", err);
  if (rc) return;
  env E = {tok, an, {NULL, user, 0.5}};
  static const struct {
    const char *id;
    int thes;
    const char *q, *want;
  } rows[] = {
      {"user: one word to a phrase", 0, "kopdar",
       "kopdar/W/0|kopi darat/S/0"},
      {"user: two words typed to one, once per word", 0, "kopi darat",
       "kopi/W/0|darat/W/1|kopdar/S/0|kopdar/S/1"},
      {"user: a quoted phrase to one", 0, "\"kopi darat\"",
       "kopi darat/W/0|kopdar/S/0"},
      {"user: exclusions after the synonyms", 0, "ortu -kopdar",
       "ortu/W/0|orang tua/S/0|orangtua/S/0|kopdar/X/3"},
      {"user: case folded", 0, "KOPDAR", "KOPDAR/W/0|kopi darat/S/0"},
      {"user: nothing for other words", 0, "kopi", ""},
      {"user: an excluded word is not expanded", 0, "kopi -kopdar", ""},
      {"user: a prefix is not expanded", 0, "kopdar*", ""},
      {"thesaurus: mutual first, antonym never", 1, "abadi",
       "abadi/W/0|baka/S/0|kekal/S/0|langgeng/S/0|lestari/S/0"},
      {"thesaurus: by the word's root", 1, "membaca",
       "membaca/W/0|eja/S/0|telaah/S/0"},
      {"thesaurus: no synonym that is a query word", 1, "abadi kekal",
       "abadi/W/0|kekal/W/1|baka/S/0|langgeng/S/0|lestari/S/0|awet/S/1"},
      {"thesaurus: senses counted, capped at 4", 1, "rumah",
       "rumah/W/0|griya/S/0|kediaman/S/0|bangunan/S/0|wisma/S/0"},
      {"thesaurus: the mutual one first", 1, "kekal",
       "kekal/W/0|abadi/S/0|awet/S/0"},
  };
  for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
    E.src.thes = rows[i].thes ? th : NULL;
    expand(&E, rows[i].q, out, sizeof out, NULL);
    CHECK_STR(rows[i].id, out, rows[i].want);
  }

  /* Hostile: 64 words, each with 40 synonyms in the user's file and the
  ** thesaurus: at most QRY_SYN_PER_WORD each, QRY_SYN_MAX in all. */
  size_t cap = 1 << 20, n = 0;
  char *big = malloc(cap), *q = malloc(8192), *ent = malloc(cap);
  size_t nq = 0, ne = 0;
  CHECK("hostile buffers", big && q && ent, "out of memory");
  if (!big || !q || !ent) goto done;
  for (int w = 0; w < 64; w++) {
    n += (size_t)snprintf(big + n, cap - n, "w%02dx =", w);
    ne += (size_t)snprintf(ent + ne, cap - ne, "w%02dx|1\n[n]", w);
    for (int s = 0; s < 40; s++) {
      n += (size_t)snprintf(big + n, cap - n, "%s s%02dx%02d", s ? "," : "",
                            w, s);
      ne += (size_t)snprintf(ent + ne, cap - ne, "|t%02dx%02d", w, s);
    }
    n += (size_t)snprintf(big + n, cap - n, "\n");
    ne += (size_t)snprintf(ent + ne, cap - ne, "\n");
    nq += (size_t)snprintf(q + nq, 8192 - nq, "w%02dx ", w);
  }
  qry_syns *hu = NULL;
  qry_thes *ht = NULL;
  rc = qry_syns_parse(big, n, "big", tok, &hu, err, sizeof err);
  CHECK("hostile file", rc == CARI_OK, "%s", err);
  CHECK("hostile thesaurus", write_thesaurus("big", "ISO-8859-1", ent, path,
                                             sizeof path), "write");
  snprintf(path, sizeof path, "%s/big", dir);
  if (rc == CARI_OK) rc = qry_thes_open(path, tok, &ht, err, sizeof err);
  CHECK("hostile thesaurus opens", rc == CARI_OK, "%s", err);
  if (rc == CARI_OK) {
    env H = {tok, an, {ht, hu, 0.5}};
    qry_plan *x = NULL;
    rc = expand(&H, q, out, sizeof out, &x);
    CHECK("hostile expands", rc == CARI_OK && x, "%s", out);
    int syn = 0, per[64] = {0}, over = 0;
    for (int i = 0; x && i < x->n; i++)
      if (x->p[i].kind == QRY_SYNONYM) {
        syn++;
        over += ++per[x->p[i].lead] > QRY_SYN_PER_WORD;
      }
    CHECK_INT("hostile: synonyms in all", syn, QRY_SYN_MAX);
    CHECK_INT("hostile: none over the cap per word", over, 0);
    CHECK_INT("hostile: the user's first", x ? x->p[64].text[0] : 0, 's');
    qry_plan_free(x);
  }
  qry_syns_free(hu);
  qry_thes_free(ht);
done:
  free(big);
  free(q);
  free(ent);
  qry_syns_free(user);
  qry_thes_free(th);
}

/* ------------------------------------------------------------------ */
/* ranking                                                             */
/* ------------------------------------------------------------------ */

/* The ids of a search, best first, space-separated. */
static void ranked(cari_db *db, const char *q, int flags, char *out,
                   size_t cap) {
  cari_search_opts so = CARI_SEARCH_OPTS_INIT;
  so.flags = flags | CARI_SEARCH_NO_SNIPPET;
  cari_cursor *c = NULL;
  size_t n = 0;
  out[0] = 0;
  int rc = cari_search(db, q, -1, &so, &c);
  if (rc == CARI_OK)
    while ((rc = cari_next(c)) == CARI_ROW && n < cap)
      n += (size_t)snprintf(out + n, cap - n, "%s%s", n ? " " : "",
                            cari_result_id(c));
  if (rc != CARI_DONE) snprintf(out, cap, "error %d %s", rc, cari_errmsg(db));
  cari_cursor_free(c);
}

static void test_ranking(void) {
  char path[600], syn[600], out[1024];
  static const char file[] = "mobil = kendaraan\nkopdar = kopi darat\n";
  CHECK("write synonyms", write_file("rank.txt", file, sizeof file - 1, syn,
                                     sizeof syn), "write");
  snprintf(path, sizeof path, "%s/rank.db", dir);
  cari_open_opts o = CARI_OPEN_OPTS_INIT;
  o.synonyms = syn;
  cari_db *db = NULL;
  int rc = cari_open_ex(path, &o, &db);
  CHECK("open with synonyms", rc == CARI_OK, "%s", cari_errmsg(db));
  if (rc) {
    cari_close(db);
    return;
  }
  /* `kendaraan` is rarer than `mobil`: its idf is higher, capped at the
  ** word's. a and b, c and d differ only in word or synonym. */
  static const struct {
    const char *id, *body;
  } docs[] = {
      {"a", "di jalan ada mobil merah"},
      {"b", "di jalan ada kendaraan merah"},
      {"c", "kami kopdar di taman kota"},
      {"d", "kami kopi darat di taman kota"},
      {"m1", "mobil"}, {"m2", "mobil baru"}, {"m3", "mobil lama"},
      {"m4", "mobil bekas dijual"}, {"m5", "bengkel mobil"},
      {"x1", "taman kota yang indah"}, {"x2", "darat dan laut"},
      {"k1", "kopi panas"},
  };
  rc = cari_begin(db);
  for (size_t i = 0; rc == CARI_OK && i < sizeof docs / sizeof *docs; i++) {
    cari_article a = {0};
    a.id = docs[i].id;
    a.title = "";
    a.body = docs[i].body;
    rc = cari_put(db, &a);
  }
  if (rc == CARI_OK) rc = cari_commit(db);
  CHECK("index", rc == CARI_OK, "%s", cari_errmsg(db));
  static const struct {
    const char *id, *q;
    int flags;
    const char *want;
  } rows[] = {
      {"the word first", "mobil jalan", 0, "a b m1 "},
      {"the other way", "kendaraan jalan", 0, "b a m1 "},
      {"a phrase synonym below", "kopdar taman", 0, "c d x1"},
      {"the phrase typed first", "\"kopi darat\" taman", 0, "d c x1"},
      {"a run typed: its synonym holds both words", "kopi darat", 0,
       "d c k1"},
      {"without synonyms, the other way", "kendaraan", CARI_SEARCH_NO_SYNONYMS,
       "b"},
  };
  for (int pass = 0; pass < 2; pass++) {
    if (pass == 1)
      CHECK("optimize", cari_optimize(db) == CARI_OK, "%s", cari_errmsg(db));
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
      char id[200], ex[1024];
      snprintf(id, sizeof id, "%s (%s)", rows[i].id,
               pass ? "pruned" : "before the build");
      ranked(db, rows[i].q, rows[i].flags, out, sizeof out);
      ranked(db, rows[i].q, rows[i].flags | CARI_SEARCH_EXHAUSTIVE, ex,
             sizeof ex);
      CHECK(id, strncmp(out, rows[i].want, strlen(rows[i].want)) == 0,
            "got '%s', want it to begin '%s'", out, rows[i].want);
      CHECK_STR(id, ex, out);
    }
  }
  CHECK_INT("close", cari_close(db), CARI_OK);
  test_remove_db(path);

  /* A bad synonyms file fails the open, naming file and line. */
  static const char bad[] = "ok = fine\n\nno equals here\n";
  CHECK("write bad", write_file("bad.txt", bad, sizeof bad - 1, syn,
                                sizeof syn), "write");
  db = NULL;
  rc = cari_open_ex(path, &o, &db);
  CHECK("bad file: open fails", rc == CARI_FORMAT &&
        strstr(cari_errmsg(db), "bad.txt:3: no '='"), "%d %s", rc,
        cari_errmsg(db));
  cari_close(db);
  test_remove_db(path);
}

int main(void) {
  if (!mkdtemp(dir)) return 1;
  char err[600];
  idx_tokenizer *tok = idx_tokenizer_new();
  sid_lexicon *lx = idx_lexicon_load(NULL, err, sizeof err);
  CHECK("lexicon", lx != NULL, "%s", err);
  idx_analyzer *an = lx ? idx_analyzer_new("cari", lx, err, sizeof err) : NULL;
  CHECK("analyzer", tok && an, "%s", err);
  if (tok && an) {
    test_reader(tok);
    test_debian(tok);
    test_file(tok);
    test_expand(tok, an);
    test_ranking();
  }
  idx_analyzer_free(an);
  sid_lexicon_free(lx);
  idx_tokenizer_free(tok);
  char cmd[700];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
  return test_report("test_synonym");
}
