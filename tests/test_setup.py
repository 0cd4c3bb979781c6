"""The two set-up refusals of `make`: an old Python, and browser packages it cannot install. Each is one line
saying what to install, never a failed apt-get or venv half way."""
import re
import shutil
import subprocess

from conftest import ROOT


def test_make_refuses_a_python_older_than_3_11_in_one_line(tmp_path):
    old = tmp_path / "python3.9"
    old.write_text("#!/bin/sh\nexec python3 -c 'import sys; sys.exit(1)'\n")      # answers as a 3.9 would
    old.chmod(0o755)
    out = subprocess.run(["make", "-s", "setup", f"PY={old}", f"VENV={tmp_path / 'venv'}"], cwd=ROOT,
                         capture_output=True, text=True)
    assert out.returncode != 0 and not (tmp_path / "venv").exists()
    # make's own "make: *** … Error 1" (make[1]: when make test runs this) is not ours
    lines = [line for line in out.stderr.splitlines() if not re.match(r"make(\[\d+\])?: ", line)]
    assert len(lines) == 1 and "Python 3.11 or newer is needed" in lines[0], out.stderr


def _deps(tmp_path, **env):
    bin_ = tmp_path / "bin"           # a PATH with the shell tools but no chromium and no fc-list
    bin_.mkdir(exist_ok=True)
    for tool in ("sh", "grep", "id"):
        (bin_ / tool).symlink_to(shutil.which(tool))
    return subprocess.run(["sh", str(ROOT / ".ci" / "test-deps.sh")], capture_output=True, text=True,
                          env={"PATH": str(bin_), **env})


def test_browser_packages_without_root_say_what_to_install(tmp_path):
    apt = tmp_path / "bin" / "apt-get"
    (tmp_path / "bin").mkdir()
    apt.write_text("#!/bin/sh\necho called >> " + str(tmp_path / "called") + "\n")
    apt.chmod(0o755)
    out = _deps(tmp_path, ID_U="1000")
    assert out.returncode == 1 and not (tmp_path / "called").exists()
    assert out.stderr.count("\n") == 1 and "sudo apt-get install chromium fonts-noto-cjk" in out.stderr


def test_browser_packages_without_apt_say_what_to_install(tmp_path):
    out = _deps(tmp_path, ID_U="0")
    assert out.returncode == 1
    assert out.stderr.count("\n") == 1 and "no apt-get" in out.stderr and "fonts-noto-cjk" in out.stderr


def test_as_root_on_debian_it_installs_them(tmp_path):
    apt = tmp_path / "bin" / "apt-get"
    (tmp_path / "bin").mkdir()
    apt.write_text("#!/bin/sh\necho \"$@\" >> " + str(tmp_path / "called") + "\n")
    apt.chmod(0o755)
    out = _deps(tmp_path, ID_U="0")
    assert out.returncode == 0, out.stderr
    assert "install -y -qq chromium fonts-noto-cjk" in (tmp_path / "called").read_text()
