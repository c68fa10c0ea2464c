// What the topic fan-out relies on in this uWS build (20.30, unofficial): topic messages, big or small,
// and direct sends reach a subscriber in the order they were made; a topic message still pending
// when the socket unsubscribes in the same loop iteration is LOST, unless a send (a ping will do)
// drains the subscriber's pending messages first. Real sockets, real uWS.
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { uws } from "../src/transport/uws.js";

async function withServer(run: (app: ReturnType<typeof uws.App>, sock: () => any, got: string[]) => Promise<void>): Promise<void> {
  let sock: any;
  const app = uws.App().ws("/", { maxBackpressure: 64 << 20, open: (ws) => { sock = ws; ws.subscribe("t"); } });
  const ls: any = await new Promise((r) => app.listen("127.0.0.1", 0, r));
  const got: string[] = [];
  const c = new WebSocket(`ws://127.0.0.1:${uws.us_socket_local_port(ls)}/`);
  c.on("message", (m) => got.push(String(m).split(":")[0]));
  await new Promise((r) => c.on("open", r));
  await new Promise((r) => setTimeout(r, 50));
  try {
    await run(app, () => sock, got);
  } finally {
    c.close();
    uws.us_listen_socket_close(ls);
  }
}

const msg = (name: string, size: number) => Buffer.from(`${name}:`.padEnd(size, "x"));
const settle = () => new Promise((r) => setTimeout(r, 150));

describe("uWS topics, as the hub would use them", () => {
  it("keeps the order of small and big (>= 16 KiB) topic messages and direct sends", async () => {
    await withServer(async (app, sock, got) => {
      app.publish("t", msg("1", 100), false);
      app.publish("t", msg("2", 32 << 10), false);
      app.publish("t", msg("3", 100), false);
      sock().send(msg("4", 100), false);
      app.publish("t", msg("5", 100), false);
      sock().send(msg("6", 32 << 10), false);
      await settle();
      expect(got).toEqual(["1", "2", "3", "4", "5", "6"]);
    });
  });

  it("loses a pending topic message at unsubscribe, unless a ping drains it first", async () => {
    await withServer(async (app, sock, got) => {
      app.publish("t", msg("lost", 100), false);
      sock().unsubscribe("t");
      await settle();
      expect(got).toEqual([]);
      sock().subscribe("t");
      app.publish("t", msg("kept", 100), false);
      sock().ping();
      sock().unsubscribe("t");
      await settle();
      expect(got).toEqual(["kept"]);
    });
  });
});
