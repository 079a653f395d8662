"""The library's own contributions, registered through the same hooks as any plugin."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .intake.files import BUILTIN_LOADERS, RecordLoader
from .kinds import BUILTIN_KINDS
from .kinds.base import RuleKind
from .packs.loader import PACK_FILE, PackSource
from .plugins import hookimpl


def policies_dir() -> Path:
    """Where the built-in packs are: inside the wheel, or beside src/ in a checkout."""
    shipped = Path(str(resources.files("govmedia_rules"))) / "policies"
    if shipped.is_dir():
        return shipped
    return Path(__file__).resolve().parents[2] / "policies"


@hookimpl
def govmedia_rules_add_packs() -> list[PackSource]:
    root = policies_dir()
    if not root.is_dir():
        return []
    return [PackSource(d.name, d) for d in sorted(root.iterdir()) if (d / PACK_FILE).is_file()]


@hookimpl
def govmedia_rules_add_rule_kinds() -> list[type[RuleKind]]:
    return list(BUILTIN_KINDS)


@hookimpl
def govmedia_rules_add_record_loaders() -> list[RecordLoader]:
    return list(BUILTIN_LOADERS)
