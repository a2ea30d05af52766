"""Workspace operations: agencies, users and logins, assignments. Each takes the acting
:class:`~rightsmonitor.model.workspace.Principal`, checks it in
:mod:`rightsmonitor.ops.permissions`, and makes its change and its audit record in one
transaction.

Passwords are hashed with Argon2id (argon2-cffi's defaults, RFC 9106); five wrong passwords in a
row lock the account for fifteen minutes, and a locked account is refused even with the right
password, without saying which.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from rightsmonitor.errors import InvalidRequest, NotFound, NotSignedIn
from rightsmonitor.model.workspace import CLI, Agency, AuditRecord, Change, Principal, Role, User
from rightsmonitor.ops.context import Context
from rightsmonitor.ops.permissions import require

if TYPE_CHECKING:
    from rightsmonitor.store import Store

MAX_FAILED_LOGINS = 5
LOCKOUT = dt.timedelta(minutes=15)
MIN_PASSWORD = 12


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def save_agency(ctx: Context, actor: Principal, agency: Agency, why: str = "") -> Agency:
    """Add an agency, or rename one (admin)."""
    require(actor, "agency.save")
    plain(why=why)
    with ctx.writer() as store, store.transaction():
        before = next((a for a in store.agencies() if a.id == agency.id), None)
        change = Change(
            actor, "agency.save", "agency", agency.id,
            _json(before.model_dump() if before else None), _json(agency.model_dump()), why,
        )  # fmt: skip
        store.save_agency(agency, change)
    return agency


def _hasher() -> Any:
    from argon2 import PasswordHasher

    return PasswordHasher()


def save_user(
    ctx: Context, actor: Principal, user: User, password: str | None, why: str = ""
) -> User:
    """Add a user or change one (admin). A new user needs a password of at least 12
    characters; ``None`` keeps a stored user's password. The audit never holds the hash."""
    require(actor, "user.save")
    plain(why=why)
    with ctx.writer() as store, store.transaction():
        stored = store.user_row(user.id)
        if user.agency is not None and user.agency not in {a.id for a in store.agencies()}:
            raise InvalidRequest(f"no agency '{user.agency}'; add it first", fields=["agency"])
        if password is None and stored is None:
            raise InvalidRequest(f"new user '{user.id}' needs a password", fields=["password"])
        if password is not None and len(password) < MIN_PASSWORD:
            raise InvalidRequest(
                f"a password needs at least {MIN_PASSWORD} characters", fields=["password"]
            )
        digest = _hasher().hash(password) if password is not None else stored["password_hash"]
        before = _public(stored) if stored else None
        change = Change(
            actor, "user.save", "user", user.id, _json(before), _json(user.model_dump()), why
        )
        store.save_user(user, digest, change)
    return user


def _public(row: dict[str, Any]) -> dict[str, Any]:
    """A stored user without its secrets, as the audit shows it."""
    keep = ("id", "name", "email", "role", "agency", "active")
    return {k: (bool(row[k]) if k == "active" else row[k]) for k in keep}


def checked(model: type, **fields: Any) -> Any:
    """``model(**fields)``, its validation errors as one InvalidRequest naming the fields (what
    a form or an option gave)."""
    from pydantic import ValidationError

    try:
        return model(**fields)
    except ValidationError as exc:
        errors = exc.errors()
        named = [str(e["loc"][0]) for e in errors if e["loc"]]
        text = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or model.__name__.lower()}: {_said(e)}" for e in errors
        )
        raise InvalidRequest(text, fields=named) from None


def plain(**fields: str) -> None:
    """Refuse free text given with a write (a narrative, a note, why) that holds a control
    character, naming the field: no store keeps such text alike (PostgreSQL refuses NUL)."""
    from rightsmonitor.model.text import plain_text

    for name, value in fields.items():
        try:
            plain_text(value)
        except ValueError as exc:
            raise InvalidRequest(f"{name}: {exc}", fields=[name]) from None


def _said(error: dict[str, Any]) -> str:
    if error["type"] == "string_pattern_mismatch":
        return f"'{error['input']}' must be lower-case letters, digits and hyphens (e.g. 'moj')"
    return str(error["msg"]).removeprefix("Value error, ")


def has_users(ctx: Context) -> bool:
    """Whether the store has any user yet (the first is made by the command line)."""
    with ctx.reader_if_any() as store:
        return store is not None and store.user_count() > 0


def users(ctx: Context, actor: Principal) -> tuple[User, ...]:
    """Every user (admin)."""
    require(actor, "user.save")
    with ctx.reader() as store:
        return store.users()


def first_admin(ctx: Context, user: User, password: str) -> User:
    """The first user of a store, made by the command line; refused once any user exists."""
    if user.role is not Role.ADMIN:
        raise InvalidRequest("the first user must be an admin", fields=["role"])
    if has_users(ctx):
        raise InvalidRequest("this store has users: an admin adds the others", fields=["id"])
    return save_user(ctx, CLI, user, password, why="first admin")


def login(
    ctx: Context, user_id: str, password: str, *, now: dt.datetime | None = None
) -> Principal:
    """The principal of a user name and password, or NotSignedIn (never saying which was
    wrong). Failures are counted and audited; the fifth in a row locks the account."""
    from argon2.exceptions import VerificationError

    now = now or dt.datetime.now(dt.UTC)
    with ctx.writer() as store, store.transaction():
        row = store.user_row(user_id)
        if row is None or not row["active"]:
            raise NotSignedIn("wrong user name or password")
        who = Principal(row["id"], Role(row["role"]), row["agency"])
        locked = row["locked_until"] and dt.datetime.fromisoformat(row["locked_until"]) > now
        try:
            good = not locked and _hasher().verify(row["password_hash"], password)
        except VerificationError:
            good = False
        if good:
            if row["failed_logins"] or row["locked_until"]:
                _count_login(store, who, 0, None, "login.reset")
            return who
        if locked:
            raise NotSignedIn("wrong user name or password, or the account is locked for now")
        failed = int(row["failed_logins"]) + 1
        until = (
            (now + LOCKOUT).isoformat(timespec="seconds") if failed >= MAX_FAILED_LOGINS else None
        )
        _count_login(
            store, who, 0 if until else failed, until, "login.lock" if until else "login.fail"
        )
    raise NotSignedIn("wrong user name or password")


def _count_login(
    store: Store, who: Principal, failed: int, until: str | None, operation: str
) -> None:
    after = {"failed_logins": failed, "locked_until": until}
    store.record_login(
        who.user, failed, until, Change(who, operation, "user", who.user, None, _json(after))
    )


def save_assignment(
    ctx: Context,
    actor: Principal,
    plan: str,
    subject: str,
    agency: str,
    due: dt.date | None = None,
    why: str = "",
) -> None:
    """Assign a plan's action or target to an agency, with a deadline (coordinator, admin)."""
    from rightsmonitor.ops.actions import plan_named

    require(actor, "assignment.save")
    plain(why=why)
    loaded = plan_named(plan)
    subjects = {a.id for _, a in loaded.actions()} | {t.id for _, t in loaded.targets()}
    if subject not in subjects:
        raise NotFound(f"plan '{loaded.id}' has no action or target '{subject}'")
    with ctx.writer() as store, store.transaction():
        if agency not in {a.id for a in store.agencies()}:
            raise InvalidRequest(f"no agency '{agency}'", fields=["agency"])
        before = store.assignments(loaded.id).get(subject)
        after = {"agency": agency, "due": due.isoformat() if due else None}
        change = Change(
            actor, "assignment.save", "assignment", f"{loaded.id}/{subject}",
            _json({"agency": before[0], "due": str(before[1]) if before[1] else None}
                  if before else None), _json(after), why,
        )  # fmt: skip
        store.save_assignment(loaded.id, subject, agency, due, actor.label, change)


TOKEN_PREFIX = "rmt_"


def create_token(ctx: Context, actor: Principal, user_id: str, why: str = "") -> tuple[str, str]:
    """A new API token for a user (admin): its id and its secret, shown once. It acts with
    the user's role and agency; only its SHA-256 is stored (a random 256-bit secret needs no
    slow hash)."""
    import hashlib
    import secrets

    require(actor, "user.save")
    plain(why=why)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token_id = secrets.token_hex(8)
    with ctx.writer() as store, store.transaction():
        row = store.user_row(user_id)
        if row is None:
            raise NotFound(f"no user '{user_id}'")
        after = {"user": user_id, "role": row["role"], "agency": row["agency"]}
        change = Change(actor, "token.create", "token", token_id, None, _json(after), why)
        digest = hashlib.sha256(secret.encode()).hexdigest()
        store.save_token(token_id, digest, user_id, row["role"], row["agency"], change)
    return token_id, secret


def revoke_token(ctx: Context, actor: Principal, token_id: str, why: str = "") -> None:
    """Revoke a token (admin); from then on it is refused."""
    require(actor, "user.save")
    plain(why=why)
    with ctx.writer() as store, store.transaction():
        change = Change(
            actor, "token.revoke", "token", token_id, None, _json({"revoked": True}), why
        )
        if not store.revoke_token(token_id, change):
            raise NotFound(f"no live token '{token_id}'")


def tokens(ctx: Context, actor: Principal) -> tuple[dict[str, Any], ...]:
    """The API tokens, live and revoked, without their secrets (admin)."""
    require(actor, "user.save")
    with ctx.reader() as store:
        return store.tokens()


def agencies(ctx: Context) -> tuple[Agency, ...]:
    with ctx.reader() as store:
        return store.agencies()


def token_principal(ctx: Context, secret: str) -> Principal:
    """Who a token acts as, or NotSignedIn for an unknown or revoked one (or its user's
    account closed)."""
    import hashlib

    with ctx.reader() as store:
        found = store.token(hashlib.sha256(secret.encode()).hexdigest())
    if found is None:
        raise NotSignedIn("unknown or revoked API token")
    return Principal(found["user"], Role(found["role"]), found["agency"])


def session_principal(ctx: Context, user_id: str) -> Principal:
    """Who a signed-in session acts as now: the user's current role and agency (a change an
    admin makes holds from the next request), or NotSignedIn once the account is closed."""
    with ctx.reader() as store:
        row = store.user_row(user_id)
    if row is None or not row["active"]:
        raise NotSignedIn(f"the account '{user_id}' is closed: sign in again")
    return Principal(row["id"], Role(row["role"]), row["agency"])


def audit(
    ctx: Context,
    actor: Principal,
    *,
    entity: str | None = None,
    by: str | None = None,
    operation: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> tuple[AuditRecord, ...]:
    """The audit records, oldest first (admin, coordinator, reviewer), of one kind of entity,
    one actor (its label, as recorded), one operation, and changed within ``since``..``until``
    (whole days, UTC), when given."""
    require(actor, "audit.read")
    with ctx.reader() as store:
        records = store.audit_records(entity=entity, actor=by)
    return tuple(
        r
        for r in records
        if (operation is None or r.operation == operation)
        and (since is None or r.changed_at[:10] >= since.isoformat())
        and (until is None or r.changed_at[:10] <= until.isoformat())
    )
