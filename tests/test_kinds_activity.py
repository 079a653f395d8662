from datetime import date

from .conftest import account, post, run, unit

WEEKLY = {"window": {"weeks": 1}, "anchor": "natural", "min_posts": 1}


def weekly_posts(days):
    return [post(f"p{i}", f"{d}T10:00:00") for i, d in enumerate(days)]


def test_weekly_update_passes_when_every_natural_week_has_a_post():
    # Mondays of Aug 5 .. Sep 1 2019: four full weeks, a post on each Wednesday
    records = [unit(), account(opened_on="2018-01-01")] + weekly_posts(["2019-08-07", "2019-08-14", "2019-08-21", "2019-08-28"])
    assert run("update_frequency", WEEKLY, records, since="2019-08-05", as_of="2019-09-01") == []


def test_an_account_silent_for_one_week_is_flagged_with_that_week():
    records = [unit(), account(opened_on="2018-01-01")] + weekly_posts(["2019-08-07", "2019-08-21", "2019-08-28"])
    [finding] = run("update_frequency", WEEKLY, records, since="2019-08-05", as_of="2019-09-01")
    assert finding.evidence["windows"] == [{"from": date(2019, 8, 12), "to": date(2019, 8, 18), "posts": 0}]
    assert "2019-08-12至2019-08-18" in finding.message


def test_holiday_week_still_needs_an_update():
    # National Day week 2019-09-30..10-06 is a holiday but still a natural week
    records = [unit(), account(opened_on="2018-01-01")] + weekly_posts(["2019-09-25", "2019-10-09"])
    [finding] = run("update_frequency", WEEKLY, records, since="2019-09-23", as_of="2019-10-13")
    assert [w["from"].isoformat() for w in finding.evidence["windows"]] == ["2019-09-30"]


def test_account_opened_mid_week_is_not_blamed_for_that_week():
    records = [unit(), account(opened_on="2019-08-08")] + weekly_posts(["2019-08-13"])
    assert run("update_frequency", WEEKLY, records, since="2019-08-01", as_of="2019-08-18") == []


def test_partial_last_week_is_not_judged():
    records = [unit(), account(opened_on="2018-01-01")] + weekly_posts(["2019-08-07"])
    assert run("update_frequency", WEEKLY, records, since="2019-08-05", as_of="2019-08-17") == []


def test_closed_account_is_judged_only_while_open():
    records = [unit(), account(opened_on="2018-01-01", status="closed", closed_on="2019-08-12")] + weekly_posts(["2019-08-07"])
    assert run("update_frequency", WEEKLY, records, since="2019-08-05", as_of="2019-09-30") == []


def test_fortnightly_rolling_window_last_day_edge():
    # posts on 08-01 and 08-15: the 14-day window 08-02..08-15 holds one post; 08-16..08-29 is empty
    records = [unit(), account(opened_on="2018-01-01")] + weekly_posts(["2019-08-01", "2019-08-15", "2019-08-29"])
    params = {"window": {"weeks": 2}, "anchor": "rolling"}
    assert run("update_frequency", params, records, since="2019-08-01", as_of="2019-09-11") == []
    records = [unit(), account(opened_on="2018-01-01")] + weekly_posts(["2019-08-01", "2019-08-15", "2019-08-30"])
    [finding] = run("update_frequency", params, records, since="2019-08-01", as_of="2019-09-11")
    assert finding.evidence["windows"][0]["from"].isoformat() == "2019-08-16"


def test_service_account_average_mode():
    # 4 weeks, 4 posts all in the first week: average 1 per week passes, per-window fails
    records = [unit(), account(opened_on="2018-01-01", platform="wechat", subtype="service")] + weekly_posts(
        ["2019-08-05", "2019-08-06", "2019-08-07", "2019-08-08"])
    average = {**WEEKLY, "mode": "average"}
    assert run("update_frequency", average, records, since="2019-08-05", as_of="2019-09-01") == []
    assert len(run("update_frequency", WEEKLY, records, since="2019-08-05", as_of="2019-09-01")) == 1
    [finding] = run("update_frequency", average, records[:-1], since="2019-08-05", as_of="2019-09-01")
    assert finding.evidence["posts"] == 3 and finding.evidence["windows"] == 4


def test_original_only_counts_original_posts():
    records = [unit(), account(opened_on="2018-01-01"), post("p1", "2019-08-07T10:00:00", original=False)]
    params = {**WEEKLY, "original_only": True}
    assert len(run("update_frequency", params, records, since="2019-08-05", as_of="2019-08-11")) == 1
    records[-1]["original"] = True
    assert run("update_frequency", params, records, since="2019-08-05", as_of="2019-08-11") == []


def test_timezone_moves_a_post_into_the_next_week():
    # 2019-08-11T17:00Z is Monday 08-12 01:00 in Shanghai: week of 08-05 is empty
    records = [unit(), account(opened_on="2018-01-01"), post("p1", "2019-08-11T17:00:00Z")]
    [finding] = run("update_frequency", WEEKLY, records, since="2019-08-05", as_of="2019-08-18")
    assert finding.evidence["windows"][0]["from"].isoformat() == "2019-08-05"


def test_column_freshness_per_column():
    records = [unit(), account(opened_on="2018-01-01", platform="website"),
               post("d1", "2019-01-02T10:00:00", column="dynamic"), post("d2", "2019-01-15T10:00:00", column="dynamic"),
               post("n1", "2019-01-02T10:00:00", column="notice")]
    params = {"columns": {"dynamic": {"weeks": 2}, "notice": {"months": 6}}}
    assert run("column_freshness", params, records, since="2019-01-01", as_of="2019-01-28") == []
    [finding] = run("column_freshness", params, records, since="2019-01-01", as_of="2019-01-30")
    assert finding.evidence["column"] == "dynamic"
    [finding] = run("column_freshness", {"columns": {"notice": {"months": 6}}}, records, since="2019-01-01", as_of="2019-07-02")
    assert finding.evidence["column"] == "notice"


def test_dormant_account():
    records = [unit(), account(opened_on="2018-01-01"), post("p1", "2019-05-31T10:00:00")]
    params = {"inactive_for": {"months": 3}}
    assert run("dormant_account", params, records, since="2019-01-01", as_of="2019-08-30") == []
    [finding] = run("dormant_account", params, records, since="2019-01-01", as_of="2019-08-31")
    assert finding.evidence["last_active"].isoformat() == "2019-05-31"


def test_young_account_is_not_dormant_and_replies_count():
    young = [unit(), account(opened_on="2019-07-01")]
    assert run("dormant_account", {"inactive_for": {"months": 3}}, young, since="2019-01-01", as_of="2019-08-31") == []
    records = [unit(), account(opened_on="2018-01-01"),
               {"type": "message", "id": "m1", "account_id": "a1", "received_at": "2019-07-01T09:00:00",
                "replied_at": "2019-07-02T09:00:00"}]
    assert run("dormant_account", {"inactive_for": {"months": 3}}, records, since="2019-01-01", as_of="2019-08-31") == []
    assert len(run("dormant_account", {"inactive_for": {"months": 3}, "count_replies": False}, records,
                   since="2019-01-01", as_of="2019-08-31")) == 1


def message(mid, received, replied=None):
    return {"type": "message", "id": mid, "account_id": "a1", "received_at": received, "replied_at": replied}


def test_message_reply_within_seven_days_last_day_edge():
    records = [unit(), account(), message("m1", "2019-08-01T09:00:00", "2019-08-08T18:00:00"),
               message("m2", "2019-08-01T09:00:00", "2019-08-09T08:00:00"), message("m3", "2019-08-01T09:00:00")]
    findings = run("message_reply", {"within": {"days": 7}}, records, since="2019-08-01", as_of="2019-08-20")
    assert sorted(f.subject.id for f in findings) == ["m2", "m3"]
    unanswered = next(f for f in findings if f.subject.id == "m3")
    assert unanswered.due.isoformat() == "2019-08-08"


def test_unanswered_message_not_yet_late():
    records = [unit(), account(), message("m1", "2019-08-01T09:00:00")]
    assert run("message_reply", {"within": {"days": 7}}, records, since="2019-08-01", as_of="2019-08-08") == []


def test_message_reply_in_working_days_skips_national_day():
    records = [unit(), account(), message("m1", "2019-09-30T09:00:00", "2019-10-09T09:00:00")]
    assert run("message_reply", {"within": {"working_days": 2}}, records, since="2019-09-01", as_of="2019-10-31") == []
    records[-1]["replied_at"] = "2019-10-10T09:00:00"
    assert len(run("message_reply", {"within": {"working_days": 2}}, records, since="2019-09-01", as_of="2019-10-31")) == 1


def test_early_warning_before_the_two_week_veto():
    # last post 09-01: silent 10+ days from 09-12 on; the 14-day veto span is reached on 09-15
    params = {"inactive_for": {"days": 10}, "until": {"weeks": 2}, "count_replies": False}
    records = [unit(), account(opened_on="2018-01-01"), post("p", "2019-09-01T10:00:00")]
    assert run("dormant_account", params, records, since="2019-08-01", as_of="2019-09-10") == []
    [warning] = run("dormant_account", params, records, since="2019-08-01", as_of="2019-09-11")
    assert warning.due == date(2019, 9, 15) and "预警" in warning.message
    assert len(run("dormant_account", params, records, since="2019-08-01", as_of="2019-09-14")) == 1
    assert run("dormant_account", params, records, since="2019-08-01", as_of="2019-09-15") == []
    veto = {"inactive_for": {"weeks": 2}, "count_replies": False}
    assert run("dormant_account", veto, records, since="2019-08-01", as_of="2019-09-14") == []
    assert len(run("dormant_account", veto, records, since="2019-08-01", as_of="2019-09-15")) == 1


def test_a_long_silence_under_a_rolling_rule_is_told_by_its_real_length():
    records = [unit(), account(opened_on="2019-01-01"), post("p1", "2019-03-01T10:00:00"),
               post("p2", "2019-04-20T10:00:00")]
    [finding] = run("update_frequency", {"window": {"weeks": 2}, "anchor": "rolling"}, records,
                    since="2019-03-01", as_of="2019-05-31")
    assert "2段时间" in finding.message and "2019-03-02至2019-04-19（共49天）" in finding.message
    assert "2019-04-21至2019-05-31（共41天）" in finding.message
