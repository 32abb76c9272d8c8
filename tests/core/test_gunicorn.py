"""The web workers' gunicorn settings (``partnercenter.gunicorn``): once a worker has loaded
the application, its views are imported and the loaded objects are out of the garbage
collector's generations (issue 12: full collections walked them every few dozen requests)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

WORKER = """
import gc, json, sys
import partnercenter.wsgi
from partnercenter import gunicorn
before = "enrollment.views.review" in sys.modules
gunicorn.post_worker_init(None)
print(json.dumps({
    "views_before": before,
    "views_after": "enrollment.views.review" in sys.modules,
    "frozen": gc.get_freeze_count(),
    "tracked": len(gc.get_objects()),
    "threshold": gc.get_threshold()[0],
}))
"""


def test_a_worker_freezes_what_it_loaded_views_included():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "partnercenter.settings.test", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", WORKER], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert not found["views_before"] and found["views_after"]  # the URLconf's views, imported at start
    assert found["frozen"] > 50_000 > found["tracked"]  # what was loaded is frozen; little is left to walk
    assert found["threshold"] == 10_000
