import csv

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language
from django_otp import login as otp_login

from accounts import selectors, services
from accounts.forms import AuditFilterForm, EnrolForm, QueuedPasswordResetForm, TokenForm
from accounts.models import AuditEntry
from accounts.pagination import CappedPaginator
from accounts.permissions import staff_view
from accounts.roles import ROLE_DESCRIPTIONS, Role

Action = AuditEntry.Action


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, axes_limit=settings.AXES_FAILURE_LIMIT)


def locked_out(request, original_response=None, credentials=None):
    """What django-axes shows once the failure limit is reached (attempts are already audited)."""
    return render(
        request,
        "accounts/locked_out.html",
        {"cooloff_minutes": settings.HESTIA_LOGIN_LOCKOUT_MINUTES},
        status=429,
    )


@require_POST
def language_set(request):
    """Django's set_language, with a clear message instead of silence for an unknown code."""
    code = request.POST.get("language", "")
    if code not in dict(settings.LANGUAGES):
        messages.error(request, _("This language is not available. The language was not changed."))
        return redirect(_safe_next(request, reverse("accounts:home")))
    return set_language(request)


def admin_login_redirect(request):
    """The admin signs in through the staff login, so lockout and two factors apply there too."""
    query = urlencode({"next": request.GET.get("next", reverse("admin:index"))})
    return HttpResponseRedirect(f"{reverse('accounts:login')}?{query}")


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    if request.user.is_verified():
        return redirect(_safe_next(request, reverse("accounts:home")))
    if not services.user_has_two_factor(request.user):
        return redirect("accounts:two-factor-setup")
    form = TokenForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            otp_login(request, form.device)
            services.audit_log(action=Action.LOGIN, request=request, detail="second factor")
            if form.device.persistent_id.startswith("otp_static"):
                remaining = form.device.token_set.count()
                messages.warning(
                    request,
                    _("You signed in with a recovery code. %(count)d codes are left.")
                    % {"count": remaining},
                )
            return redirect(_safe_next(request, reverse("accounts:home")))
        services.audit_log(action=Action.LOGIN_FAILED, request=request, detail="second factor")
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": _safe_next(request, "")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    if services.user_has_two_factor(request.user) and not request.user.is_verified():
        return redirect("accounts:two-factor-verify")
    device = services.totp_device_start(user=request.user)
    form = EnrolForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        codes = services.totp_device_confirm(device=device, request=request)
        otp_login(request, device)
        messages.success(request, _("Two-factor sign-in is set up."))
        return render(request, "accounts/recovery_codes.html", {"codes": codes, "fresh": True})
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": image.to_string(encoding="unicode"),
            "secret": _group(device.bin_key),
            "replacing": services.user_has_two_factor(request.user),
        },
    )


def _group(key: bytes) -> str:
    from base64 import b32encode

    text = b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@login_required
@require_POST
def recovery_codes_regenerate(request):
    codes = services.recovery_codes_issue(user=request.user, request=request)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "fresh": False})


@login_required
def home(request):
    user = request.user
    # Supervisors start on the oversight dashboard; officers, who may also hold it, keep this
    # page. ?account=1 still shows this page (their role, two-factor state, recent sign-ins).
    if (
        user.has_perm("oversight.view_dashboard")
        and not user.has_perm("registry.add_worker")
        and "account" not in request.GET
    ):
        return redirect("oversight:dashboard")
    roles = [Role(name) for name in user.role_names() if name in Role.values]
    return render(
        request,
        "accounts/home.html",
        {
            "roles": [(role.value, role.label, ROLE_DESCRIPTIONS[role]) for role in roles],
            "has_two_factor": services.user_has_two_factor(request.user),
            "recent_sign_ins": selectors.recent_sign_ins(request.user),
            "idle_minutes": settings.HESTIA_SESSION_IDLE_MINUTES,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        services.audit_log(
            action=Action.UPDATE, request=request, obj=user, changed_fields=["password"]
        )
        messages.success(request, _("Your password has been changed."))
        return redirect("accounts:home")
    return render(request, "accounts/password_change.html", {"form": form})


class PasswordResetView(auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.audit_log(
            action=Action.UPDATE,
            actor=form.user,
            request=self.request,
            obj=form.user,
            changed_fields=["password"],
            detail="password reset by e-mail",
        )
        return response


@staff_view("accounts.view_auditentry")
def audit_list(request):
    # Logged first, so the page counts and shows the same entries.
    services.audit_log(action=Action.VIEW, request=request, object_type="accounts.auditentry")
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.audit_entries(**filters)
    page = CappedPaginator(entries, settings.HESTIA_AUDIT_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/audit_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@staff_view("accounts.view_auditentry", "accounts.export_auditentry")
def audit_export(request):
    form = AuditFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        messages.error(request, _("The filter is not valid; nothing was exported."))
        return redirect(f"{reverse('accounts:audit-list')}?{request.GET.urlencode()}")
    entries = selectors.audit_entries(**(form.cleaned_data if request.GET else {}))
    services.audit_log(
        action=Action.EXPORT,
        request=request,
        object_type="accounts.auditentry",
        detail=request.GET.urlencode()[:255],
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="hestia-audit-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["when", "user", "action", "object_type", "object_id", "changed_fields", "ip", "detail"]
    )
    for entry in entries.iterator(chunk_size=2000):
        writer.writerow(
            [
                timezone.localtime(entry.at).isoformat(),
                entry.actor_username,
                entry.action,
                entry.object_type,
                entry.object_id,
                " ".join(entry.changed_fields),
                entry.ip_address or "",
                entry.detail,
            ]
        )
    return response


def permission_denied(request, exception=None):
    services.audit_log(
        action=Action.PERMISSION_DENIED,
        request=request,
        detail=f"{request.method} {request.path}"[:255],
    )
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: the database may be what failed.
    return HttpResponse(loader.get_template("500.html").render({"request": request}), status=500)
