"""The command line's progress bar: drawn on a terminal, silent in a pipe (logs and tests see only results)."""
import io

from loaders import progress


def test_no_bar_when_not_on_a_terminal(capsys):
    with progress.bar(10, "storing") as tick:
        for i in range(1, 11):
            tick(i, 10)
    assert capsys.readouterr() == ("", "")


def test_a_bar_on_a_terminal(monkeypatch):
    from rich.console import Console
    screen = io.StringIO()
    monkeypatch.setattr("rich.console.Console", lambda **kw: Console(file=screen, force_terminal=True, width=80))
    with progress.bar(4, "storing news.csv", enabled=True) as tick:
        for i in range(1, 5):
            tick(i, 4)
    assert "storing news.csv" in screen.getvalue() and "4/4" in screen.getvalue()


def test_stage_lines_round_trip_and_are_thinned(monkeypatch):
    """`--progress lines`: one line per step a program can parse back, at most one per LINE_EVERY seconds of a
    stage, but the first and the last of every stage always."""
    clock = iter([0.0, 0.05, 0.1, 0.3, 0.31, 0.32, 0.33])
    monkeypatch.setattr(progress.time, "monotonic", lambda: next(clock))
    stream = io.StringIO()
    with progress.stages("lines", stream) as tick:
        for done in range(1, 6):
            tick("extract", done, 5)
        tick("write", 0, 1)
        tick("write", 1, 1)
    steps = [progress.parse(line) for line in stream.getvalue().splitlines()]
    assert steps == [("extract", 1, 5), ("extract", 4, 5), ("extract", 5, 5), ("write", 0, 1), ("write", 1, 1)]
    assert progress.parse("processed 5 document(s)") is None and progress.parse("@progress extract x 5") is None


def test_a_bar_per_stage_on_a_terminal(monkeypatch):
    from rich.console import Console
    screen = io.StringIO()
    monkeypatch.setattr("rich.console.Console", lambda **kw: Console(file=screen, force_terminal=True, width=100))
    with progress.stages("bar") as tick:
        tick("extract", 3, 3)
        tick("write", 1, 1)
    assert "extracting" in screen.getvalue() and "writing tables" in screen.getvalue()
    assert "3/3" in screen.getvalue()


def test_no_stage_output_off_a_terminal(capsys):
    with progress.stages("auto") as tick:
        tick("extract", 1, 2)
    assert capsys.readouterr() == ("", "")
