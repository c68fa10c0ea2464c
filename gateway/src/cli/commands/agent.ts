// Placeholder until the agent command lands (being written this session).
import { UsageError } from "../usage-error.js";

export const agentUsage = "monad-gateway agent: not available yet";

export async function agentCommand(_argv: string[]): Promise<void> {
  throw new UsageError("the agent command is not available yet", agentUsage);
}
