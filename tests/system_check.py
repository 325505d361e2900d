"""Check the system packages the tests need; with --install, install the missing ones where we may.

Run by `make test` before pytest (`python -m tests.system_check --install`): without Chromium the browser
and export tests cannot run, and without a CJK font Chromium draws Chinese as boxes and says nothing. The
list is `dashboard.render.SYSTEM_PACKAGES`, the one .ci/run and the dashboard's start-up notice use too.
As root, or with passwordless sudo, --install runs apt-get for what is missing; otherwise it stops with
the one-line command to run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys

from dashboard.render import install_command, missing_system_packages


def may_install() -> list[str] | None:
    """The command prefix that can run apt-get here (`[]` as root, `["sudo", "-n"]`), or None."""
    if os.geteuid() == 0:
        return []
    sudo = shutil.which("sudo")
    if sudo and subprocess.run([sudo, "-n", "true"], capture_output=True, check=False).returncode == 0:
        return [sudo, "-n"]
    return None


def install(prefix: list[str], packages: list[str]) -> bool:
    """apt-get update and install, non-interactively; whether both succeeded."""
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    apt = [*prefix, "apt-get"]
    steps = ([*apt, "update", "-q"], [*apt, "install", "-y", "-q", "--no-install-recommends", *packages])
    return all(subprocess.run(step, env=env, check=False).returncode == 0 for step in steps)


def report(missing: list[tuple[str, str]]) -> None:
    for what, package in missing:
        print(f"system check: missing {what}: Debian package {package}", file=sys.stderr)
    command = install_command([package for _, package in missing])
    print(f"system check: install them as root: {command}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--install", action="store_true", help="install what is missing (as root or sudo)")
    args = parser.parse_args(argv)
    missing = missing_system_packages()
    if missing and args.install and (prefix := may_install()) is not None:
        packages = list(dict.fromkeys(package for _, package in missing))
        print(f"system check: installing {' '.join(packages)}", file=sys.stderr)
        if install(prefix, packages):
            missing = missing_system_packages()
    if not missing:
        print("system check: Chromium and a CJK font are installed")
        return 0
    report(missing)
    return 1


if __name__ == "__main__":
    sys.exit(main())
