"""Strategies tried on a page outline (godmode_server/collectors/outline_trial.py), as the
browser's querySelector and textContent would find them."""

from __future__ import annotations

from typing import Any

from godmode_common.protocol import JsonStrategy, PageOutline, StateStrategy
from godmode_server.collectors.outline_trial import strategy_name, try_strategies


def _outline(*kids: dict[str, Any]) -> PageOutline:
    def count(node: dict[str, Any]) -> int:
        return 1 + sum(count(k) for k in node.get("k", []))

    root = {"t": "body", "k": list(kids)}
    return PageOutline.model_validate(
        {"platform": "camsoda", "page": "/", "nodes": count(root), "root": root}
    )


def _results(outline: PageOutline, *entries: Any) -> list[tuple[str, str | None]]:
    return [(t.result, t.shown) for t in try_strategies(outline, list(entries))]


def test_classes_ids_and_data_attributes_match_as_in_the_browser() -> None:
    outline = _outline(
        {"t": "span", "i": "tips", "c": ["stat", "big"], "d": ["data-testid"], "x": "5"}
    )
    assert _results(
        outline, ".big", ".stat.big", "span#tips", "[data-testid]", "div.big", ".stat .big"
    ) == [
        ("reads", "5"),
        ("reads", "5"),
        ("reads", "5"),
        ("reads", "5"),
        ("missing", None),
        ("missing", None),
    ]


def test_a_box_reads_its_only_count_and_not_one_of_several() -> None:
    one = {"t": "div", "c": ["box"], "k": [{"t": "b"}, {"t": "span", "x": "1,234"}]}
    two = {"t": "div", "c": ["pair"], "k": [{"t": "span", "x": "1"}, {"t": "span", "x": "2"}]}
    assert _results(_outline(one, two), ".box", ".pair") == [
        ("reads", "1,234"),
        ("no count", None),  # the browser would read "12": not what either shows
    ]


def test_json_and_state_strategies_are_not_tried_on_an_outline() -> None:
    json = JsonStrategy(kind="json", url="/api/x/{room}", path="a.b")
    state = StateStrategy(kind="state", variable="__STATE__", path="a", name="the state")
    assert _results(_outline(), json, state) == [("untestable", None), ("untestable", None)]
    assert [strategy_name(json), strategy_name(state), strategy_name(".x")] == [
        "json /api/x/{room} a.b",
        "the state",
        ".x",
    ]
