#!/bin/sh
# arrows.sh — the build enforces which folder may use which: a file is
# compiled with its folder's include flags (Makefile, INC_<folder>), so a
# header it may not use is not found. Each row includes one header from a
# file of one folder and says whether that must compile. It compiles from
# stdin, so a header in the file's own folder does not count; it does not
# build anything.
. "$(dirname "$0")/lib"

# file             header        compiles
rows='
cli/main.c         cari.h        yes
cli/main.c         indexer.h     no
cli/main.c         query.h       no
cli/main.c         stemmer_id.h  no
serve/x.c          cari.h        yes
serve/x.c          indexer.h     no
newfolder/x.c      query.h       no
bench/hotpath.c    cari.h        yes
bench/hotpath.c    stemmer_id.h  no
bench/bench_stem.c stemmer_id.h  yes
corpus/reader.c    corpus.h      yes
corpus/reader.c    cari.h        yes
corpus/reader.c    indexer.h     no
corpus/reader.c    stemmer_id.h  no
stemmer-id/stem.c  stemmer_id.h  yes
stemmer-id/stem.c  cari.h        no
stemmer-id/stem.c  mem.h         yes
mem/mem.c          mem.h         yes
mem/mem.c          stemmer_id.h  no
mem/mem.c          cari.h        no
indexer/store.c    mem.h         yes
corpus/reader.c    mem.h         yes
lib/cari.c         mem.h         yes
cli/main.c         mem.h         no
serve/x.c          mem.h         no
bench/hotpath.c    mem.h         no
indexer/store.c    stemmer_id.h  yes
indexer/store.c    cari.h        yes
indexer/store.c    query.h       no
indexer/store.c    corpus.h      no
query/topk.c       indexer.h     yes
query/topk.c       corpus.h      no
lib/cari.c         query.h       yes
lib/cari.c         corpus.h      yes
'
echo "$rows" | while read -r file header want; do
  [ -n "$file" ] || continue
  flags=$(make -s --no-print-directory print-inc F="$file")
  # shellcheck disable=SC2086 # flags is a list
  if printf '#include "%s"\n' "$header" |
    ${CC:-cc} -fsyntax-only -D_DEFAULT_SOURCE $flags $(pkg-config --cflags sqlite3 gumbo) \
      -x c - 2>/dev/null; then got=yes; else got=no; fi
  echo "$file $header $got"
done >"$T_DIR/got"
echo "$rows" | awk 'NF == 3 { print $1, $2, $3 }' >"$T_DIR/want"
while read -r file header want; do
  got=$(awk -v f="$file" -v h="$header" '$1 == f && $2 == h { print $3 }' "$T_DIR/got")
  expect_eq "$file includes $header" "$got" "$want"
done <"$T_DIR/want"
report arrows
