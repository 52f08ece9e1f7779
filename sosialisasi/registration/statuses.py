"""Which registration statuses count for what (seats, quota, duplicates)."""

from __future__ import annotations

from .models import RegistrationStatus

RS = RegistrationStatus
SEAT_STATUSES = (RS.REGISTERED, RS.PENDING)  # hold a seat of the capacity and of the quota
QUOTA_STATUSES = (RS.REGISTERED, RS.PENDING, RS.WAITLISTED)  # use the unit's quota
LIVE_STATUSES = QUOTA_STATUSES  # "already registered" for duplicates
