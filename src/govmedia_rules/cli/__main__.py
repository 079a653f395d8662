"""``python -m govmedia_rules.cli``: the command run as a module, as the console script runs it."""

import sys

from . import main

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
