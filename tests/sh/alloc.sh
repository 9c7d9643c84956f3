#!/bin/sh
# alloc.sh — every allocation of the library goes through the seam
# (mem/mem.h): no object of stemmer-id/, indexer/, query/, corpus/ or lib/
# calls the C library's malloc, calloc, realloc, reallocarray, free, strdup
# or strndup; only mem/mem.o does. It reads the built objects' undefined
# symbols (nm), so comments, strings and macros cannot hide a call. First
# its own rows: made-up objects, one calling malloc, so that a check which
# never fails fails here. It does not look at programs beside the library
# (cli/, serve/, bench/, corpus/builders/), which use the C library freely.
. "$(dirname "$0")/lib"

# direct OBJECT...: the objects' direct calls, "object: symbol" a line.
direct() {
  for o in "$@"; do
    nm -u "$o" | awk -v o="${o#"$B"/}" '
      $NF ~ /^(malloc|calloc|realloc|reallocarray|free|strdup|strndup)$/ {
        print o ": " $NF }'
  done
}

printf '#include <stdlib.h>\nvoid *f(void);\nvoid *f(void) { return malloc(4); }\n' \
  >"$T_DIR/bad.c"
printf 'void *cari_malloc(unsigned long);\nvoid *f(void);\nvoid *f(void) { return cari_malloc(4); }\n' \
  >"$T_DIR/good.c"
ok alloc-rows-compile ${CC:-cc} -c -o "$T_DIR/bad.o" "$T_DIR/bad.c"
ok alloc-rows-compile ${CC:-cc} -c -o "$T_DIR/good.o" "$T_DIR/good.c"
expect_eq alloc-finds-malloc "$(B=$T_DIR direct "$T_DIR/bad.o")" "bad.o: malloc"
expect_eq alloc-passes-seam "$(B=$T_DIR direct "$T_DIR/good.o")" ""

# The seam itself calls them.
expect_has alloc-seam-calls "$(direct "$B/mem/mem.o")" "mem/mem.o: malloc"

# The library, and the objects the loadable extension adds.
n=0
for o in "$B"/mem/buf.o "$B"/stemmer-id/*.o "$B"/indexer/*.o "$B"/query/*.o \
         "$B"/corpus/*.o "$B"/lib/*.o; do
  [ -f "$o" ] || continue
  n=$((n + 1))
  expect_eq "alloc ${o#"$B"/}" "$(direct "$o")" ""
done
ok alloc-objects-found [ "$n" -ge 30 ]
report alloc
