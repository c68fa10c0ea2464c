// `monad-gateway relay`: the webhook relay sidecar (clients/webhook-relay), loaded only when used.
import { COMMON, SUBSCRIBE } from "../../protocol/schemas/index.js";
import { UsageError } from "../usage-error.js";

const relay = await import("@monad-gateway/webhook-relay");

export const relayUsage = relay.relayUsage;

export async function relayCommand(argv: string[]): Promise<void> {
  try {
    await relay.relayMain(argv, { common: COMMON, subscribe: SUBSCRIBE });
  } catch (err) {
    // A bad config or command line is the user's to fix: one line, exit code 2 (main.ts prints it).
    if (err instanceof relay.ConfigError) throw new UsageError(err.message);
    if (err instanceof relay.RelayUsageError) throw new UsageError(err.message, relayUsage);
    throw err;
  }
}
