#!/usr/bin/env python
"""Django's command-line utility for Hestia."""

import os
import sys
from pathlib import Path


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # On a developer's machine with no configuration at all, manage.py works in development
    # mode. Wherever DEBUG or an environment file is given (production), that decides.
    env_file = Path(os.environ.get("HESTIA_ENV_FILE") or Path(__file__).resolve().parent / ".env")
    if "DEBUG" not in os.environ and not env_file.is_file():
        os.environ["DEBUG"] = "true"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
