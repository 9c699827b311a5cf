import json
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from renda.assist import routing


def _parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option} 的日期格式不正确：“{value}”，应为 YYYY-MM-DD（例如 2021-03-15）。") from None


class Command(BaseCommand):
    help = (
        "智能辅助：分类分办模型（routing-*，CSV 需有“文本”和“一级标签”两列）；"
        "规范性文件合法性自动检查（law-index、check-document、check-eval）。"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        ev = sub.add_parser("routing-eval", help="train on TRAIN, score on TEST")
        ev.add_argument("--train", required=True, metavar="TRAIN.csv")
        ev.add_argument("--test", required=True, metavar="TEST.csv")
        cv = sub.add_parser("routing-cv", help="stratified k-fold cross-validation on one file")
        cv.add_argument("--data", required=True, metavar="FILE.csv")
        cv.add_argument("--folds", type=int, default=5)
        cv.add_argument("--seed", type=int, default=routing.SEED)
        tr = sub.add_parser("routing-train", help="train on past cases (plus corrections) and save the model")
        tr.add_argument("--data", required=True, metavar="FILE.csv")
        tr.add_argument(
            "--corrections",
            metavar="CORRECTIONS.csv",
            help="staff corrections (same columns); they override the category of the same text",
        )
        tr.add_argument("--out", required=True, metavar="MODEL.pkl")
        rc = sub.add_parser(
            "routing-curve", help="simulate retraining from corrections in time order; table and ECharts page"
        )
        rc.add_argument("--data", required=True, metavar="FILE.csv")
        rc.add_argument("--steps", type=int, default=8, help="number of correction batches (default 8)")
        rc.add_argument("--initial", type=float, default=0.2, help="oldest share for the initial model")
        rc.add_argument("--test", type=float, default=0.2, help="newest share, the fixed test slice")
        rc.add_argument("--out", metavar="CURVE.html", help="write an HTML page with the plot")
        pr = sub.add_parser("routing-predict", help="propose categories for texts with a saved model")
        pr.add_argument("--model", required=True, metavar="MODEL.pkl")
        pr.add_argument("--k", type=int, default=3)
        pr.add_argument("texts", nargs="+")

        li = sub.add_parser("law-index", help="build the compact law index from the laws.jsonl corpus")
        li.add_argument("--corpus", required=True, metavar="laws.jsonl")
        li.add_argument("--out", metavar="PATH", help="default: the committed src/renda/assist/data/law_index.json.gz")
        cd = sub.add_parser("check-document", help="check a normative document (.txt/.docx/.pdf) against the law")
        cd.add_argument("path", metavar="PATH")
        cd.add_argument("--published", metavar="YYYY-MM-DD", help="publication date (default: found in the text)")
        cd.add_argument("--filed", metavar="YYYY-MM-DD", help="date filed for review (备案)")
        cd.add_argument("--level", default="行政规范性文件", help="行政规范性文件 (default), 规章, 地方性法规")
        cd.add_argument("--format", default="text", metavar="json|text")
        ce = sub.add_parser("check-eval", help="score the checker on a labelled set (labels.json)")
        ce.add_argument("dir", nargs="?", metavar="DIR", help="default: tests/data/lawcheck")

    def handle(self, *args, action, **options):
        try:
            if action == "routing-eval":
                routing.routing_eval(options["train"], options["test"], out=self.stdout)
            elif action == "routing-cv":
                routing.routing_cv(options["data"], options["folds"], seed=options["seed"], out=self.stdout)
            elif action == "routing-train":
                data = routing.read_labelled_csv(options["data"])
                texts, labels = data.texts, data.labels
                if options["corrections"]:
                    fixes = routing.read_labelled_csv(options["corrections"])
                    texts, labels = routing.apply_corrections(texts, labels, zip(fixes.texts, fixes.labels))
                router = routing.train(texts, labels)
                router.save(options["out"])
                counts = "，".join(f"{k} {v}" for k, v in router.meta["class_counts"].items())
                self.stdout.write(f"已训练：{router.meta['n_train']} 条（{counts}），模型已保存到 {options['out']}")
            elif action == "routing-curve":
                from renda.assist.retrain import routing_curve

                routing_curve(
                    options["data"],
                    steps=options["steps"],
                    initial=options["initial"],
                    test=options["test"],
                    out=self.stdout,
                    html=options["out"],
                )
            elif action == "routing-predict":
                router = routing.Router.load(options["model"])
                for text in options["texts"]:
                    best = "；".join(f"{label} {prob:.2f}" for label, prob in router.top(text, options["k"]))
                    self.stdout.write(f"{best}\t{text[:40]}")
            elif action == "law-index":
                self._law_index(options["corpus"], options["out"])
            elif action == "check-document":
                self._check_document(options)
            elif action == "check-eval":
                from renda.assist import lawcheck

                directory = options["dir"] or lawcheck.default_eval_dir()
                self.stdout.write(lawcheck.format_eval(lawcheck.evaluate(directory)))
        except routing.AssistError as exc:
            raise CommandError(str(exc)) from None

    def _law_index(self, corpus: str, out: str | None) -> None:
        from renda.assist import lawindex

        path = Path(corpus)
        if not path.is_file():
            raise CommandError(f"语料文件不存在：{corpus}")
        try:
            index = lawindex.build_index(path)
        except (ValueError, KeyError) as exc:
            raise CommandError(f"无法读取语料文件 {corpus}：{exc}") from None
        written = lawindex.write_index(index, out or lawindex.INDEX_PATH)
        counts = index["counts"]
        self.stdout.write(
            f"已写入 {written}（{written.stat().st_size // 1024} KB）：{counts['acts']} 部法律法规，"
            f"其中语料收录 {counts['in_corpus']} 部，仅见于废止条款 {counts['known_only_as_repealed']} 部，"
            f"已废止 {counts['repealed']} 部（有废止日期 {counts['repealed_with_date']} 部）。"
        )

    def _check_document(self, options) -> None:
        from renda.assist import lawcheck
        from renda.assist.extract import extract_text

        fmt = (options["format"] or "").lower()
        if fmt not in ("json", "text"):
            raise CommandError(f"不支持的输出格式“{options['format']}”，请使用 json 或 text。")
        published = _parse_day(options["published"], "--published")
        filed = _parse_day(options["filed"], "--filed")
        if published and filed and filed < published:
            raise CommandError("报送备案日期（--filed）不能早于公布日期（--published）。")
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{options['path']}")
        try:
            data = path.read_bytes()
        except OSError:
            raise CommandError(f"无法读取文件：{options['path']}") from None
        text = extract_text(data, path.name)
        findings = lawcheck.check_document(text, published=published, filed=filed, level=options["level"])
        if fmt == "json":
            self.stdout.write(json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=2))
            return
        day = published or lawcheck.document_date(text)
        head = f"{path.name}：发现 {len(findings)} 处可能的问题"
        head += f"（公布日期 {day.isoformat()}" if day else "（未找到公布日期，按今天计"
        head += f"，报送备案 {filed.isoformat()}）" if filed else "）"
        lines = [head]
        for i, f in enumerate(findings, 1):
            lines.append(f"{i}. [{lawcheck.KIND_LABELS[f.kind]}] {f.kind} @{f.start}-{f.end}")
            lines.append(f"   摘录：{f.excerpt}")
            lines.append(f"   说明：{f.message}")
        cits = lawcheck.citations(text, published)
        if cits:
            lines.append("引用核对：")
            for c in cits:
                status = lawcheck.STATUSES[c.status] + ("（历史表述）" if c.historical else "")
                current = f" → 《{c.act}》" if c.act and c.act != c.title else ""
                lines.append(f"   《{c.title}》{current}：{status}{('；' + c.note) if c.note else ''}")
        self.stdout.write("\n".join(lines))
