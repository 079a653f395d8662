"""The hypothesis strategies and helpers re-exported by :mod:`govmedia_rules.testing`.

Strategies follow hypothesis' conventions: plural names, keyword-only
arguments, arguments checked with a clear error. They produce plain record
dicts (the JSON Lines contract), so what they generate can be written out
and replayed with the CLI. Requires the ``dev`` extra (hypothesis).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from hypothesis import strategies as st

from ..packs.model import Citation, Pack, Rule, Selector
from ..records import PLATFORMS


def _check_range(start: date, end: date) -> None:
    if not isinstance(start, date) or not isinstance(end, date):
        raise TypeError("start and end must be dates")
    if start > end:
        raise ValueError(f"start={start} must not be after end={end}")


def post_days(*, start: date, end: date, max_size: int = 60) -> st.SearchStrategy[list[date]]:
    """Sorted lists of days in [start, end] (repeats allowed: several posts a day)."""
    _check_range(start, end)
    if max_size < 0:
        raise ValueError("max_size must be >= 0")
    return st.lists(st.dates(start, end), max_size=max_size).map(sorted)


@st.composite
def _cadenced(draw: Any, start: date, end: date) -> list[date]:
    every = draw(st.integers(1, 21))
    first = draw(st.dates(start, min(end, start + timedelta(every))))
    days = [first + timedelta(every * i) for i in range((end - first).days // every + 1)]
    missed = draw(st.sets(st.integers(0, max(0, len(days) - 1)), max_size=3))
    return [d for i, d in enumerate(days) if i not in missed]


def cadenced_days(*, start: date, end: date) -> st.SearchStrategy[list[date]]:
    """Days of an account that posts every N days (1 to 21) from a start, missing a few: realistic
    cadences."""
    _check_range(start, end)
    return _cadenced(start, end)


@st.composite
def _account(draw: Any, unit_id: str, index: int, start: date, end: date) -> dict[str, Any]:
    opened = draw(st.one_of(st.none(), st.dates(start - timedelta(400), end)))
    closed = draw(st.one_of(st.none(), st.dates(opened or start, end + timedelta(30))))
    platform = draw(st.sampled_from(PLATFORMS))
    record: dict[str, Any] = {
        "type": "account",
        "id": f"a{index}",
        "unit_id": unit_id,
        "name": f"账号{index}",
        "platform": platform,
        "opened_on": opened.isoformat() if opened else None,
    }
    if platform == "wechat":
        record["subtype"] = draw(st.sampled_from(["subscription", "service"]))
    if closed and (opened is None or closed > opened):
        record.update(status="closed", closed_on=closed.isoformat())
    return record


def accounts(
    *,
    unit_id: str = "u0",
    start: date = date(2019, 1, 1),
    end: date = date(2019, 12, 31),
    index: int = 0,
) -> st.SearchStrategy[dict[str, Any]]:
    """Account records of one unit, opened (maybe) and closed (maybe) around [start, end]."""
    _check_range(start, end)
    return _account(unit_id, index, start, end)


@st.composite
def _histories(
    draw: Any, start: date, end: date, max_accounts: int, max_events: int, details: bool
) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = [
        {"type": "unit", "id": "u0", "name": "测试单位", "level": "county", "kind": "government"}
    ]
    n_accounts = draw(st.integers(1, max_accounts))
    for i in range(n_accounts):
        account = draw(_account("u0", i, start, end))
        records.append(account)
        for j, day in enumerate(
            draw(
                st.one_of(
                    post_days(start=start, end=end, max_size=max_events),
                    cadenced_days(start=start, end=end),
                )
            )
        ):
            moment = datetime.combine(day, time(draw(st.integers(0, 23)), draw(st.integers(0, 59))))
            records.append(
                {
                    "type": "post",
                    "id": f"a{i}-p{j}",
                    "account_id": account["id"],
                    "published_at": moment.isoformat(),
                    "original": draw(st.booleans()),
                    **(draw(_post_details(moment)) if details else {}),
                }
            )
        for j in range(draw(st.integers(0, 4)) if details else 0):
            received = datetime.combine(draw(st.dates(start, end)), time(draw(st.integers(0, 23))))
            delay = draw(st.one_of(st.none(), st.integers(0, 24 * 20)))
            records.append(
                {
                    "type": "message",
                    "id": f"a{i}-m{j}",
                    "account_id": account["id"],
                    "received_at": received.isoformat(),
                    "replied_at": None
                    if delay is None
                    else (received + timedelta(hours=delay)).isoformat(),
                }
            )
        for j in range(draw(st.integers(0, 3))):
            action_on = draw(st.dates(start, end))
            filed = draw(st.one_of(st.none(), st.dates(action_on, action_on + timedelta(20))))
            forwarded = (
                draw(st.one_of(st.none(), st.dates(filed, filed + timedelta(10))))
                if filed
                else None
            )
            records.append(
                {
                    "type": "filing",
                    "id": f"a{i}-f{j}",
                    "account_id": account["id"],
                    "action": draw(st.sampled_from(["open", "change", "close", "cancel"])),
                    "action_on": action_on.isoformat(),
                    "filed_on": filed and filed.isoformat(),
                    "forwarded_on": forwarded and forwarded.isoformat(),
                }
            )
    return records


def _post_details(moment: datetime) -> st.SearchStrategy[dict[str, Any]]:
    """The optional fields of a post: column, tier, repost source, flags, sign-offs (each often
    absent)."""
    from ..records import COLUMNS, ROLES, TIERS

    signoff = st.fixed_dictionaries(
        {
            "role": st.sampled_from(ROLES),
            "person": st.sampled_from("甲乙丙丁"),
            "at": st.integers(-600, 30).map(lambda m: (moment + timedelta(minutes=m)).isoformat()),
        }
    )
    optional = {
        "column": st.sampled_from(COLUMNS),
        "tier": st.sampled_from(TIERS),
        "review_form": st.booleans(),
        "repost_source": st.sampled_from(["新华社", "人民日报"]),
        "source_approved": st.booleans(),
        "source_credited": st.booleans(),
        "signoffs": st.lists(signoff, max_size=4),
        "flags": st.lists(
            st.sampled_from(["commercial_ad", "personal_opinion", "state_secret"]),
            min_size=1,
            max_size=2,
        ),
    }
    return st.fixed_dictionaries({}, optional=optional)


def histories(
    *,
    start: date = date(2019, 1, 1),
    end: date = date(2019, 12, 31),
    max_accounts: int = 3,
    max_events: int = 40,
    details: bool = False,
    sparse: bool = False,
) -> st.SearchStrategy[list[dict[str, Any]]]:
    """Whole input streams: one unit, its accounts, their posts and filings, as record dicts.

    With ``details`` posts also carry their optional fields (column, tier,
    sign-offs, flags, repost source — each often absent) and accounts receive
    messages, some never answered. With ``sparse`` the stream looks like a
    monitoring office's data: whole record types may be missing, and fields
    are dropped at random from every record (or given as explicit empty lists).
    """
    _check_range(start, end)
    if max_accounts < 1:
        raise ValueError("max_accounts must be >= 1")
    strategy = _histories(start, end, max_accounts, max_events, details)
    return strategy.flatmap(_sparse) if sparse else strategy


#: fields a sparse stream may lack: everything but what identifies a record and places it in time
_KEPT = {
    "type",
    "id",
    "unit_id",
    "account_id",
    "name",
    "level",
    "kind",
    "platform",
    "published_at",
    "received_at",
    "action",
    "action_on",
}


def _sparse(records: list[dict[str, Any]]) -> st.SearchStrategy[list[dict[str, Any]]]:
    @st.composite
    def build(draw: Any) -> list[dict[str, Any]]:
        dropped = draw(st.sets(st.sampled_from(["post", "message", "filing"])))
        out = []
        for record in records:
            if record["type"] in dropped:
                continue
            record = dict(record)
            for name in sorted(set(record) - _KEPT):
                choice = draw(st.sampled_from(["keep", "keep", "drop", "empty"]))
                if choice == "drop":
                    del record[name]
                elif choice == "empty" and isinstance(record[name], list):
                    record[name] = []
            out.append(record)
        return out

    return build()


def units(*, ids: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[dict[str, Any]]:
    """Unit records of any level and kind."""
    from ..records import LEVELS, UNIT_KINDS

    return st.fixed_dictionaries(
        {
            "type": st.just("unit"),
            "id": ids if ids is not None else st.from_regex(r"u[0-9]{1,3}", fullmatch=True),
            "name": st.from_regex(r"[一-龥]{2,6}(局|委|办|政府)", fullmatch=True),
            "level": st.sampled_from(LEVELS),
            "kind": st.sampled_from(UNIT_KINDS),
            "classified": st.booleans(),
            "public_facing": st.booleans(),
        }
    )


def posts(
    *,
    account_id: str = "a0",
    start: date = date(2019, 1, 1),
    end: date = date(2019, 12, 31),
    max_size: int = 40,
) -> st.SearchStrategy[list[dict[str, Any]]]:
    """Post records of one account in [start, end], with sign-offs before or after publication and
    flags."""
    from ..records import ROLES, TIERS

    _check_range(start, end)
    if max_size < 0:
        raise ValueError("max_size must be >= 0")

    @st.composite
    def build(draw: Any) -> list[dict[str, Any]]:
        out = []
        for i, day in enumerate(draw(post_days(start=start, end=end, max_size=max_size))):
            at = datetime.combine(day, time(draw(st.integers(0, 23)), draw(st.integers(0, 59))))
            signoffs = [
                {
                    "role": draw(st.sampled_from(ROLES)),
                    "person": draw(st.sampled_from("甲乙丙丁")),
                    "at": (at + timedelta(minutes=draw(st.integers(-600, 30)))).isoformat(),
                }
                for _ in range(draw(st.integers(0, 6)))
            ]
            out.append(
                {
                    "type": "post",
                    "id": f"{account_id}-p{i}",
                    "account_id": account_id,
                    "published_at": at.isoformat(),
                    "original": draw(st.booleans()),
                    "tier": draw(st.sampled_from(TIERS)),
                    "signoffs": signoffs,
                    "review_form": draw(st.booleans()),
                    "flags": draw(
                        st.lists(
                            st.sampled_from(["commercial_ad", "personal_opinion", "state_secret"]),
                            max_size=1,
                        )
                    ),
                }
            )
        return out

    return build()


def packs(*, kinds: list[str] | None = None) -> st.SearchStrategy[Pack]:
    """One-rule packs of the built-in kinds, each with its documented example params."""
    import yaml

    from ..kinds import BUILTIN_KINDS

    chosen = [k for k in BUILTIN_KINDS if kinds is None or k.name in kinds]
    if not chosen:
        raise ValueError(f"no built-in rule kind among {kinds!r}")

    def build(kind: Any) -> Pack:
        example = yaml.safe_load(kind.example) or {}
        return one_rule_pack(
            kind.name,
            example.get("params") or {},
            rule_id=kind.name.replace("_", "-"),
            applies_to=example.get("applies_to"),
        )

    return st.sampled_from(chosen).map(build)


def mutated_packs(pack: Pack) -> st.SearchStrategy[Pack]:
    """Copies of ``pack`` with one numeric threshold of one rule moved up or down by one (never
    below its floor)."""
    from ..packs.authoring import threshold_mutations

    candidates = threshold_mutations(pack, own_only=False)
    if not candidates:
        raise ValueError(f"pack {pack.id!r} has no numeric thresholds to mutate")
    return st.sampled_from(candidates).map(lambda mutation: mutation.pack)


def one_rule_pack(
    kind: str,
    params: dict[str, Any] | None = None,
    *,
    rule_id: str = "r",
    severity: str = "error",
    applies_to: dict[str, Any] | None = None,
    effective: dict[str, Any] | None = None,
) -> Pack:
    """A pack holding a single rule, for testing one rule kind in isolation."""
    rule = Rule(
        id=rule_id,
        kind=kind,
        title=rule_id,
        severity=severity,
        params=params or {},
        applies_to=Selector(**(applies_to or {})),
        effective=effective or {},
        citation=Citation(document="测试文件", article="第一条", quote="测试条文"),
    )
    return Pack(
        id="test",
        title="测试规则包",
        issuer="测试",
        jurisdiction="测试",
        version="0",
        rules=[rule],
        digest="test",
        lineage=["test"],
    )
