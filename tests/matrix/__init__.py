"""Entries of the access matrix, one module per area; tests/test_access_matrix.py merges them.

Each module defines ENTRIES: url name -> (kwargs, method, expected answer per visitor).
kwargs is a dict, or a function taking no argument that creates what the URL needs (the
database is available) and returns the kwargs.
"""

import importlib
import pkgutil

from accounts.roles import Role

ANON = "anonymous"
PO, IV, SV, AD, AU = (
    Role.PROTOCOL_OFFICER,
    Role.INTERVIEWER,
    Role.SUPERVISOR,
    Role.ADMINISTRATOR,
    Role.AUDITOR,
)
ALL_ROLES = [PO, IV, SV, AD, AU]
LOGIN = "login"  # a redirect to the login page


def everyone(status):
    return {role: status for role in ALL_ROLES}


def only(*roles, allowed=200):
    """`allowed` for the roles named, 403 for the others, redirect to login for anonymous."""
    return {ANON: LOGIN, **{role: (allowed if role in roles else 403) for role in ALL_ROLES}}


def all_entries() -> dict:
    merged = {}
    for module_info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        overlap = merged.keys() & module.ENTRIES.keys()
        assert not overlap, f"{module_info.name} repeats {overlap}"
        merged.update(module.ENTRIES)
    return merged
