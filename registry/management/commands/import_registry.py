"""python manage.py import_registry FILE.csv [--kind workers] [--dry-run] [--user USERNAME]"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from registry.importing import KINDS, MAX_BYTES, REQUIRED, import_file, read_upload


class Command(BaseCommand):
    help = (
        "Import missions, employers or workers from a CSV file (columns in "
        "the README, section Importing and exporting the registry as CSV). Every row is checked "
        "first; if any has a problem, nothing is "
        "written and the command exits with an error."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV file, UTF-8")
        parser.add_argument(
            "--kind",
            choices=KINDS,
            help="missions, employers or workers; found from the header if left out",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report only; write nothing"
        )
        parser.add_argument(
            "--user",
            help="the staff user the import is recorded for in the audit log (required to write)",
        )

    def handle(self, *args, file, kind, dry_run, user, **options):
        by = None
        if user:
            by = User.objects.filter(username=user, is_active=True).first()
            if by is None:
                raise CommandError(f"No active staff user is called {user!r}.")
            if not by.has_perm("registry.import_registry"):
                raise CommandError(f"{user} may not import registry files.")
        elif not dry_run:
            raise CommandError("Name the staff user the import is recorded for: --user USERNAME.")
        data = self._read(Path(file))
        try:
            text = read_upload(data)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        kind = kind or self._kind_from_header(text)
        report = import_file(kind=kind, file_text=text, by=by, dry_run=dry_run)
        for error in report.errors:
            where = f"row {error.row}" if error.row else "file"
            if error.column:
                where = f"{where}, column {error.column}"
            self.stderr.write(f"{where}: {error.message}")
        if not report.ok:
            raise CommandError(report.summary())
        if options["verbosity"] >= 1:
            for outcome in report.rows:
                changed = f" ({', '.join(outcome.changed)})" if outcome.changed else ""
                self.stdout.write(
                    f"row {outcome.row}: {outcome.action_label}{changed}: {outcome.label}"
                )
        self.stdout.write(self.style.SUCCESS(report.summary()))

    def _kind_from_header(self, text: str) -> str:
        header = {
            name.strip().lstrip("\ufeff")
            for name in (text.splitlines() or [""])[0].replace(";", ",").split(",")
        }
        matching = [kind for kind in KINDS if set(REQUIRED[kind]) <= header]
        if len(matching) != 1:
            raise CommandError(
                "Cannot tell the kind of file from its header: give --kind missions, employers or workers."
            )
        return matching[0]

    def _read(self, path: Path) -> bytes:
        try:
            if path.stat().st_size > MAX_BYTES:
                raise CommandError(
                    f"{path} is larger than {MAX_BYTES // (1024 * 1024)} MB; split it."
                )
            return path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path} cannot be read: {error.strerror}.") from None
