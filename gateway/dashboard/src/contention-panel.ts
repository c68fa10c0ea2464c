// Contention of the newest executed block: how many storage slots several transactions touched, how
// parallel the block was, and the conflict-free batch schedule; below, the trend over recent blocks.
import type { ContentionData } from "@monad-gateway/sdk";
import { axis, Chart, COLORS } from "./chart.js";
import { byId, el, setText } from "./dom.js";
import { formatGas, formatInt, formatMs, formatPct, formatSlot, shortHex } from "./format.js";
import type { DashboardState } from "./state.js";

/** Batches drawn as bars; a longer schedule shows its first ones and a count of the rest. */
const MAX_BARS = 48;
const TOP_SLOTS = 5;
/** Whole blocks between x-axis ticks. */
const BLOCK_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

export class ContentionPanel {
  private readonly body = byId("contention-body");
  private readonly sub = byId("contention-sub");
  private readonly chart: Chart;
  private drawnBlock: number | null = null;

  constructor() {
    this.chart = new Chart(
      byId("contention-chart"),
      {
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: false }, pct: { range: [0, 100] }, speedup: { range: (_u, _min, max) => [0, Math.max(2, Math.ceil((max ?? 0) + 0.5))] } },
        series: [
          { label: "block", value: (_u, v) => (v === null || v === undefined ? "–" : `#${formatInt(v)}`) },
          { label: "contended slots %", scale: "pct", stroke: COLORS.amber, width: 1.5, points: { show: false }, value: (_u, v) => (v == null ? "–" : `${v.toFixed(1)}%`) },
          { label: "ideal speedup (16 cores)", scale: "speedup", stroke: COLORS.teal, width: 1.5, points: { show: false }, value: (_u, v) => (v == null ? "–" : `${v.toFixed(2)}×`) },
        ],
        axes: [
          axis({ space: 60, incrs: BLOCK_STEPS, values: (_u, ticks) => ticks.map((t) => `#${formatInt(t)}`) }),
          axis({ scale: "pct", size: 44, values: (_u, ticks) => ticks.map((t) => `${t}%`) }),
          axis({ scale: "speedup", side: 1, size: 40, grid: { show: false }, values: (_u, ticks) => ticks.map((t) => `${t}×`) }),
        ],
      },
      [[], [], []],
    );
  }

  render(s: DashboardState): void {
    const c = s.latestContention;
    const n = c ? Number(c.block_number) : null;
    if (n === this.drawnBlock) return;
    this.drawnBlock = n;
    this.chart.setData([s.contentionRatio.xs, s.contentionRatio.ys, s.idealSpeedup.ys]);
    if (!c) {
      this.body.replaceChildren(el("p", { class: "muted", text: "waiting for the first block to end…" }));
      setText(this.sub, "");
      delete this.body.dataset.block;
      return;
    }
    this.body.dataset.block = String(n);
    setText(this.sub, `block #${formatInt(c.block_number)} · ${formatInt(c.total_txn_count)} txns · executed in ${formatMs(Number(c.block_wall_time_ns) / 1e6)}`);
    this.body.replaceChildren(figures(c), schedule(c), hotSlots(c));
  }
}

function figure(label: string, value: string, hint: string): HTMLElement {
  return el("div", { class: "figure", title: hint }, [el("div", { class: "figure-value", text: value }), el("div", { class: "figure-label", text: label })]);
}

function figures(c: ContentionData): HTMLElement {
  const sp = c.schedule.ideal_speedup;
  return el("div", { class: "figures" }, [
    figure("contended slots", `${formatInt(c.contended_slot_count)} / ${formatInt(c.total_unique_slots)}`, `slots accessed by two or more transactions, of all distinct slots (${formatPct(c.contention_ratio)})`),
    figure("parallel efficiency", `${c.parallel_efficiency_pct.toFixed(1)}%`, "max(0, summed transaction time − block wall time) / summed transaction time"),
    figure("conflict edges", formatInt(c.schedule.conflict_edges), "transaction pairs where one writes a slot the other reads or writes"),
    figure("ideal speedup, 4 · 16 cores", `${sp["4"].toFixed(1)}× · ${sp["16"].toFixed(1)}×`, `with 4 · 16 cores (2: ${sp["2"].toFixed(2)}×, 8: ${sp["8"].toFixed(2)}×), bounded by the critical path of ${formatGas(c.schedule.critical_path_gas)} of ${formatGas(c.schedule.total_gas)} gas`),
  ]);
}

function schedule(c: ContentionData): HTMLElement {
  const batches = c.schedule.batches;
  const max = Math.max(1, ...batches);
  const bars = batches.slice(0, MAX_BARS).map((n, i) => {
    const bar = el("div", { class: "bar", title: `batch ${i + 1}: ${n} transaction${n === 1 ? "" : "s"}` });
    bar.style.height = `${Math.max(4, (n / max) * 100)}%`;
    return bar;
  });
  const more = batches.length > MAX_BARS ? el("span", { class: "muted more", text: `+${batches.length - MAX_BARS} more` }) : null;
  return el("div", { class: "schedule" }, [
    el("div", { class: "schedule-head" }, [
      el("span", { text: "Conflict-free batch schedule" }),
      el("span", { class: "muted", text: `${formatInt(c.schedule.batch_count)} batches · largest ${formatInt(max)} txns · critical path ${formatInt(c.schedule.critical_path_length)} txns` }),
    ]),
    el("div", { class: "bars", attrs: { role: "img", "aria-label": `transactions per batch: ${batches.join(", ")}` } }, [...bars, more]),
  ]);
}

function hotSlots(c: ContentionData): HTMLElement {
  const items = c.top_contended_slots.slice(0, TOP_SLOTS).map((slot) =>
    el("li", {}, [
      el("code", { text: shortHex(slot.address), title: slot.address }),
      el("span", { class: "muted", text: ` slot ` }),
      el("code", { text: formatSlot(slot.slot), title: slot.slot }),
      el("span", { class: "count", text: `${formatInt(slot.txn_count)} txns` }),
    ]),
  );
  return el("div", { class: "hot-slots" }, [el("div", { class: "schedule-head", text: "Most contended slots" }), items.length ? el("ol", {}, items) : el("p", { class: "muted", text: "none" })]);
}
