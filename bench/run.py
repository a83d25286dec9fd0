"""govcrawl at provincial scale, measured against baselines run in the same script on the same machine.

    .venv/bin/python bench/run.py [--sites 638] [--seed 8] [--quick] [--out bench/results.md]

Builds the synthetic province (bench/province.py) once, serves it through the replay proxy in its own process,
then runs: `scrapy bench`; `scrapy crawl provincial` without browser sites at N/4, N/2 and N sites (no politeness
delay); the whole province with its browser sites; govcrawl.dates vs dateparser on the province's date strings.
Prints a table and ends with one `target NAME: VALUE (goal GOAL) PASS|FAIL` line per target.
"""
from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import measure  # noqa: E402
import province  # noqa: E402
import realistic  # noqa: E402

AS_OF = "2019-06-10"
MB = 2**20


def crawl(label: str, registry: Path, proxy: str, work: Path, render: bool, timeout: float) -> measure.Run:
    db = work / f"{label}.db"
    run = measure.run_sampled(measure.crawl_command(registry, proxy, db, render, AS_OF), measure.ROOT, timeout)
    if run.returncode != 0 or "response_received_count" not in run.stats or "[bench] stopped" in run.log:
        # a failed or hung crawl still yields its wall time and memory; its targets then fail
        sys.stderr.write(run.log[-3000:] + f"\n[bench] crawl {label} did not finish cleanly (exit {run.returncode})\n")
    return run


def date_strings(db: Path, truth_file: Path) -> list[tuple[str, str | None]]:
    """(raw date string, true ISO date or None) of every dated entry the crawl stored."""
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT raw_date, url FROM entries WHERE raw_date IS NOT NULL AND raw_date != ''").fetchall()
    return [(raw, truth.get(url)) for raw, url in rows]


def judged_sites(db: Path, registry: Path) -> tuple[int, int]:
    """(sites judged in the crawl's database, sites in the registry): a crawl that lost a site shows it here."""
    registered = len([line for line in registry.read_text(encoding="utf-8").splitlines()[1:] if line.strip()])
    if not db.exists():
        return 0, registered
    with sqlite3.connect(db) as con:
        judged = con.execute("SELECT COUNT(*) FROM sites WHERE judged_at IS NOT NULL").fetchone()[0]
    return judged, registered


def bench_dates(samples: list[tuple[str, str | None]]) -> dict:
    """Dates/second of govcrawl.dates and of dateparser.parse on the same strings; agreement where dateparser is
    right (its answer equals the entry's true date)."""
    import dateparser

    from govcrawl.dates import DateParser

    as_of = date.fromisoformat(AS_OF)
    strings = [raw for raw, _ in samples]
    parser = DateParser(as_of)
    started = time.perf_counter()
    ours = [parser.parse(s) for s in strings]
    ours_s = time.perf_counter() - started
    settings = {"RELATIVE_BASE": measure_base(as_of), "PREFER_DATES_FROM": "past"}
    started = time.perf_counter()
    theirs = [dateparser.parse(s, settings=settings) for s in strings]
    theirs_s = time.perf_counter() - started
    right = agree = ours_right = 0
    for (raw, truth), mine, other in zip(samples, ours, theirs):
        other_day = other.date().isoformat() if other else None
        ours_right += mine is not None and mine.isoformat() == truth
        if truth is not None and other_day == truth:
            right += 1
            agree += mine is not None and mine.isoformat() == other_day
    return {"strings": len(strings), "ours_per_s": len(strings) / ours_s if ours_s else 0.0,
            "dateparser_per_s": len(strings) / theirs_s if theirs_s else 0.0, "dateparser_right": right,
            "agree_where_right": agree, "ours_right": ours_right,
            "with_truth": sum(1 for _, t in samples if t is not None)}


def measure_base(as_of: date):
    from datetime import datetime, time as dtime

    return datetime.combine(as_of, dtime(12))


BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def write_results(path: Path, block: str) -> None:
    """Replace the block between the bench markers (the notes around it stay), or write a new file."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if BEGIN in text and END in text:
        head, _, rest = text.partition(BEGIN)
        text = head + BEGIN + "\n" + block + END + rest.partition(END)[2]
    else:
        text = f"# Benchmark results\n\n{BEGIN}\n{block}{END}\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sites", type=int, help="sites of the whole province (default 638, --quick 8)")
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--quick", action="store_true", help="a small province and a short scrapy bench (smoke test)")
    ap.add_argument("--out", type=Path, help="write the table and machine description here (Markdown)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder (fixtures, databases, logs)")
    ap.add_argument("--realistic-sites", type=int,
                    help=f"sites of the realistic-network run (default {realistic.DEFAULT_SITES}, --quick all)")
    ap.add_argument("--realistic-only", action="store_true", help="only the realistic-network run and its targets")
    ap.add_argument("--realistic-set", action="append", default=[], metavar="NAME=VALUE",
                    help=f"a politeness setting of the realistic run ({', '.join(realistic.POLITENESS)})")
    args = ap.parse_args(argv)
    n = args.sites or (8 if args.quick else province.DEFAULT_SITES)
    timeout = 300 if args.quick else 3600
    work = Path(tempfile.mkdtemp(prefix="govcrawl-bench-"))
    log = lambda msg: sys.stderr.write(f"[bench] {msg}\n")  # noqa: E731

    fixtures = work / "province"
    built = province.build(fixtures, n, args.seed)
    log(f"province: {built}")
    rows, targets, failure = ([], [], None) if args.realistic_only else \
        instant_network(args, n, fixtures, work, timeout, log)
    k = min(n, args.realistic_sites or (n if args.quick else realistic.DEFAULT_SITES))
    overrides = dict(item.partition("=")[::2] for item in args.realistic_set)
    real = realistic.crawl(fixtures, k, args.seed, work, AS_OF, timeout if args.quick else 1800, overrides)
    log(f"realistic {k} sites: {real.run.wall:.1f} s, bound {real.bound.seconds:.1f} s")
    real_rows, real_targets = realistic.report(real, args.seed)
    info = measure.machine()
    rows = [("machine", f"{info['nproc']} CPUs ({info['cpu']}), {info['memory']}, load {info['load']}; Python "
                        f"{info['python']}, Scrapy {info['scrapy']}; {info['date']}"),
            ("province", f"{n} sites ({built['browser_sites']} need the browser), {built['columns']} columns, "
                         f"{built['files']} files, built in {built['seconds']} s; seed {args.seed}"), *rows, *real_rows]
    targets += real_targets
    if real.run.returncode != 0 or "[bench] stopped" in real.run.log:
        sys.stderr.write(real.run.log[-3000:] + "\n[bench] the realistic crawl did not finish cleanly\n")
        failure = failure or f"the realistic crawl did not end by itself (exit {real.run.returncode})"
    width = max(len(name) for name, _ in rows)
    table = "\n".join(f"{name.ljust(width)}  {value}" for name, value in rows)
    print(table)
    print("\n".join(targets))
    if args.out:
        write_results(args.out, f"```\n{table}\n{chr(10).join(targets)}\n```\n")
    if not args.keep:
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    else:
        log(f"work folder kept: {work}")
    if failure:   # a site lost or a crawl that did not end is a failed run
        log(failure)
        return 1
    return 0


def instant_network(args, n: int, fixtures: Path, work: Path, timeout: float, log):
    """The province through a proxy that answers at once: throughput, scaling, memory, dates. Returns the table
    rows, the seven target lines and why the run failed (None when every site was judged)."""
    bench_seconds = 2 if args.quick else 20
    static_all = fixtures / "registry-static.csv"
    static_rows = static_all.read_text(encoding="utf-8").splitlines(keepends=True)
    sizes = [max(1, n // 4), max(2, n // 2), n]
    registries = {}
    for k in sizes:   # the first k sites of the province, without its browser sites
        path = fixtures / f"registry-static-{k}.csv"
        path.write_text("".join(static_rows[: 1 + round(k * (len(static_rows) - 1) / n)]), encoding="utf-8")
        registries[k] = path

    with measure.ReplayProcess(fixtures) as proxy:
        bench = measure.scrapy_bench(bench_seconds, work)
        bench_ppm = measure.pages_per_minute(bench.stats)
        log(f"scrapy bench: {bench_ppm:.0f} pages/min")
        runs: dict[int, measure.Run] = {}
        for k in sizes:
            runs[k] = crawl(f"static-{k}", registries[k], proxy.url, work, render=False, timeout=timeout)
            log(f"static {k} sites: {runs[k].wall:.1f} s, {measure.pages_per_minute(runs[k].stats):.0f} pages/min")
        # past 2x the goal the whole-province target has failed anyway: stop there and report
        full = crawl(f"full-{n}", fixtures / "registry.csv", proxy.url, work, render=True,
                     timeout=timeout if args.quick else 1200)
        log(f"full {n} sites: {full.wall:.1f} s")
    judged, registered = judged_sites(work / f"full-{n}.db", fixtures / "registry.csv")
    samples = date_strings(work / f"full-{n}.db", fixtures / "entry-dates.json")
    # dateparser manages ~300 strings/s here: time both parsers on the same seeded sample of the strings
    dates = bench_dates(random.Random(args.seed).sample(samples, min(len(samples), 200 if args.quick else 3000)))

    http = runs[n]
    crawl_ppm = measure.pages_per_minute(http.stats)
    ratio = crawl_ppm / bench_ppm if bench_ppm else 0.0
    date_ratio = dates["ours_per_s"] / dates["dateparser_per_s"] if dates["dateparser_per_s"] else 0.0
    scaling = max(runs[b].wall / runs[a].wall for a, b in zip(sizes, sizes[1:]))
    rendered = full.stats.get("govcrawl/rendered_requests", 0.0)
    requests = full.stats.get("downloader/request_count", 0.0)
    static_sites = len(static_rows) - 1
    rows = [
        ("scrapy bench", f"{bench_ppm:.0f} pages/min ({bench.stats.get('response_received_count', 0):.0f} pages in "
                         f"{bench.stats.get('elapsed_time_seconds', 0):.1f} s)"),
        ("crawl, no browser", f"{crawl_ppm:.0f} pages/min ({http.stats.get('response_received_count', 0):.0f} pages "
                              f"of {static_sites} sites in {http.stats.get('elapsed_time_seconds', 0):.1f} s) = "
                              f"{ratio:.2f} x scrapy bench"),
        ("dates", f"govcrawl.dates {dates['ours_per_s']:.0f}/s vs dateparser.parse {dates['dateparser_per_s']:.0f}/s "
                  f"on {dates['strings']} of the {len(samples)} strings = {date_ratio:.0f}x; identical on {dates['agree_where_right']}/"
                  f"{dates['dateparser_right']} where dateparser is right; govcrawl right on {dates['ours_right']}/"
                  f"{dates['with_truth']}"),
        ("scaling", ", ".join(f"{k} sites {runs[k].wall:.1f} s" for k in sizes) +
                    f"; worst 2x step = {scaling:.2f}x time"),
        ("memory, no browser", f"peak RSS {http.peak_rss / MB:.0f} MB, PSS {http.peak_pss / MB:.0f} MB (process tree)"),
        ("memory, with browser", f"peak RSS {full.peak_rss / MB:.0f} MB, PSS {full.peak_pss / MB:.0f} MB "
                                 "(process tree incl. Chromium; RSS counts shared pages once per process)"),
        ("browser share", f"{rendered:.0f} of {requests:.0f} requests rendered ({100 * rendered / max(requests, 1):.1f} %);"
                          f" Chromium CPU {full.browser_cpu:.0f} s of {full.tree_cpu:.0f} s "
                          f"({100 * full.browser_cpu / max(full.tree_cpu, 1e-9):.0f} %)"),
        ("whole province", f"{n} sites with browser: {full.wall:.1f} s wall "
                           f"({full.stats.get('response_received_count', 0):.0f} responses)"),
    ]
    targets = [
        measure.target("crawl_vs_scrapy_bench", ratio, "{:.2f}", ">= 0.7", ratio >= 0.7),
        measure.target("dates_vs_dateparser", date_ratio, "{:.0f}x", ">= 50x, identical where dateparser is right",
               date_ratio >= 50 and dates["agree_where_right"] == dates["dateparser_right"]),
        measure.target("scaling_2x", scaling, "{:.2f}x", "<= 2.1x", scaling <= 2.1),
        measure.target("peak_rss_http", http.peak_rss / MB, "{:.0f} MB", "< 1024 MB", http.peak_rss < 1024 * MB),
        measure.target("peak_rss_browser", full.peak_rss / MB, "{:.0f} MB", "< 2048 MB", full.peak_rss < 2048 * MB),
        measure.target("province_638_wall", full.wall, "{:.1f} s", f"< 600 s for {n} sites", full.wall < 600),
        measure.target("province_all_judged", judged, "{:.0f} sites", f"every one of the {registered} registry sites",
               judged == registered and full.returncode == 0),
    ]
    failure = None
    if judged != registered or full.returncode != 0:
        failure = f"the whole-province crawl judged {judged} of {registered} sites (exit {full.returncode})"
    return rows, targets, failure


if __name__ == "__main__":
    raise SystemExit(main())
