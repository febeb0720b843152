"""Allow ``python -m reach``."""

import sys

from reach.run.cli import main

if __name__ == "__main__":
    sys.exit(main())
