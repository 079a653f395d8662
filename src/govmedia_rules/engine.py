"""Evaluating packs over records: accept the input, index it once, run every rule, report.

The engine is deterministic: the same packs and records give the same
report, findings sorted. Input accounting is exact: every record read is
accepted or rejected with a reason (bad shape, duplicate id, reference to a
unit or account not in the input).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from .calendar import WorkCalendar
from .dataset.evidence import Evidence, check_complete
from .dataset.registry import Dataset
from .errors import EvaluationError, GovMediaError
from .findings.identity import with_ids
from .findings.report import Finding, NotEvaluated, PackInfo, Report, RuleInfo
from .findings.scoring import score
from .findings.waivers import apply_waivers
from .intake.files import read_inputs
from .intake.jsonl import prepare_jsonl
from .intake.prepared import Prepared
from .intake.tables import prepare_folders
from .intake.tables import prepare_records as prepare
from .kinds.base import Scope, Unknown, columns_of
from .packs.consistency import repeated_ids
from .packs.loader import load_pack
from .packs.model import Origin, Pack, Rule
from .plugins import Registry, default_registry
from .version import __version__


class Engine:
    """Evaluates one or more packs. Packs are given loaded, by installed id, or by folder."""

    #: ids each ``not_evaluated`` entry lists; a pack case lists them all, to tell which subjects
    #: were judged
    unknown_examples = 5

    def __init__(
        self,
        packs: Sequence[Pack | str | Path],
        *,
        registry: Registry | None = None,
        complete: Iterable[str] = (),
    ) -> None:
        self.registry = registry or default_registry()
        #: record types and fields taken as complete in every evaluation (docs/evidence.md)
        self.complete = check_complete(complete)
        self.packs = [p if isinstance(p, Pack) else load_pack(p, self.registry) for p in packs]
        if repeated := repeated_ids(self.packs):  # one pack twice would report each finding twice
            raise GovMediaError(
                f"规则包 {'、'.join(repeated)} 在一次检查中出现了多次：同一规则包只能使用一次"
            )
        self._kinds = {
            (pack.id, rule.id): self.registry.kinds[rule.kind].from_params(rule.params)
            for pack in self.packs
            for rule in pack.rules
        }
        self._calendars = {pack.id: pack_calendar(pack) for pack in self.packs}

    # -- entry points -------------------------------------------------
    def evaluate(
        self, records: Iterable[Any], *, since: date, as_of: date, complete: Iterable[str] = ()
    ) -> Report:
        """Evaluate records (models, dicts, or InputItems from :func:`read_inputs`).

        ``complete`` names record types (``attestation``) and fields
        (``post.signoffs``) the input holds completely: their absence then
        counts against a subject instead of leaving it not evaluable.
        """
        return self.evaluate_prepared(prepare(records), since=since, as_of=as_of, complete=complete)

    def evaluate_files(
        self,
        paths: Iterable[str | Path],
        *,
        since: date,
        as_of: date,
        batch: bool = False,
        complete: Iterable[str] = (),
    ) -> Report:
        """Evaluate the records of input files (any format a loader reads).

        Folders of Parquet tables read by the built-in loader take the batch
        path (:mod:`govmedia_rules.intake`): same report, a fraction of the
        time. With ``batch``, JSON Lines files take it too (worth it from some
        hundred thousand records; it needs the ``parquet`` extra).
        """
        files = [Path(p) for p in paths]
        prepared = self._prepare_batch(files, batch)
        if prepared is None:
            prepared = prepare(read_inputs(files, self.registry.loaders))
        return self.evaluate_prepared(prepared, since=since, as_of=as_of, complete=complete)

    def _prepare_batch(self, paths: list[Path], jsonl: bool) -> Prepared | None:
        """The input read as columns when the built-in readers apply (Parquet folders; JSON Lines on
        request), else None: other forms are read record by record into the same columns."""
        loaders = self.registry.loaders
        folders = (
            all(p.is_dir() for p in paths) and getattr(loaders.get("/"), "name", None) == "parquet"
        )
        lines = jsonl and all(
            p.is_file() and getattr(loaders.get(p.suffix.lower()), "name", None) == "jsonl"
            for p in paths
        )
        if not paths or not (folders or lines):
            return None
        return prepare_folders(paths) if folders else prepare_jsonl(paths)

    def evaluate_prepared(
        self,
        prepared: Prepared,
        *,
        since: date,
        as_of: date,
        complete: Iterable[str] = (),
        present: Iterable[str] = (),
    ) -> Report:
        """Evaluate records already accepted and indexed by :func:`prepare`.

        Evaluating several windows (a bulletin's periods) or several packs (a
        diff) over the same input prepares it once.
        """
        if since > as_of:
            raise ValueError(f"since {since} 晚于 as_of {as_of}")
        dataset, accounting = prepared.dataset, prepared.accounting.model_copy(deep=True)
        evidence = dataset.evidence(self.complete | check_complete(complete), frozenset(present))
        findings: list[Finding] = []
        warnings: list[str] = []
        unknowns = UnknownTally(self.unknown_examples)
        judged = 0
        for pack in self.packs:
            calendar = self._calendars[pack.id].session()
            for rule in pack.rules:
                ran = self._run_rule(
                    pack, rule, dataset, evidence, calendar, since, as_of, findings, unknowns
                )
                judged += ran
            warnings.extend(f"规则包 {pack.id}：{w}" for w in calendar.unknown_year_warnings())
        findings, waiver_warnings = apply_waivers(findings, dataset.waivers, as_of)
        findings = with_ids(sorted(findings, key=Finding.sort_key))
        report = Report(
            version=__version__,
            packs=[pack_info(p) for p in self.packs],
            since=since,
            as_of=as_of,
            input=accounting,
            findings=findings,
            not_evaluated=unknowns.entries(),
            rules_judged=judged,
            complete=sorted(evidence.complete),
            scores=[s for p in self.packs for s in score(p, dataset, findings, since, as_of)],
            warnings=warnings + waiver_warnings,
        )
        self.registry.adjust_report(report)
        return report

    def _run_rule(
        self,
        pack: Pack,
        rule: Rule,
        dataset: Dataset,
        evidence: Evidence,
        calendar: WorkCalendar,
        since: date,
        as_of: date,
        findings: list[Finding],
        unknowns: UnknownTally,
    ) -> bool:
        """Run one rule: its findings into ``findings``, what it cannot judge into ``unknowns``.
        Returns whether it judged any subject."""
        first = max(d for d in (since, rule.effective.from_, pack.effective.from_) if d)
        last = min(d for d in (as_of, rule.effective.until, pack.effective.until) if d)
        selector = rule.applies_to.narrowed_by(pack.applies_to)
        if first > last or selector is None:
            return False
        scope = Scope(dataset, calendar, first, last, selector, evidence)
        kind = self._kinds[(pack.id, rule.id)]
        try:
            absent = sorted(need for need in kind.needs() if not evidence.has(need))
            if (
                absent
            ):  # the input lacks what the rule reads: nobody can be judged, everybody is counted
                unknowns.add_subjects(
                    pack.id, rule.id, kind.subject_type, absent, kind.subjects(scope)
                )
                return False
            judged = next(iter(kind.subjects(scope)), None) is not None
            results = columns_of(scope).evaluate(kind, scope)
            for v in results:
                if isinstance(v, Unknown):
                    unknowns.add(pack.id, rule.id, v)
                    continue
                judged = True
                key = (v.subject.type, v.subject.id)
                account = dataset.account_of.get(key, v.account)
                findings.append(
                    Finding(
                        rule=rule.id,
                        kind=rule.kind,
                        pack=pack.id,
                        severity=rule.severity,
                        title=rule.title,
                        subject=v.subject,
                        unit=(
                            dataset.unit_of.get(key)
                            or dataset.unit_of.get(("account", account or ""))
                        ),
                        account=account,
                        message=f"{rule.message}：{v.message}" if rule.message else v.message,
                        citation=rule.citation,
                        evidence=v.evidence,
                        due=v.due,
                    )
                )
        except Exception as exc:  # a kind's bug must name the rule, not surface as a bare traceback
            raise EvaluationError(pack.id, rule.id, f"{type(exc).__name__}: {exc}") from exc
        return judged


class UnknownTally:
    """What rules could not judge, merged into one entry per pack, rule, subject type and missing
    set.

    Holds a count and the five smallest ids per entry, never the subjects
    themselves, so memory does not grow with the data that is missing.
    """

    def __init__(self, examples: int) -> None:
        self.examples = examples
        self._entries: dict[tuple[str, str, str, tuple[str, ...]], tuple[int, list[str]]] = {}

    def add(self, pack: str, rule: str, item: Unknown) -> None:
        key = (pack, rule, item.subject_type, item.missing)
        count, examples = self._entries.get(key, (0, []))
        if len(examples) < self.examples or min(item.examples) < examples[-1]:
            examples = sorted(set(examples) | set(item.examples))[: self.examples]
        self._entries[key] = (count + item.count, examples)

    def add_subjects(
        self, pack: str, rule: str, subject_type: str, missing: list[str], ids: Iterable[str]
    ) -> None:
        """Every subject of a rule that cannot judge at all."""
        count, smallest = 0, []
        for id_ in ids:
            count += 1
            smallest.append(id_)
            if len(smallest) > 4 * self.examples:
                smallest = sorted(smallest)[: self.examples]
        if count:
            self.add(
                pack,
                rule,
                Unknown(
                    subject_type, tuple(missing), tuple(sorted(smallest)[: self.examples]), count
                ),
            )

    def entries(self) -> list[NotEvaluated]:
        return [
            NotEvaluated(
                pack=k[0],
                rule=k[1],
                subject_type=k[2],
                subjects=count,
                missing=list(k[3]),
                examples=examples,
            )
            for k, (count, examples) in sorted(self._entries.items())
        ]


def describe_origin(origin: Origin) -> str:
    """'pack version file:line' of a rule's origin."""
    return f"{origin.pack} {origin.version} {origin.file}:{origin.line}"


def pack_info(pack: Pack) -> PackInfo:
    """The pack as the report names it: identity, lineage, and where each effective rule came
    from."""
    rules = [
        RuleInfo(
            id=r.id,
            kind=r.kind,
            origin=describe_origin(r.origin) if r.origin else pack.id,
            overrides=describe_origin(r.overrides) if r.overrides else None,
            veto=r.id in pack.scoring.veto_rules,
        )
        for r in pack.rules
    ]
    return PackInfo(
        id=pack.id,
        title=pack.title,
        version=pack.version,
        digest=pack.digest,
        lineage=pack.lineage,
        rules=rules,
    )


def pack_calendar(pack: Pack) -> WorkCalendar:
    """The working-day calendar with the pack's own 放假安排 applied."""
    schedules = pack.calendar.schedules
    return WorkCalendar(
        extra_holidays=[d for s in schedules for d in s.holidays],
        extra_workdays=[d for s in schedules for d in s.workdays],
        known_years=[s.year for s in schedules],
    )


__all__ = ["Engine", "Prepared", "pack_calendar", "prepare"]
