from django.core.management.base import BaseCommand, CommandError

from renda.assist import routing


class Command(BaseCommand):
    help = "分类分办模型：评估、交叉验证、训练与试用（CSV 需有“文本”和“一级标签”两列）。"

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
        tr.add_argument("--corrections", metavar="CORRECTIONS.csv",
                        help="staff corrections (same columns); they override the category of the same text")
        tr.add_argument("--out", required=True, metavar="MODEL.pkl")
        pr = sub.add_parser("routing-predict", help="propose categories for texts with a saved model")
        pr.add_argument("--model", required=True, metavar="MODEL.pkl")
        pr.add_argument("--k", type=int, default=3)
        pr.add_argument("texts", nargs="+")

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
            else:
                router = routing.Router.load(options["model"])
                for text in options["texts"]:
                    best = "；".join(f"{label} {prob:.2f}" for label, prob in router.top(text, options["k"]))
                    self.stdout.write(f"{best}\t{text[:40]}")
        except routing.AssistError as exc:
            raise CommandError(str(exc)) from None
