"""One engine shared by threads gives every thread the sequential answer, cold start included."""

from __future__ import annotations

import threading
from datetime import date

from govmedia_rules import Engine

from .conftest import REGISTRY
from .test_evidence import monitoring_records

SINCE, AS_OF = date(2019, 7, 1), date(2019, 12, 31)


def _digest(engine: Engine, records: list[dict]) -> list[tuple[str, str, str, object]]:
    report = engine.evaluate(records, since=SINCE, as_of=AS_OF, complete=["all"])
    return [(f.rule, f.subject.id, f.message, f.due) for f in report.findings]


def test_eight_threads_on_a_fresh_engine_agree_with_sequential_runs():
    records = monitoring_records(2)
    expected = _digest(Engine(["changde"], registry=REGISTRY), records)
    assert any(due for *_, due in expected)  # due dates come from the working-day calendar
    for _ in range(8):  # several cold starts: each round a new engine, eight threads at once
        engine = Engine(["changde"], registry=REGISTRY)
        results: list[object] = [None] * 8
        start = threading.Barrier(8)

        def work(i: int) -> None:
            start.wait()
            results[i] = _digest(engine, records)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert all(result == expected for result in results)
