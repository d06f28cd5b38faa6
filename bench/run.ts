/**
 * `npm run bench [name...]`: each benchmark measures its own baseline in the same run and prints
 * ratios, so results compare across machines. Targets: intake >= 0.35 of a bare Node server, p99 <
 * 25 ms; /handoff status p99 < 200 ms on 100,000 handoffs; SSE fan-out to 200 clients p99 < 250 ms;
 * /handoff stats 30d p99 < 1 s on 100,000 handoffs (Slack allows 3 s); Claim click to a held transfer
 * request's answer p99 < 250 ms over 100 waiting callers; the last of a storm of 200 handoffs to one channel
 * claimable in Slack within 10 s (Slack rate limits on), beside the idle 202-to-card latency.
 * Each benchmark runs in a fresh child process, so its memory figures are its own.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const benches: Record<string, () => Promise<string>> = {
  intake: async () => (await import('./intake.js')).benchIntake(),
  status: async () => (await import('./status.js')).benchStatus(),
  sse: async () => (await import('./sse-fanout.js')).benchSseFanout(),
  stats: async () => (await import('./stats.js')).benchStats(),
  connect: async () => (await import('./connect.js')).benchConnect(),
  storm: async () => (await import('./storm.js')).benchStorm(),
};

const CHILD_FLAG = '--in-process';
const args = process.argv.slice(2);

if (args[0] === CHILD_FLAG) {
  const name = args[1] ?? '';
  const run = benches[name];
  try {
    if (!run) throw new Error(`unknown bench (known: ${Object.keys(benches).join(', ')})`);
    console.log(await run());
  } catch (err) {
    console.log(`${name} failed: ${(err as Error).message}`);
    process.exitCode = 1;
  }
} else {
  const unknown = args.filter((a) => !(a in benches));
  if (unknown.length > 0) {
    console.error(`unknown bench: ${unknown.join(', ')} (known: ${Object.keys(benches).join(', ')})`);
    process.exit(2);
  }
  for (const name of Object.keys(benches)) {
    if (args.length > 0 && !args.includes(name)) continue;
    console.log(`\n== ${name} ==`);
    // process.execArgv carries tsx's loader flags, so the child runs this TypeScript file as we do.
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), CHILD_FLAG, name], { stdio: 'inherit' });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    if (code !== 0) process.exitCode = 1;
  }
}
