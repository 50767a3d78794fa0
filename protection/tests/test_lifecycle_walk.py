"""A case walked from capture to settlement through the lifecycle service, guards and all."""

from __future__ import annotations

import pytest

from conftest import World
from protection.models import CaseEvent, StageChange
from protection.scenarios import Cast, walk_to
from protection.stages import Stage


def cast_of(world: World) -> Cast:
    return Cast(
        detaining=world.user("detaining_a"),
        interviewer=world.user("protection"),
        decider=world.user("supervisor_a"),
        receiving=world.user("receiving"),
        caseworker=world.user("caseworker_a"),
        supervisor=world.user("supervisor_a"),
        receiving_team=world.team_receiving,
    )


@pytest.mark.django_db
def test_a_case_walks_from_capture_to_settled(world: World) -> None:
    case = walk_to(world.case_a, Stage.SETTLED, cast_of(world))
    assert case.stage == Stage.SETTLED
    stages = list(StageChange.objects.filter(case=case).values_list("to_stage", flat=True))
    assert stages[0] == Stage.CAPTURED and stages[-1] == Stage.SETTLED
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.TRANSFER).exists()
