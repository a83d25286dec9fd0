"""The worker's side of its SQLite database: which copy of a site was acknowledged, and a clean slate per lease."""
from __future__ import annotations

from datetime import datetime, timezone

import sqlite_utils

from govcrawl import schema

ACKS = "distributed_acks"   # run_id, site_code -> the lease whose acknowledgement this copy carries


def site_tables() -> list[str]:
    return [t for t, spec in schema.TABLES.items() if "site_code" in spec["columns"] and "run_id" in spec["columns"]]


class LocalDB:
    def __init__(self, path: str):
        self.path = path
        self._db: sqlite_utils.Database | None = None

    @property
    def db(self) -> sqlite_utils.Database:
        if self._db is None:
            self._db = sqlite_utils.Database(self.path)
            self._db.execute("PRAGMA busy_timeout=10000")
            if not self._db[ACKS].exists():
                self._db[ACKS].create({"run_id": str, "site_code": str, "lease": str, "worker": str, "acked_at": str},
                                      pk=("run_id", "site_code"))
        return self._db

    def forget_sites(self, run_id: str, codes: list[str]) -> None:
        """Delete whatever an earlier, unacknowledged attempt stored for these sites, before crawling them again."""
        db = self.db
        marks = ",".join("?" * len(codes))
        with db.conn:
            for table in site_tables() + [ACKS]:
                if db[table].exists():
                    db.execute(f"DELETE FROM [{table}] WHERE run_id = ? AND site_code IN ({marks})", [run_id, *codes])

    def record_ack(self, run_id: str, site_code: str, lease: str, worker: str) -> dict:
        row = {"run_id": run_id, "site_code": site_code, "lease": lease, "worker": worker,
               "acked_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        with self.db.conn:
            self.db[ACKS].upsert(row, pk=("run_id", "site_code"))
        return row

    def close(self) -> None:
        if self._db is not None:
            self._db.conn.close()
            self._db = None
