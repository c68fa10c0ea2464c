"""REST helpers against the real gateway: typed results, and the server's message on errors."""

import asyncio

from monad_gateway import GatewayClient, RestClient, RestError

from .support import GATEWAY_URL, needs_gateway
import unittest


@needs_gateway
class Rest(unittest.IsolatedAsyncioTestCase):
    def setUp(self):
        self.rest = RestClient(GATEWAY_URL)

    def test_tps_status_contention_and_health(self):
        tps = self.rest.tps()
        self.assertIsInstance(tps.tps, int)
        self.assertGreater(tps.block_number, 0)
        status = self.rest.status()
        self.assertEqual(status.status, "healthy")
        self.assertTrue(status.ring.writer_alive)
        self.assertLessEqual(status.oldest_seqno, status.newest_seqno)
        contention = self.rest.contention()
        self.assertGreater(contention.block_number, 0)
        self.assertIsNotNone(contention.schedule)
        self.assertEqual(contention.schedule.batch_count, len(contention.schedule.batches))
        health = self.rest.health()
        self.assertEqual((health.success, health.status), (True, "healthy"))

    def test_lifecycle_list_and_one_block(self):
        blocks = self.rest.lifecycle()
        self.assertGreater(len(blocks), 3)
        done = [b for b in blocks if b.current_stage == "Verified"]
        self.assertTrue(done)
        one = self.rest.block_lifecycle(done[-1].block_number)
        self.assertEqual((one.block_number, one.block_hash, one.current_stage),
                         (done[-1].block_number, done[-1].block_hash, "Verified"))
        self.assertGreater(one.stage_timings_ms["Verified"], one.stage_timings_ms["Voted"])

    def test_errors_carry_the_server_message(self):
        with self.assertRaises(RestError) as ctx:
            self.rest.block_lifecycle(10**12)
        self.assertEqual((ctx.exception.status, ctx.exception.code), (404, "not_found"))
        self.assertIn("not found", ctx.exception.message)
        with self.assertRaises(RestError) as ctx:
            self.rest.get_json("/v1/blocks/twelve/lifecycle")
        self.assertEqual(ctx.exception.status, 400)
        self.assertIn("block_number", ctx.exception.message)
        with self.assertRaises(ValueError):
            self.rest.block_lifecycle(-1)

    async def test_async_helpers_and_the_client_epoch(self):
        client = GatewayClient(GATEWAY_URL, channel="lifecycle")
        try:
            await client.connect()
            status, tps, blocks = await asyncio.gather(client.rest.status(), client.rest.tps(), client.rest.lifecycle())
        finally:
            await client.close()
        self.assertEqual(status.epoch, client.epoch)
        self.assertGreaterEqual(tps.tps, 0)
        self.assertTrue(blocks)
