/**
 * `npm run bench`: each benchmark measures its own baseline in the same run and prints ratios,
 * so results compare across machines. Targets: intake >= 0.35 of a bare Node server, p99 < 25 ms;
 * /handoff status p99 < 200 ms on 100,000 handoffs; SSE fan-out to 200 clients p99 < 250 ms.
 */
const only = process.argv.slice(2);

const benches: [string, () => Promise<string>][] = [
  ['intake', async () => (await import('./intake.js')).benchIntake()],
  ['status', async () => (await import('./status.js')).benchStatus()],
  ['sse', async () => (await import('./sse-fanout.js')).benchSseFanout()],
];

for (const [name, run] of benches) {
  if (only.length > 0 && !only.includes(name)) continue;
  console.log(`\n== ${name} ==`);
  try {
    console.log(await run());
  } catch (err) {
    console.log(`${name} failed: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}
