// `npm run sandbox`: the whole product on this machine, no Slack account needed.
// PORT picks the page's port (default 4000; a busy port falls back to a free one),
// SANDBOX_DATA_DIR keeps the SQLite file somewhere (default: a temp dir per run).
import { DEFAULT_SANDBOX_PORT, startSandbox } from './start-sandbox.js';
import { codeOf } from '../shared/error-code.js';

function portFromEnv(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_SANDBOX_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`handoff sandbox: env PORT: must be a port number 0-65535`);
    process.exit(1);
  }
  return port;
}

async function main(): Promise<void> {
  const sandbox = await startSandbox({
    port: portFromEnv(process.env.PORT),
    ...(process.env.SANDBOX_DATA_DIR ? { dataDir: process.env.SANDBOX_DATA_DIR } : {}),
    logLevel: process.env.LOG_LEVEL ?? 'warn',
  });
  if (sandbox.portNote) console.log(sandbox.portNote);
  console.log(`Sandbox ready: ${sandbox.url}`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void sandbox.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`handoff sandbox: failed to start: ${codeOf(err) ?? (err as Error).message}`);
  process.exit(1);
});
