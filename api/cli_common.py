"""What every `pmo` command shares: the container, a unit of work, the acting person, output, errors.

Feature modules (`api/cli_*.py`) expose `register(app: typer.Typer) -> None` and use these helpers.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from pydantic import BaseModel, ValidationError
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session
from typer._click.globals import get_current_context
from typer.core import TyperGroup

from api.container import Container
from tools.actor import Actor
from tools.errors import DomainError
from tools.schemas import describe_validation_error

AsOption = Annotated[
    str | None,
    typer.Option("--as", help="Act as this person (Slack user id); default: the admin system actor."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


class PmoGroup(TyperGroup):
    """Turns domain errors and bad settings into a sentence on stderr and exit code 1, never a traceback."""

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DomainError as exc:
            fail(exc.message)
        except ValidationError as exc:
            fail(describe_validation_error(exc))


def fail(message: str, code: int = 1) -> None:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code)


def get_container(ctx: typer.Context | None = None) -> Container:
    """The process's container (tests pass one as `obj=`); built from the environment on first use."""
    ctx = ctx or get_current_context()
    root = ctx.find_root()
    if not isinstance(root.obj, Container):
        root.obj = Container()
        root.call_on_close(root.obj.close)
    return root.obj


@contextmanager
def unit_of_work(ctx: typer.Context | None = None) -> Iterator[Session]:
    """A session on a migrated database that commits when the command's block succeeds."""
    container = get_container(ctx)
    container.ensure_migrated()
    with container.session() as session:
        yield session


def cli_actor(session: Session, as_user: str | None) -> Actor:
    """`--as U` acts as that person (their role); otherwise the admin system actor, via='cli'."""
    if as_user:
        from tools.services import people

        return people.actor_for(session, as_user.strip(), "cli")
    return Actor.system("cli")


def to_data(obj: Any) -> Any:
    if isinstance(obj, BaseModel):
        return obj.model_dump(mode="json")
    if isinstance(obj, list | tuple):
        return [to_data(o) for o in obj]
    return obj


def print_json(obj: Any) -> None:
    typer.echo(json.dumps(to_data(obj), indent=2, ensure_ascii=False, default=str))


def print_table(rows: Iterable[BaseModel | dict], columns: Sequence[str], title: str | None = None) -> None:
    rows = [to_data(r) for r in rows]
    if not rows:
        typer.echo(f"No {title.lower() if title else 'records'} found.")
        return
    table = Table(title=title, show_lines=False)
    for column in columns:
        table.add_column(column.replace("_", " "), overflow="fold")
    for row in rows:
        table.add_row(*("" if row.get(c) is None else str(row.get(c)) for c in columns))
    Console(width=160).print(table)


def print_record(obj: BaseModel | dict, title: str | None = None) -> None:
    data = to_data(obj)
    if title:
        typer.echo(title)
    width = max((len(k) for k in data), default=0)
    for name, value in data.items():
        if value is None or value == [] or value == {}:
            continue
        shown = json.dumps(value, default=str) if isinstance(value, dict | list) else value
        typer.echo(f"{name.replace('_', ' '):<{width}}  {shown}")


def emit(obj: Any, as_json: bool, *, columns: Sequence[str] | None = None, title: str | None = None) -> None:
    """A read command's output: --json prints JSON (lists as `{"items": [...]}`, like the API);
    otherwise a table for lists and a field list for one record."""
    if as_json:
        print_json({"items": to_data(obj)} if isinstance(obj, list) else obj)
    elif isinstance(obj, list):
        print_table(obj, columns or [], title)
    else:
        print_record(obj, title)
