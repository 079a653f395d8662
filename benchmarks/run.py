"""Throughput and peak memory of evaluating a built-in pack over synthetic records.

    make bench                      # defaults
    .venv/bin/python benchmarks/run.py --accounts 20000 --posts-per-account 150

Generates a JSON Lines file of units, accounts, posts, filings and messages (a
year of activity), then times reading + evaluation with the given pack and
reports records/second and the process's peak resident memory.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from govmedia_rules import Engine, load_pack, parse_record


def generate(path: Path, accounts: int, posts_per_account: int, seed: int) -> int:
    rng = random.Random(seed)
    start = date(2019, 1, 1)
    platforms = ["weibo", "wechat", "douyin", "toutiao", "kuaishou", "app"]
    count = 0
    with path.open("w", encoding="utf-8") as out:
        def write(record: dict) -> None:
            nonlocal count
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1

        units = max(1, accounts // 3)
        for u in range(units):
            write({"type": "unit", "id": f"u{u}", "name": f"单位{u}", "level": rng.choice(["city", "county"]),
                   "kind": rng.choice(["government", "department", "institution", "internal_body"])})
            write({"type": "report", "id": f"r{u}", "unit_id": f"u{u}", "kind": "quarterly_self_check",
                   "period": "2019Q3", "submitted_on": "2019-10-1" + str(rng.randint(0, 9))})
        for a in range(accounts):
            opened = start - timedelta(rng.randint(-200, 800))
            write({"type": "account", "id": f"a{a}", "unit_id": f"u{a % units}", "name": f"账号{a}",
                   "platform": rng.choice(platforms), "opened_on": opened.isoformat(),
                   "certified_sponsor": f"单位{a % units}", "in_matrix": rng.random() > 0.1})
            write({"type": "filing", "id": f"f{a}", "account_id": f"a{a}", "action": "open",
                   "action_on": opened.isoformat(), "filed_on": (opened + timedelta(rng.randint(0, 6))).isoformat(),
                   "forwarded_on": (opened + timedelta(rng.randint(1, 9))).isoformat()})
            for p in range(posts_per_account):
                moment = datetime.combine(start, datetime.min.time()) + timedelta(minutes=rng.randint(0, 525_000))
                write({"type": "post", "id": f"a{a}p{p}", "account_id": f"a{a}", "published_at": moment.isoformat(),
                       "original": rng.random() > 0.3, "flags": ["commercial_ad"] if rng.random() < 0.001 else []})
            for m in range(posts_per_account // 20):
                received = datetime.combine(start, datetime.min.time()) + timedelta(minutes=rng.randint(0, 525_000))
                replied = received + timedelta(hours=rng.randint(1, 300))
                write({"type": "message", "id": f"a{a}m{m}", "account_id": f"a{a}",
                       "received_at": received.isoformat(), "replied_at": replied.isoformat()})
    return count


def _median_ms(call, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _one_account_year() -> list[dict]:
    """One account with a year of events: ~300 posts, 20 messages, a few filings."""
    rng = random.Random(7)
    start = datetime(2019, 1, 1, 9)
    records = [{"type": "unit", "id": "u", "name": "某局", "level": "city", "kind": "department"},
               {"type": "account", "id": "a", "unit_id": "u", "name": "某号", "platform": "weibo", "opened_on": "2018-01-01"}]
    moments = [start + timedelta(hours=29 * i + rng.randint(0, 5)) for i in range(300)]
    records += [{"type": "post", "id": f"p{i}", "account_id": "a", "published_at": at.isoformat(), "original": True,
                 "signoffs": [{"role": role, "person": "甲", "at": (at - timedelta(hours=1)).isoformat()}
                              for role in ("editor", "final_reviewer", "office_head")]}
                for i, at in enumerate(moments)]
    records += [{"type": "message", "id": f"m{i}", "account_id": "a", "received_at": (start + timedelta(days=18 * i)).isoformat(),
                 "replied_at": (start + timedelta(days=18 * i, hours=rng.randint(1, 200))).isoformat()} for i in range(20)]
    records += [{"type": "filing", "id": f"f{i}", "account_id": "a", "action": "change", "action_on": f"2019-0{i + 2}-04",
                 "filed_on": f"2019-0{i + 2}-0{5 + i}"} for i in range(3)]
    return records


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pack", default="lianyungang")
    parser.add_argument("--accounts", type=int, default=3000)
    parser.add_argument("--posts-per-account", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "records.jsonl"
        t0 = time.perf_counter()
        records = generate(data, args.accounts, args.posts_per_account, args.seed)
        t1 = time.perf_counter()
        engine = Engine([args.pack])
        report = engine.evaluate_files([data], since=date(2019, 1, 1), as_of=date(2019, 12, 31))
        t2 = time.perf_counter()
    load_ms = _median_ms(lambda: load_pack(args.pack, engine.registry), 20)
    single = _one_account_year()
    warm = Engine([args.pack])
    single_ms = _median_ms(lambda: warm.evaluate(single, since=date(2019, 1, 1), as_of=date(2019, 12, 31)), 50)
    parsed = [parse_record(r) for r in single]
    parsed_ms = _median_ms(lambda: warm.evaluate(parsed, since=date(2019, 1, 1), as_of=date(2019, 12, 31)), 50)
    # the reference, measured in the same run: validating the same records with the record models
    validate_ms = _median_ms(lambda: [parse_record(r) for r in single], 50)
    build_ms = _median_ms(lambda: Engine([args.pack]), 10)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"pack              {args.pack} ({len(engine.packs[0].rules)} rules)")
    print(f"records           {records:,} ({args.accounts:,} accounts, {args.posts_per_account} posts each)")
    print(f"generate          {t1 - t0:.1f} s")
    print(f"read + evaluate   {t2 - t1:.1f} s  ->  {records / (t2 - t1):,.0f} records/s")
    print(f"findings          {len(report.findings):,} (accepted {report.input.accepted:,}, rejected {report.input.rejected:,})")
    print(f"peak memory       {peak_mib:,.0f} MiB (max RSS of the process)")
    print(f"pack load         {load_ms:.1f} ms median (read, validate, layer)")
    print(f"one account-year  {single_ms:.1f} ms median from dicts, {parsed_ms:.1f} ms from parsed records "
          f"({len(single)} records, warm engine)")
    print(f"  reference       {validate_ms:.1f} ms to validate the same records with the record models: "
          f"from dicts {single_ms / validate_ms:.2f}x (target 1.3x), from models {parsed_ms / validate_ms:.2f}x "
          f"(target 0.1x)")
    print(f"engine built      {build_ms:.1f} ms median (target 50 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
