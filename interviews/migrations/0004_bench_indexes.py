"""Two indexes the benchmarks at ministry size called for (bench/RESULTS.md, "Interviews and
oversight"): the interview list's default view, and the reports that count records by year.

- The interview list shows open interviews by appointment (starts_at, then due_on, then id). With
  only the (status, starts_at) index, PostgreSQL walked the starts_at index from the oldest
  interview and skipped 59,588 held ones to find the first 25 open ones: 42 ms. A partial index on
  the open ones, in the list's order, gives the page straight away.
- Statistics and mission compliance count the records held in a year; held_at had no index, so
  every such count read the whole table.

Database only (RunSQL, no change to the models' state): interviews/models.py does not list them,
so makemigrations has nothing to add or remove. Both SQLite and PostgreSQL take this syntax.
"""

from django.db import migrations

OPEN_BY_TIME = "interviews_interview_open_by_time"
HELD_AT = "interviews_interviewrecord_held_at"


class Migration(migrations.Migration):
    dependencies = [("interviews", "0003_periodic_tasks")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {OPEN_BY_TIME} ON interviews_interview (starts_at, due_on, id) "
            "WHERE status IN ('due', 'invited', 'confirmed')",
            reverse_sql=f"DROP INDEX {OPEN_BY_TIME}",
        ),
        migrations.RunSQL(
            f"CREATE INDEX {HELD_AT} ON interviews_interviewrecord (held_at)",
            reverse_sql=f"DROP INDEX {HELD_AT}",
        ),
    ]
