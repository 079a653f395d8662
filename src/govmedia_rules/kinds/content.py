"""Content rules: review before publication, forbidden content, repost sources."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field, model_validator

from ..dataset import AccountHistory
from ..labels import FLAG, ROLE, TIER, label, unlabelled
from ..records import Post, Role, Signoff, Subject, Tier
from .base import AccountRuleKind, Params, Scope, Unknown, Unknowns, Violation, describe_account


def posts_in_scope(history: AccountHistory, scope: Scope) -> Iterator[Post]:
    for post in history.posts:
        if scope.since <= post.published_at.date() <= scope.as_of:
            yield post


def _post_subject(post: Post) -> Subject:
    return Subject(type="post", id=post.id)


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


class ApprovalChain(AccountRuleKind):
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

    def check_account(self, history: AccountHistory, scope: Scope) -> Iterator[Violation | Unknown]:
        unknowns = Unknowns("post")
        for post in posts_in_scope(history, scope):
            steps = self.params.tiers.get(post.tier)
            if steps is None:
                continue
            signoffs = (
                (post.signoffs or []) if scope.knows("post.signoffs", post.signoffs) else None
            )
            form_known = scope.knows("post.review_form", post.review_form)
            missing, late = self._missing(post, steps, signoffs, form_known)
            if missing:
                tail = f"；另有{late}个签发晚于发布时间，不计入" if late else ""
                yield Violation(
                    _post_subject(post),
                    f"账号{describe_account(history)}{post.published_at:%Y-%m-%d %H:%M}"
                    f"发布的{label(TIER, post.tier)}"
                    f"（{post.id}）发布前缺少：{'、'.join(missing)}{tail}",
                    {"account": history.account.id, "tier": post.tier, "missing": missing},
                    account=history.account.id,
                )
            elif signoffs is None or (self.params.review_form and not form_known):
                unknowns.add(
                    post.id,
                    *(["post.signoffs"] if signoffs is None else []),
                    *(["post.review_form"] if self.params.review_form and not form_known else []),
                )
        yield from unknowns

    def _missing(
        self, post: Post, steps: list[SignoffStep], signoffs: list[Signoff] | None, form_known: bool
    ) -> tuple[list[str], int]:
        """What the post lacks among what is known of it, and how many sign-offs came too late."""
        missing = []
        valid = [s for s in signoffs or () if s.at <= post.published_at]
        for step in steps if signoffs is not None else ():
            signers = [s.person for s in valid if s.role in step.roles]
            have = len(set(signers)) if step.distinct_persons else len(signers)
            if have < step.count:
                who = "或".join(label(ROLE, r) for r in step.roles)
                missing.append(
                    f"{who}（需{step.count}{'人' if step.distinct_persons else '次'}，"
                    f"发布前实有{have}）"
                )
        if self.params.review_form and form_known and not post.review_form:
            missing.append("登记审核表")
        return missing, len(signoffs or ()) - len(valid)


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


class ForbiddenPostFlags(AccountRuleKind):
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

    def check_account(self, history: AccountHistory, scope: Scope) -> Iterator[Violation | Unknown]:
        unknowns = Unknowns("post")
        for post in posts_in_scope(history, scope):
            if post.flags is None:
                if not scope.knows("post.flags", None):
                    unknowns.add(post.id, "post.flags")
                continue
            found = [f for f in post.flags if f in self.params.flags]
            if found and not any(f in self.params.unless_flags for f in post.flags):
                yield Violation(
                    _post_subject(post),
                    f"账号{describe_account(history)}{post.published_at:%Y-%m-%d}发布的信息（{post.id}）含有"
                    f"{'、'.join(self.params.labels.get(f) or label(FLAG, f) for f in found)}",
                    {"account": history.account.id, "flags": found},
                    account=history.account.id,
                )
        yield from unknowns


class RepostSourceParams(Params):
    approved_source: bool = Field(
        default=True, description="Reposts only from designated source units (稿源单位)"
    )
    credited: bool = Field(default=False, description="Reposts name their source (注明来源)")


class RepostSource(AccountRuleKind):
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

    def check_account(self, history: AccountHistory, scope: Scope) -> Iterator[Violation | Unknown]:
        p = self.params
        unknowns = Unknowns("post")
        for post in posts_in_scope(history, scope):
            if post.original is not False and post.repost_source is None:
                if not scope.knows("post.original", post.original):
                    unknowns.add(post.id, "post.original")
                continue
            problems, absent = [], []
            for wanted, path, value, problem in (
                (
                    p.approved_source,
                    "post.source_approved",
                    post.source_approved,
                    "来源不是确定的稿源单位",
                ),
                (p.credited, "post.source_credited", post.source_credited, "未注明来源"),
            ):
                if not wanted:
                    continue
                if not scope.knows(path, value):
                    absent.append(path)
                elif value is not True:
                    problems.append(problem)
            if problems:
                yield Violation(
                    _post_subject(post),
                    f"账号{describe_account(history)}{post.published_at:%Y-%m-%d}转载的信息（{post.id}，来源："
                    f"{post.repost_source or '未填写'}）{'，'.join(problems)}",
                    {
                        "account": history.account.id,
                        "repost_source": post.repost_source,
                        "problems": problems,
                    },
                    account=history.account.id,
                )
            elif absent:
                unknowns.add(post.id, *absent)
        yield from unknowns
