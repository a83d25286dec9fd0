"""Smoke run of the benchmark (bench/run.py --quick): a tiny province end to end, so the script does not rot.
Checks the closing target lines' format, not their values (those depend on the machine), and that the realistic
run's table lines (bound, requests by purpose, overload answers) are there."""
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = ["crawl_vs_scrapy_bench", "dates_vs_dateparser", "scaling_2x", "peak_rss_http", "peak_rss_browser",
           "province_638_wall", "province_all_judged", "requests_per_column", "realistic_wall_vs_bound",
           "overload_answers"]
LINE = re.compile(r"^target (?P<name>\w+): (?P<value>\S+(?: \S+)?) \(goal [^)]+\) (?:PASS|FAIL)$")


def test_quick_bench_prints_every_target_and_judges_every_site(tmp_path):
    out = tmp_path / "results.md"
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=480)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.strip().splitlines()
    tail = lines[-len(TARGETS):]
    assert [LINE.match(line).group("name") if LINE.match(line) else line for line in tail] == TARGETS
    assert not any(line.startswith("target ") for line in lines[:-len(TARGETS)])
    for line in tail:
        assert re.match(r"[\d.]+", LINE.match(line).group("value"))
    assert "target scaling_2x:" in out.read_text(encoding="utf-8")
    judged = tail[TARGETS.index("province_all_judged")]
    assert judged.endswith("PASS"), judged   # the exit code says so too: a lost site fails the benchmark
    row = {name: next(line[len(name):].strip() for line in lines if line.startswith(name + "  "))
           for name in ("realistic wall", "requests by purpose", "overload answers")}
    assert re.search(r"politeness lower bound [\d.]+ s = max\(slowest host \S+: \d+ × ", row["realistic wall"])
    assert re.search(r"\d+ columns; homepage \d+ \([\d.]+/column, [\d.]+/site\)", row["requests by purpose"])
    assert re.match(r"\d+ 429/503 given by fragile hosts", row["overload answers"])
