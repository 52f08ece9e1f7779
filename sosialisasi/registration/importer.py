"""Old name of :mod:`.imports`, kept for callers outside the area (``bench/import_xlsx.py``)."""

from .imports import *  # noqa: F403
from .imports import __all__  # noqa: F401
