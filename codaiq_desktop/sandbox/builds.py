"""The build lifecycle: ``queued`` → ``building`` (progress and step) → ``ready`` or ``failed``.

Each website gets one task on the sandbox's loop. Status lives in the website's metadata,
where clients poll it. The generator runs in a worker thread so a build never stalls
other requests. Builds interrupted by a restart start again from the beginning.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable

from codaiq_desktop.sandbox.site_files import SiteFiles
from codaiq_desktop.sandbox.site_generator import GeneratedSite, GenerationError, SiteDetails, generate_site

log = logging.getLogger(__name__)

QUEUED, BUILDING, READY, FAILED = "queued", "building", "ready", "failed"
QUEUED_SHARE = 0.15
"""Part of the build time spent waiting in the queue."""

BUILD_STEPS: tuple[tuple[int, str], ...] = (
    (8, "Reading the brief"),
    (22, "Choosing a layout"),
    (40, "Writing the copy"),
    (60, "Composing pages"),
    (78, "Styling"),
    (92, "Optimising assets"),
)
GENERATE_AT_STEP = 3  # "Composing pages" is where the site is actually generated


StatusUpdate = Callable[[str, dict[str, object]], None]
"""``(website_id, metadata changes)``; the sandbox merges them into the website."""
Finished = Callable[[str, GeneratedSite | None, str | None], None]
"""``(website_id, site or None, error or None)``, once per build."""
DetailsOf = Callable[[str], SiteDetails]
"""The website's current name and search metadata (a PATCH may land while it builds)."""


class BuildRunner:
    """Runs builds, one task per website; reports status changes and the outcome through callbacks."""

    def __init__(
        self,
        sites: SiteFiles,
        build_seconds: float,
        on_status: StatusUpdate,
        on_finished: Finished,
        details_of: DetailsOf | None = None,
    ) -> None:
        self._sites = sites
        self._details_of = details_of
        self._build_seconds = build_seconds
        self._on_status = on_status
        self._on_finished = on_finished
        self._tasks: dict[str, asyncio.Task[None]] = {}

    def start(self, website_id: str, prompt: str, name: str | None) -> None:
        """Queue a build of ``website_id`` (replacing one already running)."""
        previous = self._tasks.pop(website_id, None)
        if previous is not None:
            previous.cancel()
        self._on_status(website_id, {"buildStatus": QUEUED, "buildProgress": 0, "buildStep": "Waiting for a builder"})
        task = asyncio.get_running_loop().create_task(self._build(website_id, prompt, name))
        self._tasks[website_id] = task
        task.add_done_callback(functools.partial(self._forget, website_id))

    def _forget(self, website_id: str, task: asyncio.Task[None]) -> None:
        if self._tasks.get(website_id) is task:
            del self._tasks[website_id]

    async def wait_idle(self) -> None:
        """Wait until no build is running."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks.values()), return_exceptions=True)

    async def stop(self) -> None:
        for task in list(self._tasks.values()):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*list(self._tasks.values()), return_exceptions=True)

    async def _build(self, website_id: str, prompt: str, name: str | None) -> None:
        total = self._build_seconds
        await asyncio.sleep(total * QUEUED_SHARE)
        step_time = total * (1 - QUEUED_SHARE) / len(BUILD_STEPS)
        site: GeneratedSite | None = None
        for index, (progress, step) in enumerate(BUILD_STEPS):
            self._on_status(website_id, {"buildStatus": BUILDING, "buildProgress": progress, "buildStep": step})
            if index == GENERATE_AT_STEP:
                try:
                    site = await asyncio.to_thread(generate_site, prompt, name)
                except GenerationError as exc:
                    self._on_status(
                        website_id, {"buildStatus": FAILED, "buildStep": "Generation failed", "buildError": str(exc)}
                    )
                    self._on_finished(website_id, None, str(exc))
                    return
            await asyncio.sleep(step_time)
        assert site is not None
        if self._details_of is not None:
            # Written with the name and metadata as they are now, not as they were at step 3.
            site = await asyncio.to_thread(generate_site, prompt, name, self._details_of(website_id))
        try:
            await asyncio.to_thread(self._sites.write, website_id, site.files)
        except OSError as exc:
            log.warning("Could not write the site of %s: %s", website_id, exc)
            message = "The built site could not be saved on disk."
            self._on_status(website_id, {"buildStatus": FAILED, "buildStep": "Saving failed", "buildError": message})
            self._on_finished(website_id, None, message)
            return
        self._on_finished(website_id, site, None)
