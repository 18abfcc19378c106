"""Every setting the product reads is documented in README.md (datasette-style: undocumented = failing)."""

from __future__ import annotations

from pathlib import Path

from api.settings import Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def setting_names() -> list[str]:
    return sorted(field.alias or name.upper() for name, field in Settings.model_fields.items())


def test_every_setting_is_documented_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8") if README.exists() else ""
    missing = [name for name in setting_names() if f"`{name}`" not in text and name not in text]
    assert not missing, f"README.md does not document: {', '.join(missing)}"


def test_setting_names_are_env_variables() -> None:
    names = setting_names()
    assert "PMO_DATABASE_URL" in names and "SLACK_BOT_TOKEN" in names
    assert all(n == n.upper() and " " not in n for n in names)
