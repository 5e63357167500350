"""Mission compliance and statistics: supervisors and auditors read and export them."""

from tests.matrix import AU, SV, only

ENTRIES = {
    "oversight:compliance": ({}, "get", only(SV, AU)),
    "oversight:compliance-csv": ({}, "get", only(SV, AU)),
    "oversight:compliance-pdf": ({}, "get", only(SV, AU)),
    "oversight:statistics": ({}, "get", only(SV, AU)),
    "oversight:statistics-csv": ({}, "get", only(SV, AU)),
}
