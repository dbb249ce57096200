"""Colleagues at work, from another process: ``rate`` lead changes a second through the inbox API.

``python -m tests.ui.team.change_sender URL TOKEN RATE SECONDS FIRST_ID LAST_ID`` changes the
status of leads FIRST_ID..LAST_ID in turn (the newest ones, on the watched desktop's screen),
each ``PATCH`` naming the version just read, and prints the count of changes made as JSON.
A process of its own, so its work takes nothing from the desktop's UI thread in the test.
"""

from __future__ import annotations

import json
import sys
import time

import httpx

STATUSES = ("new", "contacted", "qualified", "won", "lost")


def main(argv: list[str]) -> None:
    url, token, rate, seconds, first, last = argv[0], argv[1], float(argv[2]), float(argv[3]), int(argv[4]), int(argv[5])
    headers = {"Authorization": f"Bearer {token}"}
    done = refused = 0
    started = time.monotonic()
    with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
        step = 0
        while time.monotonic() - started < seconds:
            due = started + step / rate
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            lead_id = first + step % (last - first + 1)
            current = client.get(f"/api/v1/leads/{lead_id}").json()
            answer = client.patch(f"/api/v1/leads/{lead_id}", json={"status": STATUSES[step % len(STATUSES)]},
                                  headers={"If-Match": f'"{current["version"]}"'})
            if answer.status_code == 200:
                done += 1
            else:
                refused += 1
            step += 1
    print(json.dumps({"changes": done, "refused": refused, "seconds": time.monotonic() - started}))


if __name__ == "__main__":
    main(sys.argv[1:])
