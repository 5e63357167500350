"""Missed appointments: marking one as missed (the worker is re-invited, and a concern is raised
at the policy's count) and the officers' list of missed appointments to follow up, beside the
appointments whose time passed with neither a record nor a "missed" mark."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import object_for, staff_view
from interviews import scheduling
from interviews.models import Interview

PAGE_SIZE = 25
VIEW = "interviews.view_interview"
BOOK = "interviews.book_interview"
TABS = ("missed", "unrecorded")


@staff_view(VIEW)
@require_POST
def interview_missed(request, pk):
    """The worker did not come: the assigned interviewer, an officer or a supervisor says so."""
    interview = object_for(request, Interview.objects.select_related("worker"), VIEW, pk=pk)
    if not scheduling.may_mark_missed(request.user, interview):
        raise PermissionDenied
    try:
        result = scheduling.interview_mark_missed(
            interview=interview, by=request.user, request=request
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if result.booked:
            messages.success(
                request,
                _(
                    "The appointment was marked as missed. A new appointment was booked and "
                    "the worker was told."
                ),
            )
        else:
            messages.warning(
                request,
                _(
                    "The appointment was marked as missed and the worker was told. No free "
                    "time was found: book the new appointment by hand."
                ),
            )
        if result.concern is not None:
            messages.warning(
                request,
                _(
                    "The worker has missed %(count)d appointments in a row: a concern was "
                    "raised (possible restriction of movement)."
                )
                % {"count": result.misses},
            )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("interviews:interview-detail", args=[interview.pk])
    return redirect(target)


@staff_view(VIEW, BOOK)
@require_GET
def missed_list(request):
    """Missed appointments to follow up, oldest first; and, on the second tab, booked
    appointments whose time passed more than a day ago with neither a record nor a "missed"
    mark, to chase the interviewer. A fixed number of queries at any size."""
    tab = request.GET.get("show", "missed")
    if tab not in TABS:
        tab = "missed"
    if tab == "missed":
        queryset = scheduling.missed_to_follow_up(request.user)
    else:
        queryset = scheduling.unrecorded_appointments(request.user)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    if tab == "missed":
        counts = scheduling.misses_in_a_row(rows) if rows else {}
        for interview in rows:
            interview.misses = counts.get(interview.pk, 1)
            interview.next_status_label = (
                Interview.Status(interview.next_status).label if interview.next_status else ""
            )
    return render(
        request,
        "interviews/missed_list.html",
        {
            "tab": tab,
            "page": page,
            "rows": rows,
            "query": "" if tab == "missed" else f"show={tab}",
            "unrecorded_days": scheduling.UNRECORDED_AFTER.days,
        },
    )


urlpatterns = [
    path("missed/", missed_list, name="missed-list"),
    path("<int:pk>/missed/", interview_missed, name="interview-missed"),
]
