"""Surat undangan pages: the letter, how units are addressed, the PDF."""

from __future__ import annotations

from flask import (
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from ...common.decorators import role_required
from ...common.errors import DomainError
from ...common.forms import add_error, required
from ...events.services import get_event_or_404
from ...extensions import db
from .. import services
from ..forms import (
    LetterForm,
    SignatoriesForm,
)
from .common import EDITORS, _missing, _pdf, bp


@bp.route("/acara/<int:event_id>/dokumen/surat-undangan", methods=["GET", "POST"])
@role_required(*EDITORS)
def letter(event_id: int):
    event = get_event_or_404(event_id, current_user)
    current = services.get_letter(event)
    form = LetterForm(obj=current)
    if form.validate_on_submit():
        try:
            services.save_letter(
                event,
                services.LetterData(
                    nature=required(form.nature.data),
                    subject=required(form.subject.data),
                    attachment=form.attachment.data or "",
                    opening=form.opening.data or "",
                    note=form.note.data or "",
                    copies=form.copies.data or "",
                ),
                actor=current_user,
            )
        except DomainError as err:
            db.session.rollback()
            add_error(form, err, "subject")
        else:
            db.session.commit()
            flash(_("Isi surat undangan disimpan."), "success")
            return redirect(url_for("documents.letter", event_id=event.id))
    letterhead = services.get_letterhead()
    missing = services.missing_for_letter(event, letterhead)
    content = None
    if letterhead is not None:
        from ..letters import build

        with force_locale("id"):  # the preview of an official document stays Indonesian
            content = build(event, current, letterhead)
    return render_template(
        "documents/letter.html", event=event, form=form, content=content, missing=missing
    )


@bp.get("/acara/<int:event_id>/dokumen/surat-undangan.pdf")
@role_required(*EDITORS)
def letter_pdf(event_id: int):
    event = get_event_or_404(event_id, current_user)
    letterhead = services.get_letterhead()
    missing = services.missing_for_letter(event, letterhead)
    if missing:
        return _missing(event, missing, _("Surat undangan"))
    assert letterhead is not None  # else it is listed as missing
    from ..letters import build, render_invitation

    with force_locale("id"):  # an official document: Indonesian whatever the user's language
        content = build(event, services.get_letter(event), letterhead)
        data = render_invitation(content, services.logo_bytes(letterhead))
    return _pdf(data, f"surat-undangan-{event.id}.pdf")


@bp.route("/acara/<int:event_id>/dokumen/penanda-tangan", methods=["GET", "POST"])
@role_required(*EDITORS)
def signatories(event_id: int):
    """Who signs the undangan, the daftar hadir and laporan; how certificates are numbered."""
    event = get_event_or_404(event_id, current_user)
    form = SignatoriesForm(obj=event)
    if form.validate_on_submit():
        try:
            services.save_signatories(
                event,
                services.SignatoriesData(
                    **{name: getattr(form, name).data for name in SIGNATORY_FORM_FIELDS}
                ),
                actor=current_user,
            )
        except DomainError as err:
            db.session.rollback()
            add_error(form, err, "certificate_pattern")
        else:
            db.session.commit()
            flash(_("Penanda tangan dan penomoran disimpan."), "success")
            return redirect(url_for("documents.signatories", event_id=event.id))
    return render_template(
        "documents/signatories.html",
        event=event,
        form=form,
        missing=services.missing_signatory(event) + services.missing_report_signatory(event),
    )


SIGNATORY_FORM_FIELDS = tuple(services.SignatoriesData.__dataclass_fields__)
