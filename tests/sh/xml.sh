#!/bin/sh
# xml.sh — blog exports, feeds and scraped pages through the `cari` command
# (issue 14): per-format counts in --json, what is not an article never
# searchable, malformed XML reported with line and column while the other
# files of the run are indexed, authors stored and shown, --format for
# stdin, the scraped example's title, author and missing navigation, and a
# database written before authors opening read-only and read-write.
. "$(dirname "$0")/lib"
X=tests/data/xml
DB=$T_DIR/x.db
export CARI_DB=$DB
jget() { sqlite3 :memory: "SELECT json_extract(readfile('$1'), '\$.$2')"; }

"$CARI" index --json $X/wxr-1.2.xml $X/malformed.xml $X/blogger.xml \
  $X/rss2.xml >"$T_DIR/i.json" 2>"$T_DIR/err"; rc=$?
expect_eq index-exit $rc 1
expect_has malformed-msg "$(cat "$T_DIR/err")" \
  "malformed.xml:10:81: Opening and ending tag mismatch"
expect_has empty-entry-msg "$(cat "$T_DIR/err")" "rss2.xml:48: entry 5"
expect_eq json-indexed "$(jget "$T_DIR/i.json" indexed)" 11
expect_eq wxr-indexed "$(jget "$T_DIR/i.json" formats.wxr.indexed)" 3
expect_eq wxr-drafts "$(jget "$T_DIR/i.json" formats.wxr.passed.draft)" 1
expect_eq wxr-menu "$(jget "$T_DIR/i.json" formats.wxr.passed.nav_menu_item)" 1
expect_eq wxr-attach "$(jget "$T_DIR/i.json" formats.wxr.passed.attachment)" 1
expect_eq wxr-rev "$(jget "$T_DIR/i.json" formats.wxr.passed.revision)" 1
expect_eq blogger-indexed "$(jget "$T_DIR/i.json" formats.blogger.indexed)" 2
expect_eq blogger-comments "$(jget "$T_DIR/i.json" formats.blogger.passed.comment)" 1
expect_eq blogger-template "$(jget "$T_DIR/i.json" formats.blogger.passed.template)" 1
expect_eq rss2-indexed "$(jget "$T_DIR/i.json" formats.rss2.indexed)" 6
expect_eq rss2-malformed "$(jget "$T_DIR/i.json" formats.rss2.malformed)" 2
expect_eq count "$("$CARI" check)" "ok: 11 articles, stemmer cari"

# Drafts, private and protected posts, revisions, comments: not searchable.
for w in gudeg rahasia kastengel; do
  "$CARI" search "$w" >"$T_DIR/o" 2>&1; rc=$?
  expect_eq "not-indexed-$w" "$rc:$(cat "$T_DIR/o")" "1:"
done
"$CARI" search --json soto >"$T_DIR/s.json"; rc=$?
expect_eq soto-exit $rc 0
expect_eq soto-author "$(jget "$T_DIR/s.json" 'results[0].author')" sari
expect_eq soto-date "$(jget "$T_DIR/s.json" 'results[0].date')" \
  2026-11-01T02:30:00Z
expect_has soto-text "$("$CARI" search soto)" "Resep Soto Betawi Santan — sari"
out=$("$CARI" search nastar)
expect_has blogger-post "$out" "Kue Nastar Lembut — Ibu Ratna"

# stdin with --format; an unknown format is a usage error.
"$CARI" index --format xml - <$X/rss1.xml >/dev/null 2>&1; rc=$?
expect_eq stdin-xml $rc 0
expect_has stdin-found "$("$CARI" search donasi)" "Donasi Buku"
"$CARI" index --format yaml - </dev/null >/dev/null 2>&1; rc=$?
expect_eq bad-format $rc 2
"$CARI" index $X/laughs.xml >/dev/null 2>"$T_DIR/err"; rc=$?
expect_eq laughs-exit $rc 1
expect_has laughs-msg "$(cat "$T_DIR/err")" "entity reference loop"

# The summary on a terminal: a line per format, what was passed over, why.
if command -v script >/dev/null 2>&1; then
  out=$(script -qec "$CARI index --db $T_DIR/t.db --optimize never \
    $X/wxr-1.2.xml $X/blogger.xml" /dev/null | tr '\r' '\n')
  expect_has tty-wxr "$out" "wxr: 3 indexed; 6 passed over (1 draft, 1 private, 1 attachment, 1 revision, 1 nav_menu_item, 1 password-protected)"
  expect_has tty-blogger "$out" "blogger: 2 indexed; 5 passed over (1 settings, 1 template, 1 comment, 1 draft, 1 page)"
else
  echo "skipped: script(1) not found, the terminal summary is not checked"
fi

# The scraped example: headline, byline, no navigation.
S=$T_DIR/s.db
"$CARI" index --db "$S" tests/data/boiler/komunitas.txt >/dev/null; rc=$?
expect_eq scraped-exit $rc 0
"$CARI" search --db "$S" --json komunitas sejati >"$T_DIR/k.json"
expect_eq scraped-title "$(jget "$T_DIR/k.json" 'results[0].title')" \
  "Komunitas Sejati Bukan di Dunia Maya"
expect_eq scraped-author "$(jget "$T_DIR/k.json" 'results[0].author')" \
  "Ino Permana"
for w in skip sidebar footer bagikan whatsapp komentar copyright; do
  "$CARI" search --db "$S" "$w" >"$T_DIR/o" 2>&1; rc=$?
  expect_eq "scraped-no-$w" "$rc:$(cat "$T_DIR/o")" "1:"
done

# A database from before authors: search (which opens it read-only) shows
# none, a writer adds the column.
O=$T_DIR/old.db
"$CARI" index --db "$O" $X/rss1.xml >/dev/null
ok drop-author sqlite3_ext -cmd ".load $B/cari_indonesian" "$O" \
  "ALTER TABLE articles DROP COLUMN author"
"$CARI" search --db "$O" --json buku >"$T_DIR/o.json"; rc=$?
expect_eq old-ro-exit $rc 0
expect_eq old-ro-author "$(jget "$T_DIR/o.json" 'results[0].author')" ""
"$CARI" index --db "$O" $X/rss1.xml >/dev/null; rc=$?
expect_eq old-rw-exit $rc 0
"$CARI" search --db "$O" --json mobil >"$T_DIR/o.json"
expect_eq old-rw-author "$(jget "$T_DIR/o.json" 'results[0].author')" \
  "Rina Marlina"
report xml
