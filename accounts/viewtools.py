"""Small helpers the apps' views share: a form bound on POST only, a service's ValidationError
put back on the form, and a page of a list with the query string to page on."""

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator


def bound(request):
    """The data to bind a form to: the POST on a POST, None (an unbound form) otherwise."""
    return request.POST if request.method == "POST" else None


def form_errors_from(form, error: ValidationError, field: str | None = None) -> None:
    """Put a service's ValidationError back on the form: each message on the field it names
    when the form has that field, otherwise on `field` (None: above the form)."""
    if not hasattr(error, "error_dict"):
        form.add_error(field, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else field, errors)


def page_and_query(request, queryset, per_page: int) -> tuple[Page, str]:
    """The requested page of `queryset`, and the request's query string without "page" (for
    the pagination links)."""
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
