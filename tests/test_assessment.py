"""Assessment schemes: indicators merged along extends, and points judged per region."""

from datetime import date

from govmedia_rules import Engine
from govmedia_rules.packs.model import Indicator, Scoring
from govmedia_rules.testing import one_rule_pack

from .conftest import REGISTRY, account, post, unit


def test_a_child_scheme_replaces_indicators_by_id_and_keeps_the_rest():
    parent = Scoring(pass_mark=60, veto_score={"county": 59}, indicators=[
        Indicator(id="content", title="内容", points=30, per_item=5, rules=["a"]),
        Indicator(id="review", title="审核", points=30, per_item=1, rules=["b"])])
    child = Scoring(indicators=[Indicator(id="review", title="审核", points=20, per_item=2, rules=["b"]),
                                Indicator(id="ops", title="运维", points=10, per_item=10, rules=["c"])])
    merged = child.layered_on(parent)
    assert [(i.id, i.points) for i in merged.indicators] == [("content", 30), ("review", 20), ("ops", 10)]
    assert merged.pass_mark == 60 and merged.score_after_veto("county") == 59
    assert merged.score_after_veto("city") is None


def test_a_region_is_scored_from_every_unit_under_it():
    pack = one_rule_pack("forbidden_post_flags", {"flags": ["commercial_ad"]}, rule_id="ads")
    scoring = Scoring(level="region", pass_mark=60, indicators=[
        Indicator(id="content", title="内容", points=30, per_item=20, rules=["ads"])])
    pack = pack.model_copy(update={"scoring": scoring})
    records = [unit("county", kind="government", level="county", name="某县人民政府"),
               unit("dept", kind="department", level="county", name="某县教育局", parent_id="county"),
               unit("town", kind="government", level="township", name="某镇人民政府", parent_id="county"),
               unit("other", kind="government", level="county", name="另一县人民政府"),
               account("a1", "dept"), account("a2", "town"), account("a3", "other"),
               post("p1", "2019-09-02T10:00:00", account_id="a1", flags=["commercial_ad"]),
               post("p2", "2019-09-03T10:00:00", account_id="a2", flags=["commercial_ad"]),
               post("p3", "2019-09-03T10:00:00", account_id="a3", flags=[])]
    report = Engine([pack], registry=REGISTRY).evaluate(records, since=date(2019, 9, 1),
                                                        as_of=date(2019, 9, 30))
    regions = {s.subject.id: (s.score, s.verdict) for s in report.scores if s.subject.type == "region"}
    assert regions == {"county": (70, "合格"), "other": (100, "合格")}  # 2 × 20 deducted, capped at 30
    units = {s.subject.id: (s.score, s.verdict) for s in report.scores if s.subject.type == "unit"}
    assert units["dept"] == (None, "合格")
