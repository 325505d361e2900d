"""The Dash renderer's model of a page, for tests/dash_client.py: the callback graph as
`/_dash-dependencies` declares it, the layout's components by id, and pattern ids (MATCH, ALL) resolved
against them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

ComponentId = str | dict[str, Any]


def id_key(component_id: ComponentId) -> str:
    """The renderer's `stringifyId`: a string id as is, a dict id as JSON with sorted keys."""
    if isinstance(component_id, str):
        return component_id
    return json.dumps(component_id, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def parse_id(key: str) -> ComponentId:
    return json.loads(key) if key.startswith("{") else key


@dataclass(frozen=True)
class Dep:
    """One Input, State or Output of a callback; a dict id may hold wildcards (["MATCH"], ["ALL"])."""

    id: ComponentId
    prop: str

    @property
    def is_multi(self) -> bool:
        """An ALL dep: its value is the list of every matching component's."""
        return isinstance(self.id, dict) and ["ALL"] in self.id.values()

    def matches(self, component_id: ComponentId, bound: dict[str, Any] | None = None) -> bool:
        """Whether a concrete id is one this dep reads; `bound` fixes the MATCH keys."""
        if isinstance(self.id, str) or isinstance(component_id, str):
            return self.id == component_id
        if self.id.keys() != component_id.keys():
            return False
        for key, wanted in self.id.items():
            if wanted == ["MATCH"] and bound is not None and component_id[key] != bound[key]:
                return False
            if wanted not in (["ALL"], ["MATCH"]) and component_id[key] != wanted:
                return False
        return True

    def match_values(self, component_id: ComponentId) -> tuple[tuple[str, Any], ...]:
        """The MATCH keys' values in a concrete id this dep matches."""
        if isinstance(self.id, str) or isinstance(component_id, str):
            return ()
        return tuple(sorted((k, component_id[k]) for k, v in self.id.items() if v == ["MATCH"]))


def _parse_dep(spec: str | dict[str, str]) -> Dep:
    """`{"id": ..., "property": ...}` or an output string's `id.prop` (a dict id given as JSON)."""
    if isinstance(spec, dict):
        key, prop = spec["id"], spec["property"]
    else:
        key, _, prop = spec.rpartition(".")
    if "ALLSMALLER" in key:
        raise ValueError(f"ALLSMALLER in {key}: not modelled by this client")
    return Dep(parse_id(key), prop)


@dataclass(frozen=True)
class Callback:
    """A server-side callback as `/_dash-dependencies` declares it."""

    output: str  # sent back verbatim as the request's `output`
    outputs: tuple[Dep, ...]
    inputs: tuple[Dep, ...]
    state: tuple[Dep, ...]
    prevent_initial_call: bool

    @classmethod
    def from_dependency(cls, dep: dict[str, Any]) -> Callback:
        output = dep["output"]
        parts = output[2:-2].split("...") if output.startswith("..") else [output]
        return cls(
            output=output,
            outputs=tuple(_parse_dep(part) for part in parts),
            inputs=tuple(_parse_dep(spec) for spec in dep["inputs"]),
            state=tuple(_parse_dep(spec) for spec in dep.get("state") or []),
            prevent_initial_call=bool(dep.get("prevent_initial_call")),
        )

    @property
    def multi_output(self) -> bool:
        return self.output.startswith("..")

    @property
    def name(self) -> str:
        return " ".join(f"{id_key(o.id)}.{o.prop.split('@')[0]}" for o in self.outputs)


def walk_components(node: Any) -> Iterator[dict[str, Any]]:
    """Every component (`{"type", "namespace", "props"}`) in a layout value, depth first."""
    if isinstance(node, list):
        for item in node:
            yield from walk_components(item)
    elif isinstance(node, dict) and "props" in node and "type" in node:
        yield node
        for value in node["props"].values():
            yield from walk_components(value)


@dataclass
class Page:
    """The renderer's state: the layout tree, its components by id key, and the callback graph."""

    tree: dict[str, Any]
    callbacks: list[Callback]
    props: dict[str, dict[str, Any]] = field(default_factory=dict)  # id key -> the component's props
    ids: dict[str, ComponentId] = field(default_factory=dict)  # id key -> the id itself
    locations: list[str] = field(default_factory=list)  # id keys of the dcc.Location components

    def __post_init__(self) -> None:
        self.reindex()

    def reindex(self) -> None:
        """Index the components by id key (after a response replaced part of the tree)."""
        components = [c for c in walk_components(self.tree) if "id" in c["props"]]
        self.props = {id_key(c["props"]["id"]): c["props"] for c in components}
        self.ids = {id_key(c["props"]["id"]): c["props"]["id"] for c in components}
        self.locations = [
            id_key(c["props"]["id"])
            for c in components
            if (c["namespace"], c["type"]) == ("dash_core_components", "Location")
        ]

    def resolve(self, dep: Dep, bound: dict[str, Any] | None = None) -> list[ComponentId]:
        """The concrete ids in the layout a dep reads or writes."""
        if isinstance(dep.id, str):
            return [dep.id] if dep.id in self.props else []
        return [cid for cid in self.ids.values() if isinstance(cid, dict) and dep.matches(cid, bound)]

    def id_keys(self, deps: tuple[Dep, ...], bound: dict[str, Any] | None = None) -> set[str]:
        return {id_key(cid) for dep in deps for cid in self.resolve(dep, bound)}

    def keys(self, deps: tuple[Dep, ...], bound: dict[str, Any] | None = None) -> set[str]:
        """`idkey.prop` of every concrete id the deps resolve to."""
        return {f"{id_key(cid)}.{dep.prop.split('@')[0]}" for dep in deps for cid in self.resolve(dep, bound)}


# A callback to fire: its index in the graph and the values of its MATCH keys (none for plain callbacks)
CallKey = tuple[int, tuple[tuple[str, Any], ...]]
# Pending calls -> the prop ids that changed for them, in the order they changed (a dict as ordered set)
Pending = dict[CallKey, dict[str, None]]
