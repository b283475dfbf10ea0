"""`python -m persona_catalog.cli`."""

import sys

from persona_catalog.cli.main import main

sys.exit(main())
