"""govmedia-rules: check government new-media accounts against each city's published rules.

The public API an embedding system imports. Everything else lives in
focused modules; these names are the stable surface.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .calendar import WorkCalendar  # noqa: E402
from .engine import Engine  # noqa: E402
from .errors import (  # noqa: E402
    EvaluationError,
    GovMediaError,
    Location,
    PackError,
    PackNotFoundError,
    PluginError,
    RecordError,
)
from .inputs import InputItem, RecordLoader, read_inputs  # noqa: E402
from .kinds.base import (  # noqa: E402
    AccountRuleKind,
    Params,
    RuleKind,
    Scope,
    UnitRuleKind,
    Violation,
)
from .packs import Pack, PackSource, load_pack  # noqa: E402
from .plugins import Registry, hookimpl  # noqa: E402
from .records import Record, parse_record  # noqa: E402
from .report import Finding, Report  # noqa: E402

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
