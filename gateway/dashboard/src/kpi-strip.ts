// The figures a person glances at first: throughput, chain head, finality, contention, health.
import { byId, el, setText } from "./dom.js";
import { formatInt, formatMs, formatPct } from "./format.js";
import type { DashboardState } from "./state.js";

interface Kpi {
  key: string;
  label: string;
  value: string;
  sub: string;
  tone?: "good" | "warn" | "bad";
}

export class KpiStrip {
  private readonly root = byId("kpis");
  private readonly cards = new Map<string, { value: HTMLElement; sub: HTMLElement; card: HTMLElement }>();

  render(s: DashboardState): void {
    for (const k of kpis(s)) {
      let c = this.cards.get(k.key);
      if (!c) {
        const value = el("div", { class: "kpi-value" });
        const sub = el("div", { class: "kpi-sub" });
        const card = el("div", { class: "kpi", data: { kpi: k.key } }, [el("div", { class: "kpi-label", text: k.label }), value, sub]);
        this.root.append(card);
        c = { value, sub, card };
        this.cards.set(k.key, c);
      }
      setText(c.value, k.value);
      setText(c.sub, k.sub);
      if (k.tone) c.card.dataset.tone = k.tone;
      else delete c.card.dataset.tone;
    }
  }
}

function kpis(s: DashboardState): Kpi[] {
  const head = s.blocks.highestAt("Proposed");
  const finalized = s.blocks.highestAt("Finalized");
  const verified = s.blocks.highestAt("Verified");
  const c = s.latestContention;
  const st = s.status;
  const live = s.connection === "connected";
  return [
    { key: "tps", label: "Throughput", value: s.tpsNow === null ? "–" : `${formatInt(s.tpsNow)} tx/s`, sub: s.blockIntervalMs ? `${formatMs(s.blockIntervalMs)} blocks` : "per TPS frame" },
    {
      key: "head",
      label: "Latest block",
      value: head === null ? "–" : `#${formatInt(head)}`,
      sub: `finalized ${finalized === null ? "–" : `#${formatInt(finalized)}`} · verified ${verified === null ? "–" : `#${formatInt(verified)}`}`,
    },
    {
      key: "finality",
      label: "Time to finality",
      value: formatMs(s.blocks.medianTiming("Finalized")),
      sub: `voted ${formatMs(s.blocks.medianTiming("Voted"))} · verified ${formatMs(s.blocks.medianTiming("Verified"))}`,
    },
    {
      key: "contention",
      label: "Contended slots",
      value: c ? formatPct(c.contention_ratio) : "–",
      sub: c ? `${formatInt(c.contended_slot_count)} of ${formatInt(c.total_unique_slots)} in #${formatInt(c.block_number)}` : "waiting for a block",
      tone: c && c.contention_ratio > 0.25 ? "warn" : undefined,
    },
    {
      key: "speedup",
      label: "Ideal speedup ×16",
      value: c ? `${c.schedule.ideal_speedup["16"].toFixed(2)}×` : "–",
      sub: c ? `${formatInt(c.schedule.batch_count)} batches for ${formatInt(c.total_txn_count)} txns` : "conflict-free schedule",
    },
    {
      key: "gateway",
      label: "Gateway",
      value: !live ? s.connection : st ? st.status : "…",
      sub: live && st ? `${formatInt(st.connected_clients)} clients · ${s.gaps} gaps · ${formatInt(st.drops.frames)} drops` : s.connectionDetail || "",
      tone: !live ? "bad" : st?.status === "healthy" ? "good" : st ? "warn" : undefined,
    },
  ];
}
