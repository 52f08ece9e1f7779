"""The English catalogue is complete, and the interface switches between Indonesian and English.

The msgids are the Indonesian texts; ``translations/en`` must translate every one of them. The
compiled ``.mo`` is not in git (``make`` builds it), so a session fixture compiles the catalogue
when the ``.mo`` is missing or older than the ``.po``.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest

from sosialisasi.auth.models import Role

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "sosialisasi" / "translations"
PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")

# %(name)s for Python/Jinja formatting, {name} for the scanner's JavaScript strings.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|\{\w+\}")


def _catalog():
    pofile = pytest.importorskip("babel.messages.pofile")
    with PO.open("rb") as f:
        return pofile.read_po(f, locale="en")


def _messages():
    return [m for m in _catalog() if m.id]


@pytest.fixture(scope="session")
def compiled_catalog() -> Path:
    """Compile ``messages.po`` to ``messages.mo`` if needed (atomically, as make would)."""
    if MO.exists() and MO.stat().st_mtime >= PO.stat().st_mtime:
        return MO
    mofile = pytest.importorskip("babel.messages.mofile")
    catalog = _catalog()
    fd, tmp = tempfile.mkstemp(dir=MO.parent, suffix=".mo.tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            mofile.write_mo(f, catalog)
        os.chmod(tmp, 0o644)
        os.replace(tmp, MO)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return MO


@pytest.fixture()
def english(app, compiled_catalog):
    """The app with a freshly loaded catalogue (Flask-Babel caches it per process)."""
    from sosialisasi.extensions import babel

    babel.domain_instance.cache.clear()
    yield app
    babel.domain_instance.cache.clear()


# --- (a) the catalogue --------------------------------------------------------------------------


def test_catalogue_has_messages():
    assert len(_messages()) > 100


def test_no_entry_is_empty_or_fuzzy():
    catalog = _catalog()
    assert not catalog.fuzzy, "the catalogue header is marked fuzzy"
    messages = [m for m in catalog if m.id]
    empty = [m.id for m in messages if not m.string or not all(m.string)]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert empty == [], f"{len(empty)} msgids without an English msgstr"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy entries left to check"


def test_placeholders_survive_translation():
    wrong = []
    for m in _messages():
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        wanted = sorted(set().union(*(PLACEHOLDER.findall(i) for i in ids)))
        for s in strings:
            if sorted(set(PLACEHOLDER.findall(s))) != wanted:
                wrong.append((m.id, s))
    assert wrong == []


def test_catalogue_passes_babel_checks():
    errors = [(m.id, [str(e) for e in errs]) for m, errs in _catalog().check()]
    assert errors == []


def test_catalogue_compiles(compiled_catalog):
    from babel.support import Translations

    translations = Translations.load(str(TRANSLATIONS), ["en"])
    assert translations.gettext("Masuk ke Sosialisasi") == "Sign in to Sosialisasi"


# --- (b) switching the interface language -------------------------------------------------------


def test_login_page_switches_to_english_and_back(client, english):
    assert "Masuk ke Sosialisasi" in client.get("/masuk").text

    response = client.post("/bahasa/en", data={"next": "/masuk"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/masuk"
    page = client.get("/masuk").text
    assert '<html lang="en">' in page
    assert "Sign in to Sosialisasi" in page
    assert "Event management, QR check-in and public service compliance follow-up." in page
    assert "Masuk ke Sosialisasi" not in page
    assert "Bahasa Indonesia" in page  # the switch now offers the way back

    client.post("/bahasa/id", data={"next": "/masuk"})
    page = client.get("/masuk").text
    assert '<html lang="id">' in page
    assert "Masuk ke Sosialisasi" in page
    assert "Sign in to Sosialisasi" not in page


def test_home_page_switches_to_english_and_back(client, login_as, english, db):
    user = login_as(Role.ORGANIZER, name="Rina Lestari")
    assert "Selamat datang, Rina Lestari" in client.get("/beranda").text

    client.post("/bahasa/en", data={"next": "/beranda"})
    page = client.get("/beranda").text
    assert "Welcome, Rina Lestari" in page
    assert "Upcoming events" in page
    assert "Sign out" in page
    assert "Selamat datang" not in page
    db.session.refresh(user)
    assert user.locale == "en"  # remembered for the next login

    client.post("/bahasa/id", data={"next": "/beranda"})
    page = client.get("/beranda").text
    assert "Selamat datang, Rina Lestari" in page
    assert "Acara mendatang" in page
    assert "Welcome" not in page
    db.session.refresh(user)
    assert user.locale == "id"


def test_unknown_language_changes_nothing(client, english):
    client.post("/bahasa/fr", data={"next": "/masuk"})
    assert "Masuk ke Sosialisasi" in client.get("/masuk").text
