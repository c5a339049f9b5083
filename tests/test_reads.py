"""What a lint read (analysis/reads.py): recorded while it runs, and noted again when a fact
memoised for the process is reused by a later lint."""
from __future__ import annotations

from flake8_async_patterns.analysis.reads import note_file, note_name, note_project, recording, remember


def test_a_reused_fact_notes_what_computing_it_read():
    cache: dict = {}
    computed = []

    def compute():
        computed.append(1)
        note_file("/p/client.py")
        note_name("/p", "fetch", True)
        return 42

    with recording() as first:
        assert remember(cache, "k", compute) == 42
    with recording() as second:
        assert remember(cache, "k", compute) == 42
    assert computed == [1]
    for reads in (first, second):
        assert reads.files == {"/p/client.py"} and reads.names == {"/p": {"fetch": True}}


def test_nested_facts_note_into_every_open_recording():
    cache: dict = {}

    def inner():
        note_project("/p")
        return "inner"

    def outer():
        note_file("/p/a.py")
        return remember(cache, "inner", inner) + "+outer"

    with recording() as lint:
        assert remember(cache, "outer", outer) == "inner+outer"
    assert lint.files == {"/p/a.py"} and lint.projects == {"/p"}
    with recording() as later:
        remember(cache, "inner", inner)
    assert later.projects == {"/p"} and not later.files


def test_a_cycle_gets_the_in_progress_answer_and_nothing_is_recorded_outside_a_lint():
    cache: dict = {}

    def cyclic():
        return remember(cache, "k", cyclic, in_progress=None) is None

    assert remember(cache, "k", cyclic) is True
    note_file("/nowhere.py")  # no recording open: nothing to do, no error
    with recording() as reads:
        pass
    assert not reads


def test_a_failing_computation_is_not_remembered():
    cache: dict = {}

    def failing():
        raise KeyError("x")

    try:
        remember(cache, "k", failing)
    except KeyError:
        pass
    assert "k" not in cache
