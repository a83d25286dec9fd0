"""A throwaway redis-server on a free port (tests, benchmark): no persistence, stopped and removed afterwards."""
from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time

import redis


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class RedisProcess:
    def __init__(self, bind: str = "127.0.0.1", port: int | None = None, binary: str | None = None):
        self.bind, self.port = bind, port or free_port(bind)
        self.binary = binary or shutil.which("redis-server") or "/usr/bin/redis-server"
        self.proc: subprocess.Popen | None = None
        self.dir: str | None = None

    @property
    def url(self) -> str:
        return f"redis://{self.bind}:{self.port}/0"

    def start(self) -> "RedisProcess":
        self.dir = tempfile.mkdtemp(prefix="govcrawl-redis-")
        self.proc = subprocess.Popen(
            [self.binary, "--bind", self.bind, "--port", str(self.port), "--save", "", "--appendonly", "no",
             "--dir", self.dir, "--protected-mode", "no", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        client = redis.Redis.from_url(self.url)
        for _ in range(100):
            try:
                client.ping()
                return self
            except redis.ConnectionError:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"redis-server exited: {self.proc.stderr.read().decode()[-500:]}")
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.proc = None
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    def __enter__(self) -> "RedisProcess":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
