"""The bound on refused attempts written to the audit log (godmode_server/accounts/refusals.py), against a
real SQLite database and a clock the test moves."""

from __future__ import annotations

from pathlib import Path

from godmode_server.accounts import refusals as audit
from godmode_server.accounts.refusals import RefusedAttempts
from godmode_server.sql.database import Database


async def test_a_refusal_is_recorded_once_a_window_with_the_count_of_the_others(
    tmp_path: Path,
) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'audit.db'}")
    await db.start()
    now = [1000.0]
    attempts = RefusedAttempts(db, clock=lambda: now[0])
    try:
        recorded = [await attempts.note("boss", "POST /x", "no", "10.0.0.1") for _ in range(5)]
        now[0] += audit.WINDOW
        later = await attempts.note("boss", "POST /x", "no", "10.0.0.1")
        other = await attempts.note("mo", "POST /x", "no", "10.0.0.2")
        entries = await db.audit_entries(10)
    finally:
        await db.close()

    assert recorded == [True, False, False, False, False]
    assert (later, other) == (True, True)
    assert [(e.actor, e.detail) for e in entries] == [
        ("mo", "no"),
        ("boss", "no (and 4 times more since the previous entry)"),
        ("boss", "no"),
    ]


async def test_the_pairs_remembered_are_bounded(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'audit.db'}")
    await db.start()
    attempts = RefusedAttempts(db, clock=lambda: 0.0)
    try:
        for i in range(audit.TRACKED + 10):
            await attempts.note(f"user{i}", "GET /api/admin/users", "no", "")
        assert len(attempts._seen) == audit.TRACKED
        # The oldest was forgotten: its next refusal is recorded again.
        assert await attempts.note("user0", "GET /api/admin/users", "no", "")
    finally:
        await db.close()
