"""The federation endpoint: POST /api/federation/messages.

No session, CSRF or token: the Ed25519 signature of the sending congress is the
authentication (see inbox.receive for the answers)."""

from django.http import JsonResponse
from ninja import Router

from . import signing
from .inbox import receive

ACK_HEADER = "X-Renda-Signature"

router = Router(tags=["三级联网"])


@router.post(
    "/messages",
    auth=None,
    summary="接收下级实例报送的联网消息（以发送方签名认证）",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": [
                            "version",
                            "sender",
                            "recipient",
                            "sequence",
                            "message_id",
                            "kind",
                            "sent_at",
                            "body",
                            "signature",
                        ],
                        "properties": {
                            "version": {"type": "integer", "enum": [1]},
                            "sender": {"type": "string", "description": "发送方区划代码（12位）"},
                            "recipient": {"type": "string", "description": "接收方区划代码（12位）"},
                            "sequence": {"type": "integer", "minimum": 1, "description": "发送方对本接收方的消息序号"},
                            "message_id": {"type": "string", "format": "uuid"},
                            "kind": {"type": "string", "example": "filing.upsert"},
                            "sent_at": {"type": "string", "format": "date-time"},
                            "body": {"type": "object"},
                            "signature": {
                                "type": "string",
                                "description": "Ed25519 签名（base64），签名对象为其余字段的规范 JSON",
                            },
                        },
                    }
                }
            },
        }
    },
)
def messages(request):
    status, reply = receive(request.body)
    response = JsonResponse(reply, status=status, json_dumps_params={"ensure_ascii": False})
    if status == 200:
        try:
            response[ACK_HEADER] = signing.sign(reply, signing.load_private_key())
        except signing.FederationKeyError:
            pass  # no key yet: senders that expect signed acknowledgements will retry
    return response
