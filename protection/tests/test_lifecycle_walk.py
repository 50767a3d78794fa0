"""A case walked from capture to settlement through the lifecycle service, guards and all."""

from __future__ import annotations

import pytest

from conftest import World
from protection.models import CaseEvent, StageChange, Transfer
from protection.scenarios import Cast, walk_to
from protection.selectors import case_facts
from protection.services import RoleRefused, case_transition
from protection.stages import Stage
from registry.models import Case


def cast_of(world: World) -> Cast:
    return Cast(
        detaining=world.user("detaining_a"),
        interviewer=world.user("protection"),
        decider=world.user("protection_2"),
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


@pytest.mark.django_db
def test_a_withdrawal_cancels_the_transfer_and_the_request_and_acceptance_stop_counting(world: World) -> None:
    case = walk_to(world.case_a, Stage.TRANSFER_SCHEDULED, cast_of(world))
    assert case_facts(case).transfer is not None and case_facts(case).acceptance is not None
    case = case_transition(actor=world.user("protection"), case=case, to=Stage.IN_CUSTODY, note="")
    assert not Transfer.objects.filter(case=case, status=Transfer.Status.SCHEDULED).exists()
    after = case_facts(case)
    assert (after.transfer, after.acceptance, after.protection_request) == (None, None, None)
    assert after.interviews == () and not after.wish_established


@pytest.mark.django_db
def test_the_detaining_power_may_neither_decide_nor_withdraw_the_wish(world: World) -> None:
    case = walk_to(world.case_a, Stage.WISH_VERIFYING, cast_of(world))
    for stage in (Stage.WISH_ESTABLISHED, Stage.IN_CUSTODY):
        with pytest.raises(RoleRefused):
            case_transition(actor=world.user("supervisor_a"), case=case, to=stage, note="Decided.")
    assert Case.objects.get(pk=case.pk).stage == Stage.WISH_VERIFYING
