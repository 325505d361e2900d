"""A panel as the browser ends up showing it: its body (page.panel_body), then each chart its slots ask
for, on its own request (page.chart) as the chart-view stores' arrival makes the renderer do."""

from __future__ import annotations

from pathlib import Path

from dash import html

from dashboard import page


def chart_views(component: object) -> list[tuple[str, str]]:
    """(chart key, query) of every chart slot in a component tree, in page order."""
    if isinstance(component, list | tuple):
        return [view for child in component for view in chart_views(child)]
    found = []
    component_id = getattr(component, "id", None)
    if isinstance(component_id, dict) and component_id.get("type") == "chart-view":
        found.append((component_id["indicator"], component.data))
    children = getattr(component, "children", None)
    return found + (chart_views(children) if children is not None else [])


def rendered_panel(db_path: Path, key: str, search: str) -> html.Div:
    """The panel's body and its charts with their captions, side by side in one tree (the cached body is
    left as it is)."""
    body = page.panel_body(db_path, key, search)
    return html.Div([body, *(html.Div(page.chart(db_path, k, q)) for k, q in chart_views(body))])
