"""Colleagues at work, from another process: ``rate`` lead changes a second through the inbox API.

``python -m tests.ui.team.change_sender URL TOKEN RATE SECONDS FIRST_ID LAST_ID`` changes the
status of leads FIRST_ID..LAST_ID in turn (the newest ones, on the watched desktop's screen),
each ``PATCH`` naming the version it knows (a refusal says the current one, used next time),
a few in flight at once so a busy server still gets the rate; prints the counts as JSON. A
process of its own, so its work takes nothing from the desktop's UI thread in the test.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

import httpx
from codaiq_desktop.tls import ssl_context

STATUSES = ("new", "contacted", "qualified", "won", "lost")
IN_FLIGHT = 8


async def run(url: str, token: str, rate: float, seconds: float, first: int, last: int) -> dict[str, float]:
    versions: dict[int, int] = {}
    counts = {"changes": 0, "refused": 0}
    limit = asyncio.Semaphore(IN_FLIGHT)
    started = time.monotonic()

    async def change(client: httpx.AsyncClient, step: int) -> None:
        lead_id = first + step % (last - first + 1)
        async with limit:
            if lead_id not in versions:
                versions[lead_id] = int((await client.get(f"/api/v1/leads/{lead_id}")).json()["version"])
            answer = await client.patch(
                f"/api/v1/leads/{lead_id}",
                json={"status": STATUSES[step % len(STATUSES)]},
                headers={"If-Match": f'"{versions[lead_id]}"'},
            )
        body = answer.json()
        if answer.status_code == 200:
            versions[lead_id] = int(body["version"])
            counts["changes"] += 1
        else:
            versions[lead_id] = int(body.get("currentVersion") or versions[lead_id])
            counts["refused"] += 1

    async with httpx.AsyncClient(
        verify=ssl_context(), base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=30
    ) as client:
        tasks = []
        step = 0
        while time.monotonic() - started < seconds:
            pause = started + step / rate - time.monotonic()
            if pause > 0:
                await asyncio.sleep(pause)
            tasks.append(asyncio.create_task(change(client, step)))
            step += 1
        await asyncio.gather(*tasks)
    return {**counts, "seconds": time.monotonic() - started}


def main(argv: list[str]) -> None:
    url, token, rate, seconds, first, last = (
        argv[0],
        argv[1],
        float(argv[2]),
        float(argv[3]),
        int(argv[4]),
        int(argv[5]),
    )
    print(json.dumps(asyncio.run(run(url, token, rate, seconds, first, last))))


if __name__ == "__main__":
    main(sys.argv[1:])
