"""``-o`` files: a unique temporary file renamed over the target; special files, symlinks safe."""

import os
import stat
import threading

import pytest

from govmedia_rules.errors import OutputError
from govmedia_rules.exporters.outputs import check_output, write_output


def test_an_interrupted_write_leaves_the_previous_file_whole(tmp_path, monkeypatch):
    target = tmp_path / "report.json"
    target.write_text("old complete report", encoding="utf-8")

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        write_output(target, "new")
    assert target.read_text(encoding="utf-8") == "old complete report"
    assert os.listdir(tmp_path) == ["report.json"], "the temporary file is removed"


def test_text_and_bytes_are_written(tmp_path):
    write_output(tmp_path / "a.txt", "中文")
    write_output(tmp_path / "b.bin", b"\x00\x01")
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "中文"
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\x01"


def test_a_symlink_planted_at_the_old_temporary_name_is_not_followed(tmp_path):
    victim = tmp_path / "victim"
    victim.write_text("keep", encoding="utf-8")
    (tmp_path / ".report.json.partial").symlink_to(victim)
    write_output(tmp_path / "report.json", "new")
    assert victim.read_text(encoding="utf-8") == "keep"
    assert (tmp_path / "report.json").read_text(encoding="utf-8") == "new"


def test_concurrent_writers_use_their_own_temporary_files(tmp_path):
    target = tmp_path / "report.json"
    texts = [str(i) * 200_000 for i in range(8)]
    threads = [threading.Thread(target=write_output, args=(target, t)) for t in texts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert target.read_text(encoding="utf-8") in texts
    assert os.listdir(tmp_path) == ["report.json"]


def null_device(folder):
    """A null device node of the test's own (never the system's /dev/null), else skip."""
    node = folder / "null"
    try:
        os.mknod(node, 0o666 | stat.S_IFCHR, os.stat(os.devnull).st_rdev)
    except OSError:
        pytest.skip("creating a device node needs CAP_MKNOD")
    return node


def test_a_character_device_is_written_through_not_replaced(tmp_path):
    node = null_device(tmp_path)
    check_output(node)
    write_output(node, "report")
    assert stat.S_ISCHR(os.lstat(node).st_mode) and os.listdir(tmp_path) == ["null"]


def test_a_fifo_is_written_through(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text(encoding="utf-8")))
    reader.start()
    write_output(fifo, "报告")
    reader.join()
    assert received == ["报告"] and stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_symlink_target_is_refused_and_left_alone(tmp_path):
    victim = tmp_path / "victim"
    victim.write_text("keep", encoding="utf-8")
    link = tmp_path / "report.json"
    link.symlink_to(victim)
    for attempt in (check_output, lambda p: write_output(p, "new")):
        with pytest.raises(OutputError, match="符号链接"):
            attempt(link)
    assert link.is_symlink() and victim.read_text(encoding="utf-8") == "keep"


@pytest.mark.parametrize("make, words", [
    (lambda d: d / "missing" / "r.json", "不存在"),
    (lambda d: d, "是文件夹"),
    (lambda d: (d / "file.txt").write_text("x") and d / "file.txt" / "r.json", "不是文件夹"),
])
def test_bad_paths_are_rejected_before_anything_is_written(tmp_path, make, words):
    with pytest.raises(OutputError, match=words):
        check_output(make(tmp_path))


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into any folder")
def test_an_unwritable_folder_is_rejected(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir(mode=0o500)
    with pytest.raises(OutputError, match="不可写"):
        check_output(folder / "r.json")
