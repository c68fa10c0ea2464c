"""The stream cursor: deduplication, what per-connection frames may not do, snapshots and epochs."""

import unittest

from monad_gateway import EventsFrame, HelloFrame, Resume, ResumeFrame, TpsFrame, WarningFrame
from monad_gateway.bodies import Hello, ServerLimits, ServerWarning
from monad_gateway.cursor import StreamCursor


def resume(seqno, mode, newest, epoch="A", reason=None):
    return ResumeFrame(server_seqno=seqno, resume=Resume(mode=mode, epoch=epoch, oldest_seqno=1, newest_seqno=newest,
                                                        reason=reason))


def hello(seqno):
    limits = ServerLimits(resume_buffer_size=1, client_send_buffer=1, slow_client_drop_limit=1,
                          heartbeat_interval_secs=1, heartbeat_timeout_secs=2)
    return HelloFrame(server_seqno=seqno, hello=Hello(wire_version=1, server_version="x", features=[], limits=limits))


def tps(seqno):
    return TpsFrame(server_seqno=seqno, tps=1)


class Cursor(unittest.TestCase):
    def test_stream_frames_are_deduplicated_by_seqno(self):
        c = StreamCursor()
        self.assertEqual([c.accept(tps(s)) for s in (5, 6, 6, 4, 7)], [True, True, False, False, True])
        self.assertEqual((c.position, c.delivered, c.duplicates), (7, 7, 2))

    def test_per_connection_frames_always_pass_and_never_move_the_cursor(self):
        c = StreamCursor()
        c.accept(tps(50))
        warning = WarningFrame(server_seqno=90, warning=ServerWarning(type="writer_gone", message="x"))
        for f in (hello(10), hello(90), warning, warning):
            self.assertTrue(c.accept(f))
        self.assertEqual((c.position, c.delivered), (50, 50))

    def test_a_first_snapshot_is_no_gap_and_its_older_state_frames_pass(self):
        c = StreamCursor()
        self.assertIsNone(c.on_resume(resume(100, "snapshot", 100, reason="no_cursor"), asked_from=None))
        # The state frames carry older seqnos than the snapshot's position; they were not seen yet.
        self.assertTrue(c.accept(tps(40)))
        self.assertTrue(c.accept(EventsFrame(server_seqno=101, events=[])))
        self.assertEqual(c.resume_query(), {"resume_from": "101", "epoch": "A"})

    def test_a_snapshot_moves_the_resume_cursor_to_its_newest_seqno(self):
        c = StreamCursor()
        c.on_resume(resume(100, "snapshot", 100, reason="no_cursor"), asked_from=None)
        # Disconnected before any live frame: resuming from 100 loses nothing the snapshot promised.
        self.assertEqual(c.resume_query(), {"resume_from": "100", "epoch": "A"})

    def test_a_refused_resume_is_a_gap(self):
        c = StreamCursor()
        c.on_resume(resume(10, "snapshot", 10, reason="no_cursor"), None)
        c.accept(tps(20))
        gap = c.on_resume(resume(20, "snapshot", 900, reason="cursor_too_old"), asked_from=20)
        self.assertEqual((gap.cause, gap.reason, gap.resume_from, gap.epoch_changed), ("snapshot", "cursor_too_old", 20, False))
        self.assertFalse(c.accept(tps(20)))  # same epoch: still a duplicate
        self.assertTrue(c.accept(tps(850)))  # state frame newer than what was seen
        self.assertEqual(c.position, 900)

    def test_a_new_epoch_starts_the_seqnos_over(self):
        c = StreamCursor()
        c.on_resume(resume(10, "snapshot", 10, reason="no_cursor"), None)
        c.accept(tps(5000))
        gap = c.on_resume(resume(30, "snapshot", 30, epoch="B", reason="epoch_mismatch"), asked_from=5000)
        self.assertEqual((gap.epoch_changed, gap.previous_epoch, gap.epoch, gap.reason), (True, "A", "B", "epoch_mismatch"))
        self.assertTrue(c.accept(tps(25)))  # below the old cursor, but of the new run
        self.assertEqual(c.resume_query(), {"resume_from": "30", "epoch": "B"})

    def test_a_resume_is_no_gap(self):
        c = StreamCursor()
        c.on_resume(resume(10, "snapshot", 10, reason="no_cursor"), None)
        c.accept(tps(12))
        self.assertIsNone(c.on_resume(resume(12, "resume", 40), asked_from=12))
        self.assertEqual(c.position, 12)
