"""The serving gateway never imports scikit-learn (DESIGN §2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import DEFAULT_PG_URL

SCRIPT = """
import json, sys
from pathlib import Path

from tests.conftest import DEFAULT_PG_URL
from gateway.app import create_app
from gateway.config import Settings
from gateway.migrations import upgrade

tmp = Path(sys.argv[1])
url = f"sqlite:///{tmp / 'gateway.db'}"
upgrade(url)
settings = Settings(
    env="test", database_url=url, secret_key="k" * 48, identifier_pepper="p" * 48,
    instance_path=tmp, model_dir=tmp / "models",
)
app = create_app(settings)
client = app.test_client()
assert client.get("/healthz").status_code == 200
with app.test_request_context():
    from gateway.sessions import session
    from gateway.identity import customer_ref
    from gateway.profiles.services import get_profile
    from gateway.profiles.synthetic import synthetic_profile_for
    from gateway.scoring.registry import active_scorer

    ref = customer_ref(settings.identifier_pepper, "+8613912345678")
    profile = get_profile(session(), ref) or synthetic_profile_for(ref)
    result = active_scorer().score(profile.features())
print(json.dumps({
    "version": result.model_version,
    "score": result.score,
    "sklearn": sorted(m for m in sys.modules if m == "sklearn" or m.startswith("sklearn.")),
}))
"""


def test_scoring_through_the_app_never_imports_sklearn(tmp_path: Path) -> None:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path)],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["version"].startswith("default-")
    assert 300 < report["score"] < 900
    assert report["sklearn"] == []


def test_the_prequalification_endpoint_never_imports_sklearn() -> None:
    root = Path(__file__).resolve().parents[3]
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME")}
    # Its own PostgreSQL database: the probe resets the schema it runs on.
    url = os.environ.get("GATEWAY_TEST_DATABASE_URL", DEFAULT_PG_URL)
    env["GATEWAY_TEST_DATABASE_URL"] = url.rsplit("/", 1)[0] + "/gateway_test_serving_probe"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         str(Path(__file__).with_name("serving_probe.py"))],
        capture_output=True, text=True, env=env, cwd=root, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:]
    assert "2 passed" in result.stdout
