from tests.matrix import AD, only


def _template():
    from notifications.models import MessageTemplate

    template, _created = MessageTemplate.objects.get_or_create(
        kind="reminder", channel="sms", language="xx", defaults={"body": "{{ date }}"}
    )
    return {"pk": template.pk}


ENTRIES = {
    # The notice-template editor is the administrator's alone.
    "notifications:template-list": ({}, "get", only(AD)),
    "notifications:template-create": ({}, "get", only(AD)),
    "notifications:template-update": (_template, "get", only(AD)),
}
