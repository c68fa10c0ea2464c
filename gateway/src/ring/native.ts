// The one place that loads the C addon (native/). Everything else imports it from here.
import { createRequire } from "node:module";
import type * as Native from "@monad-gateway/native";

const require = createRequire(import.meta.url);

export const native: typeof Native = require("@monad-gateway/native");
export type { RingHandle, RingInfo } from "@monad-gateway/native";

/** An error raised by the addon: `code` is one of the ERING_* codes in native/index.d.ts. */
export interface RingError extends Error {
  code: string;
}

export function isRingError(err: unknown): err is RingError {
  return err instanceof Error && typeof (err as RingError).code === "string" && (err as RingError).code.startsWith("ERING");
}
