"""A wheel built from the repository, installed in a fresh venv, ships and finds the built-in packs."""

import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist),
                    str(ROOT)], check=True, capture_output=True)
    [built] = dist.glob("govmedia_rules-*.whl")
    return built


def fresh_venv(env_dir: Path, *requirements: str) -> Path:
    """A new virtualenv with ``requirements`` pip-installed (dependencies from the index)."""
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bin_dir = env_dir / "bin"
    subprocess.run([bin_dir / "python", "-m", "pip", "install", "--quiet", *requirements],
                   check=True, capture_output=True)
    return bin_dir


@pytest.mark.slow
def test_wheel_in_a_fresh_venv_lists_the_builtin_packs(tmp_path, wheel):
    env_dir = tmp_path / "venv"
    bin_dir = fresh_venv(env_dir, str(wheel))
    out = subprocess.run([bin_dir / "govmedia-rules", "packs"], check=True, capture_output=True, text=True,
                         cwd=tmp_path).stdout
    listed = {line.split("\t")[0]: line.split("\t")[-1] for line in out.splitlines()}
    assert set(listed) == {d.name for d in (ROOT / "policies").iterdir() if (d / "pack.yaml").is_file()}
    assert all(path.startswith(str(env_dir)) for path in listed.values()), "packs must come from the installed wheel"
    result = subprocess.run([bin_dir / "govmedia-rules", "check", "--pack", "lianyungang", "--since", "2019-08-01",
                             "--as-of", "2019-12-31", "--format", "json", str(ROOT / "examples" / "lianyungang.jsonl")],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 1 and '"findings"' in result.stdout


@pytest.mark.slow
def test_installing_the_wheel_leaves_a_host_projects_pytest_working(tmp_path, wheel):
    """The wheel registers a pytest11 plugin: a host project without hypothesis still passes."""
    bin_dir = fresh_venv(tmp_path / "venv", str(wheel), "pytest")
    host = tmp_path / "host"
    host.mkdir()
    (host / "test_host.py").write_text("def test_one():\n    assert 1 + 1 == 2\n", encoding="utf-8")
    python = bin_dir / "python"
    assert subprocess.run([python, "-c", "import hypothesis"], capture_output=True).returncode != 0
    result = subprocess.run([python, "-m", "pytest", "-q"], capture_output=True, text=True, cwd=host)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
