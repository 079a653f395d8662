"""National-scale comparison: the engine against hand-written DuckDB SQL for five checks.

    .venv/bin/python benchmarks/national.py --scale 0.01      # 1,500 accounts (CI-sized)
    .venv/bin/python benchmarks/national.py --scale 1         # 150,000 accounts, 25.7 million posts

Generates (numpy, seeded, so the same scale and seed give the same data) a year
(2019) shaped like the national picture — units of three accounts, most accounts
posting 2–7 times a week, ~10% dormant with long silent spells, ~5% of WeChat
accounts service accounts posting ~4 times a month, reposts naming their source,
posts signed off by a reviewer (a few late or never), messages mostly answered
within 3 days and 5% never, filings 0–6 working days past the 2-day deadline,
posts written in time order — as Parquet tables and as one JSON Lines file.
Then, each in its own process so peak memory is its own: DuckDB running the five
checks in SQL; the engine's batch path with the same checks (benchmarks/five-rules)
on the Parquet folder and on the JSON Lines file; orjson merely parsing the JSON
Lines (the floor for reading it); the whole Lianyungang pack on the batch path;
and, on small data, the per-record path. Prints wall time (prepare + evaluate),
events per second, peak memory and the findings per check — DuckDB's counts and
the engine's must agree. Needs duckdb, orjson, pyarrow and numpy (make bench
installs them). ``--data DIR`` keeps the generated data for another run.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
START, END = date(2019, 1, 1), date(2019, 12, 31)
PLATFORMS = ["weibo", "wechat", "douyin", "toutiao", "kuaishou", "app"]


def _ids(prefix: str, numbers: np.ndarray, suffix: tuple[str, np.ndarray] | None = None) -> object:
    """'p0', 'p1' … (or 'a3m0' with a suffix) built by Arrow, not Python strings."""
    import pyarrow as pa
    import pyarrow.compute as pc

    parts = [pa.scalar(prefix), pc.cast(pa.array(numbers), pa.string())]
    if suffix:
        parts += [pa.scalar(suffix[0]), pc.cast(pa.array(suffix[1]), pa.string())]
    joined = pc.binary_join_element_wise(*parts, "")
    return joined.combine_chunks() if isinstance(joined, pa.ChunkedArray) else joined


REPOST_SOURCES = ["新华社", "人民日报", "中国政府网", "省政府网站", "市融媒体中心"]
EPOCH = np.datetime64("2019-01-01T00:00", "m")


def _schedule(rng: np.random.Generator, scale: float) -> dict[str, np.ndarray]:
    """Accounts and when each posts: counts drawn per account, times uniform over its active days."""
    n = max(3, int(150_000 * scale))
    platform = rng.integers(0, len(PLATFORMS), n)
    service = (platform == PLATFORMS.index("wechat")) & (rng.random(n) < 0.05)
    opened = (START - date(1970, 1, 1)).days - rng.integers(-150, 1500, n)  # days since 1970
    first = np.maximum(opened - (START - date(1970, 1, 1)).days, 0)  # first active day of 2019 (0-based)
    active = np.maximum(365 - first, 0)
    weekly = np.where(service, 4 / 4.345, 2 + 5 * rng.beta(1.2, 3, n))  # 2-7 a week; service accounts ~4 a month
    count = rng.poisson(weekly / 7 * active)
    account = np.repeat(np.arange(n), count)
    day = first[account] + (rng.random(len(account)) * active[account]).astype(np.int64)
    dormant = rng.random(n) < 0.10  # one or two long silent spells of 20-90 days
    for _ in range(2):
        start = rng.integers(0, 365, n)
        length = np.where(dormant & (rng.random(n) < 0.8), rng.integers(20, 91, n), 0)
        quiet = (day >= start[account]) & (day < start[account] + length[account])
        account, day = account[~quiet], day[~quiet]
    minute = day * 1440 + rng.integers(420, 1321, len(day))
    order = np.argsort(minute, kind="stable")  # written in time order, not account order
    return {"n": n, "platform": platform, "service": service, "opened": opened, "post_account": account[order],
            "post_minute": minute[order]}


#: what a monitoring office holds (``--shape monitoring``): crawled posts without sign-offs, tiers or source
#: approval, and a registry that names accounts but leaves every other cell blank
MONITORING = {"posts": ["id", "account_id", "published_at", "original", "repost_source"],
              "accounts": ["id", "unit_id", "name", "platform", "subtype", "opened_on"]}


def generate(folder: Path, scale: float, seed: int, shape: str = "full") -> dict[str, int]:
    """Write a year of national-shaped data as Parquet tables and as one JSON Lines file; return the counts.
    ``shape="monitoring"`` keeps only what a monitoring office has (:data:`MONITORING`)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from govmedia_rules.calendar import WorkCalendar

    rng = np.random.default_rng(seed)
    plan = _schedule(rng, scale)
    n = plan["n"]
    n_units = max(1, n // 3)
    units = pa.table({"id": [f"u{i}" for i in range(n_units)], "name": [f"单位{i}" for i in range(n_units)],
                      "level": np.where(rng.random(n_units) < 0.5, "city", "county"),
                      "kind": np.full(n_units, "department")})
    unit_of = np.arange(n) % n_units
    outsourced = rng.random(n) < 0.3
    accounts = pa.table({
        "id": [f"a{i}" for i in range(n)], "unit_id": [f"u{u}" for u in unit_of.tolist()],
        "name": [f"账号{i}" for i in range(n)], "platform": np.array(PLATFORMS)[plan["platform"]],
        "subtype": pa.array(np.where(plan["service"], "service", None).tolist(), pa.string()),
        "opened_on": pa.array(plan["opened"].astype("datetime64[D]")),
        "certified_sponsor": [f"单位{u}" if ok else None for u, ok in zip(unit_of.tolist(), (rng.random(n) < 0.97).tolist())],
        "operation_mode": np.where(outsourced, "outsourced", "self"),
        "security_agreement": pa.array(np.where(outsourced, rng.random(n) < 0.95, True)),
        "in_matrix": rng.random(n) < 0.97, "review_policy": rng.random(n) < 0.97,
        "error_correction_entry": rng.random(n) < 0.95, "dedicated_staff": rng.integers(0, 4, n),
    })
    posts = _posts(rng, plan, pa)
    messages = _messages(rng, plan, pa)
    filings = _filings(rng, plan, WorkCalendar(), pa)
    tables = {"units": units, "accounts": accounts, "posts": posts, "messages": messages, "filings": filings}
    if shape == "monitoring":
        tables.update({name: tables[name].select(columns) for name, columns in MONITORING.items()})
    for name, table in tables.items():
        pq.write_table(table, folder / "tables" / f"{name}.parquet")
    _write_jsonl(folder / "records.jsonl", tables)
    return {name: table.num_rows for name, table in tables.items()}


def _posts(rng: np.random.Generator, plan: dict, pa: object) -> object:
    """Posts in time order: 60% original; reposts name a source (almost always approved and credited);
    tiers mostly routine; each signed off by a reviewer before publication (a few late or missing)."""
    count = len(plan["post_account"])
    at = EPOCH + plan["post_minute"].astype("timedelta64[m]")
    original = rng.random(count) < 0.6
    source = np.where(original, None, np.array(REPOST_SOURCES, object)[rng.integers(0, len(REPOST_SOURCES), count)])
    reviewed = rng.random(count)
    signed_at = at - rng.integers(30, 240, count).astype("timedelta64[m]")
    signed_at = np.where(reviewed < 0.005, at + np.timedelta64(90, "m"), signed_at)  # signed after publication
    has = reviewed >= 0.0025  # a few were never signed off
    offsets = np.concatenate([[0], np.cumsum(has)]).astype(np.int32)
    signoff = pa.StructArray.from_arrays(
        [pa.array(["first_reviewer"]).take(pa.array(np.zeros(int(has.sum()), np.int32))),
         _ids("审核员", plan["post_account"][has] % 7),
         pa.array(signed_at[has].astype("datetime64[us]"))], names=["role", "person", "at"])
    return pa.table({
        "id": _ids("p", np.arange(count)),
        "account_id": _ids("a", plan["post_account"]),
        "published_at": pa.array(at.astype("datetime64[us]")),
        "original": original,
        "repost_source": pa.array(source.tolist(), pa.string()),
        "source_approved": pa.array(np.where(original, None, rng.random(count) < 0.97).tolist(), pa.bool_()),
        "source_credited": pa.array(np.where(original, None, rng.random(count) < 0.95).tolist(), pa.bool_()),
        "tier": np.array(["routine", "important", "major"])[np.searchsorted([0.9, 0.99], rng.random(count))],
        "signoffs": pa.ListArray.from_arrays(pa.array(offsets), signoff),
    })


def _messages(rng: np.random.Generator, plan: dict, pa: object) -> object:
    """5-23 messages per account over its active time; replies mostly within 3 days, some late, 5% never."""
    n = plan["n"]
    per = rng.integers(5, 24, n)
    account = np.repeat(np.arange(n), per)
    index = np.arange(len(account)) - np.repeat(np.cumsum(per) - per, per)
    first = np.maximum(plan["opened"] - (START - date(1970, 1, 1)).days, 0)[account] * 1440
    received = EPOCH + (first + rng.random(len(account)) * (525_600 - first)).astype("timedelta64[m]")
    kind = rng.random(len(account))
    hours = np.where(kind < 0.9, rng.exponential(30, len(account)), rng.integers(72, 400, len(account)))
    replied = received + (hours * 60).astype("timedelta64[m]")
    return pa.table({
        "id": _ids("a", account, ("m", index)), "account_id": _ids("a", account),
        "received_at": pa.array(received.astype("datetime64[us]")),
        "replied_at": pa.array(replied.astype("datetime64[us]"), mask=kind < 0.05),
    })


def _filings(rng: np.random.Generator, plan: dict, calendar: object, pa: object) -> object:
    """An opening filing for accounts opened in 2019 and about one change a year each, filed 0-8 working days
    after the action (the deadline is 2: most on time, some up to 6 working days late)."""
    n = plan["n"]
    start = (START - date(1970, 1, 1)).days
    opened_now = plan["opened"] >= start
    changes = rng.poisson(1.0, n)
    account = np.concatenate([np.flatnonzero(opened_now), np.repeat(np.arange(n), changes)])
    action = np.concatenate([np.full(int(opened_now.sum()), "open"), np.full(int(changes.sum()), "change")])
    low = np.maximum(plan["opened"][account], start)
    day = low + (rng.random(len(account)) * (start + 364 - low + 1)).astype(np.int64)
    day = np.where(action == "open", plan["opened"][account], day)
    late = np.where(rng.random(len(account)) < 0.8, rng.integers(0, 3, len(account)), rng.integers(3, 9, len(account)))
    epoch = date(1970, 1, 1)
    filed = np.array([(calendar.add_working_days(epoch + timedelta(int(d)), int(k)) - epoch).days
                      for d, k in zip(day.tolist(), late.tolist())], np.int64)
    return pa.table({
        "id": _ids("f", np.arange(len(account))), "account_id": _ids("a", account),
        "action": action, "action_on": pa.array(day.astype("datetime64[D]")),
        "filed_on": pa.array(filed.astype("datetime64[D]")),
    })


def _write_jsonl(path: Path, tables: dict) -> None:
    """The same records as JSON Lines, type by type. Lines are assembled by Arrow string kernels (the
    generated text holds no quotes or backslashes to escape), so writing 28 million lines takes seconds."""
    with path.open("wb") as out:
        for name, table in tables.items():
            for batch in table.to_batches(1_000_000):
                lines = _json_lines(name[:-1], pa_table(batch))
                offsets = np.frombuffer(lines.buffers()[1], np.int32)[lines.offset:lines.offset + len(lines) + 1]
                out.write(memoryview(lines.buffers()[2])[offsets[0]:offsets[-1]])


def pa_table(batch: object) -> object:
    import pyarrow as pa

    return pa.Table.from_batches([batch])


def _json_value(column: object) -> object:
    """Each value of an Arrow column as JSON text ('null' for nulls)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = column.type
    if pa.types.is_timestamp(kind):
        seconds = pc.cast(column, pa.timestamp("s", kind.tz))
        text = pc.binary_join_element_wise('"', pc.strftime(seconds, "%Y-%m-%dT%H:%M:%S"), '"', "")
    elif pa.types.is_date(kind):
        text = pc.binary_join_element_wise('"', pc.strftime(column, "%Y-%m-%d"), '"', "")
    elif pa.types.is_boolean(kind):
        text = pc.if_else(column, "true", "false")
    elif pa.types.is_integer(kind):
        text = pc.cast(column, pa.string())
    elif pa.types.is_string(kind):
        assert not pc.any(pc.match_substring_regex(column, r'["\\]')).as_py(), "generated text needs no escaping"
        text = pc.binary_join_element_wise('"', column, '"', "")
    elif pa.types.is_list(kind):  # sign-offs: at most one per post here
        column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
        assert (pc.max(pc.list_value_length(column)).as_py() or 0) <= 1
        flat = pc.list_flatten(column)
        fields = [pc.binary_join_element_wise(f'"{field.name}": ', _json_value(flat.field(i)), "")
                  for i, field in enumerate(flat.type)]
        element = pc.binary_join_element_wise("[{", pc.binary_join_element_wise(*fields, ", "), "}]", "")
        where = np.full(len(column), -1, np.int64)
        where[pc.list_parent_indices(column).to_numpy()] = np.arange(len(flat))
        text = pc.fill_null(element.take(pa.array(where, mask=where < 0)), "[]")
    else:
        raise TypeError(f"no JSON form for {kind}")
    return pc.fill_null(text, "null")


def _json_lines(kind: str, table: object) -> object:
    """One JSON object per row, each line ending in a newline."""
    import pyarrow.compute as pc

    pairs = [pc.binary_join_element_wise(f'"{name}": ', _json_value(table.column(name)), "")
             for name in table.column_names]
    body = pc.binary_join_element_wise(f'"type": "{kind}"', *pairs, ", ")
    return pc.binary_join_element_wise("{", body, "}\n", "").combine_chunks()


DUCKDB_SQL = """
with judged as (  -- accounts the weekly rule judges, their first Monday and number of whole weeks
  select id, f + ((8 - isodow(f)) % 7)::integer as monday,
         ((date '2019-12-31' - (f + ((8 - isodow(f)) % 7)::integer) + 1) // 7)::integer as weeks
  from (select id, subtype, greatest(date '2019-01-01', opened_on) as f from accounts)
  where coalesce(subtype, '') <> 'service'
), posted as (
  select j.id, count(distinct (p.published_at::date - j.monday) // 7) as weeks
  from posts p join judged j on p.account_id = j.id
  where p.published_at::date >= j.monday and p.published_at::date < j.monday + (7 * j.weeks)::integer
  group by j.id
), weekly as (
  select count(*) as n from judged j left join posted p on p.id = j.id
  where j.weeks > 0 and coalesce(p.weeks, 0) < j.weeks
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
), due as (  -- the second working day after each day
  select a.d, min(b.d) as due from workdays a join workdays b on b.n = a.n + 2 and b.d > a.d group by a.d
), filing as (
  select count(*) as n from filings f join due on due.d = f.action_on where f.filed_on > due.due
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


def run_engine(kind: str, path: Path) -> dict:
    """One engine path: ``batch`` (Parquet folder or JSON Lines file), ``per-record``, or ``city`` (the whole
    Lianyungang pack, national layer included, on the batch path)."""
    from collections import Counter

    from govmedia_rules import Engine
    from govmedia_rules.engine import prepare
    from govmedia_rules.intake import prepare_folder
    from govmedia_rules.intake.files import read_inputs
    from govmedia_rules.intake.jsonl import prepare_jsonl

    engine = Engine(["lianyungang"] if kind == "city" else [HERE / "five-rules"])
    start = time.perf_counter()
    if kind == "per-record":
        prepared = prepare(read_inputs([path], engine.registry.loaders))
    elif path.is_dir():
        prepared = prepare_folder(path)
    else:
        prepared = prepare_jsonl([path])
    ready = time.perf_counter()
    report = engine.evaluate_prepared(prepared, since=START, as_of=END)
    done = time.perf_counter()
    counts = Counter(f.rule for f in report.findings)
    return {"seconds": done - start, "prepare": ready - start, "evaluate": done - ready,
            "counts": dict(counts) if kind != "city" else {"findings": len(report.findings), "rules": len(counts),
                                                           "not_evaluated": len(report.not_evaluated)},
            "read": report.input.read}


def run_bare_parse(path: Path) -> dict:
    """The floor for reading JSON Lines: orjson parsing every line, nothing else."""
    import orjson

    start = time.perf_counter()
    lines = 0
    with path.open("rb") as handle:
        for line in handle:
            orjson.loads(line)
            lines += 1
    return {"seconds": time.perf_counter() - start, "counts": {"lines": lines}}


def child(kind: str, target: str) -> None:
    path = Path(target)
    if kind == "duckdb":
        result = run_duckdb(path)
    elif kind == "orjson":
        result = run_bare_parse(path)
    else:
        result = run_engine(kind, path)
    result["peak_mib"] = _peak_mib()
    print(json.dumps(result, default=str))


def _peak_mib() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited across fork and exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.01, help="1 = 150,000 accounts")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--shape", choices=["full", "monitoring"], default="full",
                        help="monitoring: posts without sign-offs, a registry of names only")
    parser.add_argument("--data", type=Path, help="keep the generated data in this folder (reused when present)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.data or Path(tmp)
        t0 = time.perf_counter()
        if not (folder / "records.jsonl").exists():
            (folder / "tables").mkdir(parents=True, exist_ok=True)
            generate(folder, args.scale, args.seed, args.shape)
        import pyarrow.parquet as pq

        sizes = {p.stem: pq.read_metadata(p).num_rows for p in sorted((folder / "tables").glob("*.parquet"))}
        events = sizes["posts"] + sizes["messages"] + sizes["filings"]
        parquet_mb = sum(p.stat().st_size for p in (folder / "tables").iterdir()) / 2**20
        jsonl_mb = (folder / "records.jsonl").stat().st_size / 2**20
        print(f"data ({args.shape}) {sizes} ready in {time.perf_counter() - t0:.1f} s; "
              f"Parquet {parquet_mb:,.1f} MiB, JSON Lines {jsonl_mb:,.1f} MiB; {events:,} events")
        runs = [("duckdb SQL, Parquet", "duckdb", folder), ("batch, Parquet", "batch", folder / "tables"),
                ("orjson parse only", "orjson", folder / "records.jsonl"),
                ("batch, JSON Lines", "batch", folder / "records.jsonl"),
                ("city pack, Parquet", "city", folder / "tables")]
        if events < 1_000_000:  # the per-record path takes minutes beyond this
            runs.append(("per-record, Parquet", "per-record", folder / "tables"))
        for label, kind, target in runs:
            proc = subprocess.run([sys.executable, __file__, "--child", kind, str(target)], capture_output=True, text=True)
            if proc.returncode:
                print(f"{label}: failed\n{proc.stderr}", file=sys.stderr)
                continue
            result = json.loads(proc.stdout.strip().splitlines()[-1])
            split = f" (prepare {result['prepare']:.1f} s + evaluate {result['evaluate']:.1f} s)" if "prepare" in result else ""
            print(f"{label:<22} {result['seconds']:8.2f} s{split}  {events / result['seconds']:>12,.0f} events/s  "
                  f"peak {result['peak_mib']:,.0f} MiB  {result['counts']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
