"""Follow-up plans: a task per invited unit and indicator where it applies; attendance linked,
absentees flagged."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from sosialisasi.common.errors import DomainError
from sosialisasi.followup import queries
from sosialisasi.followup.models import FollowUpTask, TaskOrigin, TaskStatus
from sosialisasi.followup.services import assessments as assessment_services
from sosialisasi.followup.services import plans as plan_services
from sosialisasi.registration.models import RegistrationRole
from sosialisasi.units.models import UnitKind


def _indicators(framework, *codes):
    return [i for i in framework.indicators if i.code in codes]


@pytest.fixture()
def scene(ombudsman, past_event, make_unit, make_person, make_registration, check_in, make_user):
    # Public-service units get the service-standard indicators; the Setwan does not (issue 14).
    dinkes = make_unit("Dinas Kesehatan Contoh", public_service=True)
    dinsos = make_unit("Dinas Sosial Contoh", public_service=True)
    pkm = make_unit("Puskesmas Contoh", kind=UnitKind.PUSKESMAS, public_service=True)
    setwan = make_unit("Sekretariat DPRD Contoh", kind=UnitKind.SETWAN)
    event = past_event(dinkes, dinsos, pkm, setwan)
    panitia = make_registration(
        event, make_person("Panitia Dinkes", unit=dinkes), role=RegistrationRole.PANITIA
    )
    ani = make_registration(event, make_person("Ani Rahmawati, S.Kep.", unit=dinkes))
    check_in(panitia)
    check_in(ani)
    budi = make_registration(event, make_person("Budi Santoso", unit=pkm))
    check_in(budi)
    # Dinsos registered somebody who never came; Setwan did not register anyone.
    make_registration(event, make_person("Citra", unit=dinsos))
    organizer = make_user("organizer")
    return {
        "event": event,
        "dinkes": dinkes,
        "dinsos": dinsos,
        "pkm": pkm,
        "setwan": setwan,
        "ani": ani,
        "budi": budi,
        "organizer": organizer,
        "framework": ombudsman,
    }


def _tasks(unit):
    from sosialisasi.extensions import db

    return db.session.scalars(
        select(FollowUpTask).where(FollowUpTask.unit_id == unit.id).order_by(FollowUpTask.id)
    ).all()


def test_plan_creates_tasks_per_unit_and_indicator_linking_attendance(scene, db):
    fw = scene["framework"]
    # Service-standard indicators do not apply to a Sekretariat DPRD (not a public-service
    # unit): it used to get PR-01 and PR-06 anyway.
    chosen = _indicators(fw, "PR-01", "PR-06", "PR-11")
    plan, result = plan_services.save_plan(
        scene["event"],
        fw,
        indicators=chosen,
        due_date=date.today() + timedelta(days=30),
        actor=scene["organizer"],
    )
    db.session.commit()
    assert result.created == 3 + 3 + 3 + 2  # 3 public-service units x 3 + 2 catch-ups
    assert result.not_applicable == 3
    assert sorted(result.absent_units) == ["Dinas Sosial Contoh", "Sekretariat DPRD Contoh"]

    dinkes = _tasks(scene["dinkes"])
    assert len(dinkes) == 3
    # The natural person in charge is the participant who attended, not the panitia.
    assert {t.assignee.name for t in dinkes} == {"Ani Rahmawati, S.Kep."}
    assert all(t.source_registration_id == scene["ani"].id and not t.absent for t in dinkes)
    assert {t.assignee.name for t in _tasks(scene["pkm"])} == {"Budi Santoso"}

    dinsos = _tasks(scene["dinsos"])
    assert len(dinsos) == 4 and all(t.absent and t.assignee is None for t in dinsos)
    assert [t.origin for t in dinsos].count(TaskOrigin.CATCH_UP) == 1
    setwan = _tasks(scene["setwan"])
    assert [t.origin for t in setwan] == [TaskOrigin.CATCH_UP] and setwan[0].absent
    assert all(t.status is TaskStatus.OPEN and t.history[0].action == "created" for t in setwan)


def test_running_the_plan_twice_does_not_duplicate_and_adds_new_indicators(scene, db):
    fw, event, actor = scene["framework"], scene["event"], scene["organizer"]
    due = date.today() + timedelta(days=30)
    plan_services.save_plan(
        event, fw, indicators=_indicators(fw, "PR-01"), due_date=due, actor=actor
    )
    db.session.commit()
    before = db.session.scalar(select(func.count(FollowUpTask.id)))
    _, again = plan_services.save_plan(
        event, fw, indicators=_indicators(fw, "PR-01"), due_date=due, actor=actor
    )
    db.session.commit()
    assert again.created == 0 and again.existing == before
    assert db.session.scalar(select(func.count(FollowUpTask.id))) == before
    _, more = plan_services.save_plan(
        event, fw, indicators=_indicators(fw, "PG-03"), due_date=due, actor=actor
    )
    db.session.commit()
    assert more.created == 4  # one per invited unit, the older ones kept


def test_late_check_in_clears_the_absent_flag_on_regeneration(
    scene, db, check_in, make_registration, make_person
):
    fw, event, actor = scene["framework"], scene["event"], scene["organizer"]
    due = date.today() + timedelta(days=30)
    # PG-03 (complaint handlers' SK) is a management indicator: the Setwan gets it too.
    plan_services.save_plan(
        event, fw, indicators=_indicators(fw, "PG-03"), due_date=due, actor=actor
    )
    db.session.commit()
    late = make_registration(event, make_person("Dewi Setwan", unit=scene["setwan"]))
    check_in(late)
    plan_services.save_plan(
        event, fw, indicators=_indicators(fw, "PG-03"), due_date=due, actor=actor
    )
    db.session.commit()
    task = next(t for t in _tasks(scene["setwan"]) if t.indicator)
    assert not task.absent and task.assignee.name == "Dewi Setwan"


def test_plan_before_the_event_or_without_indicators_is_refused(
    ombudsman, make_event, make_unit, make_user
):
    event = make_event(invite=[make_unit()])  # next week
    actor = make_user("verifier")
    with pytest.raises(DomainError, match="setelah acara dimulai"):
        plan_services.save_plan(
            event,
            ombudsman,
            indicators=ombudsman.indicators[:1],
            due_date=date.today(),
            actor=actor,
        )


def test_plan_page_creates_tasks_and_shows_progress_and_the_event_links_to_it(
    scene, client, login_as, db
):
    login_as("verifier")
    event, fw = scene["event"], scene["framework"]
    ids = [i.id for i in _indicators(fw, "PR-01", "PR-06")]
    response = client.post(
        f"/tindak-lanjut/acara/{event.id}",
        data={
            "framework_id": fw.id,
            "template_id": 0,
            "indicators": ids,
            "due_date": (date.today() + timedelta(days=30)).isoformat(),
            "template_name": "Standar pelayanan inti",
        },
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    # 3 public-service units x 2 + 2 catch-ups (the Setwan gets no service-standard task)
    assert "Rencana tindak lanjut disimpan: 8 tugas baru" in page
    assert "tidak hadir" in page and "Dinas Sosial Contoh" in page
    assert "Standar pelayanan inti" in page  # template saved and offered
    detail = client.get(f"/acara/{event.id}").get_data(as_text=True)
    assert "0/8 terverifikasi" in detail
    summary = queries.event_followup_summary(event)
    total = summary[-1]
    assert total["is_total"] and total["tasks"] == 8 and total["units_attended"] == 2
    row = next(r for r in summary if r["unit"] == "Dinas Sosial Contoh")
    assert row["attended"] is False and row["tasks"] == 3


def test_template_fills_the_indicators(scene, client, login_as, db):
    from sosialisasi.followup.models import PlanTemplate

    fw = scene["framework"]
    template = PlanTemplate(
        name="Pengaduan",
        framework=fw,
        indicator_ids=[i.id for i in _indicators(fw, "PG-01", "PG-03")],
    )
    db.session.add(template)
    db.session.commit()
    login_as("organizer")
    response = client.post(
        f"/tindak-lanjut/acara/{scene['event'].id}",
        data={
            "framework_id": fw.id,
            "template_id": template.id,
            "due_date": (date.today() + timedelta(days=14)).isoformat(),
        },
    )
    assert response.status_code == 302
    codes = {t.indicator.code for t in _tasks(scene["dinkes"])}
    assert codes == {"PG-01", "PG-03"}


def test_tasks_from_weak_indicators_of_an_assessment(ombudsman, make_unit, make_user, db):
    unit = make_unit(public_service=True)
    by_code = {i.code: i.id for i in ombudsman.indicators}
    assessment = assessment_services.record_assessment(
        unit,
        ombudsman,
        year=2024,
        score="70",
        indicator_scores={by_code["PR-01"]: 1, by_code["PR-02"]: 3, by_code["PG-01"]: 2},
        actor=None,
    )
    actor = make_user("verifier")
    result = plan_services.tasks_from_assessment(
        assessment, threshold=3, due_date=date.today(), actor=actor
    )
    again = plan_services.tasks_from_assessment(
        assessment, threshold=3, due_date=date.today(), actor=actor
    )
    db.session.commit()
    assert result.created == 2 and again.created == 0 and again.existing == 2
    assert {t.indicator.code for t in _tasks(unit)} == {"PR-01", "PG-01"}
    assert all(t.origin is TaskOrigin.ASSESSMENT for t in _tasks(unit))


def test_person_page_partial_lists_the_tasks_naming_the_person(scene, db, app):
    plan_services.save_plan(
        scene["event"],
        scene["framework"],
        indicators=_indicators(scene["framework"], "PR-01"),
        due_date=date.today() - timedelta(days=1),
        confirm_late=True,
        actor=scene["organizer"],
    )
    db.session.commit()
    person = scene["ani"].person
    tasks = queries.tasks_for_person(person)
    assert [t.unit.name for t in tasks] == ["Dinas Kesehatan Contoh"]
    from flask import render_template_string
    from flask_login import login_user

    with app.test_request_context():
        from sosialisasi.auth.models import User

        login_user(db.session.scalar(select(User).where(User.role == "organizer")))
        html = render_template_string(
            '{% include "followup/_person_tasks.html" %}',
            person=person,
            # the person page gets these two from followup.routes.partials
            person_tasks=tasks,
            followup_today=date.today(),
        )
    assert "Persyaratan dipublikasikan" in html
    assert "list-group-item-danger" in html  # overdue highlighted
