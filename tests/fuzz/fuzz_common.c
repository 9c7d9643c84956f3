/*
** fuzz_common.c — helpers shared by the fuzz targets: the failing check,
** the input hash that chooses options, a UTF-8 check, a per-process
** temporary directory, and the reader driver the four reader targets use.
** It holds no target: no LLVMFuzzerTestOneInput here. The temporary
** directory is the one piece of process state (libFuzzer gives targets no
** context argument); it is removed at exit.
*/
#include "fuzz.h"

#include "cari.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void fuzz_fail(const char *file, int line, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "fuzz: %s:%d: ", file, line);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  abort();
}

uint64_t fuzz_hash(const uint8_t *data, size_t size) {
  uint64_t h = 1469598103934665603ULL;
  for (size_t i = 0; i < size; i++) h = (h ^ data[i]) * 1099511628211ULL;
  return h;
}

int fuzz_utf8_ok(const char *s, size_t n) {
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0;
  while (i < n) {
    unsigned c = u[i], lo = 0x80, hi = 0xBF;
    size_t len;
    if (c == 0) return 0;
    if (c < 0x80) {
      i++;
      continue;
    }
    if (c >= 0xC2 && c <= 0xDF) len = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else
      return 0;
    if (n - i < len || u[i + 1] < lo || u[i + 1] > hi) return 0;
    for (size_t k = 2; k < len; k++)
      if (u[i + k] < 0x80 || u[i + k] > 0xBF) return 0;
    i += len;
  }
  return 1;
}

/* The process's temporary directory and the names made in it. */
static char temp_dir[512];
static char temp_path[600];
static char temp_names[8][64];
static int ntemp_names;

static void temp_cleanup(void) {
  char p[1200]; /* more than dir + name + suffix: no truncation */
  for (int i = 0; i < ntemp_names; i++) {
    static const char *const sfx[] = {"", "-wal", "-shm", "-journal"};
    for (size_t k = 0; k < sizeof sfx / sizeof sfx[0]; k++) {
      snprintf(p, sizeof p, "%s/%s%s", temp_dir, temp_names[i], sfx[k]);
      unlink(p);
    }
  }
  rmdir(temp_dir);
}

const char *fuzz_temp_dir(void) {
  if (temp_dir[0]) return temp_dir;
  const char *t = getenv("TMPDIR");
  snprintf(temp_dir, sizeof temp_dir, "%s/cari-fuzz-XXXXXX",
           t && *t ? t : "/tmp");
  FUZZ_CHECK(mkdtemp(temp_dir) != NULL, "cannot make a directory %s",
             temp_dir);
  FUZZ_CHECK(atexit(temp_cleanup) == 0, "atexit failed");
  return temp_dir;
}

const char *fuzz_temp_path(const char *name) {
  const char *dir = fuzz_temp_dir();
  int known = 0;
  for (int i = 0; i < ntemp_names; i++)
    if (strcmp(temp_names[i], name) == 0) known = 1;
  if (!known) {
    FUZZ_CHECK(ntemp_names < 8 && strlen(name) < sizeof temp_names[0],
               "too many or too long temporary names (%s)", name);
    strcpy(temp_names[ntemp_names++], name);
  }
  snprintf(temp_path, sizeof temp_path, "%s/%s", dir, name);
  return temp_path;
}

void fuzz_write_file(const char *path, const uint8_t *data, size_t size) {
  FILE *f = fopen(path, "wb");
  FUZZ_CHECK(f != NULL, "cannot write %s", path);
  FUZZ_CHECK(size == 0 || fwrite(data, 1, size, f) == size,
             "short write to %s", path);
  FUZZ_CHECK(fclose(f) == 0, "cannot close %s", path);
}

static void check_str(const char *what, const char *s, int required) {
  if (!s) {
    FUZZ_CHECK(!required, "article %s is NULL", what);
    return;
  }
  FUZZ_CHECK(fuzz_utf8_ok(s, strlen(s)), "article %s is not valid UTF-8",
             what);
}

void fuzz_reader_run(const char *ext, const uint8_t *data, size_t size) {
  char name[32];
  snprintf(name, sizeof name, "in.%s", ext);
  const char *path = fuzz_temp_path(name);
  fuzz_write_file(path, data, size);
  cari_reader *r = NULL;
  int rc = cari_reader_open(path, &r);
  FUZZ_CHECK(rc == CARI_OK && r, "cari_reader_open(%s): %d %s", path, rc,
             cari_reader_errmsg(r));
  for (size_t records = 0;; records++) {
    cari_article a;
    /* A record is at least a byte of input: more means the reader loops. */
    FUZZ_CHECK(records <= size + 1, "more records than input bytes");
    rc = cari_reader_next(r, &a);
    if (rc == CARI_DONE) break;
    if (rc == CARI_ROW) {
      check_str("id", a.id, 1);
      FUZZ_CHECK(a.id[0] != '\0', "article with an empty id");
      check_str("title", a.title, 1);
      check_str("body", a.body, 1);
      check_str("url", a.url, 0);
      check_str("date", a.date, 0);
      check_str("source", a.source, 1);
      FUZZ_CHECK((a.ntags == 0) == (a.tags == NULL), "tags %zu but array %p",
                 a.ntags, (const void *)a.tags);
      for (size_t i = 0; i < a.ntags; i++) {
        check_str("tag", a.tags[i], 1);
        FUZZ_CHECK(a.tags[i][0] != '\0', "empty tag %zu", i);
      }
      continue;
    }
    const char *msg = cari_reader_errmsg(r);
    FUZZ_CHECK(rc == CARI_FORMAT, "cari_reader_next: unexpected %s: %s",
               cari_errstr(rc), msg);
    FUZZ_CHECK(strstr(msg, path) != NULL,
               "error message does not name the file: %s", msg);
  }
  cari_reader_close(r);
}
