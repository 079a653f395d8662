"""pytest plugin: a pack's case files become test items.

Registered through the ``pytest11`` entry point, so ``pytest policies/`` (or
any folder holding ``<pack>/cases/*.yaml`` beside a ``pack.yaml``) runs
every case as its own test, with the missing and unexpected findings, and
the findings the pack did produce for those subjects, as the failure report.

Every install registers this plugin in every pytest run of the host
project, so it imports nothing from the ``dev`` extra: the hypothesis
strategies of :mod:`govmedia_rules.testing` load only when asked for.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ..packs.cases import Case, load_cases, run_case
from ..packs.loader import PACK_FILE, load_pack
from ..plugins import default_registry


def pytest_collect_file(file_path: Path, parent: Any) -> Any:
    if (
        file_path.suffix == ".yaml"
        and file_path.parent.name == "cases"
        and (file_path.parent.parent / PACK_FILE).is_file()
    ):
        return PackCaseFile.from_parent(parent, path=file_path)
    return None


class PackCaseFile(pytest.File):
    def collect(self) -> Any:
        pack = load_pack(self.path.parent.parent, default_registry())
        for case in load_cases(pack):
            if Path(case.file) == self.path:
                yield PackCaseItem.from_parent(
                    self, name=case.name, pack_ref=str(self.path.parent.parent), case=case
                )


class PackCaseFailed(Exception):
    """The case's expectations did not hold."""


class PackCaseItem(pytest.Item):
    def __init__(self, *, pack_ref: str, case: Case, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.pack_ref = pack_ref
        self.case = case

    def runtest(self) -> None:
        registry = default_registry()
        result = run_case(load_pack(self.pack_ref, registry), self.case, registry)
        if not result.passed:
            raise PackCaseFailed(result.explain())

    def repr_failure(self, excinfo: Any, style: Any = None) -> Any:
        if isinstance(excinfo.value, PackCaseFailed):
            return "\n".join(excinfo.value.args[0])
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"pack case: {self.case.name}"
