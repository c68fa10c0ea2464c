// The comparison benchmarks: our gateway next to three peers (bench/peers/) in the same run, with the
// same frames and the same load generators (bench/load/). Each returns result rows
// {name, value, unit, peer, ratio, conditions}; README.md in this folder explains the method.
//   quick: true  → all three in under ~3 minutes (fewer client counts, shorter windows)
export { runLatency } from "./latency.mjs";
export { runFanout } from "./fanout.mjs";
export { runIsolation } from "./isolation.mjs";
