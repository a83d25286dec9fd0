"""A generated province: sites planned from a seed, rendered in their CMS families, perturbed, written as a replay
fixture folder (hosts/, manifest.json, registry.csv) with truth.json beside it."""
from __future__ import annotations

import csv
import io
import json
import random
import shutil
from datetime import date, timedelta
from pathlib import Path

from govcrawl.replay.store import relative_file

from . import pools, safety
from .families import FAMILIES
from .families.base import Output
from .model import Site
from .perturb import perturb
from .plan import VETO_CODES, Planner, build_site
from .truth import site_truth

PROVINCE_CODE = "66"


def scenarios(count: int, rng: random.Random) -> list[str]:
    """Every veto code fired and just missed once (while there is room), the rest clean sites."""
    wanted = [f"{code}:{mode}" for code in VETO_CODES for mode in ("fire", "miss")]
    rng.shuffle(wanted)
    chosen = wanted[:count] + ["clean"] * max(0, count - len(wanted))
    rng.shuffle(chosen)
    return chosen


def identities(count: int, rng: random.Random) -> list[dict]:
    """Registry identities: 省直 departments and city portals and departments, hosts unique."""
    cities = rng.sample(pools.CITIES, 3)
    out, used = [], set()
    for i in range(count):
        place = rng.choice([("省直", "jn", 0)] + [(name, abbr, k + 1) for k, (name, abbr) in enumerate(cities)])
        unit, abbr, city_no = place
        if unit != "省直" and f"www.{abbr}.gov.cn" not in used and rng.random() < 0.4:
            host, name, kind = f"www.{abbr}.gov.cn", f"{unit}人民政府", "portal"
        else:
            dept, slug = rng.choice([d for d in pools.DEPARTMENTS if f"{d[1]}.{abbr}.gov.cn" not in used])
            host, kind = f"{slug}.{abbr}.gov.cn", "department"
            name = f"{'江南省' if unit == '省直' else unit}{dept}"
        used.add(host)
        code = f"{PROVINCE_CODE}{city_no:02d}00{i + 1:04d}"
        out.append({"code": code, "name": name, "unit": unit, "host": host, "kind": kind})
    return out


def plan_province(seed: int, count: int) -> tuple[date, list[Site]]:
    rng = random.Random(seed)
    as_of = date(2019, 1, 7) + timedelta(days=rng.randrange(0, 5 * 365))
    planner = Planner(seed, as_of)
    families = list(FAMILIES)
    sites = []
    for i, (ident, scenario) in enumerate(zip(identities(count, rng), scenarios(count, rng))):
        site = Site(code=ident["code"], name=ident["name"], unit=ident["unit"], host=ident["host"],
                    family=families[(i + seed) % len(families)], kind=ident["kind"],
                    services=ident["kind"] == "portal" or rng.random() < 0.3)
        site.registered_url = f"http://{site.host}/"
        sites.append(build_site(planner, site, scenario))
    return as_of, sites


def render_province(sites: list[Site]) -> Output:
    merged = Output()
    for site in sites:
        out = FAMILIES[site.family](site).render()
        rng = random.Random(f"perturb:{site.code}")
        for url, text in out.pages.items():
            merged.page(url, perturb(text, site.perturbations, rng))
        for url, entry in out.manifest.items():
            merged.entry(url, **entry)
    return merged


def registry_csv(sites: list[Site]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["site_code", "name", "unit", "url", "kind", "services"])
    for s in sites:
        writer.writerow([s.code, s.name, s.unit, s.registered_url, s.kind, "yes" if s.services else "no"])
    return buf.getvalue()


def generate(seed: int, count: int, out: Path) -> dict:
    """Write the province of `seed` with `count` sites into `out` (replaced); returns its truth."""
    as_of, sites = plan_province(seed, count)
    rendered = render_province(sites)
    cases = safety.plan(seed, sites)   # content-safety cases (issue 17), on the pages as served
    safety.inject(seed, sites, cases, rendered)
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    (out / "hosts").mkdir(parents=True)
    for url, text in sorted(rendered.pages.items()):
        path = out / "hosts" / relative_file(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (out / "manifest.json").write_text(json.dumps({"responses": dict(sorted(rendered.manifest.items()))},
                                                  ensure_ascii=False, indent=1), encoding="utf-8")
    (out / "registry.csv").write_text(registry_csv(sites), encoding="utf-8")
    truth = {"seed": seed, "as_of": as_of.isoformat(),
             "sites": {s.code: {**site_truth(s, as_of), **safety.truth(cases, s.code)} for s in sites}}
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return truth
