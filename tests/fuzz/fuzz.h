/*
** fuzz.h — what the fuzz targets (tests/fuzz/fuzz_*.c) share: libFuzzer's
** two entry points, an assertion that aborts with a message (the crash
** libFuzzer records), and the helpers in fuzz_common.c. Each target is
** linked either with libFuzzer (`make fuzz`) or with replay.c, a plain
** main() that runs the files it is given (the regression replay of
** `make test`). Test code only: the library never aborts.
*/
#ifndef CARI_FUZZ_H
#define CARI_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* Called once before the first input (build what every input shares). */
int LLVMFuzzerInitialize(int *argc, char ***argv);
/* Called per input: returns 0; a failed check aborts. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Abort with "fuzz: file:line: what" on stderr when cond is false. */
#define FUZZ_CHECK(cond, ...)                                             \
  do {                                                                    \
    if (!(cond)) fuzz_fail(__FILE__, __LINE__, __VA_ARGS__);              \
  } while (0)

/**************************************************************************
** Interface to code in fuzz_common.c
*/
void fuzz_fail(const char *file, int line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4), noreturn))
#endif
    ;

/* FNV-1a of the input: options derived from it are the same on every run
** of the same input, so crashes replay. */
uint64_t fuzz_hash(const uint8_t *data, size_t size);

/* 1 when s[0..n) is valid UTF-8 without NUL bytes. */
int fuzz_utf8_ok(const char *s, size_t n);

/* A private temporary directory for this process ($TMPDIR, else /tmp),
** created on first call and removed with everything written through
** fuzz_temp_path() at exit. Aborts when it cannot be made. */
const char *fuzz_temp_dir(void);
/* The path of file `name` in that directory, in a static buffer: the
** process runs one input at a time. */
const char *fuzz_temp_path(const char *name);

/* Write data to `path` (replacing it); aborts on any failure. */
void fuzz_write_file(const char *path, const uint8_t *data, size_t size);

/* Run every article of one file through the public reader: write the input
** to a temporary file named in.EXT, open it with cari_reader_open, read to
** the end, and check each article (non-empty id, every string valid UTF-8,
** tags as counted) and each error (a message naming the file). */
void fuzz_reader_run(const char *ext, const uint8_t *data, size_t size);

/* The whole of a reader target: its temporary folder made at start, each
** input read as one file named in.EXT. */
#define FUZZ_READER_TARGET(ext)                                           \
  int LLVMFuzzerInitialize(int *argc, char ***argv) {                     \
    (void)argc;                                                           \
    (void)argv;                                                           \
    (void)fuzz_temp_dir();                                                \
    return 0;                                                             \
  }                                                                       \
  int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {          \
    fuzz_reader_run(ext, data, size);                                     \
    return 0;                                                             \
  }

#endif
