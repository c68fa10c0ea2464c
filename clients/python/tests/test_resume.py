"""Reconnecting with the cursor against the real gateway: the frames missed while away are replayed,
filtered like the live stream, with nothing lost and nothing twice, as a client that stayed connected
saw them."""

import time

from monad_gateway import ResumeFrame, filter_spec, subscription, Range

from .support import GatewayTestCase, needs_gateway

SUB = subscription(["BlockStart", "BlockFinalized", "TxnLog", "TPS", "Lifecycle"],
                   filters=[filter_spec("TxnLog", log_index=Range(max=0))])


@needs_gateway
class Resume(GatewayTestCase):
    async def test_a_reconnect_resumes_losslessly_without_duplicates(self):
        reference = self.record(subscribe=SUB)
        client = self.record(subscribe=SUB)
        await reference.client.connect()
        await client.wait_for(lambda: len(client.stream()) >= 15, what="15 frames before the reconnect")
        cursor = client.client.last_seqno
        t = time.monotonic()
        resume = await client.client.reconnect(delay=1.0)  # about ten blocks happen meanwhile
        self.assertGreaterEqual(time.monotonic() - t, 1.0)
        self.assertEqual(resume.resume.mode, "resume")
        away_from = resume.resume.resume_from  # frames may have come in since `cursor` was read
        self.assertGreaterEqual(away_from, cursor)
        self.assertGreater(resume.resume.newest_seqno, away_from + 20)  # there was something to miss

        target = reference.stream()[-1].server_seqno
        await client.wait_for(lambda: client.stream() and client.stream()[-1].server_seqno >= target,
                              what=f"the reconnected client to reach seqno {target}")
        # Both connections began with snapshot state (older seqnos); compare what came after both.
        start = max(r.frames(ResumeFrame)[0].resume.newest_seqno for r in (reference, client)) + 1
        window = lambda r: [f for f in r.stream() if start <= f.server_seqno <= target]
        got, want = window(client), window(reference)
        self.assertEqual([f.server_seqno for f in got], [f.server_seqno for f in want])
        self.assertEqual(got, want)  # the same frames, field for field
        self.assertTrue(any(f.server_seqno > away_from for f in got) and any(f.server_seqno <= away_from for f in got))
        self.assertEqual(client.gaps(), [])
        seqnos = [f.server_seqno for f in client.stream()]
        self.assertEqual(seqnos, sorted(set(seqnos)))
