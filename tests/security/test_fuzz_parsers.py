"""Hypothesis on every parser of outside input: NIP, phone, WIB dates, and the spreadsheet reader.

Each property says what a user relies on: a clear Indonesian error or a correct value, and never
another exception escaping (which would be a 500 page during an import). Runs are bounded
(``max_examples``) so that the suite stays fast; the number of cases is printed.
"""

from __future__ import annotations

import csv
import io
import re
import string
import time
import zipfile
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from sosialisasi.common import tabular
from sosialisasi.common.nip import NIPError, parse_nip
from sosialisasi.common.phone import PhoneError, normalize_phone
from sosialisasi.common.tabular import TableError, read_table
from sosialisasi.common.wib import (
    format_date,
    format_range,
    format_time,
    from_wib,
    to_wib,
)

# What people read, written out by hand (the app takes the words from Babel's locale data).
DAYS = {
    "id": ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
MONTHS = {
    "id": [
        "Januari", "Februari", "Maret", "April", "Mei", "Juni",
        "Juli", "Agustus", "September", "Oktober", "November", "Desember",
    ],
    "en": [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ],
}  # fmt: skip

BOUNDED = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CASES: dict[str, int] = {}


def _count(name: str) -> None:
    CASES[name] = CASES.get(name, 0) + 1


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    total = sum(CASES.values())
    detail = ", ".join(f"{k}={v}" for k, v in sorted(CASES.items()))
    print(f"\nfuzz: {total} generated cases ({detail})")


# --- NIP -------------------------------------------------------------------------------------

ANY_INPUT = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.text(alphabet="0123456789 .-_/'", max_size=30),
    st.integers(),
    st.floats(allow_nan=True),
    st.booleans(),
    st.binary(max_size=30),
)


@BOUNDED
@given(ANY_INPUT)
def test_nip_parser_gives_a_valid_nip_or_an_nip_error(raw):
    _count("nip")
    try:
        nip = parse_nip(raw)
    except NIPError as err:
        assert str(err)  # a reason to show
        return
    assert len(nip.value) == 18 and nip.value.isdigit()
    assert nip.value[14] in "12"
    assert parse_nip(nip.grouped) == nip  # the grouped form reads back the same


@st.composite
def real_nips(draw):
    born = draw(
        st.dates(min_value=date(1930, 1, 1), max_value=date(date.today().year - 16, 12, 31))
    )
    rest = draw(st.text(alphabet=string.digits, min_size=6, max_size=6))
    gender = draw(st.sampled_from("12"))
    # sequence 000 is no real NIP: it is what Excel leaves of one (issue 13)
    seq = f"{draw(st.integers(min_value=1, max_value=999)):03d}"
    return f"{born:%Y%m%d}{rest}{gender}{seq}"


@BOUNDED
@given(real_nips(), st.sampled_from(["", " ", "-", ".", "  "]), st.booleans())
def test_every_real_nip_is_accepted_however_it_is_written(value, sep, quoted):
    _count("nip")
    written = sep.join([value[0:8], value[8:14], value[14], value[15:]])
    if quoted:
        written = "'" + written  # Excel's text marker
    nip = parse_nip(written)
    assert nip.value == value
    assert nip.gender == ("L" if value[14] == "1" else "P")


# --- phone -----------------------------------------------------------------------------------


@BOUNDED
@given(ANY_INPUT)
def test_phone_normaliser_gives_e164_or_a_phone_error(raw):
    _count("phone")
    try:
        phone = normalize_phone(raw)
    except PhoneError as err:
        assert str(err)
        return
    assert phone.startswith("+628") and phone[1:].isdigit()
    assert 9 <= len(phone) - 3 <= 12
    assert normalize_phone(phone) == phone  # idempotent


@BOUNDED
@given(st.text(alphabet=string.digits, min_size=8, max_size=11))
def test_the_usual_ways_of_writing_one_number_agree(rest):
    _count("phone")
    national = "8" + rest
    variants = [
        "0" + national,
        "+62" + national,
        "62" + national,
        national,
        f"+62 {national[:3]} {national[3:7]} {national[7:]}",
        f"0{national[:3]}-{national[3:7]}-{national[7:]}",
    ]
    assert {normalize_phone(v) for v in variants} == {"+62" + national}


# --- WIB dates -------------------------------------------------------------------------------

MOMENTS = st.datetimes(
    min_value=datetime(1970, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)


@BOUNDED
@given(MOMENTS)
def test_wib_is_utc_plus_seven_and_round_trips(moment):
    _count("wib")
    local = to_wib(moment)
    assert local.utcoffset() == timedelta(hours=7)
    assert from_wib(local.date(), local.time()) == moment
    assert to_wib(moment.replace(tzinfo=None)) == local  # naive values are UTC


@BOUNDED
@given(MOMENTS, st.sampled_from(["id", "en", None, "en-US", "xx"]))
def test_dates_are_written_the_indonesian_way(moment, lang):
    _count("wib")
    local = to_wib(moment)
    text = format_date(moment, lang)
    table = "en" if (lang or "id").startswith("en") else "id"
    assert text == (
        f"{DAYS[table][local.weekday()]}, {local.day} {MONTHS[table][local.month - 1]} {local.year}"
    )
    assert format_time(moment) == f"{local:%H}.{local:%M} WIB"


@BOUNDED
@given(MOMENTS, st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=5)))
def test_ranges_name_both_ends(start, length):
    _count("wib")
    end = start + length
    text = format_range(start, end)
    assert text.endswith("WIB")
    assert format_time(start, zone=False) in text and format_time(end, zone=False) in text
    same_day = to_wib(start).date() == to_wib(end).date()
    assert (" - " not in text) == same_day


# --- the spreadsheet reader ------------------------------------------------------------------

ALIASES = {"name": ("nama", "nama lengkap"), "nip": ("nip",), "unit": ("unit kerja", "instansi")}
REQUIRED = ("name",)
NAMES = st.sampled_from(
    ["data.csv", "data.xlsx", "data.txt", "data.xls", "DATA.CSV", "x.pdf", "", "a.xlsm"]
)


def _read(data: bytes, name: str):
    """The reader's contract: a Table or a TableError with a message, nothing else."""
    try:
        table = read_table(data, name, ALIASES, REQUIRED)
    except TableError as err:
        assert str(err)
        return None
    assert "name" in table.columns
    for number, values in table.rows:
        assert number > table.header_row
        assert set(values) == set(table.columns)
    return table


@BOUNDED
@given(st.binary(max_size=4096), NAMES)
def test_random_bytes_never_escape_as_another_exception(data, name):
    _count("reader")
    _read(data, name)


CSV_TEXT = st.text(alphabet=st.sampled_from(list("ab;,\t|\"'\n\r =+x0Ñé\x00")), max_size=400)


@BOUNDED
@given(CSV_TEXT, st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
def test_broken_csv_in_any_encoding_gives_a_table_or_a_clear_error(body, encoding):
    _count("reader")
    try:
        data = ("Nama;NIP\n" + body).encode(encoding)
    except UnicodeEncodeError:
        data = ("Nama;NIP\n" + body).encode(encoding, errors="replace")
    _read(data, "peserta.csv")


def _xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOOD_XLSX = _xlsx([["DAFTAR PESERTA"], ["No", "Nama", "NIP"], [1, "Budi", "19860926 201505 1 001"]])


@BOUNDED
@given(st.integers(min_value=0, max_value=len(GOOD_XLSX) - 1), st.binary(min_size=1, max_size=64))
def test_damaged_xlsx_gives_a_table_or_a_clear_error(offset, patch):
    _count("reader")
    damaged = GOOD_XLSX[:offset] + patch + GOOD_XLSX[offset + len(patch) :]
    _read(damaged, "peserta.xlsx")
    _read(GOOD_XLSX[:offset], "peserta.xlsx")  # truncated upload


def _future_zip_version(data: bytes) -> bytes:
    """The same archive claiming it needs ZIP version 6.4 (zipfile raises NotImplementedError)."""
    at = data.index(b"PK\x01\x02")
    return data[: at + 6] + (64).to_bytes(2, "little") + data[at + 8 :]


def test_xlsx_needing_a_future_zip_version_is_a_clear_error():
    """Found by the property above on PostgreSQL CI: NotImplementedError escaped."""
    with pytest.raises(TableError, match="rusak"):
        read_table(_future_zip_version(GOOD_XLSX), "peserta.xlsx", ALIASES, REQUIRED)


def test_a_good_xlsx_reads_with_row_numbers_as_excel_shows_them():
    table = _read(GOOD_XLSX, "peserta.xlsx")
    assert table.header_row == 2
    assert table.rows == [(3, {"name": "Budi", "nip": "19860926 201505 1 001"})]


def test_windows_1252_csv_keeps_accented_names():
    data = "Nama;NIP;Unit Kerja\nJosé Ñoño;'198609262015051001;Dinas Kesehatan\n".encode("cp1252")
    table = _read(data, "peserta.csv")
    assert table.rows[0][1]["name"] == "José Ñoño"


def test_utf8_bom_followed_by_invalid_bytes_is_read_not_crashed():
    data = b"\xef\xbb\xbfNama;NIP\nJos\xe9;1\n"
    table = _read(data, "peserta.csv")
    assert table is not None and table.rows[0][1]["name"] == "José"


def _bomb(size: int, *, declared: int | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * size)
    data = buffer.getvalue()
    if declared is not None:
        # Lie about the uncompressed size in the central directory.
        data = data.replace(size.to_bytes(4, "little"), declared.to_bytes(4, "little"))
    return data


def test_xlsx_that_expands_past_the_limit_is_refused_quickly():
    bomb = _bomb(tabular.MAX_UNCOMPRESSED + 1024 * 1024)
    assert len(bomb) < 200 * 1024  # small on the wire
    started = time.perf_counter()
    with pytest.raises(TableError, match="terlalu besar"):
        read_table(bomb, "peserta.xlsx", ALIASES, REQUIRED)
    assert time.perf_counter() - started < 2
    mib = tabular.MAX_UNCOMPRESSED // 2**20 + 1
    print(f"\nzip bomb: {len(bomb)} bytes expanding to {mib} MiB refused")


def test_xlsx_lying_about_its_size_is_not_expanded(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_UNCOMPRESSED", 1024 * 1024)
    bomb = _bomb(8 * 1024 * 1024, declared=1000)
    started = time.perf_counter()
    with pytest.raises(TableError):
        read_table(bomb, "peserta.xlsx", ALIASES, REQUIRED)
    assert time.perf_counter() - started < 5


def test_a_sheet_claiming_a_million_rows_and_columns_is_cut_short():
    """Formatting down to row 1,048,576 / column XFD must not make the reader walk it."""
    buffer = io.BytesIO(_xlsx([["Nama", "NIP"], ["Budi", "1"]]))
    with zipfile.ZipFile(buffer) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet = re.sub(r'<dimension ref="[^"]+" ?/>', '<dimension ref="A1:XFD1048576"/>', sheet)
    assert "XFD1048576" in sheet
    sheet = sheet.replace(
        "</sheetData>",
        '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
    )
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, body in parts.items():
            target.writestr(name, body)
    started = time.perf_counter()
    try:
        table = read_table(out.getvalue(), "peserta.xlsx", ALIASES, REQUIRED)
    except TableError as err:
        assert str(err)
    else:
        assert table.rows[0] == (2, {"name": "Budi", "nip": "1"})
    assert time.perf_counter() - started < 5


def test_csv_with_a_huge_field_or_row_gives_a_clear_error_fast():
    started = time.perf_counter()
    wide = "Nama," + "," * 2_000_000 + "\nBudi\n"
    _read(wide.encode(), "peserta.csv")
    huge = 'Nama\n"' + "x" * 300_000 + '"\n'
    _read(huge.encode(), "peserta.csv")
    assert time.perf_counter() - started < 5


def test_csv_semicolon_comma_and_tab_are_all_sniffed():
    for delimiter in ";,\t":
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter).writerows(
            [["Nama", "NIP"], ["Budi, S.Kom.", "198609262015051001"]]
        )
        table = _read(buffer.getvalue().encode(), "p.csv")
        assert table.rows[0][1]["name"] == "Budi, S.Kom.", delimiter


# --- uploaded photos (documents) ---------------------------------------------------------------


def _image(kind: str) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 200)).save(buffer, kind)
    return buffer.getvalue()


GOOD_IMAGES = {"JPEG": _image("JPEG"), "PNG": _image("PNG")}


@BOUNDED
@given(
    st.sampled_from(sorted(GOOD_IMAGES)),
    st.integers(min_value=0, max_value=600),
    st.binary(min_size=1, max_size=32),
)
def test_damaged_photos_are_refused_with_a_reason(kind, offset, patch):
    from sosialisasi.common.errors import DomainError
    from sosialisasi.documents.files import process_photo

    _count("photo")
    good = GOOD_IMAGES[kind]
    offset = offset % len(good)
    for data in (good[:offset] + patch + good[offset + len(patch) :], good[:offset]):
        try:
            stored = process_photo(data)
        except DomainError as err:
            assert err.message and err.field == "file"
        else:
            assert stored.data[:3] == b"\xff\xd8\xff"  # re-encoded as JPEG
