#!/bin/sh
# fuzz_regressions.sh — every fuzz target's seeds and saved crash inputs
# (tests/fuzz/seeds/T, tests/fuzz/regressions/T) replayed through the same
# entry point as under libFuzzer, by the plain programs BUILD/fuzz-replay/
# fuzz_T (no clang needed). One check per input file: the target's own
# checks abort on failure. It does not fuzz (`make fuzz` does).
. "$(dirname "$0")/lib"
F=$(cd "$(dirname "$0")/../fuzz" && pwd)
for t in query search analyze jsonl markdown html text xml; do
  set -- "$F/seeds/$t"
  [ -d "$F/regressions/$t" ] && set -- "$@" "$F/regressions/$t"
  want=$(find "$@" -type f ! -name '.*' | wc -l)
  out=$("$B/fuzz-replay/fuzz_$t" "$@" 2>&1); rc=$?
  last=$(echo "$out" | tail -n 1)
  if [ "$rc" -eq 0 ] && [ "$last" = "fuzz_$t: $want passed, 0 failed" ]; then
    T_PASS=$((T_PASS + want))
  else
    T_FAIL=$((T_FAIL + 1))
    printf 'FAIL [replay-%s] exit %s, want %s inputs passed:\n%s\n' "$t" \
      "$rc" "$want" "$(echo "$out" | tail -n 15)" >&2
  fi
done
report fuzz_regressions
