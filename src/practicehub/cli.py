"""The ``practicehub`` command: Django's management commands under the product's name."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practicehub.settings")
    from django.core.management import execute_from_command_line

    from practicehub.env import SettingError

    try:
        execute_from_command_line(["practicehub", *(sys.argv[1:] if argv is None else argv)])
    except SettingError as error:  # a variable the settings cannot use: say which, no traceback
        sys.exit(f"practicehub: {error}")


if __name__ == "__main__":
    main()
