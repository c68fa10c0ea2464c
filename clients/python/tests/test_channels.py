"""Channels against the real gateway: each route's default subscription, as announced and as sent."""

import asyncio

from monad_gateway import CHANNEL_DEFAULTS, CHANNELS, EventsFrame, HelloFrame, ResumeFrame

from .support import GatewayTestCase, needs_gateway

FRAME_ITEM = {"TpsFrame": "TPS", "ContentionFrame": "ContentionData", "TopAccessesFrame": "TopAccesses",
              "LifecycleFrame": "Lifecycle"}


@needs_gateway
class Channels(GatewayTestCase):
    async def test_each_channel_delivers_its_default_subscription(self):
        recorders = {ch: self.record(channel=ch) for ch in CHANNELS}
        await asyncio.gather(*(r.wait_for(lambda r=r: len(r.stream()) >= 3, what=f"3 {ch} frames")
                               for ch, r in recorders.items()))
        for ch, r in recorders.items():
            with self.subTest(channel=ch):
                defaults = CHANNEL_DEFAULTS[ch]
                hello, res = r.frames(HelloFrame)[0], r.frames(ResumeFrame)[0]
                self.assertIs(r.items[0], hello)
                self.assertIs(r.items[1], res)
                self.assertEqual((hello.hello.channel, hello.hello.subscription), (ch, {"events": list(defaults)}))
                self.assertEqual((res.resume.mode, res.resume.reason), ("snapshot", "no_cursor"))
                # NativeTransfer selects TxnCallFrame events (those with a value).
                allowed = set(defaults) | ({"TxnCallFrame"} if "NativeTransfer" in defaults else set())
                for f in r.stream():
                    if isinstance(f, EventsFrame):
                        self.assertLessEqual({e.event_name for e in f.events}, allowed)
                    else:
                        self.assertIn(FRAME_ITEM[type(f).__name__], allowed)
                seqnos = [f.server_seqno for f in r.stream()]
                self.assertEqual(seqnos, sorted(set(seqnos)))  # increasing, no duplicate
