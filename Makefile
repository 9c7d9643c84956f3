# cari — plain Makefile. Targets:
#   make           library, `cari` command, loadable extension (build/)
#   make test      build and run every test (last line: N passed, N failed)
#   make check     the same tests built with ASan+UBSan and -Werror
#                  (build-check/)
#   make test check  both, through one runner whose last line adds them up:
#                  the README's test command, and what CI runs (.ci/run)
#   make fault-full  the out-of-memory loop at every allocation (slow)
#   make demo      index the sample articles and run example searches
#   make bench     benchmarks (bench/)
#   make fuzz      libFuzzer targets (tests/fuzz/) built with clang, ASan and
#                  UBSan into build-fuzz/, each run FUZZ_SECONDS (default 30)
#   make deps      install missing Debian packages (root) or say what to run
#   make clean     remove build outputs and benchmark results
# Debian packages come from tools/deps; pkg-config finds them.

BUILD   ?= build
CC      ?= cc
OPT     ?= -O2 -g
WARN    = -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
          -Wmissing-prototypes -Wpointer-arith -Wcast-qual -Wvla \
          -Wformat=2 -Wno-unused-parameter -Wundef -Wwrite-strings \
          -Wmissing-declarations -Wredundant-decls -Wold-style-definition \
          -Wnested-externs
PKGS    = sqlite3 libutf8proc jansson gumbo md4c yaml-0.1 libxml-2.0 \
          libmicrohttpd
# Lazily expanded: pkg-config runs after `deps` has installed what it needs.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS)) -lstemmer
CPPFLAGS_ = -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L
# -fvisibility=hidden: only what include/cari.h marks CARI_API leaves the
# library (and only sqlite3_cariindonesian_init the extension).
ALL_CFLAGS = $(WARN) $(OPT) -ffp-contract=off -fPIC -fvisibility=hidden \
             $(CPPFLAGS_) $(PKG_CFLAGS) $(SAN) $(CFLAGS)
ALL_LDFLAGS = $(SAN) $(LDFLAGS)

# Dependencies point one way: mem <- stemmer-id <- indexer <- query <- lib
# <- cli, serve (mem/, the allocation seam and the buffer, is seen by every
# folder of the library and sees nothing). The build enforces it: a file is compiled with the include flags of
# its folder (the first part of its path), or of the file itself when it has
# its own line, so a header it may not use is not found (a compile error).
# A folder without a line sees include/ only, the public API: cli/, serve/,
# bench/, and any new client folder. (A header in the file's own folder is
# always found: #include "x.h" looks there first.)
LIB_DIRS  = mem stemmer-id indexer query corpus lib
INC_mem        = -Imem
INC_stemmer-id = -Imem -Istemmer-id
INC_indexer    = -Iinclude -Imem -Istemmer-id -Iindexer
INC_query      = $(INC_indexer) -Iquery
INC_corpus     = -Iinclude -Imem -Icorpus
INC_lib        = -Iinclude $(addprefix -I,$(LIB_DIRS))
INC_tests      = $(INC_lib) -Icli
INC_bench/bench_stem = -Iinclude -Istemmer-id
inc_of = $(or $(INC_$(basename $1)),$(INC_$(firstword $(subst /, ,$1))),-Iinclude)

MEM_SRC   = mem/mem.c mem/buf.c
STEM_SRC  = $(wildcard stemmer-id/*.c)
INDEX_SRC = indexer/tokenize.c indexer/analyzer.c indexer/fts5_tokenizer.c \
            indexer/capture.c \
            indexer/sqlerr.c \
            indexer/store.c indexer/postings.c indexer/postings_check.c \
            indexer/meta.c
QUERY_SRC = query/parse.c query/rank.c query/search.c query/topk.c \
            query/lookup.c query/prefix.c query/meta.c query/suggest.c \
            query/budget.c query/thesaurus.c query/synonym.c query/typo.c \
            $(wildcard query/snippet.c)
CORPUS_SRC = corpus/reader.c corpus/jsonl.c corpus/markdown.c corpus/html.c corpus/htmlclean.c \
             corpus/text.c corpus/boiler.c corpus/xml.c corpus/htmlfast.c
LIB_SRC   = lib/cari.c
LIB_OBJ   = $(patsubst %.c,$(BUILD)/%.o,$(MEM_SRC) $(STEM_SRC) $(INDEX_SRC) $(QUERY_SRC) \
            $(CORPUS_SRC) $(LIB_SRC)) $(BUILD)/gen/sid_data.o
# The loadable extension: the analyzer and tokenizer built against sqlite3ext.h.
EXT_SRC   = indexer/tokenize.c indexer/analyzer.c $(STEM_SRC) $(MEM_SRC)
EXT_OBJ   = $(patsubst %.c,$(BUILD)/%.o,$(EXT_SRC)) $(BUILD)/gen/sid_data.o \
            $(BUILD)/indexer/fts5_tokenizer.ext.o $(BUILD)/indexer/meta.ext.o \
            $(BUILD)/indexer/extension.o
CLI_SRC   = $(wildcard cli/*.c)
CLI_OBJ   = $(patsubst %.c,$(BUILD)/%.o,$(CLI_SRC))
# `cari serve` (serve/): linked into the `cari` command, compiled seeing
# include/ only, and its stylesheet and script embedded by tools/embed.
SERVE_SRC = $(wildcard serve/*.c)
SERVE_OBJ = $(patsubst %.c,$(BUILD)/%.o,$(SERVE_SRC)) $(BUILD)/gen/serve_page.o
# Programs that embed the library (examples/), built for and run by the tests.
EXAMPLE_SRC = $(wildcard examples/*.c)
EXAMPLE_BIN = $(patsubst %.c,$(BUILD)/%,$(EXAMPLE_SRC))
# Programs beside the library: benchmarks and corpus builders, each one .c.
BENCH_SRC = $(wildcard bench/*.c)
BENCH_BIN = $(patsubst bench/%.c,$(BUILD)/bench/%,$(BENCH_SRC))
# The Debian corpus builder (corpus/DEBIAN.md): a program of its own, a
# file per source behind corpus/builders/debian/debian.h, that uses nothing
# of cari; built on demand by corpus/builders/build-debian-corpus (and for
# its test), not by `make all`.
DEBIAN_SRC = $(wildcard corpus/builders/debian/*.c)
DEBIAN_BIN = $(BUILD)/corpus/builders/debian_docs
TEST_SRC  = $(wildcard tests/test_*.c)
TEST_BIN  = $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRC))
# Fuzz targets (tests/fuzz/README.md): each fuzz_X.c is linked with libFuzzer
# by `make fuzz` ($(BUILD)/fuzz/fuzz_X) and, in every build, with replay.c as
# a plain program ($(BUILD)/fuzz-replay/fuzz_X) that `make test` runs on
# the seeds and the saved crash inputs (tests/sh/fuzz_regressions.sh).
FUZZ_TARGETS = query search analyze jsonl markdown html text xml
FUZZ_COMMON  = $(BUILD)/tests/fuzz/fuzz_common.o
FUZZ_BIN     = $(patsubst %,$(BUILD)/fuzz/fuzz_%,$(FUZZ_TARGETS))
REPLAY_BIN   = $(patsubst %,$(BUILD)/fuzz-replay/fuzz_%,$(FUZZ_TARGETS))
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 30

STAMP = $(BUILD)/.deps-ok

.PHONY: all test test-build check demo bench deps clean print-libs print-inc \
        fuzz fuzz-run \
        fault-full
.SECONDARY:
all: $(BUILD)/libcari.a $(BUILD)/libcari.so $(BUILD)/cari \
     $(BUILD)/cari_indonesian.so

$(STAMP): tools/deps
	@sh tools/deps
	@mkdir -p $(BUILD) && touch $@
deps:
	@sh tools/deps

$(BUILD)/%.o: %.c | $(STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(call inc_of,$<) -MMD -MP -c $< -o $@

# The stemmer's word lists, built into the library (tools/embed).
SID_DATA = stemmer-id/roots_extra.txt stemmer-id/exceptions.tsv
$(BUILD)/gen/sid_data.c: $(SID_DATA) tools/embed
	@mkdir -p $(dir $@)
	sh tools/embed sid_builtin_roots=stemmer-id/roots_extra.txt \
	  sid_builtin_exceptions=stemmer-id/exceptions.tsv > $@.tmp && mv $@.tmp $@
$(BUILD)/gen/sid_data.o: $(BUILD)/gen/sid_data.c
	$(CC) $(ALL_CFLAGS) -Wno-overlength-strings -c $< -o $@

# serve/ and examples/ are clients of include/cari.h: like every folder
# without an INC_ line they see include/ only (the pattern rule above).
$(BUILD)/gen/serve_page.c: serve/page.css serve/page.js tools/embed
	@mkdir -p $(dir $@)
	sh tools/embed srv_page_css=serve/page.css srv_page_js=serve/page.js \
	  > $@.tmp && mv $@.tmp $@
$(BUILD)/gen/serve_page.o: $(BUILD)/gen/serve_page.c
	$(CC) $(ALL_CFLAGS) -Wno-overlength-strings -c $< -o $@
$(BUILD)/examples/%: examples/%.c $(BUILD)/libcari.a | $(STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Iinclude $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

$(BUILD)/indexer/fts5_tokenizer.ext.o: indexer/fts5_tokenizer.c | $(STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(INC_indexer) -DCARI_EXTENSION -MMD -MP -c $< -o $@

$(BUILD)/indexer/meta.ext.o: indexer/meta.c | $(STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(INC_indexer) -DCARI_EXTENSION -MMD -MP -c $< -o $@

# What embedders link. The static archive is one object, partially linked,
# whose hidden (internal) symbols objcopy makes local: an embedder's own
# idx_, qry_, sid_ or corpus_ names cannot collide with cari's
# (tests/sh/symbols.sh). The shared library exports the same cari_ names.
$(BUILD)/libcari.a: $(LIB_OBJ)
	$(LD) -r -o $(BUILD)/libcari.o $^
	objcopy --localize-hidden $(BUILD)/libcari.o
	rm -f $@ && ar rcs $@ $(BUILD)/libcari.o
$(BUILD)/libcari.so: $(LIB_OBJ)
	$(CC) $(ALL_LDFLAGS) -shared -Wl,-soname,libcari.so -o $@ $^ \
	  $(PKG_LIBS) -lm
# Every object as it is, internal symbols included: for the tests, fuzz
# targets and benchmarks that reach inside the library.
$(BUILD)/libcari-internal.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/cari: $(CLI_OBJ) $(SERVE_OBJ) $(BUILD)/libcari.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

$(BUILD)/cari_indonesian.so: $(EXT_OBJ)
	$(CC) $(ALL_LDFLAGS) -shared -o $@ $^ \
	  $(shell pkg-config --libs libutf8proc) -lstemmer

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(BUILD)/libcari-internal.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

# The public API end to end links what embedders link.
$(BUILD)/tests/test_library: $(BUILD)/tests/test_library.o $(BUILD)/libcari.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

# cli/releval.c, the TREC measures of `cari eval`, tested on its own.
$(BUILD)/tests/test_releval: $(BUILD)/cli/releval.o


$(DEBIAN_BIN): $(patsubst %.c,$(BUILD)/%.o,$(DEBIAN_SRC))
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(shell pkg-config --libs gumbo jansson)

# Benchmarks are clients of cari.h; the stemmer's reaches inside.
$(BUILD)/bench/%: $(BUILD)/bench/%.o $(BUILD)/libcari.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm
$(BUILD)/bench/bench_stem: $(BUILD)/bench/bench_stem.o \
                           $(BUILD)/libcari-internal.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

$(BUILD)/fuzz-replay/fuzz_%: $(BUILD)/tests/fuzz/fuzz_%.o $(FUZZ_COMMON) \
                             $(BUILD)/tests/fuzz/replay.o \
                             $(BUILD)/libcari-internal.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

$(BUILD)/fuzz/fuzz_%: $(BUILD)/tests/fuzz/fuzz_%.o $(FUZZ_COMMON) \
                      $(BUILD)/libcari-internal.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(PKG_LIBS) -lm

# Given both `test` and `check`, `test` only builds and `check` runs the
# tests of both builds through one runner (its last line the sum of both).
TEST_AND_CHECK = $(and $(filter test,$(MAKECMDGOALS)),$(filter check,$(MAKECMDGOALS)))
test: test-build
	$(if $(TEST_AND_CHECK),,@sh tests/run $(BUILD))

# Build every test and record how the build's tests run (tests/run reads
# test.env: the sanitizer flags an example must be compiled with, the ASan
# runtime a foreign program must preload to load the extension).
test-build: all $(TEST_BIN) $(REPLAY_BIN) $(DEBIAN_BIN) $(EXAMPLE_BIN)
	@printf 'CARI_SAN="%s"\nCARI_PRELOAD="%s"\n' "$(SAN)" "$(PRELOAD)" \
	  >$(BUILD)/test.env

# Every allocation point of the fault test's life of a blog (several
# minutes; `make test` runs every 7th).
fault-full: $(BUILD)/tests/test_fault
	FAULT_FULL=1 $(BUILD)/tests/test_fault

check: $(if $(TEST_AND_CHECK),test)
	$(MAKE) BUILD=build-check OPT="-O1 -g -fno-omit-frame-pointer" \
	  SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined" \
	  PRELOAD="$$($(CC) -print-file-name=libasan.so)" \
	  CFLAGS="-Werror $(CFLAGS)" test-build
	@sh tests/run $(if $(TEST_AND_CHECK),$(BUILD)) build-check

# Every object (library included) is instrumented for libFuzzer's coverage;
# only the targets link its main(). Crashes, logs and the grown corpus stay
# in $(FUZZ_BUILD)/fuzz/; the exit status is non-zero when a target crashed.
fuzz:
	@sh tools/deps fuzz
	$(MAKE) BUILD=$(FUZZ_BUILD) CC=clang OPT="-O1 -g -fno-omit-frame-pointer" \
	  SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined \
	  -fsanitize=fuzzer-no-link" CFLAGS="-Wno-format-nonliteral $(CFLAGS)" \
	  fuzz-run
fuzz-run: $(FUZZ_BIN)
	sh tests/fuzz/run $(BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

demo: all
	@sh tools/demo $(BUILD)

bench: all $(BENCH_BIN)
	@sh bench/run $(BUILD)

# The include flags a file is compiled with (tests/sh/arrows.sh):
# make -s print-inc F=cli/main.c
print-inc:
	@echo $(call inc_of,$(F))

# The link line for programs using build/libcari.a.
print-libs:
	@echo $(PKG_LIBS) -lm

clean:
	rm -rf build build-check $(BUILD) $(FUZZ_BUILD) cari.db demo.db \
	  bench/results.* \
	  tests/browser/node_modules

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
