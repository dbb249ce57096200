"""``scripts/start.sh`` installs once, then starts offline; the package builds without warnings.

The scripts run for real: a throw-away project holds copies of ``scripts/bootstrap.sh``
and ``scripts/start.sh`` beside a small ``pyproject.toml`` whose ``codaiq-desktop`` command
prints a line, so the first start really creates ``.venv`` and installs with pip (from the
package index, as on a fresh machine), and later starts run with the index unreachable
(``PIP_NO_INDEX=1`` and an index URL nothing listens on), as on a train.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="the scripts are bash")]

_PYPROJECT = """\
[build-system]
requires = ["setuptools>=68", "wheel"]
build-backend = "setuptools.build_meta"

[project]
name = "start-script-probe"
version = "{version}"
requires-python = ">=3.11"

[project.optional-dependencies]
test = []

[project.scripts]
codaiq-desktop = "start_script_probe:main"

[tool.setuptools]
py-modules = ["start_script_probe"]
"""

_MODULE = """\
import sys


def main() -> int:
    print("probe app started with", sys.argv[1:])
    return 0
"""

#: An index nothing answers on (port 9, discard, is closed on loopback).
_OFFLINE = {"PIP_NO_INDEX": "1", "PIP_INDEX_URL": "http://127.0.0.1:9/simple", "PIP_RETRIES": "0", "PIP_TIMEOUT": "2"}


def _project(root: Path, version: str = "1.0") -> Path:
    (root / "scripts").mkdir(parents=True)
    for name in ("bootstrap.sh", "start.sh"):
        shutil.copy2(REPO / "scripts" / name, root / "scripts" / name)
    (root / "pyproject.toml").write_text(_PYPROJECT.format(version=version))
    (root / "start_script_probe.py").write_text(_MODULE)
    return root


def _run(root: Path, *argv: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    environment["PYTHON"] = sys.executable  # a Python 3.11+ to make .venv with
    environment.update(env)
    return subprocess.run(
        [str(root / "scripts" / argv[0]), *argv[1:]],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def installed_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project whose first ``start.sh`` (online) created .venv and installed it."""
    root = _project(tmp_path_factory.mktemp("start-script") / "checkout")
    first = _run(root, "start.sh", "--first")
    assert first.returncode == 0, first.stderr
    assert "probe app started with ['--first']" in first.stdout
    return root


def test_the_second_start_installs_nothing_and_works_with_the_index_unreachable(installed_project: Path) -> None:
    second = _run(installed_project, "start.sh", "--second", **_OFFLINE)
    assert second.returncode == 0, second.stderr
    assert "probe app started with ['--second']" in second.stdout
    assert "Installing" not in second.stderr
    assert second.stderr == ""


def test_a_touched_but_unchanged_pyproject_installs_nothing(installed_project: Path) -> None:
    pyproject = installed_project / "pyproject.toml"
    later = (installed_project / ".venv" / ".codaiq-installed").stat().st_mtime + 10
    os.utime(pyproject, (later, later))  # e.g. a git checkout rewrote it with the same content
    start = _run(installed_project, "start.sh", "--touched", **_OFFLINE)
    assert start.returncode == 0, start.stderr
    assert "probe app started with ['--touched']" in start.stdout
    assert start.stderr == ""


def test_test_sh_extras_are_installed_once_and_a_plain_start_keeps_them(installed_project: Path) -> None:
    with_extras = _run(installed_project, "bootstrap.sh", "test")
    assert with_extras.returncode == 0, with_extras.stderr
    assert "extras=test" in (installed_project / ".venv" / ".codaiq-installed").read_text()
    again = _run(installed_project, "bootstrap.sh", "test", **_OFFLINE)
    assert again.returncode == 0, again.stderr
    plain = _run(installed_project, "start.sh", **_OFFLINE)
    assert plain.returncode == 0, plain.stderr
    assert "extras=test" in (installed_project / ".venv" / ".codaiq-installed").read_text()


def test_a_changed_pyproject_installs_again(tmp_path: Path) -> None:
    root = _project(tmp_path / "checkout")
    assert _run(root, "bootstrap.sh").returncode == 0
    (root / "pyproject.toml").write_text(_PYPROJECT.format(version="2.0"))
    offline = _run(root, "start.sh", **_OFFLINE)
    # Offline the new install cannot happen: it says why instead of starting a stale install...
    assert offline.returncode != 0
    assert "package index is" in offline.stderr and "unreachable" in offline.stderr
    assert "probe app started" not in offline.stdout
    # ...and does not count as done: online, the next start installs and runs the new version.
    online = _run(root, "start.sh")
    assert online.returncode == 0, online.stderr
    version = subprocess.run(
        [
            str(root / ".venv" / "bin" / "python"),
            "-c",
            "import importlib.metadata as m; print(m.version('start-script-probe'))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert version.stdout.strip() == "2.0"


def test_the_package_builds_without_setuptools_warnings_and_ships_every_file(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    for folder in ("codaiq_desktop", "resources"):
        shutil.copytree(REPO / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__"))
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path / "wheel"), str(source)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    assert "Warning" not in built.stdout + built.stderr
    (wheel,) = (tmp_path / "wheel").glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        "codaiq_desktop/resources/" + path.relative_to(REPO / "resources").as_posix()
        for path in (REPO / "resources").rglob("*")
        if path.is_file()
    } | {  # data files inside the package (e.g. SQL migrations) too
        path.relative_to(REPO).as_posix()
        for path in (REPO / "codaiq_desktop").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc",)
    }
    assert expected and expected <= names, sorted(expected - names)
