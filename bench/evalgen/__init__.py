"""A province generator for the evaluation harness (bench/eval.py), independent of fixtures/demo.

`generate(seed, sites, out)` writes a replay fixture folder (hosts/, manifest.json, registry.csv) and truth.json:
sites in seven CMS families (TRS, Hanweb jcms, AJAX/JSON lists, table-layout ASP, Epoint 新点, DedeCMS, PHPCMS),
names from synonym pools, hand-edited markup perturbations, single-page columns, script-filled homepages,
consultation channels on other hosts (some dead), and for every veto code of docs/indicators.md sites that fire it and
sites that just miss it. The truth comes from the generator's intent and docs/indicators.md, never from govcrawl.
"""
from .province import generate

__all__ = ["generate"]
