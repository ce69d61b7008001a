"""The README's tour runs as written: every command of its `A short tour` block, from a copy of the samples, exits
0 or 1 (never a usage error), without a traceback."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from helpers import ROOT

README = (ROOT / "README.md").read_text("utf-8")


def _tour() -> list[str]:
    block = README.split("## A short tour", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    commands = []
    for line in block.splitlines():
        command = re.sub(r"\s+#.*$", "", line).strip()  # the comment after the command
        if command and not command.startswith("#"):
            commands.append(command)
    return commands


def test_the_tour_is_there_and_names_only_what_a_clone_has() -> None:
    commands = _tour()
    assert len(commands) > 20 and all(c.startswith("tzcheck ") for c in commands)
    for command in commands:
        for path in re.findall(r"sample_lists/[^\s*']+", command):
            assert (ROOT / path).exists(), path
    assert "../shared" not in README


def test_the_tour_runs_as_written(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "sample_lists", tmp_path / "sample_lists")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "PYTHONIOENCODING": "utf-8"}
    for command in _tour():
        done = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True,
                              encoding="utf-8", check=False)
        assert done.returncode in (0, 1), f"{command}: exit {done.returncode}\n{done.stderr}"
        assert "Traceback" not in done.stderr, command
        assert done.stdout or "-o" in command, command
    for name in ("report.sarif", "report.xml", "批注.xlsx", ".tzcheck-baseline.json", "appendix.xlsx",
                 "appendix.html", "附录.docx", "报送模板.xlsx"):
        assert (tmp_path / name).stat().st_size > 0, name
