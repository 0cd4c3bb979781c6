"""Progress on the command line (rich): a bar on a terminal, nothing when output goes to a file or a pipe, so
logs and tests see only the result lines; or, for a program that runs the build (the import page), one
machine-readable line per step on stderr.

    with bar(total, "storing news.csv") as tick:
        for i, item in enumerate(items, 1):
            ...
            tick(i, total)

    with stages("bar") as tick:             # the build: one bar per stage
        tick("extract", done, total)        # stage names: STAGES

A stage line reads `@progress extract 120 20000`; `parse(line)` gives ("extract", 120, 20000) back.
"""
from __future__ import annotations

import contextlib
import sys
import time

# the build's stages, in order, with what a bar says of each
STAGES = {"read": "reading articles", "extract": "extracting", "resolve": "resolving figures",
          "write": "writing tables"}
MODES = ("auto", "bar", "lines", "none")
LINE_PREFIX = "@progress"
WARNING_PREFIX = "@warning"   # a line the store set aside, for the program that follows the build
LINE_EVERY = 0.2            # seconds between two lines of one stage (the first and the last are always written)


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


@contextlib.contextmanager
def stages(mode: str = "auto", stream=None):
    """Yields `tick(stage, done, total)` for a run of several stages. mode `bar`: a rich bar per stage on stderr
    (`auto`: when stderr is a terminal); `lines`: one `@progress STAGE DONE TOTAL` line per step on `stream`
    (default stderr), at most one each LINE_EVERY seconds per stage; `none`: nothing."""
    if mode == "auto":
        mode = "bar" if sys.stderr.isatty() else "none"
    if mode == "lines":
        yield _line_writer(stream or sys.stderr)
    elif mode == "bar":
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
        columns = (TextColumn("{task.description:<18}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        with Progress(*columns, console=Console(stderr=True)) as progress:
            tasks: dict[str, int] = {}

            def tick(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = progress.add_task(STAGES.get(stage, stage), total=total)
                progress.update(tasks[stage], completed=done, total=total)
            yield tick
    else:
        yield lambda stage, done, total: None


def _line_writer(stream):
    last: dict[str, float] = {}

    def tick(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage in last and done < total and now - last[stage] < LINE_EVERY:
            return
        last[stage] = now
        print(f"{LINE_PREFIX} {stage} {done} {total}", file=stream, flush=True)
    return tick


def parse(line: str) -> tuple[str, int, int] | None:
    """(stage, done, total) of a stage line, None for any other line."""
    parts = line.split()
    if len(parts) != 4 or parts[0] != LINE_PREFIX or not parts[2].isdigit() or not parts[3].isdigit():
        return None
    return parts[1], int(parts[2]), int(parts[3])
