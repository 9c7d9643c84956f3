#!/bin/sh
# readonly.sh — searching a database one may only read: a web user with
# read permission on the file but none on its folder. Run as root, the
# reader is `nobody` (setpriv); otherwise permissions are dropped with chmod.
# It does not test writing; cli.sh does.
. "$(dirname "$0")/lib"
chmod 755 "$T_DIR"
D=$T_DIR/ro
mkdir "$D" "$T_DIR/bin"
cp "$CARI" "$T_DIR/bin/cari" && chmod 755 "$T_DIR/bin" "$T_DIR/bin/cari"
ok ro-index "$CARI" index --db "$D/a.db" corpus/articles
# A copy of the file alone, as a deployment that ships only the .db does.
ok ro-copy-dir mkdir "$D/copy"
ok ro-copy cp "$D/a.db" "$D/copy/a.db"
ok ro-wal-kept [ -f "$D/a.db-wal" ] && [ -f "$D/a.db-shm" ]
chmod 444 "$D/a.db" "$D/a.db-wal" "$D/a.db-shm" "$D/copy/a.db"
chmod 555 "$D" "$D/copy"
if [ "$(id -u)" = 0 ]; then
  as_reader() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
else
  as_reader() { "$@"; }
fi
for db in "$D/a.db" "$D/copy/a.db"; do
  name=${db#"$D"/}
  out=$(as_reader "$T_DIR/bin/cari" search --db "$db" komunitas 2>&1); rc=$?
  expect_eq "ro-search-exit $name" "$rc" 0
  expect_has "ro-search-found $name" "$out" "komunitas-penulis-muda"
  out=$(as_reader "$T_DIR/bin/cari" search --json --db "$db" '"balai desa"' 2>&1)
  expect_has "ro-phrase $name" "$out" '"results":[{'
  out=$(as_reader "$T_DIR/bin/cari" check --db "$db" 2>&1); rc=$?
  expect_eq "ro-check-exit $name" "$rc" 0
  expect_has "ro-check-says $name" "$out" "read-only"
  as_reader "$T_DIR/bin/cari" rm --db "$db" komunitas-penulis-muda 2>"$T_DIR/err"
  expect_eq "ro-rm-refused $name" $? 3
  expect_has "ro-rm-msg $name" "$(cat "$T_DIR/err")" "readonly"
done
# Nothing was created beside the copy.
expect_eq ro-nothing-created "$(ls "$D/copy")" "a.db"
chmod -R u+w "$D"
report readonly
