"""The batch path: whole tables of records evaluated as columns, with the per-record path's
findings.

    from govmedia_rules import Engine
    from govmedia_rules.intake import prepare_folder

    engine = Engine(["lianyungang"])
    report = engine.evaluate_prepared(prepare_folder("data/2019"), since=..., as_of=...)

Posts and messages — the records that number in millions — are checked,
grouped by account and evaluated as numpy arrays; everything else goes
through the record models as usual. The report is identical, byte for byte,
to the per-record path's over the same input (``tests/test_batch.py``).
Needs the ``parquet`` extra (pyarrow, numpy).
"""

from .tables import prepare_folder, prepare_folders, prepare_tables

__all__ = ["prepare_folder", "prepare_folders", "prepare_tables"]
