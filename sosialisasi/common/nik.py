"""NIK (Nomor Induk Kependudukan), the national identity number of people who have no NIP:
THL, BLUD staff, PPPK paruh waktu, guests from outside the Pemkab.

16 digits, often written grouped ``3201 01 520190 0001`` or dotted: province (2), kabupaten/kota
(2), kecamatan (2), date of birth DDMMYY where the day is increased by 40 for women, and a
sequence number (4) that never is 0000.

:func:`parse_id_number` is the one parser of a "NIP/NIK" field: 16 digits are a NIK, anything else
is read as a NIP (and refused with the NIP's reasons).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from .nip import NIP, NIPError, parse_nip


class NIKError(ValueError):
    """The text is not a valid NIK; ``str(err)`` is a message in the user's language."""


@dataclass(frozen=True)
class NIK:
    value: str

    @property
    def gender(self) -> str:
        return "P" if int(self.value[6:8]) > 40 else "L"

    @property
    def grouped(self) -> str:
        v = self.value
        return f"{v[0:6]} {v[6:12]} {v[12:16]}"

    def __str__(self) -> str:
        return self.value


_SEPARATORS = re.compile(r"[\s.\-_/]")
# "NIK. 3201...", "NIK: ...", "nik 3201..." as written on letters and forms.
_PREFIX = re.compile(r"^\s*'?\s*NIK\s*[.:]?\s*", re.IGNORECASE)
# Province codes run from 11 (Aceh) to 96 (Papua Barat Daya); none ends in 0 and none is in the
# 40s. The provinces made in 2022 (93-96) issue their own codes.
_PROVINCES = range(11, 97)


def _digits(raw: object, prefix: re.Pattern[str]) -> str:
    return _SEPARATORS.sub("", prefix.sub("", str(raw or ""))).lstrip("'")


def parse_nik(raw: object) -> NIK:
    """Validate and normalise a NIK. Numbers (Excel floats) are refused, never rounded: Excel
    keeps 15 significant digits, so the 16th digit of a NIK stored as a number is already lost."""
    if isinstance(raw, (bool, int, float)):
        raise NIKError(
            _(
                "NIK tersimpan sebagai angka sehingga digit terakhirnya hilang (Excel hanya "
                "menyimpan 15 digit); simpan kolom NIK sebagai teks"
            )
        )
    text = _digits(raw, _PREFIX)
    if not text:
        raise NIKError(_("NIK kosong"))
    if not text.isdigit():
        raise NIKError(_("NIK hanya boleh berisi angka"))
    if len(text) != 16:
        raise NIKError(_("NIK harus 16 digit (tertulis %(count)d digit)", count=len(text)))
    province = int(text[0:2])
    if province not in _PROVINCES or province % 10 == 0 or 40 <= province < 50:
        raise NIKError(_("2 digit pertama NIK (kode provinsi) tidak ada"))
    if text[2:4] == "00" or text[4:6] == "00":
        raise NIKError(_("kode kabupaten/kota atau kecamatan pada NIK tidak ada"))
    day, month, year = int(text[6:8]), int(text[8:10]), int(text[10:12])
    if day > 40:  # women: day of birth + 40
        day -= 40
    if not any(_is_date(century + year, month, day) for century in (1900, 2000)):
        raise NIKError(
            _("digit ke-7 sampai ke-12 NIK bukan tanggal lahir yang valid (DDMMYY, wanita +40)")
        )
    if text[12:16] == "0000":
        raise NIKError(
            _(
                "NIK berakhiran 0000 tidak ada (nomor urut mulai dari 0001); biasanya digit "
                "terakhirnya hilang karena Excel menyimpan NIK sebagai angka. "
                "Ketik ulang NIK sebagai teks"
            )
        )
    return NIK(text)


def _is_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def is_valid_nik(raw: object) -> bool:
    try:
        parse_nik(raw)
    except NIKError:
        return False
    return True


_ANY_PREFIX = re.compile(r"^\s*'?\s*NI[PK]\s*[.:]?\s*", re.IGNORECASE)


def looks_like_nik(raw: object) -> bool:
    """Whether a "NIP/NIK" value is meant as a NIK: 16 digits once separators are gone, or
    written with a "NIK" prefix."""
    if isinstance(raw, (bool, int, float)):
        return len(str(int(raw))) == 16 if not isinstance(raw, bool) else False
    text = str(raw or "")
    if re.match(r"^\s*'?\s*NIK\b", text, re.IGNORECASE):
        return True
    return len(_digits(text, _ANY_PREFIX)) == 16


def parse_id_number(raw: object) -> NIP | NIK:
    """One "NIP/NIK" field: a NIK when it is 16 digits (or says "NIK"), else a NIP.
    NIPError or NIKError with the reason otherwise. 16 digits that are no NIK but start like a
    NIP (a birth date YYYYMMDD) are a NIP with two digits missing, and told so."""
    if not looks_like_nik(raw):
        return parse_nip(raw)
    try:
        return parse_nik(raw)
    except NIKError:
        text = _digits(raw, _ANY_PREFIX)
        said_nik = re.match(r"^\s*'?\s*NIK\b", str(raw or ""), re.IGNORECASE)
        if not said_nik and text.isdigit() and _starts_like_nip(text):
            raise NIPError(
                _("NIP harus 18 digit (tertulis %(count)d digit)", count=len(text))
            ) from None
        raise


def _starts_like_nip(text: str) -> bool:
    year, month, day = int(text[0:4]), int(text[4:6]), int(text[6:8])
    return 1930 <= year <= date.today().year and _is_date(year, month, day)


__all__ = [
    "NIK",
    "NIKError",
    "NIPError",
    "is_valid_nik",
    "looks_like_nik",
    "parse_id_number",
    "parse_nik",
]
