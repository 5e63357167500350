from tests.factories import EmployerFactory, MissionFactory
from tests.matrix import AD, IV, PO, SV, only

READERS = (PO, IV, SV)


def _mission():
    return {"pk": MissionFactory().pk}


def _employer():
    return {"pk": EmployerFactory().pk}


ENTRIES = {
    "registry:mission-list": ({}, "get", only(*READERS)),
    "registry:mission-create": ({}, "get", only(PO)),
    "registry:mission-detail": (_mission, "get", only(*READERS)),
    "registry:mission-update": (_mission, "get", only(PO)),
    "registry:employer-list": ({}, "get", only(*READERS)),
    "registry:employer-create": ({}, "get", only(PO)),
    "registry:employer-detail": (_employer, "get", only(*READERS)),
    "registry:employer-update": (_employer, "get", only(PO)),
    # Administrators edit the policy; supervisors read it.
    "registry:policy-update": ({}, "get", only(SV, AD)),
}
