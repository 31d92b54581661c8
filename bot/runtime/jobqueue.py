"""One way to put work on an Application's job queue: a repeating job under a stable id, and a
run now that callers arriving meanwhile share; and a job queue that stops without cutting a
run short."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram.ext import JobQueue

from bot.runtime.context import AnyApplication


class DrainingJobQueue(JobQueue[Any]):
    """A job queue that, when it stops, starts no new run and waits for every run under way.

    The library's stop waits for the runs under way when it begins; a run that starts while it
    waits (the one-second budget renewal, a wake after a check-in) was then cancelled by
    APScheduler's executor, which logged it as a failed job, and its coroutine went on after the
    event loop closed.
    """

    __slots__ = ()

    async def stop(self, wait: bool = True) -> None:
        """Pause the scheduler, let every run finish, then shut down."""
        if wait and self.scheduler.running:
            self.scheduler.pause()
            pending = self._executor._pending_futures  # the library's own stop reads it too
            while running := [future for future in pending if not future.done()]:
                await asyncio.gather(*running, return_exceptions=True)
        await super().stop(wait)


def repeat(
    application: AnyApplication,
    callback: Any,
    *,
    name: str,
    interval: float,
    first: float,
    **job_kwargs: Any,
) -> bool:
    """Run `callback` every `interval` seconds under the stable id `name` (installed once,
    however often this is called; a run missed meanwhile is not made up twice). False when
    the application has no job queue."""
    queue = application.job_queue
    if queue is None:
        return False
    for job in queue.get_jobs_by_name(name):
        job.schedule_removal()
    queue.run_repeating(
        callback,
        interval=interval,
        first=first,
        name=name,
        job_kwargs={"id": name, "replace_existing": True, "coalesce": True, **job_kwargs},
    )
    return True


def run_soon(application: AnyApplication, callback: Any, *, name: str, **job_kwargs: Any) -> None:
    """Run `callback` now, unless a run under `name` has not started yet: that one will see
    whatever the caller just wrote, so when hundreds of people confirm at once one run serves
    them all."""
    queue = application.job_queue
    if queue is None:
        return
    if any(not job.removed for job in queue.get_jobs_by_name(name)):
        return
    queue.run_once(callback, when=0, name=name, job_kwargs=job_kwargs or None)
