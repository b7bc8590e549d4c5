"""What a full garbage collection has to walk inside an object (issue 22's stalls)."""

from __future__ import annotations

import gc


def references_walked(root: object) -> int:
    """References a full collection follows inside ``root``: every tracked container's, the
    container's own included (not into classes: those live as long as the process, frozen by
    the server at start)."""
    seen: set[int] = set()
    todo, walked = [root], 0
    while todo:
        obj = todo.pop()
        if id(obj) in seen or not gc.is_tracked(obj) or isinstance(obj, type):
            continue
        seen.add(id(obj))
        referents = gc.get_referents(obj)
        walked += len(referents)
        todo += referents
    return walked
