"""govmedia-rules: check government new-media accounts against each city's published rules.

The public API an embedding system imports. Everything else lives in
focused modules; these names are the stable surface.
"""

from __future__ import annotations

from .calendar import WorkCalendar
from .engine import Engine
from .errors import (
    EvaluationError,
    GovMediaError,
    Location,
    PackError,
    PackNotFoundError,
    PluginError,
    RecordError,
)
from .findings.report import Finding, Report
from .intake.files import InputItem, RecordLoader, read_inputs
from .kinds.base import (
    AccountRuleKind,
    Params,
    RuleKind,
    Scope,
    UnitRuleKind,
    Violation,
)
from .packs import Pack, PackSource, load_pack
from .plugins import Registry, hookimpl
from .records import Record, parse_record
from .version import __version__

__all__ = [
    "AccountRuleKind",
    "Engine",
    "EvaluationError",
    "Finding",
    "GovMediaError",
    "InputItem",
    "Location",
    "Pack",
    "PackError",
    "PackNotFoundError",
    "PackSource",
    "Params",
    "PluginError",
    "Record",
    "RecordError",
    "RecordLoader",
    "Registry",
    "Report",
    "RuleKind",
    "Scope",
    "UnitRuleKind",
    "Violation",
    "WorkCalendar",
    "__version__",
    "hookimpl",
    "load_pack",
    "parse_record",
    "read_inputs",
]
