#!/bin/sh
# browser.sh — the search page of `cari serve` in a real browser: Debian's
# headless Chromium driven by playwright-core (tests/browser/browser.mjs).
# Installs what it needs, as tools/deps does: the chromium package (as
# root, with apt-get) and playwright-core from tests/browser/package.json
# and its lock file (npm ci, into the git-ignored tests/browser/node_modules).
# Saves a screenshot of a results page to BUILD/serve.png (docs/serve.png
# in the README is a copy of one).
. "$(dirname "$0")/lib"
here=$(cd "$(dirname "$0")/../browser" && pwd)
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
  echo "browser.sh: installing chromium"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq chromium >/dev/null 2>&1 ||
    { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
fi
if ! command -v chromium >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "browser.sh: needs chromium and npm (as root this test installs chromium)"
  echo "browser: 0 passed, 1 failed"
  exit 1
fi
if [ ! -d "$here/node_modules/playwright-core" ] ||
   [ "$here/package-lock.json" -nt "$here/node_modules/playwright-core" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error) ||
    { echo "browser: 0 passed, 1 failed"; exit 1; }
  touch "$here/node_modules/playwright-core"
fi

DB=$T_DIR/b.db
echo "a-token-for-the-browser-test-0123" >"$T_DIR/token"
AUTH="Authorization: Bearer a-token-for-the-browser-test-0123"
"$CARI" index --db "$DB" corpus/articles 2>/dev/null
expect_eq index $? 0
"$CARI" serve --db "$DB" --listen 127.0.0.1:0 --token-file "$T_DIR/token" \
  --quiet 2>"$T_DIR/log" &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$T_DIR"' EXIT
i=0 U=
while [ $i -lt 100 ] && [ -z "$U" ]; do
  U=$(sed -n 's|^cari serve: listening on \(http://[0-9.:]*\)/.*|\1|p' "$T_DIR/log")
  [ -n "$U" ] || sleep 0.05
  i=$((i + 1))
done
ok started [ -n "$U" ]

# Enough articles about komunitas for two pages, through the API.
i=1
while [ $i -le 12 ]; do
  printf '{"id":"kegiatan-%d","title":"Catatan kegiatan warga ke-%d","url":"https://contoh.id/kegiatan-%d","date":"2025-01-%02d","tags":["Gotong"],"body":"Catatan kegiatan warga yang ke-%d. Pagi itu kami kerja bakti membersihkan selokan, siangnya arisan ibu-ibu, dan malamnya rapat pengurus di balai desa. Kegiatan seperti ini membuat komunitas kecil kami tetap akrab, walau tidak semua orang sempat datang setiap kali. Sebagian warga menyumbang makanan, sebagian lagi meminjamkan alat, dan anak-anak membantu mengangkat sampah ke gerobak."}\n' $i $i $i $i $i
  i=$((i + 1))
done >"$T_DIR/more.jsonl"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "$AUTH" \
  --data-binary @"$T_DIR/more.jsonl" "$U/articles")
expect_eq post-articles "$code" 200
# An article whose title and body hold markup and script.
x1='<script>alert(1)</script>'
x2='\"><img src=x onerror=alert(1)>'
code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H "$AUTH" \
  -d "{\"title\":\"Uji jahil $x1 $x2\",\"url\":\"javascript:alert(1)\",\"tags\":[\"$x2\",\"$x1\"],\"body\":\"Artikel jahil $x1 lalu $x2 di tengah tulisan biasa.\"}" \
  "$U/articles/jahil")
expect_eq put-hostile "$code" 200

node "$here/browser.mjs" "$U" "$B/serve.png" >"$T_DIR/out" 2>&1
rc=$?
cat "$T_DIR/out"
line=$(grep -E '^browser: [0-9]+ passed, [0-9]+ failed$' "$T_DIR/out")
p=$(echo "$line" | sed -n 's/^browser: \([0-9]*\) passed.*/\1/p')
f=$(echo "$line" | sed -n 's/.*passed, \([0-9]*\) failed$/\1/p')
T_PASS=$((T_PASS + ${p:-0})) T_FAIL=$((T_FAIL + ${f:-1}))
[ "$rc" -eq 0 ] || [ "${f:-1}" -gt 0 ] || T_FAIL=$((T_FAIL + 1))
ok screenshot [ -s "$B/serve.png" ]
kill -TERM $pid; wait $pid
expect_eq stop $? 0
report browser
