"""The embedded-broker soak test's task and its sender, run in processes of their own.

Each run leaves a file named for its message in SOAK_RUNS_DIR, a second run of the same message a second file: the
test counts them without adding its own writes to the SQLite file the worker's bookkeeping already contends for.
"""

import os
import uuid
from pathlib import Path

from celery import shared_task


@shared_task(name="tests.portal.soak_tasks.record_run")
def record_run(n):
    (Path(os.environ["SOAK_RUNS_DIR"]) / f"{n}.{uuid.uuid4().hex}").touch()


def send(first, last):
    for n in range(first, last):
        record_run.delay(n)


def runs(folder) -> list[int]:
    return [int(path.name.partition(".")[0]) for path in Path(folder).iterdir()]
