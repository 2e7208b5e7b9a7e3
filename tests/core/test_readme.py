"""The README stays the operator's reference: every environment variable and every command."""

import re
from pathlib import Path

from django.core.management import get_commands

PROJECT_DIR = Path(__file__).resolve().parents[2]
README = (PROJECT_DIR / "README.md").read_text()


def test_quick_start_is_the_two_commands():
    quick_start = README.split("## Quick start", 1)[1].split("##", 1)[0]
    assert re.search(r"```sh\nmake run\nmake test\n```", quick_start)


def test_every_environment_variable_of_the_settings_is_documented():
    settings_source = (PROJECT_DIR / "carnet" / "settings.py").read_text()
    names = set(re.findall(r"\benv(?:bool|int|list)?\(\s*\"([A-Z0-9_]+)\"", settings_source))
    assert len(names) > 20
    table = README.split("## Configuration", 1)[1].split("## Production deployment", 1)[0]
    missing = sorted(name for name in names if f"`{name}`" not in table)
    assert missing == [], f"add these variables to the README's configuration table: {missing}"


def test_every_carnet_command_is_in_the_cli_reference():
    ours = sorted(name for name, app in get_commands().items() if app.startswith("carnet."))
    reference = README.split("## CLI reference", 1)[1].split("## Architecture", 1)[0]
    missing = [name for name in ours if f"`carnet {name}" not in reference]
    assert ours and missing == [], f"add these commands to the README's CLI reference: {missing}"
