"""Jobs: long work off the request path (huey), with a ``Job`` row the user can follow.

- ``queue.py``: the huey instance (SQLite file in ``instance/`` by default, Redis when
  ``REDIS_URL`` is set) and its two tasks (run one job, recover stale jobs).
- ``models.py``: ``Job`` (kind, status, progress, result, error, who, when) and ``JobEffect``
  (one row per effect already done, so a retried job never does it twice).
- ``services.py``: enqueue (with an idempotency key), claim, run, progress, recover.
- ``kinds.py``: the kinds of job, named one by one; each calls its area's services.
"""
