"""The commands that describe what is installed and the formats read: ``packs`` (the
installed packs), ``kinds`` (every rule kind, in Markdown) and ``schema`` (JSON Schemas)."""

from __future__ import annotations

import argparse
import json
import sys

from ..kinds.catalog import render_catalog
from ..packs.authoring import example_findings
from ..packs.loader import load_pack
from ..packs.schema import case_schema, pack_schema
from ..plugins import Registry
from ..records import records_json_schema


def run_packs(args: argparse.Namespace, registry: Registry) -> int:
    for pack_id, source in sorted(registry.packs.items()):
        pack = load_pack(pack_id, registry)
        print(f"{pack_id}\t{pack.version}\t{pack.title}\t{source.path}")
    return 0


def run_kinds(args: argparse.Namespace, registry: Registry) -> int:
    sys.stdout.write(render_catalog(registry.kinds.values(), example_findings(registry)))
    return 0


def run_schema(args: argparse.Namespace, registry: Registry) -> int:
    schemas = {
        "pack": lambda: pack_schema(registry.kinds.values()),
        "case": case_schema,
        "records": records_json_schema,
    }
    print(json.dumps(schemas[args.which](), ensure_ascii=False, indent=2))
    return 0
