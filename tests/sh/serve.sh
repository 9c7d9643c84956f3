#!/bin/sh
# serve.sh — `cari serve` over HTTP with curl, on a free loopback port:
# start-up errors and exit codes, every endpoint and error status, the JSON
# of /search (with filters, sorting and facets), /related and /suggest
# against `cari search`, `cari related` and `cari suggest --json`, the
# page's filter links, the token (a refused request
# changes nothing), writes seen by the next search, concurrent searches
# during writes, the access log, a graceful stop with a request in flight,
# and examples/blog_handler.c.
. "$(dirname "$0")/lib"
command -v curl >/dev/null || { echo "serve.sh needs curl (tools/deps)"; exit 1; }
DB=$T_DIR/s.db
TOK=$T_DIR/token
echo "a-token-for-the-tests-0123456789" >"$TOK"
AUTH="Authorization: Bearer a-token-for-the-tests-0123456789"
PIDS=
trap 'for p in $PIDS; do kill "$p" 2>/dev/null; done; rm -rf "$T_DIR"' EXIT

"$CARI" index --db "$DB" corpus/articles 2>/dev/null
expect_eq index $? 0
N0=$("$CARI" check --db "$DB" | sed 's/^ok: \([0-9]*\) articles.*/\1/')

# start NAME ARGS...: start a server on a free port; sets PID and U.
start() {
  name=$1; shift
  "$CARI" serve --listen 127.0.0.1:0 "$@" 2>"$T_DIR/$name.log" &
  PID=$!
  PIDS="$PIDS $PID"
  i=0 U=
  while [ $i -lt 100 ] && [ -z "$U" ]; do
    U=$(sed -n 's|^cari serve: listening on \(http://[0-9.:]*\)/.*|\1|p' \
      "$T_DIR/$name.log")
    [ -n "$U" ] || sleep 0.05
    i=$((i + 1))
  done
  ok "$name-started" [ -n "$U" ]
}
# req METHOD PATH [CURL ARGS...]: the status code; the body in $T_DIR/body.
req() {
  m=$1 p=$2; shift 2
  curl -s -o "$T_DIR/body" -w '%{http_code}' -X "$m" "$@" "$U$p"
}
body() { cat "$T_DIR/body"; }
jget() { sqlite3 :memory: "SELECT json_extract(readfile('$T_DIR/body'), '$1')"; }
search_count() { # the total of a search, through HTTP
  req GET "/search?q=$1" >/dev/null && jget '$.total'
}

# ---- start-up: help, usage, one-line errors with exit status 3 ----------
ok help "$CARI" serve --help >/dev/null
expect_has help-lists "$("$CARI" --help)" "serve"
"$CARI" serve --nope >/dev/null 2>&1; expect_eq unknown-opt $? 2
"$CARI" serve --threads 0 --db "$DB" >/dev/null 2>&1; expect_eq bad-threads $? 2
err=$("$CARI" serve --db "$T_DIR/none.db" 2>&1); rc=$?
expect_eq no-db-exit $rc 3
expect_has no-db-msg "$err" "no database at"
echo short >"$T_DIR/short"
err=$("$CARI" serve --db "$DB" --token-file "$T_DIR/short" 2>&1); rc=$?
expect_eq short-token-exit $rc 3
expect_has short-token-msg "$err" "shorter than 16"
cp "$DB" "$T_DIR/other.db"
sqlite3 "$T_DIR/other.db" "UPDATE cari_meta SET value='0123456789abcdef' WHERE key='lexicon'"
err=$("$CARI" serve --db "$T_DIR/other.db" 2>&1); rc=$?
expect_eq analyzer-exit $rc 3
expect_eq analyzer-one-line "$(echo "$err" | wc -l)" 1

# The lexicon's files come from the environment, as for every command: a
# database made with one is opened with it (readers and writer alike), and
# refused without it.
printf 'berkumpul\tberkumpul\n' >"$T_DIR/exc.tsv"
CARI_EXCEPTIONS=$T_DIR/exc.tsv "$CARI" index --db "$T_DIR/lex.db" corpus/articles 2>/dev/null
expect_eq lexicon-index $? 0
err=$("$CARI" serve --db "$T_DIR/lex.db" 2>&1); rc=$?
expect_eq lexicon-refused-exit $rc 3
expect_has lexicon-refused-msg "$err" "lexicon"
CARI_EXCEPTIONS=$T_DIR/exc.tsv start lexicon --db "$T_DIR/lex.db" --token-file "$TOK" --quiet
LEX=$PID
expect_eq lexicon-search "$(req GET '/search?q=berkumpul&limit=3')" 200
CARI_EXCEPTIONS=$T_DIR/exc.tsv "$CARI" search --db "$T_DIR/lex.db" --json --limit 3 berkumpul >"$T_DIR/cli.json"
expect_eq lexicon-as-cli "$(sqlite3 :memory: "SELECT json_remove(readfile('$T_DIR/body'), '\$.took_ms')
  = json(readfile('$T_DIR/cli.json'))")" 1
expect_eq lexicon-put "$(req PUT /articles/lx -H "$AUTH" -d '{"title":"Berkumpul di genteng"}')" 200
expect_eq lexicon-put-found "$(search_count genteng)" 1
expect_eq lexicon-related "$(req GET '/related/lx')" 200
expect_eq lexicon-suggest "$(req GET '/suggest?q=berk')" 200
kill -TERM "$LEX"; wait "$LEX"
expect_eq lexicon-stop $? 0
expect_eq lexicon-check "$(CARI_EXCEPTIONS=$T_DIR/exc.tsv "$CARI" check --db "$T_DIR/lex.db" >/dev/null; echo $?)" 0
CARI_EXCEPTIONS=$T_DIR/exc.tsv "$CARI" related --db "$T_DIR/lex.db" lx >/dev/null 2>&1
expect_eq lexicon-cli-related $? 0
"$CARI" related --db "$T_DIR/lex.db" lx >/dev/null 2>&1
expect_eq lexicon-cli-related-refused $? 3

# ---- the server, with writes ---------------------------------------------
start main --db "$DB" --token-file "$TOK" --max-body 65536 --threads 2
MAIN=$PID MAIN_U=$U
port=${U##*:}
err=$("$CARI" serve --db "$DB" --listen "127.0.0.1:$port" 2>&1); rc=$?
expect_eq port-taken-exit $rc 3
expect_has port-taken-msg "$err" "cannot listen on 127.0.0.1:$port"

# GET /search: the JSON of `cari search --json`, plus took_ms.
expect_eq search-200 "$(req GET '/search?q=komunitas&limit=3')" 200
"$CARI" search --db "$DB" --json --limit 3 komunitas >"$T_DIR/cli.json"
same=$(sqlite3 :memory: "SELECT json_remove(readfile('$T_DIR/body'), '\$.took_ms')
  = json(readfile('$T_DIR/cli.json'))")
expect_eq search-json-as-cli "$same" 1
expect_eq search-took "$(sqlite3 :memory: "SELECT json_type(readfile('$T_DIR/body'), '\$.took_ms')")" real
expect_eq search-limit "$(sqlite3 :memory: "SELECT json_array_length(readfile('$T_DIR/body'), '\$.results')")" 3
expect_eq search-offset "$(req GET '/search?q=komunitas&limit=2&offset=1')" 200
id2=$(jget '$.results[0].id')
req GET '/search?q=komunitas&limit=3' >/dev/null
expect_eq search-offset-id "$id2" "$(jget '$.results[1].id')"
expect_eq search-json-type "$(curl -s -o /dev/null -w '%{content_type}' "$U/search?q=kopi")" "application/json"
expect_eq search-nothing "$(req GET '/search?q=%3F%21')" 200
expect_has search-nothing-msg "$(body)" '"message"'
# Bad parameters: 400 with a JSON error naming the parameter.
for case in "q-missing|/search|parameter q" "q-empty|/search?q=|parameter q" \
  "limit-word|/search?q=kopi&limit=x|parameter limit" \
  "limit-zero|/search?q=kopi&limit=0|parameter limit" \
  "limit-big|/search?q=kopi&limit=101|parameter limit" \
  "offset-neg|/search?q=kopi&offset=-1|parameter offset" \
  "offset-big|/search?q=kopi&offset=10001|parameter offset" \
  "q-utf8|/search?q=%FF%FE|parameter q"; do
  id=${case%%|*} rest=${case#*|}
  expect_eq "$id" "$(req GET "${rest%%|*}")" 400
  expect_has "$id-msg" "$(jget '$.error')" "${rest#*|}"
done
long=$(head -c 1025 /dev/zero | tr '\0' a)
expect_eq q-too-long "$(req GET "/search?q=$long")" 400
expect_has q-too-long-msg "$(jget '$.error')" "limit of 1024"
expect_eq q-at-limit "$(req GET "/search?q=$(head -c 1024 /dev/zero | tr '\0' a)")" 200
# Filters, sorting and facets: the JSON of `cari search --json` with the
# same options (its facets too), for each row: ID|PARAMETERS|CLI OPTIONS.
same_as_cli() { # ID QUERY-STRING CLI-ARGS...: 200 and the CLI's JSON
  sid=$1 qs=$2; shift 2
  expect_eq "$sid" "$(req GET "/search?$qs")" 200
  "$CARI" search --db "$DB" --json "$@" >"$T_DIR/cli.json"
  expect_eq "$sid-as-cli" "$(sqlite3 :memory: "SELECT json_remove(readfile('$T_DIR/body'), '\$.took_ms')
    = json(readfile('$T_DIR/cli.json'))")" 1
}
same_as_cli tag 'q=warga&tag=komunitas' --tag komunitas warga
same_as_cli tag-case 'q=warga&tag=%20Komunitas%20' --tag ' Komunitas ' warga
same_as_cli tags 'q=warga&tag=komunitas&tag=arisan' --tag komunitas --tag arisan warga
same_as_cli tag-none 'q=warga&tag=tidak-ada' --tag tidak-ada warga
same_as_cli dates 'q=warga&from=2024-03-01&to=2024-06-30' --from 2024-03-01 --to 2024-06-30 warga
same_as_cli sort-date 'q=warga&sort=date&limit=5' --sort date --limit 5 warga
same_as_cli sort-relevance 'q=warga&sort=relevance' --sort relevance warga
same_as_cli facets 'q=warga&facets=1' --facets warga
same_as_cli facets-limit 'q=warga&facets=1&facet_limit=2&tag=kampung' --facets --facet-limit 2 --tag kampung warga
same_as_cli all 'q=warga+komunitas&facets=1&tag=komunitas&from=2024-01-01&sort=date&limit=2&offset=1' \
  --facets --tag komunitas --from 2024-01-01 --sort date --limit 2 --offset 1 warga komunitas
req GET '/search?q=warga&facets=1' >/dev/null
expect_eq facets-tags "$(jget '$.facets.tags.kampung')" 3
expect_eq facets-first "$(sqlite3 :memory: "SELECT key FROM json_each(readfile('$T_DIR/body'), '\$.facets.tags') LIMIT 1")" kampung
req GET '/search?q=warga' >/dev/null
expect_eq facets-off "$(jget '$.facets')" ""
# Bad filters: 400 naming the parameter.
for case in "from-bad|/search?q=kopi&from=2024-13-01|parameter from" \
  "to-bad|/search?q=kopi&to=kemarin|parameter to" \
  "sort-bad|/search?q=kopi&sort=terbaru|parameter sort" \
  "facets-bad|/search?q=kopi&facets=ya|parameter facets" \
  "facet-limit-bad|/search?q=kopi&facets=1&facet_limit=0|parameter facet_limit" \
  "tag-utf8|/search?q=kopi&tag=%FF|parameter tag" \
  "tags-many|/search?q=kopi$(i=0; while [ $i -lt 17 ]; do printf '&tag=t%d' $i; i=$((i + 1)); done)|parameter tag"; do
  id=${case%%|*} rest=${case#*|}
  expect_eq "$id" "$(req GET "${rest%%|*}")" 400
  expect_has "$id-msg" "$(jget '$.error')" "${rest#*|}"
done
expect_eq tags-sixteen "$(req GET "/search?q=kopi$(i=0; while [ $i -lt 16 ]; do printf '&tag=t%d' $i; i=$((i + 1)); done)")" 200

# GET /related/{id}: the JSON of `cari related --json`, plus took_ms.
expect_eq related "$(req GET '/related/komunitas-penulis-muda?limit=3')" 200
"$CARI" related --db "$DB" --json --limit 3 komunitas-penulis-muda >"$T_DIR/cli.json"
expect_eq related-as-cli "$(sqlite3 :memory: "SELECT json_remove(readfile('$T_DIR/body'), '\$.took_ms')
  = json(readfile('$T_DIR/cli.json'))")" 1
expect_eq related-n "$(sqlite3 :memory: "SELECT json_array_length(readfile('$T_DIR/body'), '\$.results')")" 3
expect_eq related-not-self "$(sqlite3 :memory: "SELECT count(*) FROM json_each(readfile('$T_DIR/body'), '\$.results') WHERE json_extract(value, '\$.id') = 'komunitas-penulis-muda'")" 0
expect_eq related-missing "$(req GET '/related/tidak-ada')" 404
expect_has related-missing-msg "$(jget '$.error')" "tidak-ada"
expect_eq related-limit-bad "$(req GET '/related/komunitas-penulis-muda?limit=0')" 400
expect_has related-limit-msg "$(jget '$.error')" "parameter limit"
expect_eq related-empty-id "$(req GET '/related/')" 404
expect_eq related-post "$(req POST '/related/komunitas-penulis-muda')" 405
# GET /suggest: the JSON of `cari suggest --json`, plus took_ms.
for case in "kom|kom|kom" "kopi-pa|kopi%20pa|kopi pa" "none|zzqx|zzqx"; do
  id=${case%%|*} rest=${case#*|}
  expect_eq "suggest-$id" "$(req GET "/suggest?q=${rest%%|*}&limit=4")" 200
  "$CARI" suggest --db "$DB" --json --limit 4 "${rest#*|}" >"$T_DIR/cli.json"
  expect_eq "suggest-$id-as-cli" "$(sqlite3 :memory: "SELECT json_remove(readfile('$T_DIR/body'), '\$.took_ms')
    = json(readfile('$T_DIR/cli.json'))")" 1
done
req GET '/suggest?q=kom' >/dev/null
expect_eq suggest-first "$(jget '$.suggestions[0].word')" komunitas
expect_eq suggest-no-q "$(req GET '/suggest')" 400
expect_has suggest-no-q-msg "$(jget '$.error')" "parameter q"
expect_eq suggest-limit-bad "$(req GET '/suggest?q=kom&limit=101')" 400
expect_has suggest-limit-msg "$(jget '$.error')" "parameter limit"
# Unknown paths 404, wrong methods 405 (with Allow), both JSON.
expect_eq not-found "$(req GET /nope)" 404
expect_has not-found-json "$(jget '$.error')" "no such path"
expect_eq not-found-articles "$(req GET /articles/)" 404
expect_eq post-search "$(req POST /search)" 405
expect_has post-search-json "$(jget '$.error')" "not allowed"
expect_eq get-article "$(req GET /articles/x)" 405
expect_eq get-optimize "$(req GET /optimize)" 405
expect_eq delete-root "$(req DELETE /)" 405
expect_has allow-header "$(curl -s -D - -o /dev/null -X GET "$U/articles/x")" "Allow: PUT, DELETE"
# The page, its stylesheet, health.
expect_eq page "$(req GET /)" 200
expect_has page-form "$(body)" '<label for="q">'
expect_eq page-q "$(req GET '/?q=komunitas')" 200
expect_has page-count "$(body)" "hasil untuk"
expect_has page-mark "$(body)" "<mark>"
expect_eq page-none "$(req GET '/?q=zzqxv%3Cb%3E')" 200
expect_has page-none-msg "$(body)" "Tidak ada hasil untuk"
expect_has page-none-escaped "$(body)" "zzqxv&lt;b&gt;"
expect_eq page-bad-page "$(req GET '/?q=kopi&page=0')" 400
# The page's filters: tags as links that filter, the sort switch, facet
# counts as filter links, the filters kept by the form and the links.
req GET '/?q=warga' >/dev/null
expect_has page-tag-link "$(body)" 'href="/?q=warga&amp;tag=kampung" rel="tag">kampung</a>'
expect_has page-sort-link "$(body)" 'href="/?q=warga&amp;sort=date">terbaru</a>'
expect_has page-facet "$(body)" 'href="/?q=warga&amp;tag=kampung">kampung <span class="n">3</span></a>'
expect_has page-year "$(body)" 'href="/?q=warga&amp;from=2024-01-01&amp;to=2024-12-31">2024 <span class="n">7</span></a>'
expect_eq page-tag "$(req GET '/?q=warga&tag=kampung&sort=date')" 200
expect_has page-tag-count "$(body)" '3 hasil untuk'
expect_has page-tag-hidden "$(body)" '<input type="hidden" name="tag" value="kampung">'
expect_has page-sort-hidden "$(body)" '<input type="hidden" name="sort" value="date">'
expect_has page-tag-drop "$(body)" 'href="/?q=warga&amp;sort=date" class="chip"'
expect_has page-tag-current "$(body)" '<li aria-current="true"><strong>kampung</strong>'
expect_has page-sort-current "$(body)" '<strong aria-current="true">terbaru</strong>'
expect_has page-keeps-filters "$(body)" 'href="/?q=warga&amp;tag=kampung&amp;tag=rt-rw&amp;sort=date"'
expect_eq page-bad-date "$(req GET '/?q=kopi&from=kemarin')" 400
expect_has page-bad-date-msg "$(body)" 'Saringan tidak sah'
expect_has page-datalist "$(body)" '<datalist id="saran">' 
expect_has page-csp "$(curl -s -D - -o /dev/null "$U/")" "Content-Security-Policy"
expect_eq js "$(req GET /app.js)" 200
expect_has js-body "$(body)" "DOMParser"
expect_has js-suggest "$(body)" "/suggest?"
expect_eq css "$(req GET /style.css)" 200
expect_has css-body "$(body)" "mark"
expect_eq health "$(req GET /health)" 200
expect_eq health-count "$(jget '$.articles')" "$N0"
expect_eq health-writes "$(jget '$.writes')" 1

# ---- the token: without it nothing changes -------------------------------
art='{"title":"Kucing oranye di genteng","author":"Bu Sari","body":"Seekor kucing oranye tidur di atas genteng rumah pak lurah."}'
expect_eq put-no-token "$(req PUT /articles/kucing -d "$art")" 401
expect_has put-no-token-json "$(jget '$.error')" "Authorization"
expect_eq put-bad-token "$(req PUT /articles/kucing -H 'Authorization: Bearer wrong-token-wrong-token' -d "$art")" 401
expect_eq put-prefix-token "$(req PUT /articles/kucing -H 'Authorization: Bearer a-token-for-the-tests' -d "$art")" 401
expect_eq put-basic "$(req PUT /articles/kucing -H 'Authorization: Basic YTpi' -d "$art")" 401
expect_eq post-no-token "$(req POST /articles --data-binary "{\"id\":\"k2\",\"title\":\"genteng\"}")" 401
expect_eq delete-no-token "$(req DELETE /articles/komunitas-penulis-muda)" 401
expect_eq optimize-no-token "$(req POST /optimize)" 401
expect_eq unchanged-count "$("$CARI" check --db "$DB" | sed 's/^ok: \([0-9]*\) articles.*/\1/')" "$N0"
expect_eq unchanged-search "$(search_count genteng)" 0
expect_eq unchanged-kept "$(search_count komunitas)" 6

# ---- writes: PUT found by the next search, DELETE removes it --------------
expect_eq put "$(req PUT /articles/kucing -H "$AUTH" -d "$art")" 200
expect_eq put-status "$(jget '$.status')" stored
expect_eq put-found "$(search_count genteng)" 1
expect_eq put-found-id "$(jget '$.results[0].id')" kucing
expect_eq put-author "$(jget '$.results[0].author')" "Bu Sari"
req GET '/?q=genteng' >/dev/null
expect_has put-author-page "$(body)" "oleh Bu Sari"
expect_eq put-replace "$(req PUT /articles/kucing -H "$AUTH" -d '{"title":"Anjing","body":"Seekor anjing di halaman."}')" 200
expect_eq put-replaced "$(search_count genteng)" 0
expect_eq put-id-in-body "$(req PUT /articles/k3 -H "$AUTH" -d '{"id":"k3","title":"Genteng baru"}')" 200
expect_eq put-id-mismatch "$(req PUT /articles/k4 -H "$AUTH" -d '{"id":"k5","title":"Genteng"}')" 400
expect_has put-id-mismatch-msg "$(jget '$.error')" '"id"'
expect_eq put-bad-json "$(req PUT /articles/k4 -H "$AUTH" -d '{"title":')" 400
expect_has put-bad-json-msg "$(jget '$.error')" "invalid JSON"
expect_eq put-no-text "$(req PUT /articles/k4 -H "$AUTH" -d '{"url":"/x"}')" 400
expect_eq put-bad-field "$(req PUT /articles/k4 -H "$AUTH" -d '{"title":5}')" 400
expect_has put-bad-field-msg "$(jget '$.error')" '"title"'
head -c 70000 /dev/zero | tr '\0' a >"$T_DIR/big"
expect_eq put-too-big "$(req PUT /articles/k4 -H "$AUTH" --data-binary @"$T_DIR/big")" 413
expect_eq put-not-stored "$(search_count genteng)" 1
expect_eq delete "$(req DELETE /articles/k3 -H "$AUTH")" 200
expect_eq delete-gone "$(search_count genteng)" 0
expect_eq delete-again "$(req DELETE /articles/k3 -H "$AUTH")" 404
expect_has delete-again-json "$(jget '$.error')" "k3"
# An id with a slash and non-ASCII letters, percent-encoded in the path.
expect_eq put-odd-id "$(req PUT '/articles/2024/caf%C3%A9' -H "$AUTH" -d '{"title":"Genteng kafe"}')" 200
expect_eq put-odd-id-found "$(search_count genteng) $(jget '$.results[0].id')" "1 2024/café"
expect_eq delete-odd-id "$(req DELETE '/articles/2024/caf%C3%A9' -H "$AUTH")" 200
# POST /articles: JSONL, one batch: all lines or none.
printf '%s\n' '{"id":"b1","title":"Genteng satu"}' '' '{"id":2,"body":"genteng dua","tags":["a","b"]}' >"$T_DIR/ok.jsonl"
expect_eq post "$(req POST /articles -H "$AUTH" --data-binary @"$T_DIR/ok.jsonl")" 200
expect_eq post-stored "$(jget '$.stored')" 2
expect_eq post-found "$(search_count genteng)" 2
printf '%s\n' '{"id":"b3","title":"Genteng tiga"}' '{"id":"b4"}' >"$T_DIR/bad.jsonl"
expect_eq post-bad "$(req POST /articles -H "$AUTH" --data-binary @"$T_DIR/bad.jsonl")" 400
expect_has post-bad-line "$(jget '$.error')" "line 2"
expect_eq post-bad-none "$(search_count genteng)" 2
expect_eq post-empty "$(req POST /articles -H "$AUTH" --data-binary '')" 400
# POST /optimize: waits with ?wait=1; health counts it.
expect_eq optimize "$(req POST '/optimize?wait=1' -H "$AUTH")" 200
req GET /health >/dev/null
expect_eq optimized "$(jget '$.index.optimizes')" 1
expect_eq optimize-async "$(req POST /optimize -H "$AUTH")" 202
expect_eq check-after "$("$CARI" check --db "$DB" >/dev/null; echo $?)" 0

# ---- concurrent searches during writes -----------------------------------
: >"$T_DIR/codes"
( i=0; while [ $i -lt 40 ]; do
    curl -s -o /dev/null -w '%{http_code}\n' -X PUT -H "$AUTH" \
      -d "{\"title\":\"Genteng ke-$i\",\"body\":\"tulisan genteng nomor $i\"}" \
      "$U/articles/c$i"
    i=$((i + 1))
  done >"$T_DIR/puts" ) &
w=$!
for r in 1 2 3 4; do
  ( i=0; while [ $i -lt 40 ]; do
      curl -s -o /dev/null -w '%{http_code}\n' "$U/search?q=genteng+komunitas"
      i=$((i + 1))
    done >"$T_DIR/gets$r" ) &
  eval "g$r=\$!"
done
wait "$w" "$g1" "$g2" "$g3" "$g4"
expect_eq concurrent-puts "$(grep -c '^200$' "$T_DIR/puts")" 40
expect_eq concurrent-gets "$(cat "$T_DIR"/gets* | grep -c '^200$')" 160
expect_eq concurrent-all-found "$(search_count genteng)" 42
expect_eq concurrent-check "$("$CARI" check --db "$DB" >/dev/null; echo $?)" 0
# 40 changes passed the threshold (a tenth of the articles, at least 32):
# the server optimizes by itself, in the background.
req GET /health >/dev/null
expect_eq auto-threshold "$(jget '$.index.optimize_after')" 32
i=0
while [ $i -lt 200 ]; do
  req GET /health >/dev/null
  [ "$(jget '$.index.optimizes')" -ge 3 ] && [ "$(jget '$.index.optimizing')" = 0 ] && break
  sleep 0.1
  i=$((i + 1))
done
expect_eq auto-optimized "$(jget '$.index.optimizes')" 3
ok auto-changes-left [ "$(jget '$.index.changes_since_optimize')" -lt 32 ]
expect_eq auto-last "$(jget '$.index.last_optimize')" "ok"
expect_eq auto-check "$("$CARI" check --db "$DB" >/dev/null; echo $?)" 0

# ---- a read-only server: no token, no writes -----------------------------
start ro --db "$DB" --quiet
expect_eq ro-put "$(req PUT /articles/z -H "$AUTH" -d '{"title":"x"}')" 403
expect_has ro-put-msg "$(jget '$.error')" "--token-file"
expect_eq ro-search "$(req GET '/search?q=kopi')" 200
kill -TERM "$PID"; wait "$PID"
expect_eq ro-stop $? 0
expect_eq ro-quiet "$(grep -c '^GET ' "$T_DIR/ro.log")" 0

# ---- the access log, and a graceful stop ----------------------------------
U=$MAIN_U
req GET '/search?q=rahasiaku+pribadi' >/dev/null
log=$T_DIR/main.log
expect_has log-line "$(cat "$log")" "GET /search 200 "
expect_eq log-no-query "$(grep -c rahasiaku "$log")" 0
expect_eq log-format "$(grep -E '^[A-Z]+ /' "$log" | grep -cvE '^[A-Z]+ /[^ ]* [0-9]{3} [0-9]+$')" 0
expect_has log-401 "$(cat "$log")" "PUT /articles/kucing 401 "
# A slow upload is in flight when SIGTERM arrives: it completes and lands.
i=0; while [ $i -lt 400 ]; do
  printf '{"id":"slow%d","title":"Lambat","body":"unggahan lambat %d"}\n' $i $i
  i=$((i + 1))
done >"$T_DIR/slow.jsonl"
curl -s -o "$T_DIR/slow.out" -w '%{http_code}' --limit-rate 10K -X POST \
  -H "$AUTH" --data-binary @"$T_DIR/slow.jsonl" "$U/articles" >"$T_DIR/slow.code" &
c=$!
sleep 0.5
kill -TERM "$MAIN"
wait "$c"
wait "$MAIN"
expect_eq stop-exit $? 0
expect_eq stop-inflight "$(cat "$T_DIR/slow.code")" 200
expect_has stop-log "$(cat "$log")" "cari serve: stopped"
"$CARI" search --db "$DB" --json --limit 1 lambat >"$T_DIR/body"
expect_eq stop-landed "$(jget '$.total')" 400
expect_eq stop-refused "$(curl -s -o /dev/null -w '%{http_code}' "$U/health")" 000
expect_eq stop-check "$("$CARI" check --db "$DB" >/dev/null; echo $?)" 0

# ---- examples/blog_handler.c ---------------------------------------------
out=$("$B/examples/blog_handler" "$DB" komunitas "kopi pagi" "?!"); rc=$?
expect_eq example-exit $rc 0
expect_eq example-lines "$(echo "$out" | wc -l)" 3
expect_has example-first "$(echo "$out" | head -n 1)" '"query":"komunitas","results":[{"id":'
expect_has example-error "$(echo "$out" | tail -n 1)" '"error":"the query has no words'
report serve
