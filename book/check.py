#!/usr/bin/env python3
"""Checks that nothing in the book can rot: every code block of the book's chapters is
included from a file that CI compiles or runs, and every inclusion resolves.

Rules, for each Markdown file under book/src (the generated folder aside):

- A fenced code block must name its language (an unlabelled block would be taken for
  Rust by rustdoc, and so by `mdbook test`).
- A `rust` block holds nothing but one `{{#include …}}` (or `{{#rustdoc_include …}}`) of a
  file under `examples/` or `ui-tests/`: the examples are built and run by CI, the ui
  cases compiled by trybuild against their pinned messages.
- A `text` block (what a program printed, a compiler message) holds nothing but one
  include of a file under `book/src/generated/` (written by build.sh from a run of an
  example) or of a `.stderr` under `ui-tests/` (pinned by trybuild).
- A `sh` block (commands to type) names only examples that exist under `examples/`
  (`--example NAME`) and scripts that exist (`bash PATH`, from the repository root).
- Every include, in a block or not, names a file that exists, and its part after the
  colon is an anchor (never line numbers, which silently shift) that the file opens with
  `ANCHOR: name` and closes with `ANCHOR_END: name`.
- Every picture `![…](path)` names a file that exists.
- No included output holds an ANSI escape: captured output must be plain text.

Exits with 1 and one line per problem if anything is wrong. Run it after build.sh has
written the generated folder (build.sh runs it before `mdbook build`).
"""

import re
import sys
from pathlib import Path

BOOK = Path(__file__).resolve().parent
ROOT = BOOK.parent
SRC = BOOK / "src"
GENERATED = SRC / "generated"

FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})(.*)$")
INCLUDE = re.compile(r"\{\{\s*#(include|rustdoc_include|playground)\s+([^}\s]+)\s*\}\}")
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")
# Where each kind of block may take its text from: a folder under the repository root.
RUST_SOURCES = [ROOT / "examples", ROOT / "ui-tests"]
TEXT_SOURCES = [GENERATED, ROOT / "ui-tests"]


def show(path):
    """`path` relative to the repository root, when it lies inside it: shorter messages."""
    return path.relative_to(ROOT) if within(path, [ROOT]) else path


def within(path, folders):
    """Whether `path` lies inside one of `folders`."""
    return any(path == folder or folder in path.parents for folder in folders)


def resolve(page, target):
    """The file and the anchor (or None) of an include's `path[:anchor]`, relative to
    the page."""
    path, _, anchor = target.partition(":")
    return (page.parent / path).resolve(), anchor or None


def check_include(page, where, target, problems):
    """Checks that an include's file exists and has its anchor; returns the file."""
    path, anchor = resolve(page, target)
    if not path.is_file():
        problems.append(f"{where}: {{{{#include {target}}}}}: no file {show(path)}")
        return path
    if anchor is None:
        return path
    if re.fullmatch(r"[0-9:]*", anchor):
        problems.append(
            f"{where}: {{{{#include {target}}}}}: line numbers shift when the file changes; "
            "mark the lines with ANCHOR comments and name the anchor"
        )
        return path
    text = path.read_text(encoding="utf-8")
    opens = re.search(rf"ANCHOR:\s*{re.escape(anchor)}\b", text)
    closes = re.search(rf"ANCHOR_END:\s*{re.escape(anchor)}\b", text)
    if not opens or not closes:
        missing = "ANCHOR" if not opens else "ANCHOR_END"
        problems.append(f"{where}: {{{{#include {target}}}}}: no `{missing}: {anchor}` in {show(path)}")
    elif closes.start() < opens.start():
        problems.append(f"{where}: anchor `{anchor}` of {show(path)} ends before it starts")
    return path


def check_block(page, where, language, body, problems):
    """Checks one fenced block: its language, and that it only includes a file from
    where blocks of its language may come."""
    kind = language.split(",")[0].strip().split(" ")[0]
    if not kind:
        problems.append(f"{where}: a code block without a language (write `rust`, `text` or `sh`)")
        return
    if kind not in ("rust", "text", "sh"):
        problems.append(f"{where}: a `{kind}` block: only `rust`, `text` and `sh` are checked")
        return
    if kind == "sh":
        for line in body:
            for name in re.findall(r"--example\s+(\S+)", line):
                if not (ROOT / "examples" / f"{name}.rs").is_file():
                    problems.append(f"{where}: `--example {name}`: no examples/{name}.rs")
            for script in re.findall(r"\bbash\s+(\S+)", line):
                if not (ROOT / script).is_file():
                    problems.append(f"{where}: `bash {script}`: no such file")
        return
    lines = [line.strip() for line in body if line.strip()]
    matches = [INCLUDE.fullmatch(line) for line in lines]
    if len(lines) != 1 or not matches[0] or matches[0].group(1) == "playground":
        problems.append(
            f"{where}: a `{kind}` block must hold exactly one {{{{#include …}}}} and nothing else"
        )
        return
    path, _ = resolve(page, matches[0].group(2))
    allowed = RUST_SOURCES if kind == "rust" else TEXT_SOURCES
    if not within(path, allowed):
        places = ", ".join(str(folder.relative_to(ROOT)) + "/" for folder in allowed)
        problems.append(f"{where}: a `{kind}` block includes {show(path)}, which is not under {places}")
    elif kind == "text" and within(path, [ROOT / "ui-tests"]) and path.suffix != ".stderr":
        problems.append(f"{where}: a `text` block includes {show(path)}: from ui-tests/, only a .stderr")


def check_page(page, problems):
    """Checks every block, include and picture of one Markdown page."""
    lines = page.read_text(encoding="utf-8").splitlines()
    name = page.relative_to(ROOT)
    fence, start, language, body = None, 0, "", []
    for number, line in enumerate(lines, 1):
        where = f"{name}:{number}"
        for match in INCLUDE.finditer(line):
            if match.group(1) == "playground":
                problems.append(f"{where}: {{{{#playground}}}} is not checked; use #include")
                continue
            path = check_include(page, where, match.group(2), problems)
            if path.is_file() and "\x1b" in path.read_text(encoding="utf-8", errors="replace"):
                problems.append(f"{where}: {show(path)} holds ANSI escapes: output must be plain")
        for match in IMAGE.finditer(line):
            if not (page.parent / match.group(1)).is_file():
                problems.append(f"{where}: no picture {match.group(1)}")
        opened = FENCE.match(line)
        if fence is None and opened:
            fence, start, language, body = opened.group(2), number, opened.group(3), []
        elif fence is not None and line.strip() == fence[0] * len(line.strip()) and len(
            line.strip()
        ) >= len(fence):
            check_block(page, f"{name}:{start}", language, body, problems)
            fence = None
        elif fence is not None:
            body.append(line)
    if fence is not None:
        problems.append(f"{name}:{start}: a code block that is never closed")


def main():
    """Checks every page; prints the problems and exits with 1 if there are any."""
    problems = []
    pages = sorted(p for p in SRC.rglob("*.md") if not within(p, [GENERATED]))
    for page in pages:
        check_page(page, problems)
    for problem in problems:
        print(f"book/check.py: {problem}", file=sys.stderr)
    if problems:
        sys.exit(1)
    print(f"book/check.py: {len(pages)} pages, every block included from a checked file")


if __name__ == "__main__":
    main()
