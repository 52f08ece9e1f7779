"""One list of units for every select field."""

from __future__ import annotations

from sosialisasi.auth.models import Role
from sosialisasi.units.models import UnitKind
from sosialisasi.units.services import unit_choices


def test_unit_choices_are_the_active_units_by_name(make_unit, db):
    # The seeded catalogue is there too: look at the units this test made, in their order.
    root = make_unit("AAA Pemerintah Kabupaten Contoh", kind=UnitKind.PEMDA)
    b = make_unit("AAB Dinas B")
    a = make_unit("AAA Dinas A")
    old = make_unit("AAA Dinas Lama", active=False)
    mine = {root.id, a.id, b.id, old.id}

    def made_here(choices):
        return [c for c in choices if c[0] in mine]

    assert made_here(unit_choices()) == [(a.id, a.label), (root.id, root.label), (b.id, b.label)]
    assert made_here(unit_choices(with_root=False)) == [(a.id, a.label), (b.id, b.label)]
    assert unit_choices(blank="-")[0] == (0, "-")


def test_event_and_user_forms_offer_the_same_units(client, login_as, make_unit):
    make_unit("Dinas Aktif")
    make_unit("Dinas Lama", active=False)
    login_as(Role.ADMIN)
    for page in ("/acara/baru", "/pengguna/baru"):
        html = client.get(page).get_data(as_text=True)
        assert "Dinas Aktif" in html and "Dinas Lama" not in html, page
