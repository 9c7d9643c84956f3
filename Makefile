# cari — plain Makefile. Targets:
#   make           library, `cari` command, loadable extension (build/)
#   make test      build and run every test (last line: N passed, N failed)
#   make check     the same tests built with ASan+UBSan (build-check/)
#   make fault-full  the out-of-memory loop at every allocation (slow)
#   make demo      index the sample articles and run example searches
#   make bench     benchmarks (bench/)
#   make fuzz      libFuzzer targets (tests/fuzz/) built with clang, ASan and
#                  UBSan into build-fuzz/, each run FUZZ_SECONDS (default 30)
#   make deps      install missing Debian packages (root) or say what to run
#   make clean     remove build outputs
# Debian packages come from tools/deps; pkg-config finds them.

BUILD   ?= build
CC      ?= cc
OPT     ?= -O2 -g
WARN    = -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
          -Wmissing-prototypes -Wpointer-arith -Wcast-qual -Wvla \
          -Wformat=2 -Wno-unused-parameter
PKGS    = sqlite3 libutf8proc jansson gumbo md4c yaml-0.1 libxml-2.0
# Lazily expanded: pkg-config runs after `deps` has installed what it needs.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS)) -lstemmer
CPPFLAGS_ = -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -Iinclude \
            -Istemmer-id -Iindexer -Iquery -Icorpus
ALL_CFLAGS = $(WARN) $(OPT) -ffp-contract=off -fPIC $(CPPFLAGS_) $(PKG_CFLAGS) $(SAN) $(CFLAGS)
ALL_LDFLAGS = $(SAN) $(LDFLAGS)

# Dependencies point one way: stemmer-id <- indexer <- query <- lib <- cli.
STEM_SRC  = $(wildcard stemmer-id/*.c)
INDEX_SRC = indexer/tokenize.c indexer/analyzer.c indexer/fts5_tokenizer.c \
            indexer/sqlerr.c \
            indexer/store.c indexer/postings.c indexer/postings_check.c \
            indexer/meta.c
QUERY_SRC = query/parse.c query/rank.c query/search.c query/topk.c \
            query/lookup.c query/prefix.c query/meta.c query/suggest.c \
            query/budget.c \
            $(wildcard query/snippet.c)
CORPUS_SRC = corpus/reader.c corpus/jsonl.c corpus/markdown.c corpus/html.c corpus/htmlclean.c \
             corpus/text.c corpus/boiler.c corpus/xml.c corpus/htmlfast.c
LIB_SRC   = lib/cari.c
LIB_OBJ   = $(patsubst %.c,$(BUILD)/%.o,$(STEM_SRC) $(INDEX_SRC) $(QUERY_SRC) \
            $(CORPUS_SRC) $(LIB_SRC)) $(BUILD)/gen/sid_data.o
# The loadable extension: the analyzer and tokenizer built against sqlite3ext.h.
EXT_SRC   = indexer/tokenize.c indexer/analyzer.c $(STEM_SRC)
EXT_OBJ   = $(patsubst %.c,$(BUILD)/%.o,$(EXT_SRC)) $(BUILD)/gen/sid_data.o \
            $(BUILD)/indexer/fts5_tokenizer.ext.o $(BUILD)/indexer/meta.ext.o \
            $(BUILD)/indexer/extension.o
CLI_SRC   = $(wildcard cli/*.c)
CLI_OBJ   = $(patsubst %.c,$(BUILD)/%.o,$(CLI_SRC))
# Programs beside the library: benchmarks and corpus builders, each one .c.
# bench/releval.c is the relevance-metric module (no main): linked into
# `cari` for `cari eval`, not a program of its own.
BENCH_SRC = $(filter-out bench/releval.c,$(wildcard bench/*.c))
BENCH_BIN = $(patsubst bench/%.c,$(BUILD)/bench/%,$(BENCH_SRC))
BUILDER_SRC = $(wildcard corpus/builders/*.c)
BUILDER_BIN = $(patsubst %.c,$(BUILD)/%,$(BUILDER_SRC))
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

.PHONY: all test check demo bench deps clean print-libs fuzz fuzz-run \
        fault-full
.SECONDARY:
all: $(BUILD)/libcari.a $(BUILD)/cari $(BUILD)/cari_indonesian.so $(BUILDER_BIN)

$(STAMP):
	@sh tools/deps
	@mkdir -p $(BUILD) && touch $@
deps:
	@sh tools/deps

$(BUILD)/%.o: %.c | $(STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

# The stemmer's word lists, built into the library (tools/embed).
SID_DATA = stemmer-id/roots_extra.txt stemmer-id/exceptions.tsv
$(BUILD)/gen/sid_data.c: $(SID_DATA) tools/embed
	@mkdir -p $(dir $@)
	sh tools/embed sid_builtin_roots=stemmer-id/roots_extra.txt \
	  sid_builtin_exceptions=stemmer-id/exceptions.tsv > $@.tmp && mv $@.tmp $@
$(BUILD)/gen/sid_data.o: $(BUILD)/gen/sid_data.c
	$(CC) $(ALL_CFLAGS) -Wno-overlength-strings -c $< -o $@

$(BUILD)/indexer/fts5_tokenizer.ext.o: indexer/fts5_tokenizer.c | $(STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DCARI_EXTENSION -MMD -MP -c $< -o $@

$(BUILD)/indexer/meta.ext.o: indexer/meta.c | $(STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DCARI_EXTENSION -MMD -MP -c $< -o $@

$(BUILD)/libcari.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/cari: $(CLI_OBJ) $(BUILD)/bench/releval.o $(BUILD)/libcari.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

$(BUILD)/cari_indonesian.so: $(EXT_OBJ)
	$(CC) $(ALL_LDFLAGS) -shared -o $@ $^ \
	  $(shell pkg-config --libs libutf8proc) -lstemmer

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(BUILD)/libcari.a
	$(CC) $(ALL_LDFLAGS) $(TEST_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

# The fault test fails allocations in cari's own code through this seam.
$(BUILD)/tests/test_fault: TEST_LDFLAGS = \
	-Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc

$(BUILD)/corpus/builders/%: $(BUILD)/corpus/builders/%.o $(BUILD)/libcari.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

$(BUILD)/bench/%: $(BUILD)/bench/%.o $(BUILD)/libcari.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

$(BUILD)/fuzz-replay/fuzz_%: $(BUILD)/tests/fuzz/fuzz_%.o $(FUZZ_COMMON) \
                             $(BUILD)/tests/fuzz/replay.o $(BUILD)/libcari.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

$(BUILD)/fuzz/fuzz_%: $(BUILD)/tests/fuzz/fuzz_%.o $(FUZZ_COMMON) \
                      $(BUILD)/libcari.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(PKG_LIBS) -lm

test: all $(TEST_BIN) $(REPLAY_BIN)
	@CARI_SAN="$(SAN)" sh tests/run $(BUILD)

# Every allocation point of the fault test's life of a blog (several
# minutes; `make test` runs every 7th).
fault-full: $(BUILD)/tests/test_fault
	FAULT_FULL=1 $(BUILD)/tests/test_fault

check:
	CARI_PRELOAD="$$($(CC) -print-file-name=libasan.so)" \
	$(MAKE) BUILD=build-check OPT="-O1 -g -fno-omit-frame-pointer" \
	  SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined" test

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

# The link line for programs using build/libcari.a.
print-libs:
	@echo $(PKG_LIBS) -lm

clean:
	rm -rf build build-check $(FUZZ_BUILD) cari.db demo.db

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
