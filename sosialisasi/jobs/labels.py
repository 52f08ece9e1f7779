"""What the job pages print: the kind, the state and the result's figures in words, not the keys
the code stores (``registration.ticket_mail``, ``sent``, ``without_email``)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

KINDS = {
    "registration.notices": _l("Pemberitahuan undangan ke unit"),
    "auth.operator_passwords": _l("Kata sandi awal akun operator"),
    "registration.ticket_mail": _l("Pengiriman tiket"),
    "registration.bulk": _l("Tindakan massal pada pendaftaran"),
    "import.preview": _l("Pratinjau impor peserta"),
    "import.apply": _l("Impor peserta"),
    "followup.reminders": _l("Pengingat tenggat tindak lanjut"),
    "followup.task_reminders": _l("Pengingat tugas tindak lanjut"),
    "followup.evidence_bundle": _l("Berkas bukti dukung (ZIP)"),
    "registration.badges": _l("Kartu peserta (PDF)"),
    "attendance.list_pdf": _l("Daftar hadir (PDF)"),
    "documents.certificates_pdf": _l("Sertifikat (PDF)"),
}

STATES = {
    "queued": _l("Menunggu giliran"),
    "running": _l("Sedang dikerjakan"),
    "done": _l("Selesai"),
    "failed": _l("Gagal"),
}

# The result's figures a user reads; other keys (tokens, file names) stay out of the page.
RESULT = {
    "rows": _l("Baris"),
    "participants": _l("Peserta"),
    "accounts": _l("Akun"),
    "units": _l("Unit"),
    "tasks": _l("Tugas"),
    "messages": _l("Pesan"),
    "changed": _l("Diubah"),
    "sent": _l("Terkirim"),
    "reminded": _l("Diingatkan"),
    "skipped": _l("Dilewati"),
    "failed": _l("Gagal"),
    "without_email": _l("Tanpa alamat e-mail"),
    "without_address": _l("Tanpa alamat tujuan"),
    "over_quota": _l("Melebihi kuota"),
    "quota_refused": _l("Ditolak karena kuota"),
    "files": _l("Berkas"),
    "reason": _l("Keterangan"),
}


def kind_label(kind: str) -> str:
    return str(KINDS.get(kind, kind))


def state_label(status: str) -> str:
    return str(STATES.get(status, status))


def result_lines(result: dict[str, Any] | None) -> list[tuple[str, int | float | str]]:
    """(label, value) for the figures and words of a finished job's result, in its order."""
    return [
        (str(RESULT[key]), value)
        for key, value in (result or {}).items()
        if key in RESULT
        and not isinstance(value, bool)
        and (isinstance(value, int | float) or (isinstance(value, str) and value))
    ]
