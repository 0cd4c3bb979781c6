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
