"""The list of messages to workers: whoever may read the messages (officers, supervisors)."""

from tests.matrix import PO, SV, only

ENTRIES = {
    "notifications:message-list": ({}, "get", only(PO, SV)),
}
