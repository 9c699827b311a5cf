"""renda data newkey | rekey: the keys of personal data encrypted at rest (core.crypto).

Rotation: `renda data newkey` prints a key; put it first in RENDA_DATA_KEYS, keeping the old
ones after it; restart; `renda data rekey` re-encrypts every encrypted field under the new
key (and encrypts any value still in clear); then the old keys may be dropped."""

from __future__ import annotations

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from renda.core import crypto
from renda.core.fields import encrypted_fields, reencrypt


class Command(BaseCommand):
    help = "个人信息加密密钥：生成新密钥（newkey），或用当前密钥重新加密全部个人信息（rekey）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("newkey", help="生成一个新密钥（放在 RENDA_DATA_KEYS 的第一位）")
        sub.add_parser("rekey", help="用当前密钥（RENDA_DATA_KEYS 第一个）重新加密全部加密字段")

    def handle(self, *args, action, **options):
        getattr(self, "do_" + action)()

    def do_newkey(self):
        self.stdout.write(crypto.new_key())

    def do_rekey(self):
        total = 0
        for model in apps.get_models():
            if not encrypted_fields(model):
                continue
            with transaction.atomic():
                count = reencrypt(model)
            total += count
            self.stderr.write(f"{model._meta.verbose_name}：重新加密 {count} 条")
        self.stderr.write(f"完成：共 {total} 条，当前密钥 {crypto.current_key_id()}。")
