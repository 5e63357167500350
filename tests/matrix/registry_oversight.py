"""The supervisor's queue of contracts waiting for a decision: who may open it."""

from tests.matrix import PO, SV, only

ENTRIES = {
    # Supervisors decide; protocol officers read the queue; nobody else sees it.
    "registry:contracts-awaiting-exception": ({}, "get", only(PO, SV)),
}
