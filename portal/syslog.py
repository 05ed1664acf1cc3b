"""Forwarding the security audit log to the hospital's log platform as RFC 5424 syslog (off by default).

Python's SysLogHandler sends ``<PRI>`` followed by whatever its formatter gives; this formatter gives the rest of
an RFC 5424 message, ``1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID - MSG``. Loaded by the logging configuration
before Django's apps, so it imports nothing of the portal.
"""

import logging
import logging.handlers
import os
import socket
from datetime import UTC, datetime

APP_NAME = "it-portal"
BOM = "\ufeff"  # RFC 5424 6.4: a UTF-8 MSG starts with the byte order mark


def _token(value, limit):
    """A header field: printable US-ASCII without spaces, at most ``limit`` characters, ``-`` when empty."""
    text = "".join(char for char in str(value or "") if 33 <= ord(char) <= 126)[:limit]
    return text or "-"


class Rfc5424Formatter(logging.Formatter):
    """``1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID - MSG``; MSGID is the record's ``msgid`` (the event kind)."""

    def __init__(self, *args, app_name=APP_NAME, **kwargs):
        super().__init__(*args, **kwargs)
        self.app_name = app_name
        self.hostname = _token(socket.gethostname(), 255)

    def format(self, record):
        timestamp = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="microseconds")
        header = " ".join(
            (
                "1",
                timestamp.replace("+00:00", "Z"),
                self.hostname,
                _token(self.app_name, 48),
                _token(os.getpid(), 128),
                _token(getattr(record, "msgid", ""), 32),
                "-",
            )
        )
        return f"{header} {BOM}{record.getMessage()}"


class SyslogHandler(logging.handlers.SysLogHandler):
    """SysLogHandler without the NUL it appends by default: RFC 5424 over UDP (RFC 5426) frames one message a datagram."""

    append_nul = False


def handler_config(address: str, facility: str) -> dict:
    """The logging handler for ``AUDIT_SYSLOG_ADDRESS`` (``host:port``, or a socket path such as ``/dev/log``)."""
    if address.startswith("/"):
        target = address
    else:
        host, separator, port = address.rpartition(":")
        if not separator:
            host, port = address, "514"
        target = (host.strip("[]") or "localhost", int(port or 514))
    return {
        "()": "portal.syslog.SyslogHandler",
        "address": target,
        "facility": facility,
        "formatter": "rfc5424",
    }
