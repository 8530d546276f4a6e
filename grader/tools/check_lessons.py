#!/usr/bin/env python3
"""Every lesson has an English README.md and a Chinese README.zh.md with the same section anchors.

The grader's messages link to `lessons/<lesson>/README.md#<anchor>`; a reader of the Chinese
text follows the same anchor in README.zh.md, where each section carries it as an explicit
`<a id="..."></a>` before its translated heading. This check fails when a lesson has no
Chinese text, or when the two disagree on the anchors or their order; and when a lesson's
homework.md has no homework.zh.md with the same parts (its "## " headings up to their first
word: "## 5(a)", "## Questions").

    check_lessons.py [LESSONS_DIR]
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def github_anchor(heading):
    """GitHub's id for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def english_anchors(path):
    anchors, seen, in_code = [], {}, False
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("```"):
                in_code = not in_code
            m = None if in_code else re.match(r"#{2,6} (.*)", line)
            if m:
                a = github_anchor(m.group(1))
                n = seen.get(a, 0)
                seen[a] = n + 1
                anchors.append(a if n == 0 else f"{a}-{n}")
    return anchors


def chinese_anchors(path):
    with open(path, encoding="utf-8") as f:
        return re.findall(r'<a id="([^"]+)"></a>', f.read())


def homework_parts(path):
    """The first word of each "## " heading outside code: "5(a)", "Questions"..."""
    parts, in_code = [], False
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("```"):
                in_code = not in_code
            elif not in_code and line.startswith("## "):
                parts.append(line[3:].split()[0] if line[3:].split() else "")
    return parts


def check_homework(lessons, lesson):
    en = os.path.join(lessons, lesson, "homework.md")
    if not os.path.isfile(en):
        return 0
    zh = os.path.join(lessons, lesson, "homework.zh.md")
    if not os.path.isfile(zh):
        print(f"{lesson}: no homework.zh.md (the homework has a Chinese text too)")
        return 1
    want, got = homework_parts(en), homework_parts(zh)
    # Chinese headings translate the words; the parts' labels ("5(a)") stay as they are.
    want_labels = [w for w in want if re.match(r"\d+\(", w)]
    got_labels = [g for g in got if re.match(r"\d+\(", g)]
    if len(want) != len(got) or want_labels != got_labels:
        print(f"{lesson}: homework.zh.md's parts {got_labels} ({len(got)} headings) differ from homework.md's "
              f"{want_labels} ({len(want)} headings)")
        return 1
    print(f"{lesson}: homework.md and homework.zh.md share {len(want)} parts")
    return 0


def main():
    lessons = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "lessons")
    problems = 0
    for lesson in sorted(os.listdir(lessons)):
        en = os.path.join(lessons, lesson, "README.md")
        if not os.path.isfile(en):
            continue
        zh = os.path.join(lessons, lesson, "README.zh.md")
        if not os.path.isfile(zh):
            print(f"{lesson}: no README.zh.md (every lesson has a Chinese text)")
            problems += 1
            continue
        want, got = english_anchors(en), chinese_anchors(zh)
        if want != got:
            problems += 1
            missing = [a for a in want if a not in got]
            extra = [a for a in got if a not in want]
            print(f"{lesson}: README.zh.md's anchors differ from README.md's headings")
            if missing:
                print(f"  missing in README.zh.md: {', '.join(missing)}")
            if extra:
                print(f"  not in README.md: {', '.join(extra)}")
            if not missing and not extra:
                print("  the same anchors in another order")
        else:
            print(f"{lesson}: README.md and README.zh.md share {len(want)} anchors")
        problems += check_homework(lessons, lesson)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
