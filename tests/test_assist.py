"""renda.assist: category routing and similar-text search, on small invented texts
(no real message is used here)."""

import csv
import io
import pickle
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from renda.assist import routing
from renda.assist.management.commands.assist import Command as AssistCommand
from renda.assist.routing import ModelFileError, Router, RoutingDataError
from renda.assist.similarity import SimilarityIndex

LINE = re.compile(r"^macro_f1=\d\.\d{3} accuracy=\d\.\d{3} ms_per_message=\d+\.\d{2}$")

PLACES = [
    "东城区",
    "西城区",
    "城关镇",
    "青山镇",
    "柳湾乡",
    "新华街道",
    "高新区",
    "南湖社区",
    "白沙镇",
    "石门乡",
    "河西区",
    "清河县",
]
HELD_OUT_PLACES = ["金河镇", "北山区", "三江乡", "幸福社区"]

# category -> (subjects, details): every text is "{place}{subject}，{detail}"
CATEGORIES = {
    "交通运输": (
        ["公交线路太少", "道路拥堵严重", "红绿灯设置不合理", "客运班车停运", "路口没有斑马线"],
        ["希望交通部门增开公交班次", "建议拓宽道路并增设停车位", "请交警部门调整信号灯配时"],
    ),
    "教育文体": (
        ["学校大班额问题", "幼儿园学位不足", "中学教师流失", "图书馆开放时间太短", "学校操场年久失修"],
        ["希望教育局增加学位", "建议提高乡村教师待遇", "请尽快改善学生的学习条件"],
    ),
    "卫生计生": (
        ["卫生院缺少医生", "医院看病排队太久", "村卫生室药品不全", "疫苗接种点太远", "急救车到达太慢"],
        ["希望卫健委充实基层医务人员", "建议医院增加挂号窗口", "请改善群众看病就医条件"],
    ),
    "环境保护": (
        ["河道污水直排", "工厂废气污染严重", "垃圾随意堆放发臭", "工地扬尘很大", "养殖场粪便污染农田"],
        ["希望环保部门依法查处", "建议加快建设污水处理厂", "请加强环境监测和执法"],
    ),
    "劳动和社会保障": (
        ["企业拖欠农民工工资", "养老金标准偏低", "社保转移接续困难", "失业保险金领取难", "单位不签劳动合同"],
        ["希望人社局督促企业发放工资", "建议提高城乡居民养老金", "请简化社保办理手续"],
    ),
}


def invented(places):
    texts, labels = [], []
    for label, (subjects, details) in CATEGORIES.items():
        for i, place in enumerate(places):
            for j in range(2):
                subject = subjects[(i + j) % len(subjects)]
                detail = details[(i + 2 * j) % len(details)]
                texts.append(f"{place}{subject}，{detail}。")
                labels.append(label)
    return texts, labels


@pytest.fixture(scope="module")
def data():
    return invented(PLACES)  # 24 texts per category


@pytest.fixture(scope="module")
def held_out():
    return invented(HELD_OUT_PLACES)  # 8 per category, places never seen in training


@pytest.fixture(scope="module")
def router(data):
    return routing.train(*data)


def write_csv(path, rows, columns=("文本", "一级标签")):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        writer.writerows(rows)
    return path


# --------------------------------------------------------------------------- routing


def test_learns_categories_from_past_cases(router, held_out):
    texts, labels = held_out
    predicted = [label for label, _ in router.predict(texts)]
    accuracy = sum(p == t for p, t in zip(predicted, labels)) / len(labels)
    assert accuracy >= 0.9, accuracy
    assert sorted(router.labels) == sorted(CATEGORIES)


def test_confidences_and_top_k(router):
    for label, confidence in router.predict(["城关镇养老金太低，希望提高", "学校操场坏了"]):
        assert label in CATEGORIES
        assert 0.0 <= confidence <= 1.0
    top = router.top("北山区河道污水直排，请环保部门查处", k=3)
    assert len(top) == 3
    assert top[0][0] == "环境保护"
    probs = [p for _, p in top]
    assert probs == sorted(probs, reverse=True)
    assert all(0.0 <= p <= 1.0 for p in probs)
    everything = router.top("北山区河道污水直排", k=10)
    assert len(everything) == len(CATEGORIES)
    assert sum(p for _, p in everything) == pytest.approx(1.0, abs=1e-6)
    assert router.predict([]) == []
    with pytest.raises(TypeError):
        router.predict("一段文本而不是列表")


def test_fast_path_gives_scikit_learns_probabilities(router, held_out):
    texts = held_out[0] + ["", "完全无关的一句话", "公交" * 500]
    assert router.predict_proba(texts) == pytest.approx(router.predict_proba(texts, exact=True), abs=1e-6)
    two = routing.train(
        ["公交太少", "道路拥堵", "公交班次少", "学校太挤", "教师流失", "学位不足"], ["交通运输"] * 3 + ["教育文体"] * 3
    )
    assert two.predict_proba(texts) == pytest.approx(two.predict_proba(texts, exact=True), abs=1e-6)
    one = routing.train(["公交太少", "道路拥堵", "学校太挤"], ["交通运输", "交通运输", "教育文体"])
    assert one.predict_proba(texts) == pytest.approx(one.predict_proba(texts, exact=True), abs=1e-6)


def test_training_is_deterministic(data, router):
    again = routing.train(*data)
    texts = ["金河镇公交线路太少", "幸福社区卫生院缺少医生"]
    assert (again.predict_proba(texts) == router.predict_proba(texts)).all()


def test_save_load_round_trip(router, held_out, tmp_path):
    path = tmp_path / "router.pkl"
    router.save(path)
    loaded = Router.load(path)
    texts = held_out[0]
    assert loaded.labels == router.labels
    assert loaded.predict(texts) == router.predict(texts)
    assert loaded.meta["n_train"] == len(CATEGORIES) * 24


def test_load_refuses_other_versions_and_foreign_files(router, tmp_path):
    path = tmp_path / "router.pkl"
    router.save(path)
    payload = pickle.loads(path.read_bytes())
    payload["version"] = routing.FORMAT_VERSION + 1
    path.write_bytes(pickle.dumps(payload))
    with pytest.raises(ModelFileError, match="版本"):
        Router.load(path)
    payload["version"], payload["sklearn"] = routing.FORMAT_VERSION, "0.1"
    path.write_bytes(pickle.dumps(payload))
    with pytest.raises(ModelFileError, match="scikit-learn 0.1"):
        Router.load(path)
    path.write_bytes(pickle.dumps({"something": "else"}))
    with pytest.raises(ModelFileError, match="不是分类分办模型文件"):
        Router.load(path)
    path.write_bytes(b"not a pickle")
    with pytest.raises(ModelFileError, match="无法读取模型文件"):
        Router.load(path)
    with pytest.raises(ModelFileError, match="找不到模型文件"):
        Router.load(tmp_path / "missing.pkl")


def test_corrections_feed_the_next_training(data, router):
    text = "青山镇校车安全隐患"  # between transport and education
    before, _ = router.predict([text])[0]
    corrected = "环境保护" if before != "环境保护" else "卫生计生"
    fixes = [(text, corrected)] + [(f"{p}校车安全隐患", corrected) for p in PLACES[:5] if p != "青山镇"]
    texts, labels = routing.apply_corrections(*data, fixes)
    assert len(texts) == len(data[0]) + len(fixes)
    retrained = routing.train(texts, labels)
    assert retrained.predict([text])[0][0] == corrected


def test_apply_corrections_replaces_the_category_of_the_same_text():
    texts, labels = routing.apply_corrections(
        ["甲 地 公交太少", "乙地学校太挤"],
        ["教育文体", "教育文体"],
        [("甲地公交太少", "交通运输"), ("丙地养老金低", "劳动和社会保障"), ("", "交通运输")],
    )
    assert texts == ["甲 地 公交太少", "乙地学校太挤", "丙地养老金低"]
    assert labels == ["交通运输", "教育文体", "劳动和社会保障"]


def test_training_data_is_checked():
    with pytest.raises(RoutingDataError, match="数量不一致"):
        routing.train(["一", "二"], ["甲"])
    with pytest.raises(RoutingDataError, match="两个不同的类别"):
        routing.train(["公交太少", "道路拥堵"], ["交通运输", "交通运输"])
    with pytest.raises(RoutingDataError, match="没有可用于训练的数据"):
        routing.train(["", "  "], ["交通运输", "教育文体"])
    # one example of a class: trains without calibration, probabilities still sum to 1
    tiny = routing.train(["公交太少", "道路拥堵", "学校太挤"], ["交通运输", "交通运输", "教育文体"])
    assert sum(p for _, p in tiny.top("公交", k=5)) == pytest.approx(1.0)


def test_routing_eval_prints_the_score_line_last(data, held_out, tmp_path):
    train_csv = write_csv(tmp_path / "train.csv", zip(*data))
    test_rows = list(zip(*held_out)) + [("", "交通运输")]  # an empty row is skipped
    test_csv = write_csv(tmp_path / "test.csv", test_rows)
    out = io.StringIO()
    result = routing.routing_eval(train_csv, test_csv, out=out)
    lines = out.getvalue().strip().splitlines()
    assert LINE.match(lines[-1]), lines[-1]
    assert lines[-1] == result["line"]
    assert result["macro_f1"] >= 0.9 and result["accuracy"] >= 0.9
    assert result["n_test"] == len(held_out[0])
    assert 0 < result["ms_per_message"] < 100
    # the same through the management command
    buf = io.StringIO()
    call_command(AssistCommand(), "routing-eval", "--train", str(train_csv), "--test", str(test_csv), stdout=buf)
    assert LINE.match(buf.getvalue().strip().splitlines()[-1])


def test_routing_cv_prints_the_score_line_last(data, tmp_path):
    data_csv = write_csv(tmp_path / "data.csv", zip(*data))
    buf = io.StringIO()
    call_command(AssistCommand(), "routing-cv", "--data", str(data_csv), "--folds", "3", stdout=buf)
    last = buf.getvalue().strip().splitlines()[-1]
    assert LINE.match(last), last
    with pytest.raises(CommandError, match="每个类别至少 30 条"):
        call_command(AssistCommand(), "routing-cv", "--data", str(data_csv), "--folds", "30")


def test_bad_csv_files_give_a_clear_chinese_error(tmp_path, data):
    good = write_csv(tmp_path / "good.csv", zip(*data))
    no_label = write_csv(tmp_path / "no_label.csv", [("公交太少", "x")], columns=("文本", "分类"))
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    header_only = write_csv(tmp_path / "header.csv", [])
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("文本,一级标签\n公交太少,交通运输\n".encode("gbk"))
    cases = [
        (no_label, "缺少列：一级标签"),
        (empty, "文件为空"),
        (header_only, "没有可用的数据行"),
        (gbk, "不是 UTF-8 编码"),
        (tmp_path / "missing.csv", "找不到文件"),
    ]
    for bad, message in cases:
        with pytest.raises(RoutingDataError, match=message):
            routing.routing_eval(good, bad, out=io.StringIO())
        with pytest.raises(CommandError, match=message):
            call_command(AssistCommand(), "routing-eval", "--train", str(good), "--test", str(bad))


def test_train_and_predict_commands(data, tmp_path):
    data_csv = write_csv(tmp_path / "data.csv", zip(*data))
    fixes = write_csv(tmp_path / "fixes.csv", [("青山镇校车安全隐患", "交通运输")])
    model = tmp_path / "model.pkl"
    buf = io.StringIO()
    call_command(
        AssistCommand(),
        "routing-train",
        "--data",
        str(data_csv),
        "--corrections",
        str(fixes),
        "--out",
        str(model),
        stdout=buf,
    )
    assert "已训练：121 条" in buf.getvalue()
    buf = io.StringIO()
    call_command(
        AssistCommand(), "routing-predict", "--model", str(model), "--k", "2", "金河镇工地扬尘很大", stdout=buf
    )
    assert buf.getvalue().startswith("环境保护 ")


# --------------------------------------------------------------------------- similar texts

SUGGESTIONS = [
    (101, "关于加快城关镇老旧小区改造的建议：小区建于上世纪八十年代，管网老化，经常停水。"),
    (102, "关于提高农村养老保险待遇的建议：基础养老金标准偏低，老年人生活困难。"),
    (103, "关于解决东城区停车难问题的建议：停车位严重不足，乱停乱放现象突出。"),
    (104, "关于加强青山镇河道污染治理的建议：生活污水直排河道，水体发黑发臭。"),
    (105, "关于增加乡村教师生活补助的建议：乡村教师待遇偏低，流失严重。"),
    (106, "关于加快西城区老旧小区改造的建议：小区设施老化，电梯经常故障。"),
]


@pytest.fixture()
def index():
    ix = SimilarityIndex()
    ix.add(SUGGESTIONS)
    return ix


def test_exact_duplicate_ranks_first_with_score_one(index):
    hits = index.search(SUGGESTIONS[3][1], k=3)
    assert hits[0].id == 104
    assert hits[0].score == pytest.approx(1.0, abs=1e-4)
    assert all(0.0 <= h.score <= 1.0 for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    # whitespace and full-width characters do not matter
    assert index.search("关于加强青山镇河道污染治理的建议： 生活污水直排河道，\n水体发黑发臭。", k=1)[
        0
    ].score == pytest.approx(1.0, abs=1e-4)


def test_near_duplicate_and_related_texts(index):
    hits = index.search("建议加快城关镇老旧小区改造，管网老化经常停水", k=2)
    assert hits[0].id == 101
    assert hits[1].id == 106  # the other old-housing suggestion
    assert hits[0].score > 0.5


def test_unrelated_text_scores_low(index):
    hits = index.search("今天天气晴朗，适合外出踏青赏花。", k=5)
    assert all(h.score < 0.2 for h in hits)


def test_k_ids_and_exclusions(index):
    assert len(index.search("关于加快老旧小区改造的建议", k=2)) == 2
    assert len(index.search("关于加快老旧小区改造的建议", k=100)) <= len(SUGGESTIONS)
    assert index.search("关于加快老旧小区改造的建议", k=0) == []
    ids = {h.id for h in index.search("关于……的建议", k=10)}
    assert ids <= {i for i, _ in SUGGESTIONS}
    hits = index.search(SUGGESTIONS[0][1], k=3, exclude=[101])
    assert 101 not in {h.id for h in hits}
    assert all(h.score >= 0.3 for h in index.search("老旧小区改造", k=10, min_score=0.3))


def test_empty_index_and_empty_query():
    ix = SimilarityIndex()
    assert len(ix) == 0
    assert ix.search("关于加快老旧小区改造的建议", k=5) == []
    ix.add([])
    assert ix.search("任何文本") == []
    ix.add([("a", "关于加快老旧小区改造的建议")])
    assert ix.search("", k=5) == []
    assert ix.search("   ", k=5) == []


def test_incremental_add_replace_and_remove(index):
    for i in range(60):  # grow past the first compaction, then add one by one (delta block)
        index.add([(1000 + i, f"第{i}号建议：关于完善{i}号路段公交站台设施的建议")])
    index.add([(201, "关于在柳湾乡建设污水处理厂的建议：河道污染严重。")])
    assert index.search("柳湾乡建设污水处理厂", k=1)[0].id == 201
    index.add([(201, "关于柳湾乡文化广场建设的建议")])  # same id: the text is replaced
    old = {h.id: h.score for h in index.search("关于在柳湾乡建设污水处理厂的建议：河道污染严重。", k=5)}
    assert old.get(201, 0.0) < 0.5
    assert index.search("柳湾乡文化广场建设", k=1)[0].id == 201
    assert index.remove([102, 999]) == 1
    assert 102 not in index
    assert 102 not in {h.id for h in index.search(SUGGESTIONS[1][1], k=10)}
    before = [(h.id, h.score) for h in index.search(SUGGESTIONS[4][1], k=3)]
    index.compact()
    after = index.search(SUGGESTIONS[4][1], k=3)
    assert after[0].id == before[0][0] == 105 and after[0].score == pytest.approx(1.0, abs=1e-4)
    assert len(index) == len(SUGGESTIONS) - 1 + 60 + 1
