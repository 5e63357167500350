"""Delivery receipts: the SMS gateway tells us a message was delivered or failed.

The gateway has no account: each request is signed (HMAC-SHA256 over the timestamp and the raw
body with HESTIA_RECEIPT_SECRET) and refused unless the signature and the time are right. The
contract is in docs/sms-gateway.md.
"""

import json
import logging

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from notifications import dispatch

logger = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def receipt(request):
    body = request.body
    if not dispatch.receipt_verify(
        timestamp=request.headers.get("X-Hestia-Timestamp", ""),
        body=body,
        signature=request.headers.get("X-Hestia-Signature", ""),
    ):
        logger.warning("Delivery receipt refused: bad signature or timestamp")
        return JsonResponse({"error": "bad_signature"}, status=403)
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"error": "malformed_json"}, status=400)
    reference = data.get("id") if isinstance(data, dict) else None
    key = data.get("reference") if isinstance(data, dict) else None
    status = data.get("status") if isinstance(data, dict) else None
    error = data.get("error") if isinstance(data, dict) else None
    if (
        not isinstance(status, str)
        or not (_text(reference) or _text(key))
        or (error is not None and not isinstance(error, str))
    ):
        return JsonResponse({"error": "malformed_receipt"}, status=400)
    dispatch.receipt_record(
        reference=_text(reference),
        status=status,
        error=error or "",
        idempotency_key=_text(key),
        request=request,
    )
    return JsonResponse({"received": True})


def _text(value) -> str:
    """An id the gateway may send as a string or a number."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return ""
    text = str(value).strip()
    # A NUL cannot be stored or looked up in PostgreSQL: such an id is malformed, not a 500.
    return "" if "\x00" in text else text
