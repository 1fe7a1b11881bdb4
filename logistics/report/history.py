"""History of the nightly report's figures and deliveries in an embedded SQLite database."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from logistics.exceptions import HistoryError, tr
from logistics.region import RESPONSE_LEVELS

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["SCHEMA_VERSION", "Figure", "ReportHistory", "default_history_path", "figures_from_check"]

logger = logging.getLogger(__name__)

#: Migrations, applied in order; ``PRAGMA user_version`` holds how many have run.
_MIGRATIONS: tuple[str, ...] = (
    # 1: one row per night, one row per figure, one row per delivered address
    """
    CREATE TABLE runs (
        region TEXT NOT NULL,
        date TEXT NOT NULL,
        created_at TEXT NOT NULL,
        highest_level_met TEXT,
        target_level TEXT NOT NULL,
        target_met INTEGER NOT NULL,
        items_short INTEGER NOT NULL,
        min_coverage REAL,
        report_json TEXT NOT NULL,
        PRIMARY KEY (region, date)
    );
    CREATE TABLE figures (
        region TEXT NOT NULL,
        date TEXT NOT NULL,
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        metric TEXT NOT NULL,
        value REAL,
        label TEXT,
        PRIMARY KEY (region, date, kind, key, metric)
    );
    CREATE TABLE deliveries (
        region TEXT NOT NULL,
        date TEXT NOT NULL,
        address TEXT NOT NULL,
        role TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('sent', 'failed')),
        attempts INTEGER NOT NULL,
        message_id TEXT,
        error TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (region, date, address)
    );
    """,
)

#: Schema version this code writes.
SCHEMA_VERSION = len(_MIGRATIONS)


@dataclass(frozen=True)
class Figure:
    """One number of one night's report.

    Parameters
    ----------
    kind
        ``headline``, ``item`` (target level), ``county``, ``time`` or ``expiring``.
    key
        Item id, county name, expiry window in days, or ``""`` for the headline.
    metric
        E.g. ``usable``, ``coverage``, ``shortfall``, ``min_coverage``, ``share_within_12h``.
    value
        The number (``None`` when unknown).
    label
        Display name (item name, county) for the changes table.
    """

    kind: str
    key: str
    metric: str
    value: float | None
    label: str = ""


def _level_rank(level: str | None) -> int:
    """0 when no level is met, 1 for Ⅳ … 4 for Ⅰ."""
    return 0 if level is None else RESPONSE_LEVELS.index(level) + 1


def figures_from_check(check: dict[str, Any]) -> list[Figure]:
    """Extract the figures the history keeps from a :func:`logistics.sufficiency.check.run_check` report.

    Parameters
    ----------
    check
        The check report.

    Returns
    -------
    list of Figure
        Headline (level rank, target met, items short, minimum coverage, value at risk),
        per item at the target level (required, usable, coverage, shortfall), per county
        (minimum coverage), per county time shares when the time check ran, and per expiry
        window (batches, value).
    """
    tl = check["target_level"]
    items = check["levels"][tl]["items"]
    out = [
        Figure("headline", "", "highest_level_rank", _level_rank(check["highest_level_met"])),
        Figure("headline", "", "target_met", 1.0 if check["target_met"] else 0.0),
        Figure("headline", "", "items_short", float(len(check["gap"]))),
        Figure("headline", "", "min_coverage", check["levels"][tl]["min_coverage"]),
        Figure("headline", "", "purchase_cost_cny", check["purchase"]["total_cost_cny"]),
    ]
    for i in items:
        for metric in ("required", "usable", "coverage", "shortfall"):
            out.append(Figure("item", i["item"], metric, float(i[metric]), i["name"]))
    for name, c in (check.get("counties") or {}).items():
        out.append(Figure("county", name, "min_coverage", c["min_coverage"], name))
    time = check.get("time")
    if time:
        for c in time.get("counties", []):
            for metric in ("share_within_12h", "share_within_10h"):
                if c.get(metric) is not None:
                    out.append(Figure("time", c["county"], metric, float(c[metric]), c["county"]))
    windows: dict[int, list[dict[str, Any]]] = {w: [] for w in (0, 30, 90, 180)}
    for e in check.get("expiring", []):
        windows.setdefault(int(e["window_days"]), []).append(e)
    for w, lines in sorted(windows.items()):
        out.append(Figure("expiring", str(w), "batches", float(len(lines))))
        out.append(Figure("expiring", str(w), "value_cny", sum(e["value_cny"] or 0 for e in lines)))
    return out


def default_history_path(out_dir: str | Path | None = None) -> Path:
    """Return the default database: ``<out_dir>/history.sqlite``, else the user's state folder.

    Parameters
    ----------
    out_dir
        Report output folder, if one is set.
    """
    if out_dir is not None:
        return Path(out_dir) / "history.sqlite"
    return Path.home() / ".local" / "state" / "logistics" / "history.sqlite"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class ReportHistory:
    """The nightly figures and delivery state, in one SQLite file (WAL journal).

    Parameters
    ----------
    path
        Database file; created (with its folder) when missing.

    Raises
    ------
    HistoryError
        If the file is not a database or was written by a newer schema.

    Examples
    --------
    >>> h = ReportHistory(":memory:")
    >>> h.schema_version() == SCHEMA_VERSION
    True
    >>> h.close()
    """

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(self.path, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise HistoryError(
                tr(
                    f"cannot use the history database {self.path}: {exc}",
                    f"无法使用历史数据库 {self.path}：{exc}",
                )
            ) from exc

    # -- schema --------------------------------------------------------------------------
    def schema_version(self) -> int:
        """Return the schema version stored in the file."""
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        version = self.schema_version()
        if version > SCHEMA_VERSION:
            raise HistoryError(
                tr(
                    f"the history database {self.path} has schema version {version}, newer than "
                    f"this program's {SCHEMA_VERSION}: upgrade logistics or use another --history file",
                    f"历史数据库 {self.path} 的结构版本为 {version}，高于本程序支持的版本 {SCHEMA_VERSION}："
                    "请升级 logistics 或改用其他 --history 文件",
                )
            )
        for number in range(version, SCHEMA_VERSION):
            with self._db:
                self._db.executescript(_MIGRATIONS[number])
                self._db.execute(f"PRAGMA user_version = {number + 1}")
            logger.info("history %s: migrated to schema version %d", self.path, number + 1)

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- figures -------------------------------------------------------------------------
    def record(self, check: dict[str, Any]) -> None:
        """Store (or replace) one night's figures and the full check report.

        Parameters
        ----------
        check
            A :func:`logistics.sufficiency.check.run_check` report; its ``region`` and ``date`` are the key.
        """
        region, date = check["region"], str(check["date"])
        tl = check["target_level"]
        figs = figures_from_check(check)
        with self._db:
            self._db.execute("DELETE FROM figures WHERE region = ? AND date = ?", (region, date))
            self._db.execute(
                "INSERT OR REPLACE INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    region,
                    date,
                    _now(),
                    check["highest_level_met"],
                    tl,
                    int(bool(check["target_met"])),
                    len(check["gap"]),
                    check["levels"][tl]["min_coverage"],
                    json.dumps(check, ensure_ascii=False, default=str),
                ),
            )
            self._db.executemany(
                "INSERT INTO figures VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(region, date, f.kind, f.key, f.metric, f.value, f.label) for f in figs],
            )

    def dates(self, region: str) -> list[str]:
        """Return the dates with a recorded report, oldest first."""
        rows = self._db.execute("SELECT date FROM runs WHERE region = ? ORDER BY date", (region,))
        return [r[0] for r in rows]

    def previous_date(self, region: str, date: str) -> str | None:
        """Return the latest recorded date strictly before ``date``, or ``None``."""
        row = self._db.execute(
            "SELECT max(date) FROM runs WHERE region = ? AND date < ?", (region, date)
        ).fetchone()
        return row[0] if row else None

    def figures(self, region: str, date: str) -> list[Figure]:
        """Return the figures recorded for one night (empty when none)."""
        rows = self._db.execute(
            "SELECT kind, key, metric, value, label FROM figures WHERE region = ? AND date = ? "
            "ORDER BY kind, key, metric",
            (region, date),
        )
        return [Figure(k, key, m, v, lab or "") for k, key, m, v, lab in rows]

    def trend(self, region: str, date: str, *, nights: int = 14) -> list[dict[str, Any]]:
        """Return the headline of the last ``nights`` recorded reports up to ``date``, oldest first.

        Parameters
        ----------
        region
            Region name.
        date
            Last date included.
        nights
            How many reports at most.
        """
        rows = self._db.execute(
            "SELECT date, highest_level_met, target_level, target_met, items_short, min_coverage "
            "FROM runs WHERE region = ? AND date <= ? ORDER BY date DESC LIMIT ?",
            (region, date, nights),
        ).fetchall()
        keys = ("date", "highest_level_met", "target_level", "target_met", "items_short", "min_coverage")
        return [dict(zip(keys, r, strict=True)) for r in reversed(rows)]

    # -- deliveries ----------------------------------------------------------------------
    def sent_addresses(self, region: str, date: str) -> set[str]:
        """Return the addresses the report of ``date`` was delivered to."""
        rows = self._db.execute(
            "SELECT address FROM deliveries WHERE region = ? AND date = ? AND status = 'sent'",
            (region, date),
        )
        return {r[0] for r in rows}

    def deliveries(self, region: str, date: str) -> list[dict[str, Any]]:
        """Return the delivery state of every address for ``date``."""
        cur = self._db.execute(
            "SELECT address, role, status, attempts, message_id, error, updated_at FROM deliveries "
            "WHERE region = ? AND date = ? ORDER BY role, address",
            (region, date),
        )
        keys = [d[0] for d in cur.description]
        return [dict(zip(keys, r, strict=True)) for r in cur.fetchall()]

    def mark_delivery(
        self,
        region: str,
        date: str,
        addresses: Iterable[str],
        *,
        role: str,
        status: str,
        attempts: int,
        message_id: str | None = None,
        error: str | None = None,
    ) -> None:
        """Record that a message was delivered to (``sent``) or failed for (``failed``) addresses.

        Parameters
        ----------
        region, date
            The report.
        addresses
            Recipients concerned.
        role
            Recipient role (e.g. 领导, 值班员).
        status
            ``sent`` or ``failed``.
        attempts
            Connection attempts made.
        message_id
            ``Message-ID`` header of the message.
        error
            Reason of a failure (already free of credentials).
        """
        if status not in ("sent", "failed"):
            raise ValueError(f"Expected status 'sent' or 'failed', got {status!r}.")
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO deliveries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(region, date, a, role, status, attempts, message_id, error, _now()) for a in addresses],
            )
