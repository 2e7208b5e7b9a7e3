"""carnet graph stats|rebuild."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from carnet.network.graph.runtime import GraphRuntime, set_runtime

pytestmark = pytest.mark.django_db


def test_stats_prints_the_index_size(capsys, alice, bob, carol):
    call_command("graph", "stats", "--no-progress")
    report = json.loads(capsys.readouterr().out)
    assert report["directed_edges"] == 4
    assert report["members"] > carol.pk
    assert report["bytes_per_directed_edge"] > 0


def test_rebuild_asks_this_process_to_rebuild(capsys, alice, bob):
    runtime = GraphRuntime(mode="sync")
    previous = set_runtime(runtime)
    try:
        runtime.engine()
        call_command("graph", "rebuild", "--no-progress")
        assert runtime._must_rebuild()
        assert runtime.engine().degrees(alice.pk, [bob.pk]) == {bob.pk: 1}
        assert not runtime._must_rebuild()
    finally:
        set_runtime(previous)
    assert json.loads(capsys.readouterr().out)["directed_edges"] == 2
