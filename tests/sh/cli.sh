#!/bin/sh
# cli.sh — the `cari` command end to end on the sample corpus: help and exit
# codes, index (files, directories, stdin, malformed records), search (text
# and JSON, stemming, hostile input), rm, check, stem.
. "$(dirname "$0")/lib"
DB=$T_DIR/c.db
export CARI_DB=$DB

# Help and usage.
ok help-exit "$CARI" --help >/dev/null
expect_has help-lists "$("$CARI" --help)" "search"
for c in index search rm check stem; do
  ok "help-$c" "$CARI" $c --help >/dev/null
done
"$CARI" >/dev/null 2>&1; expect_eq no-args $? 2
"$CARI" frobnicate >/dev/null 2>&1; expect_eq unknown-cmd $? 2
"$CARI" search --limit x kopi >/dev/null 2>&1; expect_eq bad-limit $? 2
"$CARI" index --nope x >/dev/null 2>&1; expect_eq unknown-opt $? 2
expect_has version "$("$CARI" --version)" "cari "
err=$("$CARI" search kopi 2>&1); rc=$?
expect_eq no-db-exit $rc 3
expect_has no-db-msg "$err" "no database"

# Index the sample corpus.
n_files=$(find corpus/articles -name '*.md' -o -name '*.html' -o -name '*.txt' | wc -l)
n_jsonl=$(grep -c . corpus/articles/kiriman.jsonl)
"$CARI" index corpus/articles 2>"$T_DIR/err"; rc=$?
expect_eq index-exit $rc 0
expect_eq index-quiet-when-piped "$(cat "$T_DIR/err")" ""
out=$("$CARI" check); rc=$?
expect_eq check-exit $rc 0
expect_eq check-count "$out" "ok: $((n_files + n_jsonl)) articles, stemmer cari"

# Search: text output, no colour when piped.
out=$("$CARI" search komunitas); rc=$?
expect_eq search-exit $rc 0
expect_has search-result "$out" "1. "
esc=$(printf '\033')
case $out in *"$esc"*) expect_eq search-no-ansi yes no ;; *) expect_eq search-no-ansi 1 1 ;; esac
# Stemming: berkumpul finds articles that only have other forms of kumpul.
out=$("$CARI" search --limit 50 berkumpul)
expect_has stem-perkumpulan "$out" "arisan-bulanan-rt"
expect_has stem-dikumpulkan "$out" "bank-sampah-kelurahan"
expect_has stem-mengumpulkan "$out" "umkm-keripik-singkong"
# JSON.
"$CARI" search --json --limit 3 solidaritas >"$T_DIR/j.json"; rc=$?
expect_eq json-exit $rc 0
valid=$(sqlite3 :memory: "SELECT json_valid(readfile('$T_DIR/j.json'))")
expect_eq json-valid "$valid" 1
n=$(sqlite3 :memory: "SELECT json_array_length(readfile('$T_DIR/j.json'), '\$.results')")
expect_eq json-limit "$n" 3
has=$(sqlite3 :memory: "SELECT json_extract(readfile('$T_DIR/j.json'), '\$.results[0].snippet') LIKE '%<mark>%'")
expect_eq json-mark "$has" 1
q=$(sqlite3 :memory: "SELECT json_extract(readfile('$T_DIR/j.json'), '\$.query')")
expect_eq json-query "$q" "solidaritas"
# Control bytes in an article cannot forge marks: the CLI's internal marks
# are \1 and \2, and the article's own \1 and \2 never reach the snippet.
printf '%s\n' '{"id":"m1","title":"Tanda","body":"Warga \u0002berkumpul\u0001 di balai\u0002 desa\u0001 lagi."}' >"$T_DIR/m.jsonl"
"$CARI" index --db "$T_DIR/m.db" "$T_DIR/m.jsonl" 2>"$T_DIR/err"
expect_eq marks-index $? 0
for q in kumpul '"balai desa"'; do
  "$CARI" search --db "$T_DIR/m.db" --json "$q" >"$T_DIR/m.json"
  expect_eq "marks-exit $q" $? 0
  snip=$(sqlite3 :memory: "SELECT json_extract(readfile('$T_DIR/m.json'), '\$.results[0].snippet')")
  expect_eq "marks-sqlite $q" $? 0
  case $q in
  kumpul) want='Warga <mark>berkumpul</mark> di balai desa lagi.' ;;
  *) want='Warga berkumpul di <mark>balai desa</mark> lagi.' ;;
  esac
  expect_eq "marks-balanced $q" "$snip" "$want"
done
# Options end at the first query word: -word is an exclusion.
"$CARI" search komunitas -solidaritas >/dev/null; expect_eq exclusion-arg $? 0
# Offset.
a=$("$CARI" search --limit 2 komunitas | grep -c '^[0-9]')
expect_eq limit-2 "$a" 2
b=$("$CARI" search --offset 1 --limit 1 komunitas | head -n 1 | cut -c1-2)
expect_eq offset-numbering "$b" "2."

# Hostile input: results (0) or a one-line explanation (1), never a failure.
for q in '"anak-anak' 'NEAR(' 'a OR' '*' ':' '^' 'title:' '😀' "$(printf '\377\376')" \
         '"' '-' 'OR' '(' 'kopi:*' '-kopi' '--kopi'; do
  "$CARI" search -- "$q" >/dev/null 2>"$T_DIR/err"; rc=$?
  ok "hostile-rc:$q" [ "$rc" -le 1 ]
  ok "hostile-oneline:$q" [ "$(wc -l <"$T_DIR/err")" -le 1 ]
done
"$CARI" search -kopi >/dev/null 2>"$T_DIR/err"; expect_eq dash-word-usage $? 2
expect_has dash-word-hint "$(cat "$T_DIR/err")" "--"
"$CARI" search '^' 2>"$T_DIR/err" >/dev/null; expect_eq nothing-exit $? 1
expect_has nothing-msg "$(cat "$T_DIR/err")" "no words"
"$CARI" search gajahterbangbiru >/dev/null 2>&1; expect_eq no-results $? 1
big=$(head -c 10000 /dev/zero | tr '\0' 'a'; printf ' kopi')
"$CARI" search "$big" >/dev/null 2>&1; ok big-query [ $? -le 1 ]
# Bounds: a query that was cut still runs, and says what was cut (a note
# on stderr; "note" in --json, absent when nothing was cut).
"$CARI" search 'a* komunitas' >/dev/null 2>"$T_DIR/err"
expect_eq bound-short-exit $? 0
expect_eq bound-short-note "$(cat "$T_DIR/err")" \
  "cari: note: a prefix needs 2 letters before '*': 'a*' was searched as a word"
"$CARI" search --json 'a* komunitas' >"$T_DIR/b.json" 2>/dev/null
expect_eq bound-json-exit $? 0
note=$(sqlite3 :memory: "SELECT json_extract(readfile('$T_DIR/b.json'), '\$.note')")
expect_has bound-json-note "$note" "'a*' was searched as a word"
none=$(sqlite3 :memory: "SELECT json_type(readfile('$T_DIR/j.json'), '\$.note') IS NULL")
expect_eq bound-json-no-note "$none" 1
excl=$(i=0; while [ $i -lt 40 ]; do printf ' -kata%d' $i; i=$((i + 1)); done)
"$CARI" search --json -- "komunitas$excl" >"$T_DIR/b.json" 2>"$T_DIR/err"
expect_eq bound-exclusions-exit $? 0
note=$(sqlite3 :memory: "SELECT json_extract(readfile('$T_DIR/b.json'), '\$.note')")
expect_eq bound-exclusions-note "$note" \
  "only the first 32 exclusions were applied (8 more ignored)"
expect_has bound-exclusions-stderr "$(cat "$T_DIR/err")" "8 more ignored"

# Re-indexing replaces (idempotent); rm deletes.
before=$("$CARI" check)
"$CARI" index corpus/articles 2>"$T_DIR/err"; rc=$?
expect_eq reindex-exit $rc 0
expect_eq reindex-no-error "$(cat "$T_DIR/err")" ""
expect_eq reindex-same "$("$CARI" check)" "$before"
"$CARI" search --json --limit 1 komunitas >"$T_DIR/r.json"
id=$(sqlite3 :memory: "SELECT json_extract(readfile('$T_DIR/r.json'), '\$.results[0].id')")
ok rm-id-found [ -n "$id" ]
ok rm "$CARI" rm "$id"
"$CARI" rm "$id" 2>"$T_DIR/err"; expect_eq rm-missing $? 1
expect_has rm-missing-msg "$(cat "$T_DIR/err")" "$id"
ok check-after-rm "$CARI" check >/dev/null

# Edit a post and index its file again, after an optimize, twice: each run
# replaces the article (the top-k triggers once failed on the second change).
printf '{"id":"r1","title":"Pos pertama","body":"Warga berkumpul."}\n' >"$T_DIR/r1.jsonl"
for i in 1 2 3; do
  "$CARI" index --db "$T_DIR/r.db" --optimize always "$T_DIR/r1.jsonl" 2>"$T_DIR/err"
  expect_eq "reindex-after-optimize-$i" "$?:$(cat "$T_DIR/err")" "0:"
done
printf '{"id":"r1","title":"Pos diubah","body":"Warga bersepeda."}\n{"id":"r2","title":"Pos baru","body":"Kopi."}\n' >"$T_DIR/r1.jsonl"
"$CARI" index --db "$T_DIR/r.db" --optimize never "$T_DIR/r1.jsonl" 2>"$T_DIR/err"
expect_eq reindex-edited "$?:$(cat "$T_DIR/err")" "0:"
expect_has reindex-edited-found "$("$CARI" search --db "$T_DIR/r.db" sepeda)" "r1"
expect_has reindex-new-found "$("$CARI" search --db "$T_DIR/r.db" kopi)" "r2"
ok reindex-check "$CARI" check --db "$T_DIR/r.db" >/dev/null
# A database whose triggers an older version wrote is repaired on open.
sqlite3 "$T_DIR/r.db" "DROP TRIGGER cari_topk_au; CREATE TRIGGER cari_topk_au AFTER UPDATE OF doc, title, body ON articles BEGIN INSERT OR IGNORE INTO cari_stale VALUES (old.doc); INSERT OR IGNORE INTO cari_stale VALUES (new.doc); END;"
expect_eq old-trigger-written $? 0
for i in 1 2; do
  "$CARI" index --db "$T_DIR/r.db" --optimize never "$T_DIR/r1.jsonl" 2>"$T_DIR/err"
  expect_eq "old-trigger-reindex-$i" "$?:$(cat "$T_DIR/err")" "0:"
done
n=$(sqlite3 "$T_DIR/r.db" "SELECT count(*) FROM sqlite_master WHERE sql LIKE '%OR IGNORE%'")
expect_eq old-trigger-replaced "$n" 0

# A batch that fails is rolled back and not counted as indexed.
"$CARI" index --db "$T_DIR/f.db" corpus/articles/kiriman.jsonl 2>/dev/null
sqlite3 "$T_DIR/f.db" "CREATE TRIGGER boom BEFORE INSERT ON articles WHEN new.id='f4' BEGIN SELECT RAISE(ABORT, 'boom'); END;"
expect_eq fail-trigger $? 0
for i in 1 2 3 4 5; do printf '{"id":"f%d","title":"Judul %d","body":"Isi %d."}\n' $i $i $i; done >"$T_DIR/f.jsonl"
out=$("$CARI" index --db "$T_DIR/f.db" --batch 2 --json "$T_DIR/f.jsonl" 2>"$T_DIR/err"); rc=$?
expect_eq fail-batch-exit $rc 3
expect_has fail-batch-indexed "$out" '"indexed":2,'
expect_has fail-batch-ok "$out" '"ok":false'
expect_has fail-batch-msg "$(cat "$T_DIR/err")" "boom"
n=$(sqlite3 "$T_DIR/f.db" "SELECT count(*) FROM articles WHERE id LIKE 'f_'")
expect_eq fail-batch-stored "$n" 2

# Terminal escapes in an article's id, title and body never reach the
# terminal: piped output holds no escape byte at all.
printf '{"id":"e\\u001b]0;pwn\\u0007","title":"Judul \\u001b[2Jbersih \\u009b31m","body":"Kata rahasia \\u001b[31mmerah\\u0001 dan \\u0002 lagi."}\n' >"$T_DIR/esc.jsonl"
ok esc-index "$CARI" index --db "$T_DIR/e.db" "$T_DIR/esc.jsonl"
out=$("$CARI" search --db "$T_DIR/e.db" rahasia 2>&1)
expect_has esc-found "$out" "Judul"
ctl=$(printf '%s' "$out" | tr -d '\n' | LC_ALL=C grep -c "$(printf '[\001-\010\013-\037\177]')")
expect_eq esc-no-control "$ctl" 0
c1=$(printf '%s' "$out" | LC_ALL=C grep -c "$(printf '\302[\200-\237]')")
expect_eq esc-no-c1 "$c1" 0

# stdin JSONL and malformed records: reported with file:line, rest lands.
printf '{"id":"s1","title":"Sate kambing","body":"Sate dibakar."}\n' |
  "$CARI" index - 2>/dev/null
expect_eq stdin-index $? 0
expect_has stdin-found "$("$CARI" search sate)" "s1"
cat >"$T_DIR/bad.jsonl" <<'J'
{"id":"g1","title":"Baik satu","body":"isi pertama"}
{"id":"g2","title": oops
{"title":"tanpa id","body":"x"}
{"id":"g3","title":"Baik tiga","body":"isi ketiga"}
J
"$CARI" index "$T_DIR/bad.jsonl" 2>"$T_DIR/err"; rc=$?
expect_eq malformed-exit $rc 1
expect_has malformed-line2 "$(cat "$T_DIR/err")" "bad.jsonl:2"
expect_has malformed-line3 "$(cat "$T_DIR/err")" "bad.jsonl:3"
out=$("$CARI" search --limit 5 baik)
expect_has malformed-rest-g1 "$out" "g1"
expect_has malformed-rest-g3 "$out" "g3"
"$CARI" index "$T_DIR/missing.md" 2>/dev/null; expect_eq missing-file $? 1
ok check-after-malformed "$CARI" check >/dev/null
out=$("$CARI" index --json "$T_DIR/bad.jsonl" 2>/dev/null)
expect_has index-json "$out" '"skipped":2'

# Analyzer recorded in the database.
"$CARI" index --stemmer none corpus/articles 2>"$T_DIR/err"; rc=$?
expect_eq stemmer-mismatch $rc 3
expect_has stemmer-mismatch-msg "$(cat "$T_DIR/err")" "stemmer 'cari'"
"$CARI" index --db "$T_DIR/n.db" --stemmer none corpus/articles 2>/dev/null
expect_eq none-db $? 0
# (--no-typo: typo matching would find `kumpulan`, which `kumpul` begins)
"$CARI" search --db "$T_DIR/n.db" --no-typo kumpul >/dev/null 2>&1
expect_eq none-db-no-stem $? 1

# Surface forms, on request: prefixes then match words as written.
"$CARI" index --db "$T_DIR/s.db" --surface corpus/articles 2>/dev/null
expect_eq surface-index $? 0
expect_has surface-prefix "$("$CARI" search --db "$T_DIR/s.db" 'berkum*')" "gotong-royong-kampung"
# Stems only: a prefix of a word as written finds it through the build's
# table of words (berkum* -> berkumpul -> kumpul), so every form of kumpul.
expect_has stems-prefix-alias "$("$CARI" search --db "$DB" --limit 20 'berkum*')" "gotong-royong-kampung"
expect_has stems-prefix-alias-forms "$("$CARI" search --db "$DB" --limit 20 'berkum*')" "bank-sampah-kelurahan"
"$CARI" index --db "$T_DIR/s.db" --no-surface corpus/articles 2>"$T_DIR/err"
expect_eq surface-mismatch $? 3
expect_has surface-mismatch-msg "$(cat "$T_DIR/err")" "surface"

# stem
expect_eq stem-arg "$("$CARI" stem berkumpul)" "$(printf 'berkumpul\tkumpul')"
expect_eq stem-stdin "$(printf 'Perkumpulan\nanak-anak\n' | "$CARI" stem)" \
  "$(printf 'Perkumpulan\tkumpul\nanak-anak\tanak')"
expect_eq stem-none "$("$CARI" stem --stemmer none Berkumpul)" "$(printf 'Berkumpul\tberkumpul')"
expect_eq stem-informal "$("$CARI" stem 'setiap ngumpul yg')" \
  "$(printf 'setiap\ttiap\nngumpul\tkumpul|ngumpul\nyg\tyang')"
expect_eq stem-formal "$("$CARI" stem --stemmer cari_formal ngumpul)" "$(printf 'ngumpul\tngumpul')"
"$CARI" stem --stemmer nope x >/dev/null 2>&1; expect_eq stem-unknown $? 2

# The lexicon's files come from the environment, read by the command (the
# library reads none) and passed as open options.
printf '2\nkumpul\nwarga\n' >"$T_DIR/small.dic"
printf 'berkumpul\tberkumpul\n' >"$T_DIR/exc.tsv"
expect_eq lexicon-exceptions "$(CARI_EXCEPTIONS=$T_DIR/exc.tsv "$CARI" stem berkumpul)" \
  "$(printf 'berkumpul\tberkumpul')"
err=$(CARI_DIC=$T_DIR/nope.dic "$CARI" stem berkumpul 2>&1); rc=$?
expect_eq lexicon-missing-exit $rc 3
expect_has lexicon-missing-msg "$err" "nope.dic"
err=$(CARI_ROOTS=$T_DIR/nope.txt "$CARI" search kumpul 2>&1); rc=$?
expect_eq lexicon-roots-missing-exit $rc 3
expect_has lexicon-roots-missing-msg "$err" "nope.txt"
err=$(CARI_DIC=$T_DIR/small.dic "$CARI" search kumpul 2>&1); rc=$?
expect_eq lexicon-changed-exit $rc 3
expect_has lexicon-changed-msg "$err" "lexicon"

# On a terminal (script(1) gives one): progress and summary, colour.
if command -v script >/dev/null; then
  out=$(script -qc "'$CARI' index --db '$T_DIR/tty.db' corpus/articles" /dev/null)
  expect_has tty-summary "$out" "indexed $((n_files + n_jsonl)) articles"
  expect_has tty-progress "$out" "MB/s"
  out=$(script -qc "'$CARI' search --db '$T_DIR/tty.db' komunitas" /dev/null)
  expect_has tty-colour "$out" "$(printf '\033[1;31m')"
  out=$(NO_COLOR=1 script -qc "'$CARI' search --db '$T_DIR/tty.db' komunitas" /dev/null)
  case $out in *"$esc"*) expect_eq no-color-env yes no ;; *) expect_eq no-color-env 1 1 ;; esac
else
  echo "skipped: script(1) not found, no terminal tests"
fi

report cli
