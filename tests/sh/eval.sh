#!/bin/sh
# eval.sh — `cari eval` end to end: a tiny index whose figures are known by
# hand, the run file it writes, --per-query, --json, --k, evaluating a run
# file (and the golden one in tests/data/eval), bad input and usage. With
# ../shared/data/tydiqa-id present, also a real collection: the figures from
# the index and from the run file it wrote must agree.
. "$(dirname "$0")/lib"
DB=$T_DIR/e.db
export CARI_DB=$DB
have_sqlite3=0
command -v sqlite3 >/dev/null && have_sqlite3=1
# metric FILE NAME: the value on the NAME line of a text summary.
metric() { awk -v n="$2" '$1 == n { print $2 }' "$1"; }

# Help and usage.
ok help "$CARI" eval --help >/dev/null
expect_has help-lists "$("$CARI" --help)" "eval"
"$CARI" eval >/dev/null 2>&1; expect_eq no-args $? 2
"$CARI" eval --queries q >/dev/null 2>&1; expect_eq no-qrels $? 2
"$CARI" eval --qrels q >/dev/null 2>&1; expect_eq no-queries-no-run $? 2
"$CARI" eval --qrels q --queries q --k 0 >/dev/null 2>&1; expect_eq k-zero $? 2
"$CARI" eval --qrels q --queries q --k x >/dev/null 2>&1; expect_eq k-word $? 2
"$CARI" eval --qrels q --queries q --nope >/dev/null 2>&1; expect_eq unknown-opt $? 2
"$CARI" eval --qrels q --queries q extra >/dev/null 2>&1; expect_eq extra-arg $? 2
"$CARI" eval --qrels q --run r --k 5 >/dev/null 2>&1; expect_eq run-mode-k $? 2
"$CARI" eval --qrels q --queries q --tag 'a b' >/dev/null 2>&1; expect_eq tag-space $? 2

# A tiny collection, no stemming: each query's matches are fixed by its words.
cat >"$T_DIR/docs.jsonl" <<'EOF'
{"id":"d1","title":"Kopi susu","body":"Kopi susu dingin di pagi hari."}
{"id":"d2","title":"Teh manis","body":"Segelas teh manis hangat."}
{"id":"d3","title":"Nasi goreng","body":"Nasi goreng pedas dengan telur."}
{"id":"d4","title":"Kopi hitam","body":"Kopi hitam pahit tanpa gula."}
{"id":"d5","title":"Roti bakar","body":"Roti bakar cokelat keju."}
EOF
"$CARI" index --stemmer none "$T_DIR/docs.jsonl" 2>/dev/null
expect_eq index $? 0
# q1 finds d2 only; q2 d3 only; q3 nothing; q4 has nothing to search for;
# q5 (only a grade-0 judgement) and q6 (no judgement) do not count; q7 is
# judged but not among the queries; q8 finds d1 and d4, both relevant.
printf 'q1\tteh\nq2\tnasi\nq3\tmobil\nq4\t???\nq5\tkeju\nq6\troti\nq8\tkopi\n' \
  >"$T_DIR/queries.tsv"
printf 'q1\td2\t1\nq2\td3\t1\nq2 0 d5 1\nq3\td1\t1\nq4\td2\t1\n' \
  >"$T_DIR/qrels.tsv"
printf 'q5\td5\t0\nq7\td4\t1\nq8\td1\t1\nq8 0 d4 1\n' >>"$T_DIR/qrels.tsv"
Q=$T_DIR/queries.tsv R=$T_DIR/qrels.tsv
"$CARI" eval --queries "$Q" --qrels "$R" --run "$T_DIR/run.txt" \
  >"$T_DIR/out" 2>"$T_DIR/err"
expect_eq eval-exit $? 0
# Six queries count: q1 q2 q3 q4 q7 q8.
#   RR:    1, 1, 0, 0, 0, 1                       -> 3/6 = 0.5000
#   AP:    1, 1/2 (d5 never found), 0, 0, 0, 1    -> 2.5/6 = 0.4167
#   nDCG:  q2 = 1 / (1 + 1/log2(3)) = 0.613147    -> 2.613147/6 = 0.4355
#   P@10:  0.1, 0.1, 0, 0, 0, 0.2                 -> 0.4/6 = 0.0667
#   R@100: 1, 0.5, 0, 0, 0, 1                     -> 2.5/6 = 0.4167
expect_eq eval-queries "$(metric "$T_DIR/out" queries)" 6
expect_eq eval-mrr "$(metric "$T_DIR/out" MRR@10)" 0.5000
expect_eq eval-ndcg "$(metric "$T_DIR/out" nDCG@10)" 0.4355
expect_eq eval-map "$(metric "$T_DIR/out" MAP)" 0.4167
expect_eq eval-p10 "$(metric "$T_DIR/out" P@10)" 0.0667
expect_eq eval-r100 "$(metric "$T_DIR/out" R@100)" 0.4167
err=$(cat "$T_DIR/err")
expect_has note-empty "$err" "nothing to search for (counted as empty results): 1 of 7"
expect_has note-missing "$err" "missing from the queries file (each counts 0): 1"
expect_has note-norel "$err" "without a relevant document (left out): 1"
expect_has note-unjudged "$err" "without judgements (ignored): 1"

# The run file: qid Q0 docid rank score tag; ranks from 1, scores falling.
# q1 q2 q5 q6 find one article each, q8 two; q3 and q4 write no line.
expect_eq run-lines "$(wc -l <"$T_DIR/run.txt" | tr -d ' ')" 6
bad=$(awk 'NF != 6 || $2 != "Q0" || $6 != "cari" { n++ }
  $1 == q && ($4 != r + 1 || $5 > s) { n++ }
  $1 != q && $4 != 1 { n++ }
  { q = $1; r = $4; s = $5 } END { print n + 0 }' "$T_DIR/run.txt")
expect_eq run-format "$bad" 0
expect_eq run-q8 "$(awk '$1 == "q8" { print $3 }' "$T_DIR/run.txt" | sort |
  tr '\n' ' ')" "d1 d4 "
"$CARI" eval --queries "$Q" --qrels "$R" --run "$T_DIR/tag.txt" --tag base \
  >/dev/null 2>&1
expect_eq run-tag "$(awk '{ print $6 }' "$T_DIR/tag.txt" | sort -u)" base

# The run file evaluated alone gives the same figures (q3, q4 now missing
# from the run, still counting 0).
"$CARI" eval --run "$T_DIR/run.txt" --qrels "$R" >"$T_DIR/out2" 2>"$T_DIR/err2"
expect_eq run-mode-exit $? 0
expect_eq run-mode-same "$(cat "$T_DIR/out2")" "$(cat "$T_DIR/out")"
expect_has run-mode-missing "$(cat "$T_DIR/err2")" "missing from the run (each counts 0): 3"

# --k 1: q8 keeps one of its two relevant articles.
#   AP: 1, 1/2, 0, 0, 0, 1/2 -> 2/6 = 0.3333; P@10: 0.3/6 = 0.0500;
#   nDCG: q2 and q8 = 0.613147 each -> (1 + 2 * 0.613147)/6 = 0.3710.
"$CARI" eval --queries "$Q" --qrels "$R" --k 1 >"$T_DIR/k1" 2>/dev/null
expect_eq k1-map "$(metric "$T_DIR/k1" MAP)" 0.3333
expect_eq k1-p10 "$(metric "$T_DIR/k1" P@10)" 0.0500
expect_eq k1-ndcg "$(metric "$T_DIR/k1" nDCG@10)" 0.3710
expect_eq k1-r100 "$(metric "$T_DIR/k1" R@100)" 0.3333

# --per-query: a row per counted query, in the order of the qrels.
"$CARI" eval --queries "$Q" --qrels "$R" --per-query >"$T_DIR/pq" 2>/dev/null
expect_eq pq-exit $? 0
expect_eq pq-header "$(head -n 1 "$T_DIR/pq" | tr -s ' ')" \
  "qid RR@10 nDCG@10 AP P@10 R@100"
expect_eq pq-q2 "$(awk '$1 == "q2"' "$T_DIR/pq" | tr -s ' ')" \
  "q2 1.0000 0.6131 0.5000 0.1000 0.5000"
expect_eq pq-q7 "$(awk '$1 == "q7"' "$T_DIR/pq" | tr -s ' ')" \
  "q7 0.0000 0.0000 0.0000 0.0000 0.0000"
expect_eq pq-rows "$(awk '/^q[0-9]/' "$T_DIR/pq" | cut -d' ' -f1 | tr '\n' ' ')" \
  "q1 q2 q3 q4 q7 q8 "
expect_eq pq-summary "$(metric "$T_DIR/pq" MAP)" 0.4167

# --json.
"$CARI" eval --queries "$Q" --qrels "$R" --json --per-query \
  >"$T_DIR/j.json" 2>/dev/null
expect_eq json-exit $? 0
if [ $have_sqlite3 = 1 ]; then
  js() { sqlite3 :memory: "SELECT $1 FROM (SELECT readfile('$T_DIR/j.json') AS j)"; }
  expect_eq json-valid "$(js 'json_valid(j)')" 1
  expect_eq json-queries "$(js "json_extract(j, '\$.queries')")" 6
  expect_eq json-map "$(js "printf('%.4f', json_extract(j, '\$.metrics.map'))")" 0.4167
  expect_eq json-mrr "$(js "printf('%.4f', json_extract(j, '\$.metrics.\"mrr@10\"'))")" 0.5000
  expect_eq json-rows "$(js "json_array_length(j, '\$.per_query')")" 6
  expect_eq json-q2 "$(js "json_extract(j, '\$.per_query[1].qid')")" q2
  expect_eq json-q2-ndcg \
    "$(js "printf('%.4f', json_extract(j, '\$.per_query[1].\"ndcg@10\"'))")" 0.6131
  "$CARI" eval --queries "$Q" --qrels "$R" --json >"$T_DIR/j.json" 2>/dev/null
  expect_eq json-no-rows "$(js "json_type(j, '\$.per_query') IS NULL")" 1
else
  echo "skipped: sqlite3 shell not found (JSON checks)"
fi

# A run file with graded judgements and tied scores, against the golden
# output (the arithmetic is in tests/test_releval.c, test_main_case).
"$CARI" eval --run tests/data/eval/run.txt --qrels tests/data/eval/qrels.txt \
  --per-query >"$T_DIR/golden" 2>/dev/null
expect_eq golden-exit $? 0
ok golden-diff diff -u tests/data/eval/expected.txt "$T_DIR/golden"

# Failures: exit 3 and a one-line message naming the file.
err=$("$CARI" eval --queries "$Q" --qrels "$T_DIR/nope.tsv" 2>&1); rc=$?
expect_eq missing-qrels $rc 3
expect_has missing-qrels-name "$err" "nope.tsv"
err=$("$CARI" eval --queries "$T_DIR/noq.tsv" --qrels "$R" 2>&1); rc=$?
expect_eq missing-queries $rc 3
expect_has missing-queries-name "$err" "noq.tsv"
err=$("$CARI" eval --run "$T_DIR/norun.txt" --qrels "$R" 2>&1); rc=$?
expect_eq missing-run $rc 3
expect_has missing-run-name "$err" "norun.txt"
err=$("$CARI" eval --db "$T_DIR/no.db" --queries "$Q" --qrels "$R" 2>&1); rc=$?
expect_eq missing-db $rc 3
expect_has missing-db-msg "$err" "no database"
err=$("$CARI" eval --queries "$Q" --qrels "$R" --run "$T_DIR/no/dir/run" 2>&1)
expect_eq unwritable-run $? 3
expect_has unwritable-run-name "$err" "no/dir/run"
printf 'q1\td2\t1\nq2 d3\n' >"$T_DIR/bad-qrels"
err=$("$CARI" eval --queries "$Q" --qrels "$T_DIR/bad-qrels" 2>&1); rc=$?
expect_eq bad-qrels $rc 3
expect_has bad-qrels-line "$err" "bad-qrels:2: expected"
printf 'q1\td2\tgood\n' >"$T_DIR/bad-grade"
err=$("$CARI" eval --queries "$Q" --qrels "$T_DIR/bad-grade" 2>&1)
expect_has bad-grade "$err" "bad-grade:1: grade 'good' is not a whole number"
printf 'q1\tteh\n\nq2 nasi\n' >"$T_DIR/bad-queries"
err=$("$CARI" eval --queries "$T_DIR/bad-queries" --qrels "$R" 2>&1); rc=$?
expect_eq bad-queries $rc 3
expect_has bad-queries-line "$err" "bad-queries:3: expected 'qid<TAB>query text'"
printf 'q1\tteh\nq1\tkopi\n' >"$T_DIR/dup-queries"
err=$("$CARI" eval --queries "$T_DIR/dup-queries" --qrels "$R" 2>&1)
expect_eq dup-queries $? 3
expect_has dup-queries-line "$err" "dup-queries:2: query q1 appears twice"
printf 'q1 Q0 d2 1 2.5 t\nq1 Q0 d2 2\n' >"$T_DIR/bad-run"
err=$("$CARI" eval --run "$T_DIR/bad-run" --qrels "$R" 2>&1); rc=$?
expect_eq bad-run $rc 3
expect_has bad-run-line "$err" "bad-run:2: expected 'qid Q0 docid rank score tag'"
printf 'q1\td2\t0\n' >"$T_DIR/no-rel"
err=$("$CARI" eval --queries "$Q" --qrels "$T_DIR/no-rel" 2>&1)
expect_eq no-relevant $? 3
expect_has no-relevant-msg "$err" "no query has a relevant document"
err=$("$CARI" eval --queries "$Q" --qrels "$R" --ranking 'nosuch=1' 2>&1)
expect_eq bad-ranking $? 2
expect_has bad-ranking-msg "$err" "--ranking"

# A real collection: the figures from the index and from the run file it
# wrote agree (many scores tie there, so this checks the tie order end to end).
S=../shared/data/tydiqa-id
if [ -f "$S/docs.jsonl" ] && [ -f "$S/queries.valid.tsv" ] && [ -f "$S/qrels.valid.tsv" ]; then
  "$CARI" index --db "$T_DIR/tydi.db" "$S/docs.jsonl" 2>/dev/null
  "$CARI" eval --db "$T_DIR/tydi.db" --queries "$S/queries.valid.tsv" \
    --qrels "$S/qrels.valid.tsv" --run "$T_DIR/tydi.run" >"$T_DIR/t1" 2>/dev/null
  expect_eq tydi-exit $? 0
  expect_eq tydi-queries "$(metric "$T_DIR/t1" queries)" \
    "$(cut -f1 "$S/qrels.valid.tsv" | sort -u | wc -l | tr -d ' ')"
  "$CARI" eval --run "$T_DIR/tydi.run" --qrels "$S/qrels.valid.tsv" \
    >"$T_DIR/t2" 2>/dev/null
  expect_eq tydi-run-same "$(cat "$T_DIR/t2")" "$(cat "$T_DIR/t1")"
else
  echo "skipped: ../shared/data/tydiqa-id not found"
fi

report eval
