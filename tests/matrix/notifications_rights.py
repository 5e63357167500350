from tests.matrix import AD, ALL_ROLES, ANON, only

# The rights information is public: no login, the same answer for everyone.
PUBLIC = {ANON: 200, **{role: 200 for role in ALL_ROLES}}


def _contact():
    from notifications.models_contacts import ContactPoint

    contact = ContactPoint.objects.create(kind="hotline", name="Helpline", phone="+32 2 000 00 00")
    return {"pk": contact.pk}


ENTRIES = {
    "rights:language-list": ({}, "get", PUBLIC),
    "rights:page-detail": ({"language": "am"}, "get", PUBLIC),
    "rights:page-qr": ({"language": "ar"}, "get", PUBLIC),
    "rights:leaflet-pdf": ({"language": "tl"}, "get", PUBLIC),
    "rights:contact-list": ({}, "get", only(AD)),
    "rights:contact-create": ({}, "get", only(AD)),
    "rights:contact-update": (_contact, "get", only(AD)),
    # A POST without a direction changes nothing and goes back to the list.
    "rights:contact-move": (_contact, "post", only(AD, allowed=302)),
    "rights:translation-list": ({}, "get", only(AD)),
}
