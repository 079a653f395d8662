"""The reference page of rule kinds, rendered from the kinds themselves.

``govmedia-rules kinds`` prints it and ``docs/kinds.md`` is its output, so the
documentation of a kind is its docstring, params and example: written once.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from .base import RuleKind

if TYPE_CHECKING:
    from ..findings.report import Finding

_INTRO = """\
# Rule kinds

A rule in a pack names a `kind` and gives its `params`. Each kind below says which record its
findings are about and which record types it reads (the fields: [evidence.md](evidence.md)),
and declares its params as a closed schema (unknown keys are errors);
`govmedia-rules schema pack` prints them all.
Spans are written `{days: N}`, `{weeks: N}`, `{months: N}` or `{working_days: N}` \
(see [time.md](time.md)).
Every rule may also set `applies_to` (platforms, subtypes, exclude_platforms, exclude_subtypes,
unit_kinds, unit_levels),
`effective` (from/until) and `severity` (info, warning, error, critical).

Each kind shows one finding a shipped pack's case produces with it, as a report prints it.
This page is the output of `govmedia-rules kinds`.
"""


def _reads_and_reports(kind: type[RuleKind]) -> str:
    """What a finding of the kind is about, and which record types it reads besides the registry
    (where the input holds none of them, its subjects are not evaluable: evidence.md)."""
    reads = ", ".join(f"`{t}`" for t in sorted(kind.reads)) if kind.reads else None
    subject = kind.subject_type if isinstance(kind.subject_type, str) else "account or unit"
    reports = ", ".join(f"`{r}`" for r in kind.reports) if kind.reports else f"`{subject}`"
    read = reads or ("the registry only" if kind.reads is not None else "anything (undeclared)")
    return f"Reports: {reports}. Reads: {read}."


def _example(finding: Finding | None) -> list[str]:
    if finding is None:
        return ["No shipped pack uses this kind yet.", ""]
    quote = f"{finding.citation.document} {finding.citation.article}"
    return [
        f"Example finding (`{finding.pack}` rule `{finding.rule}`, {quote}):",
        "",
        f"> {finding.message}",
        "",
    ]


def render_catalog(
    kinds: Iterable[type[RuleKind]], examples: Mapping[str, Finding] | None = None
) -> str:
    """Markdown reference of the given kinds, sorted by name, with an example finding each."""
    out = [_INTRO]
    for kind in sorted(kinds, key=lambda k: k.name):
        doc = textwrap.dedent((kind.__doc__ or "").strip("\n"))
        first, _, rest = doc.partition("\n")
        out += [f"## `{kind.name}` — {kind.title}", "", first.strip(), ""]
        if rest.strip():
            out += [textwrap.dedent(rest).strip(), ""]
        out += [_reads_and_reports(kind), ""]
        out += _example((examples or {}).get(kind.name))
        props = kind.Params.model_json_schema(by_alias=True).get("properties", {})
        if props:
            out += ["| param | meaning |", "|---|---|"]
            out += [f"| `{name}` | {p.get('description', '')} |" for name, p in props.items()]
            out.append("")
        out += ["```yaml", f"kind: {kind.name}", textwrap.dedent(kind.example).strip(), "```", ""]
    return "\n".join(out)
