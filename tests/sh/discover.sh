#!/bin/sh
# discover.sh — issue 12 through the `cari` command: search filters, sorting
# by date and facets (text and JSON), a bad date reported with its file and
# line while the article is indexed, `cari suggest` and `cari related` with
# their help, exit codes and JSON.
. "$(dirname "$0")/lib"
DB=$T_DIR/d.db
export CARI_DB=$DB
# expect_lacks ID TEXT NEEDLE
expect_lacks() {
  case $2 in *"$3"*) T_FAIL=$((T_FAIL + 1)); printf 'FAIL [%s] <%s> has <%s>\n' "$1" "$2" "$3" >&2 ;;
  *) T_PASS=$((T_PASS + 1)) ;; esac
}

cat >"$T_DIR/posts.jsonl" <<'EOF'
{"id":"p1","title":"Kopi pagi","body":"Secangkir kopi hitam di warung.","date":"2023-05-01","tags":["Kuliner"," kopi "]}
{"id":"p2","title":"Kopi sore","body":"Kopi susu dan pisang goreng.","date":"2024-02-10T16:00:00+07:00","tags":["kuliner"]}
{"id":"p3","title":"Kebun kopi","body":"Petani memanen kopi di lereng gunung.","date":"5 Mei 2024","tags":["pertanian"]}
{"id":"p4","title":"Kedai kopi baru","body":"Kedai kopi dibuka di dekat pasar.","date":"2024-08-20","tags":["Kuliner","bisnis"]}
EOF
"$CARI" index "$T_DIR/posts.jsonl" 2>"$T_DIR/err"; rc=$?
expect_eq index-exit $rc 0
expect_has bad-date-warned "$(cat "$T_DIR/err")" "posts.jsonl:3"
expect_has bad-date-says "$(cat "$T_DIR/err")" "indexed undated"

for c in suggest related; do
  ok "help-$c" "$CARI" $c --help >/dev/null
done
expect_has help-search-tag "$("$CARI" search --help)" "--tag TAG"

# Filters: tags fold case and blanks; dates are inclusive.
out=$("$CARI" search --json --tag KULINER kopi)
expect_has tag-p1 "$out" '"id":"p1"'
expect_has tag-p4 "$out" '"id":"p4"'
expect_lacks tag-p3 "$out" '"id":"p3"'
expect_has tag-total "$out" '"total":3'
expect_has tags-shown "$out" '"tags":["Kuliner","kopi"]'
out=$("$CARI" search --json --from 2024-01-01 --to 2024-02-10 kopi)
expect_has range-p2 "$out" '"id":"p2"'
expect_has range-total "$out" '"total":1'
"$CARI" search --from 2024-13-01 kopi >/dev/null 2>"$T_DIR/err"
expect_eq bad-from-exit $? 2
expect_has bad-from-msg "$(cat "$T_DIR/err")" "2024-13-01"
"$CARI" search --sort newest kopi >/dev/null 2>&1
expect_eq bad-sort-exit $? 2
"$CARI" search --facets kopi >/dev/null 2>&1
expect_eq facets-needs-json $? 2
# Sorted by date: newest first, the undated one last.
ids=$("$CARI" search --json --sort date kopi | grep -o '"id":"p[0-9]"' | tr -d '\n')
expect_eq sort-date "$ids" '"id":"p4""id":"p2""id":"p1""id":"p3"'
out=$("$CARI" search --json --facets kopi)
expect_has facets-tags "$out" '"facets":{"tags":{"Kuliner":3,'
expect_has facets-year "$out" '"year":{"2024":2,"2023":1}'

# Suggestions.
out=$("$CARI" suggest ko); rc=$?
expect_eq suggest-exit $rc 0
expect_eq suggest-first "$(echo "$out" | head -n 1)" "kopi"
out=$("$CARI" suggest --json --limit 2 "kopi su")
expect_eq suggest-json "$out" '{"text":"kopi su","suggestions":[{"word":"susu","count":1}]}'
"$CARI" suggest zzz >/dev/null; expect_eq suggest-none $? 1
"$CARI" suggest >/dev/null 2>&1; expect_eq suggest-no-text $? 2

# Related articles.
out=$("$CARI" related --json p1); rc=$?
expect_eq related-exit $rc 0
expect_lacks related-not-itself "${out#*results}" '"id":"p1"'
expect_has related-json "$out" '{"id":"p1","results":[{'
"$CARI" related nope >/dev/null 2>"$T_DIR/err"; expect_eq related-missing $? 1
expect_has related-missing-msg "$(cat "$T_DIR/err")" "nope"
"$CARI" related a b >/dev/null 2>&1; expect_eq related-two-ids $? 2

report discover
