import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.services import user_has_two_factor

# Write the last-seen time at most this often, so that reading pages does not write the session.
_TOUCH_EVERY_SECONDS = 60


class IdleTimeoutMiddleware:
    """Sign a staff user out after HESTIA_SESSION_IDLE_MINUTES without a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            last_seen = request.session.get("last_seen")
            idle_limit = settings.HESTIA_SESSION_IDLE_MINUTES * 60
            if last_seen is not None and now - last_seen > idle_limit:
                logout(request)
                messages.info(
                    request,
                    _("You were signed out after %(minutes)d minutes without activity.")
                    % {"minutes": settings.HESTIA_SESSION_IDLE_MINUTES},
                )
                return redirect(
                    f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': request.get_full_path()})}"
                )
            if last_seen is None or now - last_seen > _TOUCH_EVERY_SECONDS:
                request.session["last_seen"] = now
        return self.get_response(request)


class RequireTwoFactorMiddleware:
    """Until the second factor is verified, a signed-in user may only verify it, enrol one,
    change language or sign out."""

    ALLOWED_URL_NAMES = {
        "accounts:two-factor-verify",
        "accounts:two-factor-setup",
        "accounts:logout",
        "set_language",
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.HESTIA_REQUIRE_2FA
            and request.user.is_authenticated
            and not request.user.is_verified()
            and not request.path.startswith(settings.STATIC_URL)
        ):
            match = request.resolver_match or _resolve(request.path_info)
            if match is None or match.view_name not in self.ALLOWED_URL_NAMES:
                target = (
                    "accounts:two-factor-verify"
                    if user_has_two_factor(request.user)
                    else "accounts:two-factor-setup"
                )
                return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


def _resolve(path):
    from django.urls import Resolver404, resolve

    try:
        return resolve(path)
    except Resolver404:
        return None
