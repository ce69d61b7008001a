"""The CI examples install tzcheck from its repository at a pinned tag or commit (the placeholder docs/ci.md
names), and the composite action and GitLab template run as written."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers import ROOT

from tongzhou_check import __version__

REPOSITORY = re.search(r"The repository is \*\*`(https://[^`]+)`\*\*", (ROOT / "docs" / "ci.md").read_text("utf-8"))[1]
INSTALL = re.compile(r'pip install "tzcheck @ git\+(?P<repo>[^@"]+)@(?P<ref>[^"]+)"')
EXAMPLES = sorted((ROOT / "docs" / "examples").glob("*.yml"))


def _commands(node: object) -> list[str]:
    """Every shell command in a workflow or pipeline: `run:` values and `script:` items."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "run" and isinstance(value, str):
                found.append(value)
            elif key == "script" and isinstance(value, list):
                found += [v for v in value if isinstance(v, str)]
            else:
                found += _commands(value)
    elif isinstance(node, list):
        for item in node:
            found += _commands(item)
    return found


def _expand(command: str, variables: dict[str, str]) -> str:
    return re.sub(r"\$\{(\w+)\}", lambda m: str(variables.get(m[1], m[0])), command)


def test_the_placeholder_repository_is_named_once_in_docs() -> None:
    assert REPOSITORY == "https://github.com/tzcheck-example/tzcheck"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_installs_from_the_repository_at_a_pinned_ref(path: Path) -> None:
    doc = yaml.safe_load(path.read_text("utf-8"))
    variables = doc.get("variables", {}) if isinstance(doc, dict) else {}
    installs = [_expand(c, variables) for c in _commands(doc) if "pip install" in c]
    assert installs, f"{path.name} installs nothing"
    for command in installs:
        match = INSTALL.search(command)
        assert match, f"{path.name}: {command!r} does not install from the repository"
        assert match["repo"] == REPOSITORY
        assert match["ref"] == f"v{__version__}" or re.fullmatch(r"[0-9a-f]{40}", match["ref"]), match["ref"]
    assert "pip install tzcheck" not in path.read_text("utf-8")  # nothing from a package index


def test_the_composite_action() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text("utf-8"))
    assert action["runs"]["using"] == "composite"
    assert {"paths", "fail-on", "sarif"} <= set(action["inputs"])
    steps = action["runs"]["steps"]
    assert any('pip install --quiet "$GITHUB_ACTION_PATH"' in s.get("run", "") for s in steps)  # the ref in `uses:`
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    assert "inputs.sarif == 'true'" in upload["if"] and upload["with"]["sarif_file"] == "tzcheck.sarif"
    assert all(s.get("shell") == "bash" for s in steps if "run" in s)
    assert "${{" not in next(s for s in steps if s.get("id") == "audit")["run"]  # inputs pass through env only


def _bash(script: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"  # this environment's tzcheck
    return subprocess.run(["bash", "-e", "-c", script], env={**os.environ, **env, "PATH": path}, cwd=cwd,
                          capture_output=True, text=True, check=False)


def test_the_action_audits_and_fails_as_tzcheck_exits(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "sample_lists", tmp_path / "submissions")
    steps = yaml.safe_load((ROOT / "action.yml").read_text("utf-8"))["runs"]["steps"]
    audit = next(s for s in steps if s.get("id") == "audit")
    result = next(s for s in steps if s.get("name") == "Summary and result")
    for run, (paths, fail_on, expected, annotated) in enumerate((("submissions/", "error", "1", True),
                                                ("submissions/区教委-2018.xlsx", "error", "0", False),
                                                ("submissions/", "never", "0", True))):
        output, summary = tmp_path / f"output-{run}.txt", tmp_path / "summary.md"
        env = {"PATHS": paths, "FAIL_ON": fail_on, "ARGS": "--as-of 2018-12-31", "GITHUB_OUTPUT": str(output),
               "GITHUB_STEP_SUMMARY": str(summary)}
        done = _bash(audit["run"], env, tmp_path)
        assert done.returncode == 0, done.stderr
        assert output.read_text().strip() == f"exit-code={expected}"
        assert ("::error file=" in done.stdout) if annotated else done.stdout == ""
        assert (tmp_path / "tzcheck.sarif").is_file()
        final = _bash(result["run"], {**env, "CODE": expected}, tmp_path)
        assert final.returncode == int(expected) and "tzcheck 检查报告" in summary.read_text("utf-8")


def test_the_gitlab_template_runs_as_written(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "sample_lists", tmp_path / "submissions")
    doc = yaml.safe_load((ROOT / "docs" / "examples" / "gitlab-ci-template.yml").read_text("utf-8"))
    assert doc["tzcheck"]["extends"] == ".tzcheck"
    variables = {**doc["variables"], "TZCHECK_ARGS": "--as-of 2018-12-31"}
    (audit,) = [c for c in doc[".tzcheck"]["script"] if c.startswith("tzcheck ")]
    done = _bash(audit, variables, tmp_path)
    assert done.returncode == 1, done.stderr  # the sample violations fail the job
    for name in doc[".tzcheck"]["artifacts"]["paths"] + [doc[".tzcheck"]["artifacts"]["reports"]["junit"]]:
        assert (tmp_path / name).stat().st_size > 0


def test_the_pre_commit_hook_selects_workbooks_and_skips_lock_files_anywhere() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    files, exclude = re.compile(hook["files"]), re.compile(hook["exclude"])
    for name in ("a.xlsx", "sub/b.xlsm", "c.xlsb", "d.xls", "e.ods", "f.csv"):
        assert files.search(name) and not exclude.search(name), name
    for name in ("~$a.xlsx", "submissions/~$a.xlsx", "x/.~lock.b.xlsx#"):
        assert exclude.search(name), name
    assert not files.search("README.md")
