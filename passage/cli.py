"""The `passage` command line: Django's management commands under one name.

`passage --help` lists them; `passage init`, `passage demo`, `passage serve`,
`passage import persons FILE`, `passage token create --user EMAIL` and so on.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "passage.settings")
    from passage.env import SettingError

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["passage", *(sys.argv[1:] if argv is None else argv)])
    except SettingError as exc:
        sys.stderr.write(f"passage: configuration error: {exc}\n")
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
