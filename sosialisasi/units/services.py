"""The perangkat daerah catalogue: editing, seeding, importing and name lookup."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from ..audit.services import record
from ..common.errors import DomainError
from ..common.text import fold
from ..extensions import db
from .models import Unit, UnitKind

if TYPE_CHECKING:
    from ..auth.models import User
    from ..common.tabular import Table

ROOT_CODE = "PEMDA"

# Words that say "of the district" and add nothing to a unit's identity.
_TRAILING = re.compile(r"\b(pemerintah\s+)?(kab|kabupaten)\s+bekasi\b|\bpemkab\s+bekasi\b")
_PREFIXES = {
    "kec": "kecamatan",
    "kel": "kelurahan",
    "pkm": "puskesmas",
    "uptd puskesmas": "puskesmas",
    "upt puskesmas": "puskesmas",
    "dinas": "dinas",
    "din": "dinas",
    "bag": "bagian",
}


def lookup_key(text: str | None) -> str:
    """A matching key: case, spaces, punctuation, "Kab. Bekasi" and "Kec."-style prefixes folded."""
    key = fold(text)
    key = _TRAILING.sub(" ", key)
    key = re.sub(r"\s+", " ", key).strip()
    for short, full in sorted(_PREFIXES.items(), key=lambda kv: -len(kv[0])):
        if key.startswith(short + " "):
            key = full + key[len(short) :]
            break
    return key


class UnitIndex:
    """Resolves the names people write to units, built once per import (no query per row)."""

    def __init__(self, units: Iterable[Unit]) -> None:
        self._by_key: dict[str, Unit | None] = {}
        for unit in units:
            for name in self._names(unit):
                key = lookup_key(name)
                if not key:
                    continue
                if key in self._by_key and self._by_key[key] is not unit:
                    self._by_key[key] = None  # ambiguous: two units answer to it
                else:
                    self._by_key[key] = unit

    @staticmethod
    def _names(unit: Unit) -> list[str]:
        names = [unit.name, unit.code, *(unit.aliases or [])]
        if unit.short_name:
            names.append(unit.short_name)
        return names

    def find(self, text: str | None) -> Unit | None:
        return self._by_key.get(lookup_key(text)) or None

    @classmethod
    def active(cls) -> UnitIndex:
        return cls(db.session.scalars(select(Unit).where(Unit.active)))


def find_unit(text: str | None) -> Unit | None:
    """Find an active unit by any of its names ("Dinkes", "DINAS KESEHATAN KAB. BEKASI"...)."""
    return UnitIndex.active().find(text)


def root_unit() -> Unit:
    root = db.session.scalar(select(Unit).where(Unit.code == ROOT_CODE))
    if root is None:
        root = Unit(
            code=ROOT_CODE,
            name="Pemerintah Kabupaten Bekasi",
            short_name="Pemkab Bekasi",
            kind=UnitKind.PEMDA,
            aliases=["Pemkab Bekasi", "Kabupaten Bekasi"],
        )
        db.session.add(root)
        db.session.flush()
    return root


def _clean_aliases(aliases: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for alias in aliases:
        alias = " ".join(str(alias).split())
        if alias and lookup_key(alias) not in seen:
            seen[lookup_key(alias)] = alias
    return list(seen.values())


def unit_choices(*, blank: str | None = None, with_root: bool = True) -> list[tuple[int, str]]:
    """Active units as ``(id, label)`` choices of a select field, by name.

    ``blank``: a first ``(0, blank)`` choice for "no unit". ``with_root=False`` leaves out the
    pemda itself (the root is never invited nor given follow-up tasks).
    """
    stmt = select(Unit).where(Unit.active).order_by(Unit.name)
    if not with_root:
        stmt = stmt.where(Unit.kind != UnitKind.PEMDA)
    choices = [(u.id, u.label) for u in db.session.scalars(stmt)]
    return [(0, blank), *choices] if blank is not None else choices


def save_unit(
    unit: Unit | None,
    *,
    code: str,
    name: str,
    kind: UnitKind,
    short_name: str | None = None,
    parent: Unit | None = None,
    aliases: Iterable[str] = (),
    active: bool = True,
    actor: User | None = None,
    public_service: bool | None = None,
    products: Iterable[str] | None = None,
) -> Unit:
    """Create (``unit`` None) or update a unit, refusing duplicate codes and cycles (audited).

    ``public_service`` and ``products`` (service products, one name each) are left as they are
    when None.
    """
    action = "unit.create" if unit is None else "unit.update"
    unit = _write_unit(
        unit,
        code=code,
        name=name,
        kind=kind,
        short_name=short_name,
        parent=parent,
        aliases=aliases,
        active=active,
    )
    if public_service is not None:
        unit.public_service = public_service
    if products is not None:
        set_products(unit, products)
        db.session.flush()
    record(action, actor=actor, obj=unit, summary=unit.name)
    return unit


def _write_unit(
    unit: Unit | None,
    *,
    code: str,
    name: str,
    kind: UnitKind,
    short_name: str | None,
    parent: Unit | None,
    aliases: Iterable[str],
    active: bool,
) -> Unit:
    code = code.strip().upper()
    if not code:
        raise DomainError(_("Kode unit wajib diisi."), field="code")
    clash = db.session.scalar(select(Unit).where(Unit.code == code))
    if clash is not None and clash is not unit:
        raise DomainError(
            _("Kode %(code)s sudah dipakai oleh %(unit)s.", code=code, unit=clash.name),
            field="code",
        )
    if unit is not None and parent is not None:
        node: Unit | None = parent
        while node is not None:
            if node is unit:
                raise DomainError(
                    _("Induk unit tidak boleh unit itu sendiri atau turunannya."),
                    field="parent_id",
                )
            node = node.parent
    if unit is None:
        unit = Unit()
        db.session.add(unit)
    unit.code = code
    unit.name = " ".join(name.split())
    unit.short_name = (short_name or "").strip() or None
    unit.kind = kind
    unit.parent = parent
    unit.aliases = _clean_aliases(aliases)
    unit.active = active
    db.session.flush()
    return unit


def set_active(unit: Unit, active: bool, *, actor: User | None = None) -> None:
    if unit.code == ROOT_CODE and not active:
        raise DomainError(_("Unit induk pemerintah daerah tidak dapat dinonaktifkan."))
    unit.active = active
    record("unit.activate" if active else "unit.deactivate", actor=actor, obj=unit)


# --- seeding -------------------------------------------------------------------------------


@dataclass
class SeedResult:
    created: int = 0
    updated: int = 0


def seed_units(catalogue: Iterable[dict[str, Any]]) -> SeedResult:
    """Insert or refresh the reference units; running it twice changes nothing the second time."""
    result = SeedResult()
    root = root_unit()
    existing = {u.code: u for u in db.session.scalars(select(Unit))}
    for entry in catalogue:
        parent = existing.get(entry.get("parent", ROOT_CODE)) or root
        unit = existing.get(entry["code"])
        aliases = _clean_aliases([*(unit.aliases if unit else []), *entry.get("aliases", [])])
        if unit is None:
            unit = Unit(code=entry["code"], active=True)
            db.session.add(unit)
            existing[unit.code] = unit
            result.created += 1
        elif (
            unit.name != entry["name"]
            or unit.short_name != entry.get("short_name")
            or unit.kind.value != entry["kind"]
            or unit.parent_id != parent.id
            or unit.aliases != aliases
        ):
            result.updated += 1
        unit.name = entry["name"]
        unit.short_name = entry.get("short_name")
        unit.kind = UnitKind(entry["kind"])
        unit.parent = parent
        unit.aliases = aliases
        db.session.flush()
    return result


# --- import --------------------------------------------------------------------------------


@dataclass
class ImportProblem:
    row: int
    message: str


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    problems: list[ImportProblem] = field(default_factory=list)


def kind_words() -> dict[str, UnitKind]:
    """The words a file may use for a unit's kind: its value or its Indonesian label.

    Labels follow the user's language, so they are read in Indonesian here: an import file means
    the same whoever uploads it.
    """
    with force_locale("id"):
        return {fold(k.value): k for k in UnitKind} | {fold(k.label): k for k in UnitKind}


UNIT_COLUMNS = {
    "code": ("kode", "code", "kode unit"),
    "name": ("nama", "name", "nama unit", "nama perangkat daerah", "unit"),
    "short_name": ("singkatan", "nama singkat", "short name", "short_name"),
    "kind": ("jenis", "kind", "tipe", "type"),
    "parent": ("induk", "parent", "unit induk", "kode induk"),
    "aliases": ("alias", "aliases", "nama lain"),
}


def import_units(
    rows: list[tuple[int, dict[str, str]]], *, actor: User | None = None, source: str = ""
) -> ImportResult:
    """Import rows already mapped to ``UNIT_COLUMNS`` keys; bad rows are reported, not written.
    The import is audited (``source``: the file's name), from the page and the CLI alike.

    Each row is ``(row_number, values)``. A row with a problem is skipped; the others are saved.
    """
    result = ImportResult()
    root = root_unit()
    index = UnitIndex(db.session.scalars(select(Unit)))
    by_code = {u.code: u for u in db.session.scalars(select(Unit))}
    words = kind_words()
    for number, values in rows:
        name = " ".join((values.get("name") or "").split())
        if not name:
            result.problems.append(ImportProblem(number, _("nama unit kosong")))
            continue
        kind = words.get(fold(values.get("kind")))
        if kind is None:
            result.problems.append(
                ImportProblem(
                    number,
                    _("jenis unit '%(kind)s' tidak dikenal", kind=values.get("kind") or ""),
                )
            )
            continue
        parent: Unit | None = root
        if values.get("parent"):
            parent = by_code.get(values["parent"].strip().upper()) or index.find(values["parent"])
            if parent is None:
                result.problems.append(
                    ImportProblem(
                        number,
                        _("unit induk '%(parent)s' tidak ditemukan", parent=values["parent"]),
                    )
                )
                continue
        code = (values.get("code") or "").strip().upper() or _make_code(kind, name, by_code)
        unit = by_code.get(code)
        aliases = [a for a in re.split(r"[;|]", values.get("aliases") or "") if a.strip()]
        try:
            with db.session.begin_nested():
                unit = _write_unit(  # the import is audited once, as a whole
                    unit,
                    code=code,
                    name=name,
                    kind=kind,
                    short_name=values.get("short_name"),
                    parent=parent,
                    aliases=[*(unit.aliases if unit else []), *aliases],
                    active=True,
                )
        except DomainError as err:
            result.problems.append(ImportProblem(number, err.message))
            continue
        if code in by_code:
            result.updated += 1
        else:
            result.created += 1
            by_code[code] = unit
    record(
        "unit.import",
        actor=actor,
        summary=source,
        created=result.created,
        updated=result.updated,
        errors=len(result.problems),
    )
    return result


def _make_code(kind: UnitKind, name: str, taken: dict[str, Unit]) -> str:
    base = re.sub(r"[^A-Z0-9]+", "-", fold(name).upper()).strip("-")[:30]
    code = f"{kind.value[:3].upper()}-{base}"
    n = 2
    while code in taken and lookup_key(taken[code].name) != lookup_key(name):
        code = f"{kind.value[:3].upper()}-{base}-{n}"
        n += 1
    return code


def text_rows(table: Table) -> list[tuple[int, dict[str, str]]]:
    """Rows of a :class:`~sosialisasi.common.tabular.Table` with every cell as text."""
    from ..common.tabular import as_text

    return [(n, {k: as_text(v) for k, v in values.items()}) for n, values in table.rows]


def set_products(unit: Unit, names: Iterable[str]) -> None:
    """The unit's service products become ``names``: new ones added, missing ones deactivated
    (kept, since tasks and lokus entries may point at them), returning ones reactivated."""
    from .models import ServiceProduct

    wanted: dict[str, str] = {}
    for name in names:
        clean = " ".join((name or "").split())[:150]
        if clean and clean.lower() not in wanted:
            wanted[clean.lower()] = clean
    known = {p.name.lower(): p for p in unit.products}
    for key, product in known.items():
        product.active = key in wanted
    for key, name in wanted.items():
        if key not in known:
            unit.products.append(ServiceProduct(name=name))
