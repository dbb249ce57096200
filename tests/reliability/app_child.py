"""Start the real app (``python -m codaiq_desktop``) as a child process with its own XDG folders.

The child runs offscreen, with the local sandbox already chosen (no first-run dialog),
its receiver on a port the test picked (``receiver/port`` in its settings) and its
webhook secret in a small file-backed keyring the test seeds: so a test knows where to
send signed events and with which secret, exactly as the sandbox would, without any
test-only switch in the app itself.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.reliability.conftest import child_env

# A keyring backend that keeps entries in a JSON file named by CODAIQ_TEST_KEYRING_FILE.
_KEYRING_MODULE = """
import json, os
from pathlib import Path
from keyring.backend import KeyringBackend


class FileKeyring(KeyringBackend):
    priority = 1

    def _path(self):
        return Path(os.environ["CODAIQ_TEST_KEYRING_FILE"])

    def _load(self):
        try:
            return json.loads(self._path().read_text())
        except FileNotFoundError:
            return {}

    def get_password(self, service, username):
        return self._load().get(f"{service}/{username}")

    def set_password(self, service, username, password):
        data = self._load()
        data[f"{service}/{username}"] = password
        self._path().write_text(json.dumps(data))

    def delete_password(self, service, username):
        data = self._load()
        data.pop(f"{service}/{username}", None)
        self._path().write_text(json.dumps(data))
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class AppHome:
    """The XDG folders of one app child, and what the test needs to reach its receiver."""

    root: Path
    port: int
    secret: str
    keyring_file: Path

    @property
    def config(self) -> Path:
        return self.root / "config"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def store_path(self) -> Path:
        return self.data / "codaiq-desktop" / "store.sqlite3"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/webhooks/codaiq"

    def env(self) -> dict[str, str]:
        return child_env(
            QT_QPA_PLATFORM="offscreen",
            XDG_CONFIG_HOME=str(self.config),
            XDG_DATA_HOME=str(self.data),
            XDG_STATE_HOME=str(self.root / "state"),
            XDG_CACHE_HOME=str(self.root / "cache"),
            PYTHONPATH=str(self.root / "pylib") + ":" + str(Path(__file__).resolve().parents[2]),
            PYTHON_KEYRING_BACKEND="codaiq_test_keyring.FileKeyring",
            CODAIQ_TEST_KEYRING_FILE=str(self.keyring_file),
        )

    def start(self, log: Path) -> subprocess.Popen[bytes]:
        out = log.open("wb")
        return subprocess.Popen(
            [sys.executable, "-m", "codaiq_desktop"], env=self.env(), stdout=out, stderr=subprocess.STDOUT
        )


def make_app_home(root: Path, secret: str) -> AppHome:
    """Folders where the sandbox is the chosen account, the receiver port fixed, the secret seeded."""
    pylib = root / "pylib"
    pylib.mkdir(parents=True)
    (pylib / "codaiq_test_keyring.py").write_text(_KEYRING_MODULE)
    app_config = root / "config" / "codaiq-desktop"
    app_config.mkdir(parents=True)
    (app_config / "accounts.json").write_text(
        json.dumps(
            {
                "accounts": [
                    {
                        "name": "Local sandbox",
                        "base_url": "",
                        "plan": "agency (sandbox)",
                        "kind": "sandbox",
                        "key_storage": "none",
                    }
                ],
                "active": "Local sandbox",
            }
        )
    )
    port = free_port()
    (app_config / "settings.ini").write_text(f"[receiver]\nport={port}\n")
    keyring_file = root / "keyring.json"
    keyring_file.write_text(json.dumps({"codaiq-desktop/__webhook-secret__": secret}))
    return AppHome(root, port, secret, keyring_file)
