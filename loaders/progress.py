"""Progress on the command line (rich): a bar on a terminal, nothing when output goes to a file or a pipe, so
logs and tests see only the result lines.

    with bar(total, "storing news.csv") as tick:
        for i, item in enumerate(items, 1):
            ...
            tick(i, total)
"""
from __future__ import annotations

import contextlib
import sys


@contextlib.contextmanager
def bar(total: int, description: str, enabled: bool | None = None):
    """Yields `tick(done, total)`; draws on stderr only when it is a terminal and there is more than one step."""
    enabled = sys.stderr.isatty() if enabled is None else enabled
    if not enabled or total < 2:
        yield lambda done, total: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True)) as progress:
        task = progress.add_task(description, total=total)
        yield lambda done, total: progress.update(task, completed=done, total=total)
