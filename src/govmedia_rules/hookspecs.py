"""The plugin contract: every hook govmedia-rules calls, declared in one place.

Plugins implement these with ``@govmedia_rules.hookimpl`` and register
through the entry-point group ``govmedia_rules``. The library's own packs,
rule kinds and record loaders come through the very same hooks
(:mod:`govmedia_rules.builtin`).

Contributions are collected from every plugin; two plugins contributing the
same pack id, rule-kind name or file suffix is an error naming both.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from .findings.report import Report
    from .intake.files import RecordLoader
    from .kinds.base import RuleKind
    from .packs.loader import PackSource

PROJECT = "govmedia_rules"
hookspec = pluggy.HookspecMarker(PROJECT)


# -- contributions ------------------------------------------------------
@hookspec
def govmedia_rules_add_packs() -> list[PackSource]:  # type: ignore[empty-body]
    """Contribute policy packs.

    Called once when the registry is built. Return a list of
    :class:`~govmedia_rules.packs.loader.PackSource` (pack id and the folder
    holding its ``pack.yaml``). Packs are data: they never run code.
    """


@hookspec
def govmedia_rules_add_rule_kinds() -> list[type[RuleKind]]:  # type: ignore[empty-body]
    """Contribute rule kinds.

    Called once when the registry is built. Return subclasses of
    :class:`~govmedia_rules.kinds.base.RuleKind`; each declares its ``name``,
    its ``Params`` model (which becomes part of the pack JSON Schema) and an
    ``example``.
    """


@hookspec
def govmedia_rules_add_record_loaders() -> list[RecordLoader]:  # type: ignore[empty-body]
    """Contribute readers of input files.

    Called once when the registry is built. Return
    :class:`~govmedia_rules.intake.files.RecordLoader` objects, each naming the file
    suffixes it reads (``.jsonl``) and yielding one input item per record,
    valid or not, so nothing is dropped.
    """


# -- observation --------------------------------------------------------
@hookspec
def govmedia_rules_adjust_report(report: Report) -> None:
    """Observe or adjust a finished report before it is returned.

    Called once per evaluation, after findings, waivers and scores are
    final, for every plugin (no result is used). A plugin may add warnings
    or attach data in ``report.extensions``; it must not drop findings.
    """
