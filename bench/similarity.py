"""`python -m bench.similarity`: the similar-text index (renda.assist.similarity) at 10,000 and
100,000 suggestion texts.

Generates deterministic, invented suggestion-like texts (templates × place names × topics ×
problems × measures; no real data), builds the index over N of them, then times 200 queries:
100 near-duplicates of stored texts (a sentence dropped, a few characters changed, the place
written another way: the case of a deputy re-submitting an earlier suggestion) and 100 new texts.
Prints build time, query time (median and p95) and the ratio of 100,000 to the 10,000 baseline
measured in the same run, plus incremental adds (1,000 texts into the built index, no rebuild)
and a forced compaction; and, as a sanity check of the ranking, how often the original text
ranks first for its near-duplicate.

One CPU core (affinity and one BLAS thread). Not part of the test suite.
Options: --sizes 10000,100000 --queries 200 --k 10 --seed 7
Exit status 1 if the largest size's median or p95 query time is 50 ms or more.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time

GOAL_MS = 50.0

PROVINCE_CITIES = ["江州市", "云川市", "临海市", "青石市", "安平市", "梧桐市", "北湖市", "南溪市"]
DISTRICTS = [
    "城关区",
    "东城区",
    "西城区",
    "高新区",
    "经开区",
    "滨江区",
    "新港区",
    "北山区",
    "南湖区",
    "河西区",
    "清河县",
    "松林县",
    "石桥县",
    "白水县",
    "长宁县",
    "永安县",
    "东阳县",
    "西平县",
    "丰乐县",
    "桃源县",
]
TOWNS = [
    "城南街道",
    "城北街道",
    "新华街道",
    "光明街道",
    "和平街道",
    "建设街道",
    "人民路街道",
    "解放街道",
    "青山镇",
    "柳湾镇",
    "杨柳镇",
    "金河镇",
    "三江镇",
    "红星镇",
    "白沙镇",
    "黄土岭镇",
    "石门乡",
    "大坪乡",
    "龙潭乡",
    "马鞍乡",
    "枫树乡",
    "桂花乡",
    "花园社区",
    "幸福社区",
    "阳光社区",
    "育才社区",
]
ROADS = ["人民路", "解放路", "建设大道", "迎宾路", "滨河路", "中山路", "工业大道", "学府路", "车站路", "环城北路"]

# topic: (subject phrases, background sentences, problems, measures, responsible bodies)
TOPICS = {
    "交通": (
        [
            "{road}交通拥堵治理",
            "{town}公交线路优化",
            "{district}停车难问题",
            "{road}与{road2}交叉口信号灯设置",
            "农村公路提质改造",
            "{town}客运班车开通",
        ],
        [
            "{road}是连接{town}与城区的主干道，早晚高峰车流量大",
            "随着机动车保有量快速增长，{district}停车位缺口日益突出",
            "{town}群众出行主要依靠公交，现有线路覆盖不足",
        ],
        [
            "道路狭窄通行能力不足",
            "路口缺少信号灯和斑马线",
            "公交发车间隔过长",
            "停车位严重不足乱停乱放现象突出",
            "路面破损坑洼不平",
            "学生上下学时段交通秩序混乱",
            "货车超载超速频发",
        ],
        [
            "拓宽{road}并增设非机动车道",
            "在交叉口增设信号灯和人行横道",
            "加密公交班次并延长运营时间",
            "利用闲置地块建设公共停车场",
            "加大对超载超速的执法力度",
            "实施农村公路安保工程",
        ],
        ["市交通运输局", "市公安局交警支队", "{district}人民政府"],
    ),
    "教育": (
        [
            "{town}学校建设",
            "义务教育阶段大班额化解",
            "乡村教师待遇保障",
            "{district}学前教育普惠发展",
            "中小学课后服务",
            "校园周边安全环境整治",
        ],
        [
            "{town}常住人口近年增加较多，适龄儿童入学需求上升",
            "乡村学校教师流失问题长期存在",
            "{district}公办幼儿园学位供给不足",
        ],
        [
            "学位紧张班额过大",
            "校舍陈旧存在安全隐患",
            "乡村教师工资待遇偏低",
            "课后服务内容单一",
            "校园周边流动摊贩较多",
            "寄宿制学校生活设施不完善",
            "学前教育收费偏高",
        ],
        [
            "新建或扩建{town}中心小学",
            "落实乡村教师生活补助并提高标准",
            "增加公办幼儿园学位",
            "规范课后服务并加大财政保障",
            "开展校园周边环境专项整治",
            "改善寄宿制学校食堂和宿舍条件",
        ],
        ["市教育局", "市财政局", "{district}教育局"],
    ),
    "医疗": (
        [
            "基层医疗卫生服务能力提升",
            "{town}卫生院建设",
            "家庭医生签约服务",
            "{district}医疗资源均衡配置",
            "村卫生室标准化建设",
            "公立医院看病难问题",
        ],
        [
            "{town}卫生院服务人口多，医疗设备和人员不足",
            "群众反映到城区大医院看病排队时间长",
            "村卫生室乡村医生年龄老化",
        ],
        [
            "基层医务人员短缺",
            "医疗设备老旧",
            "乡村医生待遇低后继乏人",
            "家庭医生签约服务流于形式",
            "药品配备不全群众买药难",
            "急救站点覆盖不足",
        ],
        [
            "加大基层医疗机构设备投入",
            "落实乡村医生养老保障",
            "推进医共体建设下沉优质资源",
            "完善家庭医生考核激励机制",
            "在{town}增设急救站点",
            "扩大基本药物配备目录",
        ],
        ["市卫生健康委员会", "市医疗保障局", "{district}卫生健康局"],
    ),
    "环境": (
        [
            "{river}水污染治理",
            "{town}垃圾分类处理",
            "农村人居环境整治",
            "{district}扬尘污染防治",
            "畜禽养殖污染治理",
            "城区噪音扰民问题",
        ],
        [
            "{river}流经{town}，是沿岸群众的重要水源",
            "{district}建筑工地较多，扬尘问题突出",
            "{town}生活垃圾产生量逐年增加",
        ],
        [
            "工业废水和生活污水直排",
            "垃圾收运不及时随意堆放",
            "养殖废水污染农田",
            "建筑工地扬尘严重",
            "夜间施工噪音扰民",
            "黑臭水体治理效果反弹",
        ],
        [
            "加快建设污水处理设施和配套管网",
            "完善垃圾分类收运体系",
            "开展畜禽养殖污染专项整治",
            "严格落实工地扬尘防治措施",
            "加强夜间施工审批和执法",
            "建立河长制长效管护机制",
        ],
        ["市生态环境局", "市城市管理局", "{district}人民政府"],
    ),
    "社保": (
        [
            "城乡居民养老保险待遇提高",
            "灵活就业人员参保",
            "{district}养老服务设施建设",
            "失地农民社会保障",
            "企业拖欠农民工工资治理",
            "困难群众救助",
        ],
        ["{town}六十岁以上老年人占比超过两成", "部分企业存在拖欠工资现象", "失地农民的养老保障问题群众反映强烈"],
        [
            "基础养老金标准偏低",
            "社区养老服务设施不足",
            "灵活就业人员参保手续繁琐",
            "农民工工资被拖欠",
            "医保异地报销不便",
            "低保认定不够精准",
        ],
        [
            "逐步提高城乡居民基础养老金",
            "在{town}建设社区养老服务中心",
            "简化灵活就业人员参保流程",
            "落实工资保证金制度",
            "推进医保异地直接结算",
            "完善低保动态管理",
        ],
        ["市人力资源和社会保障局", "市民政局", "市医疗保障局"],
    ),
    "城建": (
        [
            "{town}老旧小区改造",
            "{district}城市内涝治理",
            "背街小巷提质改造",
            "{road}路灯安装",
            "城中村改造",
            "农村危房改造",
            "物业管理规范",
        ],
        [
            "{town}老旧小区建于上世纪八九十年代，设施老化",
            "每逢暴雨{road}一带积水严重",
            "{district}部分背街小巷路面破损、照明不足",
        ],
        [
            "管网老化经常爆管停水",
            "雨污不分流排水能力不足",
            "小区无物业管理环境脏乱",
            "路灯损坏无人维修",
            "违章建筑侵占公共空间",
            "电梯老旧存在安全隐患",
        ],
        [
            "将{town}老旧小区纳入年度改造计划",
            "实施雨污分流改造",
            "加快{road}排水管网升级",
            "引入专业物业或推行居民自治管理",
            "开展违章建筑专项整治",
            "加装和更新老旧电梯",
        ],
        ["市住房和城乡建设局", "市城市管理局", "市自然资源和规划局"],
    ),
    "商贸": (
        [
            "{town}农贸市场升级改造",
            "夜间经济发展",
            "{district}旅游资源开发",
            "优化营商环境",
            "农产品销售渠道拓展",
            "食品安全监管",
        ],
        ["{town}农贸市场建成多年，设施简陋", "{district}拥有较为丰富的旅游资源但开发不足", "中小微企业反映办事环节多"],
        [
            "市场布局不合理占道经营严重",
            "旅游基础设施薄弱",
            "审批环节多办事效率低",
            "农产品销售渠道单一",
            "价格欺诈和虚假宣传时有发生",
            "食品小作坊监管薄弱",
        ],
        [
            "对{town}农贸市场进行标准化改造",
            "完善旅游交通和停车配套",
            "推行一网通办压缩审批时限",
            "发展电商拓宽农产品销路",
            "加强市场价格监管",
            "开展食品安全专项检查",
        ],
        ["市商务局", "市市场监督管理局", "市文化旅游广电局"],
    ),
    "农业": (
        [
            "高标准农田建设",
            "{town}农田水利设施修缮",
            "粮食种植补贴",
            "农村产业发展",
            "{district}乡村振兴",
            "农村集体经济发展",
        ],
        ["{town}是传统农业乡镇，耕地面积较大", "部分山塘水库年久失修", "{district}村级集体经济薄弱"],
        [
            "灌溉渠道淤塞",
            "种粮收益低撂荒现象增多",
            "农业社会化服务不足",
            "农村产业同质化严重",
            "村级集体经济收入来源单一",
            "农机作业道路不畅",
        ],
        [
            "加大高标准农田建设投入",
            "修缮{town}山塘水库和灌溉渠道",
            "提高种粮补贴标准",
            "培育特色优势产业",
            "盘活农村闲置资产",
            "完善机耕道建设",
        ],
        ["市农业农村局", "市水利局", "{district}人民政府"],
    ),
}
RIVERS = ["清水河", "白龙江", "桃花溪", "金沙河", "青龙河", "柳溪"]
TITLES = [
    "关于{subject}的建议",
    "关于加快推进{subject}的建议",
    "关于进一步加强{subject}的建议",
    "建议重视{subject}",
    "关于解决{subject}问题的建议",
    "关于{place}{subject}的建议",
]
OPENINGS = [
    "近年来，{place}在{topic}方面做了大量工作，取得了一定成效。",
    "{year}年以来，群众对{place}{topic}问题反映较多。",
    "经过走访调研，本人了解到{place}{topic}方面仍存在一些突出问题。",
    "",
]
CLOSINGS = ["", "以上建议，请{body}研究办理。", "希望{body}予以重视并尽快解决。", "建议由{body}牵头落实。"]


def suggestion(rng: random.Random) -> str:
    """One invented suggestion: title, background, problems, measures, closing."""
    topic = rng.choice(list(TOPICS))
    subjects, backgrounds, problems, measures, bodies = TOPICS[topic]
    road, road2 = rng.sample(ROADS, 2)
    ctx = {
        "city": rng.choice(PROVINCE_CITIES),
        "district": rng.choice(DISTRICTS),
        "town": rng.choice(TOWNS),
        "road": road,
        "road2": road2,
        "river": rng.choice(RIVERS),
        "year": rng.randint(2015, 2024),
        "topic": topic,
    }
    ctx["place"] = rng.choice([ctx["district"], ctx["town"], ctx["city"] + ctx["district"]])
    ctx["body"] = rng.choice(bodies).format(**ctx)
    ctx["subject"] = rng.choice(subjects).format(**ctx)
    title = rng.choice(TITLES).format(**ctx)
    probs = rng.sample(problems, rng.randint(2, 4))
    meas = rng.sample(measures, rng.randint(2, 4))
    n = rng.randint(20, 3000)
    body = (
        rng.choice(OPENINGS).format(**ctx)
        + rng.choice(backgrounds).format(**ctx)
        + f"，涉及群众约{n}户。"
        + "目前主要存在以下问题："
        + "；".join(f"{i + 1}.{p}" for i, p in enumerate(probs))
        + "。"
        + "为此建议："
        + "；".join(
            f"一是{m}" if i == 0 else ("二是" if i == 1 else "三是" if i == 2 else "四是") + m
            for i, m in enumerate(meas)
        ).format(**ctx)
        + "。"
        + rng.choice(CLOSINGS).format(**ctx)
    )
    return title + body


def corpus(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [suggestion(rng) for _ in range(n)]


def near_duplicate(text: str, rng: random.Random) -> str:
    """A re-submission: one sentence dropped, a few characters changed."""
    parts = [p for p in text.split("。") if p]
    if len(parts) > 2:
        del parts[rng.randrange(1, len(parts))]
    t = list("。".join(parts) + "。")
    for _ in range(rng.randint(1, 4)):
        t[rng.randrange(len(t))] = rng.choice("的了和在与及对将把为")
    return "".join(t)


def _one_core():
    if hasattr(os, "sched_setaffinity"):
        try:
            os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        except OSError:
            pass
    from threadpoolctl import threadpool_limits

    return threadpool_limits(1)


def measure(texts: list[str], queries: list[tuple[str, int | None]], k: int, adds: list[str]) -> dict:
    from renda.assist.similarity import SimilarityIndex

    SimilarityIndex().add([(0, texts[0])])  # imports and first-call overheads, not timed
    start = time.perf_counter()
    index = SimilarityIndex()
    index.add(enumerate(texts))
    build = time.perf_counter() - start
    index.search(queries[0][0], k)  # warm-up
    times, hits, dup_queries = [], 0, 0
    for text, original in queries:
        t0 = time.perf_counter()
        found = index.search(text, k)
        times.append(1000 * (time.perf_counter() - t0))
        if original is not None:
            dup_queries += 1
            hits += bool(found) and found[0].id == original
    times.sort()
    start = time.perf_counter()
    for i, text in enumerate(adds):  # one by one, as staff register new suggestions
        index.add([(len(texts) + i, text)])
    add_ms = 1000 * (time.perf_counter() - start) / max(1, len(adds))
    start = time.perf_counter()
    index.compact()
    compact = time.perf_counter() - start
    return {
        "n": len(texts),
        "build_s": build,
        "median_ms": statistics.median(times),
        "p95_ms": times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)],
        "top1": hits / max(1, dup_queries),
        "add_ms": add_ms,
        "compact_s": compact,
        "nnz": index._tf().nnz,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.similarity", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="index sizes; the first is the baseline")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--adds", type=int, default=1000, help="texts added one by one after the build")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    with _one_core():
        t0 = time.perf_counter()
        texts = corpus(max(sizes), args.seed)
        fresh = corpus(args.queries // 2 + args.adds, args.seed + 1)
        print(
            f"generated {len(texts)} texts in {time.perf_counter() - t0:.1f} s; "
            f"mean length {statistics.mean(map(len, texts)):.0f} characters, "
            f"{len(set(texts))} distinct",
            flush=True,
        )
        results = []
        for n in sizes:
            rng = random.Random(args.seed + n)
            originals = rng.sample(range(n), args.queries - args.queries // 2)
            queries = [(near_duplicate(texts[i], rng), i) for i in originals]
            queries += [(t, None) for t in fresh[: args.queries // 2]]
            rng.shuffle(queries)
            results.append(measure(texts[:n], queries, args.k, fresh[args.queries // 2 :]))
            r = results[-1]
            print(
                f"  {n}: built in {r['build_s']:.1f} s, median {r['median_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms",
                flush=True,
            )
    base = results[0]
    print()
    print(
        f"{'items':>8} {'build':>8} {'median':>9} {'p95':>9} {'ratio':>7} {'top-1 dup':>10} {'add 1':>8} {'compact':>8}"
    )
    print("-" * 76)
    for r in results:
        print(
            f"{r['n']:>8} {r['build_s']:>7.1f}s {r['median_ms']:>7.1f}ms {r['p95_ms']:>7.1f}ms "
            f"{r['median_ms'] / base['median_ms']:>6.2f}× {100 * r['top1']:>9.0f}% "
            f"{r['add_ms']:>6.2f}ms {r['compact_s']:>7.2f}s"
        )
    last = results[-1]
    ok = last["median_ms"] < GOAL_MS and last["p95_ms"] < GOAL_MS
    print(
        f"goal: {last['n']} items, query under {GOAL_MS:.0f} ms: {'yes' if ok else 'NO'} "
        f"(median {last['median_ms']:.1f} ms, p95 {last['p95_ms']:.1f} ms, "
        f"×{last['median_ms'] / base['median_ms']:.2f} the {base['n']}-item baseline; k={args.k}, "
        f"{args.queries} queries on one core)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
