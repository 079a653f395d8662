"""Policy packs: YAML files validated against a schema assembled from the rule kinds."""

from .loader import PackSource, load_pack
from .model import Citation, CoverageItem, Pack, Rule, Selector
from .schema import pack_schema

__all__ = [
    "Citation",
    "CoverageItem",
    "Pack",
    "PackSource",
    "Rule",
    "Selector",
    "load_pack",
    "pack_schema",
]
