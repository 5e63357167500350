"""Bank accounts (recommendation 39): officers record them, supervisors verify them too,
interviewers read them with the number masked; administrators and auditors do not see them."""

from tests.factories import WorkerFactory
from tests.matrix import IV, PO, SV, only
from tests.registry.factories_bank import BankAccountFactory, BankEvidenceFactory


def _worker():
    return {"worker_pk": WorkerFactory().pk}


def _account():
    return {"pk": BankAccountFactory().pk}


def _evidence():
    return {"pk": BankEvidenceFactory().pk}


ENTRIES = {
    "registry:bank-account-create": (_worker, "get", only(PO)),
    "registry:bank-account-detail": (_account, "get", only(PO, IV, SV)),
    # An empty POST shows the account page again with the form's errors.
    "registry:bank-evidence-upload": (_account, "post", only(PO)),
    "registry:bank-evidence-download": (_evidence, "get", only(PO, SV)),
    "registry:bank-account-verify": (_account, "post", only(PO, SV)),
    "registry:salary-deposit-create": (_account, "post", only(PO)),
}
