"""Pagination for lists that grow without bound (the outbox, the audit log).

Django's Paginator counts every matching row on each page view: a scan of the whole table when
nothing is filtered, which grows with the years of notices and audit entries. CappedPaginator
counts at most `cap` rows (an index-ordered LIMIT inside the COUNT), and the page says "more
than 10,000" beyond that, so the cost of a page stays the same whatever the table's size. The
filters narrow a list to what one wants to read; nobody pages through 200 pages of 50.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

LIST_COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = LIST_COUNT_CAP if cap is None else cap

    @cached_property
    def _counted(self) -> int:
        """Rows counted, at most cap + 1 (one more than the cap tells "more than")."""
        return self.object_list[: self.cap + 1].count()

    @cached_property
    def capped(self) -> bool:
        """True when there are more rows than the cap: the total shown is then a lower bound."""
        return self._counted > self.cap

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)
