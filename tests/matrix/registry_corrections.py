"""Correcting mistakes: officers correct, close and reject accounts and change or remove phones;
supervisors may reject an account (they verify accounts too); nobody else may do any of it."""

from tests.matrix import PO, SV, only
from tests.registry.factories_bank import BankAccountFactory
from tests.registry.factories_workers import PhoneFactory


def _account():
    return {"pk": BankAccountFactory().pk}


def _phone():
    return {"pk": PhoneFactory().pk}


ENTRIES = {
    # GET shows the confirmation form asking for the reason.
    "registry:bank-account-close": (_account, "get", only(PO)),
    "registry:bank-account-reject": (_account, "get", only(PO, SV)),
    "registry:bank-account-update": (_account, "get", only(PO)),
    "registry:phone-update": (_phone, "get", only(PO)),
    # GET shows the confirmation page; the number is removed only by the POST.
    "registry:phone-remove": (_phone, "get", only(PO)),
}
