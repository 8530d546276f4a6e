#!/usr/bin/python3
"""Checks that every error message a check demands of a student is named, in PyTorch's
words, in the unit's stub (exercises/src/<unit>.cpp) or in its lesson's README, so that no
failing check reveals a requirement for the first time.

    error_catalogue.py --reference LOG --stubs LOG [--unit U] [--exercises DIR] [--markdown FILE]

Each LOG is what NNKIT_CHECK_THROWS wrote to $NNKIT_ERROR_LOG while the grader ran on the
reference and on the stubs ("unit, test, type, ok, text" per line). An error the stubs
already raise (their scaffolding or the kit's core does) needs no word in the hint, nor
does one whose wording is in the kit's own sources (reference/core, reference/include:
a helper the stub tells the student to call, such as conv_geometry, raises it).

A message is "named" when its words appear in the same order in the stub or the lesson;
numbers, shapes and punctuation are ignored, so a hint may show the message with other
sizes than the failing case ("pad should be at most half of kernel size, but got pad=2
and kernel_size=3")."""
import argparse
import os
import re
import sys
from collections import OrderedDict

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def words(text):
    """The words of a message, without numbers or punctuation: 2x5x5 and [1, 2] vanish, and
    conv1d reads as conv2d (conv, d), so one example stands for each dimension."""
    text = re.sub(r"(?<=\d)x(?=\d)", " ", text)
    return [w.lower() for w in re.findall(r"[A-Za-z_]+", text)]


def contains(haystack, needle):
    if not needle:
        return True
    n = len(needle)
    first = needle[0]
    return any(haystack[i] == first and haystack[i:i + n] == needle for i in range(len(haystack) - n + 1))


def literal_words():
    """The words of every string literal in the kit's own (non-exercise) sources, in order."""
    out = []
    for top in ("reference/core", "reference/include"):
        for dirpath, _, files in os.walk(os.path.join(ROOT, top)):
            for name in sorted(files):
                if name.endswith((".cpp", ".hpp")):
                    with open(os.path.join(dirpath, name)) as f:
                        for lit in re.findall(r'"((?:[^"\\\n]|\\.)*)"', f.read()):
                            out += words(lit)
    return out


def stub_literal_words(path):
    """The words of the string literals in a stub file's code (comments are hints, not code)."""
    if not os.path.exists(path):
        return []
    with open(path) as f:
        code = re.sub(r"//[^\n]*", "", f.read())
    out = []
    for lit in re.findall(r'"((?:[^"\\\n]|\\.)*)"', code):
        out += words(lit)
    return out


def raised_by_kit(text, kit_words):
    """True when each run of 3+ words between the message's numbers is in the kit's literals."""
    chunks, cur = [], []
    for tok in re.split(r"(\d+)", re.sub(r"(?<=\d)x(?=\d)", " ", text)):
        if tok.isdigit():
            chunks.append(cur)
            cur = []
        else:
            cur += words(tok)
    chunks.append(cur)
    long_chunks = [c for c in chunks if len(c) >= 3]
    return bool(long_chunks) and all(contains(kit_words, c) for c in long_chunks)


def lesson_of(unit):
    with open(os.path.join(ROOT, "grader", "units.cmake")) as f:
        for line in f:
            m = re.match(r"set\(NNKIT_LESSON_%s (\S+)\)" % re.escape(unit), line)
            if m:
                return m.group(1)
    return None


def read_log(path):
    rows = []
    with open(path) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 5:
                rows.append(parts)
    return rows


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--reference", required=True, help="$NNKIT_ERROR_LOG of the reference's run")
    p.add_argument("--stubs", required=True, help="$NNKIT_ERROR_LOG of the stubs' run")
    p.add_argument("--unit", action="append", help="check only these units")
    p.add_argument("--exercises", default=os.path.join(ROOT, "exercises", "src"),
                   help="the stubs to read (default exercises/src)")
    p.add_argument("--markdown", help="also write the catalogue of every demanded error, by unit")
    args = p.parse_args()

    reference = read_log(args.reference)
    if not reference:
        print(f"error_catalogue: {args.reference} is empty: was NNKIT_ERROR_LOG passed to the checks?")
        return 1
    not_passed = [r for r in reference if r[3] != "1"]
    if not_passed:
        for unit, test, _, _, text in not_passed[:5]:
            print(f"error_catalogue: the reference did not raise \"{text}\" ({unit}: {test})")
        return 1
    given = {(r[0], r[4]) for r in read_log(args.stubs) if r[3] == "1"}

    # unit -> message -> (type, [tests])
    demanded = OrderedDict()
    for unit, test, type_, _, text in reference:
        if unit == "core" or not text.strip() or (args.unit and unit not in args.unit):
            continue
        entry = demanded.setdefault(unit, OrderedDict()).setdefault(text, [type_, []])
        if test not in entry[1]:
            entry[1].append(test)

    kit_words = literal_words()
    for unit, messages in demanded.items():
        # The stub's own scaffolding (helpers it gives, such as check_grad_output) counts as the kit's.
        unit_words = kit_words + stub_literal_words(os.path.join(args.exercises, unit + ".cpp"))
        for text in messages:
            if raised_by_kit(text, unit_words):
                given.add((unit, text))

    def docs_of(unit):
        docs = []
        lesson = lesson_of(unit)
        for path in [os.path.join(args.exercises, unit + ".cpp")] + (
                [os.path.join(ROOT, "lessons", lesson, "README.md")] if lesson else []):
            with open(path) as f:
                docs.append(words(f.read()))
        return docs

    # A message several units demand (register_module's, checked in module and container)
    # may be named where any of them is taught.
    owners = {}
    for unit, messages in demanded.items():
        for text in messages:
            owners.setdefault(text, []).append(unit)
    docs = {u: docs_of(u) for u in demanded}
    missing = []
    for unit, messages in demanded.items():
        for text, (type_, tests) in messages.items():
            if (unit, text) in given:
                continue
            w = words(text)
            if not any(contains(d, w) for u in owners[text] for d in docs[u]):
                missing.append((unit, text, tests[0]))

    if args.markdown:
        write_markdown(args.markdown, demanded, given)

    total = sum(len(m) for m in demanded.values())
    own = sum(1 for u, m in demanded.items() for t in m if (u, t) not in given)
    if missing:
        for unit, text, test in missing:
            print(f"not named in exercises/src/{unit}.cpp or lessons/{lesson_of(unit)}/README.md: \"{text}\""
                  f"\n    demanded by {unit}: {test}")
        print(f"error_catalogue: {len(missing)} of the {own} errors a student must raise are named nowhere")
        return 1
    print(f"every error a student must raise is named in the stub or the lesson: {own} messages "
          f"({total - own} more are raised by code the stubs already have or call)")
    return 0


def write_markdown(path, demanded, given):
    with open(path, "w") as f:
        f.write("# Every error the grader checks, by unit\n\n"
                "Generated by `grader/tools/error_catalogue.py` from the checks themselves. "
                "A check passes when the message contains the text below (the sizes are the "
                "failing case's). *given* marks errors the stub already raises.\n")
        for unit, messages in demanded.items():
            f.write(f"\n## {unit}\n\n")
            for text, (type_, tests) in messages.items():
                mark = " *(given)*" if (unit, text) in given else ""
                f.write(f"- `{type_}`: \"{text}\"{mark}  \n  checked by: {tests[0]}\n")


if __name__ == "__main__":
    sys.exit(main())
