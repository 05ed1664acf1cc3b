"""The embedded broker's channel: a message file no one has finished writing never stops the consumer."""

import logging

import pytest
from kombu import Connection, Exchange, Queue

from portal.broker import CLAIMED, PARTIAL, UNREADABLE

QUEUE = Queue("soak", Exchange("soak"), routing_key="soak")


@pytest.fixture
def broker(tmp_path):
    folders = {"data_folder_in": tmp_path / "queue", "data_folder_out": tmp_path / "queue"}
    for folder in folders.values():
        folder.mkdir(exist_ok=True)
    options = {**{key: str(value) for key, value in folders.items()}, "control_folder": str(tmp_path / "control")}
    with Connection("filesystem://", transport="portal.broker:Transport", transport_options=options) as conn:
        # kombu remembers bindings per process, not per folder: each test's folders start with none.
        conn.transport.state.clear()
        QUEUE(conn.default_channel).declare()
        yield conn, tmp_path / "queue"


def _send(conn, body):
    conn.Producer().publish(body, exchange=QUEUE.exchange, routing_key="soak", serializer="json")


def _receive(conn):
    message = QUEUE(conn.default_channel).get(no_ack=True)
    return message and message.payload


def test_a_message_goes_through_under_its_final_name_and_leaves_nothing_behind(broker):
    conn, folder = broker
    _send(conn, {"n": 1})
    assert [path.name.partition(".")[2] for path in folder.iterdir()] == ["soak.msg"]
    assert _receive(conn) == {"n": 1}
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("content", [b"", b'{"body": "eyJuIjo', b"\xff\xfe"], ids=["empty", "cut short", "not text"])
def test_an_unreadable_message_file_is_set_aside_and_the_next_message_is_delivered(broker, content, caplog):
    conn, folder = broker
    # The file kombu's own writer leaves for an instant: named for the queue, not yet (or never) filled.
    (folder / f"0_broken.{QUEUE.name}.msg").write_bytes(content)
    _send(conn, {"n": 2})
    with caplog.at_level(logging.ERROR, logger="portal.broker"):
        assert _receive(conn) == {"n": 2}
    assert _receive(conn) is None
    assert [path.name for path in folder.iterdir()] == [f"0_broken.{QUEUE.name}.msg{UNREADABLE}"]
    assert (folder / f"0_broken.{QUEUE.name}.msg{UNREADABLE}").read_bytes() == content
    assert "unreadable message file" in caplog.text


def test_files_still_being_written_or_taken_by_another_consumer_are_left_alone(broker):
    conn, folder = broker
    for suffix in (PARTIAL, CLAIMED):
        (folder / f"0_other.{QUEUE.name}.msg.abc{suffix}").write_bytes(b"")
    assert _receive(conn) is None
    assert len(list(folder.iterdir())) == 2


def test_two_queues_bound_to_one_exchange_both_receive_a_fanout(broker, tmp_path):
    conn, _ = broker
    fanout = Exchange("broadcast", type="fanout")
    first, second = Queue("first", fanout), Queue("second", fanout)
    first(conn.default_channel).declare()
    second(conn.default_channel).declare()
    conn.Producer().publish({"n": 3}, exchange=fanout, serializer="json")
    assert first(conn.default_channel).get(no_ack=True).payload == {"n": 3}
    assert second(conn.default_channel).get(no_ack=True).payload == {"n": 3}
    first(conn.default_channel).delete()
    conn.Producer().publish({"n": 4}, exchange=fanout, serializer="json")
    assert second(conn.default_channel).get(no_ack=True).payload == {"n": 4}
    assert not [path for path in (tmp_path / "queue").iterdir() if ".first." in path.name]
