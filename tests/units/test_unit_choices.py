"""One list of units for every select field."""

from __future__ import annotations

from sosialisasi.auth.models import Role
from sosialisasi.units.models import UnitKind
from sosialisasi.units.services import unit_choices


def test_unit_choices_are_the_active_units_by_name(make_unit, db):
    root = make_unit("Pemerintah Kabupaten Contoh", kind=UnitKind.PEMDA)
    b = make_unit("Dinas B")
    a = make_unit("Dinas A")
    make_unit("Dinas Lama", active=False)
    assert unit_choices() == [(a.id, a.label), (b.id, b.label), (root.id, root.label)]
    assert unit_choices(with_root=False) == [(a.id, a.label), (b.id, b.label)]
    assert unit_choices(blank="-")[0] == (0, "-")


def test_event_and_user_forms_offer_the_same_units(client, login_as, make_unit):
    make_unit("Dinas Aktif")
    make_unit("Dinas Lama", active=False)
    login_as(Role.ADMIN)
    for page in ("/acara/baru", "/pengguna/baru"):
        html = client.get(page).get_data(as_text=True)
        assert "Dinas Aktif" in html and "Dinas Lama" not in html, page
