// End to end, all real processes: anvil + `monad-gateway bridge` + `monad-gateway serve` + `monad-gateway
// agent`. A degraded service breaches two streams' SLA; the agent reports it, the breaches come back
// through the gateway and are refunded; the agent is SIGKILLed right after its first refund, the
// gateway restarts (new epoch), another agent records a breach meanwhile; after the restart every
// breach on chain is processed exactly once.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runDemo } from "@monad-gateway/sla-agent";

describe("SLA loop on a devnet", () => {
  it("breach -> refund through the gateway; SIGKILL + gateway restart: no duplicate refund, no missed breach", async () => {
    const lines: string[] = [];
    const r = await runDemo({ quick: true, print: (l) => lines.push(l) });
    expect(r.breachesOnChain.length).toBeGreaterThanOrEqual(3);
    expect(new Set(r.breachesProcessed)).toEqual(new Set(r.breachesOnChain));
    expect(r.duplicateRefunds).toBe(0);
    expect(r.missedBreaches).toBe(0);
    expect(r.refundsBeforeKill).toBeGreaterThanOrEqual(1);
    // Refunds were left for the restarted agent, including the breach recorded while it was down.
    expect(r.breachesProcessed.length).toBeGreaterThan(r.refundsBeforeKill);
    expect(BigInt(r.refundedWei)).toBeGreaterThan(0n);
    expect(r.gatewayEvents.SLABreached).toBeGreaterThanOrEqual(3);
    expect(r.gatewayEvents.BreachProcessed).toBeGreaterThanOrEqual(1);
    // The gateway restart was noticed and the missed blocks read from the chain.
    expect(JSON.stringify(r.backfills)).toContain("gateway_restarted");
    // A pass with nothing left to read is not recorded.
    for (const b of r.backfills as { from: number; to: number }[]) expect(b.from).toBeLessThanOrEqual(b.to);
  }, 90_000);

  it("npm run demo:sla -- --quick narrates breach and refund", async () => {
    const root = fileURLToPath(new URL("../../../", import.meta.url));
    const { code, out } = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn("npm", ["run", "--silent", "demo:sla", "--", "--quick"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      child.stdout.on("data", (d) => (out += d));
      child.stderr.on("data", (d) => (out += d));
      child.on("exit", (c) => resolve({ code: c, out }));
    });
    expect(code, out).toBe(0);
    expect(out).toMatch(/service degraded/);
    expect(out).toMatch(/gateway: SLABreached/);
    expect(out).toMatch(/gateway: BreachProcessed .* refunded/);
    expect(out).toMatch(/agent killed with SIGKILL/);
    expect(out).toMatch(/0 duplicate refund\(s\), 0 missed/);
    expect(out).toMatch(/^OK: /m);
  }, 90_000);
});
