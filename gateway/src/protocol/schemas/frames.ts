// Server → client frames. Every frame is one JSON object with exactly two keys: server_seqno and
// one kind key (the Rust gateway's externally tagged `WireMessage`). The frame wrapper is closed;
// the objects inside are open so fields can be added without breaking clients.

import { ERROR_CODES, FRAME_KINDS, RESUME_REASONS, STREAM_FRAME_KINDS, WIRE_VERSION, type FrameKind } from "../constants.js";
import { FRAME_EXAMPLES } from "./frame-examples.js";
import { described, objectOf, ref, schemaDocument, taggedUnion, type Schema } from "./schema.js";

const c = (name: string) => ref("common", name);
const f = (name: string) => ref("frames", name);
const count = (description: string): Schema => ({ type: "integer", minimum: 0, description });

const CONTROL_KINDS = FRAME_KINDS.filter((k) => !(STREAM_FRAME_KINDS as readonly string[]).includes(k));

const SERVER_SEQNO_DOC =
  `Position in the gateway's broadcast stream (one counter per gateway run, see Hello.epoch). Stream frames (${STREAM_FRAME_KINDS.join(", ")}) ` +
  `each carry their own seqno and are what ?resume_from replays. Control frames (${CONTROL_KINDS.join(", ")}) are never replayed; ` +
  "they repeat the seqno of the last stream frame the connection was sent (before any: resume_from when resuming, else newest_seqno), " +
  "so a client that keeps the last server_seqno it saw as its resume cursor never moves backwards or skips frames. " +
  "A filtered client sees gaps: the counter is global, not per client.";

export const frameDefName = (k: FrameKind): string => `${k === "TPS" ? "Tps" : k}Frame`;

/** The schema of each kind key's value. */
const BODY: Readonly<Record<FrameKind, Schema>> = {
  Hello: f("ServerHello"),
  Resume: f("ResumeInfo"),
  Events: { type: "array", minItems: 1, items: ref("events", "ExecEvent"), description: "Events in ring order." },
  TPS: { type: "integer", minimum: 0, description: "Transactions per second over the last blocks, rounded to an integer (a bare number, as in the Rust gateway)." },
  ContentionData: f("ContentionData"),
  TopAccesses: f("TopAccesses"),
  Lifecycle: f("BlockLifecycleUpdate"),
  Warning: f("Warning"),
  Error: f("ProtocolError"),
};

const FRAME_DOC: Readonly<Record<FrameKind, string>> = {
  Hello: "First frame of every connection: who the server is, its limits and the subscription in effect.",
  Resume: "Second frame of every connection: whether the missed frames are replayed (resume) or the client starts from current state (snapshot).",
  Events: "A batch of execution events matching the subscription.",
  TPS: "Throughput estimate, sent at each BlockStart.",
  ContentionData: "Storage contention analysis of the block that just ended, sent at each BlockEnd.",
  TopAccesses: "Most accessed accounts and storage slots over the current window, sent after BlockEnd.",
  Lifecycle: "A block moved to a new commit stage.",
  Warning: "Something the client should know about but that does not end the connection: frames were dropped for it, events were lost upstream, or the ring's writer went away or came back.",
  Error: "The last client message was rejected; the previous subscription stays in effect.",
};

function frameDef(k: FrameKind, example: unknown): Schema {
  return {
    description: FRAME_DOC[k],
    examples: [example],
    ...objectOf({ server_seqno: described("Position in the broadcast stream (see ServerFrame).", c("U64")), [k]: BODY[k] }, { closed: true }),
  };
}

const resumeCommon = {
  epoch: { type: "string", minLength: 1, description: "The gateway's current epoch (as in Hello)." } satisfies Schema,
  oldest_seqno: described("Oldest server_seqno still in the resume buffer (0 when it is empty).", c("U64")),
  newest_seqno: described("Newest server_seqno assigned so far.", c("U64")),
};

const snapshotReasons: Readonly<Record<(typeof RESUME_REASONS)[number], string>> = {
  no_cursor: "the client gave no resume_from",
  cursor_too_old: "resume_from + 1 < oldest_seqno: frames after the cursor were already evicted",
  cursor_in_future: "resume_from > newest_seqno (typically a cursor from before a restart, given without epoch)",
  epoch_mismatch: "the epoch the client gave is not the current one (the gateway restarted)",
  buffer_empty: "the resume buffer holds nothing yet",
};

export const FRAMES = schemaDocument(
  "frames",
  "Server frames",
  'Frames the server sends on the WebSocket. Each is a JSON object with exactly two keys: "server_seqno" and one of ' +
    FRAME_KINDS.join(", ") +
    ". Clients must ignore frames of kinds they do not know.",
  {
    ServerFrame: {
      description: `Any server frame; the key next to server_seqno tells the kind. server_seqno: ${SERVER_SEQNO_DOC}`,
      oneOf: FRAME_KINDS.map((k) => f(frameDefName(k))),
    },
    ...Object.fromEntries(FRAME_KINDS.map((k) => [frameDefName(k), frameDef(k, FRAME_EXAMPLES[k])])),
    ServerHello: {
      description: "Server identity, limits and the effective subscription. Informational: the client needs to answer nothing.",
      ...objectOf({
        wire_version: { type: "integer", minimum: 1, description: `Wire protocol version (${WIRE_VERSION} for this document); bumped only on breaking changes.` },
        server_version: { type: "string", description: "Gateway software version." },
        epoch: {
          type: "string",
          minLength: 1,
          maxLength: 64,
          description: "Random id of this gateway run. server_seqno restarts at each run, so a cursor is only meaningful with its epoch: pass both back (?resume_from=N&epoch=E).",
        },
        channel: described("The channel (route) of this connection.", c("Channel")),
        features: { type: "array", items: { type: "string" }, description: "Feature flags of this server. Ignore unknown ones." },
        limits: f("ServerLimits"),
        subscription: described("The subscription in effect (the channel's default until the client subscribes).", ref("subscribe", "AdvancedSubscription")),
      }),
    },
    ServerLimits: {
      description: "Operational limits of this server.",
      ...objectOf({
        resume_buffer_size: count("Frames kept for ?resume_from replay."),
        client_send_buffer: count("Frames queued per client before frames are dropped for it."),
        slow_client_drop_limit: count("Dropped frames after which a slow client is disconnected."),
        heartbeat_interval_secs: count("Seconds between server pings."),
        heartbeat_timeout_secs: count("Seconds without any client traffic (pongs included) before the server closes the connection."),
        max_message_bytes: count("Largest client message accepted, in bytes."),
        max_subscribes_per_minute: count("Subscribe messages accepted per connection and minute; more are answered with an Error rate_limited."),
        max_connections_per_ip: count("Concurrent connections per client IP; more are refused with HTTP 429."),
      }),
    },
    ResumeInfo: {
      description: "Outcome of the connection's resume request. Replay is all or nothing: there is never a partial replay.",
      ...taggedUnion("mode", [f("ResumeReplay"), f("ResumeSnapshot")]),
    },
    ResumeReplay: {
      description:
        "Every stream frame with server_seqno > resume_from that matches the subscription follows, then live frames. Deduplicate by server_seqno.",
      ...objectOf({
        mode: { const: "resume" },
        ...resumeCommon,
        resume_from: described("The cursor the client gave.", c("U64")),
      }),
    },
    ResumeSnapshot: {
      description: "Nothing is replayed. Current state follows (latest TPS, ContentionData and active Lifecycle updates, as the subscription allows), then live frames.",
      ...objectOf(
        {
          mode: { const: "snapshot" },
          ...resumeCommon,
          resume_from: described("The cursor the client gave, if any.", c("U64")),
          reason: {
            enum: RESUME_REASONS,
            description: "Why no replay: " + RESUME_REASONS.map((r) => `${r}: ${snapshotReasons[r]}`).join("; ") + ".",
          },
        },
        { optional: ["resume_from"] },
      ),
    },
    ContentionData: {
      description:
        "Storage contention of one block: which slots several transactions touched (a necessary condition for re-execution in Monad's optimistic parallel execution), and how parallel the block could be.",
      ...objectOf({
        block_number: c("U64"),
        block_wall_time_ns: described("Time from BlockStart to BlockEnd, ns.", c("U64")),
        total_tx_time_ns: described("Sum over transactions of (TXN_END - TXN_HEADER_START) ring time, ns (the Rust gateway's definition).", c("U64")),
        parallel_efficiency_pct: { type: "number", description: "max(0, total_tx_time_ns - block_wall_time_ns) / total_tx_time_ns × 100, or 0." },
        total_unique_slots: count("Distinct (address, slot) pairs accessed by transactions."),
        contended_slot_count: count("Slots accessed by two or more transactions."),
        contention_ratio: { type: "number", minimum: 0, description: "contended_slot_count / total_unique_slots, or 0." },
        total_txn_count: count("Transactions in the block."),
        top_contended_slots: { type: "array", items: f("ContendedSlot"), maxItems: 20, description: "Most contended slots, by txn_count descending." },
        top_contended_contracts: { type: "array", items: f("ContractContention"), maxItems: 15, description: "Contracts with contended slots, by contended_slots descending." },
        contract_edges: { type: "array", items: f("ContractEdge"), maxItems: 15, description: "Contract pairs touched by the same transactions, by shared_txn_count descending." },
        total_evm_time_ns: described(
          "(New.) Sum over transactions of (TXN_PERF_EVM_EXIT - TXN_PERF_EVM_ENTER), ns: each transaction's EVM span, waits included. Spans overlap, so it can far exceed the wall time.",
          c("U64"),
        ),
        schedule: f("ContentionSchedule"),
      }),
    },
    ContendedSlot: {
      description: "A storage slot accessed by several transactions of the block.",
      ...objectOf({
        address: c("Address"),
        slot: c("Bytes32"),
        txn_count: count("Transactions that accessed the slot."),
        access_count: count("Accesses to the slot in the block."),
      }),
    },
    ContractContention: {
      description: "Contention of one contract's storage.",
      ...objectOf({
        address: c("Address"),
        total_slots: count("Distinct slots of the contract accessed."),
        contended_slots: count("Of those, slots accessed by two or more transactions."),
        total_accesses: count("Accesses to the contract's slots."),
        contention_score: { type: "number", minimum: 0, maximum: 1, description: "contended_slots / total_slots." },
      }),
    },
    ContractEdge: {
      description: "Two contracts whose storage the same transactions accessed (contract_a < contract_b).",
      ...objectOf({ contract_a: c("Address"), contract_b: c("Address"), shared_txn_count: count("Transactions that accessed both.") }),
    },
    ContentionSchedule: {
      description:
        "(New: not sent by the Rust gateway.) A greedy conflict-free schedule of the block's transactions. Two transactions conflict when one writes a storage slot the other reads or writes; each transaction goes, in block order, into the first batch after every batch holding an earlier transaction it conflicts with.",
      ...objectOf({
        batch_count: count("Number of batches."),
        critical_path_length: count("Length of the longest chain of transactions each conflicting with the previous one (in block order); equals batch_count."),
        critical_path_gas: count("The largest total gas_used along a chain of conflicting transactions."),
        total_gas: count("Sum of the transactions' gas_used (21,000 where unknown): the work ideal_speedup divides."),
        conflict_edges: count("Transaction pairs that conflict."),
        ideal_speedup: {
          description: "Speedup bound with 2, 4, 8 and 16 cores for a scheduler that knows the conflicts, time proportional to gas: total_gas / max(critical_path_gas, total_gas / N).",
          ...objectOf({
            "2": { type: "number", minimum: 0 },
            "4": { type: "number", minimum: 0 },
            "8": { type: "number", minimum: 0 },
            "16": { type: "number", minimum: 0 },
          }),
        },
        batches: { type: "array", items: { type: "integer", minimum: 0 }, description: "Transactions in each batch, in schedule order." },
      }),
    },
    TopAccesses: {
      description: "Most frequently accessed accounts and storage slots (approximate top-k) over the current window.",
      ...objectOf({
        account: { type: "array", items: f("AccountAccessCount") },
        storage: { type: "array", items: f("StorageAccessCount") },
      }),
    },
    AccountAccessCount: {
      description: "An account and how often it was accessed.",
      ...objectOf({ key: c("Address"), count: count("Accesses in the window (approximate).") }),
    },
    StorageAccessCount: {
      description: "A storage slot and how often it was accessed.",
      ...objectOf({
        key: {
          type: "array",
          items: [c("Address"), c("Bytes32")],
          minItems: 2,
          maxItems: 2,
          additionalItems: false,
          description: "[address, slot].",
        },
        count: count("Accesses in the window (approximate)."),
      }),
    },
    BlockLifecycleUpdate: {
      description: "A block's transition to a new commit stage. Stages only move forward; Rejected may follow any stage.",
      ...objectOf(
        {
          block_hash: described("Consensus block id (BlockStart.block_id), not the Ethereum block hash.", c("Bytes32")),
          block_number: c("U64"),
          from_stage: described("Previous stage; omitted for the first (Proposed) update and in snapshot updates.", c("CommitStage")),
          to_stage: described("New stage.", c("CommitStage")),
          time_in_previous_stage_ms: { type: "number", description: "Milliseconds spent in from_stage." },
          block_age_ms: { type: "number", description: "Milliseconds since the block was Proposed." },
          txn_count: count("Transactions of the block seen so far."),
          gas_used: described("Gas used by the block, once BlockEnd was seen.", c("U64")),
        },
        { optional: ["from_stage", "time_in_previous_stage_ms", "gas_used"] },
      ),
    },
    Warning: {
      description: "A non-fatal notice; `type` selects the variant. Clients must ignore types they do not know.",
      ...taggedUnion("type", [f("BackpressureWarning"), f("RingLossWarning"), f("WriterWarning")]),
    },
    BackpressureWarning: {
      description:
        "The client reads too slowly: frames were dropped for it (visible as server_seqno gaps). At drop_limit it is disconnected. Unlike the Rust gateway, `dropped` counts drops since the previous warning; the running total is total_dropped.",
      ...objectOf({
        type: { const: "backpressure" },
        dropped: count("Frames dropped since the previous backpressure warning."),
        total_dropped: count("Frames dropped for this connection so far."),
        drop_limit: count("total_dropped at which the connection is closed."),
        first_dropped_seqno: described("server_seqno of the first frame dropped since the previous warning.", c("U64")),
        last_dropped_seqno: described("server_seqno of the last frame dropped since the previous warning.", c("U64")),
      }),
    },
    RingLossWarning: {
      description: "Events were lost between the execution client and the gateway: ring_gap when the ring's writer overwrote events before the gateway read them, payload_expired when an event's payload was overwritten before it could be copied.",
      ...objectOf({
        type: { enum: ["ring_gap", "payload_expired"] },
        lost_events: count("Number of events lost."),
        message: { type: "string", description: "Human-readable detail." },
      }),
    },
    WriterWarning: {
      description: "The process writing the event ring (the execution client) exited (writer_gone) or a writer is back (writer_back). No events flow in between.",
      ...objectOf({
        type: { enum: ["writer_gone", "writer_back"] },
        message: { type: "string", description: "Human-readable detail." },
      }),
    },
    ProtocolError: {
      description: "Why a client message was rejected.",
      ...objectOf(
        {
          code: {
            type: "string",
            description:
              "Machine-readable reason: " +
              Object.entries(ERROR_CODES)
                .map(([k, v]) => `${k}: ${v}`)
                .join(" ") +
              " Treat unknown codes as generic errors.",
          },
          message: { type: "string", description: "Human-readable explanation naming the offending value and where it is." },
          valid: { type: "array", items: { type: "string" }, description: "The accepted values, when the error is about a value outside a fixed set." },
          path: { type: "string", description: 'Where in the client message the problem is, e.g. "subscribe.filters[0].field_filters[1]".' },
        },
        { optional: ["valid", "path"] },
      ),
    },
  },
);
