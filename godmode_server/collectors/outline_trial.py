"""A strategy tried on a stored page outline, before it is published: what a CSS selector finds
there and the count it would read.  The outline becomes a Beautiful Soup tree and the selector is
matched by soupsieve (the CSS engine Beautiful Soup uses), as the browser's querySelector would.

JSON and state strategies read what an outline does not carry: they are tried on the live page
with the popup's *Check this page*.
"""

from __future__ import annotations

from bs4 import BeautifulSoup, Tag
from soupsieve import SelectorSyntaxError, select_one

from godmode_common.protocol import (
    CssStrategy,
    OutlineNode,
    PageOutline,
    Strategy,
    StrategyTrial,
)

_COUNT = "data-godmode-count"


def strategy_name(entry: str | Strategy) -> str:
    """What the extension calls a strategy (extension/src/scraper.js, ``strategyName``)."""
    if isinstance(entry, str):
        return entry
    if entry.name:
        return entry.name
    if isinstance(entry, CssStrategy):
        return entry.selector
    if entry.kind == "json":
        return f"json {entry.url} {entry.path}"
    return f"state {entry.variable} {entry.path}"


def _soup(outline: PageOutline) -> BeautifulSoup:
    soup = BeautifulSoup("", "html.parser")
    stack: list[tuple[OutlineNode, BeautifulSoup | Tag]] = [(outline.root, soup)]
    while stack:
        node, parent = stack.pop()
        attrs = dict.fromkeys(node.d, "")
        if node.i:
            attrs["id"] = node.i
        if node.c:
            attrs["class"] = " ".join(node.c)
        if node.x is not None:
            attrs[_COUNT] = node.x
        element = soup.new_tag(node.t, attrs=attrs)
        parent.append(element)
        stack.extend((kid, element) for kid in reversed(node.k))
    return soup


def _count_in(element: Tag) -> str | None:
    """The count the element shows: its own, or its only counting descendant's (the browser
    reads the text of the whole element)."""
    own = element.get(_COUNT)
    if isinstance(own, str):
        return own
    found = [
        shown for shown in (d.get(_COUNT) for d in element.find_all(True)) if isinstance(shown, str)
    ]
    return found[0] if len(found) == 1 else None


def try_strategies(outline: PageOutline, entries: list[str | Strategy]) -> list[StrategyTrial]:
    """Each strategy's outcome on ``outline``, in order."""
    soup = _soup(outline)
    trials = []
    for entry in entries:
        name = strategy_name(entry)
        selector = entry if isinstance(entry, str) else getattr(entry, "selector", None)
        if selector is None:
            trials.append(StrategyTrial(strategy=name, result="untestable"))
            continue
        try:
            element = select_one(selector, soup)
        except SelectorSyntaxError:
            trials.append(StrategyTrial(strategy=name, result="malformed selector"))
            continue
        if element is None:
            trials.append(StrategyTrial(strategy=name, result="missing"))
            continue
        shown = _count_in(element)
        trials.append(
            StrategyTrial(strategy=name, result="reads" if shown else "no count", shown=shown)
        )
    return trials
