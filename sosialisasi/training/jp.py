"""Training settings per event and its JP (jam pelajaran): 1 JP = 45 minutes.

The event's kind decides which parts are on until the organizer saves settings of their own:
bimtek/pelatihan and workshop have tests, surveys and credited JP (printed on the certificate);
sosialisasi has the evaluation survey; rapat koordinasi and FGD have none.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, exists, or_, select

from ..common.errors import DomainError
from ..common.wib import format_number
from ..events.models import Event, EventKind
from ..extensions import db
from .models import TrainingSettings

JP_MINUTES = 45
YEARLY_MINIMUM_JP = 20  # PP 17/2020 Pasal 203: at least 20 JP a year per PNS


@dataclass(frozen=True)
class KindDefaults:
    tests: bool
    surveys: bool
    jp: bool


KIND_DEFAULTS = {
    EventKind.BIMTEK: KindDefaults(tests=True, surveys=True, jp=True),
    EventKind.WORKSHOP: KindDefaults(tests=True, surveys=True, jp=True),
    EventKind.SOSIALISASI: KindDefaults(tests=False, surveys=True, jp=False),
    EventKind.RAKOR: KindDefaults(tests=False, surveys=False, jp=False),
    EventKind.FGD: KindDefaults(tests=False, surveys=False, jp=False),
}
TRAINING_KINDS = (EventKind.BIMTEK, EventKind.WORKSHOP)


def defaults_for(kind: EventKind) -> KindDefaults:
    return KIND_DEFAULTS.get(kind, KindDefaults(False, False, False))


def settings_for(event: Event) -> TrainingSettings:
    """The saved settings, or unsaved ones with the defaults of the event's kind."""
    saved = db.session.scalar(select(TrainingSettings).where(TrainingSettings.event_id == event.id))
    return saved if saved is not None else _default_settings(event)


def settings_for_events(events: list[Event]) -> dict[int, TrainingSettings]:
    """``settings_for`` of many events in one query: event id -> settings."""
    saved = {
        s.event_id: s
        for s in db.session.scalars(
            select(TrainingSettings).where(TrainingSettings.event_id.in_([e.id for e in events]))
        )
    }
    return {e.id: saved.get(e.id) or _default_settings(e) for e in events}


def credits_jp_clause() -> ColumnElement[bool]:
    """SQL: the event's settings credit JP (saved ones, else its kind's default), as
    ``settings_for(event).jp_credited`` decides; lists of a year read only those events."""
    saved = select(TrainingSettings.id).where(TrainingSettings.event_id == Event.id)
    by_default = [kind for kind, d in KIND_DEFAULTS.items() if d.jp]
    return or_(
        exists(saved.where(TrainingSettings.jp_credited.is_(True))),
        and_(~exists(saved), Event.kind.in_(by_default)),
    )


def _default_settings(event: Event) -> TrainingSettings:
    d = defaults_for(event.kind)
    return TrainingSettings(
        event_id=event.id,
        tests_enabled=d.tests,
        surveys_enabled=d.surveys,
        jp_credited=d.jp,
        jp_override=None,
        excluded_session_ids=[],
        pass_threshold=70,
        tests_required_for_certificate=False,
    )


def round_down_half(minutes: float) -> Decimal:
    """Minutes as JP rounded down to a half JP: 100 minutes -> 2, 120 -> 2,5, 44 -> 0."""
    halves = math.floor(minutes * 2 / JP_MINUTES + 1e-9)
    return Decimal(halves) / 2


def counting_minutes(event: Event, settings: TrainingSettings | None = None) -> int:
    settings = settings or settings_for(event)
    excluded = set(settings.excluded_session_ids or [])
    total = 0.0
    for s in event.sessions:
        if s.id not in excluded:
            total += max(0.0, (s.ends_at - s.starts_at).total_seconds() / 60)
    return int(total)


def computed_jp(event: Event, settings: TrainingSettings | None = None) -> Decimal:
    return round_down_half(counting_minutes(event, settings))


def jp_of(event: Event, settings: TrainingSettings | None = None) -> Decimal:
    """The event's JP as it counts: the organizer's figure when set, else computed."""
    settings = settings or settings_for(event)
    if settings.jp_override is not None:
        return Decimal(settings.jp_override)
    return computed_jp(event, settings)


def credited_jp(event: Event, settings: TrainingSettings | None = None) -> Decimal:
    """What a participant who met the attendance rule collects (0 when JP is not credited)."""
    settings = settings or settings_for(event)
    return jp_of(event, settings) if settings.jp_credited else Decimal(0)


def jp_text(value: Decimal | float | int) -> str:
    """ "2 JP", "2,5 JP" (Indonesian, as printed on certificates)."""
    value = Decimal(str(value))
    if value == value.to_integral_value():
        return f"{int(value)} JP"
    return f"{format_number(value, digits=None)} JP"


def certificate_jp_line(event: Event) -> str | None:
    """The line a training-type certificate prints, e.g. "selama 16 JP (jam pelajaran)"."""
    settings = settings_for(event)
    jp = credited_jp(event, settings)
    if jp <= 0:
        return None
    return f"selama {jp_text(jp)} (jam pelajaran @ {JP_MINUTES} menit)"


@dataclass
class SettingsData:
    tests_enabled: bool
    surveys_enabled: bool
    jp_credited: bool
    jp_override: Decimal | None
    excluded_session_ids: list[int]
    pass_threshold: int
    tests_required_for_certificate: bool


def save_settings(event: Event, data: SettingsData) -> TrainingSettings:
    if data.jp_override is not None:
        if data.jp_override < 0 or data.jp_override > 999:
            raise DomainError(_("JP harus antara 0 dan 999."), field="jp_override")
        if (data.jp_override * 2) != (data.jp_override * 2).to_integral_value():
            raise DomainError(
                _("JP ditulis per setengah JP (mis. 2 atau 2,5)."), field="jp_override"
            )
    if not 0 <= data.pass_threshold <= 100:
        raise DomainError(_("Nilai batas lulus harus antara 0 dan 100."), field="pass_threshold")
    known = {s.id for s in event.sessions}
    settings = settings_for(event)
    if settings.id is None:
        db.session.add(settings)
    settings.tests_enabled = data.tests_enabled
    settings.surveys_enabled = data.surveys_enabled
    settings.jp_credited = data.jp_credited
    settings.jp_override = data.jp_override
    settings.excluded_session_ids = sorted(i for i in data.excluded_session_ids if i in known)
    settings.pass_threshold = data.pass_threshold
    settings.tests_required_for_certificate = data.tests_required_for_certificate
    db.session.flush()
    return settings
