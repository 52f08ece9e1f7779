"""Run by test_rate_limits in a separate process: N failed logins, print the status codes.

Reads its settings from the environment like a gunicorn worker does (``REDIS_URL``,
``LOGIN_RATE_LIMIT``, ``DATABASE_URL``), so the test proves the deployed configuration.
"""

from __future__ import annotations

import json
import os
import sys

from sosialisasi import create_app
from sosialisasi.config import Config
from sosialisasi.extensions import db


def main() -> None:
    attempts = int(sys.argv[1])
    config = Config()
    config.WTF_CSRF_ENABLED = False
    config.RATELIMIT_KEY_PREFIX = os.environ["TEST_LIMIT_PREFIX"]
    app = create_app(config)
    with app.app_context():
        db.create_all()
    client = app.test_client()
    codes = [
        client.post(
            "/masuk",
            data={"username": "tidak-ada", "password": "salah-sekali-1"},
            environ_base={"REMOTE_ADDR": "10.9.8.7"},
        ).status_code
        for _ in range(attempts)
    ]
    print(json.dumps({"storage": app.config["RATELIMIT_STORAGE_URI"], "codes": codes}))


if __name__ == "__main__":
    main()
