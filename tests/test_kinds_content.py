from .conftest import account, post, run, unit

SINCE = {"since": "2019-08-01", "as_of": "2019-12-31"}
SANXIAO = {"tiers": {"routine": [
    {"roles": ["proofreader"], "count": 3},
    {"roles": ["first_reviewer"]}, {"roles": ["second_reviewer"]}, {"roles": ["final_reviewer"]}]},
    "review_form": True}


def signed(roles_people, at="2019-08-01T09:00:00"):
    return [{"role": r, "person": p, "at": at} for r, p in roles_people]


FULL = [("proofreader", "甲"), ("proofreader", "乙"), ("proofreader", "丙"),
        ("first_reviewer", "丁"), ("second_reviewer", "戊"), ("final_reviewer", "己")]


def test_three_proofreads_three_reviews_before_publication_pass():
    records = [unit(), account(), post("p", "2019-08-01T10:00:00", signoffs=signed(FULL), review_form=True)]
    assert run("approval_chain", SANXIAO, records, **SINCE) == []


def test_only_two_distinct_proofreaders_fire():
    two = [("proofreader", "甲"), ("proofreader", "乙"), ("proofreader", "乙")] + FULL[3:]
    records = [unit(), account(), post("p", "2019-08-01T10:00:00", signoffs=signed(two), review_form=True)]
    [finding] = run("approval_chain", SANXIAO, records, **SINCE)
    assert "校对（需3人，发布前实有2）" in finding.message


def test_signoff_after_publication_does_not_count():
    late = signed(FULL[:5]) + signed(FULL[5:], at="2019-08-01T10:00:01")
    records = [unit(), account(), post("p", "2019-08-01T10:00:00", signoffs=late, review_form=True)]
    [finding] = run("approval_chain", SANXIAO, records, **SINCE)
    assert "终审" in finding.message and "晚于发布时间" in finding.message


def test_signoff_exactly_at_publication_counts():
    records = [unit(), account(), post("p", "2019-08-01T10:00:00", signoffs=signed(FULL, "2019-08-01T10:00:00"),
                                       review_form=True)]
    assert run("approval_chain", SANXIAO, records, **SINCE) == []


def test_review_form_required():
    records = [unit(), account(), post("p", "2019-08-01T10:00:00", signoffs=signed(FULL))]
    [finding] = run("approval_chain", SANXIAO, records, **SINCE)
    assert "登记审核表" in finding.message


def test_major_information_needs_principal_or_deputy_leader():
    params = {"tiers": {"major": [{"roles": ["deputy_leader", "principal_leader"]}]}}
    ok = post("p1", "2019-08-01T10:00:00", tier="major", signoffs=signed([("deputy_leader", "张")]))
    bad = post("p2", "2019-08-01T10:00:00", tier="major", signoffs=signed([("office_head", "李")]))
    routine = post("p3", "2019-08-01T10:00:00")
    [finding] = run("approval_chain", params, [unit(), account(), ok, bad, routine], **SINCE)
    assert finding.subject.id == "p2"


def test_forbidden_flags():
    records = [unit(), account(), post("p1", "2019-08-01T10:00:00", flags=["commercial_ad", "other"]),
               post("p2", "2019-08-02T10:00:00", flags=["other"]), post("p3", "2019-07-31T10:00:00", flags=["commercial_ad"])]
    [finding] = run("forbidden_post_flags", {"flags": ["commercial_ad", "personal_opinion"]}, records, **SINCE)
    assert finding.subject.id == "p1" and "商业广告" in finding.message


def test_repost_sources():
    records = [unit(), account(),
               post("p1", "2019-08-01T10:00:00", original=False, repost_source="新华社", source_approved=True, source_credited=True),
               post("p2", "2019-08-01T11:00:00", original=False, repost_source="某公众号", source_approved=False),
               post("p3", "2019-08-01T12:00:00", repost_source="人民日报", source_approved=True),
               post("p4", "2019-08-01T13:00:00", original=True)]
    assert [f.subject.id for f in run("repost_source", {}, records, **SINCE)] == ["p2"]
    credited = run("repost_source", {"credited": True}, records, **SINCE)
    assert sorted(f.subject.id for f in credited) == ["p2", "p3"]


def test_forbidden_flags_with_allowed_exceptions():
    params = {"flags": ["personal_info_exposed"], "unless_flags": ["disciplinary_disclosure", "mandatory_disclosure"]}
    records = [unit(), account(), post("p1", "2019-08-01T10:00:00", flags=["personal_info_exposed"]),
               post("p2", "2019-08-02T10:00:00", flags=["personal_info_exposed", "disciplinary_disclosure"])]
    assert [f.subject.id for f in run("forbidden_post_flags", params, records, **SINCE)] == ["p1"]
