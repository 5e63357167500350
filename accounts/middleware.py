import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import middleware as otp_middleware

from accounts.backends import device_key, loading_with_device
from accounts.services import user_has_two_factor

# Write the last-seen time at most this often, so that reading pages does not write the session.
_TOUCH_EVERY_SECONDS = 60


class OTPMiddleware(otp_middleware.OTPMiddleware):
    """django-otp's, with the device that verified the user read in the user's own query
    (accounts.backends.ModelBackend) instead of one of its own: one query less on every page.

    As in django-otp, the device is read again at every request, so a device removed or no
    longer confirmed stops counting at the user's next request. When the user was loaded before
    this middleware ran, or by another backend, the device is read on its own as django-otp does.
    """

    def _verify_user_sync(self, request, user):
        persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
        key = device_key(self._normalize_persistent_id(persistent_id)) if persistent_id else None
        with loading_with_device(key):
            is_authenticated = user.is_authenticated  # loads the lazy user
        self._init_user_fields(user)
        if is_authenticated:
            # No device when the session names none, or something that is not a device.
            device = None
            if key is not None:
                loaded_key, device = getattr(user, "session_device", (None, None))
                if loaded_key != key:
                    device = self._device_from_persistent_id(persistent_id)
            user.otp_device = self._finalize_device(request, user, device)
        return user


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
