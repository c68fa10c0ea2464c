// The vesting arithmetic in TypeScript, to check the contracts' numbers exactly.
export interface StoredStream {
  sender: `0x${string}`;
  recipient: `0x${string}`;
  token: `0x${string}`;
  startTime: number;
  stopTime: number;
  snapshotTime: number;
  canceled: boolean;
  deposit: bigint;
  withdrawn: bigint;
  refunded: bigint;
  vestedSnapshot: bigint;
  refundPaid: bigint;
}

/** Linear from (snapshotTime, vestedSnapshot) to (stopTime, deposit - refunded), rounded down. */
export function vestedAt(s: StoredStream, t: bigint): bigint {
  const from = BigInt(s.snapshotTime);
  const stop = BigInt(s.stopTime);
  const total = s.deposit - s.refunded;
  if (t <= from) return s.vestedSnapshot;
  if (t >= stop) return total;
  return s.vestedSnapshot + ((total - s.vestedSnapshot) * (t - from)) / (stop - from);
}

export function unvestedAt(s: StoredStream, t: bigint): bigint {
  return s.deposit - s.refunded - vestedAt(s, t);
}

/** What the contract still owes on this stream: to the recipient and to the sender. */
export function liability(s: StoredStream): bigint {
  return s.deposit - s.withdrawn - s.refundPaid;
}
