"""renda.assist.lawcheck: checks of normative documents against the law index.

Runs without the corpus (the committed index is used); one test compares the committed index
with a fresh build when /work/shared/data/laws/laws.jsonl is present."""

import io
import json
import os
import re
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from renda.assist import lawcheck, lawindex
from renda.assist.extract import ExtractError, extract_text
from renda.assist.lawcheck import KINDS, check_document, citations, document_date
from renda.assist.management.commands.assist import Command as AssistCommand

DATA = Path(__file__).parent / "data" / "lawcheck"
CORPUS = Path("/work/shared/data/laws/laws.jsonl")
CJK = re.compile(r"[\u4e00-\u9fff]")

PRC = "中华人民共和国"


def kinds(findings):
    return [f.kind for f in findings]


def only(findings, kind):
    return [f for f in findings if f.kind == kind]


# --------------------------------------------------------------------------- the index


def test_committed_index_is_small_and_describes_its_source():
    path = lawindex.INDEX_PATH
    assert path.is_file() and path.stat().st_size < 400_000
    index = lawindex.load_index()
    src = index.meta["source"]
    assert src["repo"] == "LawRefBook/Laws" and src["as_of"] == "2025-04-19"
    assert re.fullmatch(r"[0-9a-f]{64}", src["sha256"])
    assert index.meta["counts"]["acts"] == len(index.acts) > 3000
    assert (path.parent / "README.md").is_file()


@pytest.mark.parametrize(
    "cited, title",
    [
        ("中华人民共和国立法法", PRC + "立法法"),
        ("立法法", PRC + "立法法"),
        ("《中华人民共和国行政处罚法》", PRC + "行政处罚法"),
        ("行政许可法（2019年修正）", PRC + "行政许可法"),
        ("中华人民共和国食品安全法（2018修正）", PRC + "食品安全法"),
        ("大气污染防治法(2018年修正)", PRC + "大气污染防治法"),
        ("民法典", PRC + "民法典"),
        ("中华人民共和国民法典", PRC + "民法典"),
        ("监督法", PRC + "各级人民代表大会常务委员会监督法"),
        ("地方组织法", PRC + "地方各级人民代表大会和地方各级人民政府组织法"),
        ("城市市容和环境卫生管理条例", "城市市容和环境卫生管理条例"),
        ("中华人民共和国物业管理条例", "物业管理条例"),
        ("婚姻法", PRC + "婚姻法"),
    ],
)
def test_resolve_by_title_short_title_and_version_suffix(cited, title):
    act = lawindex.resolve(cited)
    assert act is not None and act.title == title


def test_resolve_former_title_and_unknown():
    old = "最高人民法院关于审理物业服务纠纷案件具体应用法律若干问题的解释"
    res = lawindex.load_index().lookup(old)
    assert res.matched == "former_title" and res.former_since == date(2021, 1, 1)
    assert res.act.title == "最高人民法院关于审理物业服务纠纷案件适用法律若干问题的解释"
    assert lawindex.resolve("中华人民共和国城市养犬管理法") is None
    assert lawindex.split_version("中华人民共和国立法法（2015年修正）") == (PRC + "立法法", 2015)


def test_civil_code_repeals_nine_acts_on_2021_01_01():
    for short in ("婚姻法", "继承法", "民法通则", "收养法", "担保法", "合同法", "物权法", "侵权责任法", "民法总则"):
        act = lawindex.resolve(short)
        assert act is not None, short
        assert act.repealed_on == date(2021, 1, 1), short
        assert act.repealed_by == "《中华人民共和国民法典》第一千二百六十条"
        assert act.replaced_by == PRC + "民法典" and act.status == "已废止"
        assert act.repealed_at(date(2020, 12, 31)) is False and act.repealed_at(date(2021, 1, 1)) is True


def test_replacement_and_same_title_successor():
    noise = lawindex.resolve("环境噪声污染防治法")
    assert noise.repealed_on == date(2022, 6, 5) and noise.replaced_by == PRC + "噪声污染防治法"
    assert noise.repealed_by.startswith("《中华人民共和国噪声污染防治法》第")
    # 反间谍法 (2014) repealed the 1993 国家安全法; the 2015 国家安全法 took the title and is in force
    assert lawindex.resolve("国家安全法").repealed_on is None
    # a repeal clause naming an act of the repealing act's own title is an older act
    assert lawindex.resolve("信访条例").repealed_by is None


@pytest.mark.skipif(not CORPUS.is_file(), reason="corpus /work/shared/data/laws/laws.jsonl not available")
def test_committed_index_equals_a_fresh_build(tmp_path):
    fresh = lawindex.build_index(CORPUS)
    out = lawindex.write_index(fresh, tmp_path / "index.json.gz")
    assert out.read_bytes() == lawindex.INDEX_PATH.read_bytes()


# --------------------------------------------------------------------------- citations


def test_citation_statuses():
    text = (
        "根据《中华人民共和国婚姻法》《内蒙古自治区物业管理条例》《国务院关于加强法治政府建设的意见》"
        "和《中华人民共和国城市养犬管理法》，原《中华人民共和国合同法》废止后，依照《中华人民共和国民法典》办理。"
    )
    cits = {c.title: c for c in citations(text, date(2022, 1, 1))}
    assert cits[PRC + "婚姻法"].status == "repealed"
    assert cits["内蒙古自治区物业管理条例"].status == "unverifiable"
    assert cits["国务院关于加强法治政府建设的意见"].status == "unverifiable"
    assert cits[PRC + "城市养犬管理法"].status == "not_found"
    assert cits[PRC + "合同法"].status == "repealed" and cits[PRC + "合同法"].historical
    assert cits[PRC + "民法典"].status == "in_force"
    for c in cits.values():
        assert text[c.start : c.end] == c.excerpt
        json.dumps(c.to_dict(), ensure_ascii=False)


def test_abbreviation_defined_in_the_text_is_followed():
    text = "根据《中华人民共和国矿山安全法实施条例》（以下简称《实施条例》），按照《实施条例》第十条执行。"
    cits = citations(text, date(2023, 1, 1))
    assert [c.status for c in cits] == ["in_force", "in_force"]
    assert all(c.act == PRC + "矿山安全法实施条例" for c in cits)


def test_document_date():
    assert document_date("……\n巴彦淖尔市人民政府\n2020年3月5日\n") == date(2020, 3, 5)
    assert document_date("……\n二〇二一年十二月二十五日\n") == date(2021, 12, 25)
    assert document_date("本办法自2020年4月1日起施行。") == date(2020, 4, 1)
    assert document_date("没有日期") is None


# --------------------------------------------------------------------------- each kind


def test_law_repealed_depends_on_publication_date():
    text = "为规范物业管理，根据《中华人民共和国物权法》，制定本办法。"
    assert kinds(check_document(text, published=date(2020, 12, 31))) == []
    found = check_document(text, published=date(2021, 1, 1))
    assert kinds(found) == ["law_repealed"]
    f = found[0]
    assert f.excerpt == "《中华人民共和国物权法》" and f.law == PRC + "物权法"
    assert "2021年1月1日" in f.message and "第一千二百六十条" in f.message and "民法典" in f.message
    # without a date argument the date line of the document decides
    assert kinds(check_document(text + "\n2019年5月1日\n")) == []
    assert kinds(check_document(text + "\n2021年5月1日\n")) == ["law_repealed"]


def test_historical_mention_of_a_repealed_law_is_not_flagged():
    text = "原《中华人民共和国婚姻法》废止后，婚姻登记依照《中华人民共和国民法典》办理。"
    assert check_document(text, published=date(2022, 1, 1)) == []


def test_law_not_found_only_for_national_titles():
    text = (
        "依据《中华人民共和国城市养犬管理法》《城乡环境卫生管理条例》《内蒙古自治区城市市容管理条例》"
        "《巴彦淖尔市养犬管理办法》《国务院关于加快推进政务服务“跨省通办”的指导意见》"
        "《全国人民代表大会常务委员会关于完善和加强备案审查制度的决定》《中国共产党问责条例》"
        "《“十四五”城乡社区服务体系建设规划》《城市建筑垃圾管理规定》制定本通知。"
    )
    found = check_document(text, published=date(2023, 1, 1))
    assert kinds(found) == ["law_not_found", "law_not_found"]
    assert [f.excerpt for f in found] == ["《中华人民共和国城市养犬管理法》", "《城乡环境卫生管理条例》"]
    assert all(f.law is None for f in found)


def test_law_title_outdated():
    text = "根据《中华人民共和国立法法（2015年修正）》和《中华人民共和国行政处罚法》（2017年修正），制定本规定。"
    found = check_document(text, published=date(2023, 9, 1))
    assert kinds(found) == ["law_title_outdated", "law_title_outdated"]
    assert found[1].excerpt == "《中华人民共和国行政处罚法》（2017年修正）"
    # the 2021 行政处罚法 took effect on 2021-07-15: before that the 2017 text was current
    assert check_document(text, published=date(2021, 3, 1)) == []
    renamed = "根据《最高人民法院关于审理物业服务纠纷案件具体应用法律若干问题的解释》，制定本指引。"
    assert kinds(check_document(renamed, published=date(2022, 1, 1))) == ["law_title_outdated"]
    assert check_document(renamed, published=date(2020, 1, 1)) == []
    # a missing 中华人民共和国 or a short title is not outdated
    assert check_document("依照《行政处罚法》和《立法法》的规定。", published=date(2024, 1, 1)) == []


def test_unauthorized_penalty_and_the_cited_law_exception():
    bare = "违反本办法规定，在城区露天焚烧垃圾的，由城市管理部门处500元以上2000元以下罚款。"
    found = check_document(bare, published=date(2022, 1, 1))
    assert kinds(found) == ["unauthorized_penalty"]
    assert "第十六条" in found[0].message and found[0].law == PRC + "行政处罚法"
    assert "第十四条" in check_document(bare, published=date(2020, 1, 1))[0].message
    cited = (
        "违反本办法规定，在城区露天焚烧垃圾的，由城市管理部门依照《中华人民共和国大气污染防治法》"
        "第一百一十九条的规定，处五百元以上二千元以下的罚款。"
    )
    assert check_document(cited, published=date(2022, 1, 1)) == []
    assert (
        check_document(
            "违法燃放的，由公安机关依照《中华人民共和国大气污染防治法》第一百一十九条的规定处罚。",
            published=date(2022, 1, 1),
        )
        == []
    )
    assert check_document("对违法经营者依法予以没收违法所得。", published=date(2022, 1, 1)) == []
    # the exception needs a cited act that exists and is in force
    repealed = "由生态环境部门依照《中华人民共和国环境噪声污染防治法》的规定，处五千元以上五万元以下的罚款。"
    assert kinds(check_document(repealed, published=date(2021, 1, 1))) == []
    assert kinds(check_document(repealed, published=date(2023, 1, 1))) == ["unauthorized_penalty", "law_repealed"]
    fake = "依照《中华人民共和国城市养犬管理法》的规定，处200元罚款。"
    assert kinds(check_document(fake, published=date(2023, 1, 1))) == ["unauthorized_penalty", "law_not_found"]
    # staff discipline is no administrative penalty; a 规章 may set fines
    assert check_document("对工作人员给予警告处分。", published=date(2022, 1, 1)) == []
    assert check_document(bare, published=date(2022, 1, 1), level="规章") == []


def test_unauthorized_licensing():
    pos = "本旗对农家乐经营实行许可制度。经营者须经旗文化旅游体育局审批同意后方可营业。"
    found = check_document(pos, published=date(2022, 1, 1))
    assert kinds(found) == ["unauthorized_licensing", "unauthorized_licensing"]
    assert "第十七条" in found[0].message
    for neg in (
        "从事食品经营的，应当依照《中华人民共和国食品安全法》的规定取得食品经营许可后方可营业。",
        "开办民宿应当依法办理营业执照，取得特种行业许可证后方可营业。",
        "取消户外临时宣传品设置审批，改为备案管理。",
        "装修前须经业主同意后方可施工。",
    ):
        assert check_document(neg, published=date(2022, 1, 1)) == [], neg


def test_unauthorized_compulsory_measure():
    pos = "对拒不支付工资的企业，由人社部门通知开户银行冻结其银行账户。"
    found = check_document(pos, published=date(2022, 1, 1))
    assert kinds(found) == ["unauthorized_compulsory_measure"] and "第十条第四款" in found[0].message
    cutoff = "对拒不缴纳采暖费的用户，停止向其供水、供电。"
    found = check_document(cutoff, published=date(2022, 1, 1))
    assert kinds(found) == ["unauthorized_compulsory_measure"] and "第四十三条" in found[0].message
    for neg in (
        "对继续施工的，依照《中华人民共和国城乡规划法》第六十八条的规定，采取查封施工现场、强制拆除等措施。",
        "物业服务人不得采取停止供电、供水等方式催交物业费。",
        "因管道检修需要停止供水的，供水单位应当提前24小时通知用户。",
    ):
        assert check_document(neg, published=date(2022, 1, 1)) == [], neg


def test_unauthorized_fee():
    pos = "申请人应当按照每宗200元的标准缴纳审核服务费。"
    assert kinds(check_document(pos, published=date(2022, 1, 1))) == ["unauthorized_fee"]
    for neg in (
        "根据《内蒙古自治区行政事业性收费目录清单》，住宅类不动产登记收费标准为每件80元。",
        "办理登记不收取任何费用。",
        "对中小企业一律免收投标保证金。",
        "参保人员按照自治区规定的标准缴纳基本医疗保险费。",
        "业主应当按照物业服务合同的约定交纳物业服务费用。",
    ):
        assert check_document(neg, published=date(2022, 1, 1)) == [], neg


def test_rights_restricted():
    for pos in (
        "对拒不配合拆除的住户，其子女不予办理入学手续。",
        "被列入黑名单的企业，三年内不得参加政府投资项目招标投标。",
        "由有关部门限制其法定代表人乘坐飞机出行。",
        "报名人员一律须提供户籍所在地社区出具的无违法犯罪证明。",
    ):
        found = check_document(pos, published=date(2022, 1, 1))
        assert kinds(found) == ["rights_restricted"], pos
        assert "监督法" in found[0].message
    for neg in (
        "申请材料不齐全的，应当一次性告知申请人需要补齐的材料；对不符合条件的，不予批准，并书面说明理由。",
        "婚姻登记处不得要求当事人提交婚前医学检查证明。",
        "任何学校不得以户籍为由拒收符合条件的随迁子女。",
        "参加政府采购活动前三年内有重大违法记录的供应商，依照《中华人民共和国政府采购法》第二十二条的规定不得参加政府采购活动。",
    ):
        assert check_document(neg, published=date(2022, 1, 1)) == [], neg


def test_late_filing():
    text = "巴彦淖尔市林业和草原局关于加强园林绿化管理的通知\n……\n巴彦淖尔市林业和草原局\n2022年5月10日\n"
    found = check_document(text, published=date(2022, 5, 10), filed=date(2022, 6, 28))
    assert kinds(found) == ["late_filing"]
    assert found[0].excerpt == "2022年5月10日" and "49日" in found[0].message and "立法法" in found[0].message
    assert check_document(text, published=date(2022, 5, 10), filed=date(2022, 6, 9)) == []
    assert check_document(text, filed=date(2023, 1, 1)) == []  # no publication date given


def test_findings_are_sorted_unique_and_point_at_their_excerpts():
    for path in sorted(DATA.glob("*.txt")) + sorted((DATA / "heldout").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        found = check_document(text)
        assert found == sorted(found, key=lambda f: f.start)
        assert len({(f.kind, f.start, f.end) for f in found}) == len(found)
        for f in found:
            assert f.kind in KINDS
            assert text[f.start : f.end] == f.excerpt and f.excerpt.strip() == f.excerpt
            assert "\n" not in f.excerpt and CJK.search(f.message)
            assert set(f.to_dict()) == {"kind", "excerpt", "start", "end", "law", "message"}


def test_checking_a_long_document_is_fast():
    lawindex.load_index()
    body = "".join(p.read_text(encoding="utf-8") for p in sorted(DATA.glob("*.txt")))
    text = (body * 2)[:20_000]
    check_document(text)  # warm-up (regex compilation, close-match table)
    t0 = time.perf_counter()
    check_document(text)
    assert time.perf_counter() - t0 < 0.2


# --------------------------------------------------------------------------- evaluation


def test_labelled_set_has_the_promised_shape():
    labels = json.loads((DATA / "labels.json").read_text(encoding="utf-8"))["documents"]
    assert len(labels) >= 36
    assert sum(1 for v in labels.values() if not v["findings"]) >= 10
    assert {f["kind"] for v in labels.values() for f in v["findings"]} == set(KINDS)
    assert any(name.endswith(".docx") for name in labels) and any(name.endswith(".pdf") for name in labels)


@pytest.mark.parametrize("directory", [DATA, DATA / "heldout"])
def test_evaluation_reaches_the_measured_quality(directory):
    result = lawcheck.evaluate(directory)
    assert result.overall["precision"] >= 0.9
    assert result.overall["recall"] >= 0.85
    report = lawcheck.format_eval(result)
    assert "overall" in report and "false negatives" in report


# --------------------------------------------------------------------------- command line


def test_cli_check_document_json(tmp_path):
    out = io.StringIO()
    call_command(AssistCommand(), "check-document", str(DATA / "21_wuye_2021.txt"), "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert [d["kind"] for d in data] == ["law_repealed", "law_repealed"]
    for d in data:
        assert set(d) == {"kind", "excerpt", "start", "end", "law", "message"}
    assert "《中华人民共和国物权法》" in out.getvalue()  # ensure_ascii=False
    out = io.StringIO()
    call_command(
        AssistCommand(),
        "check-document",
        str(DATA / "43_lvhua_guanli.txt"),
        "--published",
        "2022-05-10",
        "--filed",
        "2022-06-28",
        "--format",
        "text",
        stdout=out,
    )
    assert "逾期报送备案" in out.getvalue() and "引用核对" in out.getvalue()


@pytest.mark.parametrize(
    "argv, words",
    [
        (["check-document", "/nonexistent/文件.txt"], "文件不存在"),
        (["check-document", str(DATA / "21_wuye_2021.txt"), "--format", "xml"], "输出格式"),
        (["check-document", str(DATA / "21_wuye_2021.txt"), "--published", "2021-13-40"], "日期格式"),
        (["check-document", str(DATA / "labels.json")], "不支持的文件类型"),
        (["check-eval", "/nonexistent"], "目录不存在"),
        (["law-index", "--corpus", "/nonexistent/laws.jsonl"], "语料文件不存在"),
    ],
)
def test_cli_errors_are_chinese(argv, words):
    with pytest.raises(CommandError) as exc:
        call_command(AssistCommand(), *argv)
    assert words in str(exc.value)


def test_cli_error_exits_without_traceback():
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")]))
    proc = subprocess.run(
        [sys.executable, "-m", "renda", "assist", "check-document", "/nonexistent.txt"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert proc.returncode == 1
    assert "文件不存在" in proc.stderr and "Traceback" not in proc.stderr


def test_cli_check_eval():
    out = io.StringIO()
    call_command(AssistCommand(), "check-eval", str(DATA), stdout=out)
    assert re.search(r"^overall\s+\d+\s+\d+\s+\d+\s+[01]\.\d{3}", out.getvalue(), re.M)


# --------------------------------------------------------------------------- text extraction


def test_extract_txt_utf8_and_gb18030():
    text = "巴彦淖尔市人民政府关于……的通知"
    assert extract_text(text.encode("utf-8"), "a.txt") == text
    assert extract_text(b"\xef\xbb\xbf" + text.encode("utf-8"), "a.TXT") == text
    assert extract_text(text.encode("gb18030"), "a.txt") == text


def test_extract_docx_paragraphs_and_tables(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("第一条 为了规范管理，制定本办法。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "项目", "收费标准"
    table.cell(1, 0).text, table.cell(1, 1).text = "审核服务费", "每宗200元"
    document.add_paragraph("第二条 本办法自印发之日起施行。")
    buf = io.BytesIO()
    document.save(buf)
    text = extract_text(buf.getvalue(), "办法.docx")
    assert text.splitlines() == [
        "第一条 为了规范管理，制定本办法。",
        "项目\t收费标准",
        "审核服务费\t每宗200元",
        "第二条 本办法自印发之日起施行。",
    ]


def test_extract_committed_docx_and_pdf():
    docx_text = extract_text((DATA / "44_zhatu_yunshu.docx").read_bytes(), "44_zhatu_yunshu.docx")
    assert "取得《建筑垃圾准运证》后方可从事运输活动" in docx_text and "拆除工程\t每吨\t5元" in docx_text
    pdf_text = extract_text((DATA / "45_chuzufangwu.pdf").read_bytes(), "45_chuzufangwu.pdf")
    # lines wrapped by the page are joined again: a cited title is not cut in two
    assert "根据《中华人民共和国治安管理处罚法》《居住证暂行条例》和《租赁房屋治安管理规定》" in pdf_text
    assert "其子女不得在居住地参加中考" in pdf_text


@pytest.mark.parametrize(
    "data, name, words",
    [
        (b"PK\x03\x04 not really a zip", "坏.docx", "Word"),
        (b"%PDF-1.7\n garbage", "坏.pdf", "PDF"),
        (b"<html></html>", "a.pdf", "PDF"),
        (b"", "a.txt", "文件为空"),
        (b"   \n  ", "a.txt", "没有文字"),
        (b"abc", "a.doc", ".doc"),
        (b"abc", "a.xlsx", "不支持的文件类型"),
        (b"\xff\xfe\x00\x00\x00", "a.txt", "编码"),
    ],
)
def test_extract_errors_are_chinese(data, name, words):
    with pytest.raises(ExtractError) as exc:
        extract_text(data, name)
    assert words in str(exc.value) and CJK.search(str(exc.value))
