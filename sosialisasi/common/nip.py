"""NIP (Nomor Induk Pegawai) of Indonesian civil servants.

18 digits, often written grouped ``19860926 201505 1 001``: birth date YYYYMMDD, TMT CPNS YYYYMM,
a gender digit (1 laki-laki, 2 perempuan) and a sequence. PPPK numbers are 18 digits too, but their
digits 9-14 are not a month, so those are not checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _


class NIPError(ValueError):
    """The text is not a valid NIP; ``str(err)`` is a message in the user's language."""


@dataclass(frozen=True)
class NIP:
    value: str

    @property
    def birth_date(self) -> date:
        v = self.value
        return date(int(v[0:4]), int(v[4:6]), int(v[6:8]))

    @property
    def gender(self) -> str:
        return "L" if self.value[14] == "1" else "P"

    def pns_warnings(self) -> list[str]:
        """Doubts about a PNS NIP that do not make it invalid (PPPK numbers are not dates):
        a TMT month that is no month, a CPNS start before the age of 18."""
        v = self.value
        year, month = int(v[8:12]), int(v[12:14])
        if not 1 <= month <= 12:
            return [_("bulan TMT CPNS pada NIP (%(month)02d) bukan bulan yang ada", month=month)]
        born = self.birth_date
        age = year - born.year - (month < born.month)
        if age < 18:
            return [_("menurut NIP, CPNS diangkat pada usia %(age)d tahun", age=age)]
        return []

    @property
    def grouped(self) -> str:
        v = self.value
        return f"{v[0:8]} {v[8:14]} {v[14]} {v[15:18]}"

    def __str__(self) -> str:
        return self.value


_SEPARATORS = re.compile(r"[\s.\-_/]")
# "NIP. 19850315 201001 2 005", "NIP: ...", "nip 1985..." pasted from a signature block.
_PREFIX = re.compile(r"^\s*'?\s*NIP\s*[.:]?\s*", re.IGNORECASE)


def parse_nip(raw: object) -> NIP:
    """Validate and normalise a NIP. Numbers (Excel floats) are refused, never rounded."""
    if isinstance(raw, (bool, int, float)):
        raise NIPError(
            _(
                "NIP tersimpan sebagai angka sehingga digitnya bisa hilang; "
                "simpan kolom NIP sebagai teks"
            )
        )
    text = _SEPARATORS.sub("", _PREFIX.sub("", str(raw or ""))).lstrip("'")
    if not text:
        raise NIPError(_("NIP kosong"))
    if not text.isdigit():
        raise NIPError(_("NIP hanya boleh berisi angka"))
    if len(text) != 18:
        raise NIPError(_("NIP harus 18 digit (tertulis %(count)d digit)", count=len(text)))
    try:
        born = date(int(text[0:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise NIPError(_("8 digit pertama NIP bukan tanggal lahir yang valid")) from None
    if not 1930 <= born.year <= date.today().year - 15:
        raise NIPError(_("tahun lahir pada NIP tidak masuk akal"))
    if text[14] not in "12":
        raise NIPError(_("digit ke-15 NIP (jenis kelamin) harus 1 atau 2"))
    if text[15:] == "000":
        # Excel keeps 15 significant digits: an 18-digit NIP stored as a number comes back with
        # its last three digits as 000. A real NIP never has sequence number 000.
        raise NIPError(
            _(
                "NIP berakhiran 000 tidak ada (nomor urut mulai dari 001); biasanya digit "
                "terakhirnya hilang karena Excel menyimpan NIP sebagai angka. "
                "Ketik ulang NIP sebagai teks"
            )
        )
    return NIP(text)


def is_valid_nip(raw: object) -> bool:
    try:
        parse_nip(raw)
    except NIPError:
        return False
    return True


def format_nip(raw: object, prefix: bool = True) -> str:
    """How a NIP is printed everywhere (pages, letters, daftar hadir, certificates):
    ``NIP. 19860926 201505 1 001``; ``prefix=False`` for a column already labelled NIP.

    Empty gives ``""``; a stored value the parser refuses is shown as it is (never hidden).
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return ""
    try:
        text = parse_nip(str(raw)).grouped
    except NIPError:
        text = str(raw).strip()
    return f"NIP. {text}" if prefix else text
