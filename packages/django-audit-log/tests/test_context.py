import asyncio

import pytest
from asgiref.sync import sync_to_async
from django.db import connections

from django_audit_log import audit_context, current_context, log_event
from django_audit_log.models import AuditLog
from primitives_testkit import run_concurrently


def test_no_context_outside_requests_and_blocks():
    assert current_context() is None


@pytest.mark.django_db
def test_contexts_nest_and_unwind(user, other_user):
    with audit_context(actor=user, request_id="outer", source="cron") as outer:
        assert current_context() is outer
        with audit_context(actor=other_user, step=2) as inner:
            assert inner.resolve_actor() == other_user
            assert inner.request_id == "outer"  # inherited
            assert dict(inner.extra) == {"source": "cron", "step": 2}
        assert current_context() is outer
        assert outer.resolve_actor() == user
    assert current_context() is None


def test_context_is_reset_when_the_block_raises(user):
    with pytest.raises(KeyError), audit_context(actor=user):
        raise KeyError("boom")
    assert current_context() is None


def test_audit_context_works_as_a_decorator():
    @audit_context(actor="cron:nightly", is_system=True)
    def job():
        return current_context()

    seen = job()
    assert seen.actor == "cron:nightly"
    assert seen.is_system is True
    assert current_context() is None


def test_each_thread_sees_its_own_context():
    def worker(index):
        with audit_context(actor=f"worker-{index}", request_id=f"req-{index}"):
            return current_context().actor, current_context().request_id

    run = run_concurrently(worker, threads=8)
    assert run.errors == []
    assert run.results == [(f"worker-{i}", f"req-{i}") for i in range(8)]


def test_threads_do_not_inherit_the_callers_context():
    with audit_context(actor="main"):
        run = run_concurrently(lambda i: current_context(), threads=4)
    assert run.results == [None] * 4


def test_concurrent_tasks_keep_their_own_context():
    async def task(index):
        with audit_context(actor=f"task-{index}"):
            await asyncio.sleep(0.01 * (5 - index))  # interleave the tasks
            return current_context().actor

    async def main():
        return await asyncio.gather(*(task(i) for i in range(5)))

    assert asyncio.run(main()) == [f"task-{i}" for i in range(5)]


@pytest.mark.django_db(transaction=True)
def test_context_crosses_sync_to_async_into_the_written_entry():
    async def main():
        with audit_context(actor="async-job", request_id="a-1"):
            entry = await sync_to_async(log_event)("async.done")
        await sync_to_async(connections.close_all)()  # the worker thread's connection
        return entry

    entry = asyncio.run(main())
    fresh = AuditLog.objects.get(pk=entry.pk)
    assert fresh.actor_display == "async-job"
    assert fresh.request_id == "a-1"
