#!/usr/bin/env bash
# Every patch the kit keeps against reference/src still applies: the written mutants
# (grader/mutants/<unit>/*.patch), the plain implementations ./kit perf-calibrate times
# (grader/perf/plain/<unit>.patch) and the sandbox's test submissions (grader/sandbox-tests/,
# against linear.cpp) and the fuzz stage's demonstration (grader/fuzz/*.patch, against the
# whole tree). Only the mutants are applied by ./kit test's later stages; without this
# check the others would rot unseen when the lines they touch move.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
bad=0 n=0
check() {  # check PATCH UNIT
  rm -rf "$work/src" && mkdir -p "$work/src" && cp "$root/reference/src/$2.cpp" "$work/src/"
  n=$((n + 1))
  (cd "$work/src" && git apply --check -p1 "$1" 2>"$work/err") && return 0
  printf '%s does not apply to reference/src/%s.cpp any more:\n' "${1#"$root"/}" "$2"
  sed 's/^/    /' "$work/err"
  bad=$((bad + 1))
}
for p in "$root"/grader/mutants/*/*.patch; do check "$p" "$(basename "$(dirname "$p")")"; done
for p in "$root"/grader/perf/plain/*.patch; do check "$p" "$(basename "$p" .patch)"; done
for p in "$root"/grader/sandbox-tests/*.patch; do check "$p" linear; done
for p in "$root"/grader/fuzz/*.patch; do
  n=$((n + 1))
  (cd "$root" && git apply --check "$p" 2>"$work/err") && continue
  printf '%s does not apply to the tree any more:\n' "${p#"$root"/}"; sed 's/^/    /' "$work/err"
  bad=$((bad + 1))
done
[ "$bad" -eq 0 ] || { printf '%d of %d patches need re-basing (their lines moved)\n' "$bad" "$n"; exit 1; }
printf 'all %d patches apply\n' "$n"
