"""The Indonesian interface speaks one glossary (docs/glossary.md, issue 15).

Every Indonesian source text (the msgids of templates and Python, as ``make messages`` extracts
them) and the visible text of every template is scanned for the words the glossary's **Jangan**
column lists. An exception is allowed only in ``ALLOWED`` below, with the reason it exists, so a new
"check-in" or "walk-in" fails here instead of reaching a Bekasi official.
"""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

from sosialisasi.common.text import one_full_stop

ROOT = Path(__file__).resolve().parent.parent

# term -> (pattern, what the glossary says to write instead)
FORBIDDEN: dict[str, tuple[re.Pattern[str], str]] = {
    "check-in": (re.compile(r"\bcheck-?in\b", re.I), "registrasi ulang"),
    "walk-in": (re.compile(r"\bwalk-?in\b", re.I), "datang langsung"),
    "offline": (re.compile(r"\boffline\b", re.I), "luring / tidak tersambung"),
    "online": (re.compile(r"\bonline\b", re.I), "daring / tersambung"),
    "workshop": (re.compile(r"\bworkshop\b", re.I), "Lokakarya"),
    "focus group": (re.compile(r"\bfocus group\b", re.I), "Diskusi Kelompok Terpumpun (FGD)"),
    # FGD only in brackets after the Indonesian name.
    "FGD": (re.compile(r"(?<!Terpumpun \()\bFGD\b"), "Diskusi Kelompok Terpumpun (FGD)"),
    "admin": (re.compile(r"\badmin\b", re.I), "administrator / Administrasi"),
    "tim teknis": (re.compile(r"\btim teknis\b", re.I), "(no such team: say it was recorded)"),
    "self check-in": (re.compile(r"\bself[- ]check", re.I), "registrasi ulang mandiri"),
    "hadir mandiri": (re.compile(r"\bhadir mandiri\b", re.I), "registrasi ulang mandiri"),
    "rundown": (re.compile(r"\brundown\b", re.I), "susunan acara"),
    "absensi": (re.compile(r"\babsensi\b", re.I), "daftar hadir"),
    "partisipan": (re.compile(r"\bpartisipan\b", re.I), "peserta"),
    "pembicara": (re.compile(r"\bpembicara\b", re.I), "narasumber"),
    "speaker": (re.compile(r"\bspeakers?\b", re.I), "narasumber"),
    "follow-up": (re.compile(r"\bfollow-up\b", re.I), "tindak lanjut"),
    "evidence": (re.compile(r"\bevidence\b", re.I), "bukti dukung"),
    "OPD/SKPD": (re.compile(r"\b(OPD|SKPD)\b"), "perangkat daerah"),
    "telat": (re.compile(r"\btelat\b", re.I), "terlambat"),
    "notula": (re.compile(r"\bnotula\b", re.I), "notulen"),
    "laporan acara": (re.compile(r"\blaporan acara\b", re.I), "laporan kegiatan"),
    "Kepala Inspektorat": (re.compile(r"\bKepala (Inspektorat|Kecamatan)\b"), "Inspektur / Camat"),
    # "terdaftar di acara ini (Terdaftar)": the status label repeats the verb.
    "terdaftar (status)": (re.compile(r"terdaftar[^.]*\(%\(status\)s", re.I), "mendaftar"),
}

# (term, msgid) -> why this text may keep the word.
ALLOWED: dict[tuple[str, str], str] = {
    (
        "offline",
        "Kolom 'method' harus salah satu: qr, manual, offline.",
    ): "names the API's own field values (docs/api.md), which a client must send as written",
    (
        "check-in",
        "Saring tindakan, mis. login, checkin, user",
    ): "examples of audit action codes the administrator types into the filter, as stored",
}

# Words that describe an *event* (luring/daring) must not name the scanner's connection state.
CONNECTION_AREAS = ("templates/checkin/", "sosialisasi/checkin/", "sosialisasi/api/")
CONNECTION_WORDS = re.compile(r"\b(daring|luring)\b", re.I)

# A sentence that ends with a person's name adds a full stop: a name ending in a gelar
# ("S.Kom.") would print two. Such texts go through common.text.one_full_stop.
ENDS_WITH_NAME = re.compile(r"%\((name|official|person|speaker|signer)\)s\.$")
NOT_A_PERSON = {
    "Berkas dihapus: %(name)s.": "a file name, never a person's",
    "%(kind)s diunggah: %(name)s.": "a file name, never a person's",
}


def _messages() -> list[tuple[str, int, str]]:
    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    keywords = {
        **DEFAULT_KEYWORDS,
        "lazy_gettext": None,
        "_l": None,
        "lazy_pgettext": ((1, "c"), 2),
    }
    found = []
    for filename, line, msgid, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords
    ):
        for text in msgid if isinstance(msgid, tuple) else (msgid,):
            if text:
                found.append((filename, line, text))
    return found


@pytest.fixture(scope="module")
def messages() -> list[tuple[str, int, str]]:
    return _messages()


def test_the_scan_sees_the_whole_interface(messages):
    assert len(messages) > 1000
    files = {f for f, _line, _text in messages}
    assert "templates/checkin/scanner.html" in files and "sosialisasi/errors.py" in files


def test_no_indonesian_text_uses_a_word_the_glossary_forbids(messages):
    wrong = []
    for filename, line, text in messages:
        for term, (pattern, instead) in FORBIDDEN.items():
            if pattern.search(text) and (term, text) not in ALLOWED:
                wrong.append(f"{filename}:{line}: {text!r} ({term} -> {instead})")
    assert wrong == []


def test_every_allowed_exception_still_exists(messages):
    """An allow-list entry whose text is gone is removed, so the list stays short and true."""
    texts = {text for _f, _l, text in messages}
    assert [key for key in ALLOWED if key[1] not in texts] == []


def test_luring_and_daring_never_name_the_scanners_connection(messages):
    wrong = [
        f"{filename}:{line}: {text!r}"
        for filename, line, text in messages
        if filename.startswith(CONNECTION_AREAS) and CONNECTION_WORDS.search(text)
    ]
    assert wrong == []


def _visible_text(source: str) -> str:
    """What a template shows outside gettext: Jinja code, tags and attributes removed."""
    source = re.sub(r"\{#.*?#\}", " ", source, flags=re.S)
    source = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", " ", source, flags=re.S)
    source = re.sub(r"<(script|style)\b.*?</\1>", " ", source, flags=re.S | re.I)
    return re.sub(r"<[^>]*>", " ", source, flags=re.S)


def test_no_template_shows_a_forbidden_word_outside_gettext():
    wrong = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = _visible_text(path.read_text(encoding="utf-8"))
        for term, (pattern, instead) in FORBIDDEN.items():
            for match in pattern.finditer(text):
                wrong.append(f"{path.relative_to(ROOT)}: {match.group(0)!r} ({term} -> {instead})")
    assert wrong == []


def test_sentences_ending_with_a_name_go_through_one_full_stop(messages):
    """Where the code builds such a sentence, ``one_full_stop(`` wraps it (a few lines up)."""
    missing = []
    for filename, line, text in messages:
        if not ENDS_WITH_NAME.search(text) or text in NOT_A_PERSON:
            continue
        lines = (ROOT / filename).read_text(encoding="utf-8").splitlines()
        before = "\n".join(lines[max(0, line - 5) : line])
        if "one_full_stop(" not in before:
            missing.append(f"{filename}:{line}: {text!r}")
    assert missing == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Selamat datang, Rina Wati, S.Kom..", "Selamat datang, Rina Wati, S.Kom."),
        ("Selamat datang, Rina Wati.", "Selamat datang, Rina Wati."),
        ("Memeriksa kode...", "Memeriksa kode..."),
    ],
)
def test_one_full_stop(text, expected):
    assert one_full_stop(text) == expected


def test_scanner_speaks_the_glossary(client, login_as, make_event):
    """Connection "Tersambung", an early arrival "Belum dibuka", a second scan "Sudah hadir"."""
    event = make_event()
    login_as("organizer")
    html = client.get(f"/registrasi-ulang/{event.id}").get_data(as_text=True)
    assert 'id="net-status" class="badge text-bg-success" role="status">Tersambung<' in html
    texts = json.loads(unescape(html.split('data-i18n="', 1)[1].split('"', 1)[0]))
    assert texts["online"] == "Tersambung" and texts["offline"] == "Tidak tersambung"
    assert (texts["not_yet"], texts["already"]) == ("Belum dibuka", "Sudah hadir")
    shown = " ".join(texts.values())
    for word in ("Daring", "Luring", "heck-in", "offline", "walk-in"):
        assert word not in shown
    assert "Peserta datang langsung</a>" in html


def test_the_scanners_own_scripts_show_no_forbidden_word():
    """The service worker's fallback page and the scanner script cannot use gettext: their few
    Indonesian words are checked here (lower-case code words such as "offline" are not shown)."""
    shown = re.compile(r"\b(Daring|Luring|Check-in|Walk-in|Offline|Online)\b")
    wrong = []
    for path in sorted((ROOT / "static" / "js").glob("*.js")):
        for literal in re.findall(r"\"[^\"\n]*\"|'[^'\n]*'", path.read_text(encoding="utf-8")):
            if shown.search(literal):
                wrong.append(f"{path.name}: {literal}")
    assert wrong == []


def test_demo_and_reference_data_spell_as_kbbi():
    """Demo data and the unit catalogue are read by officials too: "Kompleks", not "Komplek"."""
    wrong = []
    for path in (ROOT / "sosialisasi" / "demo.py", ROOT / "sosialisasi" / "units" / "catalogue.py"):
        wrong += [m.group(0) for m in re.finditer(r"\bKomplek\b", path.read_text(encoding="utf-8"))]
    assert wrong == []
