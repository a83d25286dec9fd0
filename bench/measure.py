"""Measuring helpers of bench/run.py: a child process with its whole tree sampled (RSS, Chromium CPU time),
Scrapy's final stats read from its log, the replay proxy and `scrapy bench` as subprocesses."""
from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
BROWSER_NAMES = ("chrom", "headless_shell")


@dataclass
class Run:
    wall: float
    returncode: int
    log: str
    peak_rss: int                 # bytes, sum over the process tree at the worst sample
    peak_pss: int = 0             # same with proportional set sizes (shared pages split between processes)
    browser_cpu: float = 0.0      # seconds of CPU used by Chromium processes
    tree_cpu: float = 0.0         # seconds of CPU used by the whole tree
    stats: dict[str, float] = field(default_factory=dict)


class TreeSampler(threading.Thread):
    """Samples a process and all its descendants every `interval` seconds until stopped."""

    def __init__(self, pid: int, interval: float = 0.2):
        super().__init__(daemon=True)
        self.root = psutil.Process(pid)
        self.interval = interval
        self.peak_rss = self.peak_pss = 0
        self.cpu: dict[int, tuple[float, bool]] = {}   # pid -> (cpu seconds, is browser)
        self._stop_event = threading.Event()

    def sample(self) -> None:
        try:
            procs = [self.root, *self.root.children(recursive=True)]
        except psutil.Error:
            return
        total = pss = 0
        for proc in procs:
            try:
                with proc.oneshot():
                    mem = proc.memory_full_info()
                    total += mem.rss
                    pss += getattr(mem, "pss", mem.rss)
                    times = proc.cpu_times()
                    name = proc.name().lower()
            except psutil.Error:
                continue
            self.cpu[proc.pid] = (times.user + times.system + times.children_user + times.children_system,
                                  any(n in name for n in BROWSER_NAMES))
        self.peak_rss = max(self.peak_rss, total)
        self.peak_pss = max(self.peak_pss, pss)

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.sample()
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()

    def cpu_seconds(self, browser_only: bool = False) -> float:
        return sum(t for t, browser in self.cpu.values() if browser or not browser_only)


def run_sampled(cmd: list[str], cwd: Path, timeout: float) -> Run:
    """Run `cmd`, sampling its process tree; stdout+stderr are kept as the log."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            encoding="utf-8", errors="replace")
    sampler = TreeSampler(proc.pid)
    sampler.start()
    try:
        log, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        # SIGINT twice: Scrapy stops scheduling, then stops waiting for hung downloads; kill as a last resort
        log = ""
        for sig in (signal.SIGINT, signal.SIGINT, signal.SIGKILL):
            proc.send_signal(sig)
            try:
                log, _ = proc.communicate(timeout=30)
                break
            except subprocess.TimeoutExpired:
                continue
        log += f"\n[bench] stopped after {timeout:.0f} s\n"
    wall = time.perf_counter() - started
    sampler.stop()
    return Run(wall, proc.returncode, log, sampler.peak_rss, sampler.peak_pss, sampler.cpu_seconds(True),
               sampler.cpu_seconds(), scrapy_stats(log))


_STAT = re.compile(r"^\s*'([\w/.\-]+)':\s*([0-9.]+),?$", re.M)


def scrapy_stats(log: str) -> dict[str, float]:
    """The numeric entries of the last 'Dumping Scrapy stats' block of a Scrapy log."""
    _, _, tail = log.rpartition("Dumping Scrapy stats:")
    return {k: float(v) for k, v in _STAT.findall(tail)}


def pages_per_minute(stats: dict[str, float]) -> float:
    elapsed = stats.get("elapsed_time_seconds", 0.0)
    return 60.0 * stats.get("response_received_count", 0.0) / elapsed if elapsed else 0.0


def scrapy_bench(seconds: int, workdir: Path) -> Run:
    """`scrapy bench` outside the project (plain Scrapy defaults), for `seconds` of crawling."""
    cmd = [sys.executable, "-m", "scrapy", "bench", "-s", f"CLOSESPIDER_TIMEOUT={seconds}", "-s", "LOGSTATS_INTERVAL=60"]
    return run_sampled(cmd, workdir, timeout=seconds + 120)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ReplayProcess:
    """The replay proxy in its own process (as `scrapy bench` has its own server), so it does not share the
    crawler's interpreter. With `network` (arguments of bench/network.py after FIXTURES PORT) it is the replay
    proxy behind the latency model."""

    def __init__(self, fixtures: Path, network: list[str] | None = None):
        self.fixtures = fixtures
        self.network = network
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> "ReplayProcess":
        code = "import sys; from govcrawl.replay.proxy import serve; sys.exit(serve(sys.argv[1], int(sys.argv[2])))"
        program = ["-c", code] if self.network is None else [str(ROOT / "bench" / "network.py")]
        self.proc = subprocess.Popen([sys.executable, *program, str(self.fixtures), str(self.port),
                                      *(self.network or [])], cwd=ROOT,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("replaying"):
            self.proc.kill()
            raise RuntimeError(f"replay proxy did not start: {line}{self.proc.stdout.read()}")
        return self

    def __exit__(self, *exc) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def crawl_command(registry: Path, proxy: str, db: Path, render: bool, as_of: str, polite: bool = False) -> list[str]:
    """`scrapy crawl provincial` with no politeness delay, or with govcrawl's default politeness (`polite`);
    without `render` no browser at all (no rendering, no evidence screenshots)."""
    impolite = [] if polite else ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0"]
    return [sys.executable, "-m", "scrapy", "crawl", "provincial", "-a", f"registry={registry}", "-a", f"proxy={proxy}",
            "-a", f"as_of={as_of}", "-a", f"run=bench-{db.stem}", "-s", f"GOVCRAWL_DB={db}", *impolite,
            "-s", f"GOVCRAWL_RENDER={int(render)}", "-s", f"GOVCRAWL_SCREENSHOTS={int(render)}",
            "-s", f"GOVCRAWL_EVIDENCE_DIR={db.parent / 'evidence'}",
            "-s", "LOG_LEVEL=INFO", "-s", "LOGSTATS_INTERVAL=60"]


def target(name: str, value: float, fmt: str, goal: str, ok: bool) -> str:
    """One closing line of the benchmark: `target NAME: VALUE (goal GOAL) PASS|FAIL`."""
    return f"target {name}: {fmt.format(value)} (goal {goal}) {'PASS' if ok else 'FAIL'}"


def machine() -> dict[str, str]:
    import platform

    import scrapy

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return {"nproc": str(psutil.cpu_count()), "memory": f"{psutil.virtual_memory().total / 2**30:.1f} GiB",
            "cpu": cpu, "python": platform.python_version(), "scrapy": scrapy.__version__,
            "load": " ".join(f"{x:.1f}" for x in psutil.getloadavg()),
            "date": time.strftime("%Y-%m-%d %H:%M %Z")}
