"""What error reports and log lines may carry: never a person's free text, BSN or name.

Two places where such text could slip out are closed here (see docs/security.md):

- The error report of a failing request (the e-mail to ADMINS, Django's debug page): Django shows
  the POST parameters and every frame's local variables, and hides only those a view declares
  with sensitive_post_parameters/sensitive_variables, and only when DEBUG is off. Our filter
  (settings.DEFAULT_EXCEPTION_REPORTER_FILTER) shows the names of the POST parameters, cookies
  and local variables, never their values, always. Method, path and user stay: enough to find
  the request.
- The message of a database error: PostgreSQL quotes the values of the refused row in it ("Key
  (bsn)=(…) already exists.", "Failing row contains (…, <the notes>)", "invalid input syntax for
  type integer: "<the value>""). The logging filter cuts the message down to what names no value
  before any handler formats or mails it (settings.LOGGING, on every handler).
"""

import logging
from collections.abc import ItemsView, Iterator
from types import FrameType

import psycopg
from django.db import Error as DjangoDatabaseError
from django.http import HttpRequest
from django.views.debug import SafeExceptionReporterFilter

REMOVED = "[removed: may hold personal data]"


class PersonalDataExceptionReporterFilter(SafeExceptionReporterFilter):
    """Django's filter, but active also when DEBUG is on, and for every POST parameter, cookie and
    local variable instead of only the ones a view declares sensitive."""

    cleansed_substitute = REMOVED

    def is_active(self, request: HttpRequest | None) -> bool:
        return True

    def get_post_parameters(self, request: HttpRequest | None) -> dict[str, str]:
        if request is None:
            return {}
        return dict.fromkeys(request.POST, REMOVED)

    def get_safe_cookies(self, request: HttpRequest | None) -> dict[str, str]:
        # The session id and CSRF token, and the messages shown after a redirect, which may name
        # a client ("Client … has been registered.") when they are kept in a cookie.
        return dict.fromkeys(getattr(request, "COOKIES", {}), REMOVED)

    def get_traceback_frame_variables(
        self, request: HttpRequest | None, tb_frame: FrameType
    ) -> ItemsView[str, str]:
        return dict.fromkeys(tb_frame.f_locals, REMOVED).items()


def _chain(error: BaseException) -> Iterator[BaseException]:
    """The error and the ones it was raised from or during, each once."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _message_without_values(error: psycopg.Error) -> str:
    """PostgreSQL's primary message with its SQLSTATE, without DETAIL, HINT, CONTEXT or the
    statement. Data exceptions (class 22) quote the refused value in the primary message itself:
    of those only the code is kept."""
    sqlstate = error.sqlstate or "?????"
    if sqlstate.startswith("22"):
        return f"invalid value (SQLSTATE {sqlstate})"
    return f"{error.diag.message_primary} (SQLSTATE {sqlstate})"


def redact_database_errors(error: BaseException) -> list[tuple[str, str]]:
    """Replace the messages of the database errors in this error's chain (psycopg's, and
    Django's wrapper raised from it) by ones that quote no value. Returns the (old, new) texts,
    str and repr, of each message that changed, for log messages that quote the error."""
    replacements: list[tuple[str, str]] = []
    for link in _chain(error):
        source = link if isinstance(link, psycopg.Error) else None
        if source is None and isinstance(link, DjangoDatabaseError):
            cause = link.__cause__
            source = cause if isinstance(cause, psycopg.Error) else None
        if source is None or source.pgresult is None:
            continue  # not from a query: a connection error names no person
        safe = _message_without_values(source)
        old_str, old_repr = str(link), repr(link)
        if old_str == safe:
            continue
        link.args = (safe,)
        replacements += [(old_repr, repr(link)), (old_str, safe)]
    return replacements


class DatabaseErrorValuesFilter(logging.Filter):
    """A logging filter for every handler: a record that carries a database error gets the error's
    message without values (redact_database_errors), in its traceback, in its own message
    (Celery's "Task … raised unexpected: IntegrityError(…)", for instance) and in its extra
    fields."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if error is None:
            return True
        replacements = redact_database_errors(error)
        if replacements:
            record.msg, record.args = record.getMessage(), None
            # The message and the extra fields (Celery's `data`: the error, its traceback).
            for name, value in list(vars(record).items()):
                setattr(record, name, _replaced(value, replacements))
            record.exc_text = None  # a handler before this one may have cached the traceback
        return True


def _replaced(value: object, replacements: list[tuple[str, str]]) -> object:
    if isinstance(value, str):
        for old, new in replacements:
            value = value.replace(old, new)
        return value
    if isinstance(value, dict):
        return {key: _replaced(item, replacements) for key, item in value.items()}
    return value
