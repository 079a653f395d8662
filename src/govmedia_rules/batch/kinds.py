"""Row filters for the kinds that judge posts one by one: which rows can breach a rule, and which
cannot be judged for want of a field.

Only the candidate rows are rebuilt as records and handed to the kind, which
writes the finding; the rows that lack data are counted here, in bulk, so a
national table of posts without sign-offs is never rebuilt.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import combinations
from typing import Any

import numpy as np

from ..kinds.base import Scope
from ..kinds.content import ApprovalChain, ForbiddenPostFlags, RepostSource
from ..records import ROLES, TIERS
from .columns import EventTable


def _in_window(table: EventTable, scope: Scope) -> np.ndarray:
    return (table.day >= scope.since.toordinal()) & (table.day <= scope.as_of.toordinal())


def _signed_off(
    posts: EventTable, of_tier: np.ndarray, roles: Sequence[str], distinct: bool
) -> np.ndarray:
    """Per post: sign-offs (or different people, by person hash) in ``roles`` given before
    publication."""
    c = posts.columns
    row, person = c["signoff_row"], c["signoff_person"]
    use = (
        np.isin(c["signoff_role"], [ROLES.index(r) for r in roles])
        & c["signoff_in_time"]
        & of_tier[row]
    )
    row, person = row[use], person[use]
    if distinct and len(row):
        order = np.lexsort((person, row))
        row, person = row[order], person[order]
        row = row[np.r_[True, (row[1:] != row[:-1]) | (person[1:] != person[:-1])]]
    return np.bincount(row, minlength=len(of_tier))


#: a row filter's answer: rows that may breach the rule (the kind decides on their records), and
#: rows that cannot be judged, by what they lack
Unknowns = list[tuple[tuple[str, ...], np.ndarray]]


def _known(posts: EventTable, scope: Scope, path: str, given: np.ndarray) -> np.ndarray:
    """Rows whose field is known: given, or declared complete."""
    return given | (path in scope.evidence.complete)


def _absent(rest: np.ndarray, wanted: dict[str, np.ndarray]) -> Unknowns:
    """Rows of ``rest`` by the set of fields they lack among ``wanted`` (field → known mask)."""
    out: Unknowns = []
    paths = sorted(wanted)
    for size in range(1, len(paths) + 1):
        for chosen in combinations(paths, size):
            mask = rest.copy()
            for path in paths:
                mask &= ~wanted[path] if path in chosen else wanted[path]
            out.append((chosen, mask))
    return out


def _unapproved(
    kind: ApprovalChain, posts: EventTable, scope: Scope
) -> tuple[np.ndarray, Unknowns]:
    """Posts that may lack a sign-off their tier needs, or the review form (a hash clash can only
    add rows); posts whose sign-offs or form are not known, where nothing known is lacking."""
    c = posts.columns
    tier = c["tier"]
    signed = _known(posts, scope, "post.signoffs", c["signoffs_known"])
    form = _known(posts, scope, "post.review_form", c["review_form"] >= 0)
    covered = np.zeros(len(tier), bool)
    short = np.zeros(len(tier), bool)
    for name, steps in kind.params.tiers.items():
        of_tier = tier == TIERS.index(name)
        covered |= of_tier
        for step in steps:
            short |= (
                of_tier
                & signed
                & (_signed_off(posts, of_tier, step.roles, step.distinct_persons) < step.count)
            )
    wanted = {"post.signoffs": signed}
    if kind.params.review_form:
        short |= covered & form & (c["review_form"] != 1)
        wanted["post.review_form"] = form
    window = _in_window(posts, scope)
    return short & window, _absent(covered & window & ~short, wanted)


def _unsourced(kind: RepostSource, posts: EventTable, scope: Scope) -> tuple[np.ndarray, Unknowns]:
    """Reposts known not to be from an approved source, or not credited, as the rule requires;
    posts not known to be reposts or not, and reposts whose source facts are not known."""
    c = posts.columns
    window = _in_window(posts, scope)
    repost = ((c["original"] == 0) | c["has_repost_source"]) & window
    undecided = (
        ~_known(posts, scope, "post.original", c["original"] >= 0)
        & ~c["has_repost_source"]
        & window
    )
    short = np.zeros(len(repost), bool)
    wanted = {}
    for on, name in (
        (kind.params.approved_source, "source_approved"),
        (kind.params.credited, "source_credited"),
    ):
        if on:
            known = wanted[f"post.{name}"] = _known(posts, scope, f"post.{name}", c[name] >= 0)
            short |= known & (c[name] != 1)
    return repost & short, [(("post.original",), undecided), *_absent(repost & ~short, wanted)]


def _flagged(
    kind: ForbiddenPostFlags, posts: EventTable, scope: Scope
) -> tuple[np.ndarray, Unknowns]:
    """Posts with any flag (the kind decides which); posts whose flags are not known."""
    window = _in_window(posts, scope)
    known = _known(posts, scope, "post.flags", posts.columns["flags_known"])
    return posts.columns["has_flags"] & window, [(("post.flags",), ~known & window)]


#: post-by-post kinds: only the rows that can breach the rule are rebuilt as records
ROW_FILTERS: dict[type, Callable[[Any, EventTable, Scope], tuple[np.ndarray, Unknowns]]] = {
    ApprovalChain: _unapproved,
    ForbiddenPostFlags: _flagged,
    RepostSource: _unsourced,
}
