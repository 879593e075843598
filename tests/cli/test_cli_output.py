"""Where the command line's output goes (found in a command-line audit): a pipe
closed early, terminal tables too wide to fit, and output files that are not
new regular files (a symbolic link, a FIFO, standard output), which an atomic
rename would have replaced."""

from __future__ import annotations

import errno
import io
import json
import os
import stat
import subprocess
import sys
import threading

import pytest

from pacdistill._cli import _output
from pacdistill.cli import main


def test_a_pipe_closed_early_ends_quietly_with_141():
    """`pacdistill classes | head -0`: the reader is gone before anything is
    written. Python ignores SIGPIPE, so the write raised BrokenPipeError and
    printed a traceback (or 'Exception ignored' at exit)."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # every write into the pipe now fails with EPIPE
    try:
        proc = subprocess.run([sys.executable, "-m", "pacdistill", "classes"],
                              stdout=write_end, stderr=subprocess.PIPE, text=True,
                              timeout=120)
    finally:
        os.close(write_end)
    assert proc.stderr == ""
    assert proc.returncode == 141


@pytest.fixture
def terminal(monkeypatch):
    """emit_table as on an 80-column terminal."""
    monkeypatch.setattr(_output, "is_terminal", lambda: True)
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.delenv("NO_COLOR", raising=False)


def test_terminal_table_too_wide_is_printed_whole(terminal, capsys):
    """rich cut 'junta_to_tree' to 'junta…' in an 80-column terminal
    (`pacdistill check junta_to_tree`); a table that does not fit is now
    printed as plain columns, every cell whole."""
    columns = ["reduction", "kind", "status", "trials", "failures", "p-value", "samples",
               "queries", "seconds"]
    row = ["learn_junta[decision_tree]", "perfect", "passed", "40", "0", "1",
           "142 <= 142", "0 <= 0", "2.68"]
    _output.emit_table(columns, [row], title="Guarantee conformance")
    out = capsys.readouterr().out
    assert "…" not in out
    assert all(cell in out for cell in row + columns)


def test_terminal_table_that_fits_is_a_rich_table(terminal, capsys):
    _output.emit_table(["stage", "seconds"], [["probing", "0.09"]], title="Time")
    out = capsys.readouterr().out
    assert "┃" in out and "probing" in out and "0.09" in out


def test_export_format_follows_the_suffix(tmp_path, capsys):
    """`export -o web.dot` wrote JSON into web.dot (--format defaulted to json)."""
    for name, head in (("web.dot", "digraph"), ("web.gv", "digraph"),
                       ("web.graphml", "<?xml"), ("web.json", "{"), ("web.txt", "{")):
        assert main(["export", "-o", str(tmp_path / name)]) == 0
        assert (tmp_path / name).read_text().lstrip().startswith(head), name
    assert main(["export", "--format", "dot", "-o", str(tmp_path / "forced.json")]) == 0
    assert (tmp_path / "forced.json").read_text().startswith("digraph")
    capsys.readouterr()


def test_export_to_standard_output(capsys):
    assert main(["export", "-o", "-"]) == 0
    out, err = capsys.readouterr()
    assert len(json.loads(out)["edges"]) > 50  # the web itself, nothing else on stdout
    assert err.startswith("wrote standard output (json)")


def test_export_through_a_symbolic_link_keeps_the_link(tmp_path, capsys):
    real, link = tmp_path / "real.dot", tmp_path / "link.dot"
    real.write_text("old")
    link.symlink_to(real)
    assert main(["export", "-o", str(link)]) == 0
    assert link.is_symlink() and real.read_text().startswith("digraph")
    assert f"wrote {link} (dot)" in capsys.readouterr().out


def test_export_streams_into_a_fifo_instead_of_replacing_it(tmp_path, capsys):
    """The atomic rename put a regular file where the special file was (as root
    it replaced /dev/full, a device); a FIFO stands in for such files here."""
    fifo = tmp_path / "web.pipe"
    os.mkfifo(fifo)
    got = []

    def reader():  # blocks in open() until the export opens the FIFO for writing
        with open(fifo, "rb") as handle:
            got.append(handle.read())

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    code = main(["export", "--format", "dot", "-o", str(fifo)])
    thread.join(timeout=30)  # (a FIFO replaced by a file is never opened: the join times out)
    assert code == 0
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced by a regular file"
    assert got and got[0].startswith(b"digraph pacdistill")
    out, err = capsys.readouterr()
    assert out == "" and err.startswith(f"wrote {fifo} (dot)")


def test_export_to_a_directory_names_it(tmp_path, capsys):
    assert main(["export", "-o", str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err


def test_plot_through_a_symbolic_link_keeps_the_link(tmp_path, capsys):
    """--plot goes through the same writer as export (distill tree, demo)."""
    import pacdistill as pd
    from pacdistill._cli.distill import save_frontier_plot

    tree = pd.CLASSES["decision_tree"].random(0, d=6, depth=2)
    net = pd.distill.planted_network(tree)
    X = pd.distributions.Uniform(6).sample(400, rng=0)
    frontier = pd.distill_tree(net, X, depth=2, rng=0).frontier
    real, link = tmp_path / "real.png", tmp_path / "link.png"
    real.write_bytes(b"old")
    link.symlink_to(real)
    save_frontier_plot(frontier, str(link))
    assert link.is_symlink() and real.read_bytes().startswith(b"\x89PNG")


def test_every_commands_json_is_standard_json(capsys):
    """emit_json, which every --json goes through, writes NaN and infinities as null
    (json.dumps wrote NaN/Infinity, which is not JSON: jq and JSON.parse reject it;
    only distill tree converted them before) and numpy scalars as numbers."""
    import json
    import math

    import numpy as np

    from pacdistill._cli._output import emit_json

    emit_json({"a": [1.5, float("nan"), -math.inf], "b": np.float64(np.inf),
               "c": np.int64(3), "d": (np.float32(0.5), "x")})
    text = capsys.readouterr().out
    assert "NaN" not in text and "Infinity" not in text
    assert json.loads(text) == {"a": [1.5, None, None], "b": None, "c": 3, "d": [0.5, "x"]}


class _FullDisk(io.RawIOBase):
    """A standard output whose every write fails as on /dev/full (until
    ``full`` is set to False, so that closing it at the end succeeds)."""

    full = True

    def writable(self):
        return True

    def write(self, data):
        if self.full:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return len(data)


@pytest.fixture
def full_stdout():
    """The failing stream (installed by the test itself: capsys sets sys.stdout
    again when the test's call starts)."""
    raw = _FullDisk()
    stdout = io.TextIOWrapper(io.BufferedWriter(raw), encoding="utf-8")
    yield stdout
    raw.full = False
    stdout.close()


@pytest.mark.parametrize("argv", [["classes"], ["classes", "--json"], ["export", "-o", "-"]],
                         ids=" ".join)
def test_a_full_disk_on_standard_output_exits_2_with_a_message(argv, full_stdout, capsys,
                                                               monkeypatch):
    """`pacdistill classes > /dev/full` ended with an OSError traceback and exit
    code 1, which means 'refuted' or 'a check failed' to a script; `export -o -`
    failed the same way. Now: one line on stderr, exit 2 (as `ls > /dev/full`)."""
    monkeypatch.setattr(sys, "stdout", full_stdout)
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2
    assert err == ("pacdistill: error: cannot write to standard output: "
                   f"{os.strerror(errno.ENOSPC)}.\n")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_dev_full_from_a_shell():
    """The same through a real process: no 'Exception ignored' at exit either."""
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "pacdistill", "classes"], stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr == ("pacdistill: error: cannot write to standard output: "
                           f"{os.strerror(errno.ENOSPC)}.\n")


def test_a_closed_standard_output_exits_2_with_a_message(monkeypatch, capsys):
    """`pacdistill status junta dnf >&-`: Python has no sys.stdout at all, and
    the first print was an AttributeError traceback ('NoneType' object has no
    attribute 'write')."""
    monkeypatch.setattr(sys, "stdout", None)
    assert main(["classes"]) == 2
    assert "standard output is closed" in capsys.readouterr().err


def test_ctrl_c_while_the_parser_is_built_is_a_short_message(monkeypatch, capsys):
    """Ctrl-C in the first tenth of a second (while build_parser imports the
    commands' modules) was a KeyboardInterrupt traceback: only the command's
    run was inside the handler."""
    from pacdistill import cli

    def interrupted():
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "build_parser", interrupted)
    try:
        code = cli.main(["classes"])
    except KeyboardInterrupt:  # would end the whole test session
        pytest.fail("the KeyboardInterrupt left main()")
    assert code == 130
    assert capsys.readouterr().err == "pacdistill: interrupted\n"


def test_export_to_a_missing_directory_names_the_option(tmp_path, capsys):
    """`export -o /no/such/dir/web.json` said "The 'path' parameter of export
    must be in an existing directory", a name the user never typed."""
    missing = tmp_path / "no" / "web.json"
    assert main(["export", "-o", str(missing)]) == 2
    err = capsys.readouterr().err
    assert (f"The '--output' file {str(missing)!r} cannot be written: its directory "
            f"{str(tmp_path / 'no')!r} does not exist.") in err
    assert main(["export", "-o", ""]) == 2
    assert "The '--output' file must be a path. Got ''." in capsys.readouterr().err


def test_an_unexpected_exception_keeps_its_traceback_but_not_exit_1(monkeypatch, capsys):
    """A bug inside a command (an exception that is no PacDistillError) left
    main() as a traceback with Python's exit code 1, which a script reads as
    'refuted' (bound check) or 'a check failed'. Now the traceback stays (a bug
    report needs it) and the exit code is 70 (EX_SOFTWARE)."""
    from pacdistill import cli
    from pacdistill._cli import classes

    def broken(args):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(classes, "run", broken)
    assert cli.main(["classes"]) == cli.INTERNAL_ERROR == 70
    err = capsys.readouterr().err
    assert "Traceback" in err and "ZeroDivisionError: a bug" in err
    assert "pacdistill: internal error" in err


def test_a_closed_standard_error_keeps_the_exit_codes(monkeypatch):
    """`pacdistill route junta dnf --bogus 2>&-`: writing the usage message to
    the missing sys.stderr raised AttributeError, and Python's exit code 1 reads
    as 'refuted' or 'a check failed'."""
    monkeypatch.setattr(sys, "stderr", None)
    assert main(["route", "junta", "dnf", "--bogus"]) == 2
    assert main(["status", "junta", "perceptron"]) == 2


def test_a_terminal_that_cannot_show_a_character_gets_an_escape():
    """With an ASCII standard output (PYTHONIOENCODING=ascii, a legacy code
    page) the '§' of 'THEORY §8' ended the command with UnicodeEncodeError."""
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    proc = subprocess.run([sys.executable, "-m", "pacdistill", "classes"], env=env,
                          capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    assert b"Model classes (THEORY \\xa78)" in proc.stdout


def test_a_web_query_shows_a_spinner_on_a_terminal_only(monkeypatch, capsys):
    """route, compare, status, separations and edges printed nothing while the
    web was searched (1-10 s under load: it looked like a hang). A transient
    spinner now shows on a terminal; never with --json or into a pipe."""
    import rich.console

    labels = []

    class Recorder:
        def __init__(self, label):
            labels.append(label)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(rich.console.Console, "status",
                        lambda self, label, **kwargs: Recorder(label))
    monkeypatch.setattr(_output, "is_terminal", lambda: True)
    assert main(["status", "relu_network", "junta"]) == 0
    assert main(["route", "junta", "dnf", "--limit", "1"]) == 0
    assert labels == ["deriving the status", "searching the reduction web"]
    assert main(["status", "relu_network", "junta", "--json"]) == 0
    monkeypatch.setattr(_output, "is_terminal", lambda: False)
    assert main(["route", "junta", "dnf", "--limit", "1"]) == 0
    assert labels == ["deriving the status", "searching the reduction web"]
