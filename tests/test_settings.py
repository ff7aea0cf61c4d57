"""Production settings refuse to start half-configured and pass Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = "k3Y-" + "x9!Qz7#Lm2$Vb8&Rt5*Hn4^Wp6(Jd1)Fs0" * 2


def run_manage(*args, **env):
    # Only what a production process would have: none of the test run's own variables.
    dropped = {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    base["DJANGO_SETTINGS_MODULE"] = "thanthien.settings.prod"
    base.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_check_under_prod_settings_prints_no_warning(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="xakienminh.gov.vn",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        THANTHIEN_PUBLIC_BASE_URL="https://xakienminh.gov.vn",
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output
    assert "WARNING" not in output.upper()


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "THANTHIEN_PUBLIC_BASE_URL"]
)
def test_prod_refuses_to_start_without_required_setting(tmp_path, missing):
    env = {
        "SECRET_KEY": STRONG_KEY,
        "ALLOWED_HOSTS": "xakienminh.gov.vn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "THANTHIEN_PUBLIC_BASE_URL": "https://xakienminh.gov.vn",
    }
    del env[missing]
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr
