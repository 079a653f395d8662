"""Who the bulletin names and where units stand: the veto list, the unit ranking, the 县区 roll-up.

Each sums the period's open findings and verdicts over the registry's units
and accounts; the builder calls them once per bulletin.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from ..dataset.registry import Dataset
from ..findings.report import Finding
from ..findings.scoring import region_of, short_title
from .bulletin_model import AccountScore, Region, UnitRank, Veto
from .bulletin_names import Names


def unit_ranking(
    dataset: Dataset,
    open_now: list[Finding],
    failed: set[str],
    vetoed: set[str],
    scored: list[AccountScore],
    names: Names,
) -> list[UnitRank]:
    """Units ranked: by their accounts' mean score where the scheme gives points, else by fewest
    problems. ``failed`` and ``vetoed`` are account ids, worked out once by the builder.
    """
    problems = Counter(f.unit for f in open_now)
    by_unit: dict[str, list[float]] = defaultdict(list)
    for s in scored:
        history = dataset.accounts.get(s.account)
        if history and s.score is not None:
            by_unit[history.unit.id].append(s.score)
    rows = []
    for unit_id, view in dataset.units.items():
        if not view.accounts and not problems[unit_id]:
            continue
        ids = [h.account.id for h in view.accounts]
        mean = round(sum(by_unit[unit_id]) / len(by_unit[unit_id]), 2) if by_unit[unit_id] else None
        rows.append(
            UnitRank(
                rank=0,
                id=unit_id,
                name=view.unit.name,
                region=names.region(unit_id),
                accounts=len(ids),
                failed=sum(i in failed for i in ids),
                vetoed=sum(i in vetoed for i in ids),
                problems=problems[unit_id],
                score=mean,
            )
        )
    rows.sort(key=lambda r: (-(r.score if r.score is not None else -1), r.vetoed, r.problems, r.id))
    return [r.model_copy(update={"rank": i}) for i, r in enumerate(rows, 1)]


def region_rollup(
    dataset: Dataset, open_now: list[Finding], failed: set[str], vetoed: set[str], names: Names
) -> list[Region]:
    """Every unit summed into its 县区 (its nearest government unit): the roll-up from 县区 to
    部门."""
    problems = Counter(region_of(dataset, f.unit) for f in open_now)
    members: dict[str, list[str]] = defaultdict(list)
    for unit_id in dataset.units:
        members[region_of(dataset, unit_id) or unit_id].append(unit_id)
    out = []
    for region, unit_ids in members.items():
        ids = [h.account.id for u in unit_ids for h in dataset.units[u].accounts]
        if ids or problems[region]:
            out.append(
                Region(
                    id=region,
                    name=names.unit(region),
                    units=len(unit_ids),
                    accounts=len(ids),
                    failed=sum(i in failed for i in ids),
                    vetoed=sum(i in vetoed for i in ids),
                    problems=problems[region],
                )
            )
    return sorted(out, key=lambda r: (-r.problems, r.id))


def veto_list(vetoes: list[Finding], dataset: Dataset, names: Names) -> list[Veto]:
    """Vetoed accounts and units, as scoring counts them: an account's veto also vetoes its unit."""
    groups: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in vetoes:
        if finding.account:
            groups[("account", finding.account)].append(finding)
        if finding.unit:
            groups[("unit", finding.unit)].append(finding)
    out = []
    for (type_, id_), found in sorted(groups.items()):
        history = dataset.accounts.get(id_) if type_ == "account" else None
        name = names.account(id_) if type_ == "account" else names.unit(id_)
        rules = sorted({f.rule for f in found})
        titles = [short_title(next(f.title for f in found if f.rule == r)) for r in rules]
        out.append(
            Veto(
                type=type_,
                id=id_,
                name=name,
                rules=rules,
                titles=titles,
                findings=len(found),
                unit=history.unit.name if history else "",
            )
        )
    return out

