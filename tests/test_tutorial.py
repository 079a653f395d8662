"""Runs docs/tutorial.md: writes its files, runs its commands, checks their exit status and the
output lines the page shows under a command."""

import re
import shlex
from pathlib import Path

from govmedia_rules.cli import main

from .conftest import REGISTRY

TUTORIAL = Path(__file__).resolve().parents[1] / "docs" / "tutorial.md"
BLOCK = re.compile(r"```(\w+)(?: file=(\S+))?\n(.*?)```", re.S)


def test_the_tutorial_runs_as_written(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    commands = 0
    for language, file, body in BLOCK.findall(TUTORIAL.read_text(encoding="utf-8")):
        if file:
            target = tmp_path / file
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(body, encoding="utf-8")
        elif language == "console":
            out = ""
            for line in body.splitlines():
                if not line.startswith("$ "):  # output the page shows: the command printed it
                    assert line.strip() in out, f"{line}\n---\n{out}"
                    continue
                command, _, comment = line.removeprefix("$ ").partition("  # ")
                expected = int(m[1]) if (m := re.match(r"exit (\d)", comment)) else 0
                args = shlex.split(command)[1:]
                try:
                    code = main(args, registry=REGISTRY)
                except SystemExit as exc:
                    code = exc.code
                out, err = capsys.readouterr()
                assert code == expected, f"{line}\n{out}\n{err}"
                commands += 1
    assert commands >= 8
