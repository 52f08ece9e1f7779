"""Login, logout, own password, user administration and API tokens."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from ..common.decorators import role_required
from ..common.errors import DomainError
from ..common.forms import add_error
from ..common.mail import mail_configured
from ..extensions import db, limiter, login_manager
from ..units.models import Unit
from ..units.services import unit_choices
from . import operator_import, services
from .forms import ChangePasswordForm, LoginForm, UserForm
from .models import ApiToken, Role, User

bp = Blueprint("auth", __name__)

# What an account that must change its password may still open.
_FREE_ENDPOINTS = {"auth.change_password", "auth.logout", "auth.set_language", "static"}


@bp.before_app_request
def _force_password_change():
    """An account created with an initial password chooses its own before anything else."""
    if (
        current_user.is_authenticated
        and getattr(current_user, "must_change_password", False)
        and request.endpoint not in _FREE_ENDPOINTS
        and not (request.endpoint or "").startswith("api.")
    ):
        flash(_("Ganti kata sandi awal Anda sebelum melanjutkan."), "warning")
        return redirect(url_for("auth.change_password"))
    return None


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths; anything else goes home."""
    if not target:
        return url_for("main.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("main.index")
    return target


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _login_user_limit() -> str:
    return current_app.config.get("LOGIN_USERNAME_RATE_LIMIT", "30 per 15 minutes")


def _login_username_key() -> str:
    """Failed logins are also counted per account name, whatever address they come from."""
    return "login-user:" + (request.form.get("username") or "").strip().lower()[:64]


def _failed(response) -> bool:
    return response.status_code != 302


# Counted per client address (behind a proxy: set TRUSTED_PROXIES) and per username; only
# failures count, so a person who types the right password is never held back by a success.
@bp.route("/masuk", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed)
@limiter.limit(
    _login_user_limit, key_func=_login_username_key, methods=["POST"], deduct_when=_failed
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(
            form.username.data,
            form.password.data,
            ip=request.remote_addr,
            device=request.user_agent.string,
        )
        if user is None:
            db.session.commit()
            form.password.errors.append(_("Nama pengguna atau kata sandi salah."))
        else:
            db.session.commit()
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.get("/login")
def login_alias():
    """``/login`` (what people type) leads to the login page, ``/masuk``."""
    return redirect(url_for("auth.login", **request.args))


@bp.post("/keluar")
@login_required
def logout():
    logout_user()
    flash(_("Anda telah keluar."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/akun/kata-sandi", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                current_user,
                current=form.current_password.data,
                new=form.password.data,
                ip=request.remote_addr,
            )
        except DomainError as err:
            add_error(form, err, "password")
        else:
            db.session.commit()
            login_user(
                current_user._get_current_object()
            )  # keep this session; the others have ended
            flash(
                _("Kata sandi berhasil diubah. Sesi di perangkat lain telah diakhiri."), "success"
            )
            return redirect(url_for("main.index"))
    return render_template("auth/change_password.html", form=form)


@bp.post("/bahasa/<lang>")
def set_language(lang: str):
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            current_user.locale = lang
            db.session.commit()
    return redirect(_safe_next(request.form.get("next")))


# --- user administration -------------------------------------------------------------------


@bp.get("/pengguna")
@role_required()
def users():
    q = (request.args.get("q") or "").strip()
    stmt = select(User).order_by(User.active.desc(), User.username)
    if q:
        like = f"%{q}%"
        stmt = stmt.where(User.username.ilike(like) | User.name.ilike(like))
    role = request.args.get("role")
    if role in {r.value for r in Role}:
        stmt = stmt.where(User.role == Role(role))
    page = db.paginate(stmt.options(db.joinedload(User.unit)), per_page=50)
    return render_template("auth/users.html", page=page, q=q, roles=Role, role=role)


@bp.route("/pengguna/baru", methods=["GET", "POST"])
@role_required()
def user_new():
    form = UserForm()
    form.unit_id.choices = unit_choices(blank=_("- tidak ada -"))
    if form.validate_on_submit():
        password = form.password.data or services.generate_password()
        try:
            user = services.create_user(
                username=form.username.data,
                name=form.name.data,
                email=form.email.data,
                phone=form.phone.data,
                role=Role(form.role.data),
                unit=db.session.get(Unit, form.unit_id.data) if form.unit_id.data else None,
                password=password,
                actor=current_user,
            )
        except DomainError as err:
            add_error(form, err, "username")
        else:
            db.session.commit()
            if form.password.data:
                flash(_("Pengguna %(username)s dibuat.", username=user.username), "success")
            else:
                flash(
                    _(
                        "Pengguna %(username)s dibuat. Kata sandi awal: %(password)s "
                        "(sampaikan sekali, minta diganti setelah masuk).",
                        username=user.username,
                        password=password,
                    ),
                    "success",
                )
            return redirect(url_for("auth.users"))
    return render_template("auth/user_form.html", form=form, user=None)


@bp.route("/pengguna/<int:user_id>", methods=["GET", "POST"])
@role_required()
def user_edit(user_id: int):
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user)
    form.unit_id.choices = unit_choices(blank=_("- tidak ada -"))
    del form.username
    if request.method == "GET":
        form.role.data = user.role.value
        form.unit_id.data = user.unit_id or 0
    if form.validate_on_submit():
        try:
            services.update_user(
                user,
                name=form.name.data or "",
                email=form.email.data,
                role=Role(form.role.data),
                unit=db.session.get(Unit, form.unit_id.data) if form.unit_id.data else None,
                active=form.active.data,
                actor=current_user,
                phone=form.phone.data,
            )
            if form.password.data:
                services.set_password(user, form.password.data)
        except DomainError as err:
            db.session.rollback()
            add_error(form, err, "role")
        else:
            db.session.commit()
            flash(_("Pengguna %(username)s disimpan.", username=user.username), "success")
            return redirect(url_for("auth.users"))
    tokens = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc())
    ).all()
    return render_template("auth/user_form.html", form=form, user=user, tokens=tokens)


@bp.post("/pengguna/<int:user_id>/token")
@role_required()
def token_create(user_id: int):
    user = db.get_or_404(User, user_id)
    name = (request.form.get("name") or "api").strip()[:80] or "api"
    plain, token = services.create_token(user, name, actor=current_user)
    db.session.commit()
    flash(
        _(
            "Token API untuk %(username)s (salin sekarang, hanya ditampilkan sekali): %(token)s",
            username=user.username,
            token=plain,
        ),
        "warning",
    )
    return redirect(url_for("auth.user_edit", user_id=user.id))


@bp.post("/token/<int:token_id>/cabut")
@role_required()
def token_revoke(token_id: int):
    token = db.get_or_404(ApiToken, token_id)
    services.revoke_token(token, actor=current_user)
    db.session.commit()
    flash(_("Token dicabut."), "info")
    return redirect(url_for("auth.user_edit", user_id=token.user_id))


# --- how a request finds its user ----------------------------------------------------------


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    """Session cookies carry ``id:version``; a changed password bumps the version."""
    uid, _sep, version = user_id.partition(":")
    if not uid.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(uid))
    if user is None or user.session_version != int(version):
        return None
    return user


@login_manager.request_loader
def _load_user_from_token(req) -> User | None:
    header = req.headers.get("Authorization", "")
    if not header.startswith("Bearer ") or not req.path.startswith("/api/"):
        return None  # a token opens the API only: never a page, never a form without CSRF
    user = services.user_for_token(header[7:].strip())
    if user is not None:
        g.api_token_user = user
    return user


@login_manager.unauthorized_handler
def _unauthorized():
    if request.path.startswith("/api/"):
        return jsonify(error="unauthorized", message=_("Perlu token API atau sesi masuk.")), 401
    flash(_("Silakan masuk untuk membuka halaman itu."), "info")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


# --- operator accounts for the invited units of an event -----------------------------------


def _handover(event, created, *, by_email: bool, refused=()):
    """Hand the initial passwords over (sheet, e-mail now, or an e-mail job), commit, and show
    the printable sheet of the accounts that still need it."""
    from ..jobs import services as jobs

    login_url = url_for("auth.login", _external=True)
    handover = services.hand_over(
        created, by_email=by_email, config=current_app.config, login_url=login_url
    )
    job = None
    if handover.queued:
        job = jobs.enqueue(
            "auth.operator_passwords",
            {"user_ids": [u.id for u in handover.queued], "login_url": login_url},
            actor=current_user,
            event=event,
        )
    db.session.commit()
    if job is not None:
        jobs.dispatch(job)
    response = make_response(
        render_template(
            "auth/operator_sheet.html",
            event=event,
            created=handover.sheet,
            mailed=handover.mailed,
            queued=handover.queued,
            failed=handover.failed,
            job=job,
            refused=refused,
            asked_email=by_email,
            can_email=mail_configured(current_app.config),
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _by_email() -> bool:
    return request.form.get("kirim") == "email"


@bp.route("/acara/<int:event_id>/akun-operator", methods=["GET", "POST"])
@role_required("organizer")
def bulk_operators(event_id: int):
    """Create one operator account for each invited unit without an active one; the initial
    passwords are shown once on a printable sheet, or e-mailed, and must be changed at the
    first login."""
    from ..events.services import get_event_or_404

    event = get_event_or_404(event_id, current_user)
    invited = sorted((inv.unit for inv in event.invitations), key=lambda u: u.name)
    have = services.active_operator_counts(u.id for u in invited)
    missing = [u for u in invited if not have.get(u.id)]
    if request.method == "POST":
        chosen = set(request.form.getlist("unit_ids", type=int))
        rows = [services.OperatorRow(u) for u in missing if u.id in chosen]
        if not rows:
            flash(_("Pilih minimal satu unit."), "danger")
            return redirect(url_for("auth.bulk_operators", event_id=event.id))
        try:
            created = services.create_operators(rows, actor=current_user, event=event)
        except DomainError as err:
            db.session.rollback()
            flash(err.message, "danger")
            return redirect(url_for("auth.bulk_operators", event_id=event.id))
        return _handover(event, created, by_email=_by_email())
    return render_template(
        "auth/bulk_operators.html",
        event=event,
        missing=missing,
        can_email=mail_configured(current_app.config),
    )


@bp.route("/acara/<int:event_id>/akun-operator/impor", methods=["GET", "POST"])
@role_required("organizer")
def import_operators(event_id: int):
    """Operator accounts from a CSV/XLSX (nama, unit, e-mail, telepon): upload, a preview
    with each bad row's reasons by row number, then create the good rows."""
    from ..events.services import get_event_or_404

    event = get_event_or_404(event_id, current_user)
    page = {"event": event, "can_email": mail_configured(current_app.config)}
    if request.method == "POST":
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            flash(_("Pilih berkas CSV atau XLSX."), "danger")
            return render_template("auth/import_operators.html", **page), 422
        try:
            plan = operator_import.plan(upload.read(), upload.filename)
        except DomainError as err:
            flash(err.message, "danger")
            return render_template("auth/import_operators.html", **page), 422
        token = operator_import.sign(plan.good, current_app.secret_key or "")
        return render_template(
            "auth/import_operators.html", plan=plan, token=token, filename=upload.filename, **page
        )
    return render_template("auth/import_operators.html", **page)


@bp.post("/acara/<int:event_id>/akun-operator/impor/buat")
@role_required("organizer")
def import_operators_apply(event_id: int):
    from ..events.services import get_event_or_404

    event = get_event_or_404(event_id, current_user)
    try:
        rows = operator_import.unsign(request.form.get("token", ""), current_app.secret_key or "")
        created, refused = operator_import.apply(rows, actor=current_user, event=event)
    except DomainError as err:
        db.session.rollback()
        flash(err.message, "danger")
        return redirect(url_for("auth.import_operators", event_id=event.id))
    return _handover(event, created, by_email=_by_email(), refused=refused)
