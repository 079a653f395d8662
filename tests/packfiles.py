"""Writing small packs for tests: the header every test pack needs, and its folder."""

import textwrap

HEADER = """\
id: {id}
title: 测试
issuer: 测试机关
jurisdiction: 测试市
version: 1.0.0
"""


def write_pack(root, text, name="p"):
    """``text`` (dedented) as ``root/name/pack.yaml``; the folder, to load."""
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return folder
