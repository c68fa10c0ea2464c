// A plain SVG bar chart of our figures against the peers' (ratio to the peer, 1 = parity), so the
// README can show the benchmark at a glance without a charting dependency.
export function ratioChart(rows, title) {
  const items = rows.filter((r) => r.ratio !== null && r.ratio !== undefined && Number.isFinite(r.ratio));
  const rowH = 26;
  const left = 430;
  const width = 900;
  const plotW = width - left - 80;
  const height = 60 + items.length * rowH + 30;
  // Show "times better than the peer": for lower-is-better units invert the ratio.
  const better = items.map((r) => (/lower is better/.test(r.unit) ? 1 / r.ratio : r.ratio));
  const max = Math.max(2, ...better.map((b) => Math.min(b, 50)));
  const x = (v) => left + (Math.log10(Math.max(v, 0.05)) - Math.log10(0.05)) / (Math.log10(max) - Math.log10(0.05)) * plotW;
  const esc = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const bars = items
    .map((r, i) => {
      const y = 50 + i * rowH;
      const b = better[i];
      const color = b >= 1 ? "#2e7d32" : "#c62828";
      return `<text x="${left - 8}" y="${y + 16}" text-anchor="end" font-size="12">${esc(r.name)} vs ${esc(r.peer)}</text>
<rect x="${x(0.05)}" y="${y + 4}" width="${Math.max(1, x(Math.min(b, max)) - x(0.05))}" height="16" fill="${color}"/>
<text x="${x(Math.min(b, max)) + 4}" y="${y + 16}" font-size="12">${b >= 1 ? `${b.toFixed(2)}x better` : `${(1 / b).toFixed(2)}x worse`}</text>`;
    })
    .join("\n");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
<text x="16" y="26" font-size="16" font-weight="bold">${esc(title)}</text>
<line x1="${x(1)}" y1="40" x2="${x(1)}" y2="${height - 25}" stroke="#555" stroke-dasharray="4 3"/>
<text x="${x(1)}" y="${height - 10}" text-anchor="middle" font-size="11">parity with the peer (log scale)</text>
${bars}
</svg>
`;
}
