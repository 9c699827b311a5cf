"""renda federation keygen | public-key | add-peer | peers | deliver | status | forward-filings"""

from __future__ import annotations

import time
from urllib.parse import urlparse

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Max, Q
from django.utils import timezone

from renda.federation import signing
from renda.federation.models import InboundMessage, OutboundMessage, Peer, code_validator
from renda.federation.outbox import deliver_all


def _when(value) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M:%S}" if value else "—"


class Command(BaseCommand):
    help = "三级联网：本实例的密钥、上下级节点、消息投递与状态。"
    requires_system_checks = []  # run from cron and scripts: start fast

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        keygen = sub.add_parser("keygen", help="生成本实例的签名密钥并显示公钥")
        keygen.add_argument("--force", action="store_true", help="覆盖已有密钥（之后须把新公钥告知上级）")
        sub.add_parser("public-key", help="显示本实例的公钥（交给上级登记）")
        add = sub.add_parser("add-peer", help="登记（或更新）一个上级或下级节点")
        add.add_argument("--code", required=True, help="对方人大的区划代码（12位）")
        add.add_argument("--name", required=True, help="对方名称，如：内蒙古自治区人大常委会")
        add.add_argument(
            "--direction", required=True, choices=["up", "down"], help="up：本级向其报送；down：其向本级报送"
        )
        add.add_argument("--url", default="", help="上级实例的地址（up 必填），如 https://rd.nmg.example.cn")
        add.add_argument(
            "--public-key",
            default="",
            help="对方实例的公钥（base64；down 必填；up 可选，登记后只认上级签名的确认回执）",
        )
        add.add_argument("--inactive", action="store_true", help="登记为停用（不收不发）")
        sub.add_parser("peers", help="列出已登记的节点")
        deliver = sub.add_parser("deliver", help="向上级投递待送达的消息")
        deliver.add_argument("--once", action="store_true", help="只投递一轮即退出（默认每隔 --interval 秒一轮）")
        deliver.add_argument("--force", action="store_true", help="不等待重试间隔，立即重试")
        deliver.add_argument("--interval", type=int, default=30, help="轮询间隔（秒），默认30")
        sub.add_parser("status", help="联网状态：密钥、各节点的待送达和已收到的消息")
        sub.add_parser("forward-filings", help="把应报上级备案的文件全部排入报送队列（首次联网时用）")

    def handle(self, *args, action, **options):
        getattr(self, "do_" + action.replace("-", "_"))(**options)

    # ------------------------------------------------------------ keys

    def do_keygen(self, force=False, **_):
        try:
            key = signing.generate_key(force=force)
        except signing.FederationKeyError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"已生成联网密钥：{signing.key_file()}（仅本机可读，请妥善备份）")
        self.stdout.write(f"公钥（交对方登记）：{signing.public_key_b64(key)}")

    def do_public_key(self, **_):
        try:
            key = signing.load_private_key()
        except signing.FederationKeyError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(signing.public_key_b64(key))

    # ------------------------------------------------------------ peers

    def do_add_peer(self, code, name, direction, url="", public_key="", inactive=False, **_):
        code, name, url, public_key = code.strip(), name.strip(), url.strip().rstrip("/"), public_key.strip()
        try:
            code_validator(code)
        except ValidationError:
            raise CommandError(f"区划代码应为12位数字：{code}") from None
        if not name:
            raise CommandError("名称不能为空。")
        if len(name) > 80:
            raise CommandError("名称不能超过80个字。")
        if len(url) > 200:
            raise CommandError("接口地址过长（不超过200个字符）。")
        if direction == "up":
            if not url:
                raise CommandError("上级节点必须提供接口地址：--url https://…")
            parsed = urlparse(url)
            if parsed.scheme not in ("http", "https") or not parsed.netloc:
                raise CommandError(f"接口地址不正确（应以 http:// 或 https:// 开头）：{url}")
        if direction == "down" and not public_key:
            raise CommandError("下级节点必须提供其公钥：--public-key（对方运行 renda federation public-key 获得）")
        if public_key:
            try:
                signing.parse_public_key(public_key)
            except ValueError as exc:
                raise CommandError(str(exc)) from None
        own = signing.own_code()
        if own and code == own:
            raise CommandError(f"{code} 是本实例自己的区划代码。")
        peer, created = Peer.objects.update_or_create(
            code=code,
            direction=direction,
            defaults=dict(name=name, base_url=url, public_key=public_key, is_active=not inactive),
        )
        self.stdout.write(f"{'已登记' if created else '已更新'}节点：{peer}")

    def do_peers(self, **_):
        peers = list(Peer.objects.all())
        if not peers:
            self.stdout.write("尚未登记任何节点（renda federation add-peer）。")
            return
        for p in peers:
            where = f"{p.base_url}\t" if p.direction == Peer.Direction.UP else ""
            where += f"公钥 {p.public_key or '（未登记）'}"
            state = "启用" if p.is_active else "停用"
            self.stdout.write(f"{p.get_direction_display()}\t{p.code}\t{p.name}\t{where}\t{state}")

    # ------------------------------------------------------------ delivery

    def do_deliver(self, once=False, force=False, interval=30, **_):
        if interval < 1:
            raise CommandError("--interval 至少为1秒。")
        if not Peer.objects.filter(direction=Peer.Direction.UP, is_active=True).exclude(base_url="").exists():
            raise CommandError("没有已启用的上级节点：请先 renda federation add-peer --direction up。")
        failed = False
        try:
            while True:
                for result in deliver_all(force=force):
                    failed = failed or bool(result.error)
                    self.stdout.write(result.describe())
                if once:
                    break
                time.sleep(interval)
                failed = False
        except KeyboardInterrupt:
            return
        if failed:
            raise CommandError("部分消息未能送达，将按重试间隔自动重试（renda federation status 查看）。")

    def do_forward_filings(self, **_):
        from renda.filing.federation import forward_all

        if not Peer.objects.filter(direction=Peer.Direction.UP, is_active=True).exists():
            raise CommandError("没有已启用的上级节点：请先 renda federation add-peer --direction up。")
        self.stdout.write(f"已排入报送队列：{forward_all()} 条。")

    def do_status(self, **_):
        try:
            key = signing.public_key_b64(signing.load_private_key())
        except signing.FederationKeyError as exc:
            key = f"（{exc}）"
        self.stdout.write(f"本实例区划代码：{signing.own_code() or '（未配置）'}")
        self.stdout.write(f"本实例公钥：{key}")
        pending = Q(outbox__status=OutboundMessage.Status.PENDING)
        for peer in Peer.objects.filter(direction=Peer.Direction.UP).annotate(
            waiting=Count("outbox", filter=pending), total=Count("outbox")
        ):
            self.stdout.write(
                f"上级 {peer.name}（{peer.code}，{peer.base_url}）：共 {peer.total} 条，"
                f"待送达 {peer.waiting} 条{'' if peer.is_active else '（已停用）'}"
            )
            head = peer.outbox.filter(status=OutboundMessage.Status.PENDING).order_by("sequence").first()
            if head is not None:
                self.stdout.write(
                    f"  下一条：第 {head.sequence} 号 {head.kind} {head.subject}，已尝试 {head.attempts} 次，"
                    f"下次 {_when(head.next_attempt_at)}，生成于 {_when(head.created_at)}"
                )
                if head.last_error:
                    self.stdout.write(f"  最近错误：{head.last_error}")
        received = {
            r["sender"]: r
            for r in InboundMessage.objects.values("sender").annotate(
                n=Count("id"), last=Max("sequence"), at=Max("received_at")
            )
        }
        for peer in Peer.objects.filter(direction=Peer.Direction.DOWN):
            r = received.get(peer.code)
            text = f"已收到 {r['n']} 条，最新第 {r['last']} 号，{_when(r['at'])}" if r else "尚未收到消息"
            self.stdout.write(f"下级 {peer.name}（{peer.code}）：{text}{'' if peer.is_active else '（已停用）'}")
