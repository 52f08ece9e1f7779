"""Perangkat daerah: the government units that are invited, attend and follow up."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..common.types import UTCDateTime, enum_column, utcnow
from ..extensions import Model


class UnitKind(enum.Enum):
    PEMDA = "pemda"
    SETDA = "setda"
    BAGIAN = "bagian"
    SETWAN = "setwan"
    INSPEKTORAT = "inspektorat"
    DINAS = "dinas"
    BADAN = "badan"
    SATPOL = "satpol"
    KECAMATAN = "kecamatan"
    KELURAHAN = "kelurahan"
    PUSKESMAS = "puskesmas"
    RSUD = "rsud"
    UPTD = "uptd"
    EXTERNAL = "external"

    @property
    def label(self) -> str:
        return unit_kind_labels()[self]


def unit_kind_labels() -> dict[UnitKind, str]:
    """Each kind's name in the user's language (built per call, so pages follow the locale)."""
    return {
        UnitKind.PEMDA: _("Pemerintah Daerah"),
        UnitKind.SETDA: _("Sekretariat Daerah"),
        UnitKind.BAGIAN: _("Bagian"),
        UnitKind.SETWAN: _("Sekretariat DPRD"),
        UnitKind.INSPEKTORAT: _("Inspektorat"),
        UnitKind.DINAS: _("Dinas"),
        UnitKind.BADAN: _("Badan"),
        UnitKind.SATPOL: _("Satpol PP"),
        UnitKind.KECAMATAN: _("Kecamatan"),
        UnitKind.KELURAHAN: _("Kelurahan"),
        UnitKind.PUSKESMAS: _("Puskesmas"),
        UnitKind.RSUD: _("RSUD"),
        UnitKind.UPTD: _("UPTD"),
        UnitKind.EXTERNAL: _("Instansi luar"),
    }


class Unit(Model):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    short_name: Mapped[str | None] = mapped_column(String(80))
    kind: Mapped[UnitKind] = mapped_column(enum_column(UnitKind), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)
    # "Unit layanan publik": serves the public directly, so service-standard indicators apply.
    public_service: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent")
    products: Mapped[list[ServiceProduct]] = relationship(
        back_populates="unit", order_by="ServiceProduct.name", cascade="all, delete-orphan"
    )

    @property
    def display_name(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """Name with the short name, for pickers: ``Dinas Kesehatan (Dinkes)``."""
        if self.short_name and self.short_name.lower() not in self.name.lower():
            return f"{self.name} ({self.short_name})"
        return self.name

    def __repr__(self) -> str:
        return f"<Unit {self.code} {self.name!r}>"


class ServiceProduct(Model):
    """A service a public-service unit delivers (KTP-el, akta kelahiran, perizinan berusaha)."""

    __tablename__ = "unit_service_products"
    __table_args__ = (UniqueConstraint("unit_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(150))
    active: Mapped[bool] = mapped_column(default=True)

    unit: Mapped[Unit] = relationship(back_populates="products")

    @property
    def label(self) -> str:
        return f"{self.unit.short_name or self.unit.name}: {self.name}"
