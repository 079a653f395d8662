"""The record contract (v1): pydantic models of every input record type.

Input is a stream of JSON objects, each with a ``type``. Field names are a
contract with embedding systems: fields may be added, never renamed. Unknown
fields are rejected (a typo such as ``publised_at`` must not silently turn a
post into one with no date); free-form data belongs in ``extra``.

Naive datetimes mean Asia/Shanghai; aware ones are converted to it, so the
local date of an event is always ``value.date()``.

The models are split by what they describe: the types and enumerations they are built from
(`base`), the registry (`registry`), events (`events`), the follow-up of findings
(`followup`); `union` parses a record of any type and `rejections` says why one is refused.
Import every name from here.
"""

from __future__ import annotations

from .base import (
    COLUMNS,
    LEVELS,
    PLATFORMS,
    ROLES,
    SHANGHAI,
    SUBTYPES,
    TIERS,
    UNIT_KINDS,
    Body,
    Column,
    Id,
    Level,
    LocalDateTime,
    Platform,
    ReportKind,
    Role,
    Subject,
    Subtype,
    Tier,
    UnitKind,
)
from .events import (
    Announcement,
    Approval,
    Attestation,
    Filing,
    Incident,
    Login,
    Message,
    Post,
    Report,
    Signoff,
    SpotCheck,
)
from .followup import Rectification, Waiver
from .registry import Account, Person, Unit
from .rejections import REJECTION_CODES, RecordInvalid, describe_validation_error, first_error
from .union import (
    RECORD_TYPES,
    Record,
    lone_surrogate,
    parse_record,
    reading_order,
    records_json_schema,
    validate_record_json,
)

__all__ = [
    "COLUMNS",
    "LEVELS",
    "PLATFORMS",
    "RECORD_TYPES",
    "REJECTION_CODES",
    "ROLES",
    "SHANGHAI",
    "SUBTYPES",
    "TIERS",
    "UNIT_KINDS",
    "Account",
    "Announcement",
    "Approval",
    "Attestation",
    "Body",
    "Column",
    "Filing",
    "Id",
    "Incident",
    "Level",
    "LocalDateTime",
    "Login",
    "Message",
    "Person",
    "Platform",
    "Post",
    "Record",
    "RecordInvalid",
    "Rectification",
    "Report",
    "ReportKind",
    "Role",
    "Signoff",
    "SpotCheck",
    "Subject",
    "Subtype",
    "Tier",
    "Unit",
    "UnitKind",
    "Waiver",
    "describe_validation_error",
    "first_error",
    "lone_surrogate",
    "parse_record",
    "reading_order",
    "records_json_schema",
    "validate_record_json",
]
