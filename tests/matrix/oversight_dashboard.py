"""The oversight dashboard: the supervisors' home page, for them alone."""

from tests.matrix import SV, only

ENTRIES = {
    "oversight:dashboard": ({}, "get", only(SV)),
}
