"""Column work shared between the calling thread and the pool."""

from __future__ import annotations

import threading
import time

import pytest

from directcall_nb.phones._threads import map_in_threads, workers


def test_results_come_back_in_the_order_of_the_items() -> None:
    def slow_for_small(item: int) -> int:
        time.sleep(0.001 * (20 - item % 20))  # early items finish last
        return item * item

    items = list(range(60))
    assert map_in_threads(slow_for_small, items) == [item * item for item in items]


def test_the_calling_thread_works_beside_the_pool() -> None:
    def whose(_: int) -> int:
        time.sleep(0.01)
        return threading.get_ident()

    threads = set(map_in_threads(whose, list(range(40))))
    assert threading.get_ident() in threads
    assert len(threads) == min(workers(), 40)


def test_an_item_that_fails_raises_its_error_once_the_others_stop() -> None:
    done: list[int] = []

    def fail_on_seven(item: int) -> int:
        if item == 7:
            raise KeyError("seven")
        time.sleep(0.001)
        done.append(item)
        return item

    with pytest.raises(KeyError, match="seven"):
        map_in_threads(fail_on_seven, list(range(200)))
    settled = len(done)
    time.sleep(0.05)
    assert len(done) == settled  # no thread goes on working after the call
    assert settled < 199  # the items after the failure are not all run
    assert map_in_threads(lambda item: item + 1, [1, 2, 3]) == [2, 3, 4]  # the pool still works


def test_no_items_and_one_item() -> None:
    assert map_in_threads(lambda item: item, []) == []
    assert map_in_threads(lambda item: -item, [5]) == [-5]


@pytest.mark.timeout(30, method="thread")
def test_an_item_may_itself_share_its_work() -> None:
    def inner_sum(item: int) -> int:
        return sum(map_in_threads(lambda part: part * item, [1, 2, 3]))

    assert map_in_threads(inner_sum, list(range(8))) == [6 * item for item in range(8)]
