"""Backoff, URLs and subscription builders."""

import random
import unittest

from monad_gateway import Backoff, Range, filter_spec, subscription
from monad_gateway.subscription import encode, normalize
from monad_gateway.urls import http_base, ws_url


class BackoffDelays(unittest.TestCase):
    def test_grows_exponentially_within_the_jitter_band_up_to_the_cap(self):
        b = Backoff(initial=0.5, maximum=8, factor=2, jitter=0.5)
        rng = random.Random(7)
        for attempt, full in [(1, 0.5), (2, 1), (3, 2), (4, 4), (5, 8), (6, 8), (500, 8)]:
            for _ in range(50):
                d = b.delay(attempt, rng)
                self.assertTrue(full / 2 <= d <= full, (attempt, d))

    def test_jitter_spreads_clients(self):
        delays = {round(Backoff().delay(3), 6) for _ in range(20)}
        self.assertGreater(len(delays), 10)

    def test_rejects_nonsense(self):
        for kw in ({"initial": -1}, {"maximum": 0.1, "initial": 1}, {"factor": 0.5}, {"jitter": 2}):
            with self.subTest(kw=kw), self.assertRaises(ValueError):
                Backoff(**kw)


class Urls(unittest.TestCase):
    def test_channel_routes_and_query(self):
        self.assertEqual(ws_url("ws://h:8443", "all"), "ws://h:8443/v1/ws")
        self.assertEqual(ws_url("http://h:8443/", "txs", {"resume_from": "5", "epoch": "ab"}),
                         "ws://h:8443/v1/ws/txs?resume_from=5&epoch=ab")
        self.assertEqual(ws_url("https://h/gw", "blocks"), "wss://h/gw/v1/ws/blocks")
        self.assertEqual(http_base("wss://h:1/gw/"), "https://h:1/gw")
        with self.assertRaises(ValueError):
            ws_url("ws://h", "everything")
        with self.assertRaises(ValueError):
            http_base("localhost:8443")


class Subscriptions(unittest.TestCase):
    def test_builders_make_the_gateway_json(self):
        sub = subscription(["TxnLog", "TPS"], min_stage="Finalized",
                           filters=[filter_spec("TxnLog", address=["0xAb"], log_index=Range(max=0))])
        self.assertEqual(sub, {"events": ["TxnLog", "TPS"], "min_stage": "Finalized", "filters": [
            {"event_name": "TxnLog", "field_filters": [{"field": "address", "filter": {"values": ["0xAb"]}},
                                                       {"field": "log_index", "filter": {"max": 0}}]}]})
        self.assertEqual(encode(["A", "B"]), '["A","B"]')

    def test_normalize_copies_and_checks_the_outer_shape(self):
        src = {"events": ["TPS"]}
        copy = normalize(src)
        src["events"].append("X")
        self.assertEqual(copy, {"events": ["TPS"]})
        for bad in ("TPS", [1], {"filters": []}, {"events": "TPS"}):
            with self.subTest(bad=bad), self.assertRaises(TypeError):
                normalize(bad)
