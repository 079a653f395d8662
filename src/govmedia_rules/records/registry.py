"""The registry's records: units (单位) and the accounts they run, with the people named
for an account."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, model_validator

from .base import Body, Column, Id, Level, Platform, Subtype, UnitKind, _Model, _Record


class Person(_Model):
    """A responsible person (负责人/联系人)."""

    name: str | None = None
    title: str | None = None
    phone: str | None = None
    mobile: str | None = None


class Unit(_Record):
    """单位: a government body, department or institution that may run accounts."""

    type: Literal["unit"] = "unit"
    name: str
    level: Level
    kind: UnitKind
    parent_id: Id | None = None
    body: Body | None = Field(
        default=None,
        description="The body the unit is (government_office 政府办公室, approval_bureau "
        "行政审批服务局 …), of its level and region; None: not said",
    )
    classified: bool = False
    public_facing: bool = True


class Account(_Record):
    """账号: one government new-media account, app or website."""

    type: Literal["account"] = "account"
    unit_id: Id
    name: str
    platform: Platform
    subtype: Subtype | None = None
    platform_account_id: str | None = None
    opened_on: date | None = None
    status: Literal["active", "suspended", "closed"] = "active"
    closed_on: date | None = None
    certified_sponsor: str | None = None
    operator: str | None = None
    operation_mode: Literal["self", "outsourced"] | None = None
    security_agreement: bool | None = None
    purpose: str | None = None
    functions: list[Literal["publish", "spread", "guide", "interact", "service"]] | None = None
    for_special_event: bool | None = None
    opened_by_individual: bool | None = None
    in_matrix: bool | None = None
    name_approved_on: date | None = None
    ipv6: bool | None = None
    review_policy: bool | None = None
    provides_news_service: bool | None = None
    news_license: str | None = None
    error_correction_entry: bool | None = None
    columns: list[Column] | None = Field(
        default=None,
        description="Column kinds the account has (栏目); None: not declared, read from its posts",
    )
    password_custodian: str | None = Field(
        default=None, description="The named person who holds the password (专人管理)"
    )
    principal: Person | None = None
    deputy: Person | None = None
    contact: Person | None = None
    staff_count: int | None = Field(default=None, ge=0)
    dedicated_staff: int | None = Field(default=None, ge=0)
    funding_yuan_per_year: float | None = Field(default=None, ge=0)
    followers: int | None = Field(default=None, ge=0)
    reads: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _closing_after_opening(self) -> Account:
        if self.opened_on and self.closed_on and self.closed_on < self.opened_on:
            raise ValueError(f"closed_on {self.closed_on} 早于 opened_on {self.opened_on}")
        return self

    def is_open_on(self, day: date) -> bool:
        """Whether the account existed on ``day`` (opened, not yet closed)."""
        if self.opened_on and day < self.opened_on:
            return False
        if self.closed_on:
            return day < self.closed_on
        return self.status != "closed"
