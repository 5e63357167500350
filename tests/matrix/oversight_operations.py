"""The operations view is for administrators; /healthz answers anyone (it names no data)."""

from tests.matrix import AD, ALL_ROLES, ANON, only

ENTRIES = {
    "oversight:operations": ({}, "get", only(AD)),
    "healthz": ({}, "get", {ANON: 200, **{role: 200 for role in ALL_ROLES}}),
}
