// The SDK's generated protocol files must be what the schemas generate today (like the gateway's own,
// see protocol-generated.test.ts), and the SDK's values must agree with the gateway's.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { staleFiles } from "../src/protocol/codegen/generate.js";
import { generateSdk, SDK_GENERATED_DIR } from "../src/protocol/codegen/sdk.js";
import { CHANNEL_SUBSCRIPTIONS, CHANNELS, EVENT_NAME_LIST, FIELD_FILTERS_BY_EVENT } from "../src/protocol/index.js";
import * as sdk from "../../sdk-ts/src/generated/constants.js";
import { SDK_VERSION } from "../../sdk-ts/src/version.js";

describe("SDK generated files", () => {
  let files: Map<string, string>;
  beforeAll(async () => {
    files = await generateSdk();
  }, 60_000);

  it("are up to date", async () => {
    expect(await staleFiles(files), "stale: run `node gateway/scripts/gen-protocol.mjs`").toEqual([]);
  });

  it("are the gateway's types, with 64/128-bit integers as number | bigint", () => {
    expect([...files.keys()].sort()).toEqual(
      ["common", "constants", "events", "frames", "index", "rest", "subscribe"].map((f) => `${SDK_GENERATED_DIR}/${f}.ts`),
    );
    const common = files.get(`${SDK_GENERATED_DIR}/common.ts`)!;
    for (const t of ["U64", "I64", "U128"]) expect(common).toContain(`export type ${t} = number | bigint;`);
    expect(common).toContain("export type U32 = number;");
    const gatewayEvents = readFileSync(new URL("../src/protocol/generated/events.ts", import.meta.url), "utf8");
    expect(files.get(`${SDK_GENERATED_DIR}/events.ts`)).toBe(gatewayEvents);
  });

  it("carry the gateway's vocabularies", () => {
    expect(sdk.CHANNELS).toEqual(CHANNELS);
    for (const c of CHANNELS) expect(sdk.CHANNEL_SUBSCRIPTIONS[c]).toEqual(CHANNEL_SUBSCRIPTIONS[c].events);
    expect(sdk.EVENT_NAMES).toEqual(EVENT_NAME_LIST);
    expect(sdk.FIELD_FILTERS_BY_EVENT).toEqual(FIELD_FILTERS_BY_EVENT);
  });

  it("SDK_VERSION is the package version", () => {
    const pkg = JSON.parse(readFileSync(new URL("../../sdk-ts/package.json", import.meta.url), "utf8")) as { version: string };
    expect(SDK_VERSION).toBe(pkg.version);
  });
});
