// uPlot with the page's theme, sized to its container and resized with it.
import uPlot from "uplot";

export const COLORS = {
  axis: "#8b93a7",
  grid: "rgba(139, 147, 167, 0.14)",
  purple: "#8b6cff",
  purpleFill: "rgba(139, 108, 255, 0.16)",
  amber: "#f4b942",
  teal: "#35d0ba",
};

export function axis(o: Partial<uPlot.Axis> = {}): uPlot.Axis {
  return {
    stroke: COLORS.axis,
    grid: { stroke: COLORS.grid, width: 1 },
    ticks: { stroke: COLORS.grid, width: 1, size: 4 },
    font: "11px system-ui, 'DejaVu Sans', sans-serif",
    ...o,
  };
}

export class Chart {
  readonly plot: uPlot;
  private readonly observer: ResizeObserver;

  constructor(
    readonly container: HTMLElement,
    opts: Omit<uPlot.Options, "width" | "height">,
    data: uPlot.AlignedData,
  ) {
    const { width, height } = this.size();
    this.plot = new uPlot({ ...opts, width, height }, data, container);
    this.plot.setSize(this.size()); // now that the legend exists, leave it its room
    this.observer = new ResizeObserver(() => {
      const s = this.size();
      if (s.width !== this.plot.width || s.height !== this.plot.height) this.plot.setSize(s);
    });
    this.observer.observe(container);
  }

  setData(data: uPlot.AlignedData): void {
    this.plot.setData(data);
  }

  private size(): { width: number; height: number } {
    const r = this.container.getBoundingClientRect();
    // A legend, when shown, sits below the canvas inside the container; leave it room.
    const legend = this.container.querySelector(".u-legend") ? 30 : 0;
    return { width: Math.max(200, Math.floor(r.width)), height: Math.max(120, Math.floor(r.height) - legend) };
  }
}
