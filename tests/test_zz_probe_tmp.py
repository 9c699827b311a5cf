from django.test import Client
def test_probe(world):
    c = Client(raise_request_exception=False)
    for url in ["/api/deputies?q=%00abc", "/api/congresses?level=%00", "/api/units?kind=a%00b", "/api/deputies?q=%F0%9F%98%80"]:
        r = c.get(url); print(r.status_code, url, r.content[:100])
    tok = __import__("renda.core.services", fromlist=["x"]).issue_api_token(world.users["staff"], "t")[1]
    r = c.post("/api/bodies", data={"congress": world.city.pk, "name": "a\x00b", "short_name": "s", "kind": "office"}, content_type="application/json", HTTP_AUTHORIZATION="Bearer "+tok); print(r.status_code, r.content[:200])
    r = c.get("/api/me", HTTP_AUTHORIZATION="Bearer rd_\x00x"); print(r.status_code, r.content[:100])
