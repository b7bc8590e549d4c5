"""Money against a real production server (issue 38): an admin sets payout and exchange rates
(API and command line, each change audited, bad input refused naming the field and nothing
stored), the reports price every row at the rates of each token's day, and the live figures
carry the day's and the shift's dollars, equal to the report's."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from godmode_server.reports.earnings import local_midnight
from tests.helpers.servers import ServerProcess, admin_studio
from tests.helpers.waiting import wait_until

BOGOTA = ZoneInfo("America/Bogota")
STUDIO = {
    "GODMODE_TIMEZONE": "America/Bogota",
    "GODMODE_CURRENCY": "COP",
    "GODMODE_SHIFTS": "06:00,22:00",
}
Studio = tuple[ServerProcess, httpx.Client, str]


@pytest.fixture
def studio(tmp_path: Any) -> Iterator[Studio]:
    with admin_studio(tmp_path, users=[("boss", "manager")], **STUDIO) as started:
        yield started


def _today() -> dt.date:
    return dt.datetime.now(BOGOTA).date()


def _rates(api: httpx.Client) -> dict[str, Any]:
    answer = api.get("/api/admin/rates")
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_an_admin_sets_rates_and_bad_ones_are_refused_naming_the_field(studio: Studio) -> None:
    server, api, _ = studio
    assert _rates(api) == {"currency": "COP", "payout": [], "exchange": []}
    ok = [
        api.post("/api/admin/rates", json={"platform": "chaturbate", "usd_per_token": "0.05"}),
        api.post(
            "/api/admin/rates",
            json={
                "platform": "chaturbate",
                "room_id": "luna",
                "usd_per_token": 0.08,
                "from": "2026-12-01",
            },
        ),
        api.post("/api/admin/rates/currency", json={"currency": "cop", "units_per_usd": "4100.50"}),
    ]
    assert [answer.status_code for answer in ok] == [200, 200, 200], [a.text for a in ok]
    year_ahead = (_today() + dt.timedelta(days=400)).isoformat()
    chaturbate = {"platform": "chaturbate"}
    refused = [
        ("usd_per_token", "must be more than 0", chaturbate | {"usd_per_token": "-1"}),
        ("usd_per_token", "must be more than 0", chaturbate | {"usd_per_token": 0}),
        ("usd_per_token", "is not a number", chaturbate | {"usd_per_token": "five"}),
        ("usd_per_token", "decimal places", chaturbate | {"usd_per_token": "0.0000001"}),
        ("usd_per_token", "valid string", chaturbate | {"usd_per_token": True}),
        ("platform", "not one this server takes", {"platform": "onlyfans", "usd_per_token": "1"}),
        ("from", "more than a year ahead", chaturbate | {"usd_per_token": "1", "from": year_ahead}),
        ("from", "valid date", chaturbate | {"usd_per_token": "1", "from": "12/01/2026"}),
    ]
    for field, why, body in refused:
        answer = api.post("/api/admin/rates", json=body)
        assert answer.status_code == 422, (body, answer.text)
        [error] = answer.json()["errors"]
        assert error["field"] == field, (body, error)
        assert why in error["message"], (body, error)
    for body, field in (
        ({"currency": "XYZ", "units_per_usd": "2"}, "currency"),
        ({"currency": "EUR", "units_per_usd": "0"}, "units_per_usd"),
        ({"currency": "EUR", "units_per_usd": "2", "from": year_ahead}, "from"),
    ):
        answer = api.post("/api/admin/rates/currency", json=body)
        assert answer.status_code == 422, (body, answer.text)
        assert answer.json()["errors"][0]["field"] == field

    rates = _rates(api)
    assert [
        (r["platform"], r["room_id"], r["usd_per_token"], r["from"], r["set_by"])
        for r in rates["payout"]
    ] == [
        ("chaturbate", None, "0.05", None, "root"),
        ("chaturbate", "luna", "0.08", "2026-12-01", "root"),
    ], "only the good ones are stored"
    assert [(r["currency"], r["units_per_usd"], r["from"]) for r in rates["exchange"]] == [
        ("COP", "4100.5", None)
    ]
    # The same scope and day again replaces the rate.
    api.post("/api/admin/rates", json={"platform": "chaturbate", "usd_per_token": "0.055"})
    assert _rates(api)["payout"][0]["usd_per_token"] == "0.055"

    audit = api.get("/api/admin/audit").json()
    said = [
        (e["action"], e["target"], e["detail"]) for e in audit if e["action"].startswith("rate.")
    ]
    assert said[::-1] == [
        ("rate.set", "chaturbate", "0.05 USD per token, undated"),
        ("rate.set", "luna@chaturbate", "0.08 USD per token, from 2026-12-01"),
        ("rate.currency", "COP", "4100.5 per USD, undated"),
        ("rate.set", "chaturbate", "0.055 USD per token, undated"),
    ]
    boss = server.login("boss", "admin-pass-1")
    headers = {"Authorization": f"Bearer {boss}"}
    assert httpx.get(server.url + "/api/admin/rates", headers=headers).status_code == 403
    assert (
        httpx.post(
            server.url + "/api/admin/rates",
            headers=headers,
            json={"platform": "chaturbate", "usd_per_token": "9"},
        ).status_code
        == 403
    )


def test_the_command_line_sets_and_lists_rates_and_refuses_bad_ones(studio: Studio) -> None:
    server, api, _ = studio
    done = server.cli(
        "rate", "set", "chaturbate", "0.05", "--room", "luna@chaturbate", "--from", "2026-12-01"
    )
    assert done.returncode == 0, done.stderr
    assert "luna@chaturbate: 0.05 USD per token, from 2026-12-01" in done.stdout
    assert server.cli("rate", "currency", "COP", "4000").returncode == 0
    for args, said in (
        (("set", "chaturbate", "-1"), "USD_PER_TOKEN: -1 must be more than 0"),
        (("set", "chaturbate", "x"), "is not a number"),
        (("set", "chaturbate", "1", "--room", "luna@stripchat"), "not a room of chaturbate"),
        (("set", "chaturbate", "1", "--from", "2999-01-01"), "more than a year ahead"),
        (("currency", "ABC", "1"), "not an ISO 4217 currency code"),
    ):
        answer = server.cli("rate", *args)
        assert answer.returncode != 0, args
        assert said in answer.stderr, (args, answer.stderr)
    listed = server.cli("rate", "list").stdout
    assert "currency: COP" in listed
    assert "luna@chaturbate\t2026-12-01\t0.05 USD/token\tcli:" in listed
    assert "COP\t-\t4000 per USD" in listed
    assert len(_rates(api)["payout"]) == 1, "nothing refused is stored"
    actions = [e["action"] for e in api.get("/api/admin/audit").json()]
    assert (actions.count("rate.set"), actions.count("rate.currency")) == (1, 1)


# --- the reports and the live figures, priced ----------------------------------------------------

#: Days of samples in the past.
DAYS = 3


def _local(day: dt.date, hour: int, minute: int = 0) -> int:
    return int(dt.datetime.combine(day, dt.time(hour, minute), BOGOTA).timestamp())


def test_every_report_row_is_priced_at_the_rates_of_each_token_s_day(studio: Studio) -> None:
    server, api, key = studio
    # Three whole days, and a night shift into a fourth: all past, whatever the hour now.
    last = _today() - dt.timedelta(days=1)
    d0, d1, d2 = (last - dt.timedelta(days=DAYS - n) for n in range(DAYS))
    payout: dict[tuple[str, str | None], list[tuple[dt.date | None, str]]] = {
        ("chaturbate", None): [(None, "0.05"), (d1, "0.06")],
        ("chaturbate", "luna"): [(d2, "0.08")],
    }
    exchange: list[tuple[dt.date | None, str]] = [(None, "4000"), (d2, "4100.5")]
    for (platform, room), rates in payout.items():
        for first, rate in rates:
            body: dict[str, str] = {"platform": platform, "usd_per_token": rate}
            body |= {"room_id": room} if room else {}
            body |= {"from": first.isoformat()} if first else {}
            assert api.post("/api/admin/rates", json=body).status_code == 200
    for first, rate in exchange:
        body = {"currency": "COP", "units_per_usd": rate} | (
            {"from": first.isoformat()} if first else {}
        )
        assert api.post("/api/admin/rates/currency", json=body).status_code == 200

    def rate_on(platform: str, room: str, day: dt.date) -> Decimal | None:
        """The room's own rate in force on ``day``, else its platform's."""
        for scope in ((platform, room), (platform, None)):
            begun = sorted((s or dt.date.min, r) for s, r in payout.get(scope, []))
            begun = [(s, r) for s, r in begun if s <= day]
            if begun:
                return Decimal(begun[-1][1])
        return None

    def fx_on(day: dt.date) -> Decimal:
        return Decimal(
            sorted((s or dt.date.min, r) for s, r in exchange if (s or dt.date.min) <= day)[-1][1]
        )

    # Each room: a sample at 10:00 and 23:30 of each day, and 00:30 after the last one; the
    # counters rise by 37, 41, 43 … so that every pair earns something different.
    rooms = [("luna", "chaturbate"), ("ava", "chaturbate"), ("mia", "stripchat")]
    earned: list[tuple[str, str, int, int]] = []  # room, platform, sample time, tokens earned
    for n, (room, platform) in enumerate(rooms):
        tokens = 0
        times = [
            _local(day, hour, minute)
            for day in (d0, d1, d2)
            for hour, minute in ((10, 0), (23, 30))
        ]
        times.append(_local(last, 0, 30))
        for i, timestamp in enumerate(times):
            rise = 37 + 2 * i + n
            tokens += rise
            sample = {
                "room_id": room,
                "platform": platform,
                "tokens_count": tokens,
                "tips_count": i,
                "viewers_count": 10,
                "timestamp": timestamp,
            }
            answer = httpx.post(
                server.url + "/api/tracking/telemetry", json=sample, headers={"X-Api-Key": key}
            )
            assert answer.status_code == 200, answer.text
            earned.append((room, platform, timestamp, tokens if i == 0 else rise))

    def expected(start: int, end: int, room: str, platform: str) -> tuple[str | None, str | None]:
        usd, local, unknown = Decimal(0), Decimal(0), False
        for r, p, timestamp, tokens in earned:
            if (r, p) == (room, platform) and start <= timestamp < end:
                day = dt.datetime.fromtimestamp(timestamp, BOGOTA).date()
                rate = rate_on(platform, room, day)
                if rate is None:
                    unknown = True
                    continue
                usd += tokens * rate
                local += tokens * rate * fx_on(day)
        if unknown:
            return None, None
        return (
            str(usd.quantize(Decimal("0.01"), ROUND_HALF_UP)),
            str(local.quantize(Decimal(1), ROUND_HALF_UP)),
        )

    start, end = local_midnight(d0, BOGOTA), local_midnight(last, BOGOTA) + 3600
    for group in ("day", "shift", "total"):

        def report(group: str = group) -> dict[str, Any]:
            answer = api.get(
                "/api/reports/earnings", params={"from": start, "to": end, "group": group}
            )
            assert answer.status_code == 200, answer.text
            return answer.json()

        wait_until(
            lambda: report()["totals"]["tokens_earned"] == sum(e[3] for e in earned),
            timeout=30,
            what="every sample archived",
        )
        answered = report()
        assert answered["currency"] == "COP"
        for row in answered["rows"]:
            want = expected(row["period_start"], row["period_end"], row["room_id"], row["platform"])
            assert (row["earned_usd"], row["earned_local"]) == want, (group, row)
            assert row["currency"] == "COP"
        assert answered["totals"]["earned_usd"] is None, "a stripchat room has no rate: no total"
        priced = [r for r in answered["rows"] if r["platform"] == "chaturbate"]
        assert all(r["earned_usd"] for r in priced)
    # Over the whole range, luna's tokens at three rates: 0.05, 0.06 and 0.08.
    [luna] = [r for r in report("total")["rows"] if r["room_id"] == "luna"]
    assert luna["earned_usd"] == expected(start, end, "luna", "chaturbate")[0]


def test_the_live_figures_carry_the_day_s_and_the_shift_s_dollars(studio: Studio) -> None:
    server, api, key = studio
    assert (
        api.post(
            "/api/admin/rates", json={"platform": "chaturbate", "usd_per_token": "0.05"}
        ).status_code
        == 200
    )
    now = int(time.time())
    for n, tokens in enumerate((100, 250, 333)):
        sample = {
            "room_id": "luna",
            "platform": "chaturbate",
            "tokens_count": tokens,
            "tips_count": n,
            "viewers_count": 5,
            "timestamp": now - 2 + n,
        }
        answer = httpx.post(
            server.url + "/api/tracking/telemetry", json=sample, headers={"X-Api-Key": key}
        )
        assert answer.status_code == 200, answer.text
    sample["room_id"] = "mia"
    sample["platform"] = "stripchat"
    assert (
        httpx.post(
            server.url + "/api/tracking/telemetry", json=sample, headers={"X-Api-Key": key}
        ).status_code
        == 200
    )

    def rooms() -> dict[str, Any]:
        return {r["room_id"]: r for r in api.get("/api/tracking/telemetry").json()["rooms"]}

    wait_until(
        lambda: rooms()["luna"].get("day_tokens") == 333, timeout=30, what="the day's figures"
    )
    luna = rooms()["luna"]
    assert luna["day_usd"] == str(
        (Decimal(luna["day_tokens"]) * Decimal("0.05")).quantize(Decimal("0.01"))
    )
    assert luna["shift_usd"] == str(
        (Decimal(luna["shift_tokens"]) * Decimal("0.05")).quantize(Decimal("0.01"))
    )
    assert "day_usd" not in rooms()["mia"], "no rate for stripchat: left out, not null"
    day_start = local_midnight(_today(), BOGOTA)
    report = api.get(
        "/api/reports/earnings", params={"from": day_start, "to": day_start + 86400}
    ).json()
    [row] = [r for r in report["rows"] if r["room_id"] == "luna"]
    assert row["earned_usd"] == luna["day_usd"], "the live figure is the report's"
