"""A unit's graded checks as its test binary described them (build/checks/<unit>.json, see
grader/common/checks.hpp), with where nnkit-run writes each one's result."""
import json
import os


def results_dir(build, flavor="student"):
    """The build's results folder for a flavor (the NNKIT_RESULTS_DIR cache entry, build/results by default)."""
    base = os.path.join(build, "results")
    try:
        with open(os.path.join(build, "CMakeCache.txt")) as f:
            for line in f:
                if line.startswith("NNKIT_RESULTS_DIR:"):
                    base = line.split("=", 1)[1].strip()
    except OSError:
        pass
    return os.path.join(base, flavor)


def result_file(results, unit, name):
    """nnkit::checks::result_file: RESULTS/<unit>/<FNV-1a 64 of the name, 16 hex digits>.json."""
    h = 14695981039346656037
    for byte in name.encode():
        h = ((h ^ byte) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return os.path.join(results, unit, "%016x.json" % h)


def described(build, unit, flavor="student"):
    """[(result file, name, kind)] of the unit's checks, in the binary's order."""
    with open(os.path.join(build, "checks", unit + ".json")) as f:
        d = json.load(f)
    results = results_dir(build, flavor)
    return [(result_file(results, unit, c["name"]), c["name"], c["kind"]) for c in d["checks"]]


if __name__ == "__main__":
    # --self-test: the result file names agree with nnkit::checks::result_file (FNV-1a 64's
    # published test vectors, as grader/tests/core/test_check_descriptions.cpp checks them).
    import sys
    for name, want in (("", "cbf29ce484222325"), ("a", "af63dc4c8601ec8c"), ("foobar", "85944171f73967e8")):
        got = result_file("r", "u", name)
        if got != os.path.join("r", "u", want + ".json"):
            sys.exit("checks.py: result_file(%r) is %s, expected %s.json" % (name, got, want))
    print("checks.py: result file names agree with nnkit::checks::result_file")
