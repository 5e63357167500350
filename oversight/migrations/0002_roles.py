from django.db import migrations

from accounts.services import roles_sync_migration


class Migration(migrations.Migration):
    dependencies = [
        ("oversight", "0001_initial"),
        ("interviews", "0002_roles"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(roles_sync_migration, migrations.RunPython.noop)]
