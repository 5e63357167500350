"""python manage.py schedule_interviews [--date YYYY-MM-DD]: the daily scheduling run by hand."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from interviews.scheduling import schedule_run


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date must look like 2027-03-31, not {value!r}.") from None


class Command(BaseCommand):
    help = (
        "Create and book the renewal interviews whose window has opened and invite the workers "
        "(what the daily task does). Running it twice creates nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=_date,
            default=None,
            help="Act as on this day (YYYY-MM-DD); today by default.",
        )

    def handle(self, *args, date=None, **options):
        result = schedule_run(today=date)
        self.stdout.write(
            f"Interviews created: {result.created}\n"
            f"Booked and invited: {result.booked}\n"
            f"Left to book by hand (no free slot): {result.left_unbooked}\n"
            f"Already scheduled: {result.skipped}\n"
            f"Failed (see the log): {result.failed}\n"
            f"Slots published: {result.slots_published}"
        )
        if result.failed:
            raise CommandError(f"{result.failed} workers could not be scheduled; see the log.")
