#!/bin/sh
# extension.sh — the loadable extension from the sqlite3 shell: the
# `indonesian` tokenizer in a plain FTS5 table, with stemming and highlight().
. "$(dirname "$0")/lib"
if ! command -v sqlite3 >/dev/null; then
  echo "skipped: sqlite3 shell not found (make deps installs it)"
  echo "extension: 0 passed, 0 failed, 1 skipped"; exit 0
fi
# Under `make check` the extension carries ASan, which must load first.
run() {
  sqlite3_ext -batch :memory: ".load $B/cari_indonesian" "$@" 2>&1
}
out=$(run "CREATE VIRTUAL TABLE t USING fts5(body, tokenize='indonesian');" \
  "INSERT INTO t VALUES ('Warga berkumpul di balai desa.'), ('Perkumpulan nelayan.'), ('Kopi pagi.');" \
  "SELECT count(*) FROM t WHERE t MATCH 'kumpul';")
expect_eq ext-stem "$out" 2
out=$(run "CREATE VIRTUAL TABLE t USING fts5(body, tokenize='indonesian');" \
  "INSERT INTO t VALUES ('Warga BERKUMPUL di balai.');" \
  "SELECT highlight(t, 0, '[', ']') FROM t WHERE t MATCH 'kumpul';")
expect_eq ext-highlight "$out" "Warga [BERKUMPUL] di balai."
out=$(run "CREATE VIRTUAL TABLE t USING fts5(body, tokenize='indonesian stemmer none');" \
  "INSERT INTO t VALUES ('Warga berkumpul.');" \
  "SELECT count(*) FROM t WHERE t MATCH 'kumpul';")
expect_eq ext-none "$out" 0
out=$(run "CREATE VIRTUAL TABLE t USING fts5(body, tokenize=\"indonesian 'stemmer=snowball'\");" \
  "INSERT INTO t VALUES ('Anak-anak bermain.');" \
  "SELECT highlight(t, 0, '<', '>') FROM t WHERE t MATCH 'anak';")
expect_eq ext-redup "$out" "<Anak-anak> bermain."
out=$(run "CREATE VIRTUAL TABLE t USING fts5(body, tokenize='indonesian stemmer porter');")
expect_has ext-bad-arg "$out" "rror"
out=$(run "CREATE VIRTUAL TABLE v USING fts5vocab(t, 'row');" 2>/dev/null; \
  run "CREATE VIRTUAL TABLE t USING fts5(body, tokenize='indonesian');" \
  "INSERT INTO t VALUES ('Café Jum’at');" \
  "CREATE VIRTUAL TABLE v USING fts5vocab(t, 'row');" \
  "SELECT group_concat(term, ' ') FROM v;")
expect_eq ext-normalised-terms "$out" "cafe jum'at"
# A cari database written through the extension alone: its triggers (the
# index, dates, tags, vocabulary) run, and cari finds the article.
printf '{"id":"a","title":"Kopi","body":"Secangkir kopi."}\n' >"$T_DIR/a.jsonl"
"$CARI" index --db "$T_DIR/x.db" "$T_DIR/a.jsonl" >/dev/null 2>&1
expect_eq ext-cari-db $? 0
out=$(sqlite3_ext -batch "$T_DIR/x.db" ".load $B/cari_indonesian" \
  "INSERT INTO articles(id, title, body, date, tags) VALUES ('b', 'Teh', 'Teh manis hangat.', '2024-01-02', '[\"Minuman\"]');" \
  "SELECT (SELECT count(*) FROM cari_dates), (SELECT shown FROM cari_tags), (SELECT n FROM cari_vocab WHERE word = 'manis');" 2>&1)
expect_eq ext-cari-write "$out" "1|Minuman|1"
expect_has ext-cari-found "$("$CARI" search --db "$T_DIR/x.db" --tag minuman teh)" "(b)"
report extension
