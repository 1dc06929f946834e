"""Every command has help with an example, and a README section (sqlite-utils' discipline)."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from curate.cli import main

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def _commands() -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(main.commands.items()):
        if isinstance(command, click.Group):
            found += [(f"{name} {sub}", c) for sub, c in sorted(command.commands.items())]
        else:
            found.append((name, command))
    return found


@pytest.mark.parametrize(("name", "command"), _commands(), ids=[n for n, _ in _commands()])
def test_command_help_has_an_example(name: str, command: click.Command) -> None:
    assert command.help and "Example:" in command.help, f"curate {name} --help lacks an example"


@pytest.mark.parametrize("name", [n for n, _ in _commands()])
def test_readme_documents_every_command(name: str) -> None:
    assert f"curate {name}" in README, f"README.md has no section for `curate {name}`"


def test_readme_starts_with_the_two_commands() -> None:
    head = README[:1500]
    assert "make run" in head and "make test" in head
