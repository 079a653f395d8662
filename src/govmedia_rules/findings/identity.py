"""Stable finding ids: one problem keeps its id across runs, input order and evaluation windows.

An office tracks a finding from one bulletin to the next (整改 下发 → 反馈 →
复核 → 销号), so its id must not depend on anything but the problem itself.
The id is two fingerprints joined by a hyphen:

* the **owner** part hashes pack, rule and the account (or unit) answering
  for the finding: every occurrence of one rule on one account shares it, so
  a problem that comes back after 销号 is recognised (多次出现);
* the **fact** part hashes the subject and the fact it shows: the evidence
  (a window, a period, a deadline, the dates of the event) and the due date,
  leaving out what only the evaluation window decides (:data:`WINDOW_KEYS`).

Evaluating a wider window that still holds the same fact gives the same id;
the message text is never hashed, since it may name the evaluation date.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .report import Finding

#: Evidence keys whose value follows from the evaluation window, not from the fact found
WINDOW_KEYS = frozenset({"window_from"})


def _digest(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def owner_key(finding: Finding) -> str:
    """The part of an id shared by every occurrence of one rule on one account or unit."""
    owner = (
        ("account", finding.account)
        if finding.account
        else ("unit", finding.unit)
        if finding.unit
        else (finding.subject.type, finding.subject.id)
    )
    return _digest([finding.pack, finding.rule, *owner])


def fact_key(finding: Finding) -> str:
    """The part of an id that tells one occurrence from another: subject, evidence and due date."""
    fact = {k: v for k, v in finding.evidence.items() if k not in WINDOW_KEYS}
    return _digest([finding.subject.type, finding.subject.id, fact, finding.due])


def owner_of(finding_id: str) -> str:
    """The owner part of an id (see :func:`owner_key`)."""
    return finding_id.split("-", 1)[0]


def with_ids(findings: list[Finding]) -> list[Finding]:
    """``findings`` (sorted) with ids; two findings that share a fingerprint get ``-2``, ``-3``…

    Kinds give each finding its own subject or evidence, so the suffix is a
    guard that keeps ids distinct within a report, not a path taken in practice.
    """
    seen: dict[str, int] = {}
    out = []
    for finding in findings:
        base = f"{owner_key(finding)}-{fact_key(finding)}"
        seen[base] = seen.get(base, 0) + 1
        unique = base if seen[base] == 1 else f"{base}-{seen[base]}"
        out.append(finding.model_copy(update={"id": unique}))
    return out
