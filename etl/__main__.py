"""`python -m etl`: the command line (etl/cli.py)."""

import gc

# A run's records (documents, facts, batches) are freed by reference counting, not by the cyclic collector;
# at its default threshold (700 new containers) it scanned the run's live batches and the imported modules'
# objects some 350 times per 1,000 reports, ~0.2 s of the parent's CPU. Set before the imports, which it
# also slowed; the worker processes forked later inherit it.
gc.set_threshold(50_000, 20, 10)

from etl.cli import main  # noqa: E402  (after the threshold: the imports allocate most of the objects)

if __name__ == "__main__":
    raise SystemExit(main())
