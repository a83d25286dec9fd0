"""Worker hosts for tests: one network namespace per worker, joined to the test's bridge in the root namespace.

The bridge gets 10.250.X.1/24 (X chosen free on this machine); worker i gets 10.250.X.(i+1) inside its own
namespace over a veth pair, so workers reach Redis and the replay proxy (bound to 10.250.X.1) the way separate
hosts would, never over a shared loopback. Everything created is removed by `close()`, also after a failure.
Without root (or without `ip`), `Hosts` falls back to local processes on 127.0.0.1 and says so.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import warnings


def _ip(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["ip", *args], capture_output=True, text=True, check=check)


def netns_available() -> bool:
    return os.geteuid() == 0 and shutil.which("ip") is not None


def _free_subnet() -> int:
    used = _ip("-o", "addr").stdout + _ip("route").stdout
    for x in [(os.getpid() + k) % 200 + 20 for k in range(200)]:
        if f"10.250.{x}." not in used:
            return x
    raise RuntimeError("no free 10.250.X.0/24 subnet")


class Hosts:
    """`count` worker hosts; `command(i, argv)` runs argv on host i; `address` is the root side (Redis, proxy)."""

    def __init__(self, count: int):
        self.count = count
        self.isolated = netns_available()
        self.tag = f"{os.getpid() % 0xFFFF:x}"
        self.bridge = f"gcbr{self.tag}"
        self.namespaces: list[str] = []
        self.address = "127.0.0.1"
        if not self.isolated:
            note = "no root or no `ip`: distributed workers run as local processes, not in network namespaces"
            print(f"NOTE: {note}")
            warnings.warn(note)

    def open(self) -> "Hosts":
        if not self.isolated:
            return self
        try:
            x = _free_subnet()
            self.address = f"10.250.{x}.1"
            _ip("link", "add", self.bridge, "type", "bridge")
            _ip("addr", "add", f"{self.address}/24", "dev", self.bridge)
            _ip("link", "set", self.bridge, "up")
            for i in range(1, self.count + 1):
                ns, outer, inner = f"gcns{self.tag}w{i}", f"gch{self.tag}{i}", f"gcn{self.tag}{i}"
                _ip("netns", "add", ns)
                self.namespaces.append(ns)
                _ip("link", "add", outer, "type", "veth", "peer", "name", inner)
                _ip("link", "set", inner, "netns", ns)
                _ip("link", "set", outer, "master", self.bridge, "up")
                _ip("-n", ns, "addr", "add", f"10.250.{x}.{i + 1}/24", "dev", inner)
                _ip("-n", ns, "link", "set", inner, "up")
                _ip("-n", ns, "link", "set", "lo", "up")
        except BaseException:
            self.close()
            raise
        return self

    def command(self, i: int, argv: list[str]) -> list[str]:
        """argv run on worker host i (1-based)."""
        if not self.isolated:
            return argv
        return ["ip", "netns", "exec", self.namespaces[i - 1], *argv]

    def close(self) -> None:
        for ns in self.namespaces:   # deleting a namespace deletes its veth end, and with it the pair
            _ip("netns", "del", ns, check=False)
        self.namespaces = []
        if self.isolated:
            _ip("link", "del", self.bridge, check=False)

    def __enter__(self) -> "Hosts":
        return self.open()

    def __exit__(self, *exc) -> None:
        self.close()
