#!/bin/sh
# symbols.sh — what the built libraries export to an embedder: libcari.a and
# libcari.so only the cari_ functions of include/cari.h, the extension only
# its entry point; and a program with its own idx_, qry_, sid_ and corpus_
# functions links against either library and keeps its own. It does not
# check the tests' archive (libcari-internal.a), which keeps every symbol.
. "$(dirname "$0")/lib"

# The names cari.h declares CARI_API, sorted.
sed -n 's/^CARI_API [^(]*[ *]\(cari_[a-z_]*\)(.*/\1/p' include/cari.h |
  sort >"$T_DIR/api"
ok api-listed [ "$(wc -l <"$T_DIR/api")" -ge 30 ]

# Global defined symbols, minus what a sanitizer build adds (its runtime's
# hooks) and the linker's own markers.
globals() {
  grep -vE '^(__(asan|ubsan|sancov|odr_asan|sanitizer)|_init$|_fini$|_edata$|_end$|__bss_start$)'
}
nm -g --defined-only "$B/libcari.a" | awk 'NF == 3 { print $3 }' | globals |
  sort >"$T_DIR/a"
expect_eq static-exports "$(cat "$T_DIR/a")" "$(cat "$T_DIR/api")"
nm -D --defined-only "$B/libcari.so" | awk 'NF == 3 { print $3 }' | globals |
  sort >"$T_DIR/so"
expect_eq shared-exports "$(cat "$T_DIR/so")" "$(cat "$T_DIR/api")"
expect_eq extension-exports "$(nm -D --defined-only "$B/cari_indonesian.so" |
  awk 'NF == 3 { print $3 }' | globals)" "sqlite3_cariindonesian_init"

# A blog server with functions named like cari's internal ones.
cat >"$T_DIR/server.c" <<'EOF'
#include <stdio.h>
#include "cari.h"
int idx_tokenize(void);
int qry_translate(void);
int sid_new(void);
int corpus_err(void);
int idx_tokenize(void) { return 1; }
int qry_translate(void) { return 2; }
int sid_new(void) { return 3; }
int corpus_err(void) { return 4; }
int main(void) {
  cari_db *db;
  if (cari_open("s.db", NULL, 0, &db) != CARI_OK) return 1;
  cari_article a = {.id = "1", .title = "Rapat", .body = "Warga berkumpul."};
  if (cari_put(db, &a) != CARI_OK) return 2;
  cari_cursor *c;
  if (cari_search(db, "kumpul", -1, NULL, &c) != CARI_OK) return 3;
  int rows = 0;
  while (cari_next(c) == CARI_ROW) rows++;
  cari_cursor_free(c);
  printf("%d %d\n", rows,
         idx_tokenize() + qry_translate() + sid_new() + corpus_err());
  return cari_close(db);
}
EOF
libs=$(make -s --no-print-directory print-libs)
ok collide-static-links ${CC:-cc} $CARI_SAN -o "$T_DIR/server-a" \
  "$T_DIR/server.c" -Iinclude "$B/libcari.a" $libs
out=$(cd "$T_DIR" && rm -f s.db* && ./server-a); rc=$?
expect_eq collide-static-runs "$rc $out" "0 1 10"
ok collide-shared-links ${CC:-cc} $CARI_SAN -o "$T_DIR/server-so" \
  "$T_DIR/server.c" -Iinclude -L"$B" -lcari
out=$(cd "$T_DIR" && rm -f s.db* && LD_LIBRARY_PATH=$B ./server-so); rc=$?
expect_eq collide-shared-runs "$rc $out" "0 1 10"
report symbols
