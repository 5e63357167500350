"""Salary accounts needing attention: a work queue for those who verify accounts."""

from tests.matrix import PO, SV, only

ENTRIES = {
    "registry:bank-account-attention": ({}, "get", only(PO, SV)),
}
