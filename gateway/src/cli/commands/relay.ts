// Placeholder until the relay command lands (being written this session).
import { UsageError } from "../usage-error.js";

export const relayUsage = "monad-gateway relay: not available yet";

export async function relayCommand(_argv: string[]): Promise<void> {
  throw new UsageError("the relay command is not available yet", relayUsage);
}
