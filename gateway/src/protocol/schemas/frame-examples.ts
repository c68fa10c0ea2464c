// Example frames for the frame schemas (they appear in the generated docs and are validated by
// the tests, so they cannot drift from the schemas).

import { WIRE_VERSION, type FrameKind } from "../constants.js";

const ADDR_A = "0x1f9840a85d5af5bf1d1762f925bdaddc4201f984";
const ADDR_B = "0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2";
const SLOT = "0x0000000000000000000000000000000000000000000000000000000000000008";
const BLOCK_ID = "0x8c1ad3fbd5b7a4dd1c54c6e0f3e6a1d3c4b2a19088f7e6d5c4b3a2918070605f";

const LIMITS = {
  resume_buffer_size: 100000,
  client_send_buffer: 4096,
  slow_client_drop_limit: 10000,
  heartbeat_interval_secs: 30,
  heartbeat_timeout_secs: 60,
  max_message_bytes: 65536,
  max_subscribes_per_minute: 60,
  max_connections_per_ip: 10,
};

const CONTENTION_EXAMPLE = {
  block_number: 15000001,
  block_wall_time_ns: 45000000,
  total_tx_time_ns: 350000000,
  parallel_efficiency_pct: 87.14,
  total_unique_slots: 1523,
  contended_slot_count: 42,
  contention_ratio: 0.0275,
  total_txn_count: 150,
  top_contended_slots: [{ address: ADDR_A, slot: SLOT, txn_count: 7, access_count: 12 }],
  top_contended_contracts: [{ address: ADDR_A, total_slots: 40, contended_slots: 5, total_accesses: 96, contention_score: 0.125 }],
  contract_edges: [{ contract_a: ADDR_A, contract_b: ADDR_B, shared_txn_count: 9 }],
  total_evm_time_ns: 1840000000,
  schedule: {
    batch_count: 4,
    critical_path_length: 4,
    critical_path_gas: 1260000,
    total_gas: 9450000,
    conflict_edges: 37,
    ideal_speedup: { "2": 1.98, "4": 3.75, "8": 5.2, "16": 5.2 },
    batches: [120, 21, 7, 2],
  },
};

/** One realistic frame of each kind; protocol-schemas.test.ts validates them. */
export const FRAME_EXAMPLES: Readonly<Record<FrameKind, unknown>> = {
  Hello: {
    server_seqno: 1200,
    Hello: {
      wire_version: WIRE_VERSION,
      server_version: "0.1.0",
      epoch: "k3v9q2xw",
      channel: "blocks",
      features: ["lifecycle", "contention", "resume", "heartbeat", "stage_filter", "backpressure_notify", "epoch", "error_frames"],
      limits: LIMITS,
      subscription: { events: ["BlockStart", "BlockEnd", "BlockQC", "BlockFinalized", "BlockVerified", "BlockReject", "TPS", "Lifecycle"] },
    },
  },
  Resume: { server_seqno: 1200, Resume: { mode: "resume", epoch: "k3v9q2xw", oldest_seqno: 1, newest_seqno: 1200, resume_from: 1180 } },
  Events: {
    server_seqno: 1201,
    Events: [
      {
        event_name: "BlockFinalized",
        block_number: 15000001,
        payload: { type: "BlockFinalized", block_id: BLOCK_ID, block_number: 15000001 },
        seqno: 6590,
        timestamp_ns: 1769023529512366000,
      },
    ],
  },
  TPS: { server_seqno: 1202, TPS: 2450 },
  ContentionData: { server_seqno: 1203, ContentionData: CONTENTION_EXAMPLE },
  TopAccesses: { server_seqno: 1204, TopAccesses: { account: [{ key: ADDR_A, count: 15234 }], storage: [{ key: [ADDR_A, SLOT], count: 8921 }] } },
  Lifecycle: {
    server_seqno: 1205,
    Lifecycle: { block_hash: BLOCK_ID, block_number: 15000001, from_stage: "Proposed", to_stage: "Voted", time_in_previous_stage_ms: 412.5, block_age_ms: 412.5, txn_count: 150, gas_used: 12500000 },
  },
  Warning: {
    server_seqno: 1205,
    Warning: { type: "backpressure", dropped: 1000, total_dropped: 3000, drop_limit: 10000, first_dropped_seqno: 1206, last_dropped_seqno: 2205 },
  },
  Error: {
    server_seqno: 1205,
    Error: {
      code: "unknown_event",
      message: 'unknown event "BlockStrat" at subscribe[1]; valid: RecordError, BlockStart, …',
      path: "subscribe[1]",
      valid: ["RecordError", "BlockStart"],
    },
  },
};
