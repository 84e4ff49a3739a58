"""``python -m mta_sfsf``."""
from .cli import console

console()
