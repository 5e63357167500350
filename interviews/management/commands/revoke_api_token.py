"""python manage.py revoke_api_token NAME: the system NAME can no longer call the API."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import AuditEntry
from accounts.services import audit_log
from interviews.models import ApiToken


class Command(BaseCommand):
    help = "Revoke the API token of the system NAME; its calls are refused from now on."

    def add_arguments(self, parser):
        parser.add_argument("name", help="the system whose token is revoked")

    def handle(self, *args, name: str, **options):
        with transaction.atomic():
            token = ApiToken.objects.select_for_update().filter(name=name.strip()).first()
            if token is None:
                raise CommandError(f"No API token is named {name!r}.")
            if token.revoked_at is not None:
                self.stdout.write(
                    f"The token of {token.name} was already revoked on "
                    f"{timezone.localtime(token.revoked_at):%Y-%m-%d %H:%M}."
                )
                return
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit_log(
                action=AuditEntry.Action.UPDATE,
                obj=token,
                changed_fields=["revoked_at"],
                username="system",
                detail="api token revoked",
            )
        self.stdout.write(f"The token of {token.name} is revoked.")
