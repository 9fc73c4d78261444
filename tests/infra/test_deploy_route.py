"""infra.deploy's pieces that need no CLI: the work dir copy and the policy-pack launcher."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from infra.deploy import policy, workspace
from infra.deploy.__main__ import main


def test_prepare_copies_project_and_merges_stack_file(tmp_path: Path) -> None:
    stack_file = tmp_path / "Pulumi.minikube.yaml"
    stack_file.write_text(
        yaml.safe_dump(
            {
                "encryptionsalt": "v1:salt",
                "config": {"taskflow:jwtSecret": {"secure": "v1:abc"}, "taskflow:imageTag": "x"},
            }
        )
    )
    workspace.prepare(tmp_path, "minikube")
    merged = yaml.safe_load(stack_file.read_text())
    repo = yaml.safe_load((workspace.ROOT / "Pulumi.minikube.yaml").read_text())
    # What the CLI wrote stays; the repo's values win.
    assert merged["encryptionsalt"] == "v1:salt"
    assert merged["config"]["taskflow:jwtSecret"] == {"secure": "v1:abc"}
    assert merged["config"]["taskflow:imageTag"] == repo["config"]["taskflow:imageTag"]
    # The project file is the repo's, less `main` (the program runs inline, in this process).
    project = yaml.safe_load((workspace.ROOT / "Pulumi.yaml").read_text())
    assert project.pop("main") == "infra/"
    assert yaml.safe_load((tmp_path / "Pulumi.yaml").read_text()) == project


def test_prepare_refuses_an_unknown_stack(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"Pulumi\.nope\.yaml"):
        workspace.prepare(tmp_path, "nope")


def test_analyzer_launcher_serves_the_pack_and_prints_its_port(tmp_path: Path) -> None:
    launcher = policy.analyzer_launcher(workspace.ROOT / "policies", tmp_path / "pack")
    assert (tmp_path / "pack" / "PulumiPolicy.yaml").is_file()
    proc = subprocess.Popen(
        [str(launcher), "127.0.0.1:1"], stdout=subprocess.PIPE, text=True, cwd=tmp_path
    )
    try:
        assert proc.stdout is not None
        port = proc.stdout.readline().strip()
        assert port.isdigit() and int(port) > 0
    finally:
        proc.kill()
        proc.wait()


def test_up_without_yes_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["up", "--stack", "minikube"]) == 2
    assert "--yes" in capsys.readouterr().err


def test_secret_from_a_missing_variable_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["preview", "--stack", "minikube", "--secret-env", "jwtSecret=TASKFLOW_UNSET_VAR"]
    assert main(args) == 2
    assert "TASKFLOW_UNSET_VAR" in capsys.readouterr().err
