"""The client's position in the gateway's stream: what to resume from, and what was already seen.

Two numbers, because they differ after a snapshot:
- `delivered`: the highest stream seqno handed to the application in this epoch. A stream frame at or
  below it was seen before (a replay overlapping what the client had), so it is dropped.
- `position`: the resume cursor sent as ?resume_from=. It follows `delivered`, and after a snapshot
  jumps to the snapshot's newest_seqno: the frames before it were skipped on purpose (the snapshot
  replaced them), so a reconnect before the next live frame should not ask for them again. The
  snapshot's state frames have older seqnos than that, which is why they are checked against
  `delivered`, not `position`.
Seqnos restart at every gateway run, so both reset when the epoch changes.
"""

from __future__ import annotations

from typing import Optional

from .frames import Frame, ResumeFrame
from .gaps import Gap, gap_from_snapshot


class StreamCursor:
    def __init__(self) -> None:
        self.epoch: Optional[str] = None
        self.position: Optional[int] = None
        self.delivered = 0
        self.duplicates = 0

    def resume_query(self) -> dict[str, str]:
        """The ?resume_from=&epoch= parameters for the next connection (empty before any data)."""
        q: dict[str, str] = {}
        if self.position is not None:
            q["resume_from"] = str(self.position)
            if self.epoch is not None:
                q["epoch"] = self.epoch
        return q

    def on_resume(self, frame: ResumeFrame, asked_from: Optional[int]) -> Optional[Gap]:
        """Takes the connection's Resume frame; returns a Gap when a requested resume was refused."""
        r = frame.resume
        previous_epoch = self.epoch
        if r.epoch is not None and r.epoch != self.epoch:
            if self.epoch is not None:
                self.delivered = 0
                self.position = None
            self.epoch = r.epoch
        if r.mode != "snapshot":
            return None
        if r.newest_seqno is not None:
            self.position = max(self.position or 0, r.newest_seqno)
        if asked_from is None:
            return None  # a first connection: nothing was promised, nothing is lost
        return gap_from_snapshot(frame.server_seqno, r, asked_from, previous_epoch)

    def accept(self, frame: Frame) -> bool:
        """Whether to deliver `frame`. Per-connection frames always pass and never move the cursor:
        they only repeat the connection's position, which a snapshot's Hello puts ahead of the state
        frames that follow it."""
        if not frame.STREAM:
            return True
        if frame.server_seqno <= self.delivered:
            self.duplicates += 1
            return False
        self.delivered = frame.server_seqno
        if self.position is None or frame.server_seqno > self.position:
            self.position = frame.server_seqno
        return True
