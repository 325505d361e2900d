"""The ids of the review pages' components that callbacks read or write. They are dicts (`{"rv": name}`):
the pages are drawn by a callback, and Dash's renderer checks string ids against the first layout only."""

from __future__ import annotations


def rid(name: str) -> dict[str, str]:
    return {"rv": name}
