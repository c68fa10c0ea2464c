"""Gap notices: data this client will never receive, said once, where it happened.

A gap is announced by the gateway (Warning frames) or inferred by the client (a reconnect that got a
snapshot instead of the frames it asked for). Everything else is lossless: resume replays exactly the
missed frames, so a reconnect that resumed produces no gap.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from .bodies import Resume
from .frames import WarningFrame


@dataclass(frozen=True, kw_only=True, slots=True)
class Gap:
    """cause: "backpressure" (frames dropped for this slow client: first/last_seqno, count),
    "ring_gap" / "payload_expired" (events lost before the gateway read them: count), or
    "snapshot" (a reconnect could not resume: reason, resume_from; epoch_changed when the gateway
    restarted, so seqnos started over).
    """

    cause: str
    server_seqno: int
    message: str
    count: Optional[int] = None
    first_seqno: Optional[int] = None
    last_seqno: Optional[int] = None
    reason: Optional[str] = None
    resume_from: Optional[int] = None
    epoch: Optional[str] = None
    previous_epoch: Optional[str] = None
    epoch_changed: bool = False


def gap_from_warning(frame: WarningFrame) -> Optional[Gap]:
    w = frame.warning
    if w.type == "backpressure":
        return Gap(cause="backpressure", server_seqno=frame.server_seqno, count=w.dropped,
                   first_seqno=w.first_dropped_seqno, last_seqno=w.last_dropped_seqno,
                   message=f"{w.dropped} frames dropped for this slow client "
                           f"(seqnos {w.first_dropped_seqno}..{w.last_dropped_seqno}, {w.total_dropped} in all)")
    if w.type in ("ring_gap", "payload_expired"):
        return Gap(cause=w.type, server_seqno=frame.server_seqno, count=w.lost_events,
                   message=w.message or f"{w.lost_events} ring events lost")
    return None  # writer_gone / writer_back: nothing flows, nothing is lost; unknown types: ignore


def gap_from_snapshot(server_seqno: int, resume: Resume, resume_from: int,
                      previous_epoch: Optional[str]) -> Gap:
    changed = previous_epoch is not None and resume.epoch is not None and resume.epoch != previous_epoch
    why = "the gateway restarted" if changed else f"resume refused ({resume.reason})"
    return Gap(cause="snapshot", server_seqno=server_seqno, reason=resume.reason, resume_from=resume_from,
               epoch=resume.epoch, previous_epoch=previous_epoch, epoch_changed=changed,
               message=f"{why}: frames after seqno {resume_from} of epoch {previous_epoch} are lost; "
                       f"continuing from current state")
