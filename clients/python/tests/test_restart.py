"""When resuming is impossible: a gateway restart (new epoch) and a cursor older than the resume
buffer. Both give a snapshot and a Gap notice, and the stream goes on.

Uses the restartable gateway of the vitest wrapper: reached through a TCP proxy whose upstream the
wrapper swaps to a new gateway process on POST /restart (a restarted gateway cannot reliably get the
same port back while the old connections linger in TIME_WAIT). It keeps only 100 frames for resume.
"""

import asyncio

from monad_gateway import Backoff, Gap, HelloFrame

from .support import RESTART_URL, GatewayTestCase, needs_restartable, restart_gateway

FAST = Backoff(initial=0.05, maximum=0.5)


@needs_restartable
class Restart(GatewayTestCase):
    async def test_a_gateway_restart_is_a_snapshot_gap_and_the_new_run_streams_on(self):
        r = self.record(RESTART_URL, channel="blocks", backoff=FAST)
        disconnects, retries = [], []
        r.client.on("disconnected", disconnects.append)
        r.client.on("reconnecting", retries.append)
        # A cursor well above where the new run's seqnos will be, so the new frames are below it.
        await r.wait_for(lambda: (r.client.last_seqno or 0) > 400 and len(r.stream()) >= 5, what="seqno 400")
        old_epoch, old_cursor = r.client.epoch, r.client.last_seqno
        await asyncio.to_thread(restart_gateway)
        await r.wait_for(lambda: len(r.gaps()) >= 1, what="the gap notice")
        gap = r.gaps()[0]
        self.assertEqual((gap.cause, gap.reason, gap.epoch_changed, gap.previous_epoch),
                         ("snapshot", "epoch_mismatch", True, old_epoch))
        self.assertGreaterEqual(gap.resume_from, old_cursor)
        self.assertNotEqual(r.client.epoch, old_epoch)
        self.assertEqual(disconnects[0].code, 1001)  # "the gateway is shutting down"
        self.assertGreaterEqual(len(retries), 1)
        new_hello = [f for f in r.frames(HelloFrame) if f.hello.epoch == r.client.epoch]
        self.assertEqual(len(new_hello), 1)
        after = r.items.index(gap)
        await r.wait_for(lambda: len([x for x in r.items[after:] if not isinstance(x, Gap) and x.STREAM]) >= 3,
                         what="frames of the new run")
        new_frames = [x for x in r.items[after:] if not isinstance(x, Gap) and x.STREAM]
        # The new run's seqnos restart low: kept, not taken for duplicates of the old run's.
        self.assertLess(new_frames[0].server_seqno, gap.resume_from)
        self.assertGreaterEqual(r.client.last_seqno, new_frames[-1].server_seqno)

    async def test_a_cursor_older_than_the_resume_buffer_is_a_snapshot_gap(self):
        r = self.record(RESTART_URL, channel="blocks", backoff=FAST)
        await r.wait_for(lambda: len(r.stream()) >= 3, what="3 frames")
        epoch, cursor = r.client.epoch, r.client.last_seqno
        resume = await r.client.reconnect(delay=3.0)  # about 250 frames are assigned meanwhile
        self.assertEqual((resume.resume.mode, resume.resume.reason), ("snapshot", "cursor_too_old"))
        await r.wait_for(lambda: len(r.gaps()) >= 1, what="the gap notice")
        gap = r.gaps()[0]
        self.assertEqual((gap.cause, gap.reason, gap.epoch_changed, gap.resume_from, gap.epoch),
                         ("snapshot", "cursor_too_old", False, resume.resume.resume_from, epoch))
        self.assertGreaterEqual(gap.resume_from, cursor)  # frames may have come in since it was read
        # The next reconnect resumes again: a snapshot moves the cursor to current state.
        resume = await r.client.reconnect()
        self.assertEqual(resume.resume.mode, "resume")
        self.assertEqual(len(r.gaps()), 1)
