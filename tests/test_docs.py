"""The documentation keeps up with the code (sqlite-utils' discipline).

Every command has help with an example, a row in README.md's table and a `### curate <name>` section in
a docs/ page; README.md stays a short door (the two commands at the top, at most 300 lines); every
relative link and `#anchor` in README.md and docs/*.md lands on a file and heading that exist, and every
module path the pages name is a file of the repository.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import click
import pytest

from curate.cli import main

ROOT = Path(__file__).parent.parent
README_PATH = ROOT / "README.md"
README = README_PATH.read_text(encoding="utf-8")
PAGES = sorted((ROOT / "docs").glob("*.md"))
DOCUMENTS = [README_PATH, *PAGES]

FENCE = re.compile(r"^```.*?^```[^\n]*$", re.DOTALL | re.MULTILINE)
CODE_SPAN = re.compile(r"`[^`]*`")
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.MULTILINE)
TABLE_COMMAND = re.compile(r"^\|\s*\[?`curate ([a-z ]+)`", re.MULTILINE)
REPO_PATH = re.compile(r"(?<![\w./$~-])(?:curate|bench|tests)/[\w/.-]*[\w/]")


def _commands() -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(main.commands.items()):
        if isinstance(command, click.Group):
            found += [(f"{name} {sub}", c) for sub, c in sorted(command.commands.items())]
        else:
            found.append((name, command))
    return found


COMMAND_NAMES = [n for n, _ in _commands()]


def _prose(text: str) -> str:
    """The text without fenced code blocks and code spans: what a reader sees as links and headings."""
    return CODE_SPAN.sub("", FENCE.sub("", text))


def _anchor(heading: str) -> str:
    """GitHub's anchor of a heading: link text kept, lowercased, punctuation but '-' and '_' dropped."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "").lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    """Every anchor of a markdown file, with GitHub's -1, -2 suffixes for repeated headings."""
    found: set[str] = set()
    for match in HEADING.finditer(FENCE.sub("", path.read_text(encoding="utf-8"))):
        base = _anchor(match.group(2))
        anchor, n = base, 0
        while anchor in found:
            n += 1
            anchor = f"{base}-{n}"
        found.add(anchor)
    return found


def _relative_links(path: Path) -> list[str]:
    """The link targets of a markdown file that point inside the repository (not http, not mailto)."""
    targets = LINK.findall(_prose(path.read_text(encoding="utf-8")))
    return [t for t in targets if not re.match(r"[a-z][a-z0-9+.-]*:", t)]


def _doc_ids(paths: list[Path]) -> list[str]:
    return [str(p.relative_to(ROOT)) for p in paths]


@pytest.mark.parametrize(("name", "command"), _commands(), ids=COMMAND_NAMES)
def test_command_help_has_an_example(name: str, command: click.Command) -> None:
    assert command.help and "Example:" in command.help, f"curate {name} --help lacks an example"


@pytest.mark.parametrize("name", COMMAND_NAMES)
def test_readme_documents_every_command(name: str) -> None:
    assert f"curate {name}" in README, f"README.md has no section for `curate {name}`"
    assert name in TABLE_COMMAND.findall(README), f"README.md's command table has no row for `curate {name}`"


@pytest.mark.parametrize("name", COMMAND_NAMES)
def test_docs_have_a_section_for_every_command(name: str) -> None:
    heading = re.compile(rf"^### curate {re.escape(name)}\s*$", re.MULTILINE)
    pages = [p.name for p in PAGES if heading.search(p.read_text(encoding="utf-8"))]
    assert pages, f"no docs/*.md page has a `### curate {name}` section"


def test_readme_table_names_only_commands() -> None:
    assert sorted(TABLE_COMMAND.findall(README)) == sorted(COMMAND_NAMES)


def test_readme_starts_with_the_two_commands() -> None:
    head = README[:1500]
    assert "make run" in head and "make test" in head


def test_readme_is_the_door() -> None:
    lines = README.count("\n")
    assert lines <= 300, f"README.md has {lines} lines; the reference belongs in docs/"


@pytest.mark.parametrize("page", PAGES, ids=_doc_ids(PAGES))
def test_docs_page_says_what_it_covers_and_links_back(page: Path) -> None:
    head = page.read_text(encoding="utf-8").split("\n")[:3]
    assert head[0].startswith("# "), f"{page.name} does not start with its title"
    assert head[2].startswith("What this page covers:"), f"{page.name} lacks its one-line summary"
    assert "](../README.md)" in head[2], f"{page.name} does not link back to the README"


@pytest.mark.parametrize("document", DOCUMENTS, ids=_doc_ids(DOCUMENTS))
def test_relative_links_resolve(document: Path) -> None:
    broken = []
    for target in _relative_links(document):
        file_part, _, anchor = target.partition("#")
        linked = (document.parent / file_part).resolve() if file_part else document
        if not linked.exists():
            broken.append(f"{target}: no such file")
        elif anchor and (linked.suffix != ".md" or anchor not in _anchors(linked)):
            broken.append(f"{target}: no heading with anchor #{anchor}")
    assert not broken, f"{document.name}: " + "; ".join(broken)


@pytest.mark.parametrize("document", DOCUMENTS, ids=_doc_ids(DOCUMENTS))
def test_repository_paths_exist(document: Path) -> None:
    named = set(REPO_PATH.findall(document.read_text(encoding="utf-8")))
    missing = sorted(p for p in named if not (ROOT / p.rstrip("/")).exists())
    assert not missing, f"{document.name} names paths that do not exist: {missing}"


def test_anchor_follows_github() -> None:
    assert _anchor("Workers, time limits, progress") == "workers-time-limits-progress"
    assert _anchor("curate rules list") == "curate-rules-list"
    assert _anchor("The store and the reports") == "the-store-and-the-reports"
    assert _anchor("[`curate audit`](x.md) and `why`") == "curate-audit-and-why"


PYTHON_NAME = re.compile(r"`(curate(?:\.[A-Za-z_]\w*)+)")


def _resolves(dotted: str) -> bool:
    """`curate.a.b.name` names a module, or an attribute of the longest module prefix that imports."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target: object = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[cut:]:
            if not hasattr(target, attribute):
                return False
            target = getattr(target, attribute)
        return True
    return False


@pytest.mark.parametrize("document", DOCUMENTS, ids=_doc_ids(DOCUMENTS))
def test_python_names_in_the_docs_import(document: Path) -> None:
    """A module moved (issue 18) must not leave the docs naming it where it was."""
    names = sorted(set(PYTHON_NAME.findall(document.read_text(encoding="utf-8"))))
    assert [name for name in names if not _resolves(name)] == []


def test_a_moved_name_is_caught() -> None:
    assert _resolves("curate.store.index.version_index")
    assert not _resolves("curate.runner.version_index")
