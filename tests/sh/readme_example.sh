#!/bin/sh
# readme_example.sh — compile and run the exact C program in README.md
# (between the example:start and example:end markers) against the library.
. "$(dirname "$0")/lib"
sed -n '/<!-- example:start -->/,/<!-- example:end -->/p' README.md |
  sed '1,2d;$d' | sed '$d' >"$T_DIR/example.c"
ok example-extracted [ "$(wc -l <"$T_DIR/example.c")" -ge 15 ]
ok example-compiles ${CC:-cc} $CARI_SAN -o "$T_DIR/example" "$T_DIR/example.c" \
  -Iinclude "$B/libcari.a" $(make -s --no-print-directory print-libs) $CARI_SAN
out=$(cd "$T_DIR" && ./example); rc=$?
expect_eq example-exit $rc 0
expect_eq example-output "$out" "1 Rapat warga: Warga [berkumpul] di balai desa."
report readme-example
