"""Tables of the web application: accounts, statements, assignments, tasks, notes and the audit log.

Cases, evidence, custody and analyzer output stay in the foundation's tables; these only add what
the portal and workspace need around them. The audit log is append-only: rows are never updated or
deleted by the application, and an ORM guard refuses it if some code tries.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from tergeu.db import Base, utcnow

ROLES = ("admin", "investigator", "analyst", "viewer")


class User(Base):
    __tablename__ = "web_users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    unit: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Statement(Base):
    __tablename__ = "web_statements"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="received")
    lang: Mapped[str] = mapped_column(String(2), default="kk")
    victim_name: Mapped[str] = mapped_column(String(200))
    victim_iin: Mapped[str] = mapped_column(String(12))
    victim_phone: Mapped[str] = mapped_column(String(40), default="")
    victim_email: Mapped[str] = mapped_column(String(200), default="")
    victim_address: Mapped[str] = mapped_column(Text, default="")
    channel: Mapped[str] = mapped_column(String(20), default="")
    happened_at: Mapped[datetime | None] = mapped_column()
    description: Mapped[str] = mapped_column(Text, default="")
    suspects: Mapped[list[Any]] = mapped_column(default=list)
    transactions: Mapped[list[Any]] = mapped_column(default=list)
    messages: Mapped[str] = mapped_column(Text, default="")
    analysis: Mapped[dict[str, Any]] = mapped_column(default=dict)
    client_ip: Mapped[str] = mapped_column(String(60), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Assignment(Base):
    __tablename__ = "web_assignments"
    __table_args__ = (UniqueConstraint("case_id", "user_id", name="uq_web_assignment"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("web_users.id"), index=True)
    assigned_by: Mapped[str] = mapped_column(String(80))
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)


class Task(Base):
    __tablename__ = "web_tasks"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    title: Mapped[str] = mapped_column(Text)
    assignee: Mapped[str] = mapped_column(String(80), default="")
    due: Mapped[str] = mapped_column(String(10), default="")
    done: Mapped[bool] = mapped_column(default=False)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Note(Base):
    __tablename__ = "web_notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    author: Mapped[str] = mapped_column(String(80))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEntry(Base):
    __tablename__ = "web_audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ts: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(20), default="")
    action: Mapped[str] = mapped_column(String(60))
    target: Mapped[str] = mapped_column(String(200), default="")
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    ip: Mapped[str] = mapped_column(String(60), default="")
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


def _refuse_change(*_args: Any) -> None:
    raise PermissionError("the audit log is append-only")


event.listen(AuditEntry, "before_update", _refuse_change)
event.listen(AuditEntry, "before_delete", _refuse_change)
