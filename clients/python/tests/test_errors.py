"""Bad subscriptions against the real gateway: an Error frame (live) or HTTP 400 (in the URL), with
the gateway's explanation, and the previous subscription kept."""

from monad_gateway import ErrorFrame, EventsFrame, GatewayClient, HandshakeRejected, filter_spec, subscription

from .support import GATEWAY_URL, GatewayTestCase, needs_gateway


@needs_gateway
class Errors(GatewayTestCase):
    async def test_an_unknown_event_is_an_error_frame_and_changes_nothing(self):
        r = self.record(subscribe=["BlockStart", "TPS"])
        await r.client.connect()
        await r.client.subscribe(["BlockStrat"])
        await r.wait_for(lambda: r.frames(ErrorFrame), what="the Error frame")
        err = r.frames(ErrorFrame)[0].error
        self.assertEqual(err.code, "unknown_event")
        self.assertIn("BlockStrat", err.message)
        self.assertIn("BlockStart", err.valid)
        self.assertEqual(r.client.subscription, ["BlockStart", "TPS"])
        n = len(r.items)
        await r.wait_for(lambda: any(isinstance(x, EventsFrame) for x in r.items[n:]), what="events after the error")
        # The reconnect asks for the subscription the gateway kept, so it is accepted.
        resume = await r.client.reconnect()
        self.assertEqual(resume.resume.mode, "resume")
        self.assertEqual(r.client.hello.hello.subscription, {"events": ["BlockStart", "TPS"]})

    async def test_a_misspelt_filter_field_names_the_valid_ones(self):
        r = self.record()
        await r.client.connect()
        await r.client.subscribe(subscription(["TxnLog"], filters=[filter_spec("TxnLog", adress=["0x" + "00" * 20])]))
        await r.wait_for(lambda: r.frames(ErrorFrame), what="the Error frame")
        err = r.frames(ErrorFrame)[0].error
        self.assertEqual(err.code, "invalid_filter")
        self.assertIn("address", err.message)
        self.assertIsNone(r.client.subscription)  # the channel default, as before

    async def test_a_bad_subscription_in_the_url_is_refused_with_the_reason(self):
        client = GatewayClient(GATEWAY_URL, subscribe=["BlockStrat"])
        with self.assertRaises(HandshakeRejected) as ctx:
            await client.connect()
        e = ctx.exception
        self.assertEqual((e.status, e.code, e.retryable), (400, "unknown_event", False))
        self.assertIn("BlockStrat", e.message)
        self.assertIn("BlockStart", e.valid)
        self.assertFalse(client.connected)
        self.assertIsNone(client.hello)
        await client.close()
