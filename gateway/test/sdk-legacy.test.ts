// Code written for the old SDK (@monad-labs/execution-events) runs on ours: this file uses only the
// old API surface (constructor option names, events, methods, static REST helpers, type names) and
// imports the package as an application would, by name, so the published entry point and its
// declarations are what is tested (and typechecked, by tsconfig.test.json).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  GatewayClient,
  type AdvancedSubscribe,
  type BlockLifecycleSummary,
  type BlockLifecycleUpdate,
  type BlockStage,
  type Channel,
  type ContentionData,
  type EventFilterSpec,
  type EventName,
  type ExecEvent,
  type ExecEventPayload,
  type FieldFilter,
  type GatewayClientEvents,
  type GatewayClientOptions,
  type ResumeMode,
  type ServerMessage,
  type SimpleSubscribe,
  type StatusResponse,
  type TopAccessesData,
  type TPSResponse,
} from "@monad-gateway/sdk";
import type { Child } from "./helpers/child.js";
import { startGateway, type GatewayProcess } from "./helpers/gateway-process.js";
import { startSimRing } from "./helpers/sim-ring.js";
import { removeTempRings } from "./helpers/temp-ring.js";

let sim: { path: string; child: Child };
let gw: GatewayProcess;
beforeAll(async () => {
  sim = await startSimRing(["--blocks-per-second", "10", "--txns-per-block", "10-20", "--seed", "8"]);
  gw = await startGateway(["--ring", sim.path]);
});
afterAll(async () => {
  await gw?.stop();
  await sim?.child.kill();
  removeTempRings();
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("the old SDK's usage, unchanged", () => {
  it("the README example: events, TPS, subscribe, onEvent, connection events, resume", async () => {
    const options: GatewayClientOptions = {
      url: gw.ws,
      channel: "all" satisfies Channel,
      autoReconnect: true,
      reconnectDelay: 1000,
      maxReconnectDelay: 30000,
      maxReconnectAttempts: Infinity,
      heartbeatTimeout: 10000,
    };
    const client = new GatewayClient(options);
    const finalized: unknown[] = [];
    const tpsValues: number[] = [];
    const blockNumbers: unknown[] = [];
    const resumes: ResumeMode[] = [];
    let connected = 0;
    let disconnected = 0;
    const batches: ExecEvent[][] = [];
    const lifecycles: BlockLifecycleUpdate[] = [];

    client.on("event", (event: ExecEvent) => {
      if (event.event_name === "BlockFinalized") finalized.push(event.payload as ExecEventPayload);
    });
    client.on("events", (events) => batches.push(events));
    client.on("tps", (tps) => tpsValues.push(tps));
    client.on("lifecycle", (update) => lifecycles.push(update));
    client.on("contention", (data: ContentionData) => void data.block_number);
    client.on("topAccesses", (data: TopAccessesData) => void data.account);
    client.on("resume", (info) => resumes.push(info));
    client.on("connected", () => connected++);
    client.on("disconnected", () => disconnected++);
    client.on("reconnecting", (attempt: number, delayMs: number) => void [attempt, delayMs]);
    client.on("error", (error: Error) => void error.message);
    const handler: GatewayClientEvents["tps"] = () => {};
    client.on("tps", handler);
    client.off("tps", handler);
    client.once("connected", () => {});

    await client.connect();
    expect(client.connected).toBe(true);
    const resume = await client.waitForResume(5000);
    expect(["resume", "snapshot"]).toContain(resume.mode);

    // Filter to only block events and TPS, as the old README did.
    client.subscribe(["BlockStart", "BlockFinalized", "TPS"]);
    client.onEvent("BlockFinalized", (event) => {
      blockNumbers.push(event.block_number);
    });
    const deadline = Date.now() + 20_000;
    while ((blockNumbers.length < 3 || tpsValues.length < 3) && Date.now() < deadline) await sleep(50);
    expect(blockNumbers.length).toBeGreaterThanOrEqual(3);
    expect(finalized.length).toBeGreaterThanOrEqual(3);
    expect(tpsValues.every((t) => typeof t === "number")).toBe(true);
    expect(batches.length).toBeGreaterThan(0);
    expect(connected).toBe(1);
    expect(resumes.length).toBe(1);
    expect(typeof client.serverSeqno).toBe("number");

    // The advanced form, with the old loose types.
    const names: string[] = ["TxnLog"];
    const fieldFilter: FieldFilter = { field: "log_index", filter: { min: 0 } };
    const spec: EventFilterSpec = { event_name: "TxnLog", field_filters: [fieldFilter] };
    const stage: BlockStage = "Proposed";
    client.subscribe({ events: names, filters: [spec], min_stage: stage });
    const logs: ExecEvent[] = [];
    client.on("event", (e) => e.event_name === "TxnLog" && logs.push(e));
    while (logs.length < 5 && Date.now() < deadline + 10_000) await sleep(50);
    expect(logs.length).toBeGreaterThanOrEqual(5);

    client.disconnect();
    await sleep(100);
    expect(client.connected).toBe(false);
    expect(disconnected).toBe(1);
  });

  it("the static REST helpers", async () => {
    const { tps }: TPSResponse = await GatewayClient.fetchTPS(gw.http);
    expect(typeof tps).toBe("number");
    const status: StatusResponse = await GatewayClient.fetchStatus(gw.http);
    expect(status.connected_clients).toBeGreaterThanOrEqual(0);
    expect(["healthy", "degraded"]).toContain(status.status);
    expect(status.newest_seqno).toBe(status.server_seqno);
    let contention: ContentionData | undefined;
    for (let i = 0; i < 50 && !contention; i++) contention = await GatewayClient.fetchContention(gw.http).catch(() => sleep(100).then(() => undefined));
    expect(contention!.total_txn_count).toBeGreaterThan(0);
    const blocks: BlockLifecycleSummary[] = await GatewayClient.fetchLifecycle(gw.http);
    const n = Number(blocks[0].block_number);
    const one: BlockLifecycleSummary = await GatewayClient.fetchBlockLifecycle(gw.http, n);
    expect(one.block_number).toBe(n);
  });

  it("the old type names still describe the frames", () => {
    const frame: ServerMessage = { server_seqno: 1, TPS: 5 };
    const simple: SimpleSubscribe = { subscribe: ["TPS"] };
    const advanced: AdvancedSubscribe = { subscribe: { events: ["TxnLog"], min_stage: "Finalized" } };
    const name: EventName = "BlockStart";
    expect([frame, simple, advanced, name]).toHaveLength(4);
  });
});
