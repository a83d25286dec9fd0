"""Redis clients that ride out outages: redis-py retries short blips, `Guard` backs off across longer ones."""
from __future__ import annotations

import logging
import time
from typing import Callable, TypeVar

import redis
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger(__name__)
T = TypeVar("T")
OUTAGE_ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)


def connect(url: str, retries: int = 3, connect_timeout: float = 5.0) -> redis.Redis:
    """A client for `url` that retries each command with exponential back-off before giving up."""
    return redis.Redis.from_url(
        url, socket_connect_timeout=connect_timeout, socket_timeout=15, health_check_interval=15,
        retry=Retry(ExponentialBackoff(cap=2.0, base=0.1), retries),
        retry_on_error=[RedisConnectionError, RedisTimeoutError],
    )


class Unavailable(Exception):
    """Redis is (still) unreachable; the caller keeps its work locally and tries again later."""


class Guard:
    """Calls Redis unless it failed recently; after each failure waits twice as long (up to `cap` s) before trying."""

    def __init__(self, base: float = 0.5, cap: float = 30.0, clock: Callable[[], float] = time.monotonic):
        self.base, self.cap, self.clock = base, cap, clock
        self.delay = 0.0
        self.retry_at = 0.0
        self.failures = 0

    @property
    def down(self) -> bool:
        return self.failures > 0 and self.clock() < self.retry_at

    def call(self, fn: Callable[..., T], *args, **kwargs) -> T:
        if self.down:
            raise Unavailable(f"Redis unreachable, next try in {self.retry_at - self.clock():.1f}s")
        try:
            result = fn(*args, **kwargs)
        except OUTAGE_ERRORS as exc:
            self.failures += 1
            self.delay = min(self.cap, self.base * 2 ** (self.failures - 1))
            self.retry_at = self.clock() + self.delay
            logger.warning("Redis unreachable (%s); retrying in %.1fs", exc, self.delay)
            raise Unavailable(str(exc)) from exc
        if self.failures:
            logger.warning("Redis reachable again after %d failed attempts", self.failures)
        self.failures = 0
        return result


def wait_for(fn: Callable[[], T], what: str, cap: float = 30.0, give_up: float | None = None) -> T:
    """Call `fn` until Redis answers, sleeping with exponential back-off; for start-up, before the reactor runs."""
    delay, started = 0.5, time.monotonic()
    while True:
        try:
            return fn()
        except OUTAGE_ERRORS as exc:
            if give_up is not None and time.monotonic() - started > give_up:
                raise
            logger.warning("%s: Redis unreachable (%s); retrying in %.1fs", what, exc, delay)
            time.sleep(delay)
            delay = min(cap, delay * 2)
