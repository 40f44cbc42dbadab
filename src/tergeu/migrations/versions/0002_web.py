"""web application tables: users, statements, assignments, tasks, notes, append-only audit log

Revision ID: 0002_web
Revises: 0001_core
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import tergeu.db

revision = "0002_web"
down_revision = "0001_core"
branch_labels = None
depends_on = None

_TRIGGERS = {
    "sqlite": [
        "CREATE TRIGGER web_audit_no_update BEFORE UPDATE ON web_audit "
        "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
        "CREATE TRIGGER web_audit_no_delete BEFORE DELETE ON web_audit "
        "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION web_audit_refuse() RETURNS trigger AS $$ BEGIN "
        "RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql",
        "CREATE TRIGGER web_audit_no_change BEFORE UPDATE OR DELETE ON web_audit "
        "FOR EACH ROW EXECUTE FUNCTION web_audit_refuse()",
    ],
}


def upgrade() -> None:
    op.create_table(
        "web_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", tergeu.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username"),
    )
    op.create_table(
        "web_statements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("lang", sa.String(length=2), nullable=False),
        sa.Column("victim_name", sa.String(length=200), nullable=False),
        sa.Column("victim_iin", sa.String(length=12), nullable=False),
        sa.Column("victim_phone", sa.String(length=40), nullable=False),
        sa.Column("victim_email", sa.String(length=200), nullable=False),
        sa.Column("victim_address", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("happened_at", tergeu.db.UTCDateTime(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("suspects", sa.JSON(), nullable=False),
        sa.Column("transactions", sa.JSON(), nullable=False),
        sa.Column("messages", sa.Text(), nullable=False),
        sa.Column("analysis", sa.JSON(), nullable=False),
        sa.Column("client_ip", sa.String(length=60), nullable=False),
        sa.Column("created_at", tergeu.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
    )
    op.create_index("ix_web_statements_token_hash", "web_statements", ["token_hash"])
    op.create_index("ix_web_statements_case_id", "web_statements", ["case_id"])
    op.create_table(
        "web_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("web_users.id"), nullable=False),
        sa.Column("assigned_by", sa.String(length=80), nullable=False),
        sa.Column("assigned_at", tergeu.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("case_id", "user_id", name="uq_web_assignment"),
    )
    op.create_index("ix_web_assignments_case_id", "web_assignments", ["case_id"])
    op.create_index("ix_web_assignments_user_id", "web_assignments", ["user_id"])
    op.create_table(
        "web_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("assignee", sa.String(length=80), nullable=False),
        sa.Column("due", sa.String(length=10), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", tergeu.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_web_tasks_case_id", "web_tasks", ["case_id"])
    op.create_table(
        "web_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("author", sa.String(length=80), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", tergeu.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_web_notes_case_id", "web_notes", ["case_id"])
    op.create_table(
        "web_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ts", tergeu.db.UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=True),
        sa.Column("ip", sa.String(length=60), nullable=False),
        sa.Column("user_agent", sa.String(length=300), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_web_audit_ts", "web_audit", ["ts"])
    op.create_index("ix_web_audit_case_id", "web_audit", ["case_id"])
    for stmt in _TRIGGERS.get(op.get_bind().dialect.name, []):
        op.execute(stmt)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS web_audit_no_change ON web_audit")
        op.execute("DROP FUNCTION IF EXISTS web_audit_refuse()")
    for table in ("web_audit", "web_notes", "web_tasks", "web_assignments", "web_statements", "web_users"):
        op.drop_table(table)
