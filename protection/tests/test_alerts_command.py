"""`passage alerts run [--date YYYY-MM-DD]`."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from conftest import World
from protection.management.commands.alerts import Command
from protection.models import Alert, CaseEvent
from protection.scenarios import Cast, walk_to
from protection.stages import Stage

START = dt.date(2027, 1, 4)


def _in_custody(world: World) -> None:
    cast = Cast(
        detaining=world.user("detaining_a"),
        interviewer=world.user("protection"),
        decider=world.user("protection_2"),
        receiving=world.user("receiving"),
        caseworker=world.user("caseworker_a"),
        supervisor=world.user("supervisor_a"),
    )
    with time_machine.travel(dt.datetime(2027, 1, 10, 12, tzinfo=dt.UTC), tick=False):
        case = walk_to(world.case_a, Stage.IN_CUSTODY, cast, start=START)  # arrival at the camp on 6 January
    CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.CAPTURE_CARD_SENT).delete()  # only offered: owed


@pytest.mark.django_db
def test_the_command_prints_what_it_opened_resolved_and_left_open(world: World) -> None:
    _in_custody(world)
    out = StringIO()
    call_command("alerts", "run", "--date", "2027-01-14", stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert "Checked 2 cases as of 2027-01-14: " in text
    assert " opened, 0 resolved, " in text
    assert "capture_card: Capture card neither sent nor declined in time" in text
    opened = Alert.objects.filter(resolved_at__isnull=True).count()
    assert f"{opened} alerts opened" in text and f"{opened} open." in text

    again = StringIO()
    call_command("alerts", "run", "--date", "2027-01-14", stdout=again, stderr=StringIO())
    assert f"0 alerts opened, 0 resolved, {opened} open." in again.getvalue()


@pytest.mark.django_db
def test_the_command_checks_as_of_today_by_default(world: World) -> None:
    _in_custody(world)
    out = StringIO()
    with time_machine.travel(dt.datetime(2027, 1, 12, 9, tzinfo=dt.UTC), tick=False):
        call_command("alerts", "run", stdout=out, stderr=StringIO())
    assert "as of 2027-01-12" in out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("date", ["2027-02-30", "tomorrow", "14/01/2027", "2027-1"])
def test_a_bad_date_is_refused_with_a_clear_message(world: World, date: str) -> None:
    with pytest.raises(CommandError, match=r"--date: .* is not a date; give it as YYYY-MM-DD"):
        call_command("alerts", "run", "--date", date, stdout=StringIO())
    assert not Alert.objects.exists()


@pytest.mark.django_db
def test_a_bad_date_exits_non_zero(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        Command().run_from_argv(["passage", "alerts", "run", "--date", "soon"])
    assert exit_info.value.code != 0
    assert "--date: 'soon' is not a date" in capsys.readouterr().err


def test_the_command_needs_an_action(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        Command().run_from_argv(["passage", "alerts"])
    assert exit_info.value.code != 0
    assert "run" in capsys.readouterr().err
