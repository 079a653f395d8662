"""Input files as Chinese offices keep them: CSV in UTF-8, UTF-8 with a BOM, or GBK/GB18030."""

import pytest

from govmedia_rules.errors import RecordError
from govmedia_rules.intake.files import read_csv

UNITS = "id,name,level,kind\nu1,连云港市教育局,city,department\nu2,连云港市某局,城市,department\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_is_read_in_each_encoding_offices_use(tmp_path, encoding):
    path = tmp_path / "units.csv"
    path.write_bytes(UNITS.encode(encoding))
    first, second = read_csv(path)
    assert first.record.name == "连云港市教育局" and second.record is None
    named = "GB18030" in second.error
    assert named == encoding.startswith("gb"), "rejections name GB18030 exactly when it was used"


def test_bytes_in_no_known_encoding_are_one_clear_error(tmp_path):
    path = tmp_path / "units.csv"
    path.write_bytes(b"id,name\n\xff\xff\xff\xff\n")
    with pytest.raises(RecordError, match="GB18030"):
        list(read_csv(path))
