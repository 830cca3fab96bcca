"""The 《会计工作（经历）证明》 rendered by Chromium: the PDF's text holds the values, the PNGs are A4 pages.

One browser for the module, started from pytest-playwright's session `playwright`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, cast

import pytest
from PIL import Image
from pypdf import PdfReader
from stdnum.cn import ric, uscc
from typer.testing import CliRunner

from autofill import certificate as cert
from autofill.cli import app
from autofill.pack import load_pack

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.e2e

ID_NUMBER = "44030419880229002" + ric.calc_check_digit("44030419880229002" + "0")
USCC_1 = "91440300MA5F2K7L3" + uscc.calc_check_digit("91440300MA5F2K7L3")
USCC_3 = "12440300455758322" + uscc.calc_check_digit("12440300455758322")
LONG_UNIT = "深圳市南山区示例科技创新服务中心（有限合伙）财务共享服务分部"

PROFILE = f"""\
scope: 1
account:
  id_type: 内地居民身份证
  id_number: "{ID_NUMBER}"
  name: 欧阳测试
  mobile: "13800138000"
department: {{province: 广东省, city: 广州地区, district: 天河区}}
basic:
  political_status: 群众
  ethnicity: 汉族
  address: 广东省深圳市南山区示例路5号
education:
  - {{mode: 全日制, school: 深圳大学, start: 2006-09, end: 2010-06, level: 大学本科,
      diploma_no: "105901201005000789", degree: 学士, degree_no: "1059042010000789", major: 会计学}}
work:
  - start: 2010-07
    end: 2015-02
    employer: {LONG_UNIT}
    uscc: "{USCC_1}"
    employer_type: 企业
    industry: 租赁和商务服务业
    address: 广东省深圳市南山区示例路6号
    phone: "0755-61234567"
    accounting:
      start: 2010-09-15
      end: 2014-12
      work_types: [出纳, 稽核, 会计机构内会计档案管理]
  - start: 2015-03
    end: 2016-12
    employer: 深圳市示例贸易有限公司
    uscc: "{USCC_1}"
    employer_type: 企业
    industry: 批发和零售业
    address: 广东省深圳市福田区示例路7号
    phone: "0755-61234568"
  - start: 2017-01
    end: 至今
    employer: 深圳市示例事业单位
    uscc: "{USCC_3}"
    employer_type: 事业单位
    industry: 教育
    address: 广东省深圳市福田区示例路8号
    phone: "0755-61234569"
    accounting:
      start: 2017-03
      work_types: [资产、负债和所有者权益(净资产)的核算, 财务会计报告(决算报告)编制]
"""


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    path = tmp_path / "ouyang.yaml"
    path.write_text(PROFILE, encoding="utf-8")
    return path


def compact(text: str) -> str:
    """Extracted PDF text without layout: NFKC (the CJK fonts map some characters to Kangxi radicals)
    and no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def boxes(page_text: str, labels: list[str]) -> dict[str, str]:
    """The box printed before each work type: ☑ or ☐."""
    found = {}
    for label in labels:
        m = re.search(rf"([☐☑]){re.escape(compact(label))}", page_text)
        assert m, f"no box before {label}"
        found[label] = m[1]
    return found


def extrema(im: Image.Image) -> tuple[int, int]:
    """Darkest and lightest grey of a greyscale picture."""
    return cast(tuple[int, int], im.getextrema())


def test_pdf_from_the_command_has_a_page_per_row_with_the_values(
    profile: Path, tmp_path: Path, browser: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    @contextmanager
    def shared() -> Iterator[Browser]:
        yield browser

    monkeypatch.setattr(cert, "launched_browser", shared)
    out = tmp_path / "certificate.pdf"
    result = CliRunner().invoke(app, ["certificate", str(profile), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"已生成 (written) {out}: 2 页" in result.output
    assert "work row 1" in result.output and "work row 3" in result.output
    assert ID_NUMBER not in result.output  # printed on the page, never in the log
    assert "employment_status" in result.output  # row 1 ended without it: ticked 离职, and said so
    assert sorted(p.name for p in tmp_path.iterdir()) == ["certificate.pdf", "ouyang.yaml"]

    reader = PdfReader(out)
    assert len(reader.pages) == 2  # each certificate fits its A4 page, even with a long unit name
    for page in reader.pages:
        assert abs(float(page.mediabox.width) - 595.3) < 1 and abs(float(page.mediabox.height) - 841.9) < 1
    first, third = (compact(p.extract_text()) for p in reader.pages)
    types = load_pack().option("work_type").values

    for text in (first, third):
        assert "会计工作(经历)证明" in text
        assert f"兹有欧阳测试(身份证号:{ID_NUMBER})系我单位" in text
        assert "特此证明" in text and "单位(盖章)" in text and "年月日" in text
        assert "(单位联系人及联系电话:)" in text

    assert "(☐在职、☐退休、☑离职)正式职工" in first
    assert "于2010年9月15日至2014年12月日在我单位从事会计工作" in first
    assert f"单位名称:{compact(LONG_UNIT)}" in first
    assert f"社会统一信用代码:{USCC_1}" in first
    ticked = {"出纳", "稽核", "会计机构内会计档案管理"}
    assert boxes(first, types) == {t: "☑" if t in ticked else "☐" for t in types}

    assert "(☑在职、☐退休、☐离职)正式职工" in third
    assert "于2017年3月日至今在我单位从事会计工作" in third  # 至今 stays 至今; no day in the profile
    assert "单位名称:深圳市示例事业单位" in third and f"社会统一信用代码:{USCC_3}" in third
    ticked = {"资产、负债和所有者权益(净资产)的核算", "财务会计报告(决算报告)编制"}  # the site's spelling
    assert boxes(third, types) == {t: "☑" if t in ticked else "☐" for t in types}


def test_png_per_row_is_an_a4_page(profile: Path, tmp_path: Path, browser: Browser) -> None:
    certs, _ = cert.prepare(profile)
    files = cert.write_certificates(certs, tmp_path / "c.png", browser=browser)
    assert files == [tmp_path / "c-1.png", tmp_path / "c-3.png"]  # numbered by the work row
    pictures = []
    for file in files:
        with Image.open(file) as im:
            assert im.format == "PNG"
            width, height = im.size
            assert width >= 1900 and abs(height / width - 297 / 210) < 0.005
            gray = im.convert("L")
            pictures.append(gray.tobytes())
            # ink from the title down to the contact line, white margins around it
            top, bottom = gray.crop((0, 0, width, height // 2)), gray.crop((0, height // 2, width, height))
            assert extrema(top)[0] < 80 and extrema(bottom)[0] < 80
            assert extrema(gray.crop((0, 0, width, height // 40))) == (255, 255)
    assert pictures[0] != pictures[1]


def test_a_certificate_that_would_not_fit_its_page_is_refused(profile: Path, tmp_path: Path, browser: Browser) -> None:
    # `check` refuses a 单位名称 longer than the site takes (200 characters): the page's own guard is met
    # with a value no profile can give, for a template or a site that changes
    certs, _ = cert.prepare(profile)
    certs[0] = certs[0].model_copy(update={"employer": LONG_UNIT * 12})
    with pytest.raises(cert.OutputError) as caught:
        cert.write_certificates(certs, tmp_path / "long.pdf", browser=browser)
    assert caught.value.field == "work[0]" and "A4" in caught.value.message
    assert not (tmp_path / "long.pdf").exists()
