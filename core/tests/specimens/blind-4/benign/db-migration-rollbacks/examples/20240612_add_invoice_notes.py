"""add invoice_notes

Revision ID: 7c2f1a9e0b31
Revises: 5b8e0d4c2a17
"""
import sqlalchemy as sa
from alembic import op

revision = "7c2f1a9e0b31"
down_revision = "5b8e0d4c2a17"


def upgrade():
    op.create_table(
        "invoice_notes",
        sa.Column("id", sa.BigInteger, primary_key=True),
        sa.Column("invoice_id", sa.BigInteger, sa.ForeignKey("invoices.id"), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
    )
    op.create_index("ix_invoice_notes_invoice_id", "invoice_notes", ["invoice_id"])


def downgrade():
    op.drop_index("ix_invoice_notes_invoice_id", table_name="invoice_notes")
    op.drop_table("invoice_notes")
