#!/bin/sh
# synonyms.sh — synonyms end to end through `cari search` and `cari eval`:
# a synonyms file (--synonyms and $CARI_SYNONYMS) makes `kopdar` find the
# article about `kopi darat` and the reverse, ranked below the word itself;
# --no-synonyms turns it off; a bad file fails with FILE:LINE; --thesaurus
# with a missing thesaurus fails naming it, and with mythes-id installed
# finds an article by a word's synonym.
. "$(dirname "$0")/lib"
DB=$T_DIR/s.db
export CARI_DB=$DB
unset CARI_SYNONYMS CARI_THES

cat >"$T_DIR/docs.jsonl" <<'EOF'
{"id":"darat","title":"Acara bulanan komunitas","body":"Setiap bulan kami mengadakan kopi darat di Jakarta."}
{"id":"kopdar","title":"Cerita blogger Bandung","body":"Kopdar kemarin seru sekali, banyak yang datang."}
{"id":"harga","title":"Harga naik","body":"Harga beras di pasar naik lagi."}
{"id":"awet","title":"Bangunan tua","body":"Rumah ini kekal berdiri sejak zaman Belanda."}
EOF
"$CARI" index --quiet "$T_DIR/docs.jsonl" >/dev/null 2>&1
expect_eq index $? 0
cat >"$T_DIR/syn.txt" <<'EOF'
# kopdar: a meeting in person
kopdar = kopi darat
EOF

ids() { "$@" 2>/dev/null | sed -n 's/.*(\([a-z]*\)).*/\1/p' | tr '\n' ' '; }

expect_eq without "$(ids "$CARI" search kopdar)" "kopdar "
expect_eq word-first "$(ids "$CARI" search --synonyms "$T_DIR/syn.txt" kopdar)" \
  "kopdar darat "
expect_eq phrase-first \
  "$(ids "$CARI" search --synonyms "$T_DIR/syn.txt" '"kopi darat"')" \
  "darat kopdar "
expect_eq env "$(CARI_SYNONYMS=$T_DIR/syn.txt ids "$CARI" search kopdar)" \
  "kopdar darat "
expect_eq no-synonyms "$(CARI_SYNONYMS=$T_DIR/syn.txt ids "$CARI" search \
  --no-synonyms kopdar)" "kopdar "
j=$("$CARI" search --synonyms "$T_DIR/syn.txt" --json kopdar)
expect_has json-marks-synonym "$j" "<mark>kopi darat</mark>"

# A bad file: the search fails (status 3) and names the file and line.
printf 'kopdar = kopi darat\n\nngopi kopi\n' >"$T_DIR/bad.txt"
msg=$("$CARI" search --synonyms "$T_DIR/bad.txt" kopdar 2>&1 >/dev/null)
expect_eq bad-status $? 3
expect_has bad-line "$msg" "bad.txt:3: no '='"
msg=$("$CARI" search --synonyms "$T_DIR/none.txt" kopdar 2>&1 >/dev/null)
expect_has missing-file "$msg" "none.txt"

# The thesaurus: a missing one is named; Debian's finds `kekal` for `abadi`.
msg=$(CARI_THES=$T_DIR/nope.idx "$CARI" search --thesaurus abadi 2>&1 >/dev/null)
expect_has missing-thesaurus "$msg" "nope.idx"
expect_eq thesaurus-off "$(ids "$CARI" search abadi)" ""
if [ -f /usr/share/mythes/th_id_ID_v2.idx ]; then
  expect_eq thesaurus-on "$(ids "$CARI" search --thesaurus abadi)" "awet "
else
  echo "skipped: mythes-id not installed"
fi

# cari eval takes the same switches.
printf 'q1\tkopdar\n' >"$T_DIR/q.tsv"
printf 'q1\tdarat\t1\n' >"$T_DIR/qrels.tsv"
m=$("$CARI" eval --queries "$T_DIR/q.tsv" --qrels "$T_DIR/qrels.tsv" --json)
expect_has eval-without "$m" '"mrr@10":0'
m=$("$CARI" eval --queries "$T_DIR/q.tsv" --qrels "$T_DIR/qrels.tsv" \
  --synonyms "$T_DIR/syn.txt" --json)
expect_has eval-with "$m" '"mrr@10":0.5'
report synonyms
