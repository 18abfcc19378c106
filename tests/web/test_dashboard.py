"""Dashboard pages through the real app: sign-in, content, filters/sorting, visibility, escaping."""

from __future__ import annotations

import re

from conftest import ADMIN_TOKEN, auth
from digest_data import HOSTILE

PNG = b"\x89PNG\r\n\x1a\n"


def rows(html: str, table_id: str) -> list[str]:
    body = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'href="/dashboard/\w[\w-]*/([A-Z0-9]+-[A-Z]+\d+)"', body)


def test_signed_out_visitors_go_to_login(client):
    response = client.get("/dashboard/projects/SEPSIS?sort=due", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/dashboard/projects/SEPSIS%3Fsort%3Ddue"
    assert client.get("/dashboard/heatmap.png").status_code == 401
    page = client.get("/login?next=//evil.example/")
    assert page.status_code == 200 and 'value="/dashboard"' in page.text and "evil.example" not in page.text
    bad = client.get("/dashboard", headers=auth("not-a-token"), follow_redirects=False)
    assert bad.status_code == 303


def test_login_cookie_then_logout(client, pm_token):
    wrong = client.post("/login", data={"token": "nope", "next": "/dashboard"}, follow_redirects=False)
    assert wrong.status_code == 401 and "not valid" in wrong.text
    ok = client.post("/login", data={"token": pm_token, "next": "/dashboard/projects/SEPSIS"},
                     follow_redirects=False)  # fmt: skip
    assert ok.status_code == 303 and ok.headers["location"] == "/dashboard/projects/SEPSIS"
    cookie = ok.headers["set-cookie"]
    assert "HttpOnly" in cookie and "samesite=strict" in cookie.lower()
    page = client.get("/dashboard")
    assert page.status_code == 200 and "Priya Patel" in page.text
    client.post("/logout")
    assert client.get("/dashboard", follow_redirects=False).status_code == 303


def test_portfolio_page(client, pm_token, outsider_token):
    page = client.get("/dashboard", headers=auth(pm_token))
    assert page.status_code == 200
    html = page.text
    assert 'data-project="SEPSIS"' in html and 'data-project="PRIV"' in html
    assert "Sepsis Early Warning" in html and "rag-amber" in html and "rag-red" in html
    assert "SEPSIS-R1" in html and "Label leakage in training data" in html
    card = html.split('data-project="SEPSIS"', 1)[1].split("</section>", 1)[0]
    assert re.findall(r"/dashboard/milestones/(SEPSIS-M\d)", card) == ["SEPSIS-M5", "SEPSIS-M1", "SEPSIS-M4"]
    assert "2 CRs awaiting decision" in html
    assert "open risks: 1 Critical, 2 High, 1 Medium, 1 Low" in html and "open risks: 1 High\n" in html
    assert page.headers["content-security-policy"].startswith("default-src 'none'")
    assert 'data-project="PRIV"' not in client.get("/dashboard", headers=auth(outsider_token)).text
    heat = client.get("/dashboard/heatmap.png", headers=auth(pm_token))
    assert (
        heat.status_code == 200
        and heat.content.startswith(PNG)
        and heat.headers["content-type"] == "image/png"
    )


def test_project_page_sections_and_escaping(client, pm_token):
    page = client.get("/dashboard/projects/sepsis", headers=auth(pm_token))
    assert page.status_code == 200
    html = page.text
    assert HOSTILE not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html.lower()
    assert rows(html, "risk-register") == ["SEPSIS-R1", "SEPSIS-R4", "SEPSIS-R6", "SEPSIS-R2", "SEPSIS-R5"]
    assert rows(html, "cr-queue") == ["SEPSIS-CR1", "SEPSIS-CR3", "SEPSIS-CR2"]  # awaiting first
    assert rows(html, "milestone-table")[0] == "SEPSIS-M5"
    assert "Validation cohort delayed two weeks" in html
    assert 'src="/dashboard/projects/SEPSIS/heatmap.png"' in html
    heat = client.get("/dashboard/projects/SEPSIS/heatmap.png", headers=auth(pm_token))
    assert heat.content.startswith(PNG)


def test_register_filters_and_sorting(client, pm_token):
    get = lambda q: client.get(f"/dashboard/projects/SEPSIS?{q}", headers=auth(pm_token)).text  # noqa: E731
    assert rows(get("status=all&sort=key&order=asc"), "risk-register") == [
        f"SEPSIS-R{n}" for n in range(1, 7)
    ]
    assert rows(get("status=closed"), "risk-register") == ["SEPSIS-R3"]
    assert rows(get("rating=High"), "risk-register") == ["SEPSIS-R1", "SEPSIS-R4", "SEPSIS-R6"]
    assert rows(get("owner=sam"), "risk-register") == ["SEPSIS-R2"]
    assert rows(get("q=leakage"), "risk-register") == ["SEPSIS-R1"]
    assert rows(get("sort=score&order=asc"), "risk-register")[0] == "SEPSIS-R5"
    assert rows(get("sort=due&order=asc"), "risk-register")[:2] == ["SEPSIS-R1", "SEPSIS-R2"]
    weird = get("sort=drop%20table&order=sideways&rating=%3Cb%3E")
    assert rows(weird, "risk-register")[0] == "SEPSIS-R1" and "Ignored sort=drop table" in weird
    assert "<b>" not in weird


def test_private_projects_hidden(client, pm_token, outsider_token):
    assert client.get("/dashboard/projects/PRIV", headers=auth(pm_token)).status_code == 200
    hidden = client.get("/dashboard/projects/PRIV", headers=auth(outsider_token))
    assert hidden.status_code == 404 and "Secret vendor" not in hidden.text
    assert client.get("/dashboard/risks/PRIV-R1", headers=auth(outsider_token)).status_code == 404
    assert client.get("/dashboard/projects/PRIV/heatmap.png", headers=auth(outsider_token)).status_code == 404
    assert client.get("/dashboard/risks/PRIV-R1", headers=auth(ADMIN_TOKEN)).status_code == 200


def test_record_pages_show_audit_history(client, pm_token):
    risk = client.get("/dashboard/risks/sepsis-r4", headers=auth(pm_token))
    assert risk.status_code == 200
    assert "Model drift after go-live" in risk.text and "Priya Patel" in risk.text
    history = risk.text.split('id="history"', 1)[1]
    assert "Logged SEPSIS-R4" in history and "4 \u2192 16" in history  # the re-score's before/after
    cr = client.get("/dashboard/change-requests/SEPSIS-CR2", headers=auth(pm_token)).text
    assert "Extend pilot to ED" in cr and "Approved SEPSIS-CR2" in cr and "Dana Approver" in cr
    ms = client.get("/dashboard/milestones/SEPSIS-M4", headers=auth(pm_token)).text
    assert "Governance review" in ms and "original due date" in ms
    hostile = client.get("/dashboard/risks/SEPSIS-R5", headers=auth(pm_token)).text
    assert HOSTILE not in hostile and "&lt;script&gt;" in hostile
    assert client.get("/dashboard/risks/SEPSIS-R99", headers=auth(pm_token)).status_code == 404
    assert client.get("/dashboard/widgets/X-1", headers=auth(pm_token)).status_code == 404
