"""A wheel built from the repository, installed in a fresh venv, ships and finds the built-in packs."""

import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_in_a_fresh_venv_lists_the_builtin_packs(tmp_path):
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path / "dist"),
                    str(ROOT)], check=True, capture_output=True)
    [wheel] = (tmp_path / "dist").glob("govmedia_rules-*.whl")
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bin_dir = env_dir / "bin"
    subprocess.run([bin_dir / "python", "-m", "pip", "install", "--quiet", str(wheel)], check=True, capture_output=True)
    out = subprocess.run([bin_dir / "govmedia-rules", "packs"], check=True, capture_output=True, text=True,
                         cwd=tmp_path).stdout
    listed = {line.split("\t")[0]: line.split("\t")[-1] for line in out.splitlines()}
    assert set(listed) == {d.name for d in (ROOT / "policies").iterdir() if (d / "pack.yaml").is_file()}
    assert all(path.startswith(str(env_dir)) for path in listed.values()), "packs must come from the installed wheel"
    result = subprocess.run([bin_dir / "govmedia-rules", "check", "--pack", "lianyungang", "--since", "2019-08-01",
                             "--as-of", "2019-12-31", "--format", "json", str(ROOT / "examples" / "lianyungang.jsonl")],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 1 and '"findings"' in result.stdout
