"""`python -m etl`: the command line (etl/cli.py)."""

from etl.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
