"""The commitments of plans as the store keeps them: dated, attributed updates on actions and
on indicator targets, and their evidence.

Part of :class:`rightsmonitor.store.store.Store` (a mixin, as the follow-up tables are); the
plans themselves stay files, so the store keeps only what was reported on them. An update
given again (same plan, subject, date, status and reporter) replaces the stored one and its
evidence, in the transaction of its import.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from rightsmonitor.model.actions import ActionUpdate, TargetUpdate
    from rightsmonitor.store.backend import Backend
    from rightsmonitor.store.records import ImportRecord


@dataclass(frozen=True)
class Updates:
    """Where one kind of commitment's updates are kept: two tables and the subject column
    (also the attribute of its model)."""

    table: str
    evidence: str
    subject: str

    @property
    def key(self) -> tuple[str, ...]:
        return ("plan", self.subject, "date", "status", "reported_by")

    @property
    def columns(self) -> tuple[str, ...]:
        return (*self.key, "text", "import_id")

    @property
    def evidence_columns(self) -> tuple[str, ...]:
        return (*self.key, "position", "title", "url", "file", "sha256", "bytes")


ACTIONS = Updates("action_updates", "action_evidence", "action")
TARGETS = Updates("target_updates", "target_evidence", "target")


class ActionTables:
    backend: Backend

    def _writable(self) -> None: ...  # provided by Store

    def _column_types(self, table: str) -> dict[str, str]: ...  # provided by Store

    def _record_import(self, record: ImportRecord, added: int, unchanged: int) -> None: ...

    def write_action_updates(self, updates: Sequence[ActionUpdate], record: ImportRecord) -> int:
        """Store ``updates`` (replacing any with the same key, evidence included) and the
        import record, in one transaction; the number of updates written."""
        return self._write_updates(ACTIONS, updates, record)

    def write_target_updates(self, updates: Sequence[TargetUpdate], record: ImportRecord) -> int:
        """As :meth:`write_action_updates`, for updates on indicator targets."""
        return self._write_updates(TARGETS, updates, record)

    def action_updates(self, plan: str) -> tuple[ActionUpdate, ...]:
        """Every update on ``plan``'s actions with its evidence, oldest first."""
        from rightsmonitor.model.actions import ActionUpdate

        return tuple(ActionUpdate(**row) for row in self._updates(ACTIONS, plan))

    def target_updates(self, plan: str) -> tuple[TargetUpdate, ...]:
        """Every implementation update on ``plan``'s targets with its evidence, oldest first."""
        from rightsmonitor.model.actions import TargetUpdate

        return tuple(TargetUpdate(**row) for row in self._updates(TARGETS, plan))

    def _write_updates(self, kind: Updates, updates: Sequence[Any], record: ImportRecord) -> int:
        self._writable()
        rows, evidence = _frames(kind, updates, record.id)
        match = " AND ".join(f"n.{k} = t.{k}" for k in kind.key)
        with self.backend.transaction(label=record.path):
            with self.backend.stage("incoming_updates", rows, self._column_types(kind.table)):
                for table in (kind.evidence, kind.table):
                    self.backend.run(
                        f"DELETE FROM {table} t WHERE EXISTS "
                        f"(SELECT 1 FROM incoming_updates n WHERE {match})"
                    )
                columns = ", ".join(kind.columns)
                added = self.backend.run(
                    f"INSERT INTO {kind.table} ({columns}) SELECT {columns} FROM incoming_updates"
                )
            if len(evidence):
                types = self._column_types(kind.evidence)
                with self.backend.stage("incoming_evidence", evidence, types):
                    columns = ", ".join(kind.evidence_columns)
                    self.backend.run(
                        f"INSERT INTO {kind.evidence} ({columns}) "
                        f"SELECT {columns} FROM incoming_evidence"
                    )
            self._record_import(record, added, 0)
        return added

    def _updates(self, kind: Updates, plan: str) -> list[dict[str, Any]]:
        from rightsmonitor.model.actions import EvidenceItem

        keys = ", ".join(kind.key)
        rows = self.backend.frame(
            f"SELECT {', '.join(kind.columns)} FROM {kind.table} WHERE plan = ? "
            f"ORDER BY {kind.subject}, date, status, reported_by",
            [plan],
        )
        evidence = self.backend.frame(
            f"SELECT {', '.join(kind.evidence_columns)} FROM {kind.evidence} WHERE plan = ? "
            f"ORDER BY {keys}, position",
            [plan],
        )
        items: dict[tuple, list[EvidenceItem]] = {}
        for row in evidence.itertuples(index=False):
            key = tuple(str(getattr(row, k)) for k in kind.key)
            items.setdefault(key, []).append(
                EvidenceItem(
                    title=row.title,
                    url=_text(row.url),
                    file=_text(row.file),
                    sha256=_text(row.sha256),
                    bytes=None if _text(row.bytes) is None else int(row.bytes),
                )
            )
        return [
            {
                **{c: getattr(row, c) for c in kind.columns},
                "evidence": tuple(items.get(tuple(str(getattr(row, k)) for k in kind.key), ())),
            }
            for row in rows.itertuples(index=False)
        ]


def _text(value: object) -> str | None:
    """A nullable stored value (None, NaN or NA read back as None)."""
    import pandas as pd

    return None if value is None or pd.isna(value) else value  # type: ignore[return-value]


def _frames(
    kind: Updates, updates: Sequence[Any], import_id: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    import pandas as pd

    rows = pd.DataFrame(
        [{**_key(kind, u), "text": u.text, "import_id": import_id} for u in updates],
        columns=list(kind.columns),
    )
    evidence = pd.DataFrame(
        [
            {
                **_key(kind, u),
                "position": i,
                "title": e.title,
                "url": e.url,
                "file": e.file,
                "sha256": e.sha256,
                "bytes": e.bytes,
            }
            for u in updates
            for i, e in enumerate(u.evidence)
        ],
        columns=list(kind.evidence_columns),
    )
    return rows, evidence


def _key(kind: Updates, update: Any) -> dict[str, object]:
    return {
        "plan": update.plan,
        kind.subject: getattr(update, kind.subject),
        "date": update.date,
        "status": update.status.value,
        "reported_by": update.reported_by,
    }
