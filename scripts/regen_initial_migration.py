"""Regenerate the single initial migration from the models (only while no release has shipped)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from alembic import command

from tools.db import MIGRATIONS_DIR, alembic_config

for old in (MIGRATIONS_DIR / "versions").glob("0001_*.py"):
    old.unlink()
with tempfile.TemporaryDirectory() as tmp:
    cfg = alembic_config(f"sqlite:///{Path(tmp) / 'empty.db'}")
    command.revision(cfg, message="initial schema", autogenerate=True, rev_id="0001")
for new in (MIGRATIONS_DIR / "versions").glob("0001_*.py"):
    new.write_text("\n".join(line.rstrip() for line in new.read_text().splitlines()) + "\n")
ruff = [sys.executable, "-m", "ruff"]
subprocess.run([*ruff, "check", "--fix", "-q", str(MIGRATIONS_DIR / "versions")], check=False)
subprocess.run([*ruff, "format", "-q", str(MIGRATIONS_DIR / "versions")], check=False)
print("regenerated", sorted(p.name for p in (MIGRATIONS_DIR / "versions").glob("0001_*.py")))
