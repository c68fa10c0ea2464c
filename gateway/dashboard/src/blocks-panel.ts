// The latest blocks moving through the commit stages, with the time each stage took to reach from
// Proposed, and each block's contention figures once it has executed.
import { byId, el, fillTable, setText } from "./dom.js";
import { formatGas, formatInt, formatMs, formatPct } from "./format.js";
import { PIPELINE, type BlockRecord } from "./blocks-store.js";
import type { DashboardState } from "./state.js";

const ROWS = 14;
const HEADER = ["Block", "Txns", "Gas", ...PIPELINE, "Contended slots", "Parallel eff.", "Batches", "Speedup ×16"];

export class BlocksPanel {
  private readonly table = byId<HTMLTableElement>("blocks-table");
  private readonly sub = byId("blocks-sub");

  render(s: DashboardState): void {
    const rows = s.blocks.recent(ROWS).map(row);
    fillTable(this.table, HEADER, rows, "waiting for blocks…");
    const med = (stage: "Voted" | "Finalized" | "Verified") => formatMs(s.blocks.medianTiming(stage));
    setText(this.sub, s.blocks.size ? `median from Proposed: Voted ${med("Voted")} · Finalized ${med("Finalized")} · Verified ${med("Verified")}` : "");
  }
}

function row(b: BlockRecord): HTMLTableRowElement {
  const c = b.contention;
  const rejected = b.stage === "Rejected";
  const stages = PIPELINE.map((stage, i) => {
    const ms = b.timings[stage];
    const reachedIndex = rejected ? -1 : PIPELINE.indexOf(b.stage);
    const state = rejected ? (ms !== undefined ? "done" : "skipped") : i < reachedIndex ? "done" : i === reachedIndex ? "current" : "pending";
    const label = ms !== undefined ? (stage === "Proposed" ? "0 ms" : `+${formatMs(ms)}`) : state === "pending" ? "…" : state === "skipped" ? "—" : "✓";
    return el("td", { class: `stage ${state}`, data: { stage } }, [el("span", { class: `chip ${stage.toLowerCase()}`, text: label })]);
  });
  const status = rejected ? [el("span", { class: "chip rejected", text: `Rejected +${formatMs(b.timings.Rejected)}` })] : [];
  return el("tr", { class: `stage-${b.stage.toLowerCase()}`, data: { block: String(b.number), stage: b.stage } }, [
    el("td", { class: "num block", title: b.hash ? `block id ${b.hash}` : undefined }, [el("span", { text: `#${formatInt(b.number)}` }), ...status]),
    el("td", { class: "num", text: formatInt(b.txnCount) }),
    el("td", { class: "num", text: formatGas(b.gasUsed) }),
    ...stages,
    el("td", { class: "num", text: c ? `${formatInt(c.contended_slot_count)} / ${formatInt(c.total_unique_slots)}` : "–", title: c ? `contention ratio ${formatPct(c.contention_ratio)}` : undefined }),
    el("td", { class: "num", text: c ? `${c.parallel_efficiency_pct.toFixed(1)}%` : "–" }),
    el("td", { class: "num", text: c ? formatInt(c.schedule.batch_count) : "–", title: c ? `critical path ${formatGas(c.schedule.critical_path_gas)} of ${formatGas(c.schedule.total_gas)} gas` : undefined }),
    el("td", { class: "num", text: c ? `${c.schedule.ideal_speedup["16"].toFixed(2)}×` : "–" }),
  ]);
}
