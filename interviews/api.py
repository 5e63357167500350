"""The card office's read-only API: may this card's renewal go ahead?

GET /api/v1/clearances/<card number>/ with "Authorization: Bearer <token>", a per-system token
made with `python manage.py create_api_token NAME` (only its hash is stored). JSON only, no
session and no browsable API; every call is audited and each token is throttled.
"""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from accounts.models import AuditEntry
from accounts.services import audit_log
from interviews.clearance import Code, Status, clearance_for
from interviews.models import ApiToken
from registry.encryption import normalise_identifier
from registry.models import IdentityCard

KEYWORD = b"bearer"


class ApiTokenAuthentication(BaseAuthentication):
    """ "Authorization: Bearer <key>" against ApiToken. No user: request.auth is the token."""

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header:
            return None
        if header[0].lower() != KEYWORD or len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the token as: Authorization: Bearer <token>.")
            )
        try:
            key = header[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("The token is not valid.")) from None
        token = ApiToken.authenticate(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("The token is not valid or was revoked."))
        return AnonymousUser(), token

    def authenticate_header(self, request):
        # Makes DRF answer 401 (not 403) without a valid token.
        return 'Bearer realm="hestia"'


class HasApiToken(BasePermission):
    def has_permission(self, request, view):
        return isinstance(request.auth, ApiToken)


class ApiTokenThrottle(SimpleRateThrottle):
    """So many calls per token (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["api_token"])."""

    scope = "api_token"

    def get_rate(self):
        # Read at call time, so that a changed setting applies without a restart of the class.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.key_hash}


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "cardOfficeToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": str(
                _("A per-system token made with: python manage.py create_api_token NAME")
            ),
        }


class ReasonSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=Code.values, help_text="Stable machine code.")
    message = serializers.CharField(help_text="The reason in words, in the requested language.")


class ClearanceSerializer(serializers.Serializer):
    card_number = serializers.CharField(source="card.number")
    cleared = serializers.BooleanField(help_text="True when the renewal may go ahead.")
    status = serializers.ChoiceField(choices=Status.values)
    reasons = ReasonSerializer(
        many=True, help_text="Why the renewal may not go ahead; empty when cleared."
    )
    interview_held_on = serializers.DateField(
        allow_null=True, help_text="The interview held in the card's window, if any."
    )
    bank_account_verified_on = serializers.DateField(
        allow_null=True, help_text="When the worker's own bank account was verified, if current."
    )


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ClearanceView(APIView):
    authentication_classes = [ApiTokenAuthentication]
    permission_classes = [HasApiToken]
    throttle_classes = [ApiTokenThrottle]
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="clearance_retrieve",
        summary="Whether a card's renewal may go ahead",
        description=(
            "The card or visa number is compared without case, spaces or punctuation. "
            'status "on_hold" means the renewal waits for a supervisor\'s decision: do not '
            "renew yet."
        ),
        parameters=[
            OpenApiParameter(
                "number", str, OpenApiParameter.PATH, description="The card or visa number."
            )
        ],
        responses={
            200: ClearanceSerializer,
            401: OpenApiResponse(ErrorSerializer, description="No token, or a bad or revoked one."),
            404: OpenApiResponse(ErrorSerializer, description="No card has this number."),
            429: OpenApiResponse(ErrorSerializer, description="Too many calls; wait and retry."),
        },
    )
    def get(self, request, number: str):
        token: ApiToken = request.auth
        normalised = normalise_identifier(number)
        card = (
            IdentityCard.objects.select_related("worker")
            .filter(number_normalised=normalised)
            .order_by("-expiry_date", "-pk")
            .first()
            if normalised
            else None
        )
        audit_log(
            action=AuditEntry.Action.VIEW,
            request=request._request,
            obj=card,
            object_type="" if card else "registry.identitycard",
            username=f"api:{token.name}",
            detail="clearance" if card else "clearance: no such card",
        )
        if card is None:
            raise exceptions.NotFound(_("No card or visa has this number."))
        return Response(ClearanceSerializer(clearance_for(card)).data)
