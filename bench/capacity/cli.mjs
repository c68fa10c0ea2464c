// Run one capacity benchmark by hand: node bench/capacity/cli.mjs resume|memory [--quick]
const [what, flag] = process.argv.slice(2);
const quick = flag === "--quick";
const mod = what === "memory" ? await import("./memory.mjs") : await import("./resume.mjs");
const rows = await (what === "memory" ? mod.runMemory({ quick }) : mod.runResume({ quick }));
console.log("| measure | value | conditions |\n|---|---:|---|");
for (const r of rows) console.log(`| ${r.name} | ${r.value.toLocaleString("en-US")} ${r.unit} | ${r.conditions} |`);
process.exit(0);
