// An error in what the user typed: printed as one line with the command's usage, never a stack trace.
export class UsageError extends Error {
  constructor(message: string, readonly usage?: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Parses a number option, naming the option and the valid range when it is wrong. */
export function numberOption(
  name: string,
  raw: string | undefined,
  fallback: number,
  range: { min?: number; max?: number; integer?: boolean } = {},
): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  const { min = -Infinity, max = Infinity, integer = false } = range;
  if (raw.trim() === "" || !Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
    const kind = integer ? "an integer" : "a number";
    const bounds = [min > -Infinity ? `>= ${min}` : "", max < Infinity ? `<= ${max}` : ""].filter(Boolean).join(" and ");
    throw new UsageError(`--${name} must be ${kind}${bounds ? ` ${bounds}` : ""}, got "${raw}"`);
  }
  return value;
}
