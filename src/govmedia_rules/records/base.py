"""What every record model is built from: Shanghai times, ids, the enumerations fields take
their values from, and the base models (strict, frozen) that the record types share.

Naive datetimes mean Asia/Shanghai; aware ones are converted to it, so the local date of an
event is always ``value.date()``.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)

#: China Standard Time. Fixed offset: China has kept no daylight saving since 1991.
SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")


def _to_shanghai(value: Any, parse: ValidatorFunctionWrapHandler) -> datetime:
    moment: datetime = parse(value)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=SHANGHAI)
    try:
        return moment.astimezone(SHANGHAI)
    except OverflowError:
        raise ValueError("不是有效时间（换算为北京时间后超出公元1年至9999年）") from None


LocalDateTime = Annotated[datetime, WrapValidator(_to_shanghai)]


def _integer_as_text(value: Any) -> Any:
    """Databases hand out integer ids; an id is its decimal text (``7`` and ``"7"`` are one id)."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


#: An identifier or a reference to one: text, or an integer taken as its decimal text.
Id = Annotated[str, BeforeValidator(_integer_as_text)]

Level = Literal["national", "provincial", "city", "county", "township"]
UnitKind = Literal["government", "department", "institution", "internal_body", "enterprise", "zone"]
Platform = Literal["weibo", "wechat", "douyin", "toutiao", "kuaishou", "app", "website", "other"]
Subtype = Literal["subscription", "service", "miniprogram"]
Role = Literal[
    "editor",
    "proofreader",
    "first_reviewer",
    "second_reviewer",
    "final_reviewer",
    "office_head",
    "deputy_leader",
    "principal_leader",
]
Tier = Literal["routine", "important", "major"]
ReportKind = Literal[
    "quarterly_self_check", "weekly_self_check", "ops_report", "survey", "cleanup", "implementation"
]
Column = Literal["dynamic", "notice", "policy", "personnel", "plan", "service", "interaction"]
#: the body a unit is, where a document names bodies (政府办公室, 行政审批服务局 …) and not names
Body = Literal[
    "government_office", "approval_bureau", "cyberspace_office", "publicity_department"
]

PLATFORMS: tuple[str, ...] = Platform.__args__  # type: ignore[attr-defined]
UNIT_KINDS: tuple[str, ...] = UnitKind.__args__  # type: ignore[attr-defined]
LEVELS: tuple[str, ...] = Level.__args__  # type: ignore[attr-defined]
ROLES: tuple[str, ...] = Role.__args__  # type: ignore[attr-defined]
TIERS: tuple[str, ...] = Tier.__args__  # type: ignore[attr-defined]
COLUMNS: tuple[str, ...] = Column.__args__  # type: ignore[attr-defined]
SUBTYPES: tuple[str, ...] = Subtype.__args__  # type: ignore[attr-defined]


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, allow_inf_nan=False
    )


class _Record(_Model):
    id: Id = Field(min_length=1)
    extra: dict[str, Any] | None = Field(
        default=None, description="Free-form data the engine carries but never reads."
    )


class Subject(_Model):
    """Reference to one record: what a finding or waiver is about."""

    type: str
    id: str
