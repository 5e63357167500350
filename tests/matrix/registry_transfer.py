from tests.matrix import PO, SV, only

ENTRIES = {
    # Only protocol officers load files into the registry.
    "registry:registry-import": ({}, "get", only(PO)),
    # Officers and supervisors may take a list out; the export itself is audited.
    "registry:registry-export": ({"kind": "workers"}, "get", only(PO, SV)),
}
