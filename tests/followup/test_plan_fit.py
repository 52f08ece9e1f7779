"""Issue 14, part 4: a plan makes tasks only where an indicator applies, previewed first; units
can be left out; a deadline in the past is refused unless confirmed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from sosialisasi.cli import run_seed
from sosialisasi.common.errors import DomainError
from sosialisasi.events.models import Event
from sosialisasi.followup.models import FollowUpTask, Framework, TaskOrigin
from sosialisasi.followup.services import plans as plan_services


@pytest.fixture()
def demo(db):
    from sosialisasi.demo import load_demo

    run_seed()
    load_demo()
    db.session.commit()
    event = db.session.scalar(select(Event).where(Event.venue == "Hotel Primebiz Cikarang"))
    fw = db.session.scalar(select(Framework).where(Framework.code == "OMBUDSMAN-2025"))
    return event, fw


def test_demo_primebiz_plan_creates_far_fewer_tasks_than_unit_times_indicator(demo, db):
    event, fw = demo
    from sosialisasi.auth.models import User

    organizer = db.session.scalar(select(User).where(User.username == "panitia"))
    indicators = [i for i in fw.indicators if i.active]
    units = [i.unit for i in event.invitations]
    preview = plan_services.preview_plan(event, indicators)
    _plan, result = plan_services.save_plan(
        event, fw, indicators=indicators, due_date=date(2025, 6, 30), confirm_late=True,
        actor=organizer,
    )  # fmt: skip
    db.session.commit()
    created = db.session.scalar(select(func.count(FollowUpTask.id)))
    public = [u for u in units if u.public_service]
    service = [i for i in indicators if i.service_only]
    per_product = [i for i in service if i.per_product]
    management = [i for i in indicators if not i.service_only]
    absent = len(result.absent_units)
    products = sum(len([p for p in u.products if p.active]) for u in public)
    expected = (
        len(units) * len(management)
        + len(public) * (len(service) - len(per_product))
        + products * len(per_product)
        + absent
    )
    # The demo's numbers: 64 invited units (9 public-service ones with 16 products; the demo
    # puskesmas are invited too, issue 15), 13 indicators (4 management, 9 service-standard of
    # which 2 per product).
    assert (len(units), len(public), products, len(indicators), len(management)) == (
        64, 9, 16, 13, 4,
    )  # fmt: skip
    assert created == result.created == preview.total == expected == 256 + 63 + 32 + absent
    assert created < len(units) * len(indicators) / 2  # 767 before issue 14
    # No service-standard task for a unit that is not a public-service unit.
    wrong = db.session.scalar(
        select(func.count(FollowUpTask.id))
        .join(FollowUpTask.indicator)
        .where(FollowUpTask.unit_id.in_([u.id for u in units if not u.public_service]))
        .where(FollowUpTask.indicator.has(service_only=True))
    )
    assert wrong == 0
    catch_up = db.session.scalars(
        select(FollowUpTask).where(FollowUpTask.origin == TaskOrigin.CATCH_UP)
    ).all()
    assert len(catch_up) == absent and all(t.absent for t in catch_up)
    assert result.late == created  # the deadline was in the past, confirmed


def test_preview_page_counts_per_unit_and_indicator_and_units_can_be_left_out(
    demo, client, login_as, db
):
    event, fw = demo
    login_as("organizer")
    management = [i for i in fw.indicators if not i.service_only][:2]
    disdukcapil = next(i.unit for i in event.invitations if i.unit.code == "DISDUKCAPIL")
    per_product = next(i for i in fw.indicators if i.per_product)
    bappeda = next(i.unit for i in event.invitations if i.unit.code == "BAPPEDA")
    data = {
        "framework_id": fw.id,
        "template_id": 0,
        "indicators": [i.id for i in [*management, per_product]],
        "exclude_units": [bappeda.id],
        "due_date": (date.today() + timedelta(days=30)).isoformat(),
        "pratinjau": "1",
    }
    page = client.post(f"/tindak-lanjut/acara/{event.id}", data=data).get_data(as_text=True)
    assert 'id="plan-preview"' in page
    assert db.session.scalar(select(func.count(FollowUpTask.id))) == 0  # nothing created yet
    row = page[page.index(f'data-preview-unit="{disdukcapil.name}"') :]
    row = row[: row.index("</tr>")]
    assert ">3<" in row  # KTP-el, KK, akta kelahiran: one task per product
    assert f'data-preview-unit="{bappeda.name}"' not in page
    total = int(page.split('id="preview-total">')[1].split("<")[0])
    del data["pratinjau"]
    response = client.post(f"/tindak-lanjut/acara/{event.id}", data=data)
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(FollowUpTask.id))) == total
    assert not db.session.scalar(
        select(func.count(FollowUpTask.id)).where(FollowUpTask.unit_id == bappeda.id)
    )


def test_deadline_in_the_past_is_refused_unless_confirmed_saying_how_many_become_late(
    demo, client, login_as, db
):
    event, fw = demo
    login_as("organizer")
    management = [i for i in fw.indicators if not i.service_only][:1]
    data = {
        "framework_id": fw.id,
        "template_id": 0,
        "indicators": [i.id for i in management],
        "due_date": (date.today() - timedelta(days=3)).isoformat(),
    }
    response = client.post(f"/tindak-lanjut/acara/{event.id}", data=data)
    page = response.get_data(as_text=True)
    planned = plan_services.preview_plan(event, management).total
    assert f"sudah lewat: {planned} tugas akan langsung terlambat" in page
    assert db.session.scalar(select(func.count(FollowUpTask.id))) == 0
    response = client.post(f"/tindak-lanjut/acara/{event.id}", data=data | {"confirm_late": "y"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"{planned} tugas langsung terlambat" in page
    with pytest.raises(DomainError):
        plan_services.save_plan(
            event, fw, indicators=management, due_date=date.today() - timedelta(days=1),
            actor=None,
        )  # fmt: skip
