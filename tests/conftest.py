"""Shared helpers: small record builders and a one-rule evaluation."""

from __future__ import annotations

import os
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

os.environ.setdefault("GOVMEDIA_RULES_DISABLE_PLUGIN_AUTOLOAD", "1")

from govmedia_rules import Engine, Registry  # noqa: E402
from govmedia_rules.findings.report import Finding  # noqa: E402
from govmedia_rules.testing import one_rule_pack  # noqa: E402

settings.register_profile("default", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                          derandomize=True, print_blob=True)
settings.register_profile("thorough", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "default"))

REGISTRY = Registry(autoload=False)


@pytest.fixture(scope="session")
def registry() -> Registry:
    return REGISTRY


def unit(uid: str = "u1", **kw: Any) -> dict[str, Any]:
    return {"type": "unit", "id": uid, "name": kw.pop("name", f"单位{uid}"), "level": kw.pop("level", "city"),
            "kind": kw.pop("kind", "department"), **kw}


def account(aid: str = "a1", unit_id: str = "u1", **kw: Any) -> dict[str, Any]:
    return {"type": "account", "id": aid, "unit_id": unit_id, "name": kw.pop("name", f"账号{aid}"),
            "platform": kw.pop("platform", "weibo"), **kw}


def post(pid: str, at: str, account_id: str = "a1", **kw: Any) -> dict[str, Any]:
    return {"type": "post", "id": pid, "account_id": account_id, "published_at": at, **kw}


def run(kind: str, params: dict[str, Any] | None, records: list[dict[str, Any]], *, since: str, as_of: str,
        complete: tuple[str, ...] = ("all",), **rule: Any) -> list[Finding]:
    """Findings of one rule of ``kind`` over ``records``; fails if any record is rejected.

    The records are taken as the whole truth (``complete``: every type and field), so a kind's
    own logic is tested; ``tests/test_evidence.py`` tests what absent data does.
    """
    report = Engine([one_rule_pack(kind, params, **rule)], registry=REGISTRY).evaluate(
        records, since=date.fromisoformat(since), as_of=date.fromisoformat(as_of), complete=complete)
    assert report.input.rejected == 0, report.input.rejections
    return report.findings
