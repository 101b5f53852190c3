#!/usr/bin/env python3
"""Extracts the examples of the CommonMark spec (spec.txt) into spec-0.29.json.

Same rules as the spec's own test runner (test/spec_tests.py): an example is fenced by a
line of 32 backticks followed by " example" and a line of 32 backticks, with a "." line
between its Markdown and its HTML; the section is the text of the last heading outside an
example. The Markdown is kept as written in the spec, so tabs are still shown as "→".

Usage: python3 extract.py spec.txt > spec-0.29.json
"""
import json
import re
import sys

FENCE = "`" * 32
HEADER = re.compile("#+ ")


def examples(lines):
    state, section, number, start, markdown = 0, "", 0, 0, []
    for line_number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped == FENCE + " example":
            state, start, markdown = 1, line_number, []
        elif state == 2 and stripped == FENCE:
            number += 1
            state = 0
            yield {
                "example": number,
                "section": section,
                "start_line": start,
                "markdown": "".join(markdown),
            }
        elif state == 1 and stripped == ".":
            state = 2
        elif state == 1:
            markdown.append(line)
        elif state == 0 and HEADER.match(line):
            section = HEADER.sub("", line, count=1).strip()


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        lines = f.readlines()
    assert lines[3].strip() == "version: 0.29", lines[3]
    found = list(examples(lines))
    assert len(found) == 649, len(found)
    json.dump(found, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
