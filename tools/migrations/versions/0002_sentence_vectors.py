"""knowledge sentence vectors

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 17:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "knowledge_sentence_vectors",
        sa.Column("chunk_id", sa.String(length=1100), nullable=False),
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("dim", sa.Integer(), nullable=False),
        sa.Column("vectors", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("chunk_id", name=op.f("pk_knowledge_sentence_vectors")),
    )


def downgrade() -> None:
    op.drop_table("knowledge_sentence_vectors")
