"""What an officer does with the messages on a worker's page, and batches of notices."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import AuditEntry
from accounts.pagination import CappedPaginator
from accounts.permissions import object_for, staff_view
from accounts.services import audit_log
from notifications import selectors, services
from notifications.forms_messages import BatchForm, MessageFilterForm, ReasonForm
from notifications.models import Batch, Kind, Message
from registry.models import Employment, Worker
from registry.selectors import language_name

MESSAGE_PAGE_SIZE = 50


@staff_view("notifications.view_message")
@require_GET
def message_list(request):
    """Every notice in the outbox, filtered by status, kind, channel and age; never its text."""
    form = MessageFilterForm(request.GET or None)
    page = CappedPaginator(selectors.message_list(**form.filters()), MESSAGE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for message in page:
        message.language_name = language_name(message.language)
    # Workers' names beside the notices they were sent: who looked is logged.
    audit_log(
        action=AuditEntry.Action.VIEW,
        request=request,
        object_type="notifications.message",
        detail="message list",
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "notifications/message_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "may_change": request.user.has_perm("notifications.change_message"),
            "failed": Message.Status.FAILED,
            "held": Message.Status.HELD,
            "cancelled": Message.Status.CANCELLED,
        },
    )


def _worker_page(message: Message):
    return redirect("registry:worker-detail", pk=message.worker_id)


@staff_view("notifications.change_message")
@require_http_methods(["GET", "POST"])
def message_cancel(request, pk):
    message = object_for(
        request, Message.objects.select_related("worker"), "notifications.change_message", pk=pk
    )
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_cancel(
                by=request.user,
                message=message,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The message was cancelled."))
            return _worker_page(message)
    return render(
        request,
        "notifications/message_action.html",
        {
            "form": form,
            "message": message,
            "title": _("Cancel a message"),
            "button": _("Cancel the message"),
        },
    )


@staff_view("notifications.change_message")
@require_http_methods(["GET", "POST"])
def message_resend(request, pk):
    message = object_for(
        request, Message.objects.select_related("worker"), "notifications.change_message", pk=pk
    )
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.message_resend(
                by=request.user,
                message=message,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            held = [m for m in new if m.status == Message.Status.HELD]
            if held:
                messages.warning(request, held[0].hold_reason)
            else:
                messages.success(request, _("The notice will be sent again."))
            return _worker_page(message)
    return render(
        request,
        "notifications/message_action.html",
        {
            "form": form,
            "message": message,
            "title": _("Send a message again"),
            "button": _("Send again"),
        },
    )


@staff_view("notifications.change_message")
@require_POST
def message_hand_over(request, pk):
    message = object_for(
        request, Message.objects.select_related("worker"), "notifications.change_message", pk=pk
    )
    try:
        services.message_hand_over(by=request.user, message=message, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Recorded: the notice was handed over to the worker."))
    return _worker_page(message)


def _batch_workers(data: dict):
    employments = Employment.objects.filter(status=data["status"])
    if data.get("mission"):
        employments = employments.filter(employer__mission=data["mission"])
    if data.get("employer"):
        employments = employments.filter(employer=data["employer"])
    workers = Worker.objects.filter(pk__in=employments.values("worker_id"))
    if data.get("nationality"):
        workers = workers.filter(nationality=data["nationality"])
    return workers.order_by("pk")


@staff_view("notifications.add_batch")
@require_http_methods(["GET", "POST"])
def batch_create(request):
    """Send the rights information to every worker of a filtered list (recommendation 36)."""
    form = BatchForm(request.POST if request.method == "POST" else None)
    count = None
    if request.method == "POST" and form.is_valid():
        worker_ids = list(_batch_workers(form.cleaned_data).values_list("pk", flat=True))
        count = len(worker_ids)
        if form.cleaned_data["confirm"]:
            parts = [str(Employment.Status(form.cleaned_data["status"]).label)]
            for name in ("mission", "employer"):
                if form.cleaned_data.get(name):
                    parts.append(str(form.cleaned_data[name]))
            if form.cleaned_data.get("nationality"):
                parts.append(form.cleaned_data["nationality"])
            try:
                batch = services.batch_start(
                    by=request.user,
                    kind=Kind.RIGHTS_INFORMATION,
                    worker_ids=worker_ids,
                    description=" · ".join(parts),
                    request=request,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("notifications:batch-detail", pk=batch.pk)
    return render(request, "notifications/batch_form.html", {"form": form, "count": count})


@staff_view("notifications.view_batch")
def batch_detail(request, pk):
    batch = object_for(
        request, Batch.objects.select_related("created_by"), "notifications.view_batch", pk=pk
    )
    counts = {status: 0 for status, _label in Message.Status.choices}
    for status, number in batch.messages.order_by().values_list("status").annotate(n=Count("id")):
        counts[status] = number
    return render(
        request,
        "notifications/batch_detail.html",
        {
            "batch": batch,
            "counts": [
                (Message.Status(status).label, status, number) for status, number in counts.items()
            ],
            "running": batch.finished_at is None,
            "percent": int(100 * batch.processed / batch.total) if batch.total else 100,
        },
    )


urlpatterns = [
    path("messages/", message_list, name="message-list"),
    path("messages/<int:pk>/cancel/", message_cancel, name="message-cancel"),
    path("messages/<int:pk>/send-again/", message_resend, name="message-resend"),
    path("messages/<int:pk>/handed-over/", message_hand_over, name="message-hand-over"),
    path("batches/new/", batch_create, name="batch-create"),
    path("batches/<int:pk>/", batch_detail, name="batch-detail"),
]
