"""The embedded broker: kombu's filesystem:// transport, with files that no reader ever sees half written.

kombu's own Channel creates a message file under its final name and fills it afterwards; a worker that listed the
folder in between decoded an empty file and stopped for good ("Unrecoverable error: JSONDecodeError"). Here every
file is written under a name no queue lists and renamed into place (``os.replace`` is atomic on one filesystem); a
reader claims a message by renaming it, so two consumers never take the same one; a file that still cannot be
decoded (written by something else, or cut short by a power failure) is set aside and logged, and the worker goes on.
The folders, file names and options are kombu's, so ``var/broker/`` keeps its layout.
"""

import logging
import os
import shutil
import uuid
from collections import deque
from contextlib import contextmanager
from queue import Empty
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem, virtual
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads

logger = logging.getLogger(__name__)

# Suffixes that take a file out of its queue's listing, which matches names ending in ".<queue>.msg" only.
PARTIAL = ".partial"
CLAIMED = ".claimed"
UNREADABLE = ".unreadable"


def write_atomically(path, data: bytes):
    """Readers see either no file at ``path`` or all of ``data``."""
    partial = f"{path}.{uuid.uuid4().hex}{PARTIAL}"
    try:
        with open(partial, "wb") as f:
            f.write(data)
        os.replace(partial, path)
    except OSError as exc:
        raise ChannelError(f"Cannot write {path!r}") from exc


class Channel(filesystem.Channel):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pending = {}  # queue name -> names of its message files from the last listing, oldest first

    def _put(self, queue, payload, **kwargs):
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        write_atomically(os.path.join(self.data_folder_out, name), str_to_bytes(dumps(payload)))

    def _get(self, queue):
        # One listing serves many reads: a folder of thousands of messages is not listed and sorted for each one.
        pending = self._pending.setdefault(queue, deque())
        if not pending:
            suffix = f"{queue}.msg"
            pending.extend(name for name in sorted(os.listdir(self.data_folder_in)) if name.partition(".")[2] == suffix)
        while pending:
            name = pending.popleft()
            path = os.path.join(self.data_folder_in, name)
            claimed = path + CLAIMED
            try:
                os.rename(path, claimed)
            except OSError:
                continue  # another consumer took it first
            try:
                with open(claimed, "rb") as f:
                    data = f.read()
            except OSError as exc:
                raise ChannelError(f"Cannot read file {claimed!r} from queue.") from exc
            try:
                payload = loads(bytes_to_str(data))
            except ValueError:
                os.replace(claimed, path + UNREADABLE)
                logger.error("Set aside an unreadable message file (%d bytes): %s", len(data), path + UNREADABLE)
                continue
            if self.store_processed:
                shutil.move(claimed, os.path.join(self.processed_folder, name))
            else:
                os.remove(claimed)
            return payload
        raise Empty()

    @contextmanager
    def _table_lock(self, file):
        """Serialise changes to an exchange's table; readers need no lock, as each change replaces the file whole."""
        with open(f"{file}.lock", "a") as f:
            filesystem.lock(f, filesystem.LOCK_EX)
            try:
                yield
            finally:
                filesystem.unlock(f)

    def _queue_bind(self, exchange, routing_key, pattern, queue):
        file = self._exchange_file(exchange)
        self.control_folder.mkdir(exist_ok=True)
        binding = filesystem.exchange_queue_t(routing_key or "", pattern or "", queue or "")
        with self._table_lock(file):
            table = self.get_table(exchange)
            if binding not in table:
                write_atomically(file, str_to_bytes(dumps([binding, *table])))

    def _delete(self, queue, exchange, routing_key, pattern, *args, **kwargs):
        # The virtual channel's bookkeeping, without kombu's in-place rewrite of the table file.
        virtual.Channel._delete(self, queue, exchange, routing_key, pattern, *args, **kwargs)
        file = self._exchange_file(exchange)
        binding = filesystem.exchange_queue_t(routing_key or "", pattern or "", queue or "")
        with self._table_lock(file):
            table = self.get_table(exchange)
            if binding in table:
                table.remove(binding)
                write_atomically(file, str_to_bytes(dumps(table)))


class Transport(filesystem.Transport):
    Channel = Channel
