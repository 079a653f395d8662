"""The README's Python examples run as written, in order, from the repository root."""

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_python_examples_run(capsys, monkeypatch):
    monkeypatch.chdir(README.parent)
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    namespace: dict = {}
    for code in blocks:
        exec(compile(code, "README.md", "exec"), namespace)
    out = capsys.readouterr().out
    assert len(blocks) == 3 and "filing f1" in out and "三（二）" in out and "2019-12-31 " in out
    assert "in-matrix 1 ['account.in_matrix'] ['a1']" in out
