from tests.matrix import ANON, everyone

ENTRIES = {
    # The gateway has no account: without a valid signature everyone is refused, signed in or not.
    "notifications:receipt": ({}, "post", {ANON: 403, **everyone(403)}),
}
