"""GatewayClient against a scripted server: reconnect, resume parameters, deduplication, gap notices,
subscription handling, refused upgrades and callbacks, each made to happen exactly once."""

from __future__ import annotations

import asyncio
import json
import socket
import unittest

from monad_gateway import (Backoff, EventsFrame, Gap, GatewayClient, HandshakeRejected, HelloFrame,
                           ReconnectFailed, ResumeFrame, TpsFrame, WarningFrame)

from .scripted import EPOCH, Conn, ScriptedGateway, hello, resume, tps

FAST = Backoff(initial=0.01, maximum=0.05)


async def collect(client: GatewayClient, until, timeout: float = 5.0) -> list:
    items: list = []

    async def run() -> None:
        async for item in client.frames():
            items.append(item)
            if until(items):
                return

    await asyncio.wait_for(run(), timeout)
    return items


def stream_seqnos(items) -> list[int]:
    return [x.server_seqno for x in items if not isinstance(x, Gap) and x.STREAM]


class ScriptedClient(unittest.IsolatedAsyncioTestCase):
    async def test_reconnects_with_the_cursor_and_drops_replayed_duplicates(self):
        async def script(c: Conn) -> None:
            if c.index == 0:
                await c.send(hello(10), resume(10, "snapshot", 10, reason="no_cursor"), tps(7), tps(11), tps(12), tps(13))
                await c.close(1001)
            else:
                # An overlapping replay (12, 13 again): the client must not deliver them twice.
                await c.send(hello(13), resume(13, "resume", 14), tps(12), tps(13), tps(14))

        async with ScriptedGateway(script) as gw:
            client = GatewayClient(gw.url, channel="blocks", backoff=FAST)
            items = await collect(client, lambda xs: 14 in stream_seqnos(xs))
            await client.close()
        self.assertEqual(stream_seqnos(items), [7, 11, 12, 13, 14])
        self.assertEqual(client.duplicates_dropped, 2)
        self.assertEqual([type(x).__name__ for x in items if isinstance(x, (HelloFrame, ResumeFrame))],
                         ["HelloFrame", "ResumeFrame", "HelloFrame", "ResumeFrame"])
        self.assertEqual(gw.requests[0], {})
        self.assertEqual(gw.requests[1], {"resume_from": "13", "epoch": EPOCH})
        self.assertEqual([x for x in items if isinstance(x, Gap)], [])
        self.assertEqual(client.last_seqno, 14)

    async def test_a_restarted_gateway_gives_a_snapshot_gap_and_seqnos_start_over(self):
        async def script(c: Conn) -> None:
            if c.index == 0:
                await c.send(hello(500), resume(500, "snapshot", 500, reason="no_cursor"), tps(501))
                await c.close(1001, "server shutting down")
            else:
                await c.send(hello(3, epoch="new"), resume(3, "snapshot", 3, epoch="new", reason="epoch_mismatch",
                                                           resume_from=501), tps(2), tps(4))

        disconnects = []
        async with ScriptedGateway(script) as gw:
            client = GatewayClient(gw.url, backoff=FAST)
            client.on("disconnected", disconnects.append)
            items = await collect(client, lambda xs: 4 in stream_seqnos(xs))
            await client.close()
        gaps = [x for x in items if isinstance(x, Gap)]
        self.assertEqual(len(gaps), 1)
        g = gaps[0]
        self.assertEqual((g.cause, g.reason, g.epoch_changed, g.previous_epoch, g.epoch, g.resume_from),
                         ("snapshot", "epoch_mismatch", True, EPOCH, "new", 501))
        # The gap comes right after the Resume that revealed it, before the new run's frames.
        self.assertIsInstance(items[items.index(g) - 1], ResumeFrame)
        self.assertEqual(stream_seqnos(items), [501, 2, 4])
        self.assertEqual((client.epoch, client.last_seqno), ("new", 4))
        self.assertEqual((disconnects[0].code, disconnects[0].reason, disconnects[0].will_reconnect),
                         (1001, "server shutting down", True))

    async def test_a_cursor_too_old_is_a_gap_without_epoch_change(self):
        async def script(c: Conn) -> None:
            if c.index == 0:
                await c.send(hello(5), resume(5, "snapshot", 5, reason="no_cursor"), tps(6))
                await c.close(1011)
            elif c.index == 1:
                await c.send(hello(6), resume(6, "snapshot", 900, reason="cursor_too_old", resume_from=6), tps(880))
                await c.close(1001)
            else:
                await c.send(hello(900), resume(900, "resume", 905), tps(901))

        async with ScriptedGateway(script) as gw:
            client = GatewayClient(gw.url, backoff=FAST)
            items = await collect(client, lambda xs: 901 in stream_seqnos(xs))
            await client.close()
        (g,) = [x for x in items if isinstance(x, Gap)]
        self.assertEqual((g.reason, g.epoch_changed, g.resume_from), ("cursor_too_old", False, 6))
        # After the snapshot the cursor stands at its newest seqno, not at the older state frame.
        self.assertEqual(gw.requests[2], {"resume_from": "900", "epoch": EPOCH})

    async def test_warnings_that_mean_lost_data_become_gaps(self):
        async def script(c: Conn) -> None:
            await c.send(hello(1), resume(1, "snapshot", 1, reason="no_cursor"), tps(2),
                         {"server_seqno": 2, "Warning": {"type": "backpressure", "dropped": 3, "total_dropped": 3,
                                                         "drop_limit": 100, "first_dropped_seqno": 3,
                                                         "last_dropped_seqno": 5}},
                         tps(6),
                         {"server_seqno": 6, "Warning": {"type": "ring_gap", "lost_events": 17, "message": "ring gap"}},
                         {"server_seqno": 6, "Warning": {"type": "writer_gone", "message": "writer exited"}},
                         {"server_seqno": 6, "Warning": {"type": "from_the_future", "message": "?"}},
                         tps(7))

        async with ScriptedGateway(script) as gw:
            client = GatewayClient(gw.url, backoff=FAST)
            gap_callbacks = []
            client.on("gap", gap_callbacks.append)
            items = await collect(client, lambda xs: 7 in stream_seqnos(xs))
            await client.close()
        gaps = [x for x in items if isinstance(x, Gap)]
        self.assertEqual([(g.cause, g.count, g.first_seqno, g.last_seqno) for g in gaps],
                         [("backpressure", 3, 3, 5), ("ring_gap", 17, None, None)])
        self.assertEqual(gap_callbacks, gaps)
        self.assertEqual(len([x for x in items if isinstance(x, WarningFrame)]), 4)  # all warnings delivered
        self.assertEqual(stream_seqnos(items), [2, 6, 7])

    async def test_the_subscription_goes_in_the_url_and_a_rejected_one_is_not_kept(self):
        async def script(c: Conn) -> None:
            await c.send(hello(1), resume(1, "snapshot", 1, reason="no_cursor"), tps(2))
            if c.index == 0:
                while len(c.received) < 2:  # the client's hello, then its subscribe
                    await asyncio.sleep(0.01)
                await c.send({"server_seqno": 2, "Error": {"code": "unknown_event", "message": 'unknown event "Nope"',
                                                           "valid": ["TPS"]}})
                await c.close(1001)

        async with ScriptedGateway(script) as gw:
            client = GatewayClient(gw.url, subscribe=["TPS"], backoff=FAST)
            errors = []
            client.on("error", errors.append)
            await client.connect()
            stream = client.frames()
            await client.subscribe(["Nope"])
            async for item in stream:
                if isinstance(item, ResumeFrame):  # the reconnect's
                    break
            await client.close()
        self.assertEqual(json.loads(gw.requests[0]["subscribe"]), ["TPS"])
        self.assertEqual(gw.conns[0].received[0]["hello"]["client_name"], "monad-gateway-python")
        self.assertEqual(gw.conns[0].received[1], {"subscribe": ["Nope"]})
        self.assertEqual(errors[0].error.code, "unknown_event")
        # The gateway kept ["TPS"]; so does the reconnect.
        self.assertEqual(json.loads(gw.requests[1]["subscribe"]), ["TPS"])
        self.assertEqual(client.subscription, ["TPS"])

    async def test_a_refused_upgrade_raises_with_the_gateway_message_and_is_not_retried(self):
        body = {"error": 'subscribe parameter: unknown event "Nope" at subscribe[0]', "code": "unknown_event",
                "valid": ["TPS"]}

        async def script(c: Conn) -> None:
            raise AssertionError("no connection expected")

        async with ScriptedGateway(script, reject=lambda i, q: (400, body)) as gw:
            client = GatewayClient(gw.url, subscribe=["Nope"], backoff=FAST)
            with self.assertRaises(HandshakeRejected) as ctx:
                await client.connect()
            with self.assertRaises(HandshakeRejected):  # iterators end with the same error
                async for _ in client.frames():
                    pass
        e = ctx.exception
        self.assertEqual((e.status, e.code, e.valid), (400, "unknown_event", ["TPS"]))
        self.assertIn('unknown event "Nope"', e.message)
        self.assertEqual(len(gw.requests), 1)

    async def test_too_many_connections_is_retried_with_backoff(self):
        async def script(c: Conn) -> None:
            await c.send(hello(1), resume(1, "snapshot", 1, reason="no_cursor"))

        reject = lambda i, q: (429, {"error": "too many connections", "code": "too_many_connections"}) if i < 2 else None
        async with ScriptedGateway(script, reject=reject) as gw:
            client = GatewayClient(gw.url, backoff=FAST)
            attempts = []
            client.on("reconnecting", attempts.append)
            await asyncio.wait_for(client.connect(), 5)
            await client.close()
        self.assertEqual([a.attempt for a in attempts], [1, 2])
        self.assertEqual(attempts[0].error.status, 429)
        self.assertTrue(all(0.005 <= a.delay <= 0.05 for a in attempts))

    async def test_gives_up_after_max_reconnect_attempts(self):
        with socket.socket() as s:  # a port nobody listens on
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        client = GatewayClient(f"ws://127.0.0.1:{port}", backoff=FAST, max_reconnect_attempts=2)
        with self.assertRaises(ReconnectFailed) as ctx:
            await asyncio.wait_for(client.connect(), 5)
        self.assertEqual(ctx.exception.attempts, 2)
        self.assertIsInstance(ctx.exception.last_error, OSError)

    async def test_callbacks_sync_async_and_failing(self):
        ts = 1769023529512366001

        async def script(c: Conn) -> None:
            ev = {"event_name": "BlockStart", "block_number": 1, "payload": {"type": "BlockStart"}, "seqno": 9,
                  "timestamp_ns": ts}
            await c.send(hello(1), resume(1, "snapshot", 1, reason="no_cursor"), tps(2),
                         {"server_seqno": 3, "Events": [ev, {**ev, "seqno": 10}]}, tps(4))

        async with ScriptedGateway(script) as gw:
            client = GatewayClient(gw.url, backoff=FAST)
            seen: dict[str, list] = {"tps": [], "event": [], "frame": []}

            @client.on("tps")
            async def on_tps(f: TpsFrame) -> None:
                await asyncio.sleep(0)
                seen["tps"].append(f.server_seqno)

            client.on("event", lambda e: seen["event"].append((e.seqno, e.timestamp_ns)))
            client.on("frame", lambda f: seen["frame"].append(type(f).__name__))
            client.on("events", lambda f: 1 / 0)  # logged, not fatal
            with self.assertLogs("monad_gateway", "ERROR"):
                items = await collect(client, lambda xs: 4 in stream_seqnos(xs))
            await client.close()
        self.assertEqual(seen["tps"], [2, 4])
        self.assertEqual(seen["event"], [(9, ts), (10, ts)])
        self.assertEqual(seen["frame"], ["HelloFrame", "ResumeFrame", "TpsFrame", "EventsFrame", "TpsFrame"])
        self.assertIsInstance(items[3], EventsFrame)
        with self.assertRaises(ValueError):
            client.on("tpss", print)

    async def test_a_slow_consumer_holds_the_reader_back_instead_of_buffering(self):
        sent = asyncio.Event()

        async def script(c: Conn) -> None:
            await c.send(hello(1), resume(1, "snapshot", 1, reason="no_cursor"), *[tps(s) for s in range(2, 40)])
            sent.set()

        async with ScriptedGateway(script) as gw:
            client = GatewayClient(gw.url, backoff=FAST, queue_size=4)
            stream = client.frames()
            await asyncio.wait_for(sent.wait(), 5)
            await asyncio.sleep(0.1)
            self.assertLess(client.last_seqno or 0, 39)  # the reader waits on the full queue
            got = []
            async for item in stream:
                got.append(item)
                if len(got) == 40:
                    break
            stream.close()
            await client.close()
        self.assertEqual(stream_seqnos(got), list(range(2, 40)))
