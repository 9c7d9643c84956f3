#!/bin/sh
# typo.sh — typing errors through the `cari` command (issue 13): the line
# 'Maksud Anda: ...' before the results and "did_you_mean" in --json, the
# misspelt word's article found, --no-typo turning both off, a known word
# left alone, and --ranking typo=0 in cari eval.
. "$(dirname "$0")/lib"
DB=$T_DIR/t.db
export CARI_DB=$DB
# expect_lacks ID TEXT NEEDLE
expect_lacks() {
  case $2 in *"$3"*) T_FAIL=$((T_FAIL + 1)); printf 'FAIL [%s] <%s> has <%s>\n' "$1" "$2" "$3" >&2 ;;
  *) T_PASS=$((T_PASS + 1)) ;; esac
}
cat >"$T_DIR/posts.jsonl" <<'X'
{"id":"p1","title":"Perpustakaan desa","body":"Perpustakaan desa dibuka setiap sore untuk anak sekolah."}
{"id":"p2","title":"Rendang daging","body":"Resep rendang daging yang dimasak perlahan dalam santan."}
{"id":"p3","title":"Kopi pagi","body":"Secangkir kopi hitam di warung dekat pasar."}
X
ok index "$CARI" index "$T_DIR/posts.jsonl"

# Plain: the first line is the correction, then the results.
out=$("$CARI" search "rendnag dagign"); rc=$?
expect_eq plain-exit $rc 0
expect_eq plain-first-line "$(echo "$out" | head -n 1)" "Maksud Anda: rendang daging"
expect_has plain-result "$out" "(p2)"
# JSON: the same correction as a member.
out=$("$CARI" search --json "Rendnag dagign")
expect_has json-dym "$out" '"did_you_mean":"rendang daging"'
expect_has json-result "$out" '"id":"p2"'
expect_has json-marks "$out" '<mark>'
# Only the misspelt word is replaced; the others stay as typed.
out=$("$CARI" search --json "Anak SEKOLAH perpustkaan")
expect_has json-keep-case "$out" '"did_you_mean":"Anak SEKOLAH perpustakaan"'
# A known word: no line, no member.
out=$("$CARI" search kopi)
expect_lacks known-plain "$out" "Maksud Anda"
out=$("$CARI" search --json kopi)
expect_lacks known-json "$out" "did_you_mean"
# --no-typo: neither the corrections nor the line.
out=$("$CARI" search --no-typo "rendnag dagign"); rc=$?
expect_eq no-typo-exit $rc 1
expect_lacks no-typo-line "$out" "Maksud Anda"
out=$("$CARI" search --json --no-typo "rendnag dagign")
expect_lacks no-typo-json "$out" "did_you_mean"
expect_has no-typo-total "$out" '"total":0'
expect_has help "$("$CARI" search --help)" "--no-typo"

# cari eval: typo=0 takes the corrections away, an unknown value is refused.
printf 'q1\trendnag\n' >"$T_DIR/q.tsv"
printf 'q1\tp2\t1\n' >"$T_DIR/qrels.tsv"
on=$("$CARI" eval --queries "$T_DIR/q.tsv" --qrels "$T_DIR/qrels.tsv" --json)
off=$("$CARI" eval --queries "$T_DIR/q.tsv" --qrels "$T_DIR/qrels.tsv" --json --ranking typo=0)
expect_has eval-on "$on" '"mrr@10":1'
expect_has eval-off "$off" '"mrr@10":0'
"$CARI" eval --queries "$T_DIR/q.tsv" --qrels "$T_DIR/qrels.tsv" --ranking typo=1 >/dev/null 2>"$T_DIR/err"
expect_eq eval-typo-1-exit $? 2
expect_has eval-typo-1-msg "$(cat "$T_DIR/err")" "typo"
report typo
