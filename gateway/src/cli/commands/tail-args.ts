// `monad-gateway tail` options → the SDK client's options. Everything is checked here, before any
// connection, so a typo is a one-line usage error even when no gateway is running.
import { parseArgs } from "node:util";
import {
  CHANNEL_SUBSCRIPTIONS,
  CHANNELS,
  COMMIT_STAGES,
  EVENT_NAMES,
  FIELD_FILTERS_BY_EVENT,
  META_ITEMS,
  NATIVE_TRANSFER,
  parseInt64,
  type AdvancedSubscription,
  type Channel,
  type CommitStage,
  type EventFilterSpec,
  type Int,
  type SubscribeItem,
} from "@monad-gateway/sdk";
import { numberOption, UsageError } from "../usage-error.js";

export interface TailArgs {
  url: string;
  channel: Channel;
  /** Undefined: the channel's own subscription. */
  subscription?: AdvancedSubscription;
  resumeFrom?: Int;
  epoch?: string;
  json: boolean;
  limit: number;
}

const SUBSCRIBE_ITEMS: readonly string[] = [...EVENT_NAMES, ...META_ITEMS, NATIVE_TRANSFER];
const STAGES: readonly string[] = COMMIT_STAGES.filter((s) => s !== "Rejected");
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const TOPIC = /^0x[0-9a-fA-F]{64}$/;

const list = (raw: string[] | undefined): string[] =>
  (raw ?? [])
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v !== "");

export function parseTailArgs(argv: string[], usage: string): TailArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: "string" },
      channel: { type: "string" },
      events: { type: "string", multiple: true },
      address: { type: "string", multiple: true },
      topic: { type: "string", multiple: true },
      "min-stage": { type: "string" },
      from: { type: "string" },
      epoch: { type: "string" },
      json: { type: "boolean" },
      limit: { type: "string" },
    },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"; tail takes only options`, usage);

  const url = values.url ?? "ws://localhost:8443";
  if (!/^(wss?|https?):\/\/[^/]/.test(url)) throw new UsageError(`--url must be a ws://, wss://, http:// or https:// URL, got "${url}"`);
  const channel = (values.channel ?? "all") as Channel;
  if (!(CHANNELS as readonly string[]).includes(channel)) throw new UsageError(`--channel must be one of ${CHANNELS.join(", ")}, got "${channel}"`);

  const events = list(values.events);
  for (const e of events) if (!SUBSCRIBE_ITEMS.includes(e)) throw new UsageError(`--events: unknown event "${e}"; valid: ${SUBSCRIBE_ITEMS.join(", ")}`);
  const addresses = list(values.address);
  for (const a of addresses) if (!ADDRESS.test(a)) throw new UsageError(`--address must be 0x and 40 hex digits, got "${a}"`);
  const topics = list(values.topic);
  for (const t of topics) if (!TOPIC.test(t)) throw new UsageError(`--topic must be 0x and 64 hex digits, got "${t}"`);
  if (topics.length > 4) throw new UsageError(`--topic: a log has at most 4 topics, got ${topics.length}`);
  const minStage = values["min-stage"];
  if (minStage !== undefined && !STAGES.includes(minStage)) throw new UsageError(`--min-stage must be one of ${STAGES.join(", ")}, got "${minStage}"`);

  let resumeFrom: Int | undefined;
  if (values.from !== undefined) {
    resumeFrom = parseInt64(values.from);
    if (resumeFrom === undefined || resumeFrom < 0) throw new UsageError(`--from must be a server_seqno (an integer >= 0), got "${values.from}"`);
  }
  if (values.epoch !== undefined && values.from === undefined) throw new UsageError("--epoch qualifies --from; give both");

  return {
    url,
    channel,
    subscription: subscriptionOf(channel, events as SubscribeItem[], addresses, topics, minStage as CommitStage | undefined),
    ...(resumeFrom !== undefined ? { resumeFrom } : {}),
    ...(values.epoch !== undefined ? { epoch: values.epoch } : {}),
    json: values.json === true,
    limit: numberOption("limit", values.limit, Infinity, { min: 1, integer: true }),
  };
}

/**
 * The advanced subscription the options describe. --address narrows every listed event that has an
 * address field (events without one are still delivered, unfiltered); --topic narrows TxnLog.
 * Address or topic without --events means TxnLog; --min-stage alone keeps the channel's events.
 */
function subscriptionOf(
  channel: Channel,
  events: SubscribeItem[],
  addresses: string[],
  topics: string[],
  minStage: CommitStage | undefined,
): AdvancedSubscription | undefined {
  if (events.length === 0 && addresses.length === 0 && topics.length === 0 && minStage === undefined) return undefined;
  const wanted: SubscribeItem[] = events.length > 0 ? events : addresses.length > 0 || topics.length > 0 ? ["TxnLog"] : [...CHANNEL_SUBSCRIPTIONS[channel]];
  const filters: EventFilterSpec[] = [];
  if (addresses.length > 0) {
    const targets = wanted.filter((e) => FIELD_FILTERS_BY_EVENT[e as keyof typeof FIELD_FILTERS_BY_EVENT]?.includes("address"));
    if (targets.length === 0) {
      const able = Object.entries(FIELD_FILTERS_BY_EVENT)
        .filter(([, f]) => f.includes("address"))
        .map(([e]) => e);
      throw new UsageError(`--address filters ${able.join(", ")}; none of them is in --events`);
    }
    for (const e of targets) {
      const field_filters: unknown[] = [{ field: "address", filter: { values: addresses } }];
      if (e === "TxnLog" && topics.length > 0) field_filters.push({ field: "topics", filter: { values: topics } });
      filters.push({ event_name: e, field_filters } as EventFilterSpec);
    }
  }
  if (topics.length > 0) {
    if (!wanted.includes("TxnLog")) throw new UsageError("--topic filters TxnLog; add it to --events");
    if (addresses.length === 0) filters.push({ event_name: "TxnLog", field_filters: [{ field: "topics", filter: { values: topics } }] });
  }
  return { events: wanted, ...(filters.length > 0 ? { filters } : {}), ...(minStage !== undefined ? { min_stage: minStage } : {}) };
}
