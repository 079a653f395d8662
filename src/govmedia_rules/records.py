"""The record contract (v1): pydantic models of every input record type.

Input is a stream of JSON objects, each with a ``type``. Field names are a
contract with embedding systems: fields may be added, never renamed. Unknown
fields are rejected (a typo such as ``publised_at`` must not silently turn a
post into one with no date); free-form data belongs in ``extra``.

Naive datetimes mean Asia/Shanghai; aware ones are converted to it, so the
local date of an event is always ``value.date()``.
"""

from __future__ import annotations

import re
import reprlib
from datetime import date, datetime, timedelta, timezone
from typing import Annotated, Any, Literal, Union, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    model_validator,
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


class Person(_Model):
    """A responsible person (负责人/联系人)."""

    name: str | None = None
    title: str | None = None
    phone: str | None = None
    mobile: str | None = None


class Subject(_Model):
    """Reference to one record: what a finding or waiver is about."""

    type: str
    id: str


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


Record = Annotated[
    Union[
        Unit,
        Account,
        Filing,
        Announcement,
        Post,
        Message,
        Login,
        Report,
        Incident,
        SpotCheck,
        Attestation,
        Waiver,
        Rectification,
    ],
    Field(discriminator="type"),
]
RECORD_TYPES: dict[str, type[_Record]] = {  # the union above, by its ``type`` tag
    m.model_fields["type"].default: m for m in get_args(get_args(Record)[0])
}
_RECORD_ADAPTER: TypeAdapter[Any] = TypeAdapter(Record)
_READING_ORDER = {kind: i for i, kind in enumerate(RECORD_TYPES)}


def reading_order(kind: str) -> int:
    """Where tables of a record type are read among the others: units, then accounts, then
    events."""
    return _READING_ORDER.get(kind, len(_READING_ORDER))


def parse_record(data: Any) -> Any:
    """Validate one decoded JSON value as a record; raises :class:`RecordInvalid`."""
    if not isinstance(data, dict):
        raise RecordInvalid(f"记录必须是 JSON 对象，实际是 {type(data).__name__}", code="type")
    kind = data.get("type")
    if not isinstance(kind, str) or kind not in RECORD_TYPES:
        allowed = "、".join(RECORD_TYPES)
        if kind is None:
            raise RecordInvalid("缺少 type 字段", field="type", code="missing")
        raise RecordInvalid(
            f"type: 未知的记录类型 {reprlib.repr(kind)}（允许：{allowed}）",
            field="type",
            code="enum",
        )
    where = lone_surrogate(data)
    if where is not None:
        raise RecordInvalid(
            f"{where}: 含有无法编码的字符（孤立的代理码位）", field=where, code="encoding"
        )
    try:
        return _RECORD_ADAPTER.validate_python(data)
    except ValidationError as exc:
        field, code = first_error(exc, skip_first=True)
        raise RecordInvalid(
            describe_validation_error(exc, skip_first=True), field=field, code=code
        ) from None


def lone_surrogate(value: Any) -> str | None:
    """The dotted path of the first text (or key) in ``value`` holding a lone surrogate, which no
    UTF-8 output can carry (JSON's ``"\\ud800"`` decodes to one); None when there is none."""
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:  # not recursive: a value nested thousands deep is walked like a flat one
        path, item = stack.pop()
        if isinstance(item, dict):
            for key, inner in item.items():
                if isinstance(key, str) and not _encodable(key):
                    return path or "字段名"
                stack.append((f"{path}.{key}" if path else str(key), inner))
        elif isinstance(item, list):
            stack.extend((f"{path}.{i}", inner) for i, inner in enumerate(item))
        elif isinstance(item, str) and not _encodable(item):
            return path
    return None


def _encodable(text: str) -> bool:
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def validate_record_json(raw: bytes | str) -> Any:
    """The fast path for JSON Lines: parse and validate one JSON text in a single pass.

    Returns None when the text is not a valid record; the caller then decodes
    it the ordinary way, so that :func:`parse_record` explains why.
    """
    try:
        return _RECORD_ADAPTER.validate_json(raw)
    except ValidationError:
        return None


class RecordInvalid(ValueError):
    """One record does not satisfy the contract; the message is for people, ``field`` and
    ``code`` for programs.

    ``field`` is the dotted path of the first offending field (None when the
    record as a whole is wrong); ``code`` is one of :data:`REJECTION_CODES`.
    """

    def __init__(self, reason: str, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(reason)
        self.field = field
        self.code = code


#: Stable machine-readable rejection codes, with what each means.
REJECTION_CODES = {
    "missing": "a required field is absent",
    "type": "a value of the wrong type, or a record that is not an object",
    "enum": "a value outside the allowed set (a misspelt type, platform, role ...)",
    "unknown_field": "a field the contract does not define",
    "format": "a date, time or number that cannot be read",
    "range": "a value outside its allowed range, or an empty text",
    "invalid": "a value that breaks a rule across fields (closed before opened ...)",
    "duplicate_id": "a second record of the same type with the same id",
    "unknown_reference": "a unit_id or account_id naming no accepted record",
    "ambiguous_reference": "a sponsor unit name that names several units",
    "syntax": "a line that is not valid JSON (or CSV)",
    "encoding": "bytes that are not valid text in the file's encoding",
    "too_large": "a line or cell over the size limit",
}

_CODES = {
    "missing": "missing",
    "extra_forbidden": "unknown_field",
    "literal_error": "enum",
    "string_type": "type",
    "list_type": "type",
    "dict_type": "type",
    "model_type": "type",
    "model_attributes_type": "type",
    "bool_type": "type",
    "int_type": "type",
    "date_type": "type",
    "datetime_type": "type",
    "union_tag_invalid": "enum",
    "int_from_float": "type",
    "greater_than_equal": "range",
    "string_too_short": "range",
    "too_short": "range",
}


def first_error(exc: ValidationError, *, skip_first: bool = False) -> tuple[str | None, str]:
    """Dotted path and code of a validation error's first problem."""
    err = exc.errors()[0]
    loc = list(err["loc"])[1 if skip_first else 0 :]
    kind = err["type"]
    code = _CODES.get(kind) or (
        "format" if kind.endswith("_parsing") or "from" in kind else "invalid"
    )
    return (".".join(str(p) for p in loc) or None), code


_PYDANTIC_MESSAGES = {
    "missing": "缺少必填字段",
    "extra_forbidden": "未知字段（自定义数据请放入 extra）",
    "literal_error": "取值不在允许范围内",
    "date_parsing": "不是有效日期（应为 YYYY-MM-DD）",
    "date_from_datetime_parsing": "不是有效日期（应为 YYYY-MM-DD）",
    "date_from_datetime_inexact": "日期不应带时间",
    "date_type": "不是有效日期（应为 YYYY-MM-DD）",
    "datetime_parsing": "不是有效时间（应为 ISO 8601）",
    "datetime_from_date_parsing": "不是有效时间（应为 ISO 8601）",
    "datetime_type": "不是有效时间（应为 ISO 8601）",
    "timezone_offset": "时区偏移无效",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "string_type": "应为字符串",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "greater_than_equal": "不能小于下限",
    "string_too_short": "不能为空",
    "value_error": "取值无效",
}


def describe_validation_error(exc: ValidationError, *, skip_first: bool = False) -> str:
    """Turn a pydantic error into '字段 a.b: 原因' sentences, Chinese first."""
    parts = []
    for err in exc.errors():
        loc = list(err["loc"])[1 if skip_first else 0 :]
        field = ".".join(str(p) for p in loc)
        reason = _PYDANTIC_MESSAGES.get(err["type"], err["msg"])
        if err["type"] == "literal_error":
            allowed = re.findall(r"'([^']*)'", str(err["ctx"].get("expected", "")))
            reason += f"（允许：{'、'.join(repr(value) for value in allowed)}）"
        elif err["type"] == "value_error":
            reason = str(err.get("ctx", {}).get("error", err["msg"]))
        elif err["type"] in ("greater_than_equal",):
            reason += f" {err['ctx'].get('ge')}"
        if (
            err["type"] not in ("missing",)
            and "input" in err
            and not isinstance(err["input"], (dict, list))
        ):
            reason += "，实际：空值" if err["input"] is None else f"，实际：{err['input']!r}"
        parts.append(f"{field}: {reason}" if field else reason)
    return "；".join(parts)


def records_json_schema() -> dict[str, Any]:
    """JSON Schema of one input record (``govmedia-rules schema records``)."""
    schema = _RECORD_ADAPTER.json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "govmedia-rules record (v1)"
    return schema
