"""Keys, identity and signatures of federation messages (Ed25519).

The signed bytes are the canonical JSON of the envelope: keys sorted, no spaces,
UTF-8 without escaping (`canonical`). Both sides compute them from the parsed object,
so any change to any field after signing, or a signature by another key, fails.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

VERSION = 1
ENVELOPE_FIELDS = ("version", "sender", "recipient", "sequence", "message_id", "kind", "sent_at", "body")


class FederationKeyError(Exception):
    """The instance's key is missing or unreadable (message in Chinese)."""


def canonical(envelope: dict) -> bytes:
    return json.dumps(envelope, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode(
        "utf-8"
    )


def key_file() -> Path:
    """settings.RENDA_FEDERATION_KEY_FILE, else the environment variable of that name,
    else VAR_DIR/federation.key."""
    configured = getattr(settings, "RENDA_FEDERATION_KEY_FILE", "") or os.environ.get("RENDA_FEDERATION_KEY_FILE", "")
    return Path(configured) if configured else Path(settings.VAR_DIR) / "federation.key"


def generate_key(path: Path | None = None, *, force: bool = False) -> Ed25519PrivateKey:
    path = path or key_file()
    if path.exists() and not force:
        raise FederationKeyError(f"密钥文件已存在：{path}。如确需更换密钥，请加 --force（更换后须把新公钥告知上级）。")
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    os.replace(tmp, path)
    return key


def load_private_key(path: Path | None = None) -> Ed25519PrivateKey:
    path = path or key_file()
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except FileNotFoundError:
        raise FederationKeyError(f"尚未生成本实例的联网密钥（{path}）：请先运行 renda federation keygen。") from None
    except (ValueError, TypeError, OSError) as exc:
        raise FederationKeyError(f"无法读取联网密钥 {path}：{exc}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise FederationKeyError(f"{path} 不是 Ed25519 密钥。")
    return key


def public_key_b64(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return base64.b64encode(public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)).decode()


def parse_public_key(text: str) -> Ed25519PublicKey:
    """A base64 raw 32-byte Ed25519 public key; ValueError (Chinese) otherwise."""
    try:
        raw = base64.b64decode((text or "").strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("公钥格式不正确：应为 base64 编码的32字节 Ed25519 公钥。") from None
    if len(raw) != 32:
        raise ValueError("公钥格式不正确：应为 base64 编码的32字节 Ed25519 公钥。")
    return Ed25519PublicKey.from_public_bytes(raw)


def sign(envelope: dict, key: Ed25519PrivateKey) -> str:
    return base64.b64encode(key.sign(canonical(envelope))).decode()


def verify(envelope: dict, signature: str, public_key: Ed25519PublicKey) -> bool:
    try:
        raw = base64.b64decode(signature, validate=True)
        public_key.verify(raw, canonical(envelope))
    except (binascii.Error, ValueError, TypeError, InvalidSignature, UnicodeEncodeError):
        return False
    return True


def own_code() -> str:
    """This instance's congress code: RENDA_ROOT_CONGRESS, else the root of the tree."""
    if settings.RENDA_ROOT_CONGRESS:
        return settings.RENDA_ROOT_CONGRESS
    from renda.core.services import root_congress

    root = root_congress()
    return root.code if root else ""
