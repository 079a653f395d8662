"""Public hypothesis strategies and helpers for testing packs and rule changes.

The names below live in :mod:`.strategies` and are imported on first use:
this package also holds the ``pytest11`` plugin that every install
registers, and a host project without the ``dev`` extra (hypothesis) must
be able to import that plugin. ``from govmedia_rules.testing import
histories`` works as before and needs hypothesis.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "accounts",
    "cadenced_days",
    "histories",
    "mutated_packs",
    "one_rule_pack",
    "packs",
    "post_days",
    "posts",
    "units",
]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from . import strategies

    return getattr(strategies, name)
