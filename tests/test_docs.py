"""README.md and docs/*.md hold together: every relative link and #anchor resolves, every
``innograph …`` command they show exists with the options it is shown with, every ``make``
target exists, every page under docs/ is reachable from the README, and the README stays the
front door: the two quick-start commands, under a length bound."""

from __future__ import annotations

import re
import shlex
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
PAGES = [README, *sorted((ROOT / "docs").glob("*.md"))]
README_MAX_CHARS = 15_000

FENCE = re.compile(r"^(```|~~~)")
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
INLINE_CODE = re.compile(r"(`+)(.+?)\1")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
COMMAND = re.compile(r"(?:^|[\s/(])innograph((?:\s+\S+)+)")
MAKE = re.compile(r"(?:^|\s)make\s+([a-z][\w-]*)")
STOP = {"|", "||", "&", "&&", ";", ">", ">>", "<", "2>", "(", ")", "\\"}


def name(page: Path) -> str:
    return str(page.relative_to(ROOT))


def prose_and_code(page: Path) -> tuple[list[str], list[str]]:
    """The page's lines outside fenced code blocks, and those inside them."""
    prose: list[str] = []
    code: list[str] = []
    fenced = False
    for line in page.read_text(encoding="utf-8").splitlines():
        if FENCE.match(line.strip()):
            fenced = not fenced
            continue
        (code if fenced else prose).append(line)
    return prose, code


def links(page: Path) -> Iterator[str]:
    prose, _ = prose_and_code(page)
    for line in prose:
        yield from LINK.findall(INLINE_CODE.sub("", line))


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: link targets and markup dropped, lower case, every
    character but letters, digits, ``_``, ``-`` and spaces removed, spaces → hyphens."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)
    text = re.sub(r"<[^>]+>", "", text).lower()
    text = "".join(c for c in text if c.isalnum() or c in "_- " or re.match(r"\w", c))
    return text.replace(" ", "-")


@cache
def anchors(page: Path) -> frozenset[str]:
    prose, _ = prose_and_code(page)
    seen: dict[str, int] = {}
    found: set[str] = set()
    for line in prose:
        match = HEADING.match(line)
        if not match:
            continue
        base = slug(match.group(2))
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return frozenset(found)


def relative_links() -> list[tuple[Path, str]]:
    return [(page, target) for page in PAGES for target in links(page)
            if not re.match(r"^[a-z][a-z0-9+.-]*:", target)]


@pytest.mark.parametrize(("page", "target"), relative_links(),
                         ids=lambda v: name(v) if isinstance(v, Path) else str(v))
def test_relative_link_resolves(page: Path, target: str) -> None:
    path, _, anchor = unquote(target).partition("#")
    resolved = (page.parent / path).resolve() if path else page
    assert resolved.exists(), f"{name(page)}: {target} — no such file"
    assert resolved.is_relative_to(ROOT), f"{name(page)}: {target} leaves the repository"
    if anchor and resolved.suffix == ".md":
        assert anchor in anchors(resolved), (
            f"{name(page)}: {target} — no heading with anchor #{anchor} in {name(resolved)}; "
            f"it has {sorted(anchors(resolved))}")


def test_the_link_checker_sees_links_and_anchors() -> None:
    assert len(relative_links()) > 50
    assert slug("Neo4j：生产环境存储 · Neo4j as the production store") == \
        "neo4j生产环境存储--neo4j-as-the-production-store"
    assert slug("Moving a graph between stores: `innograph migrate`") == \
        "moving-a-graph-between-stores-innograph-migrate"


def test_every_page_under_docs_is_linked_from_the_readme() -> None:
    linked = {(ROOT / unquote(t).partition("#")[0]).resolve() for t in links(README)}
    missing = [name(p) for p in PAGES[1:] if p.resolve() not in linked]
    assert not missing, f"README.md does not link to {missing}"


# --- commands ----------------------------------------------------------------------------


@cache
def cli() -> Any:
    import typer.main

    from innograph.cli import app

    return typer.main.get_command(app)


def options_of(command: Any) -> set[str]:
    return {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)}


def shown_commands() -> list[tuple[Path, str]]:
    """Every ``innograph …`` invocation in code: fenced blocks and inline code spans."""
    found: list[tuple[Path, str]] = []
    for page in PAGES:
        prose, code = prose_and_code(page)
        spans = [span for line in prose for _, span in INLINE_CODE.findall(line)]
        for text in (*code, *spans):
            text = re.sub(r"(^|\s)#.*$", "", text)  # shell comments
            for match in COMMAND.finditer(text):
                found.append((page, "innograph" + match.group(1)))
    return found


def words(command_line: str) -> list[str]:
    try:
        lexer = shlex.shlex(command_line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        lexer.commenters = "#"
        tokens = list(lexer)
    except ValueError:
        tokens = command_line.split()
    out: list[str] = []
    for token in tokens[1:]:
        if token in STOP or token.startswith("#"):
            break
        out.append(token)
    return out


def check(command_line: str) -> str | None:
    """None when the command and its options exist, else what is wrong."""
    args = words(command_line)
    root = cli()
    root_options = options_of(root) | {"--help"}
    while args and args[0].startswith("-"):
        option = args.pop(0).split("=")[0]
        if option not in root_options:
            return f"no option {option} before the command"
        if option == "--store" and "=" not in option and args:
            args.pop(0)
    if not args or not re.match(r"^[a-z][a-z-]*$", args[0]):
        return None  # `innograph …`, `innograph --store …`: no command named
    command = root.commands.get(args[0])
    if command is None:
        return f"no command {args[0]!r}"
    path = args.pop(0)
    sub = getattr(command, "commands", None)
    if sub is not None and args and not args[0].startswith("-"):
        if args[0] not in sub:
            return f"no command {path} {args[0]!r}"
        path += " " + args[0]
        command = sub[args.pop(0)]
    known = options_of(command) | {"--help"}
    for arg in args:
        if arg.startswith("--") and arg.split("=")[0] not in known:
            return f"`innograph {path}` has no option {arg.split('=')[0]}"
    return None


@pytest.mark.parametrize(("page", "command_line"), shown_commands(),
                         ids=lambda v: name(v) if isinstance(v, Path) else str(v))
def test_shown_command_exists(page: Path, command_line: str) -> None:
    problem = check(command_line)
    assert problem is None, f"{name(page)}: {command_line!r}: {problem}"


def test_the_command_checker_rejects_what_does_not_exist() -> None:
    assert len(shown_commands()) > 40
    assert check("innograph --store /tmp/wz analyze recommend 华联机械 --top 5") is None
    assert check("innograph sources remove a.xlsx#Sheet1") is None
    assert check("innograph frobnicate") is not None
    assert check("innograph analyze frobnicate") is not None
    assert check("innograph search 眼谷 --no-such-option") is not None


def test_make_targets_shown_exist() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][\w-]*):", makefile, re.M))
    shown = {(name(page), target) for page in PAGES for line in prose_and_code(page)[1]
             for target in MAKE.findall(line.split("#")[0])}
    missing = sorted((page, t) for page, t in shown if t not in targets)
    assert shown and not missing, f"make targets shown but not in the Makefile: {missing}"


# --- the front door ----------------------------------------------------------------------


def test_readme_quick_start_is_make_demo_and_make_test() -> None:
    text = README.read_text(encoding="utf-8")
    section = re.search(r"^## [^\n]*Quick start[^\n]*\n(.*?)^## ", text, re.M | re.S)
    assert section, "README.md has no Quick start section"
    block = re.search(r"```bash\n(.*?)```", section.group(1), re.S)
    assert block, "the Quick start section has no bash block"
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines() if line.strip()]
    assert commands == ["make demo", "make test"]


def test_readme_stays_short() -> None:
    size = len(README.read_text(encoding="utf-8"))
    assert size < README_MAX_CHARS, (
        f"README.md has {size} characters (bound {README_MAX_CHARS}): move depth to docs/")


def test_every_screenshot_is_made_by_the_script_and_shown() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "scripts" / "screenshots.py")
    assert spec and spec.loader
    script = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = script  # its dataclasses look their module up
    try:
        spec.loader.exec_module(script)
    finally:
        del sys.modules[spec.name]
    folder = ROOT / "docs" / "screenshots"
    pictures = {p.name for p in folder.glob("*.png")}
    assert pictures == set(script.SHOTS), "docs/screenshots/ and scripts/screenshots.py disagree"
    shown = {(page.parent / unquote(t)).resolve() for page in PAGES for t in links(page)}
    assert not [p for p in pictures if (folder / p).resolve() not in shown], \
        f"pictures no page shows: {sorted(p for p in pictures if (folder / p).resolve() not in shown)}"
