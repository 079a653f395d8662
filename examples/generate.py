"""Writes the example records of every city (examples/<city>.jsonl), deterministically.

    python3 examples/generate.py

Each city gets a government and two departments with accounts that mostly
comply, and a handful of typical problems (a silent week, a late filing, an
unreviewed post, a commercial ad, a missing quarterly report), so that
`make demo` and `govmedia-rules report` show real findings.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from pathlib import Path

CITIES = {
    "lianyungang": ("连云港市", ["海州区", "赣榆区"], date(2019, 7, 1)),
    "ankang": ("安康市", ["汉滨区", "旬阳县"], date(2019, 7, 1)),
    "changde": ("常德市", ["武陵区", "鼎城区"], date(2019, 7, 1)),
    "baicheng": ("白城市", ["洮北区", "大安市"], date(2021, 7, 1)),
    "junshan": ("岳阳市君山区", ["许市镇", "钱粮湖镇"], date(2019, 7, 1)),
}
REVIEWED = "final_reviewer"


def records(city: str, counties: list[str], start: date) -> list[dict]:
    end = date(start.year, 12, 31)
    gov, edu, office = f"{city}人民政府", f"{city}教育局", f"{city}教育局办公室"
    units = [
        {"type": "unit", "id": "gov", "name": gov, "level": "county" if city.endswith("区") else "city", "kind": "government"},
        {"type": "unit", "id": "edu", "name": edu, "level": "county" if city.endswith("区") else "city", "kind": "department"},
        {"type": "unit", "id": "edu-office", "name": office, "level": "city", "kind": "internal_body", "parent_id": "edu"},
        {"type": "unit", "id": "county", "name": f"{counties[0]}人民政府", "level": "county", "kind": "government"},
    ]
    person = {"deputy": {"name": "王副主任", "title": "副主任", "phone": "0000-1234567", "mobile": "13800000001"},
              "principal": {"name": "李主任"}, "contact": {"name": "张科员", "title": "科员", "phone": "0000-1234568",
                                                           "mobile": "13800000002"}}
    common = {"in_matrix": True, "review_policy": True, "functions": ["publish", "interact", "service"],
              "dedicated_staff": 2, "staff_count": 2, "error_correction_entry": True, "purpose": "发布政务信息、回应关切",
              "operator": "本单位", "operation_mode": "self", "password_custodian": "张科员", **person}
    accounts = [
        {"type": "account", "id": "gov-weibo", "unit_id": "gov", "name": f"{city}发布", "platform": "weibo",
         "opened_on": "2016-03-01", "certified_sponsor": gov, "name_approved_on": "2016-02-20", **common},
        {"type": "account", "id": "edu-wechat", "unit_id": "edu", "name": f"{city}教育", "platform": "wechat",
         "subtype": "service", "opened_on": "2017-05-10", "certified_sponsor": edu, "name_approved_on": "2017-05-01", **common},
        {"type": "account", "id": "edu-news", "unit_id": "edu", "name": f"{city}教育资讯", "platform": "wechat",
         "subtype": "subscription", "opened_on": (start + timedelta(88)).isoformat(), "certified_sponsor": edu,
         "in_matrix": True, "functions": ["publish"]},
        {"type": "account", "id": "office-douyin", "unit_id": "edu-office", "name": "教育局办公室", "platform": "douyin",
         "opened_on": (start + timedelta(50)).isoformat(), "certified_sponsor": edu, "in_matrix": False},
        {"type": "account", "id": "county-weibo", "unit_id": "county", "name": f"{counties[0]}发布", "platform": "weibo",
         "opened_on": "2015-01-01", "certified_sponsor": f"{counties[0]}人民政府", "name_approved_on": "2014-12-20", **common},
    ]
    posts, n = [], 0
    day = start
    while day <= end:
        for account, weekday, skip in (("gov-weibo", 1, (start + timedelta(91), start + timedelta(97))),
                                       ("county-weibo", 3, None), ("edu-news", 0, None)):
            if day.weekday() == weekday and not (skip and skip[0] <= day <= skip[1]):
                if account == "edu-news" and day < start + timedelta(92):
                    continue
                n += 1
                at = datetime.combine(day, time(10))
                signoffs = [{"role": r, "person": p, "at": (at - timedelta(minutes=30)).isoformat()} for r, p in (
                    ("editor", "赵编辑"), ("proofreader", "甲"), ("proofreader", "乙"), ("proofreader", "丙"),
                    ("first_reviewer", "丁"), ("second_reviewer", "戊"), ("final_reviewer", "己"), ("office_head", "李主任"))]
                posts.append({"type": "post", "id": f"p{n}", "account_id": account, "published_at": at.isoformat(),
                              "original": True, "review_form": True, "signoffs": signoffs})
        if day.day in (1, 15):
            n += 1
            posts.append({"type": "post", "id": f"p{n}", "account_id": "edu-wechat",
                          "published_at": f"{day}T09:00:00", "original": True})
        day += timedelta(1)
    posts += [
        {"type": "post", "id": "ad", "account_id": "edu-news", "published_at": f"{start.year}-11-11T12:00:00",
         "original": True, "flags": ["commercial_ad"]},
        {"type": "post", "id": "repost", "account_id": "gov-weibo", "published_at": f"{start.year}-11-20T16:00:00",
         "original": False, "repost_source": "某自媒体", "source_approved": False},
    ]
    news_open = start + timedelta(88)
    filings = [
        {"type": "filing", "id": "f-news", "account_id": "edu-news", "action": "open", "action_on": news_open.isoformat(),
         "filed_on": (news_open + timedelta(11)).isoformat(), "forwarded_on": (news_open + timedelta(12)).isoformat()},
        {"type": "filing", "id": "f-office", "account_id": "office-douyin", "action": "open",
         "action_on": (start + timedelta(50)).isoformat(), "filed_on": (start + timedelta(51)).isoformat(),
         "forwarded_on": (start + timedelta(56)).isoformat()},
    ] + [{"type": "filing", "id": f"f-{a}", "account_id": a, "action": "open", "action_on": o, "filed_on": o, "forwarded_on": o}
         for a, o in (("gov-weibo", "2016-03-01"), ("edu-wechat", "2017-05-10"), ("county-weibo", "2015-01-01"))]
    attest = [{"type": "attestation", "id": f"att-{u}-{i}", "unit_id": u, "item": i, "on": f"{start.year}-01-15"}
              for u in ("gov", "edu", "county") for i in ("security_management", "confidentiality_review", "emergency_plan",
                                                           "duty_roster", "budget", "work_ledger")
              if not (u == "edu" and i == "emergency_plan")]
    reports = [{"type": "report", "id": f"r-{u}-{q}", "unit_id": u, "kind": "quarterly_self_check", "period": f"{start.year}Q{q}",
                "submitted_on": f"{start.year}-{3 * q:02d}-25"} for u in ("gov", "county") for q in (1, 2, 3, 4)]
    monday = start - timedelta(start.weekday())
    reports += [{"type": "report", "id": f"w-{u}-{i}", "unit_id": u, "kind": "weekly_self_check",
                 "period": f"{(monday + timedelta(7 * i)).isocalendar().year}W{(monday + timedelta(7 * i)).isocalendar().week:02d}",
                 "submitted_on": (monday + timedelta(7 * i + 4)).isoformat()} for u in ("gov", "county") for i in range(27)]
    reports += [{"type": "report", "id": f"o-{u}-{q}", "unit_id": u, "kind": "ops_report", "period": f"{start.year}Q{q}",
                 "submitted_on": f"{start.year}-{3 * q - 1:02d}-03"} for u in ("gov", "county") for q in (1, 2, 3, 4)]
    reports.append({"type": "report", "id": "r-edu-late", "unit_id": "edu", "kind": "quarterly_self_check",
                    "period": f"{start.year}Q3", "submitted_on": f"{start.year}-10-14"})
    messages = [{"type": "message", "id": "m1", "account_id": "gov-weibo", "received_at": f"{start.year}-10-10T09:00:00",
                 "replied_at": f"{start.year}-10-12T09:00:00"},
                {"type": "message", "id": "m2", "account_id": "county-weibo", "received_at": f"{start.year}-11-04T09:00:00"}]
    checks = [{"type": "spot_check", "id": "sc1", "account_id": "county-weibo", "level": "provincial",
               "on": f"{start.year}-11-05", "result": "pass"}]
    return units + accounts + posts + filings + attest + reports + messages + checks


def main() -> None:
    folder = Path(__file__).parent
    for pack, (city, counties, start) in CITIES.items():
        rows = records(city, counties, start)
        with (folder / f"{pack}.jsonl").open("w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
            out.write(json.dumps({"type": "message", "id": "m-ghost", "account_id": "a-ghost",
                                  "received_at": f"{start.year}-10-10T09:00:00"}) + "\n")


if __name__ == "__main__":
    main()
