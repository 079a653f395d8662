"""The event records, each dated, of an account or a unit: filings and announcements, posts
and their sign-offs, messages, logins, reports, incidents, spot checks and attestations."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, model_validator

from .base import Column, Id, LocalDateTime, ReportKind, Role, Tier, _Model, _Record


class Approval(_Model):
    """One approval a filing carries: who gave it (a role such as 主要领导, or a body such as the
    district office) and when. A closure may need the principal leader and the 省/市/区 body \
both."""

    role: str | None = Field(
        default=None, description="collective 集体研究, principal_leader 主要领导 …"
    )
    body: str | None = Field(default=None, description="The approving body, e.g. 区人民政府办公室")
    approved_on: date | None = None


class Filing(_Record):
    """备案: an opening, change, closure or cancellation filed with a government office."""

    type: Literal["filing"] = "filing"
    account_id: Id
    action: Literal["open", "change", "close", "cancel"]
    action_on: date
    filed_on: date | None = None
    filed_with: str | None = None
    forwarded_on: date | None = None
    approved_on: date | None = None
    approver: str | None = None
    sponsor_changed: bool = Field(
        default=False, description="The change or cancellation is because the sponsor unit changed"
    )
    approvals: list[Approval] | None = Field(
        default=None,
        description="Every approval, when there are several; approver and approved_on name one",
    )


class Announcement(_Record):
    """向社会公告: a public notice about an account."""

    type: Literal["announcement"] = "announcement"
    account_id: Id
    reason: Literal["open", "change", "closure", "cancel", "sponsor_change"]
    published_on: date
    ends_on: date | None = None


class Signoff(_Model):
    """One person's sign-off on a post in a given role."""

    role: Role
    person: str
    at: LocalDateTime


class Post(_Record):
    """发布: one item published on an account."""

    type: Literal["post"] = "post"
    account_id: Id
    published_at: LocalDateTime
    original: bool | None = None
    repost_source: str | None = None
    source_credited: bool | None = None
    source_approved: bool | None = None
    tier: Tier = "routine"
    signoffs: list[Signoff] | None = Field(
        default=None, description="None: not known; [] known: none"
    )
    review_form: bool | None = None
    column: Column | None = None
    flags: list[str] | None = Field(default=None, description="None: not known; [] known: none")


class Message(_Record):
    """留言: a message from the public and, when answered, the reply time."""

    type: Literal["message"] = "message"
    account_id: Id
    received_at: LocalDateTime
    replied_at: LocalDateTime | None = None


class Login(_Record):
    """One login to an account's back end."""

    type: Literal["login"] = "login"
    account_id: Id
    at: LocalDateTime
    device: Literal["dedicated", "personal", "public"]
    auto_login: bool = False
    logged_out_at: LocalDateTime | None = None


class Report(_Record):
    """报告/报送材料: a report a unit submits (self-check, operations report, survey...)."""

    type: Literal["report"] = "report"
    unit_id: Id
    kind: ReportKind
    period: str | None = None
    submitted_on: date
    signed_by_principal: bool | None = None
    stamped: bool | None = None


class Incident(_Record):
    """A prohibited event on an account (bought followers, compromise, ...)."""

    type: Literal["incident"] = "incident"
    account_id: Id
    kind: Literal[
        "fake_followers",
        "forced_engagement",
        "commercial_activity",
        "account_compromised",
        "impersonation",
    ]
    on: date


class SpotCheck(_Record):
    """抽查/通报: the result of an inspection of an account."""

    type: Literal["spot_check"] = "spot_check"
    account_id: Id
    level: Literal["national", "provincial", "city", "county"]
    on: date
    result: Literal["pass", "deducted", "vetoed"]
    notified: bool = False


class Attestation(_Record):
    """制度落实: evidence that a required system (制度) exists for a unit or account."""

    type: Literal["attestation"] = "attestation"
    unit_id: Id | None = None
    account_id: Id | None = None
    item: str = Field(min_length=1)
    on: date

    @model_validator(mode="after")
    def _one_subject(self) -> Attestation:
        if (self.unit_id is None) == (self.account_id is None):
            raise ValueError("unit_id 与 account_id 必须且只能填写一个")
        return self
