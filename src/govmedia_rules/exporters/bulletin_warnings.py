"""预警: accounts a veto would cover a few days after the period's end if nothing changes.

The look-ahead evaluates the input as it stood at the period's end, a second
evaluation beside the bulletin's own, so it lives apart from the builder.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from ..engine import Engine, prepare
from ..findings.scoring import is_veto, short_title
from ..intake.files import InputItem
from .bulletin_model import EarlyWarning
from .bulletin_names import Names

#: Where each record type keeps the date it happened on (records dated later are unknown at a
#: period's end)
_DATED = {
    "post": "published_at",
    "message": "received_at",
    "login": "at",
    "filing": "action_on",
    "announcement": "published_on",
    "incident": "on",
    "spot_check": "on",
    "attestation": "on",
    "report": "submitted_on",
    "rectification": "issued_on",
}


def _known_on(items: list[InputItem], day: date) -> list[InputItem]:
    """The input as it stood at the end of ``day``: nothing dated later."""
    out = []
    for item in items:
        when = getattr(item.record, _DATED.get(item.type or "", ""), None) if item.record else None
        if isinstance(when, datetime):
            when = when.date()
        if when is None or when <= day:
            out.append(item)
    return out


def early_warnings(
    engine: Engine,
    items: list[InputItem],
    start: date,
    end: date,
    days: int,
    vetoing: set[tuple[str, str]],
    vetoed: set[str],
    names: Names,
) -> list[EarlyWarning]:
    """Accounts a veto would cover ``days`` days after the period's end if nothing new is posted.

    The look-ahead evaluates the input as it stood at the period's end, so
    a veto it finds is one that silence alone would bring (2周内无更新).
    ``vetoing`` is the period's veto rules and ``vetoed`` the accounts one
    already covers, as the builder found them.
    """
    if days <= 0:
        return []
    ahead = engine.evaluate_prepared(
        prepare(_known_on(items, end)), since=start, as_of=end + timedelta(days)
    )
    out: dict[tuple[str, str], EarlyWarning] = {}
    for f in ahead.open_findings:
        if f.account and f.account not in vetoed and is_veto(f, vetoing):
            out.setdefault(
                (f.account, f.rule),
                EarlyWarning(
                    account=f.account,
                    name=names.account(f.account),
                    unit=names.unit(f.unit),
                    rule=f.rule,
                    title=short_title(f.title),
                    message=f.message,
                ),
            )
    return [out[k] for k in sorted(out)]
