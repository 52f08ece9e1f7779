from datetime import UTC, date, datetime, time

import pytest

from sosialisasi.common.nip import NIPError, parse_nip
from sosialisasi.common.phone import PhoneError, normalize_phone, whatsapp_link
from sosialisasi.common.text import safe_cell
from sosialisasi.common.wib import format_date, format_datetime, format_range, from_wib


@pytest.mark.parametrize(
    "raw",
    ["198609262015051001", "19860926 201505 1 001", "19860926-201505-1-001", "'198609262015051001"],
)
def test_nip_written_grouped_or_plain_is_normalised(raw):
    nip = parse_nip(raw)
    assert nip.value == "198609262015051001"
    assert nip.birth_date == date(1986, 9, 26)
    assert nip.gender == "L"
    assert nip.grouped == "19860926 201505 1 001"


def test_pppk_nip_with_non_month_digits_is_accepted():
    assert parse_nip("199001012021212001").gender == "P"  # digits 13-14 "21" are no month


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("19860926201505100", "18 digit"),
        ("19861326201505 1001", "tanggal lahir"),
        ("198609262015053001", "jenis kelamin"),
        ("1986O9262015051001", "hanya boleh berisi angka"),
        (1.9860926201505101e17, "sebagai angka"),
        (198609262015051001, "sebagai angka"),
        ("", "kosong"),
    ],
)
def test_bad_nip_gets_an_indonesian_reason(raw, message):
    with pytest.raises(NIPError, match=message):
        parse_nip(raw)


@pytest.mark.parametrize(
    "raw",
    ["0812-3456-7890", "+62 812 3456 7890", "6281234567890", "81234567890", "(0812) 3456 7890"],
)
def test_phone_numbers_normalise_to_e164(raw):
    assert normalize_phone(raw) == "+6281234567890"


@pytest.mark.parametrize("raw", ["021-8900123", "12345", "0812abc", 81234567890.0])
def test_bad_phone_numbers_are_refused(raw):
    with pytest.raises(PhoneError):
        normalize_phone(raw)


def test_whatsapp_link_uses_international_number_and_encodes_text():
    link = whatsapp_link("+6281234567890", "Tiket: https://x/t/abc?d=1 & lainnya")
    assert link.startswith("https://wa.me/6281234567890?text=Tiket%3A%20https%3A")


def test_dates_are_written_the_indonesian_way_in_wib():
    at = from_wib(date(2025, 2, 14), time(8, 30))
    assert at == datetime(2025, 2, 14, 1, 30, tzinfo=UTC)
    assert format_date(at) == "Jumat, 14 Februari 2025"
    assert format_datetime(at) == "Jumat, 14 Februari 2025, 08.30 WIB"
    assert format_date(at, "en") == "Friday, 14 February 2025"
    end = from_wib(date(2025, 2, 14), time(12, 0))
    assert format_range(at, end) == "Jumat, 14 Februari 2025, 08.30-12.00 WIB"


def test_late_utc_evening_is_the_next_day_in_wib():
    assert format_date(datetime(2025, 2, 13, 20, 0, tzinfo=UTC)) == "Jumat, 14 Februari 2025"


@pytest.mark.parametrize("cell", ['=HYPERLINK("x")', "+1", "-2+3", "@SUM(A1)"])
def test_formula_cells_are_neutralised(cell):
    assert safe_cell(cell) == "'" + cell
    assert safe_cell("Dinas Kesehatan") == "Dinas Kesehatan"
