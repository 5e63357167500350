from django.core.management.base import BaseCommand

from oversight import retention


class Command(BaseCommand):
    help = "Apply the retention policy now, or with --dry-run list what it would do."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Change nothing; list only.")

    def handle(self, *args, dry_run: bool = False, **options):
        result = retention.retention_apply(dry_run=dry_run)
        verb = "Would anonymise" if dry_run else "Anonymised"
        for worker in result.to_anonymise:
            self.stdout.write(
                f"{verb}: worker #{worker.pk} (last employment ended {worker.last_end or '-'})"
            )
        for worker in result.held:
            self.stdout.write(f"Kept under legal hold or open concern: worker #{worker.pk}")
        self.stdout.write(
            f"{verb} {result.run.workers_anonymised} workers; {result.run.workers_held} kept; "
            f"{'would blank' if dry_run else 'blanked'} {result.messages} message texts."
        )
