"""Signals the events area sends; other areas connect to them in ``create_app``.

A blinker ``Namespace`` as in indico's ``indico/core/signals``: the sender declares the hook, the
receivers are plain functions connected explicitly, and nothing registers itself at import time.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

status_changing = _signals.signal(
    "event-status-changing",
    doc="""Sent before an event's status changes (after the transition table allowed it).

    The sender is the ``Event``; ``target`` is the ``EventStatus`` asked for. A receiver refuses the
    change by raising a ``DomainError``; the status is left as it was.
    """,
)
