"""A synthetic province of N government sites for the benchmark, deterministic from a seed.

Sites are spec records of the demo fixture builder (fixtures/builder: model, SiteBuild, themes, output), so they
carry the same page shapes as the demo province: TRS / Hanweb / legacy GBK chrome, ~30 columns a site (nav menus,
信息公开 trees, homepage blocks), multi-page lists, lists without dates, letters and 办事指南. About 10 % of the
sites need the browser: their columns are filled by script, in the builder's scripted themes (BROWSER_SHAPES). A
shape is used only when the builder offers it (theme registered, Column.script field present), so new scripted
themes plug in by adding a line there.

    python bench/province.py --sites 638 --seed 8 --out /tmp/province     # writes a replay fixture folder
"""
from __future__ import annotations

import argparse
import csv
import dataclasses
import datetime
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from fixtures.builder import AS_OF  # noqa: E402
from fixtures.builder import verdicts  # noqa: E402
from fixtures.builder.model import CATEGORIES, Column, Site, _site  # noqa: E402
from fixtures.builder.output import write  # noqa: E402
from fixtures.builder.site import SiteBuild  # noqa: E402
from fixtures.builder.themes import THEMES  # noqa: E402

DEFAULT_SITES = 638
BROWSER_SHARE = 0.10
UNITS = ["省直", "长沙市", "株洲市", "湘潭市", "衡阳市", "邵阳市", "岳阳市", "常德市", "张家界市", "益阳市", "郴州市",
         "永州市", "怀化市", "娄底市", "湘西自治州"]
AGENCIES = ["发展和改革委员会", "教育局", "民政局", "司法局", "财政局", "人力资源和社会保障局", "自然资源和规划局",
            "生态环境局", "住房和城乡建设局", "交通运输局", "水利局", "农业农村局", "商务局", "文化旅游广电体育局",
            "卫生健康委员会", "应急管理局", "审计局", "市场监督管理局", "统计局", "林业局", "医疗保障局", "人民政府"]
# static themes and their weight; legacy sites are the GBK ones
STATIC_THEMES = [("trs", 5), ("hanweb", 3), ("legacy", 2)]
# (theme, column script mode, homepage in-page redirect kind or None): list shapes only a browser (or a reader of the
# script) gets. Plug new scripted themes in here; unknown themes / modes are skipped at run time.
BROWSER_SHAPES = [
    ("ajax", "computed", None),           # TrueCMS/Epoint-style AJAX portal, URL assembled at run time
    ("hanweb", "proxy", None),            # jcms list only from dataproxy.jsp
    ("legacy", "inline", None),           # GBK list written by a script
    ("ajax", "endpoint", "js-computed"),  # JS-computed homepage redirect + a literal API call
]
NAV_PARENTS = ["新闻中心", "政务公开", None]
XXGK_NAMES = ["政策文件", "规范性文件", "人事信息", "规划计划", "统计信息", "财政资金", "机构职能", "建议提案办理"]


def _has_script_field() -> bool:
    return any(f.name == "script" for f in dataclasses.fields(Column))


def browser_shapes() -> list[tuple[str, str, str | None]]:
    """The browser shapes this checkout's builder can render."""
    if not _has_script_field():
        return []
    return [s for s in BROWSER_SHAPES if s[0] in THEMES]


def _dates(rng: random.Random, count: int, fresh: bool, step: int) -> list[str]:
    """`count` dates going back from near AS_OF (fresh) or from months ago, newest first."""
    day = AS_OF - datetime.timedelta(days=rng.randint(1, 9) if fresh else rng.randint(40, 400))
    out = []
    for _ in range(count):
        out.append(day.isoformat())
        day -= datetime.timedelta(days=rng.randint(1, step))
    return out


def _columns(rng: random.Random, theme: str, script_mode: str | None) -> list[dict]:
    cols: list[dict] = []
    names = [n for cat in ("news", "notice", "periodic", "reference") for n in CATEGORIES[cat] if n != "办事指南"]
    for k, name in enumerate(names):
        cat = next(c for c, ns in CATEGORIES.items() if name in ns)
        many = cat == "news" and rng.random() < 0.6
        count = rng.randint(16, 30) if many else rng.randint(1, 8)
        col = {"name": name, "dates": _dates(rng, count, fresh=cat in ("news", "notice") and rng.random() < 0.8,
                                             step=7 if cat == "news" else 45),
               "per_page": 10 if many else 15}
        parent = NAV_PARENTS[k % len(NAV_PARENTS)]
        if parent:
            col["parent"] = parent
        if k < 2:
            col["home"] = True
        if cat == "reference" and rng.random() < 0.3:
            col["dates"] = []
            col["blank"] = rng.choice(["", "暂无信息", "栏目建设中"])
        cols.append(col)
    if theme == "trs":   # the 信息公开 subsite with its tree; half of its lists show no dates
        for name in XXGK_NAMES:
            cols.append({"name": name, "xxgk": True, "list_dates": rng.random() < 0.5,
                         "dates": _dates(rng, rng.randint(1, 6), fresh=False, step=60)})
    else:                # the other CMSs get the same names again under their own menu
        for name in XXGK_NAMES:
            cols.append({"name": name, "parent": "专题专栏", "dates": _dates(rng, rng.randint(1, 6), False, 60)})
    if script_mode:
        picked = [c for c in cols if not c.get("home") and not c.get("xxgk") and c["dates"]]
        for col in rng.sample(picked, 3):
            col["script"] = script_mode
            if theme == "legacy" or script_mode == "computed":
                col["per_page"] = max(col.get("per_page", 15), len(col["dates"]))   # one script-filled page
    return cols


def _letters(rng: random.Random) -> list[dict]:
    letters = []
    for d in _dates(rng, rng.randint(2, 5), fresh=True, step=40):
        asked = datetime.date.fromisoformat(d)
        answered = asked + datetime.timedelta(days=rng.randint(1, 20))
        letters.append({"asked": d} if answered > AS_OF or rng.random() < 0.1 else
                       {"asked": d, "answered": answered.isoformat()})
    return letters


def site_spec(seed: int, i: int, shape: tuple[str, str, str | None] | None) -> Site:
    rng = random.Random(f"{seed}:{i}")
    theme = shape[0] if shape else rng.choices([t for t, _ in STATIC_THEMES], [w for _, w in STATIC_THEMES])[0]
    unit = UNITS[i % len(UNITS)]
    code = f"43{i % 100:02d}{i:06d}"
    raw: dict = {
        "code": code, "name": f"{unit if unit != '省直' else '湖南省'}{AGENCIES[i % len(AGENCIES)]}（{i}）",
        "unit": unit, "url": f"http://s{i:04d}.bench.hunan.gov.cn/", "theme": theme,
        "kind": "portal" if AGENCIES[i % len(AGENCIES)] == "人民政府" else "department",
        "services": rng.choice(["yes", "no"]), "pager": rng.choice(["plain", "hunan6", "commented"]),
        "columns": _columns(rng, theme, shape[1] if shape else None),
        "channels": [{"name": "局长信箱", "letters": _letters(rng)}],
        "footer": {"address": f"{unit}政务服务中心", "style": rng.choice(["labels", "spans", "plain"])},
    }
    if theme == "legacy":
        raw.update(encoding="gbk", charset_meta=rng.choice(["gb2312", "gbk", "none"]))
    if rng.random() < 0.4:
        raw["service"] = "own"
        raw["guides"] = [{"name": f"行政许可事项{g + 1}", "idiom": rng.choice(["table", "zjzw", "epoint"])}
                         for g in range(rng.randint(2, 4))]
    elif rng.random() < 0.5:
        raw["service"] = "zwfw"
    if shape and shape[2]:
        raw["home"] = {"in_page": {"kind": shape[2], "to": f"http://www.s{i:04d}.bench.hunan.gov.cn/"}}
    site = _site(raw)
    site.expect = verdicts.findings(site)   # the builder checks its truth against the spec's expectation
    return site


def province(sites: int = DEFAULT_SITES, seed: int = 8) -> tuple[list[Site], set[str]]:
    """The sites and the codes of those that need the browser (10 % drawn by the seed, when the builder can
    render a browser shape)."""
    shapes = browser_shapes()
    rng = random.Random(seed)
    browser_idx = set(rng.sample(range(sites), round(sites * BROWSER_SHARE))) if shapes else set()
    specs, browser = [], set()
    for i in range(sites):
        shape = shapes[i % len(shapes)] if i in browser_idx else None
        site = site_spec(seed, i, shape)
        specs.append(site)
        if shape:
            browser.add(site.code)
    return specs, browser


def write_registry(path: Path, sites: list[Site]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["site_code", "name", "unit", "url", "kind", "services"])
        for s in sites:
            w.writerow([s.code, s.name, s.unit, s.url, s.kind, s.services])


def build(out_dir: Path, sites: int = DEFAULT_SITES, seed: int = 8) -> dict:
    """Write the province as a replay fixture folder plus registry-static.csv (without the browser sites),
    browser-sites.txt and entry-dates.json (entry URL -> true date). Returns a summary."""
    started = time.perf_counter()
    specs, browser = province(sites, seed)
    builds = [SiteBuild(s, THEMES[s.theme]()) for s in specs]
    built = [(s, b.render()) for s, b in zip(specs, builds)]
    out_dir.mkdir(parents=True, exist_ok=True)
    files = write(out_dir, specs, built)
    # every entry's true date by URL: the date benchmark checks parsers against it
    dates = {e.url: e.date for b in builds for col in b.cols for e in col.entries if e.date}
    (out_dir / "entry-dates.json").write_text(json.dumps(dates, sort_keys=True), encoding="utf-8")
    write_registry(out_dir / "registry-static.csv", [s for s in specs if s.code not in browser])
    (out_dir / "browser-sites.txt").write_text("".join(c + "\n" for c in sorted(browser)), encoding="utf-8")
    return {"sites": sites, "browser_sites": len(browser), "files": files,
            "columns": sum(len(b.truth.get("columns", {})) for _, b in built),
            "seconds": round(time.perf_counter() - started, 2)}


def subset_registry(out_dir: Path, n: int, static: bool) -> Path:
    """A registry of the first n sites (without browser sites when static): a smaller province, same pages."""
    source = out_dir / ("registry-static.csv" if static else "registry.csv")
    rows = source.read_text(encoding="utf-8").splitlines(keepends=True)
    path = out_dir / f"registry-{'static-' if static else ''}{n}.csv"
    path.write_text("".join(rows[: n + 1]), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sites", type=int, default=DEFAULT_SITES)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--out", type=Path, required=True, help="fixture folder to write")
    args = parser.parse_args(argv)
    summary = build(args.out, args.sites, args.seed)
    sys.stdout.write(" ".join(f"{k}={v}" for k, v in summary.items()) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
