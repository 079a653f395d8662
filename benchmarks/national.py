"""National-scale comparison: the engine against hand-written DuckDB SQL for five checks.

    .venv/bin/python benchmarks/national.py --scale 0.01      # 1,500 accounts (CI-sized)
    .venv/bin/python benchmarks/national.py --scale 1         # 150,000 accounts, 25.7 million posts

Generates a year (2019) of synthetic data shaped like the national picture —
accounts in units of three, most posting 2–7 times a week, ~10% dormant with long
silent spells, ~5% WeChat service accounts posting ~4 times a month, messages
mostly answered within 3 days and some never, filings 0–6 working days late,
posts written in time order — as Parquet tables and as JSON Lines. Then, each in
its own process so peak memory is its own: DuckDB running the five checks in
SQL, the engine on the Parquet folder, and the engine on the JSON Lines file,
all with the pack in benchmarks/five-rules. Prints wall time, events per
second, peak memory and the number of findings per check for each path (the
counts are a cross-check of the two implementations). Needs duckdb and pyarrow.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
START, END = date(2019, 1, 1), date(2019, 12, 31)
PLATFORMS = ["weibo", "wechat", "douyin", "toutiao", "kuaishou", "app"]


def generate(folder: Path, scale: float, seed: int) -> dict[str, int]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = random.Random(seed)
    accounts_n = max(3, int(150_000 * scale))
    units = [{"id": f"u{i}", "name": f"单位{i}", "level": rng.choice(["city", "county"]), "kind": "department"}
             for i in range(max(1, accounts_n // 3))]
    accounts, posts, messages, filings = [], [], [], []
    base = datetime(2019, 1, 1)
    for a in range(accounts_n):
        platform = rng.choice(PLATFORMS)
        service = platform == "wechat" and rng.random() < 0.05
        opened = START - timedelta(days=rng.randint(-150, 1500))
        accounts.append({"id": f"a{a}", "unit_id": f"u{a % len(units)}", "name": f"账号{a}", "platform": platform,
                         "subtype": "service" if service else None, "opened_on": opened})
        per_week = 4 / 4.345 if service else rng.uniform(2, 5)
        dormant = rng.random() < 0.10
        day = max(START, opened)
        while day <= END:
            gap = rng.expovariate(per_week / 7)
            day = day + timedelta(days=gap)
            if dormant and rng.random() < 0.05:
                day += timedelta(days=rng.randint(20, 90))
            if day > END:
                break
            posts.append((base + timedelta(days=(day - START).days, minutes=rng.randint(420, 1320)), f"a{a}",
                          rng.random() < 0.6))
        for m in range(rng.randint(5, 23)):
            received = base + timedelta(minutes=rng.randint(0, 525_000))
            delay = rng.random()
            replied = None if delay < 0.05 else received + timedelta(hours=rng.expovariate(1 / 30) if delay < 0.9 else rng.randint(72, 400))
            messages.append({"id": f"a{a}m{m}", "account_id": f"a{a}", "received_at": received, "replied_at": replied})
        if opened >= START or rng.random() < 0.1:
            action_on = max(opened, START + timedelta(days=rng.randint(0, 300)))
            filings.append({"id": f"a{a}f", "account_id": f"a{a}", "action": "open" if opened >= START else "change",
                            "action_on": action_on, "filed_on": action_on + timedelta(days=rng.randint(0, 9))})
    posts.sort()  # time order, not account order
    post_rows = [{"id": f"p{i}", "account_id": acc, "published_at": at, "original": orig}
                 for i, (at, acc, orig) in enumerate(posts)]
    for name, rows in (("units", units), ("accounts", accounts), ("posts", post_rows), ("messages", messages),
                       ("filings", filings)):
        pq.write_table(pa.Table.from_pylist(rows), folder / "tables" / f"{name}.parquet")
    with (folder / "records.jsonl").open("w", encoding="utf-8") as out:
        for kind, rows in (("unit", units), ("account", accounts), ("post", post_rows), ("message", messages),
                           ("filing", filings)):
            for row in rows:
                out.write(json.dumps({"type": kind, **{k: (v.isoformat() if hasattr(v, "isoformat") else v)
                                                        for k, v in row.items() if v is not None}},
                                     ensure_ascii=False) + "\n")
    return {"accounts": len(accounts), "units": len(units), "posts": len(post_rows), "messages": len(messages),
            "filings": len(filings)}


DUCKDB_SQL = """
with weeks as (
  select a.id as account, w::date as week
  from accounts a, range(date '2018-12-31', date '2019-12-30', interval 7 day) t(w)
  where w::date >= greatest(date '2019-01-01', a.opened_on)
    and w::date + 6 <= date '2019-12-31' and coalesce(a.subtype, '') <> 'service'
), weekly as (
  select count(distinct w.account) as n from weeks w
  where not exists (select 1 from posts p where p.account_id = w.account
                    and p.published_at >= w.week and p.published_at < w.week + 7)
), orig as (
  select account_id, published_at::date as d from posts where original
), gaps as (
  select a.id as account,
         greatest(date '2019-01-01', a.opened_on) as first_day,
         list_sort(list(o.d) filter (where o.d is not null)) as days
  from accounts a left join orig o on o.account_id = a.id group by all
), fortnightly as (
  select count(*) as n from gaps
  where first_day + 13 <= date '2019-12-31' and (
    len(days) = 0 or days[1] - first_day >= 14
    or list_max(list_transform(list_zip(days[1:-1], days[2:]), lambda x: x[2] - x[1])) > 14
    or date '2019-12-31' - days[-1] >= 14)
), replies as (
  select count(*) as n from messages
  where received_at::date <= date '2019-12-31' and (
    (replied_at is null and date '2019-12-31' > received_at::date + 7) or replied_at::date > received_at::date + 7)
), filing as (
  select count(*) as n from filings f
  where f.filed_on > (select min(d) from workdays w
                      where w.d > f.action_on and w.n = (select n from workdays where d = f.action_on) + 2)
), platform as (
  select count(*) as n from (select unit_id, platform from accounts group by all having count(*) > 1)
)
select (select n from weekly), (select n from fortnightly), (select n from replies), (select n from filing),
       (select n from platform)
"""


def run_duckdb(folder: Path) -> dict:
    import duckdb

    from govmedia_rules.calendar import WorkCalendar

    cal = WorkCalendar()
    days = [START - timedelta(days=30) + timedelta(days=i) for i in range(430)]
    count, rows = 0, []
    for d in days:
        count += cal.is_workday(d)
        rows.append((d, count))  # n = working days up to and including d
    con = duckdb.connect()
    for name in ("units", "accounts", "posts", "messages", "filings"):
        con.execute(f"create view {name} as select * from read_parquet('{folder / 'tables' / (name + '.parquet')}')")
    con.execute("create table workdays(d date, n integer)")
    con.executemany("insert into workdays values (?, ?)", rows)
    start = time.perf_counter()
    counts = con.execute(DUCKDB_SQL).fetchone()
    return {"seconds": time.perf_counter() - start, "counts": dict(zip(
        ["weekly-update", "fortnightly-original", "reply-within-7-days", "filing", "one-account-per-platform"], counts))}


def run_engine(path: Path) -> dict:
    from collections import Counter

    from govmedia_rules import Engine

    engine = Engine([HERE / "five-rules"])
    start = time.perf_counter()
    report = engine.evaluate_files([path], since=START, as_of=END)
    seconds = time.perf_counter() - start
    counts = Counter(f.rule for f in report.findings)
    if counts.get("one-account-per-platform"):
        counts["one-account-per-platform"] = sum(1 for f in report.findings if f.rule == "one-account-per-platform")
    return {"seconds": seconds, "counts": dict(counts), "read": report.input.read}


def child(kind: str, target: str) -> None:
    result = run_duckdb(Path(target)) if kind == "duckdb" else run_engine(Path(target))
    result["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result, default=str))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.01, help="1 = 150,000 accounts")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "tables").mkdir()
        t0 = time.perf_counter()
        sizes = generate(folder, args.scale, args.seed)
        events = sizes["posts"] + sizes["messages"] + sizes["filings"]
        parquet_mb = sum(p.stat().st_size for p in (folder / "tables").iterdir()) / 2**20
        jsonl_mb = (folder / "records.jsonl").stat().st_size / 2**20
        print(f"data      {sizes} generated in {time.perf_counter() - t0:.1f} s; "
              f"Parquet {parquet_mb:.1f} MiB, JSON Lines {jsonl_mb:.1f} MiB")
        for label, kind, target in (("duckdb SQL", "duckdb", folder), ("engine, Parquet", "engine", folder / "tables"),
                                    ("engine, JSON Lines", "engine", folder / "records.jsonl")):
            proc = subprocess.run([sys.executable, __file__, "--child", kind, str(target)], capture_output=True, text=True)
            if proc.returncode:
                print(f"{label}: failed\n{proc.stderr}", file=sys.stderr)
                continue
            out = proc.stdout
            result = json.loads(out.strip().splitlines()[-1])
            print(f"{label:<20} {result['seconds']:8.2f} s  {events / result['seconds']:>12,.0f} events/s  "
                  f"peak {result['peak_mib']:,.0f} MiB  findings {result['counts']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
