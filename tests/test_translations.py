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
from babel.messages import mofile, pofile

from sosialisasi.auth.models import Role

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "sosialisasi" / "translations"
PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")

# %(name)s for Python/Jinja formatting, {name} for the scanner's JavaScript strings.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|\{\w+\}")


def _catalog():
    with PO.open("rb") as f:
        return pofile.read_po(f, locale="en")


def _messages():
    return [m for m in _catalog() if m.id]


@pytest.fixture(scope="session")
def compiled_catalog() -> Path:
    """Compile ``messages.po`` to ``messages.mo`` if needed (atomically, as make would)."""
    if MO.exists() and MO.stat().st_mtime >= PO.stat().st_mtime:
        return MO
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


def test_every_text_in_the_code_is_in_the_catalogue():
    """A text wrapped in gettext but missing from messages.po would show in Indonesian to English
    users without anyone noticing: ``make messages`` extracts it, a translator fills it in."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    keywords = {
        **DEFAULT_KEYWORDS,
        "lazy_gettext": None,
        "_l": None,
        "lazy_pgettext": ((1, "c"), 2),
    }
    in_code = {
        (context, msgid)
        for _file, _line, msgid, _comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=keywords
        )
    }
    in_catalogue = {(m.context, m.id) for m in _messages()}
    assert sorted(map(str, in_code - in_catalogue)) == []
    assert sorted(map(str, in_catalogue - in_code)) == []  # no stale entries either


def test_texts_outside_a_request_are_indonesian(app, compiled_catalog):
    """CLI commands and background work run services that translate: they speak Indonesian."""
    from flask_babel import gettext

    with app.app_context():
        assert gettext("Masuk ke Sosialisasi") == "Masuk ke Sosialisasi"


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


# --- (c) texts made in Python follow the language; official documents stay Indonesian ----------


def _english(client, login_as, role=Role.ORGANIZER, **kw):
    user = login_as(role, **kw)
    client.post("/bahasa/en", data={"next": "/beranda"})
    return user


def test_labels_validation_and_flash_messages_follow_the_language(
    client, english, login_as, make_event
):
    _english(client, login_as)
    event = make_event()  # registration open
    page = client.get(f"/acara/{event.id}").text
    assert "Registration open" in page and "Pendaftaran dibuka" not in page

    page = client.post("/acara/baru", data={"title": ""}).text
    assert "Event title" in page
    assert "Required." in page and "Wajib diisi." not in page

    page = client.post("/keluar", follow_redirects=True).text
    assert "You have signed out." in page and "Anda telah keluar." not in page


def test_check_in_answers_follow_the_token_users_language(
    client, english, db, make_event, make_registration, make_person, make_user
):
    from datetime import timedelta

    from sosialisasi.auth.services import create_token
    from sosialisasi.common.types import utcnow
    from sosialisasi.events.models import EventStatus

    event = make_event(
        starts_at=utcnow() - timedelta(minutes=10), hours=3, status=EventStatus.RUNNING
    )
    reg = make_registration(event, make_person("Budi Santoso"))
    user = make_user("organizer", name="Panitia Pintu")
    user.locale = "en"
    token, _record = create_token(user, "hp")
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    url = f"/api/v1/events/{event.id}/checkins"
    assert client.post(url, json={"code": reg.ticket_code}, headers=headers).json["message"] == (
        "Welcome, Budi Santoso."
    )
    again = client.post(url, json={"code": reg.ticket_code}, headers=headers).json["message"]
    assert again.startswith("Budi Santoso already checked in at ")
    unknown = client.post(url, json={"code": "A" * 22}, headers=headers).json["message"]
    assert unknown == "Ticket not found."


def test_official_documents_stay_indonesian_for_english_users(
    client, english, login_as, make_event, make_registration, make_person
):
    import io

    from pypdf import PdfReader

    _english(client, login_as)
    event = make_event()
    make_registration(event, make_person("Budi Santoso"))
    response = client.get(f"/acara/{event.id}/daftar-hadir.pdf")
    assert response.status_code == 200
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "DAFTAR HADIR PESERTA" in text and "Budi Santoso" in text
    assert "Participant" not in text and "Attendance" not in text


def test_every_page_and_form_answers_in_english_without_errors(
    app,
    db,
    client,
    english,
    login_as,
    make_unit,
    make_event,
    make_person,
    make_registration,
    make_user,
):
    """Lazy texts (form labels, validator messages) are not strings: joined, put in JSON, a PDF
    or a spreadsheet they fail. Walk every GET page and send every form empty, in English."""
    from tests.security.test_safe_output import _plant, _urls

    ids = _plant(db, make_unit, make_event, make_person, make_registration, make_user)
    _english(client, login_as, Role.ADMIN)
    pages = 0
    for url in _urls(app, ids):
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)
        pages += response.status_code == 200
    assert pages >= 40

    posted = 0
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.endpoint in {"auth.logout", "auth.set_language"}:
            continue
        if not set(rule.arguments) <= set(ids):
            continue
        path = rule.rule
        for arg in rule.arguments:
            path = re.sub(rf"<(?:[a-z]+:)?{arg}>", str(ids[arg]), path)
        response = client.post(path, data={})
        assert response.status_code < 500, (path, response.status_code)
        posted += 1
    assert posted >= 30
