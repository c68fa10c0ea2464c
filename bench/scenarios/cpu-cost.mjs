// Where a fan-out step's CPU goes, per delivered event, and what that allows. Every server here sends
// from one thread, and at 100 firehose clients that thread is the limit (the other core is partly
// idle): most of its time is the kernel's, copying each client's bytes into loopback TCP. A server
// with no user time at all would still spend that kernel time, which bounds what any one-thread
// design can gain over it.

/** CPU nanoseconds per delivered event by who spent it (see trial.mjs cpuBreakdown), or null. */
export function costPerEvent(cpu, delivered) {
  if (!cpu || !(delivered > 0)) return null;
  const ns = (cores) => (cores * 1e9) / delivered;
  const m = cpu.machine;
  return {
    busy: ns(cpu.busy),
    serverUser: ns(cpu.serverUser),
    serverSystem: ns(cpu.serverSystem),
    load: ns(cpu.load),
    writer: ns(cpu.writer),
    probe: ns(cpu.probe),
    softirq: ns(m.softirq + m.irq),
    idlePct: (m.idle / (cpu.busy + m.idle + m.iowait + m.steal)) * 100,
  };
}

/**
 * The most a one-thread server could deliver relative to this one, were its user time zero (not even
 * ingest) and its kernel time per event the same: (user + kernel) / kernel. An upper bound, and only
 * meaningful at a step where this server's thread is the limit (its CPU near one core).
 */
export function oneThreadBound(cost) {
  if (!cost || !(cost.serverSystem > 0)) return null;
  return Number(((cost.serverUser + cost.serverSystem) / cost.serverSystem).toFixed(2));
}

export function describeCost(c) {
  const r = (x) => Math.round(x);
  return `CPU ns per delivered event: server user ${r(c.serverUser)}, server kernel ${r(c.serverSystem)}, ` +
    `load processes ${r(c.load)}, ring writer ${r(c.writer)}${c.probe ? `, probe ${r(c.probe)}` : ""}; machine busy ${r(c.busy)} ` +
    `(of it softirq+irq ${r(c.softirq)}), idle ${c.idlePct.toFixed(0)}%`;
}
