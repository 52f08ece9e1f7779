"""Which registration statuses count for what (seats, quota, duplicates)."""

from __future__ import annotations

from .models import RegistrationStatus

RS = RegistrationStatus
SEAT_STATUSES = (RS.REGISTERED, RS.PENDING)  # hold a seat of the capacity and of the quota
QUOTA_STATUSES = (RS.REGISTERED, RS.PENDING, RS.WAITLISTED)  # use the unit's quota
LIVE_STATUSES = QUOTA_STATUSES  # "already registered" for duplicates; what can be cancelled
# Quota used by places not waiting for a decision: approving a pending registration confirms its
# place when these leave room for it (``rules.check_quota(confirming=True)``).
DECIDED_QUOTA_STATUSES = (RS.REGISTERED, RS.WAITLISTED)
# What can be moved to the waiting list (a place that holds a seat now).
WAITLISTABLE_STATUSES = SEAT_STATUSES
