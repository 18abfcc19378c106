"""The container: lazy (record commands never load the model), and record writes reach the index."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from api.container import Container
from tests.api.conftest import ADMIN_TOKEN, make_settings
from tests.fakes import HashingEmbedder

REPO = Path(__file__).resolve().parents[2]


def test_record_commands_never_load_the_model(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from api.cli import app\n"
        "r = CliRunner()\n"
        "for args in (['db', 'upgrade'], ['people', 'create', 'U0ADAPM', '--name', 'Ada', '--role', 'pm'],\n"
        "             ['projects', 'create', 'LAZY', '--name', 'Lazy', '--pm', 'U0ADAPM'],\n"
        "             ['risks', 'create', '-p', 'LAZY', '--title', 't', '--probability', '2', '--impact', '2'],\n"
        "             ['risks', 'list', '--json']):\n"
        "    res = r.invoke(app, args)\n"
        "    assert res.exit_code == 0, (args, res.output)\n"
        "heavy = [m for m in ('sentence_transformers', 'torch', 'chromadb', 'presidio_analyzer') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    env = {**os.environ, "PMO_DATA_DIR": str(tmp_path / "data"), "PMO_DATABASE_URL": ""}
    env.pop("PMO_TEST_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=240,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1].replace("'", '"')) == []
    assert (tmp_path / "data" / "pmo.db").exists()


def test_record_writes_reach_the_index_after_commit(db_url: str, tmp_path: Path) -> None:
    container = Container(
        make_settings(db_url, tmp_path / "data", PMO_REDACT_PHI="false"), embedder=HashingEmbedder()
    )
    client = TestClient(create_app(container))
    client.headers["Authorization"] = f"Bearer {ADMIN_TOKEN}"
    client.post("/api/v1/projects", json={"key": "SEPSIS", "name": "Sepsis early warning"})
    client.post(
        "/api/v1/projects/SEPSIS/risks", json={"title": "Label leakage", "probability": 4, "impact": 5}
    )
    assert not container.index_loaded  # nothing loaded the index yet: the write did not wait for it

    index = container.index  # building it catches up with the records written so far
    assert "Label leakage" in index.get("SEPSIS-R1").text

    client.patch("/api/v1/risks/SEPSIS-R1", json={"mitigation": "Drop order-derived features"})
    assert "Drop order-derived features" in index.get("SEPSIS-R1").text
    client.post("/api/v1/projects/SEPSIS/change-requests", json={"title": "Extend silent mode"})
    assert index.get("SEPSIS-CR1") is not None

    # A failed write leaves the index alone.
    before = index.count()
    assert (
        client.post(
            "/api/v1/projects/SEPSIS/risks", json={"title": "x", "probability": 9, "impact": 1}
        ).status_code
        == 422
    )
    assert index.count() == before
    container.close()
