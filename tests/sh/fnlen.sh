#!/bin/sh
# fnlen.sh — no function of the library is longer than 100 lines
# (tools/fnlen over every .c of mem/, stemmer-id/, indexer/, query/, lib/ and
# corpus/'s readers). First the counter's own rows: made-up files whose
# longest function is known, so that a counter which never fails fails here.
# It does not judge programs beside the library (corpus/builders/, bench/).
. "$(dirname "$0")/lib"
F=tools/fnlen
# body N: a function whose definition is N lines long, with braces in a
# string, a character constant and comments that must not count.
body() {
  echo "static int f$1(int a,"
  echo "                int b) {"
  i=3
  while [ "$i" -lt "$1" ]; do
    case $((i % 4)) in
      0) echo '  a += "{"[0];' ;;
      1) echo "  b += '}'; /* { */" ;;
      2) echo '  // }' ;;
      *) echo '  a++;' ;;
    esac
    i=$((i + 1))
  done
  echo "}"
}
{ echo "#define M(x) do { \\"; echo "  x; } while (0)"
  echo "struct s { int a; };"; echo "static const int t[] = {1, 2};"
  body 100; body 12; } >"$T_DIR/ok.c"
{ body 30; body 101; } >"$T_DIR/long.c"
out=$(sh "$F" "$T_DIR/ok.c" 2>&1); rc=$?
expect_eq fnlen-100-passes "$rc:$out" "0:"
out=$(sh "$F" "$T_DIR/long.c" 2>&1); rc=$?
expect_eq fnlen-101-fails "$rc:$out" "1:$T_DIR/long.c:31: f101 is 101 lines (limit 100)"
out=$(sh "$F" --max 11 "$T_DIR/ok.c" 2>&1); rc=$?
expect_has fnlen-max "$rc:$out" "1:$T_DIR/ok.c:5: f100 is 100 lines (limit 11)"
expect_has fnlen-max-second "$out" "ok.c:105: f12 is 12 lines (limit 11)"
sh "$F" --max x "$T_DIR/ok.c" 2>/dev/null
expect_eq fnlen-usage $? 2
# The library.
for f in mem/*.c stemmer-id/*.c indexer/*.c query/*.c lib/*.c corpus/*.c; do
  out=$(sh "$F" "$f" 2>&1); rc=$?
  expect_eq "fnlen $f" "$rc:$out" "0:"
done
report fnlen
