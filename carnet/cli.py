"""The `carnet` command: a thin wrapper of Django's management commands.

    carnet serve | worker | seed | member add | migrate | createsuperuser | ...

Every sub-command is a Django management command (see README, "CLI").
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carnet.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    execute_from_command_line(["carnet", *args])


if __name__ == "__main__":
    main()
