"""The door's search (scanner page, ``/api/v1/events/<id>/search``) finds people by name, NIP and
their unit's name, short name or alias (issue 16: unit names did not match)."""

from __future__ import annotations

import pytest

from sosialisasi.checkin.queries import search
from sosialisasi.registration.models import EmployeeKind


@pytest.fixture()
def door(db, make_event, make_unit, make_person, make_registration):
    event = make_event()
    pariwisata = make_unit(
        "Dinas Kebudayaan dan Pariwisata", short_name="Disbudpar", aliases=["Dinas Pariwisata"]
    )
    rina = make_registration(event, make_person("Rina Wulandari", unit=pariwisata))
    budi = make_registration(
        event,
        make_person("Budi Santoso", unit=make_unit("Kecamatan Cibitung"), nip="198001012005011002"),
    )
    # A registration without a unit of its own: the person's unit counts.
    tamu = make_person("Tamu Undangan", unit=pariwisata, kind=EmployeeKind.NON_ASN, nip=None)
    guest = make_registration(event, tamu)
    guest.unit = None
    db.session.commit()
    return event, rina, budi, guest


@pytest.mark.parametrize(
    "typed",
    [
        "pariwisata",
        "PARIWISATA",
        "Kebudayaan  dan   Pariwisata",  # spaces as a phone keyboard types them
        "kebudayaan, dan pariwisata",
        "disbudpar",
        "Dinas Pariwisata",  # an alias
    ],
)
def test_unit_names_match_however_they_are_typed(db, door, typed):
    event, rina, _budi, guest = door
    db.session.commit()
    assert {r.id for r in search(event, typed)} == {rina.id, guest.id}


def test_name_and_nip_still_match_and_other_units_do_not(db, door):
    event, rina, budi, _guest = door
    db.session.commit()
    assert [r.id for r in search(event, "cibitung")] == [budi.id]
    assert [r.id for r in search(event, "wulandari")] == [rina.id]
    assert [r.id for r in search(event, "19800101")] == [budi.id]
    assert search(event, "dinas kesehatan") == []
    assert search(event, "pa") == []  # too short: nobody browses the list


def test_the_scanner_search_answers_with_the_unit(client, login_as, db, door):
    event, rina, _budi, guest = door
    db.session.commit()
    login_as("organizer")
    body = client.get(f"/api/v1/events/{event.id}/search?q=Disbudpar").get_json()
    assert sorted(r["name"] for r in body["results"]) == ["Rina Wulandari", "Tamu Undangan"]
    assert {r["unit"] for r in body["results"]} == {"Dinas Kebudayaan dan Pariwisata"}
