"""Parsing server frames into dataclasses: every kind, exact big integers, forward compatibility."""

import json
import unittest

from monad_gateway import (ContentionFrame, DecodeError, ErrorFrame, EventsFrame, HelloFrame, LifecycleFrame,
                           ResumeFrame, TopAccessesFrame, TpsFrame, UnknownFrame, WarningFrame, parse_frame)


def parse(text: str):
    return parse_frame(json.loads(text))


class ParseFrames(unittest.TestCase):
    def test_hello_and_resume(self):
        f = parse('{"server_seqno":1200,"Hello":{"wire_version":1,"server_version":"0.1.0","epoch":"k3v9q2xw",'
                  '"channel":"blocks","features":["resume"],"limits":{"resume_buffer_size":100000,'
                  '"client_send_buffer":4096,"slow_client_drop_limit":10000,"heartbeat_interval_secs":30,'
                  '"heartbeat_timeout_secs":60,"max_message_bytes":65536},"subscription":{"events":["TPS"]}}}')
        self.assertIsInstance(f, HelloFrame)
        self.assertEqual((f.hello.epoch, f.hello.channel, f.hello.limits.max_message_bytes), ("k3v9q2xw", "blocks", 65536))
        self.assertIsNone(f.hello.limits.max_connections_per_ip)
        self.assertFalse(f.STREAM)
        r = parse('{"server_seqno":1200,"Resume":{"mode":"snapshot","epoch":"k3v9q2xw","oldest_seqno":1,'
                  '"newest_seqno":1200,"reason":"no_cursor"}}')
        self.assertIsInstance(r, ResumeFrame)
        self.assertEqual((r.resume.mode, r.resume.reason, r.resume.resume_from), ("snapshot", "no_cursor", None))

    def test_rust_gateway_resume_has_only_a_mode(self):
        r = parse('{"server_seqno":42,"Resume":{"mode":"resume"}}')
        self.assertEqual(r.resume.mode, "resume")
        self.assertIsNone(r.resume.epoch)

    def test_events_keep_64_bit_integers_exact(self):
        ts = 1769023529512366001  # odd and above 2**53: a float would round it
        f = parse('{"server_seqno":9007199254740993,"Events":[{"event_name":"TxnLog","block_number":15000001,'
                  '"txn_idx":1,"txn_hash":"0x19","payload":{"type":"TxnLog","txn_index":1,"log_index":0,'
                  '"address":"0x58","topics":"0x","data":"0x","topics_list":[]},"seqno":702,'
                  f'"timestamp_ns":{ts}}}]}}')
        self.assertIsInstance(f, EventsFrame)
        self.assertTrue(f.STREAM)
        self.assertEqual(f.server_seqno, 9007199254740993)
        ev = f.events[0]
        self.assertEqual(ev.timestamp_ns, ts)
        self.assertEqual((ev.event_name, ev.txn_idx, ev.commit_stage, ev.payload["log_index"]), ("TxnLog", 1, None, 0))

    def test_metric_frames(self):
        self.assertEqual(parse('{"server_seqno":3,"TPS":2450}'), TpsFrame(server_seqno=3, tps=2450))
        c = parse('{"server_seqno":4,"ContentionData":{"block_number":7,"block_wall_time_ns":45000000,'
                  '"total_tx_time_ns":350000000,"parallel_efficiency_pct":87,"total_unique_slots":3,'
                  '"contended_slot_count":1,"contention_ratio":0.3,"total_txn_count":2,"top_contended_slots":'
                  '[{"address":"0x1f","slot":"0x08","txn_count":2,"access_count":3}],"top_contended_contracts":[],'
                  '"contract_edges":[{"contract_a":"0x1","contract_b":"0x2","shared_txn_count":1}],'
                  '"total_evm_time_ns":5,"schedule":{"batch_count":2,"critical_path_length":2,'
                  '"critical_path_gas":42000,"total_gas":63000,"conflict_edges":1,'
                  '"ideal_speedup":{"2":1.5,"4":1.5,"8":1.5,"16":1.5},"batches":[2,1]}}}')
        self.assertIsInstance(c, ContentionFrame)
        self.assertEqual(c.contention.parallel_efficiency_pct, 87.0)
        self.assertIsInstance(c.contention.parallel_efficiency_pct, float)
        self.assertEqual(c.contention.schedule.ideal_speedup["16"], 1.5)
        self.assertEqual(c.contention.top_contended_slots[0].txn_count, 2)
        t = parse('{"server_seqno":5,"TopAccesses":{"account":[{"key":"0x1f","count":15234}],'
                  '"storage":[{"key":["0x1f","0x08"],"count":8921}]}}')
        self.assertIsInstance(t, TopAccessesFrame)
        self.assertEqual(t.top_accesses.storage[0].key, ("0x1f", "0x08"))
        lc = parse('{"server_seqno":6,"Lifecycle":{"block_hash":"0x8c","block_number":1,"to_stage":"Proposed",'
                   '"block_age_ms":0,"txn_count":150}}')
        self.assertIsInstance(lc, LifecycleFrame)
        self.assertEqual((lc.lifecycle.to_stage, lc.lifecycle.from_stage), ("Proposed", None))

    def test_warning_and_error(self):
        w = parse('{"server_seqno":1205,"Warning":{"type":"backpressure","dropped":1000,"total_dropped":3000,'
                  '"drop_limit":10000,"first_dropped_seqno":1206,"last_dropped_seqno":2205}}')
        self.assertIsInstance(w, WarningFrame)
        self.assertEqual((w.warning.type, w.warning.first_dropped_seqno), ("backpressure", 1206))
        e = parse('{"server_seqno":1205,"Error":{"code":"unknown_event","message":"unknown event",'
                  '"path":"subscribe[1]","valid":["BlockStart"]}}')
        self.assertIsInstance(e, ErrorFrame)
        self.assertEqual((e.error.code, e.error.valid, e.error.path), ("unknown_event", ["BlockStart"], "subscribe[1]"))

    def test_unknown_keys_are_kept_and_unknown_kinds_delivered_raw(self):
        w = parse('{"server_seqno":1,"Warning":{"type":"writer_gone","message":"gone","since_ms":12}}')
        self.assertEqual(w.warning.extra, {"since_ms": 12})
        u = parse('{"server_seqno":2,"Heartbeat":{"at":1}}')
        self.assertEqual(u, UnknownFrame(server_seqno=2, name="Heartbeat", body={"at": 1}))
        self.assertFalse(u.STREAM)

    def test_a_known_kind_with_a_wrong_shape_is_kept_raw(self):
        with self.assertLogs("monad_gateway", "WARNING"):
            u = parse('{"server_seqno":3,"TPS":"fast"}')
        self.assertEqual((type(u), u.name, u.body), (UnknownFrame, "TPS", "fast"))

    def test_not_a_frame(self):
        for text in ('[1]', '{"TPS":1}', '{"server_seqno":"1","TPS":1}', '{"server_seqno":1,"TPS":1,"x":2}',
                     '{"server_seqno":true,"TPS":1}'):
            with self.subTest(text=text), self.assertRaises(DecodeError):
                parse(text)
