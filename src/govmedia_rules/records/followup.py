"""The records that follow findings up: approved exceptions to a rule (waivers) and
rectification (整改) of a finding across periods."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from .base import Subject, _Record


class Waiver(_Record):
    """经批准的例外: an approved exception to one rule for one subject."""

    type: Literal["waiver"] = "waiver"
    rule: str
    subject: Subject
    justification: str
    approver: str | None = None
    approved_on: date | None = None
    expires_on: date | None = None


class Rectification(_Record):
    """整改: one finding sent for rectification, followed 下发 → 反馈 → 复核 → 销号 across periods.

    ``finding_id`` is a finding's stable ``id``; ``due_on``, when absent, is
    ``issued_on`` plus the pack's or the office's rectification period.
    """

    type: Literal["rectification"] = "rectification"
    finding_id: str = Field(min_length=1)
    issued_on: date
    due_on: date | None = None
    feedback_on: date | None = None
    reviewed_on: date | None = None
    closed_on: date | None = None
