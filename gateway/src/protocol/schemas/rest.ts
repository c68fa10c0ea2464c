// REST response bodies. Each keeps the Rust gateway's keys (so its SDK's fetch helpers keep
// working) and adds fields; every 4xx/5xx answer carries a RestError body.

import { COMMIT_STAGES, HEALTH_STATUSES } from "../constants.js";
import { described, objectOf, ref, schemaDocument, type Schema } from "./schema.js";

const c = (name: string) => ref("common", name);
const count = (description: string): Schema => ({ type: "integer", minimum: 0, description });
const ms = (description: string): Schema => ({ type: "number", description });

/** One REST route: the documented status codes point at definitions of this document (or frames). */
export interface RestRoute {
  readonly method: "GET";
  readonly path: string;
  readonly summary: string;
  /** Definition of the 200 body, as [document, name]. */
  readonly ok: readonly ["rest" | "frames", string];
  /** Non-200 statuses this route documents; all carry RestError. */
  readonly errors: readonly string[];
}

export const REST_ROUTES: readonly RestRoute[] = [
  { method: "GET", path: "/v1/tps", summary: "Current throughput estimate.", ok: ["rest", "TpsResponse"], errors: [] },
  { method: "GET", path: "/v1/status", summary: "Gateway state, resume window and ring reader health.", ok: ["rest", "StatusResponse"], errors: [] },
  {
    method: "GET",
    path: "/v1/contention",
    summary: "ContentionData of the last ended block.",
    ok: ["frames", "ContentionData"],
    errors: ["404 no_data: no block has ended yet (the Rust gateway answered 200 with {\"error\":\"no contention data yet\"})"],
  },
  {
    method: "GET",
    path: "/v1/blocks/lifecycle",
    summary: "Lifecycle summaries of recent blocks: completed ones (oldest first), then active ones by block number.",
    ok: ["rest", "BlockLifecycleList"],
    errors: [],
  },
  {
    method: "GET",
    path: "/v1/blocks/:block_number/lifecycle",
    summary: "Lifecycle summary of one recent block.",
    ok: ["rest", "BlockLifecycleSummary"],
    errors: ["400 bad_request: block_number is not a non-negative integer", "404 not_found: the block is not (or no longer) tracked (the Rust gateway answered 200)"],
  },
  {
    method: "GET",
    path: "/health",
    summary: "Liveness for load balancers and orchestrators.",
    ok: ["rest", "HealthResponse"],
    errors: ["503: the same HealthResponse body with success false (the Rust gateway exited the process instead)"],
  },
];

const stageTimings: Record<string, Schema> = Object.fromEntries(
  COMMIT_STAGES.map((s) => [s, ms(s === "Proposed" ? "0 (the reference point), when present." : `Milliseconds from Proposed to ${s}.`)]),
);

export const REST = schemaDocument(
  "rest",
  "REST bodies",
  "JSON bodies of the HTTP endpoints (GET only; CORS allows any origin). Every 4xx/5xx response has a RestError body.",
  {
    TpsResponse: {
      description:
        "Throughput over the last 2.5 blocks: tps_exact = (txns of the two newest whole blocks + half the third) / (window_blocks x block_interval_ms / 1000); see gateway/src/enrich/README.md. `tps` is the integer the TPS frame carries.",
      examples: [{ tps: 2450, tps_exact: 2450.4, window_blocks: 2.5, block_interval_ms: 400, block_number: 15000030 }],
      ...objectOf(
        {
          tps: count("Transactions per second, rounded (the Rust gateway's only key)."),
          tps_exact: { type: "number", minimum: 0, description: "The same estimate before rounding." },
          window_blocks: { type: "number", minimum: 0, maximum: 3, description: "Blocks the estimate covers (2.5 once three blocks were seen; weights 1, 1, 1/2)." },
          block_interval_ms: ms("Mean block interval over the window, ms (0 before two blocks were seen)."),
          block_number: described("The block whose BLOCK_START produced this value (0 before the first block).", c("U64")),
        },
        { optional: ["block_interval_ms", "block_number"] },
      ),
    },
    StatusResponse: {
      description: "Gateway state. The first eight keys are the Rust gateway's.",
      examples: [
        {
          status: "healthy",
          block_number: 15000030,
          connected_clients: 12,
          uptime_secs: 3600,
          last_event_age_secs: 0.2,
          server_seqno: 52000,
          oldest_seqno: 1,
          newest_seqno: 52000,
          epoch: "k3v9q2xw",
          drops: { frames: 0, clients_disconnected: 0 },
          ring: { path: "/var/lib/hugetlbfs/user/monad/pagesize-2MB/event-rings/monad-exec-events", writer_pid: 4242, writer_alive: true, lag_events: 12, last_seqno: 9120456 },
        },
      ],
      ...objectOf({
        status: {
          enum: HEALTH_STATUSES,
          description: "healthy; degraded when no event arrived for more than 10 s; unhealthy when the ring's writer is gone or the reader failed.",
        },
        block_number: described("Latest block seen (0 before the first).", c("U64")),
        connected_clients: count("Open WebSocket connections."),
        uptime_secs: count("Seconds since the gateway started."),
        last_event_age_secs: { type: "number", minimum: 0, description: "Seconds since the last ring event (since start when there was none)." },
        server_seqno: described("Latest server_seqno assigned (same as newest_seqno).", c("U64")),
        oldest_seqno: described("Oldest server_seqno in the resume buffer (0 when empty).", c("U64")),
        newest_seqno: described("Newest server_seqno in the resume buffer.", c("U64")),
        epoch: { type: "string", minLength: 1, description: "Epoch of this gateway run (see Hello.epoch)." },
        drops: {
          description: "Backpressure since start.",
          ...objectOf({ frames: count("Frames dropped for slow clients."), clients_disconnected: count("Clients disconnected for exceeding the drop limit.") }),
        },
        ring: {
          description: "The execution event ring being read.",
          ...objectOf({
            path: { type: "string", description: "Ring file (or snapshot) path." },
            writer_pid: count("PID of the process writing the ring; 0 when none (or when replaying a snapshot)."),
            writer_alive: { type: "boolean", description: "Whether that process is alive." },
            lag_events: count("Events the writer recorded that the gateway has not read yet."),
            last_seqno: described("Last ring seqno the gateway read.", c("U64")),
          }),
        },
      }),
    },
    BlockLifecycleSummary: {
      description: "Where a recent block is in its lifecycle, with the time each stage took to reach.",
      examples: [
        {
          block_hash: "0x8c1ad3fbd5b7a4dd1c54c6e0f3e6a1d3c4b2a19088f7e6d5c4b3a2918070605f",
          block_number: 15000001,
          current_stage: "Finalized",
          txn_count: 150,
          gas_used: 12500000,
          eth_block_hash: "0x4a5b0a2c3d8e1f9b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b",
          stage_timings_ms: { Voted: 412.5, Finalized: 820.1 },
          execution_time_ms: 48.2,
          total_age_ms: 820.1,
        },
      ],
      ...objectOf(
        {
          block_hash: described("Consensus block id (BlockStart.block_id).", c("Bytes32")),
          block_number: c("U64"),
          current_stage: c("CommitStage"),
          txn_count: count("Transactions of the block seen so far."),
          gas_used: described("Gas used, once BlockEnd was seen.", c("U64")),
          eth_block_hash: described("Ethereum-style block hash, once BlockEnd was seen.", c("Bytes32")),
          stage_timings_ms: {
            description: "Milliseconds from Proposed to each later stage reached (the Rust gateway left Proposed out; so may this gateway).",
            ...objectOf(stageTimings, { optional: COMMIT_STAGES }),
          },
          execution_time_ms: ms("Milliseconds from Proposed to BlockEnd."),
          total_age_ms: ms("Milliseconds from Proposed to the current stage."),
        },
        { optional: ["gas_used", "eth_block_hash", "execution_time_ms", "total_age_ms"] },
      ),
    },
    BlockLifecycleList: {
      description: "Recent blocks: the last completed (Verified or Rejected) ones, oldest first, then the active ones by block number.",
      type: "array",
      items: ref("rest", "BlockLifecycleSummary"),
    },
    HealthResponse: {
      description: "Liveness. HTTP 200 with success true while events flow; HTTP 503 with success false otherwise.",
      examples: [{ success: true, status: "healthy" }, { success: false, status: "unhealthy", reason: "no ring event for 31 s" }],
      ...objectOf(
        {
          success: { type: "boolean", description: "The Rust gateway's only key." },
          status: { enum: HEALTH_STATUSES, description: "Same levels as /v1/status." },
          reason: { type: "string", description: "Why the gateway is not healthy." },
        },
        { optional: ["reason"] },
      ),
    },
    RestError: {
      description: "Body of every 4xx/5xx response.",
      examples: [{ error: "block 15000001 not found", code: "not_found" }],
      ...objectOf(
        {
          error: { type: "string", description: "Human-readable message (the Rust gateway's only key)." },
          code: { type: "string", description: "Machine-readable code, as in ProtocolError.code." },
          valid: { type: "array", items: { type: "string" }, description: "Accepted values, when a parameter was outside a fixed set." },
        },
        { optional: ["code", "valid"] },
      ),
    },
  },
);
