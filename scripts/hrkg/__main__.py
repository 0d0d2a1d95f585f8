"""`python -m hrkg` is the `hrkg` command."""

import sys

from hrkg.cli import main

sys.exit(main())
