"""``python -m mta_sfsf``."""
import sys

from .cli import main

sys.exit(main())
