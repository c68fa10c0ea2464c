"""Subscriptions against the real gateway: lists, filters, min_stage, and changing them live."""

from monad_gateway import EventsFrame, HelloFrame, Range, ResumeFrame, TpsFrame, filter_spec, subscription

from .support import GatewayTestCase, needs_gateway


def events(r):
    return [e for f in r.frames(EventsFrame) for e in f.events]


@needs_gateway
class Subscribe(GatewayTestCase):
    async def test_a_simple_list(self):
        r = self.record(channel="all", subscribe=["BlockStart", "TPS"])
        await r.wait_for(lambda: len(r.frames(TpsFrame)) >= 2 and len(events(r)) >= 2, what="BlockStart and TPS")
        self.assertEqual(r.frames(HelloFrame)[0].hello.subscription, {"events": ["BlockStart", "TPS"]})
        self.assertEqual({e.event_name for e in events(r)}, {"BlockStart"})
        self.assertEqual({type(f).__name__ for f in r.stream()}, {"EventsFrame", "TpsFrame"})

    async def test_field_filters(self):
        sub = subscription(["TxnLog"], filters=[filter_spec("TxnLog", log_index=Range(max=0), txn_index=Range(min=1, max=3))])
        r = self.record(subscribe=sub)
        await r.wait_for(lambda: len(events(r)) >= 5, what="5 filtered logs")
        self.assertEqual(r.frames(HelloFrame)[0].hello.subscription, sub)
        for e in events(r):
            self.assertEqual((e.event_name, e.payload["log_index"]), ("TxnLog", 0))
            self.assertTrue(1 <= e.payload["txn_index"] <= 3 and e.txn_idx == e.payload["txn_index"])

    async def test_min_stage_releases_events_at_the_stage(self):
        r = self.record(subscribe=subscription(["BlockStart", "TxnEnd"], min_stage="Finalized"))
        await r.wait_for(lambda: len(events(r)) >= 5, what="events released at Finalized")
        self.assertLessEqual({e.commit_stage for e in events(r)}, {"Finalized", "Verified"})

    async def test_changing_the_subscription_live_and_keeping_it_across_a_reconnect(self):
        r = self.record(channel="blocks")
        await r.client.connect()
        sub = subscription(["TxnLog"], filters=[filter_spec("TxnLog", log_index=Range(max=0))])
        await r.client.subscribe(sub)

        def is_log_frame(x):
            return isinstance(x, EventsFrame) and x.events[0].event_name == "TxnLog"

        await r.wait_for(lambda: any(map(is_log_frame, r.items)), what="a TxnLog frame")
        first = next(i for i, x in enumerate(r.items) if is_log_frame(x))
        await r.wait_for(lambda: len(r.items) >= first + 8, what="8 frames of the new subscription")
        # Once the new subscription is in effect, nothing of the old one follows.
        for f in r.items[first:first + 8]:
            self.assertIsInstance(f, EventsFrame)
            self.assertTrue(all(e.event_name == "TxnLog" and e.payload["log_index"] == 0 for e in f.events))
        before = len(r.items)
        resume = await r.client.reconnect()
        self.assertEqual(resume.resume.mode, "resume")
        await r.wait_for(lambda: any(isinstance(x, ResumeFrame) for x in r.items[before:]), what="the reconnect's frames")
        hello = next(x for x in r.items[before:] if isinstance(x, HelloFrame))
        self.assertEqual(hello.hello.subscription, sub)  # asked for in the reconnect URL
        self.assertEqual(r.client.subscription, sub)
        self.assertEqual(r.gaps(), [])
