"""A project's risk register as a spreadsheet: import (all rows checked first) and export."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Query, UploadFile, status
from fastapi.responses import Response

from api.deps import ActorDep, SessionDep
from api.routes.common import Items
from tools.errors import Invalid
from tools.schemas import RiskPublic
from tools.services import risk_register

router = APIRouter(prefix="/projects", tags=["risks"])

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@router.post(
    "/{key}/risks/import",
    status_code=status.HTTP_201_CREATED,
    summary="Import a .csv or .xlsx risk register; nothing is written if any row is bad",
)
async def import_register(
    key: str, file: Annotated[UploadFile, File(description="A .csv or .xlsx register")], session: SessionDep,
    actor: ActorDep,
) -> Items[RiskPublic]:  # fmt: skip
    content = await file.read(risk_register.MAX_BYTES + 1)
    if len(content) > risk_register.MAX_BYTES:
        raise Invalid(f"The file is larger than {risk_register.MAX_BYTES // 1024 // 1024} MB.")
    created = risk_register.import_risks(
        session=session, actor=actor, project=key, content=content, filename=file.filename or "register.csv"
    )
    return Items[RiskPublic](items=[RiskPublic.model_validate(r) for r in created])


@router.get("/{key}/risks/export", summary="The risk register as .csv or .xlsx (the columns import reads)")
def export_register(
    key: str, session: SessionDep, actor: ActorDep, format: Annotated[Literal["csv", "xlsx"], Query()] = "csv"
) -> Response:
    data = risk_register.export_risks(session=session, actor=actor, project=key, fmt=format)
    filename = f"{key.upper()}-risks.{format}"
    return Response(
        data,
        media_type=MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
