"""Publish interview slots from every interviewer's weekly availability, some weeks ahead.

The daily scheduling task does the same first; this command is for a first run or after a
change of policy (slot length). Running it twice creates nothing new.
"""

from django.core.management.base import BaseCommand, CommandError

from interviews.availability import slots_publish_ahead


class Command(BaseCommand):
    help = "Publish interview slots from every interviewer's weekly availability."

    def add_arguments(self, parser):
        parser.add_argument(
            "--weeks", type=int, default=8, help="How many weeks ahead, from today (default 8)."
        )

    def handle(self, *args, weeks: int, **options):
        if not 1 <= weeks <= 52:
            raise CommandError("--weeks must be between 1 and 52.")
        created = slots_publish_ahead(weeks=weeks)
        self.stdout.write(f"{created} slots published for the next {weeks} weeks.")
