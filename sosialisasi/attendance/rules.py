"""The event's attendance rule: who "memenuhi syarat" (for a certificate), said in plain words.

One place decides whether a set of attended sessions meets the rule (``meets_rule``); the
attendance read models, the certificate page and the rule change all call it. The rule is
never stored per person: changing it changes eligibility at once, and ``change_rule`` says how
many people gain or lose a certificate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import ngettext

from ..common.wib import to_wib
from ..events.models import AttendanceRule, Event, EventSession


def session_day(session: EventSession) -> date:
    return to_wib(session.starts_at).date()


def required_sessions(event: Event) -> set[int]:
    """Sessions every eligible person must have a scan in (empty for the one-scan rules)."""
    if event.attendance_rule is AttendanceRule.ALL_SESSIONS:
        return {s.id for s in event.sessions}
    if event.attendance_rule is AttendanceRule.ALL_MANDATORY:
        mandatory = {s.id for s in event.sessions if s.mandatory}
        return mandatory or {s.id for s in event.sessions}
    return set()


def requirement_groups(event: Event, rule: AttendanceRule | None = None) -> list[set[int]]:
    """The rule as groups of session ids: someone meets it with a scan in every group (one
    group of all sessions for one scan, one per day, one per required session). SQL reads the
    same groups where a list counts who met the rule (``training.record.unit_jp``)."""
    rule = rule or event.attendance_rule
    if rule is AttendanceRule.ANY_SESSION:
        return [{s.id for s in event.sessions}]
    if rule is AttendanceRule.PER_DAY:
        days: dict[date, set[int]] = {}
        for s in event.sessions:
            days.setdefault(session_day(s), set()).add(s.id)
        return list(days.values())
    if rule is AttendanceRule.ALL_SESSIONS:
        return [{s.id} for s in event.sessions]
    mandatory = [s for s in event.sessions if s.mandatory] or list(event.sessions)
    return [{s.id} for s in mandatory]


def meets_rule(event: Event, attended: set[int], rule: AttendanceRule | None = None) -> bool:
    """Whether someone scanned into the ``attended`` session ids meets the (or another) rule."""
    if not attended:
        return False
    return all(group & attended for group in requirement_groups(event, rule))


def describe(event: Event) -> str:
    """The rule in plain words, as shown next to the agenda and on the certificate page."""
    rule = event.attendance_rule
    if rule is AttendanceRule.ANY_SESSION:
        return _(
            "Peserta yang dipindai satu kali di pintu (di sesi mana pun) memenuhi syarat "
            "sertifikat."
        )
    if rule is AttendanceRule.PER_DAY:
        days = len({session_day(s) for s in event.sessions})
        return ngettext(
            "Peserta harus dipindai satu kali pada hari acara.",
            "Peserta harus dipindai satu kali pada setiap hari acara (%(num)d hari).",
            days,
        )
    if rule is AttendanceRule.ALL_SESSIONS:
        titles = [s.title for s in event.sessions]
    else:
        titles = [s.title for s in event.sessions if s.mandatory] or [
            s.title for s in event.sessions
        ]
    return _(
        "Peserta harus dipindai di setiap sesi berikut: %(sessions)s.",
        sessions=", ".join(titles),
    )


def warnings(event: Event) -> list[str]:
    """What in the set-up the rule cannot be met by (shown on the event page)."""
    out: list[str] = []
    rule = event.attendance_rule
    if rule.per_session and len(required_sessions(event)) > 1:
        scan_points = len(event.staff) + (1 if event.self_checkin_enabled else 0)
        if scan_points <= 1:
            out.append(
                _(
                    "Aturan per sesi memerlukan pemindaian ulang di setiap sesi wajib, tetapi "
                    "hanya ada satu titik pindai. Peserta yang dipindai sekali di pintu tidak "
                    'akan mendapat sertifikat. Pertimbangkan aturan "Satu kali pindai untuk '
                    'seluruh acara".'
                )
            )
    if rule is AttendanceRule.PER_DAY and len({session_day(s) for s in event.sessions}) < 2:
        out.append(_("Acara ini hanya satu hari: aturan per hari sama dengan satu kali pindai."))
    return out


@dataclass
class RuleChange:
    gained: int
    lost: int

    def message(self) -> str:
        if not self.gained and not self.lost:
            return _("Perubahan syarat kehadiran tidak mengubah siapa yang mendapat sertifikat.")
        return _(
            "Syarat kehadiran diubah: %(gained)d orang kini memenuhi syarat sertifikat, "
            "%(lost)d orang tidak lagi memenuhi syarat.",
            gained=self.gained,
            lost=self.lost,
        )


def rule_change(event: Event, new_rule: AttendanceRule) -> RuleChange:
    """How many active registrations gain or lose eligibility if the rule became ``new_rule``."""
    from .queries import active_attendance

    gained = lost = 0
    for attended in active_attendance(event).values():
        before = meets_rule(event, attended)
        after = meets_rule(event, attended, new_rule)
        gained += after and not before
        lost += before and not after
    return RuleChange(gained, lost)
