// Placeholder until the bridge command lands (being written this session).
import { UsageError } from "../usage-error.js";

export const bridgeUsage = "monad-gateway bridge: not available yet";

export async function bridgeCommand(_argv: string[]): Promise<void> {
  throw new UsageError("the bridge command is not available yet", bridgeUsage);
}
