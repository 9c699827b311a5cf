"""The city's think tank for the demo year: eight invented experts in the fields the
supervision work of 2020 needed (the supervision demo assigns them to its cases)."""

from datetime import date

from . import services
from .models import Expert

EXPERTS = [
    # name, gender, title, workplace, fields, mobile
    ("高立明", "M", "教授", "内蒙古大学法学院", ["法学"], "13904780101"),
    ("乔慧敏", "F", "研究员", "巴彦淖尔市生态环境科学研究所", ["环境保护"], "13904780102"),
    ("郝建国", "M", "高级会计师", "巴彦淖尔市审计学会", ["财政审计"], "13904780103"),
    ("白玉兰", "F", "主任医师", "巴彦淖尔市医院", ["公共卫生"], "13904780104"),
    ("云志刚", "M", "高级农艺师", "巴彦淖尔市农牧业科学研究所", ["农牧业", "水利"], "13904780105"),
    ("贺文静", "F", "副教授", "河套学院", ["教育", "法学"], "13904780106"),
    ("苏永平", "M", "律师", "内蒙古河套律师事务所", ["法学", "城乡规划"], "13904780107"),
    ("韩晓东", "M", "高级工程师", "巴彦淖尔市水利水电勘测设计院", ["水利", "环境保护"], "13904780108"),
]
APPOINTED = date(2020, 1, 10)
TERM_END = date(2022, 12, 31)


def build(ctx) -> None:
    admin, city = ctx.admin, ctx.refs["city"]
    fields = {}
    experts = []
    for name, gender, title, workplace, wanted, mobile in EXPERTS:
        for f in wanted:
            if f not in fields:
                fields[f] = services.add_field(admin, city, f)
        expert = services.save_expert(
            admin,
            Expert(
                congress=city,
                title=title,
                workplace=workplace,
                mobile=mobile,
                appointed_on=APPOINTED,
                term_end=TERM_END,
            ),
            [fields[f] for f in wanted],
            name=name,
            gender=gender,
        )
        experts.append(expert)
    ctx.refs["experts"] = {e.person.name: e for e in experts}
