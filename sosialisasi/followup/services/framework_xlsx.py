"""A framework as a workbook: the export and the import that reads it back (matched by code)."""

from __future__ import annotations

import io

from flask_babel import gettext as _
from sqlalchemy import select

from ...audit.services import record
from ...auth.models import User
from ...common.errors import DomainError
from ...extensions import db
from ..models import (
    Framework,
    FrameworkKind,
)
from .frameworks import save_dimension, save_framework, save_indicator
from .scores import ZERO, BandData, save_bands

SHEETS = {
    "Kerangka": ["kode", "nama", "jenis", "tahun_awal", "tahun_akhir", "keterangan"],
    "Dimensi": ["kode", "nama", "bobot", "urutan"],
    "Indikator": ["kode", "dimensi", "nama", "petunjuk_bukti", "jenis_unit", "urutan", "aktif"],
    "Pita": ["kategori", "min", "max", "zona", "opini"],
}
# Columns added for the 2025 method; read when present, so older workbooks still import.
OPTIONAL = {
    "Kerangka": ["metode", "dasar_hukum", "opini_tanpa_maladministrasi"],
    "Dimensi": [],
    "Indikator": ["layanan_publik", "per_produk"],
    "Pita": ["warna"],
}


def _yes(value: object) -> bool | None:
    text = _text(value).lower()
    if not text:
        return None
    return text in ("ya", "1", "true", "yes", "y")


def export_framework_xlsx(framework: Framework) -> bytes:
    from openpyxl import Workbook

    from ...common.text import safe_cell

    wb = Workbook()
    if wb.active is not None:  # a new workbook has one empty sheet
        wb.remove(wb.active)
    rows: dict[str, list[list[object]]] = {
        "Kerangka": [
            [
                framework.code,
                framework.name,
                framework.kind.value,
                framework.year_from,
                framework.year_to,
                framework.description,
                framework.method,
                framework.legal_basis,
                "ya" if framework.opinion_rule else "tidak",
            ]
        ],
        "Dimensi": [[d.code, d.name, str(d.weight), d.position] for d in framework.dimensions],
        "Indikator": [
            [
                i.code,
                i.dimension.code,
                i.name,
                i.evidence_hint,
                ",".join(i.unit_kinds),
                i.position,
                "ya" if i.active else "tidak",
                "ya" if i.service_only else "tidak",
                "ya" if i.per_product else "tidak",
            ]
            for i in framework.indicators
        ],
        "Pita": [
            [b.category, str(b.min_score), str(b.max_score), b.zone, b.opinion, b.hex]
            for b in framework.bands
        ],
    }
    for title, header in SHEETS.items():
        ws = wb.create_sheet(title)
        ws.append(header + OPTIONAL[title])
        for row in rows[title]:
            ws.append([safe_cell(v) for v in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text[1:] if text.startswith("'") else text


def import_framework_xlsx(data: bytes, *, actor: User) -> Framework:
    """Create or update a framework (matched by code) from a workbook made by the export."""
    from openpyxl import load_workbook

    from ...common.tabular import TableError, _xlsx_rows  # size guard against zip bombs

    try:
        list(_xlsx_rows(data))
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except TableError as err:
        raise DomainError(str(err), field="file") from None
    except Exception:
        raise DomainError(_("Berkas bukan XLSX yang dapat dibaca."), field="file") from None
    sheets = {}
    for title, header in SHEETS.items():
        if title not in wb.sheetnames:
            raise DomainError(
                _("Lembar '%(sheet)s' tidak ada di berkas.", sheet=title), field="file"
            )
        values = list(wb[title].iter_rows(values_only=True))
        heading = [_text(v).lower() for v in (values[0] if values else [])]
        missing = [h for h in header if h not in heading]
        if missing:
            raise DomainError(
                _(
                    "Lembar '%(sheet)s': kolom %(columns)s tidak ditemukan.",
                    sheet=title,
                    columns=", ".join(missing),
                ),
                field="file",
            )
        present = header + [h for h in OPTIONAL[title] if h in heading]
        sheets[title] = [
            (
                n,
                {
                    h: row[heading.index(h)] if heading.index(h) < len(row) else None
                    for h in present
                },
            )
            for n, row in enumerate(values[1:], start=2)
            if any(c not in (None, "") for c in row)
        ]
    wb.close()
    if len(sheets["Kerangka"]) != 1:
        raise DomainError(_("Lembar 'Kerangka' harus berisi tepat satu baris."), field="file")

    def fail(sheet: str, row: int, err: DomainError) -> DomainError:
        return DomainError(
            _(
                "Lembar '%(sheet)s' baris %(row)s: %(message)s",
                sheet=sheet,
                row=row,
                message=err.message,
            ),
            field="file",
        )

    _row, head = sheets["Kerangka"][0]
    code = _text(head["kode"]).upper()
    framework = db.session.scalar(select(Framework).where(Framework.code == code))
    try:
        kind = FrameworkKind(_text(head["jenis"]) or "assessment")
        year_from = int(_text(head["tahun_awal"]))
        year_to = int(_text(head["tahun_akhir"])) if _text(head["tahun_akhir"]) else None
    except ValueError:
        raise DomainError(
            _("Lembar 'Kerangka' baris 2: jenis atau tahun tidak valid."), field="file"
        ) from None
    try:
        framework = save_framework(
            framework,
            code=code,
            name=_text(head["nama"]) or code,
            kind=kind,
            year_from=year_from,
            year_to=year_to,
            description=_text(head["keterangan"]),
            method=_text(head["metode"]) if "metode" in head else None,
            legal_basis=_text(head["dasar_hukum"]) if "dasar_hukum" in head else None,
            opinion_rule=_yes(head.get("opini_tanpa_maladministrasi")),
        )
    except DomainError as err:
        raise fail("Kerangka", 2, err) from None
    dims = {d.code: d for d in framework.dimensions}
    # Weights are replaced wholesale: zero them first so that the total check sees the new set.
    for d in framework.dimensions:
        d.weight = ZERO
    for n, row in sheets["Dimensi"]:
        try:
            dcode = _text(row["kode"]).upper()
            dims[dcode] = save_dimension(
                framework,
                dims.get(dcode),
                code=dcode,
                name=_text(row["nama"]),
                weight=_text(row["bobot"]),
                position=int(_text(row["urutan"]) or 0),
            )
        except (DomainError, ValueError) as err:
            raise fail(
                "Dimensi",
                n,
                err if isinstance(err, DomainError) else DomainError(_("urutan harus angka")),
            ) from None
    existing = {i.code: i for i in framework.indicators}
    for n, row in sheets["Indikator"]:
        dcode = _text(row["dimensi"]).upper()
        if dcode not in dims:
            raise fail("Indikator", n, DomainError(_("dimensi %(code)s tidak ada", code=dcode)))
        icode = _text(row["kode"]).upper()
        try:
            save_indicator(
                framework,
                existing.get(icode),
                dimension=dims[dcode],
                code=icode,
                name=_text(row["nama"]),
                evidence_hint=_text(row["petunjuk_bukti"]),
                unit_kinds=[k.strip() for k in _text(row["jenis_unit"]).split(",") if k.strip()],
                position=int(_text(row["urutan"]) or 0),
                active=_text(row["aktif"]).lower() not in ("tidak", "0", "false", "no"),
                service_only=_yes(row.get("layanan_publik")),
                per_product=_yes(row.get("per_produk")),
            )
        except DomainError as err:
            raise fail("Indikator", n, err) from None
        except ValueError:
            raise fail("Indikator", n, DomainError(_("urutan harus angka"))) from None
    bands = [
        BandData(
            _text(r["kategori"]),
            _text(r["min"]),
            _text(r["max"]),
            _text(r["zona"]),
            _text(r["opini"]),
            _text(r.get("warna")),
        )
        for _row, r in sheets["Pita"]
    ]
    try:
        save_bands(framework, bands, actor=actor)
    except DomainError as err:
        raise DomainError(
            _("Lembar 'Pita': %(message)s", message=err.message), field="file"
        ) from None
    record("followup.framework_import", actor=actor, obj=framework, summary=framework.code)
    return framework
