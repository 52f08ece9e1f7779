"""The protocol order of the surat undangan, edited as one list (issue 15): one page where an
organizer numbers the unit kinds and saves once; the letter lists its addressees in that order."""

from __future__ import annotations

from sosialisasi.auth.models import Role
from sosialisasi.documents import services
from sosialisasi.units.models import UnitKind

from .conftest import pdf_text

URL = "/pengaturan/urutan-protokol"


def _numbers(kinds: list[UnitKind]) -> dict[str, int]:
    return {kind.value: number for number, kind in enumerate(kinds, start=1)}


def test_the_page_lists_every_kind_in_the_built_in_order(client, login_as, ready_event, db):
    ready_event(3)
    login_as(Role.ORGANIZER)
    page = client.get(URL)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    order = [text.index(f'data-kind="{kind.value}"') for kind in services.PROTOCOL_ORDER]
    assert order == sorted(order)  # Sekretariat Daerah first, puskesmas near the end
    assert "RSUD Kabupaten Bekasi" in text  # examples of the units of each kind
    login_as(Role.UNIT_OPERATOR)
    assert client.get(URL).status_code == 403


def test_an_organizer_reorders_the_list_and_the_undangan_follows(
    client, login_as, ready_event, letterhead, db
):
    event = ready_event(3)  # Dinkes, Kecamatan Cikarang Selatan, RSUD Kabupaten Bekasi
    before = [a.head for a in services.addressees(event)]
    assert before == [
        "Kepala Dinas Kesehatan",
        "Direktur RSUD Kabupaten Bekasi",
        "Camat Cikarang Selatan",
    ]
    # Kecamatan first, then RSUD, then the rest as they were: one save for the whole list.
    kinds = services.protocol_order()
    wanted = [UnitKind.KECAMATAN, UnitKind.RSUD] + [
        k for k in kinds if k not in (UnitKind.KECAMATAN, UnitKind.RSUD)
    ]
    login_as(Role.ORGANIZER)
    response = client.post(URL, data=_numbers(wanted))
    assert response.status_code == 302
    assert services.protocol_order() == wanted
    heads = [a.head for a in services.addressees(event)]
    assert heads == [
        "Camat Cikarang Selatan",
        "Direktur RSUD Kabupaten Bekasi",
        "Kepala Dinas Kesehatan",
    ]
    letter = client.get(f"/acara/{event.id}/dokumen/surat-undangan.pdf")
    assert letter.status_code == 200
    text = pdf_text(letter.data)
    assert text.index("Camat Cikarang Selatan") < text.index("Kepala Dinas Kesehatan")
    page = client.get(URL).get_data(as_text=True)
    assert page.index('data-kind="kecamatan"') < page.index('data-kind="dinas"')


def test_a_changed_number_goes_before_an_unchanged_one_and_bad_input_is_refused(
    client, login_as, ready_event, db
):
    ready_event(1)
    login_as(Role.ORGANIZER)
    kinds = services.protocol_order()
    numbers = _numbers(kinds) | {"puskesmas": 1}  # puskesmas first, the rest unchanged
    assert client.post(URL, data=numbers).status_code == 302
    assert services.protocol_order() == [UnitKind.PUSKESMAS] + [
        k for k in kinds if k is not UnitKind.PUSKESMAS
    ]
    refused = client.post(URL, data=_numbers(kinds) | {"dinas": "", "badan": "0"})
    assert refused.status_code == 400
    assert "Wajib diisi." in refused.text and "Isi angka 1 sampai 99." in refused.text
    assert services.protocol_order()[0] is UnitKind.PUSKESMAS  # nothing saved


def test_a_units_own_rank_still_overrides_its_kind(client, login_as, ready_event, letterhead, db):
    event = ready_event(3)
    rsud = next(inv.unit for inv in event.invitations if inv.unit.kind is UnitKind.RSUD)
    services.save_addressing(rsud, title="", protocol_rank=0)
    db.session.commit()
    assert services.addressees(event)[0].unit == rsud
