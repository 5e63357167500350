from tests.matrix import AD, ANON, AU, IV, LOGIN, PO, SV, everyone, only

ENTRIES = {
    # Supervisors are sent on to the oversight dashboard, their home page.
    "accounts:home": ({}, "get", {ANON: LOGIN, **everyone(200), SV: 302}),
    "accounts:login": ({}, "get", {ANON: 200, **everyone(302)}),
    "accounts:logout": ({}, "post", {ANON: 302, **everyone(302)}),
    "accounts:two-factor-verify": ({}, "get", {ANON: LOGIN, **everyone(302)}),
    "accounts:two-factor-setup": ({}, "get", {ANON: LOGIN, **everyone(200)}),
    "accounts:recovery-codes-regenerate": ({}, "post", {ANON: LOGIN, **everyone(200)}),
    "accounts:password-change": ({}, "get", {ANON: LOGIN, **everyone(200)}),
    "accounts:password-reset": ({}, "get", {ANON: 200, **everyone(200)}),
    "accounts:password-reset-done": ({}, "get", {ANON: 200, **everyone(200)}),
    "accounts:password-reset-confirm": (
        {"uidb64": "MQ", "token": "set-password"},
        "get",
        {ANON: 200, **everyone(200)},
    ),
    "accounts:password-reset-complete": ({}, "get", {ANON: 200, **everyone(200)}),
    "accounts:audit-list": ({}, "get", only(SV, AU)),
    "accounts:audit-export": ({}, "get", only(AU)),
    "set_language": ({}, "post", {ANON: 302, **everyone(302)}),
    # The Django admin: staff accounts (administrators) only; others are sent to sign in.
    "admin:index": ({}, "get", {ANON: 302, AD: 200, PO: 302, IV: 302, SV: 302, AU: 302}),
}
