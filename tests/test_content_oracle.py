"""The content kinds, written once over columns, against plain per-post oracles.

Each oracle reads one post dict at a time, the way docs/evidence.md and the
kind's docstring say the rule reads (a field absent is unknown unless declared
complete; an empty list is a known "none"; a sign-off counts only if given by
the publication time). The engine — from dicts or from Parquet tables, which
run the same code — must report exactly the posts the oracle finds in breach,
with the same missing steps, flags or problems, and list as not evaluable
exactly the posts the oracle cannot judge, by what they lack.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from govmedia_rules import Engine
from govmedia_rules.engine import prepare
from govmedia_rules.intake import prepare_folder
from govmedia_rules.labels import ROLE
from govmedia_rules.records import ROLES, TIERS
from govmedia_rules.testing import histories, one_rule_pack, posts

from .conftest import REGISTRY, account, post, unit
from .test_batch import write_folder

SINCE, AS_OF = date(2019, 3, 1), date(2019, 3, 31)
FIELDS = ["post.signoffs", "post.review_form", "post.flags", "post.original", "post.source_approved",
          "post.source_credited"]
COMPLETE = st.one_of(st.just(["all"]), st.lists(st.sampled_from(FIELDS), max_size=3, unique=True))
SELECTORS = st.sampled_from([None, {"platforms": ["wechat", "weibo"]}])
FLAGS = ["commercial_ad", "personal_opinion", "state_secret"]


@st.composite
def edged(draw: Any, records: list[dict]) -> list[dict]:
    """The records with posts moved to the window's edges (first day at midnight, last day a second
    before midnight, the days just outside), sign-offs given at the very minute of publication, and
    the same person signing twice in one role."""
    out = []
    for record in records:
        if record["type"] == "post":
            record = dict(record)
            move = draw(st.sampled_from(["keep", "first", "last", "before", "after", "signed at", "twice"]))
            moments = {"first": datetime.combine(SINCE, time(0)), "last": datetime.combine(AS_OF, time(23, 59, 59)),
                       "before": datetime(2019, 2, 28, 23, 59, 59), "after": datetime(2019, 4, 1, 0, 0)}
            if move in moments:
                record["published_at"] = moments[move].isoformat()
            elif move == "signed at" and record.get("signoffs"):
                record["signoffs"] = [{**record["signoffs"][0], "at": record["published_at"]}, *record["signoffs"][1:]]
            elif move == "twice" and record.get("signoffs"):
                record["signoffs"] = [*record["signoffs"], {**record["signoffs"][0], "at": record["published_at"]}]
        out.append(record)
    return out


RECORDS = st.tuples(st.booleans(), st.booleans()).flatmap(lambda sparse_parquet: histories(
    start=date(2019, 2, 27), end=date(2019, 4, 2), max_accounts=3, max_events=15, details=True,
    sparse=sparse_parquet[0]).flatmap(edged).map(lambda records: (records, sparse_parquet[1])))


def _report(kind: str, params: dict, records: list[dict], parquet: bool, complete: list[str],
            applies_to: dict | None, tmp_path_factory: Any):
    engine = Engine([one_rule_pack(kind, params, applies_to=applies_to)], registry=REGISTRY, complete=complete)
    prepared = (prepare_folder(write_folder(tmp_path_factory.mktemp("tables"), records)) if parquet
                else prepare(records))
    report = engine.evaluate_prepared(prepared, since=SINCE, as_of=AS_OF)
    assert report.input.rejected == 0, report.input.rejections
    return report


def _found(report) -> tuple[dict[str, Any], dict[tuple[str, ...], tuple[int, list[str]]]]:
    """What the engine reported: post → finding, and by what they lack, how many posts are not
    evaluable and the five smallest ids (all a report names)."""
    unknowns = {tuple(e.missing): (e.subjects, e.examples) for e in report.not_evaluated
                if e.subject_type == "post"}
    return {f.subject.id: f for f in report.findings}, unknowns


def _named(unknowns: dict[tuple[str, ...], set[str]]) -> dict[tuple[str, ...], tuple[int, list[str]]]:
    """The oracle's posts not evaluable as a report names them: a count and the five smallest ids."""
    return {missing: (len(ids), sorted(ids)[:5]) for missing, ids in unknowns.items()}


def _judged_posts(records: list[dict], applies_to: dict | None) -> list[dict]:
    """Posts published (by their local day) in the window, on accounts the rule applies to."""
    platforms = {r["id"]: r["platform"] for r in records if r["type"] == "account"}
    return [r for r in records if r["type"] == "post"
            and SINCE <= datetime.fromisoformat(r["published_at"]).date() <= AS_OF
            and (applies_to is None or platforms[r["account_id"]] in applies_to["platforms"])]


def _knows(complete: list[str], path: str, value: Any) -> bool:
    return value is not None or path in complete or "all" in complete


def _sort_unknown(out: dict, post_id: str, missing: list[str]) -> None:
    if missing:
        out.setdefault(tuple(sorted(missing)), set()).add(post_id)


# -- approval_chain ----------------------------------------------------------------

STEP = st.fixed_dictionaries({"roles": st.lists(st.sampled_from(ROLES), min_size=1, max_size=4, unique=True),
                              "count": st.integers(1, 3), "distinct_persons": st.booleans()})
CHAINS = st.fixed_dictionaries({"tiers": st.dictionaries(st.sampled_from(TIERS), st.lists(STEP, min_size=1, max_size=3),
                                                         min_size=1), "review_form": st.booleans()})


def chain_oracle(posts: list[dict], params: dict, complete: list[str]):
    """Per post: the steps it lacks among its known sign-offs, the form if required and known not
    filled in, and the sign-offs given after publication; else what it lacks to be judged."""
    breaches, unknowns = {}, {}
    for p in posts:
        steps = params["tiers"].get(p.get("tier", "routine"))
        if steps is None:
            continue
        published = datetime.fromisoformat(p["published_at"])
        signoffs = p.get("signoffs")
        signoffs_known = _knows(complete, "post.signoffs", signoffs)
        form_known = _knows(complete, "post.review_form", p.get("review_form"))
        missing = []
        for step in steps if signoffs_known else ():
            ok = [s for s in signoffs or () if s["role"] in step["roles"] and datetime.fromisoformat(s["at"]) <= published]
            have = len({s["person"] for s in ok}) if step["distinct_persons"] else len(ok)
            if have < step["count"]:
                who = "或".join(ROLE[r] for r in step["roles"])
                missing.append(f"{who}（需{step['count']}{'人' if step['distinct_persons'] else '次'}，发布前实有{have}）")
        if params["review_form"] and form_known and p.get("review_form") is not True:
            missing.append("登记审核表")
        late = sum(datetime.fromisoformat(s["at"]) > published for s in signoffs or ())
        if missing:
            breaches[p["id"]] = (missing, late)
        else:
            _sort_unknown(unknowns, p["id"], [
                *(["post.signoffs"] if not signoffs_known else []),
                *(["post.review_form"] if params["review_form"] and not form_known else [])])
    return breaches, unknowns


@settings(max_examples=40)
@given(drawn=RECORDS, params=CHAINS, complete=COMPLETE, applies_to=SELECTORS)
def test_approval_chain_matches_a_per_post_oracle(tmp_path_factory, drawn, params, complete, applies_to):
    records, parquet = drawn
    report = _report("approval_chain", params, records, parquet, complete, applies_to, tmp_path_factory)
    findings, unknowns = _found(report)
    breaches, expected_unknowns = chain_oracle(_judged_posts(records, applies_to), params, complete)
    assert set(findings) == set(breaches)
    for post_id, (missing, late) in breaches.items():
        finding = findings[post_id]
        assert finding.evidence["missing"] == missing
        tail = f"；另有{late}个签发晚于发布时间，不计入" if late else ""
        assert finding.message.endswith(f"（{post_id}）发布前缺少：{'、'.join(missing)}{tail}")
    assert unknowns == _named(expected_unknowns)


@settings(max_examples=40)
@given(signed=posts(account_id="a1", start=SINCE, end=AS_OF, max_size=20), params=CHAINS)
def test_approval_chain_on_signed_posts_counts_what_the_oracle_counts(signed, params):
    """Posts whose sign-offs are all known, several by one person: the counts in each finding are
    the oracle's (different people, or sign-offs, given by the publication time)."""
    records = [unit(), account(platform="wechat"), *signed]
    findings, unknowns = _evaluate("approval_chain", params, signed)
    breaches, expected_unknowns = chain_oracle(_judged_posts(records, None), params, [])
    assert {i: f.evidence["missing"] for i, f in findings.items()} == {i: m for i, (m, _) in breaches.items()}
    assert unknowns == _named(expected_unknowns) == {}


# -- forbidden_post_flags --------------------------------------------------------------

FLAG_RULES = st.fixed_dictionaries({"flags": st.lists(st.sampled_from(FLAGS), min_size=1, max_size=2, unique=True),
                                    "unless_flags": st.lists(st.sampled_from(FLAGS), max_size=1)})


def flags_oracle(posts: list[dict], params: dict, complete: list[str]):
    """Per post: the forbidden flags it carries, unless it also carries an allowed exception."""
    breaches, unknowns = {}, {}
    for p in posts:
        flags = p.get("flags")
        if flags is None:
            _sort_unknown(unknowns, p["id"], [] if _knows(complete, "post.flags", None) else ["post.flags"])
            continue
        found = [f for f in flags if f in params["flags"]]
        if found and not set(flags) & set(params["unless_flags"]):
            breaches[p["id"]] = found
    return breaches, unknowns


@settings(max_examples=30)
@given(drawn=RECORDS, params=FLAG_RULES, complete=COMPLETE, applies_to=SELECTORS)
def test_forbidden_post_flags_match_a_per_post_oracle(tmp_path_factory, drawn, params, complete, applies_to):
    records, parquet = drawn
    report = _report("forbidden_post_flags", params, records, parquet, complete, applies_to, tmp_path_factory)
    findings, unknowns = _found(report)
    breaches, expected_unknowns = flags_oracle(_judged_posts(records, applies_to), params, complete)
    assert {i: f.evidence["flags"] for i, f in findings.items()} == breaches
    assert unknowns == _named(expected_unknowns)


# -- repost_source -----------------------------------------------------------------------

PROBLEMS = {"source_approved": "来源不是确定的稿源单位", "source_credited": "未注明来源"}


def repost_oracle(posts: list[dict], params: dict, complete: list[str]):
    """Per post: a repost (original false, or a source named) known not to be from an approved
    source or not credited, as required; a post not known to be a repost or not is not evaluable."""
    wanted = [f for f, on in (("source_approved", params["approved_source"]),
                              ("source_credited", params["credited"])) if on]
    breaches, unknowns = {}, {}
    for p in posts:
        if p.get("original") is not False and p.get("repost_source") is None:
            _sort_unknown(unknowns, p["id"], [] if _knows(complete, "post.original", p.get("original"))
                          else ["post.original"])
            continue
        problems = [PROBLEMS[f] for f in wanted if _knows(complete, f"post.{f}", p.get(f)) and p.get(f) is not True]
        if problems:
            breaches[p["id"]] = (problems, p.get("repost_source"))
        else:
            _sort_unknown(unknowns, p["id"], [f"post.{f}" for f in wanted
                                              if not _knows(complete, f"post.{f}", p.get(f))])
    return breaches, unknowns


@settings(max_examples=30)
@given(drawn=RECORDS, approved=st.booleans(), credited=st.booleans(), complete=COMPLETE, applies_to=SELECTORS)
def test_repost_source_matches_a_per_post_oracle(tmp_path_factory, drawn, approved, credited, complete, applies_to):
    records, parquet = drawn
    params = {"approved_source": approved, "credited": credited}
    report = _report("repost_source", params, records, parquet, complete, applies_to, tmp_path_factory)
    findings, unknowns = _found(report)
    breaches, expected_unknowns = repost_oracle(_judged_posts(records, applies_to), params, complete)
    assert {i: (f.evidence["problems"], f.evidence["repost_source"]) for i, f in findings.items()} == breaches
    assert unknowns == _named(expected_unknowns)


# -- edges, by example ------------------------------------------------------------------------

def _evaluate(kind: str, params: dict, events: list[dict], complete: tuple[str, ...] = ()):
    engine = Engine([one_rule_pack(kind, params)], registry=REGISTRY, complete=complete)
    return _found(engine.evaluate([unit(), account(platform="wechat"), *events], since=SINCE, as_of=AS_OF))


def _signed(at: str, *role_people: tuple[str, str]) -> list[dict]:
    return [{"role": r, "person": p, "at": at} for r, p in role_people]


THREE = {"tiers": {"routine": [{"roles": ["proofreader"], "count": 3}]}, "review_form": True}


def test_approval_chain_at_the_window_edges_fires_inside_and_not_outside():
    unsigned = {"signoffs": [], "review_form": True}
    findings, unknowns = _evaluate("approval_chain", THREE, [
        post("before", "2019-02-28T23:59:59", **unsigned), post("first", "2019-03-01T00:00:00", **unsigned),
        post("last", "2019-03-31T23:59:59", **unsigned), post("after", "2019-04-01T00:00:00", **unsigned)])
    assert sorted(findings) == ["first", "last"] and unknowns == {}
    assert findings["first"].message == ("账号「账号a1」（微信）2019-03-01 00:00发布的一般信息（first）发布前缺少："
                                         "校对（需3人，发布前实有0）")


def test_approval_chain_counts_people_not_signatures_and_names_late_signoffs():
    twice = _signed("2019-03-05T09:00:00", ("proofreader", "甲"), ("proofreader", "甲"), ("proofreader", "乙"))
    late = _signed("2019-03-05T10:00:01", ("proofreader", "丙"))
    findings, _ = _evaluate("approval_chain", THREE, [post("p", "2019-03-05T10:00:00", signoffs=twice + late,
                                                           review_form=True)])
    assert findings["p"].evidence["missing"] == ["校对（需3人，发布前实有2）"]
    assert findings["p"].message.endswith("；另有1个签发晚于发布时间，不计入")
    counted = {"tiers": {"routine": [{"roles": ["proofreader"], "count": 3, "distinct_persons": False}]}}
    assert _evaluate("approval_chain", counted, [post("p", "2019-03-05T10:00:00", signoffs=twice)])[0] == {}


def test_approval_chain_signed_at_the_minute_of_publication_and_form_filled_does_not_fire():
    signed = _signed("2019-03-05T10:00:00", ("proofreader", "甲"), ("proofreader", "乙"), ("proofreader", "丙"))
    assert _evaluate("approval_chain", THREE, [post("p", "2019-03-05T10:00:00", signoffs=signed,
                                                    review_form=True)]) == ({}, {})


def test_approval_chain_review_form_unknown_or_missing():
    signed = _signed("2019-03-05T09:00:00", ("proofreader", "甲"), ("proofreader", "乙"), ("proofreader", "丙"))
    findings, unknowns = _evaluate("approval_chain", THREE, [
        post("no-form", "2019-03-05T10:00:00", signoffs=signed, review_form=False),
        post("form-unknown", "2019-03-06T10:00:00", signoffs=signed),
        post("nothing-known", "2019-03-07T10:00:00"),
        post("short-form-unknown", "2019-03-08T10:00:00", signoffs=signed[:1])])
    assert findings["no-form"].evidence["missing"] == ["登记审核表"]
    assert findings["short-form-unknown"].evidence["missing"] == ["校对（需3人，发布前实有1）"]
    assert unknowns == {("post.review_form",): (1, ["form-unknown"]),
                        ("post.review_form", "post.signoffs"): (1, ["nothing-known"])}
    findings, unknowns = _evaluate("approval_chain", THREE, [post("form-unknown", "2019-03-06T10:00:00",
                                                                  signoffs=signed)], complete=("post.review_form",))
    assert findings["form-unknown"].evidence["missing"] == ["登记审核表"] and unknowns == {}


def test_forbidden_flags_unknown_unless_declared_complete():
    params = {"flags": ["commercial_ad"], "unless_flags": ["mandatory_disclosure"]}
    posts = [post("ad", "2019-03-05T10:00:00", flags=["other", "commercial_ad"]),
             post("excused", "2019-03-06T10:00:00", flags=["commercial_ad", "mandatory_disclosure"]),
             post("clean", "2019-03-07T10:00:00", flags=[]), post("unknown", "2019-03-08T10:00:00")]
    findings, unknowns = _evaluate("forbidden_post_flags", params, posts)
    assert list(findings) == ["ad"] and unknowns == {("post.flags",): (1, ["unknown"])}
    assert findings["ad"].message == "账号「账号a1」（微信）2019-03-05发布的信息（ad）含有商业广告"
    assert _evaluate("forbidden_post_flags", params, posts, complete=("post.flags",))[1] == {}


def test_repost_source_with_unknown_source_facts():
    params = {"approved_source": True, "credited": True}
    posts = [post("stray", "2019-03-05T10:00:00", original=False, source_approved=False),
             post("unsure", "2019-03-06T10:00:00", repost_source="新华社", source_approved=True),
             post("original", "2019-03-07T10:00:00", original=True),
             post("undecided", "2019-03-08T10:00:00"),
             post("fine", "2019-03-09T10:00:00", repost_source="新华社", source_approved=True, source_credited=True)]
    findings, unknowns = _evaluate("repost_source", params, posts)
    assert list(findings) == ["stray"]
    assert findings["stray"].message == "账号「账号a1」（微信）2019-03-05转载的信息（stray，来源：未填写）来源不是确定的稿源单位"
    assert unknowns == {("post.source_credited",): (1, ["unsure"]),
                        ("post.original",): (1, ["undecided"])}
    findings, unknowns = _evaluate("repost_source", params, posts, complete=("post.source_credited",))
    assert findings["unsure"].evidence["problems"] == ["未注明来源"]
    assert findings["stray"].evidence["problems"] == ["来源不是确定的稿源单位", "未注明来源"]
