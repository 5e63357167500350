"""python manage.py create_api_token NAME: a token for one system that calls the card office's
API (GET /api/v1/clearances/<card number>/). The key is printed once; only its hash is kept."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import AuditEntry
from accounts.services import audit_log
from interviews.models import ApiToken

NAME_MAX = ApiToken._meta.get_field("name").max_length


class Command(BaseCommand):
    help = (
        "Create an API token for the system NAME (for example card-office) and print its key "
        "once. Revoke it with revoke_api_token NAME."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="the system the token is for, for example card-office")

    def handle(self, *args, name: str, **options):
        name = name.strip()
        if not name:
            raise CommandError("Give the name of the system the token is for.")
        if len(name) > NAME_MAX:
            raise CommandError(f"The name must be at most {NAME_MAX} characters long.")
        if ApiToken.objects.filter(name=name).exists():
            raise CommandError(
                f"A token named {name!r} already exists. Choose another name (a revoked "
                "token keeps its name, so the audit log stays clear)."
            )
        with transaction.atomic():
            token, key = ApiToken.issue(name)
            audit_log(
                action=AuditEntry.Action.CREATE,
                obj=token,
                changed_fields=["name"],
                username="system",
                detail="api token created",
            )
        self.stdout.write(f"API token for {name}:")
        self.stdout.write(key)
        self.stdout.write(
            "Keep it secret and give it to that system only: it is shown this once and cannot "
            "be read again. Send it as: Authorization: Bearer <token>"
        )
