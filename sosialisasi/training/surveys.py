"""Evaluation surveys (evaluasi penyelenggaraan, evaluasi narasumber) and their index.

The index follows PermenPANRB 14/2017 (Survei Kepuasan Masyarakat): answers 1-4; per element the
mean; index = mean of the element means x 25 (25-100), rounded to two decimals; category by the
rounded value: 25,00-64,99 D (Tidak Baik), 65,00-76,60 C (Kurang Baik), 76,61-88,30 B (Baik),
88,31-100,00 A (Sangat Baik).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..common.errors import DomainError
from ..common.types import utcnow
from ..common.wib import format_number
from ..events.models import Event, Speaker
from ..extensions import db
from ..registration.models import Registration, RegistrationStatus
from .models import Survey, SurveyElement, SurveyKind, SurveyResponse, SurveyValue

EVENT_ELEMENTS = ("Materi", "Narasumber", "Waktu", "Tempat", "Konsumsi", "Panitia")
SPEAKER_ELEMENTS = (
    "Penguasaan materi",
    "Cara penyampaian",
    "Ketepatan waktu",
    "Kemampuan menjawab pertanyaan",
)
SCALE = {1: "Tidak baik", 2: "Kurang baik", 3: "Baik", 4: "Sangat baik"}
TWO = Decimal("0.01")
# (lowest converted value, grade, label), highest first
CATEGORIES = (
    (Decimal("88.31"), "A", "Sangat Baik"),
    (Decimal("76.61"), "B", "Baik"),
    (Decimal("65.00"), "C", "Kurang Baik"),
    (Decimal("25.00"), "D", "Tidak Baik"),
)


def category(index: Decimal) -> tuple[str, str]:
    """("A", "Sangat Baik") for an index already rounded to two decimals."""
    for low, grade, label in CATEGORIES:
        if index >= low:
            return grade, label
    return "D", "Tidak Baik"


def ikm_index(element_means: list[Decimal]) -> Decimal | None:
    if not element_means:
        return None
    mean = sum(element_means, Decimal(0)) / len(element_means)
    return (mean * 25).quantize(TWO, ROUND_HALF_UP)


# --- building surveys -------------------------------------------------------------------------


def surveys_of(event: Event) -> list[Survey]:
    return list(
        db.session.scalars(
            select(Survey)
            .options(selectinload(Survey.elements))
            .where(Survey.event_id == event.id)
            .order_by(Survey.kind, Survey.id)
        )
    )


def _labels(labels: list[str]) -> list[str]:
    cleaned = []
    for label in labels:
        label = " ".join((label or "").split())[:200]
        if label and label not in cleaned:
            cleaned.append(label)
    if not cleaned:
        raise DomainError(
            _("Survei harus punya paling sedikit satu unsur penilaian."), field="elements"
        )
    return cleaned


def create_survey(
    event: Event,
    *,
    kind: SurveyKind,
    title: str,
    elements: list[str],
    anonymous: bool = True,
    speaker: Speaker | None = None,
) -> Survey:
    labels = _labels(elements)
    if kind is SurveyKind.SPEAKER and (speaker is None or speaker.event_id != event.id):
        raise DomainError(_("Pilih narasumber yang dievaluasi."), field="speaker_id")
    title = (title or "").strip() or (
        f"Evaluasi narasumber: {speaker.name}" if speaker else "Evaluasi penyelenggaraan"
    )
    survey = Survey(
        event_id=event.id,
        kind=kind,
        speaker_id=speaker.id if speaker and kind is SurveyKind.SPEAKER else None,
        title=title[:250],
        anonymous=anonymous,
    )
    for i, label in enumerate(labels):
        survey.elements.append(SurveyElement(label=label, position=i))
    db.session.add(survey)
    db.session.flush()
    return survey


def create_default_surveys(event: Event, *, anonymous: bool = True) -> list[Survey]:
    """The standard templates: one evaluasi penyelenggaraan, one evaluasi per speaker (those
    that do not exist yet)."""
    have = surveys_of(event)
    made = []
    if not any(s.kind is SurveyKind.EVENT for s in have):
        made.append(
            create_survey(
                event,
                kind=SurveyKind.EVENT,
                title="Evaluasi penyelenggaraan",
                elements=list(EVENT_ELEMENTS),
                anonymous=anonymous,
            )
        )
    rated = {s.speaker_id for s in have if s.kind is SurveyKind.SPEAKER}
    for speaker in event.speakers:
        if speaker.id not in rated:
            made.append(
                create_survey(
                    event,
                    kind=SurveyKind.SPEAKER,
                    title="",
                    elements=list(SPEAKER_ELEMENTS),
                    anonymous=anonymous,
                    speaker=speaker,
                )
            )
    return made


def _has_responses(survey: Survey) -> bool:
    return (
        db.session.scalar(
            select(SurveyResponse.id).where(SurveyResponse.survey_id == survey.id).limit(1)
        )
        is not None
    )


def update_survey(survey: Survey, *, title: str, elements: list[str], anonymous: bool) -> Survey:
    labels = _labels(elements)
    if _has_responses(survey):
        raise DomainError(_("Survei yang sudah diisi tidak dapat diubah unsurnya."))
    survey.title = ((title or "").strip() or survey.title)[:250]
    survey.anonymous = anonymous
    survey.elements.clear()
    db.session.flush()
    for i, label in enumerate(labels):
        survey.elements.append(SurveyElement(label=label, position=i))
    db.session.flush()
    return survey


def open_survey(survey: Survey, *, now: datetime | None = None) -> None:
    now = now or utcnow()
    if survey.closes_at is not None and survey.closes_at <= now:
        raise DomainError(_("Survei sudah ditutup dan tidak dapat dibuka lagi."))
    if not survey.elements:
        raise DomainError(_("Survei harus punya paling sedikit satu unsur penilaian."))
    if survey.opens_at is None or survey.opens_at > now:
        survey.opens_at = now
    db.session.flush()


def close_survey(survey: Survey, *, now: datetime | None = None) -> None:
    now = now or utcnow()
    if survey.opens_at is None:
        raise DomainError(_("Survei belum dibuka."))
    if survey.closes_at is not None and survey.closes_at <= now:
        raise DomainError(_("Survei sudah ditutup."))
    survey.closes_at = now
    db.session.flush()


# --- answering --------------------------------------------------------------------------------


def respondent_key(survey: Survey, registration: Registration) -> str:
    """A keyed hash (the event's secret): one answer per ticket, without keeping who."""
    raw = f"{registration.event.secret}:{survey.id}:{registration.id}".encode()
    return hashlib.sha256(raw).hexdigest()


def has_answered(survey: Survey, registration: Registration) -> bool:
    return (
        db.session.scalar(
            select(SurveyResponse.id).where(
                SurveyResponse.survey_id == survey.id,
                SurveyResponse.respondent_key == respondent_key(survey, registration),
            )
        )
        is not None
    )


def submit_response(
    survey: Survey,
    registration: Registration,
    *,
    values: dict[int, int],
    comment: str = "",
    now: datetime | None = None,
) -> SurveyResponse:
    now = now or utcnow()
    if registration.event_id != survey.event_id:
        raise DomainError(_("Tiket ini bukan untuk acara survei ini."))
    if registration.status is not RegistrationStatus.REGISTERED:
        raise DomainError(_("Hanya peserta terdaftar yang dapat mengisi survei."))
    if survey.closes_at is not None and survey.closes_at <= now:
        raise DomainError(_("Survei sudah ditutup; jawaban tidak lagi diterima."))
    if not survey.is_open(now):
        raise DomainError(_("Survei belum dibuka."))
    if has_answered(survey, registration):
        raise DomainError(_("Anda sudah mengisi survei ini. Setiap peserta hanya satu kali."))
    missing = [e.label for e in survey.elements if values.get(e.id) not in SCALE]
    if missing:
        raise DomainError(
            _("Beri nilai 1-4 untuk setiap unsur: %(items)s.", items=", ".join(missing))
        )
    response = SurveyResponse(
        survey_id=survey.id,
        respondent_key=respondent_key(survey, registration),
        registration_id=None if survey.anonymous else registration.id,
        comment=(comment or "").strip()[:2000] if survey.allow_comment else "",
        submitted_at=now,
    )
    for element in survey.elements:
        response.values.append(SurveyValue(element_id=element.id, value=values[element.id]))
    db.session.add(response)
    db.session.flush()
    return response


# --- results ----------------------------------------------------------------------------------


@dataclass
class ElementResult:
    label: str
    mean: Decimal | None
    counts: list[int]  # answers of 1, 2, 3, 4

    @property
    def converted(self) -> Decimal | None:
        return None if self.mean is None else (self.mean * 25).quantize(TWO, ROUND_HALF_UP)


@dataclass
class SurveyResults:
    survey: Survey
    responses: int
    elements: list[ElementResult]
    index: Decimal | None
    grade: str | None
    grade_label: str | None
    comments: list[tuple[str, str]] = field(default_factory=list)  # (who or "", text)

    def chart(self) -> dict:
        return {
            "labels": [e.label for e in self.elements],
            "means": [float(e.mean) if e.mean is not None else None for e in self.elements],
            "counts": {str(v): [e.counts[v - 1] for e in self.elements] for v in SCALE},
        }


def results(survey: Survey) -> SurveyResults:
    responses = list(
        db.session.scalars(
            select(SurveyResponse)
            .options(selectinload(SurveyResponse.values), selectinload(SurveyResponse.registration))
            .where(SurveyResponse.survey_id == survey.id)
            .order_by(SurveyResponse.submitted_at)
        )
    )
    per_element: dict[int, list[int]] = {e.id: [] for e in survey.elements}
    comments = []
    for response in responses:
        for v in response.values:
            per_element.setdefault(v.element_id, []).append(v.value)
        if response.comment:
            who = ""
            if not survey.anonymous and response.registration is not None:
                who = response.registration.person.name
            comments.append((who, response.comment))
    elements = []
    for e in survey.elements:
        values = per_element.get(e.id, [])
        mean = (Decimal(sum(values)) / len(values)).quantize(TWO, ROUND_HALF_UP) if values else None
        elements.append(ElementResult(e.label, mean, [values.count(v) for v in SCALE]))
    # The index from the exact means (rounding happens once, on the index).
    exact = [
        Decimal(sum(per_element[e.id])) / len(per_element[e.id])
        for e in survey.elements
        if per_element.get(e.id)
    ]
    index = ikm_index(exact)
    grade, label = category(index) if index is not None else (None, None)
    return SurveyResults(survey, len(responses), elements, index, grade, label, comments)


def event_summary(event: Event) -> list[SurveyResults]:
    """Every survey's results (for the laporan kegiatan and the event's pages)."""
    return [results(s) for s in surveys_of(event)]


def report_lines(event: Event) -> list[str]:
    """The evaluation summary for the laporan kegiatan: one line per survey that has answers."""
    lines = []
    for res in event_summary(event):
        if not res.responses or res.index is None:
            continue
        index = format_number(res.index)
        lines.append(
            f"{res.survey.title}: {res.responses} responden, indeks {index} "
            f"(mutu {res.grade}, {res.grade_label})"
        )
    return lines
