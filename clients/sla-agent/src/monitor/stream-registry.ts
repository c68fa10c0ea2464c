// Which streams each service is judged by: the ids named in the config, plus (for a service with a
// recipient) every stream paying that recipient, found from the factory's StreamCreated logs and
// followed as new ones are created. Each stream's terms are read once (they never change).
import { getAbiItem, type AbiEvent, type Address } from "viem";
import { abiOf } from "../chain/artifacts.js";
import type { ChainContext } from "../chain/chain-context.js";
import type { ServiceConfig } from "../config/load-config.js";
import type { SLA, StreamTerms } from "./sla-terms.js";

const factoryAbi = abiOf("SLAStreamFactory");
const streamCreated = getAbiItem({ abi: factoryAbi, name: "StreamCreated" }) as AbiEvent;

export class StreamRegistry {
  /** service name → stream id → terms */
  readonly streams = new Map<string, Map<bigint, StreamTerms>>();
  private scannedTo: bigint;

  constructor(
    private readonly chain: ChainContext,
    private readonly factory: Address,
    private readonly services: ServiceConfig[],
    fromBlock: number,
    private readonly log: { warn(o: object, msg: string): void; info(o: object, msg: string): void },
  ) {
    this.scannedTo = BigInt(Math.max(0, fromBlock)) - 1n;
    for (const s of services) this.streams.set(s.name, new Map());
  }

  async init(): Promise<void> {
    for (const s of this.services) for (const id of s.streams) await this.add(s.name, id);
    await this.discover();
  }

  /** Looks for new streams paying the services' recipients, up to the chain head. */
  async discover(): Promise<void> {
    const withRecipient = this.services.filter((s) => s.recipient);
    if (withRecipient.length === 0) return;
    const head = await this.chain.public.getBlockNumber();
    if (head <= this.scannedTo) return;
    const logs = await this.chain.public.getLogs({
      address: this.factory,
      event: streamCreated,
      args: { recipient: withRecipient.map((s) => s.recipient!) },
      fromBlock: this.scannedTo + 1n,
      toBlock: head,
    });
    for (const log of logs) {
      const { streamId, recipient } = log.args as { streamId: bigint; recipient: Address };
      for (const s of withRecipient) if (s.recipient!.toLowerCase() === recipient.toLowerCase()) await this.add(s.name, streamId);
    }
    this.scannedTo = head;
  }

  private async add(service: string, streamId: bigint): Promise<void> {
    const map = this.streams.get(service)!;
    if (map.has(streamId)) return;
    const [exists, startTime, stopTime, sla] = await this.chain.read<[boolean, number, number, SLA]>(this.factory, factoryAbi, "slaTermsOf", [streamId]);
    if (!exists) {
      this.log.warn({ service, streamId: streamId.toString() }, "configured stream does not exist on chain; not monitored");
      return;
    }
    map.set(streamId, { streamId, startTime: Number(startTime), stopTime: Number(stopTime), sla });
    this.log.info({ service, streamId: streamId.toString(), windowSeconds: sla.windowSeconds }, "monitoring stream");
  }

  count(): number {
    let n = 0;
    for (const m of this.streams.values()) n += m.size;
    return n;
  }
}
