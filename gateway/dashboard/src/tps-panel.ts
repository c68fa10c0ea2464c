// Live TPS chart: one point per TPS frame (each BlockStart), last 10 minutes, breaks while disconnected.
import { axis, Chart, COLORS } from "./chart.js";
import { byId, setText } from "./dom.js";
import { formatClock, formatInt, formatMs } from "./format.js";
import type { DashboardState } from "./state.js";

/** Whole seconds between time ticks (labels show seconds: finer ticks would repeat them). */
const SECOND_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600];

export class TpsPanel {
  private readonly chart: Chart;
  private readonly sub = byId("tps-sub");
  private drawnLength = -1;
  private drawnLastX = -1;

  constructor(private readonly container = byId("tps-chart")) {
    this.chart = new Chart(
      container,
      {
        cursor: { drag: { x: false, y: false }, points: { size: 7 } },
        legend: { show: false },
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, niceCeil(Math.max(10, (max ?? 0) * 1.15))] } },
        series: [
          {},
          {
            label: "TPS",
            stroke: COLORS.purple,
            width: 2,
            fill: COLORS.purpleFill,
            points: { show: false },
            spanGaps: false,
            value: (_u, v) => (v === null || v === undefined ? "–" : formatInt(v)),
          },
        ],
        axes: [axis({ space: 90, incrs: SECOND_STEPS, values: (_u, ticks) => ticks.map((t) => formatClock(t * 1000)) }), axis({ size: 56, values: (_u, ticks) => ticks.map((t) => formatInt(t)) })],
      },
      [[], []],
    );
  }

  render(s: DashboardState): void {
    const xs = s.tps.xs;
    const lastX = xs.length ? xs[xs.length - 1] : -1;
    if (xs.length !== this.drawnLength || lastX !== this.drawnLastX) {
      this.chart.setData([xs, s.tps.ys]);
      this.drawnLength = xs.length;
      this.drawnLastX = lastX;
      this.container.dataset.points = String(s.tps.ys.filter((y) => y !== null).length);
    }
    const interval = s.blockIntervalMs ? ` · block interval ${formatMs(s.blockIntervalMs)}` : "";
    setText(this.sub, `${formatInt(s.tpsNow)} tx/s now${interval} · last 10 min`);
  }
}

/** 1, 2, 5 × 10^k at or above v, so the axis ends on a round number. */
function niceCeil(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}
