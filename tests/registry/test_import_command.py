from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from registry.models import Worker

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"


def test_a_dry_run_needs_neither_kind_nor_user_and_writes_nothing(capsys):
    call_command("import_registry", str(FIXTURES / "workers.csv"), "--dry-run")
    assert "Dry run: nothing was written. Records to create: 3." in capsys.readouterr().out
    assert not Worker.objects.exists()


def test_writing_needs_the_user_it_is_recorded_for():
    with pytest.raises(CommandError, match="--user USERNAME"):
        call_command("import_registry", str(FIXTURES / "workers.csv"))
    assert not Worker.objects.exists()


def test_a_header_of_no_known_kind_asks_for_kind(tmp_path):
    odd = tmp_path / "odd.csv"
    odd.write_text("colour,size\nred,1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Cannot tell the kind"):
        call_command("import_registry", str(odd), "--dry-run")
