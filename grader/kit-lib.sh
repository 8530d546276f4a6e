# nnkit's shell library: what ./kit (students), grader/staff (course staff) and grader/maintain
# (maintainers) share: the packages each path needs and installs, building with CMake, running the
# checks with CTest and reporting them. Sourced, not run.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Debian packages. The core builds and grades; the oracle (PyTorch) is for
# the maintainers' full test only; students never need it.
CORE_PKGS=(g++ cmake ninja-build git libxtensor-dev libxtensor-blas-dev catch2 libopenblas-dev libopenblas0-openmp nlohmann-json3-dev libstb-dev zlib1g-dev)
ORACLE_PKGS=(python3 python3-numpy python3-torch python3-torchvision dataset-fashion-mnist)
BENCH_PKGS=(libbenchmark-dev)
# PNG plots with axes and legends (./kit train, lesson 4's pictures): PLplot, its cairo driver, a font.
PLOT_PKGS=(libplplot-dev plplot-driver-cairo fonts-dejavu-core)
# The .npy reader's coverage-guided fuzzer (./kit test, ./kit fuzz --npy): clang's libFuzzer.
FUZZ_PKGS=(clang-14 libfuzzer-14-dev)
# Batch grading's slot j runs as uid SANDBOX_UID_BASE + j (as root; grader/staff grade-batch).
SANDBOX_UID_BASE=62000
PYTHON=/usr/bin/python3  # Debian's, which has python3-torch (not a pyenv or venv python)

say() { printf '%s\n' "$*"; }
# Each stage's heading; the time the stage before it took is printed first (./kit test's budget).
STEP_T0=
step() {
  [ -n "$STEP_T0" ] && printf '   (%d s)\n' "$((SECONDS - STEP_T0))"
  STEP_T0=$SECONDS
  printf '\n== %s\n' "$*"
}
die() {
  printf 'kit: %s\n' "$*" >&2
  exit 1
}

# ----------------------------------------------------------------- packages

missing_packages() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || printf '%s ' "$p"
  done
}

# ensure_packages PKG... — installs what is missing with apt-get (as root), or
# prints the exact command to run (as another user) and stops.
ensure_packages() {
  if ! command -v dpkg-query >/dev/null 2>&1; then
    say "kit: not a Debian-like system; make sure the packages in README.md (\"Other platforms\") are installed."
    return 0
  fi
  local missing
  missing="$(missing_packages "$@")"
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    say "kit: these packages are missing: $missing"
    say "Install them, then run the same command again:"
    say ""
    say "  sudo apt-get update && sudo apt-get install -y --no-install-recommends $missing"
    exit 1
  fi
  step "installing $missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || die "apt-get update failed"
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >/dev/null || die "apt-get install $missing failed"
  missing="$(missing_packages "$@")"
  [ -z "$missing" ] || die "still missing after apt-get: $missing"
}

# ----------------------------------------------------------------- building and grading

jobs() { echo "${NNKIT_JOBS:-$(nproc 2>/dev/null || echo 2)}"; }

# The units and their lessons, from grader/units.cmake (the one list CMake reads too).
units() { sed -n 's/^set(NNKIT_UNITS \(.*\))$/\1/p' "$ROOT/grader/units.cmake"; }

lesson_of() { sed -n "s/^set(NNKIT_LESSON_$1 \\(.*\\))\$/\\1/p" "$ROOT/grader/units.cmake"; }

check_units() {
  local u known
  known=" $(units) "
  for u in "$@"; do
    case "$known" in *" $u "*) ;; *) die "no unit named '$u'; the units are: $(units)";; esac
  done
}

# configure DIR [cmake args...] — configures once; CMake re-runs itself when its files change.
configure() {
  local dir="$1"; shift
  if [ ! -f "$dir/CMakeCache.txt" ]; then
    cmake -S "$ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" >"$dir.configure.log" 2>&1 \
      || { cat "$dir.configure.log"; die "cmake configure failed (log: $dir.configure.log)"; }
  elif [ $# -gt 0 ]; then
    cmake "$dir" "$@" >"$dir.configure.log" 2>&1 || { cat "$dir.configure.log"; die "cmake configure failed"; }
  fi
}

# build DIR TARGET... — keeps going past a broken unit so every other unit still grades.
build() {
  local dir="$1"; shift
  cmake --build "$dir" --parallel "$(jobs)" --target "$@" -- -k 0
}

student_targets() {
  local u t=(nnkit-run nnkit-report)
  for u in "$@"; do t+=("grade_$u" "check_$u"); done
  echo "${t[@]}"
}

# run_ctest DIR LABEL [UNIT...] — runs the checks of LABEL (student or reference) for the units.
run_ctest() {
  local dir="$1" label="$2"; shift 2
  local regex="" u
  for u in "$@"; do regex="${regex:+$regex|}$u"; done
  local prefix=""; [ "$label" = reference ] && prefix="reference "
  for u in "$@"; do rm -rf "$dir/results/$label/$u"; done
  # NNKIT_CTEST_SKIP_LABEL: leave out the checks with that label (a rerun without the perf checks).
  local skip=(); [ -n "${NNKIT_CTEST_SKIP_LABEL:-}" ] && skip=(-LE "^$NNKIT_CTEST_SKIP_LABEL\$")
  if [ -t 1 ] && [ -z "${KIT_QUIET:-}" ]; then
    # On a terminal, one live line says which check is running (a slow or endless one shows itself).
    (cd "$dir" && ctest -L "^$label\$" "${skip[@]}" -R "^$prefix($regex): " --parallel "$(jobs)" \
        --output-junit "results/$label-junit.xml" 2>&1 | tee "results-$label-ctest.log" | progress_line) || true
  else
    (cd "$dir" && ctest -L "^$label\$" "${skip[@]}" -R "^$prefix($regex): " --parallel "$(jobs)" \
        --output-junit "results/$label-junit.xml" >"results-$label-ctest.log" 2>&1) || true
  fi
}

# Reads ctest's output; keeps one line up to date with the check that started last.
progress_line() {
  local line done=0 width; width="$(tput cols 2>/dev/null || echo 100)"
  while IFS= read -r line; do
    case "$line" in
      *"Test #"*": "*) done=$((done + 1));;
      *" Start "*": "*)
        line="${line#*: }"
        printf '\r\033[K  [%d done] running %s' "$done" "${line:0:$((width - 24))}";;
    esac
  done
  printf '\r\033[K'
}

report() {
  local dir="$1" label="$2"; shift 2
  local args=(--checks "$dir/checks" --results "$dir/results/$label" --out "$dir/results/$label-results.json") u
  "$dir/grader/nnkit-report" "${args[@]}" "$@"
}

# cache_value DIR VAR — a variable's value in DIR's CMake cache (empty if unset).
cache_value() { sed -n "s/^$2:[A-Z]*=//p" "$1/CMakeCache.txt" 2>/dev/null; }

# The exercise generator is one C++ file; it is built with the compiler alone.
make_exercises_tool() {
  local tool=build/tools/make_exercises
  mkdir -p build/tools
  if [ ! -x "$tool" ] || [ grader/tools/make_exercises.cpp -nt "$tool" ]; then
    c++ -std=c++17 -O1 -o "$tool" grader/tools/make_exercises.cpp
  fi
  echo "$tool"
}

# make_exercises [--check]
make_exercises() {
  [ -d reference/src ] || die "this is a student handout: it has no reference sources"
  "$(make_exercises_tool)" reference/src exercises/src "$@"
}

# example_target FILE: the CMake target of a lesson example, lessons/04-x/examples/pictures.cpp ->
# example_04_pictures (lessons/CMakeLists.txt names them so; add _student for the student's side).
example_target() { echo "example_$(basename "$(dirname "$(dirname "$1")")" | cut -c1-2)_$(basename "$1" .cpp)"; }
