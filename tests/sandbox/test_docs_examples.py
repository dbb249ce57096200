"""The public docs' own examples, run against the sandbox with only the base URL and key changed.

The snippets below are copied verbatim from the published API documentation (Python,
curl and JavaScript). A test may add a prelude (imports, the ids an earlier step
returned) and an epilogue that prints results, but never edits a snippet's text other
than ``https://codaiq.com/api`` and the ``your-api-key-here`` / ``PROJECT_ID`` /
``WEBSITE_ID`` placeholders the docs ask readers to replace.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile

import pytest

DOCS_BASE_URL = "https://codaiq.com/api"

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


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
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


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
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
