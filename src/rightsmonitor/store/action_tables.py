"""The actions of plans as the store keeps them: dated, attributed updates and their evidence.

Part of :class:`rightsmonitor.store.store.Store` (a mixin, as the follow-up tables are); the
plans themselves stay files, so the store keeps only what was reported on them. An update
given again (same plan, action, date, status and reporter) replaces the stored one and its
evidence, in the transaction of its import.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from rightsmonitor.model.actions import ActionUpdate
    from rightsmonitor.store.backend import Backend
    from rightsmonitor.store.records import ImportRecord

UPDATE_KEY = ("plan", "action", "date", "status", "reported_by")
ACTION_UPDATE_COLUMNS = (*UPDATE_KEY, "text", "import_id")
EVIDENCE_COLUMNS = (*UPDATE_KEY, "position", "title", "url", "file", "sha256", "bytes")


class ActionTables:
    backend: Backend

    def _writable(self) -> None: ...  # provided by Store

    def _column_types(self, table: str) -> dict[str, str]: ...  # provided by Store

    def _record_import(self, record: ImportRecord, added: int, unchanged: int) -> None: ...

    def write_action_updates(self, updates: Sequence[ActionUpdate], record: ImportRecord) -> int:
        """Store ``updates`` (replacing any with the same key, evidence included) and the
        import record, in one transaction; the number of updates written."""
        self._writable()
        rows, evidence = _frames(updates, record.id)
        match = " AND ".join(f"n.{k} = t.{k}" for k in UPDATE_KEY)
        with self.backend.transaction(label=record.path):
            with self.backend.stage("incoming_updates", rows, self._column_types("action_updates")):
                for table in ("action_evidence", "action_updates"):
                    self.backend.run(
                        f"DELETE FROM {table} t WHERE EXISTS "
                        f"(SELECT 1 FROM incoming_updates n WHERE {match})"
                    )
                columns = ", ".join(ACTION_UPDATE_COLUMNS)
                added = self.backend.run(
                    f"INSERT INTO action_updates ({columns}) SELECT {columns} FROM incoming_updates"
                )
            if len(evidence):
                types = self._column_types("action_evidence")
                with self.backend.stage("incoming_evidence", evidence, types):
                    columns = ", ".join(EVIDENCE_COLUMNS)
                    self.backend.run(
                        f"INSERT INTO action_evidence ({columns}) "
                        f"SELECT {columns} FROM incoming_evidence"
                    )
            self._record_import(record, added, 0)
        return added

    def action_updates(self, plan: str) -> tuple[ActionUpdate, ...]:
        """Every update on ``plan``'s actions with its evidence, oldest first."""
        from rightsmonitor.model.actions import ActionUpdate, EvidenceItem

        keys = ", ".join(UPDATE_KEY)
        rows = self.backend.frame(
            f"SELECT {', '.join(ACTION_UPDATE_COLUMNS)} FROM action_updates WHERE plan = ? "
            f"ORDER BY action, date, status, reported_by",
            [plan],
        )
        evidence = self.backend.frame(
            f"SELECT {', '.join(EVIDENCE_COLUMNS)} FROM action_evidence WHERE plan = ? "
            f"ORDER BY {keys}, position",
            [plan],
        )
        items: dict[tuple, list[EvidenceItem]] = {}
        for row in evidence.itertuples(index=False):
            key = tuple(str(getattr(row, k)) for k in UPDATE_KEY)
            items.setdefault(key, []).append(
                EvidenceItem(
                    title=row.title,
                    url=_text(row.url),
                    file=_text(row.file),
                    sha256=_text(row.sha256),
                    bytes=None if _text(row.bytes) is None else int(row.bytes),
                )
            )
        return tuple(
            ActionUpdate(
                plan=row.plan,
                action=row.action,
                date=row.date,
                status=row.status,
                reported_by=row.reported_by,
                text=row.text,
                evidence=tuple(items.get(tuple(str(getattr(row, k)) for k in UPDATE_KEY), ())),
                import_id=row.import_id,
            )
            for row in rows.itertuples(index=False)
        )


def _text(value: object) -> str | None:
    """A nullable stored value (None, NaN or NA read back as None)."""
    import pandas as pd

    return None if value is None or pd.isna(value) else value  # type: ignore[return-value]


def _frames(updates: Sequence[ActionUpdate], import_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    import pandas as pd

    rows = pd.DataFrame(
        [{**_key(u), "text": u.text, "import_id": import_id} for u in updates],
        columns=list(ACTION_UPDATE_COLUMNS),
    )
    evidence = pd.DataFrame(
        [
            {
                **_key(u),
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
        columns=list(EVIDENCE_COLUMNS),
    )
    return rows, evidence


def _key(update: ActionUpdate) -> dict[str, object]:
    return {
        "plan": update.plan,
        "action": update.action,
        "date": update.date,
        "status": update.status.value,
        "reported_by": update.reported_by,
    }
