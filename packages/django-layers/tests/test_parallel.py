"""Worker processes: every value comes back in order, and no failure is hidden or left behind."""

import os
import sys

import pytest

from django_layers import parallel

pytestmark = pytest.mark.skipif(not parallel.can_fork(), reason="workers are forked on Linux only")
PARENT = os.getpid()


def no_children_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def labelled(number: int) -> tuple[int, str]:
    return number, "x" * (number % 7)


def test_uneven_shares_come_back_in_order_on_three_workers():
    tasks = [(number,) for number in range(parallel.MINIMUM_TASKS * 3 + 5)]
    assert parallel.run_all(labelled, tasks, workers=3) == [labelled(*task) for task in tasks]
    assert no_children_left()


def test_values_larger_than_a_pipe_holds_come_back_whole():
    def large(number: int) -> str:
        return str(number) * 10_000  # a worker's share is megabytes: it waits for the reader

    tasks = [(number,) for number in range(200)]
    assert parallel.run_all(large, tasks, workers=2) == [large(*task) for task in tasks]


def test_a_worker_that_dies_has_its_share_run_here():
    def dies_in_a_worker(number: int) -> int:
        if os.getpid() != PARENT:
            os._exit(3)
        return number * 2

    tasks = [(number,) for number in range(100)]
    assert parallel.run_all(dies_in_a_worker, tasks, workers=2) == [n * 2 for n in range(100)]
    assert no_children_left()


def test_an_error_raised_by_the_function_is_raised_here():
    def fails_on_eight(number: int) -> int:
        if number == 8:
            raise ValueError("eight")
        return number

    tasks = [(number,) for number in range(100)]
    for workers in (2, 3):  # task 8 is in the parent's share with 2 workers, a worker's with 3
        with pytest.raises(ValueError, match="eight"):
            parallel.run_all(fails_on_eight, tasks, workers=workers)
        assert no_children_left()


def test_a_worker_writes_nothing_to_the_callers_output(capfd):
    def quiet(number: int) -> int:
        return number

    sys.stdout.write("pending ")  # buffered in the parent: a worker must not flush a copy of it
    parallel.run_all(quiet, [(number,) for number in range(100)], workers=2)
    sys.stdout.flush()
    assert capfd.readouterr().out == "pending "
