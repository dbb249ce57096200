"""The public docs' own examples, run against the sandbox with only the base URL and key changed.

The snippets below are copied verbatim from the published API documentation (Python,
curl and JavaScript), and a test checks that each still appears there word for word
(whitespace aside) in ``shared/reference/codaiq-api-docs.txt`` beside the checkout. A test
may add a prelude (imports, the ids an earlier step returned) and an epilogue that prints
results, but never edits a snippet's text other than ``https://codaiq.com/api`` and the
``your-api-key-here`` / ``PROJECT_ID`` / ``WEBSITE_ID`` placeholders the docs ask readers
to replace (``localise``).

curl and Node.js 18+ (for ``fetch``) come from ``scripts/install-system-deps.sh``; without
them those two tests skip and say why.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

DOCS_BASE_URL = "https://codaiq.com/api"
DOCS_FILE = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "codaiq-api-docs.txt"
"""The published docs, kept in ``shared/`` next to the repository (as on CI)."""

PYTHON_GENERATE = """import requests
response = requests.post(
"https://codaiq.com/api/generate",
headers={
"X-API-Key": os.environ["CODAIQ_API_KEY"],
"Content-Type": "application/json",
},
json={
"prompt": "A modern SaaS landing page for a project management tool",
"name": "My SaaS Site",
},
)
data = response.json()
project_id = data["projectId"]"""

PYTHON_ANALYTICS = """response = requests.get(
"https://codaiq.com/api/analytics",
headers={"X-API-Key": os.environ["CODAIQ_API_KEY"]},
params={"websiteId": website_id, "range": "30d"},
)
analytics = response.json()
total_views = analytics["totalPageviews"]"""

CURL_GENERATE = """curl -X POST https://codaiq.com/api/generate \\
-H "X-API-Key: your-api-key-here" \\
-H "Content-Type: application/json" \\
-d '{
"prompt": "A modern SaaS landing page for a project management tool",
"name": "My SaaS Site"
}\'"""

CURL_PROJECT = '''curl "https://codaiq.com/api/project?projectId=PROJECT_ID" \\
-H "X-API-Key: your-api-key-here"'''

CURL_PATCH = """curl -X PATCH https://codaiq.com/api/project \\
-H "X-API-Key: your-api-key-here" \\
-H "Content-Type: application/json" \\
-d '{
"projectId": "PROJECT_ID",
"websiteId": "WEBSITE_ID",
"name": "Updated Site Name",
"metadata": { "seoTitle": "My Updated Title" }
}\'"""

CURL_LEAD = """curl -X POST https://codaiq.com/api/leads/submit \\
-H "X-API-Key: your-api-key-here" \\
-H "Content-Type: application/json" \\
-d '{
"websiteId": "WEBSITE_ID",
"name": "Jane Smith",
"email": "jane@example.com",
"phone": "+44 7700 900000",
"message": "I am interested in your services."
}\'"""

CURL_ANALYTICS = '''curl "https://codaiq.com/api/analytics?websiteId=WEBSITE_ID&range=7d" \\
-H "X-API-Key: your-api-key-here"'''

CURL_EXPORT = """curl "https://codaiq.com/api/export?projectId=PROJECT_ID&websiteId=WEBSITE_ID" \\
-H "X-API-Key: your-api-key-here" \\
-o website-export.zip"""

JS_GENERATE = """const res = await fetch("https://codaiq.com/api/generate", {
method: "POST",
headers: {
"X-API-Key": process.env.CODAIQ_API_KEY,
"Content-Type": "application/json",
},
body: JSON.stringify({
prompt: "A modern SaaS landing page for a project management tool",
name: "My SaaS Site",
}),
});
const { projectId, websiteId, status } = await res.json();"""

JS_PROJECT = """const res = await fetch(
`https://codaiq.com/api/project?projectId=${projectId}`,
{ headers: { "X-API-Key": process.env.CODAIQ_API_KEY } }
);
const { websites } = await res.json();
const buildStatus = websites[0]?.metadata?.buildStatus;"""

JS_LEAD = """await fetch("https://codaiq.com/api/leads/submit", {
method: "POST",
headers: {
"X-API-Key": process.env.CODAIQ_API_KEY,
"Content-Type": "application/json",
},
body: JSON.stringify({
websiteId: "WEBSITE_ID",
name: "Jane Smith",
email: "jane@example.com",
message: "Interested in your services.",
}),
});"""


SNIPPETS = {
    "PYTHON_GENERATE": PYTHON_GENERATE,
    "PYTHON_ANALYTICS": PYTHON_ANALYTICS,
    "CURL_GENERATE": CURL_GENERATE,
    "CURL_PROJECT": CURL_PROJECT,
    "CURL_PATCH": CURL_PATCH,
    "CURL_LEAD": CURL_LEAD,
    "CURL_ANALYTICS": CURL_ANALYTICS,
    "CURL_EXPORT": CURL_EXPORT,
    "JS_GENERATE": JS_GENERATE,
    "JS_PROJECT": JS_PROJECT,
    "JS_LEAD": JS_LEAD,
}
"""Every snippet the tests below run (through ``localise``), by name."""


def normalised(text: str) -> str:
    """Runs of whitespace as one space: the docs' page text runs snippets into each other."""
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_each_snippet_is_verbatim_from_the_docs(name) -> None:
    if not DOCS_FILE.is_file():
        pytest.skip(f"the published docs are not at {DOCS_FILE} (shared/ beside the checkout); nothing to compare with")
    docs = normalised(DOCS_FILE.read_text(encoding="utf-8"))
    assert normalised(SNIPPETS[name]) in docs, f"{name} is not, or no longer, in {DOCS_FILE.name} as written"


def test_localise_changes_only_the_documented_placeholders(sandbox) -> None:
    for name, snippet in SNIPPETS.items():
        localised = localise(snippet, sandbox, "cdq_sbx_k3y", "prj_0001", "web_0001")
        back = (
            localised.replace(sandbox.base_url, DOCS_BASE_URL)
            .replace("cdq_sbx_k3y", "your-api-key-here")
            .replace("prj_0001", "PROJECT_ID")
            .replace("web_0001", "WEBSITE_ID")
        )
        assert back == snippet, name


@pytest.fixture
def docs_key(sandbox, monkeypatch) -> str:
    """A key in CODAIQ_API_KEY, as the docs' snippets expect; no proxy for loopback."""
    key = sandbox.new_key("agency")
    monkeypatch.setenv("CODAIQ_API_KEY", key)
    for variable in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(variable, raising=False)
    return key


def localise(snippet: str, sandbox, key: str, project_id: str = "", website_id: str = "") -> str:
    return (
        snippet.replace(DOCS_BASE_URL, sandbox.base_url)
        .replace("your-api-key-here", key)
        .replace("PROJECT_ID", project_id)
        .replace("WEBSITE_ID", website_id)
    )


def test_python_snippets_run_unchanged(sandbox, docs_key) -> None:
    namespace: dict[str, object] = {}
    exec("import os", namespace)  # the docs' snippet uses os without importing it
    exec(localise(PYTHON_GENERATE, sandbox, docs_key), namespace)
    project_id = namespace["project_id"]
    assert isinstance(project_id, str) and project_id.startswith("prj_")
    website_id = namespace["data"]["websiteId"]  # type: ignore[index]
    sandbox.wait_ready(project_id, website_id, key=docs_key)
    sandbox.request("GET", f"/sites/{website_id}/")
    namespace["website_id"] = website_id
    exec(localise(PYTHON_ANALYTICS, sandbox, docs_key), namespace)
    assert namespace["total_views"] == 1


def run_curl(snippet: str, cwd) -> str:
    completed = subprocess.run(
        ["bash", "-c", snippet + " --silent --show-error --fail-with-body"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr + completed.stdout
    return completed.stdout


@pytest.mark.skipif(
    shutil.which("curl") is None, reason="curl is not installed (scripts/install-system-deps.sh installs it)"
)
def test_curl_snippets_run_unchanged(sandbox, docs_key, tmp_path) -> None:
    created = json.loads(run_curl(localise(CURL_GENERATE, sandbox, docs_key), tmp_path))
    project_id, website_id = created["projectId"], created["websiteId"]
    sandbox.wait_ready(project_id, website_id, key=docs_key)
    ids = {"project_id": project_id, "website_id": website_id}
    project = json.loads(run_curl(localise(CURL_PROJECT, sandbox, docs_key, **ids), tmp_path))
    assert project["websites"][0]["metadata"]["buildStatus"] == "ready"
    patched = json.loads(run_curl(localise(CURL_PATCH, sandbox, docs_key, **ids), tmp_path))
    assert patched["website"]["name"] == "Updated Site Name"
    assert patched["website"]["metadata"]["seoTitle"] == "My Updated Title"
    lead = json.loads(run_curl(localise(CURL_LEAD, sandbox, docs_key, **ids), tmp_path))
    assert lead["websiteId"] == website_id
    analytics = json.loads(run_curl(localise(CURL_ANALYTICS, sandbox, docs_key, **ids), tmp_path))
    assert analytics["range"] == "7d"
    run_curl(localise(CURL_EXPORT, sandbox, docs_key, **ids), tmp_path)
    archive = zipfile.ZipFile(io.BytesIO((tmp_path / "website-export.zip").read_bytes()))
    assert "index.html" in archive.namelist()


def run_node(source: str, cwd) -> dict:
    script = cwd / "snippet.mjs"
    script.write_text(source, encoding="utf-8")
    completed = subprocess.run(["node", str(script)], capture_output=True, text=True, timeout=60, check=False)
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])


def node_problem() -> str | None:
    """Why the JavaScript snippets cannot run here, or None: they need ``node`` with ``fetch`` (18+)."""
    node = shutil.which("node")
    if node is None:
        return "node is not installed (scripts/install-system-deps.sh installs nodejs)"
    probe = subprocess.run(
        [node, "-p", "[typeof fetch, process.version].join(' ')"], capture_output=True, text=True, timeout=30
    )
    kind, _, version = probe.stdout.strip().partition(" ")
    if probe.returncode != 0 or kind != "function":
        return f"node {version or '(unknown version)'} has no global fetch, which the docs' snippets use (Node.js 18+)"
    return None


NODE_PROBLEM = node_problem()


@pytest.mark.skipif(NODE_PROBLEM is not None, reason=NODE_PROBLEM or "")
def test_javascript_snippets_run_unchanged(sandbox, docs_key, tmp_path) -> None:
    created = run_node(
        localise(JS_GENERATE, sandbox, docs_key) + "\nconsole.log(JSON.stringify({projectId, websiteId, status}));\n",
        tmp_path,
    )
    assert created["status"] == "queued"
    sandbox.wait_ready(created["projectId"], created["websiteId"], key=docs_key)
    project = run_node(
        f"const projectId = {json.dumps(created['projectId'])};\n"
        + localise(JS_PROJECT, sandbox, docs_key)
        + "\nconsole.log(JSON.stringify({buildStatus}));\n",
        tmp_path,
    )
    assert project == {"buildStatus": "ready"}
    run_node(localise(JS_LEAD, sandbox, docs_key, website_id=created["websiteId"]) + "\nconsole.log('{}');\n", tmp_path)
    assert sandbox.on_loop(sandbox.service.db.count_leads, created["websiteId"]) == 1
