"""Pass rules: how a ballot's counts become an outcome, declared once each.

A `PassRule` is a pure function of the counts (no database), so that property tests can
check it over any numbers, with its legal citation and the parameters a ballot may set.
"Rule" alone is taken by the scoping rules, hence the name.

Legal arithmetic: "过半数" means strictly more than half (2·n > base); "三分之二以上"
includes two-thirds itself (3·n ≥ 2·base), as "以上" includes the number itself
(民法典 Art. 1259).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

MOTION = "motion"  # one question: each voter picks one option, each option a position (for/against/abstain)
CHOICE = "choice"  # candidates: each voter picks up to `seats` options

FOR, AGAINST, ABSTAIN = "for", "against", "abstain"
POSITIONS = {FOR: "赞成", AGAINST: "反对", ABSTAIN: "弃权"}


@dataclass(frozen=True)
class Counts:
    """What a rule sees: numbers counted from the cast ballots (services.tally)."""

    eligible: int  # voters on the roll (全体组成人员 / 全体代表)
    present: int  # voters marked present, or who voted
    cast: int  # ballot papers cast
    votes: Mapping[int, int]  # option id → votes
    positions: Mapping[int, str] = field(default_factory=dict)  # option id → for/against/abstain ("" candidate)
    seats: int = 1  # N of "N of M"
    labels: Mapping[int, str] = field(default_factory=dict)

    def total(self, position: str) -> int:
        return sum(n for option, n in self.votes.items() if self.positions.get(option) == position)

    def label(self, option: int) -> str:
        return self.labels.get(option, f"选项{option}")


@dataclass(frozen=True)
class Outcome:
    passed: bool | None  # motions: adopted or not; choice ballots: None (see elected)
    text: str
    elected: tuple[int, ...] = ()
    tied: tuple[int, ...] = ()  # tied at the last seat
    runoff_seats: int = 0  # seats left for a run-off among `tied` (0 when the tie rule leaves them vacant)


@dataclass(frozen=True)
class Param:
    default: object
    allowed: tuple
    label: str


ABSTENTION = Param(True, (True, False), "是否允许弃权")
TIE = Param("runoff", ("runoff", "none"), "末位同票：runoff 同票者另行表决 / none 同票者均不当选")
BASE = Param(
    "cast",
    ("cast", "eligible", "present", "none"),
    "得票门槛：cast 超过投票数的半数 / eligible 超过应投票人数的半数 / present 超过出席人数的半数 / none 无门槛",
)


@dataclass(frozen=True)
class PassRule:
    key: str
    label: str
    citation: str
    mode: str
    decide: Callable[[Counts, dict], Outcome]
    params: dict[str, Param]

    def clean(self, params: dict | None) -> dict:
        """The ballot's parameters, complete and checked; Chinese errors otherwise."""
        params = dict(params or {})
        unknown = sorted(set(params) - set(self.params))
        if unknown:
            raise ValidationError({"rule_params": f"表决规则“{self.label}”没有参数：{'、'.join(unknown)}。"})
        cleaned = {}
        for name, param in self.params.items():
            value = params.get(name, param.default)
            if value not in param.allowed or type(value) is not type(param.default):
                raise ValidationError({"rule_params": f"参数 {name} 的取值无效（{param.label}）。"})
            cleaned[name] = value
        return cleaned

    def __call__(self, counts: Counts, params: dict | None = None) -> Outcome:
        return self.decide(counts, self.clean(params))


PASS_RULES: dict[str, PassRule] = {}


def pass_rule(key: str, *, label: str, citation: str, mode: str, params: dict[str, Param] | None = None):
    def register(fn):
        PASS_RULES[key] = PassRule(key, label, citation, mode, fn, {"abstention": ABSTENTION, **(params or {})})
        return fn

    return register


def get(key: str) -> PassRule:
    try:
        return PASS_RULES[key]
    except KeyError:
        raise ValidationError({"rule": f"未声明的表决规则：{key}。"}) from None


def choices() -> list[tuple[str, str]]:
    return [(key, r.label) for key, r in PASS_RULES.items()]


def _motion(counts: Counts, passed: bool, base_label: str, base: int) -> Outcome:
    yes, no, abstain = counts.total(FOR), counts.total(AGAINST), counts.total(ABSTAIN)
    verdict = "通过" if passed else "未通过"
    return Outcome(passed, f"赞成{yes}票，反对{no}票，弃权{abstain}票；{base_label}{base}人，{verdict}。")


@pass_rule(
    "majority_of_all",
    label="全体组成人员的过半数通过",
    mode=MOTION,
    citation="《中华人民共和国地方各级人民代表大会和地方各级人民政府组织法》第五十一条："
    "常务委员会的决议，由常务委员会以全体组成人员的过半数通过。",
)
def majority_of_all(counts: Counts, params: dict) -> Outcome:
    return _motion(counts, 2 * counts.total(FOR) > counts.eligible, "全体组成人员", counts.eligible)


@pass_rule(
    "two_thirds_of_all",
    label="全体组成人员的三分之二以上通过",
    mode=MOTION,
    citation="《中华人民共和国宪法》第六十四条：宪法的修改……由全国人民代表大会以全体代表的三分之二以上的多数通过；"
    "地方性特别事项依本级议事规则。“以上”包括本数（《中华人民共和国民法典》第一千二百五十九条）。",
)
def two_thirds_of_all(counts: Counts, params: dict) -> Outcome:
    return _motion(counts, 3 * counts.total(FOR) >= 2 * counts.eligible, "全体组成人员", counts.eligible)


@pass_rule(
    "majority_of_present",
    label="出席人员的过半数通过（出席须过半数）",
    mode=MOTION,
    citation="依本级议事规则以出席会议人员过半数通过的事项；会议须有全体组成人员过半数出席方能举行"
    "（《中华人民共和国地方各级人民代表大会和地方各级人民政府组织法》第五十一条，rules.md APP-3）。",
)
def majority_of_present(counts: Counts, params: dict) -> Outcome:
    if 2 * counts.present <= counts.eligible:
        return Outcome(
            False, f"出席{counts.present}人，未达到全体{counts.eligible}人的半数以上，不足法定人数，未通过。"
        )
    return _motion(counts, 2 * counts.total(FOR) > counts.present, "出席人员", counts.present)


# The pass mark of a satisfaction vote, set by local rules: 50 = more than half of the votes
# cast (过半数); any other value = at least that share (“达到X%以上”, 以上 includes the number).
THRESHOLD = Param(50, (50, 60, 70, 75, 80, 85, 90), "满意（含基本满意）票须占投票数的比例（%）：50 为过半数")


@pass_rule(
    "majority_of_cast",
    label="赞成（满意）票超过投票人数的半数（或达到设定比例）",
    mode=MOTION,
    params={"threshold": THRESHOLD},
    citation="满意度测评为地方实践，监督法无此规定；测评办法与通过标准依本级议事规则"
    "（例如《浙江省人民代表大会常务委员会议事规则》第二十九条；rules.md SUP-8）。",
)
def majority_of_cast(counts: Counts, params: dict) -> Outcome:
    share, yes = params["threshold"], counts.total(FOR)
    if share == 50:
        passed, mark = 2 * yes > counts.cast, "须超过投票数的半数"
    else:
        passed, mark = counts.cast > 0 and 100 * yes >= share * counts.cast, f"须达到投票数的{share}%以上"
    each = "，".join(f"{counts.label(o)}{n}票" for o, n in counts.votes.items())
    verdict = "通过" if passed else "未通过"
    return Outcome(passed, f"{each}；投票{counts.cast}人，赞成（满意）{yes}票，{mark}，{verdict}。")


def _elect(counts: Counts, base: str, tie: str) -> Outcome:
    """Elect at most `seats` options with the most votes among those above the threshold."""
    quota = {"cast": counts.cast, "eligible": counts.eligible, "present": counts.present, "none": None}[base]
    votes = {option: counts.votes.get(option, 0) for option in counts.positions or counts.votes}
    qualified = [o for o, n in votes.items() if n > 0 and (quota is None or 2 * n > quota)]
    qualified.sort(key=lambda o: -votes[o])  # stable: equal votes keep the ballot's order
    seats = counts.seats
    elected, tied, runoff = qualified, [], 0
    if len(qualified) > seats and votes[qualified[seats]] == votes[qualified[seats - 1]]:
        boundary = votes[qualified[seats - 1]]
        elected = [o for o in qualified if votes[o] > boundary]
        tied = [o for o in qualified if votes[o] == boundary]
        runoff = seats - len(elected) if tie == "runoff" else 0
    else:
        elected = qualified[:seats]
    names = "、".join(counts.label(o) for o in elected) or "无"
    text = f"应选{seats}项，当选{len(elected)}项：{names}。"
    if quota is not None:
        text += f"当选须得票超过{quota}的半数。"
    if tied:
        tied_names = "、".join(counts.label(o) for o in tied)
        text += f"{tied_names}得票相同（各{votes[tied[0]]}票）"
        text += f"，须就剩余{runoff}个名额另行表决。" if runoff else "，按规定均不当选。"
    return Outcome(None, text, tuple(elected), tuple(tied), runoff)


@pass_rule(
    "n_of_m",
    label="差额票决：得票过半数者中按得票多少选出至多N项",
    mode=CHOICE,
    params={"base": BASE, "tie": TIE},
    citation="民生实事项目人大代表票决制（地方组织法第十一条、第五十条“重大事项和项目”；"
    "如《重庆市人大常委会关于区县乡镇实施民生实事项目人大代表票决制的决定》）；"
    "通过门槛与同票规则依本级规定配置（rules.md MAJ-3、MAJ-5）。",
)
def n_of_m(counts: Counts, params: dict) -> Outcome:
    return _elect(counts, params["base"], params["tie"])


@pass_rule(
    "plurality",
    label="相对多数：得票最多者当选",
    mode=CHOICE,
    params={"tie": TIE},
    citation="得票多者当选（相对多数），无得票门槛；同票按本次表决声明的规则处理。",
)
def plurality(counts: Counts, params: dict) -> Outcome:
    return _elect(counts, "none", params["tie"])
