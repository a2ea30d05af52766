"""The workspace as the store keeps it: agencies, users, assignments, submissions, the audit.

Part of :class:`rightsmonitor.store.store.Store` (a mixin). Every write method takes the
:class:`~rightsmonitor.model.workspace.Change` it makes and writes its audit record in the same
transaction, so a change and its record are stored together or not at all; there is no method
that changes or removes an audit record (on PostgreSQL a trigger refuses it as well).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rightsmonitor.model.workspace import Agency, AuditRecord, Change, Submission, User
    from rightsmonitor.store.backend import Backend

USER_COLUMNS = (
    "id", "name", "email", "role", "agency", "password_hash", "active", "failed_logins",
    "locked_until", "created_at",
)  # fmt: skip
SUBMISSION_COLUMNS = (
    "id", "kind", "plan", "subject", "agency", "author", "official", "state", "payload",
    "created_at", "updated_at", "decided_by", "decision_note",
)  # fmt: skip
AUDIT_COLUMNS = (
    "seq", "changed_at", "actor", "operation", "entity", "entity_id", "state_before",
    "state_after", "why",
)  # fmt: skip


class WorkspaceTables:
    backend: Backend

    def _writable(self) -> None: ...  # provided by Store

    # the audit ---------------------------------------------------------------------------------
    def _audit(self, change: Change) -> None:
        """Append ``change`` (inside the caller's transaction; writers are serialised, so the
        next number is the largest plus one)."""
        from rightsmonitor.model.workspace import utc_now

        (last,) = self.backend.query("SELECT coalesce(max(seq), 0) FROM audit")[0]
        self.backend.run(
            f"INSERT INTO audit ({', '.join(AUDIT_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                int(last) + 1,
                utc_now(),
                change.actor.label,
                change.operation,
                change.entity,
                change.entity_id,
                change.before,
                change.after,
                change.why,
            ],
        )

    def audit_records(
        self, *, entity: str | None = None, actor: str | None = None, after_seq: int = 0
    ) -> tuple[AuditRecord, ...]:
        """Audit records in order, optionally of one entity kind or one actor's label."""
        from rightsmonitor.model.workspace import AuditRecord

        where, params = ["seq > ?"], [after_seq]
        if entity is not None:
            where.append("entity = ?")
            params.append(entity)
        if actor is not None:
            where.append("actor = ?")
            params.append(actor)
        rows = self.backend.query(
            f"SELECT {', '.join(AUDIT_COLUMNS)} FROM audit WHERE {' AND '.join(where)} "
            "ORDER BY seq",
            params,
        )
        return tuple(AuditRecord(**dict(zip(AUDIT_COLUMNS, row, strict=True))) for row in rows)

    def audit_count(self) -> int:
        return int(self.backend.query("SELECT count(*) FROM audit")[0][0])

    # agencies and users ------------------------------------------------------------------------
    def save_agency(self, agency: Agency, change: Change) -> None:
        self._writable()
        with self.backend.transaction():
            self.backend.run("DELETE FROM agencies WHERE id = ?", [agency.id])
            self.backend.run(
                "INSERT INTO agencies (id, name, name_zh) VALUES (?, ?, ?)",
                [agency.id, agency.name, agency.name_zh],
            )
            self._audit(change)

    def agencies(self) -> tuple[Agency, ...]:
        from rightsmonitor.model.workspace import Agency

        rows = self.backend.query("SELECT id, name, name_zh FROM agencies ORDER BY id")
        return tuple(Agency(id=r[0], name=r[1], name_zh=r[2]) for r in rows)

    def save_user(self, user: User, password_hash: str, change: Change) -> None:
        """Add or replace a user (with its password hash), and its audit record."""
        from rightsmonitor.model.workspace import utc_now

        self._writable()
        stored = self.user_row(user.id)
        with self.backend.transaction():
            self.backend.run("DELETE FROM users WHERE id = ?", [user.id])
            self.backend.run(
                f"INSERT INTO users ({', '.join(USER_COLUMNS)}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    user.id,
                    user.name,
                    user.email,
                    user.role.value,
                    user.agency,
                    password_hash,
                    user.active,
                    0,
                    None,
                    stored["created_at"] if stored else utc_now(),
                ],
            )
            self._audit(change)

    def user_row(self, user_id: str) -> dict[str, Any] | None:
        """A user as stored, password hash and login counters included (for the login)."""
        rows = self.backend.query(
            f"SELECT {', '.join(USER_COLUMNS)} FROM users WHERE id = ?", [user_id]
        )
        return dict(zip(USER_COLUMNS, rows[0], strict=True)) if rows else None

    def users(self) -> tuple[User, ...]:
        from rightsmonitor.model.workspace import User

        rows = self.backend.query(
            "SELECT id, name, email, role, agency, active FROM users ORDER BY id"
        )
        return tuple(
            User(id=r[0], name=r[1], email=r[2], role=r[3], agency=r[4], active=bool(r[5]))
            for r in rows
        )

    def user_count(self) -> int:
        return int(self.backend.query("SELECT count(*) FROM users")[0][0])

    def record_login(
        self, user_id: str, failed_logins: int, locked_until: str | None, change: Change
    ) -> None:
        """A login's effect on the user's counters (a failure, a lockout, a success)."""
        self._writable()
        with self.backend.transaction():
            self.backend.run(
                "UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?",
                [failed_logins, locked_until, user_id],
            )
            self._audit(change)

    # API tokens --------------------------------------------------------------------------------
    def save_token(
        self, token_id: str, token_hash: str, user: str, role: str, agency: str | None,
        change: Change,
    ) -> None:  # fmt: skip
        from rightsmonitor.model.workspace import utc_now

        self._writable()
        with self.backend.transaction():
            self.backend.run(
                "INSERT INTO api_tokens (id, token_hash, user_id, role, agency, created_at, "
                "revoked_at) VALUES (?, ?, ?, ?, ?, ?, NULL)",
                [token_id, token_hash, user, role, agency, utc_now()],
            )
            self._audit(change)

    def revoke_token(self, token_id: str, change: Change) -> int:
        """Mark a token revoked (it stays, so the audit's references hold); 1 if it was live."""
        from rightsmonitor.model.workspace import utc_now

        self._writable()
        with self.backend.transaction():
            done = self.backend.run(
                "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                [utc_now(), token_id],
            )
            if done:
                self._audit(change)
        return done

    def token(self, token_hash: str) -> dict[str, Any] | None:
        """A live token by its hash: its id, user, role and agency."""
        rows = self.backend.query(
            "SELECT t.id, t.user_id, t.role, t.agency FROM api_tokens t "
            "JOIN users u ON u.id = t.user_id "
            "WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.active",
            [token_hash],
        )
        keys = ("id", "user", "role", "agency")
        return dict(zip(keys, rows[0], strict=True)) if rows else None

    def tokens(self) -> tuple[dict[str, Any], ...]:
        rows = self.backend.query(
            "SELECT id, user_id, role, agency, created_at, revoked_at FROM api_tokens ORDER BY "
            "created_at, id"
        )
        keys = ("id", "user", "role", "agency", "created_at", "revoked_at")
        return tuple(dict(zip(keys, r, strict=True)) for r in rows)

    # assignments -------------------------------------------------------------------------------
    def save_assignment(
        self, plan: str, subject: str, agency: str, due: Any, by: str, change: Change
    ) -> None:
        from rightsmonitor.model.workspace import utc_now

        self._writable()
        with self.backend.transaction():
            self.backend.run(
                "DELETE FROM assignments WHERE plan = ? AND subject = ?", [plan, subject]
            )
            self.backend.run(
                "INSERT INTO assignments (plan, subject, agency, due, assigned_by, assigned_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [plan, subject, agency, due, by, utc_now()],
            )
            self._audit(change)

    def assignments(self, plan: str) -> dict[str, tuple[str, Any]]:
        """Subject id -> (agency id, due date or None) for one plan."""
        rows = self.backend.query(
            "SELECT subject, agency, due FROM assignments WHERE plan = ?", [plan]
        )
        return {r[0]: (r[1], r[2]) for r in rows}

    # submissions -------------------------------------------------------------------------------
    def save_submission(self, submission: Submission, change: Change) -> None:
        """Add or replace a submission, and its audit record, in one transaction (which an
        approval widens to the public write it makes)."""
        self._writable()
        row = submission.model_dump(mode="json")
        row["payload"] = json.dumps(row["payload"], ensure_ascii=False, sort_keys=True)
        with self.backend.transaction():
            self.backend.run("DELETE FROM submissions WHERE id = ?", [submission.id])
            self.backend.run(
                f"INSERT INTO submissions ({', '.join(SUBMISSION_COLUMNS)}) "
                f"VALUES ({', '.join('?' for _ in SUBMISSION_COLUMNS)})",
                [row[c] for c in SUBMISSION_COLUMNS],
            )
            self._audit(change)

    def submission(self, submission_id: str) -> Submission | None:
        found = self.submissions(ids=[submission_id])
        return found[0] if found else None

    def submissions(
        self,
        *,
        ids: Sequence[str] | None = None,
        agency: str | None = None,
        state: str | None = None,
        author: str | None = None,
    ) -> tuple[Submission, ...]:
        from rightsmonitor.model.workspace import Submission

        where, params = ["1 = 1"], []
        for column, value in (("agency", agency), ("state", state), ("author", author)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        if ids is not None:
            where.append(f"id IN ({', '.join('?' for _ in ids) or 'NULL'})")
            params.extend(ids)
        rows = self.backend.query(
            f"SELECT {', '.join(SUBMISSION_COLUMNS)} FROM submissions "
            f"WHERE {' AND '.join(where)} ORDER BY created_at, id",
            params,
        )
        out = []
        for row in rows:
            record = dict(zip(SUBMISSION_COLUMNS, row, strict=True))
            record["payload"] = json.loads(record["payload"])
            record["official"] = bool(record["official"])
            out.append(Submission(**record))
        return tuple(out)
