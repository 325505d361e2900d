"""Check the system packages the tests need, and say exactly what to install when one is missing.

Run by `make test` before pytest (`python -m tests.system_check`): without Chromium the browser and
export tests cannot run, and without a CJK font Chromium draws Chinese as boxes and says nothing.
"""

from __future__ import annotations

import shutil
import sys

from dashboard.render import cjk_font_available, find_chromium

# What is missing -> the Debian package that brings it.
CHECKS = (
    ("Chromium (/usr/bin/chromium or `chromium` on PATH)", "chromium", lambda: find_chromium() is not None),
    ("fontconfig (`fc-list`)", "fontconfig", lambda: shutil.which("fc-list") is not None),
    ("a CJK font (`fc-list :lang=zh` lists none)", "fonts-noto-cjk", cjk_font_available),
)


def missing_packages() -> list[tuple[str, str]]:
    """(what is missing, Debian package) for every check that fails."""
    return [(what, package) for what, package, present in CHECKS if not present()]


def main() -> int:
    missing = missing_packages()
    if not missing:
        print("system check: Chromium and a CJK font are installed")
        return 0
    for what, package in missing:
        print(f"system check: missing {what}: Debian package {package}", file=sys.stderr)
    packages = " ".join(dict.fromkeys(package for _, package in missing))
    print(f"install them (as root): apt-get update && apt-get install -y {packages}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
