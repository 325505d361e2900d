"""Why the renderer keeps one Chromium warm: time per image cold (a browser started for each image)
against warm (one browser for all), and what the export service of `make serve` adds to a warm image
(the figure's JSON over a Unix socket to another process and the image back), measured in the same run
on the same figure.

Run: `.venv/bin/python -m tests.bench_render [--images N]`. Not a test: pytest does not collect it.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from statistics import median

import plotly.graph_objects as go

from dashboard.export import REPORT_SIZES
from dashboard.render import ChartRenderer, ImageRenderer, ServiceRenderer
from tests.test_export_service import export_service

SIZE = REPORT_SIZES["word"]


def sample_figure(n: int) -> go.Figure:
    areas = ["深圳", "漯河", "汕尾", "上海", "重庆"]
    return go.Figure(
        go.Bar(x=areas, y=[(n + i) * 7 % 50 + 10 for i in range(5)]), layout_title_text=f"演练{n}"
    )


def seconds_per_image(renderer: ImageRenderer, n: int, cold: bool = False) -> float:
    """Wall time of one PNG; cold closes the browser first, so the call pays for starting one."""
    if cold and isinstance(renderer, ChartRenderer):
        renderer.close()
    started = time.perf_counter()
    renderer.to_image(sample_figure(n), "png", SIZE.width, SIZE.height, SIZE.scale)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--images", type=int, default=5, help="images per mode (default 5)")
    images = parser.parse_args().images
    renderer = ChartRenderer()
    cold = [seconds_per_image(renderer, n, cold=True) for n in range(images)]
    warm = [seconds_per_image(renderer, n, cold=False) for n in range(images)]
    renderer.close()
    with tempfile.TemporaryDirectory() as folder, export_service(Path(folder)) as (_, socket_path):
        service = ServiceRenderer(socket_path, timeout=60)
        seconds_per_image(service, 0)  # starts the service's browser
        served = [seconds_per_image(service, n) for n in range(images)]
    print(f"PNG {SIZE.width}x{SIZE.height} at scale {SIZE.scale}, {images} images each, median seconds")
    print(f"cold (browser started per image): {median(cold):.3f} s/image")
    print(f"warm (one browser kept open):     {median(warm):.3f} s/image")
    print(f"warm through the export service:  {median(served):.3f} s/image")
    print(
        f"cold / warm: {median(cold) / median(warm):.1f}x; service / warm: {median(served) / median(warm):.2f}x"
    )


if __name__ == "__main__":
    main()
