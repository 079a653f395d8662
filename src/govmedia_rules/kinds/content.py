"""Content rules: review before publication, forbidden content, repost sources.

Each is written once, over the post columns of every account at once: the
array code says which posts breach the rule and which cannot be judged for
want of which field. Only the posts in breach are read back as records, for
the kind to write the finding (a finding names the post's time and source,
which the columns do not hold). One account handed to the engine as dicts is
a batch of one and runs the same code as a national table.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, ClassVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import Field, model_validator

from ..dataset.registry import AccountHistory
from ..labels import FLAG, ROLE, TIER, label, unlabelled
from ..records import ROLES, TIERS, Post, Role, Subject, Tier
from .arrays import in_window
from .base import ColumnRuleKind, Params, Scope, Unknown, Violation, columns_of, describe_account

if TYPE_CHECKING:
    from ..dataset.columns import ColumnarEvents, EventTable


def _post_finding(
    history: AccountHistory, post: Post, message: str, **evidence: object
) -> Violation:
    """A finding about a post, owned by its account."""
    return Violation(
        Subject(type="post", id=post.id),
        f"账号{describe_account(history)}{message}",
        {"account": history.account.id, **evidence},
        account=history.account.id,
    )


class SignoffStep(Params):
    roles: list[Role] = Field(min_length=1, description="Any of these roles satisfies the step")
    count: int = Field(default=1, ge=1, description="Sign-offs needed")
    distinct_persons: bool = Field(
        default=True, description="Count different people, not sign-offs"
    )


class ApprovalChainParams(Params):
    tiers: dict[Tier, list[SignoffStep]] = Field(
        min_length=1, description="Steps required before publication, per tier of post"
    )
    review_form: bool = Field(
        default=False, description="The registration-review form (登记审核表) must be filled in"
    )


class ApprovalChain(ColumnRuleKind):
    """先审后发: a post carries, before its publication time, the sign-offs its tier needs.

    A sign-off counts only if its time is not after ``published_at``. With
    ``distinct_persons`` a step needing 3 proofreaders needs 3 different
    people (三校). Steps are independent: the same person may sign two steps
    unless the pack says otherwise in its roles.
    """

    reports = ("post",)
    name = "approval_chain"
    reads = frozenset({"post"})
    title = "审核签发"
    Params = ApprovalChainParams
    example = """
params:
  tiers:
    routine:
      - {roles: [proofreader], count: 3}
      - {roles: [first_reviewer]}
      - {roles: [second_reviewer]}
      - {roles: [final_reviewer]}
    major:
      - {roles: [deputy_leader, principal_leader]}
  review_form: true
"""
    params: ApprovalChainParams

    def evaluate(self, scope: Scope) -> Iterator[Violation | Unknown]:
        return _approval_chain(self, scope, columns_of(scope))

    def chain_verdict(
        self,
        history: AccountHistory,
        post: Post,
        short: list[tuple[SignoffStep, int]],
        no_form: bool,
        late: int,
    ) -> Violation:
        """The finding for a post that lacks the ``short`` steps (each with the sign-offs, or
        people, it had before publication) or the review form; ``late`` sign-offs came after."""
        missing = [
            f"{'或'.join(label(ROLE, r) for r in step.roles)}"
            f"（需{step.count}{'人' if step.distinct_persons else '次'}，发布前实有{have}）"
            for step, have in short
        ] + (["登记审核表"] if no_form else [])
        tail = f"；另有{late}个签发晚于发布时间，不计入" if late else ""
        return _post_finding(
            history,
            post,
            f"{post.published_at:%Y-%m-%d %H:%M}发布的{label(TIER, post.tier)}"
            f"（{post.id}）发布前缺少：{'、'.join(missing)}{tail}",
            tier=post.tier,
            missing=missing,
        )


class ForbiddenPostFlagsParams(Params):
    flags: list[str] = Field(min_length=1, description="Post flags that must never occur")
    unless_flags: list[str] = Field(
        default_factory=list, description="Flags that make a post an allowed exception"
    )
    labels: dict[str, str] = Field(
        default_factory=dict,
        description="Chinese names of flags the vocabulary lacks (shown in messages)",
    )

    @model_validator(mode="after")
    def _named(self) -> ForbiddenPostFlagsParams:
        missing = unlabelled(FLAG, self.flags + self.unless_flags, self.labels)
        if missing:
            raise ValueError(
                f"信息标记 {'、'.join(missing)} 不在词表中，须在 labels 中给出中文名称"
            )
        return self


class ForbiddenPostFlags(ColumnRuleKind):
    """不得发布: posts carrying a forbidden flag (商业广告, 个人观点, 违法有害信息 ...)."""

    reports = ("post",)
    name = "forbidden_post_flags"
    reads = frozenset({"post"})
    title = "禁止发布的内容"
    Params = ForbiddenPostFlagsParams
    example = """
params:
  flags: [commercial_ad, personal_opinion]
"""
    params: ForbiddenPostFlagsParams

    def evaluate(self, scope: Scope) -> Iterator[Violation | Unknown]:
        return _forbidden_post_flags(self, scope, columns_of(scope))

    def flags_verdict(self, history: AccountHistory, post: Post, found: list[str]) -> Violation:
        """The finding for a post carrying the forbidden flags ``found`` (in the post's order)."""
        names = "、".join(self.params.labels.get(f) or label(FLAG, f) for f in found)
        return _post_finding(
            history,
            post,
            f"{post.published_at:%Y-%m-%d}发布的信息（{post.id}）含有{names}",
            flags=found,
        )


class RepostSourceParams(Params):
    approved_source: bool = Field(
        default=True, description="Reposts only from designated source units (稿源单位)"
    )
    credited: bool = Field(default=False, description="Reposts name their source (注明来源)")


class RepostSource(ColumnRuleKind):
    """转载规范: a repost (original false or a repost_source given) comes from an approved \
source, credited."""

    reports = ("post",)
    name = "repost_source"
    reads = frozenset({"post"})
    title = "转载来源"
    Params = RepostSourceParams
    example = """
params:
  approved_source: true
  credited: true
"""
    params: RepostSourceParams

    #: what a repost must be, by the field that says it, and how a finding words its absence
    problems: ClassVar[dict[str, str]] = {
        "source_approved": "来源不是确定的稿源单位",
        "source_credited": "未注明来源",
    }

    def required(self) -> list[str]:
        """The fields the params require of a repost, in the order findings name them."""
        on = {
            "source_approved": self.params.approved_source,
            "source_credited": self.params.credited,
        }
        return [name for name in self.problems if on[name]]

    def evaluate(self, scope: Scope) -> Iterator[Violation | Unknown]:
        return _repost_source(self, scope, columns_of(scope))

    def source_verdict(self, history: AccountHistory, post: Post, failed: list[str]) -> Violation:
        """The finding for a repost known to fail the ``failed`` fields of :meth:`required`."""
        problems = [self.problems[name] for name in failed]
        return _post_finding(
            history,
            post,
            f"{post.published_at:%Y-%m-%d}转载的信息（{post.id}，来源："
            f"{post.repost_source or '未填写'}）{'，'.join(problems)}",
            repost_source=post.repost_source,
            problems=problems,
        )


# -- the kinds over columns: every post at once --------------------------------


def _known(scope: Scope, path: str, given: np.ndarray) -> np.ndarray:
    """Posts whose field is known: given, or the field declared complete."""
    return given | scope.knows(path, None)


def _unknowns(
    posts: EventTable, rest: np.ndarray, known: dict[str, np.ndarray]
) -> Iterator[Unknown]:
    """The posts of ``rest`` lacking some of the fields of ``known`` (path → known mask): one
    :class:`Unknown` per set of fields lacking."""
    paths = sorted(known)
    lacking = np.zeros(len(rest), np.int8)
    for bit, path in enumerate(paths):
        lacking |= (~known[path]).astype(np.int8) << bit
    lacking[~rest] = 0
    for code in range(1, 1 << len(paths)):
        found = posts.unknown_rows(
            lacking == code, tuple(p for bit, p in enumerate(paths) if code >> bit & 1)
        )
        if found is not None:
            yield found


def _signed_off(
    posts: EventTable, counted: np.ndarray, roles: Sequence[str], distinct: bool
) -> np.ndarray:
    """Per post: its sign-offs in ``roles`` given by its publication time (only for posts of
    ``counted``), or with ``distinct`` the different people who gave them (by a 64-bit hash of
    the name: two names share one only by a clash of odds about 2⁻⁶⁴ a pair)."""
    c = posts.columns
    row, person = c["signoff_row"], c["signoff_person"]
    use = (
        np.isin(c["signoff_role"], [ROLES.index(r) for r in roles])
        & c["signoff_in_time"]
        & counted[row]
    )
    row, person = row[use], person[use]
    if distinct and len(row):
        order = np.lexsort((person, row))
        row, person = row[order], person[order]
        row = row[np.r_[True, (row[1:] != row[:-1]) | (person[1:] != person[:-1])]]
    return np.bincount(row, minlength=len(counted))


def _approval_chain(
    kind: ApprovalChain, scope: Scope, events: ColumnarEvents
) -> Iterator[Violation | Unknown]:
    posts = events.tables["post"]
    c = posts.columns
    judged = in_window(events, posts, scope)
    signed = _known(scope, "post.signoffs", c["signoffs_known"])
    covered = np.zeros(len(judged), bool)  # posts of a tier the rule sets steps for
    short: dict[int, list[tuple[SignoffStep, int]]] = {}  # post → its steps short, with counts
    for tier, steps in kind.params.tiers.items():
        of_tier = judged & (c["tier"] == TIERS.index(tier))
        covered |= of_tier
        for step in steps:
            have = _signed_off(posts, of_tier & signed, step.roles, step.distinct_persons)
            lacking = np.flatnonzero(of_tier & signed & (have < step.count))
            for row, count in zip(lacking.tolist(), have[lacking].tolist(), strict=True):
                short.setdefault(row, []).append((step, count))
    known = {"post.signoffs": signed}
    no_form = np.zeros(len(judged), bool)
    if kind.params.review_form:
        known["post.review_form"] = _known(scope, "post.review_form", c["review_form"] >= 0)
        no_form = covered & known["post.review_form"] & (c["review_form"] != 1)
    breach = no_form.copy()
    breach[list(short)] = True
    rows = np.flatnonzero(breach)
    late = np.sort(c["signoff_row"][~c["signoff_in_time"]])
    lates = np.searchsorted(late, rows, "right") - np.searchsorted(late, rows, "left")
    for row, post, n in zip(
        rows.tolist(), posts.build(rows, keep_order=True), lates.tolist(), strict=True
    ):
        history = events.histories[int(posts.account[row])]
        yield kind.chain_verdict(history, post, short.get(row, []), bool(no_form[row]), n)
    yield from _unknowns(posts, covered & ~breach, known)


def _forbidden_post_flags(
    kind: ForbiddenPostFlags, scope: Scope, events: ColumnarEvents
) -> Iterator[Violation | Unknown]:
    posts = events.tables["post"]
    c = posts.columns
    judged = in_window(events, posts, scope)
    yield from _unknowns(
        posts, judged, {"post.flags": _known(scope, "post.flags", c["flags_known"])}
    )
    # the columns say which posts carry any flag; the flags themselves are read back for those
    rows = np.flatnonzero(judged & c["has_flags"])
    records = posts.build(rows, keep_order=True)
    flags = [f for post in records for f in post.flags or ()]
    owner = np.repeat(np.arange(len(rows)), [len(post.flags or ()) for post in records])
    values = pa.array(flags, pa.string())

    def among(names: list[str]) -> np.ndarray:
        return np.asarray(pc.is_in(values, value_set=pa.array(names, pa.string())), bool)

    forbidden, allowed = among(kind.params.flags), among(kind.params.unless_flags)
    breach = (np.bincount(owner[forbidden], minlength=len(rows)) > 0) & (
        np.bincount(owner[allowed], minlength=len(rows)) == 0
    )
    starts = np.r_[0, np.cumsum(np.bincount(owner, minlength=len(rows)))]
    for i in np.flatnonzero(breach).tolist():
        found = [flags[j] for j in range(starts[i], starts[i + 1]) if forbidden[j]]
        history = events.histories[int(posts.account[rows[i]])]
        yield kind.flags_verdict(history, records[i], found)


def _repost_source(
    kind: RepostSource, scope: Scope, events: ColumnarEvents
) -> Iterator[Violation | Unknown]:
    posts = events.tables["post"]
    c = posts.columns
    judged = in_window(events, posts, scope)
    repost = judged & ((c["original"] == 0) | c["has_repost_source"])
    undecided = judged & ~repost & ~_known(scope, "post.original", c["original"] >= 0)
    found = posts.unknown_rows(undecided, ("post.original",))
    if found is not None:
        yield found
    known = {
        f"post.{name}": _known(scope, f"post.{name}", c[name] >= 0) for name in kind.required()
    }
    failing = {name: repost & known[f"post.{name}"] & (c[name] != 1) for name in kind.required()}
    breach = np.logical_or.reduce([np.zeros(len(judged), bool), *failing.values()])
    rows = np.flatnonzero(breach)
    for row, post in zip(rows.tolist(), posts.build(rows, keep_order=True), strict=True):
        failed = [name for name, mask in failing.items() if mask[row]]
        yield kind.source_verdict(events.histories[int(posts.account[row])], post, failed)
    yield from _unknowns(posts, repost & ~breach, known)
