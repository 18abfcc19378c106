"""The read-only dashboard: portfolio, project (register, heat map, CRs, milestones, status), records."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.deps import SessionDep, TodayDep
from api.web import queries
from api.web.auth import COOKIE, COOKIE_MAX_AGE, LoginRequired, login_url, safe_next, web_actor
from bot.digest.heatmap import heatmap_png
from tools.errors import NotFound, Unauthenticated
from tools.models import Person
from tools.scales import CATEGORIES, RATINGS, RISK_STATUSES
from tools.services import audit, change_requests, milestones, risks
from tools.services.access import readable_project

router = APIRouter(include_in_schema=False)
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
}


def make_templates() -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(str(Path(__file__).parent / "templates")),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    env.filters["change"] = _change_text
    return Jinja2Templates(env=env)


def _change_text(value: Any) -> str:
    if isinstance(value, list) and len(value) == 2:
        return f"{_plain(value[0])} \u2192 {_plain(value[1])}"
    return _plain(value)


def _plain(value: Any) -> str:
    return "\u2014" if value is None or value == "" else str(value)


def _people(session: Session) -> dict[str, str]:
    return dict(session.execute(select(Person.slack_id, Person.name)).tuples().all())


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    templates: Jinja2Templates = request.app.state.web_templates
    response = templates.TemplateResponse(request, name, context, status_code=status_code)
    response.headers.update(SECURITY_HEADERS)
    return response


def page(request: Request, session: Session, name: str, **context: Any) -> HTMLResponse:
    actor = context.pop("actor")
    base = {"actor": actor, "people": _people(session), "ratings": RATINGS}
    return render(request, name, base | context)


def not_found(request: Request, message: str) -> HTMLResponse:
    return render(request, "error.html", {"message": message, "actor": None}, status_code=404)


@router.get("/dashboard", response_class=HTMLResponse)
def portfolio(request: Request, session: SessionDep, today: TodayDep) -> HTMLResponse:
    actor = web_actor(request, session)
    cards = [queries.project_card(session, p, today) for p in queries.visible_projects(session, actor)]
    return page(request, session, "portfolio.html", actor=actor, cards=cards, today=today)


@router.get("/dashboard/heatmap.png")
def portfolio_heatmap(request: Request, session: SessionDep) -> Response:
    actor = web_actor(request, session)
    ids = [p.id for p in queries.visible_projects(session, actor)]
    png = heatmap_png(queries.open_risk_cells(session, ids), title="Portfolio open risks")
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=60"})


@router.get("/dashboard/projects/{key}", response_class=HTMLResponse)
def project_page(key: str, request: Request, session: SessionDep, today: TodayDep) -> HTMLResponse:
    actor = web_actor(request, session)
    try:
        project = readable_project(session, actor, key)
    except NotFound:
        return not_found(request, f"There is no project {key.upper()[:20]} that you can see.")
    query = queries.RiskQuery.parse(dict(request.query_params))
    given = {"status": query.status, "rating": query.rating, "category": query.category, "owner": query.owner,
             "q": query.q}  # fmt: skip
    filters = {k: v for k, v in given.items() if v}

    def sort_link(column: str) -> str:
        order = "asc" if query.sort == column and query.order == "desc" else "desc"
        if query.sort != column:
            order = queries.DEFAULT_ORDER.get(column, "asc")
        return "?" + urlencode(filters | {"sort": column, "order": order})

    return page(
        request, session, "project.html", actor=actor, project=project, today=today, query=query,
        card=queries.project_card(session, project, today),
        register=queries.risk_register(session, project, query),
        change_requests=queries.change_requests(session, project),
        milestones=queries.milestones(session, project),
        history=queries.status_history(session, project),
        sort_link=sort_link, statuses=("active", "all", *RISK_STATUSES), categories=CATEGORIES,
    )  # fmt: skip


@router.get("/dashboard/projects/{key}/heatmap.png")
def project_heatmap(key: str, request: Request, session: SessionDep) -> Response:
    actor = web_actor(request, session)
    try:
        project = readable_project(session, actor, key)
    except NotFound:
        return Response("Not found", status_code=404, media_type="text/plain")
    png = heatmap_png(queries.open_risk_cells(session, [project.id]), title=f"{project.key} open risks")
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=60"})


RECORDS = {
    "risks": ("risk", "Risk", risks.get_risk),
    "change-requests": ("change_request", "Change request", change_requests.get_change_request),
    "milestones": ("milestone", "Milestone", milestones.get_milestone),
}
FIELDS = {
    "risk": ("title", "status", "category", "probability", "impact", "score", "rating", "owner", "response",
             "mitigation", "trigger", "due_date", "review_date", "description", "closed_reason", "created_by",
             "created_at", "updated_at"),
    "change_request": ("title", "status", "priority", "schedule_days", "cost", "scope", "reason",
                       "description", "requested_by", "decision", "decided_by", "decision_comment",
                       "decided_at", "created_at"),
    "milestone": ("title", "status", "due_date", "original_due_date", "completed_on", "owner", "description",
                  "created_at", "updated_at"),
}  # fmt: skip


@router.get("/dashboard/{kind}/{key}", response_class=HTMLResponse)
def record_page(kind: str, key: str, request: Request, session: SessionDep) -> HTMLResponse:
    actor = web_actor(request, session)
    if kind not in RECORDS:
        return not_found(request, "There is nothing at this address.")
    entity, label, getter = RECORDS[kind]
    try:
        record = getter(session=session, actor=actor, key=key)
    except NotFound as exc:
        return not_found(request, exc.message)
    fields = [(name.replace("_", " "), getattr(record, name)) for name in FIELDS[entity]]
    events = audit.history(session, entity, record.key)
    return page(request, session, "record.html", actor=actor, record=record, label=label, fields=fields,
                events=events, project=record.project)  # fmt: skip


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/dashboard") -> HTMLResponse:  # noqa: A002
    return render(request, "login.html", {"next": safe_next(next), "error": None, "actor": None})


@router.post("/login")
def login(
    request: Request,
    session: SessionDep,
    token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/dashboard",  # noqa: A002
) -> Response:
    from tools.services import tokens

    try:
        tokens.authenticate(session, token)
    except Unauthenticated:
        context = {
            "next": safe_next(next),
            "error": "That token is not valid or has been revoked.",
            "actor": None,
        }
        return render(request, "login.html", context, status_code=401)
    response = RedirectResponse(safe_next(next), status_code=303)
    secure = request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"
    response.set_cookie(COOKIE, token.strip(), max_age=COOKIE_MAX_AGE, httponly=True, samesite="strict",
                        secure=secure, path="/")  # fmt: skip
    return response


@router.post("/logout")
def logout() -> Response:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


@router.get("/")
def home() -> Response:
    return RedirectResponse("/dashboard", status_code=307)


def install_web(app: FastAPI) -> None:
    """Mount the dashboard; signed-out visitors are sent to /login, domain errors become HTML pages."""
    app.state.web_templates = make_templates()
    app.include_router(router)

    @app.exception_handler(LoginRequired)
    async def _login_required(request: Request, exc: LoginRequired) -> Response:
        if request.url.path.endswith(".png"):
            return Response("Sign in first.", status_code=401, media_type="text/plain")
        return RedirectResponse(login_url(exc.next_path), status_code=303)
