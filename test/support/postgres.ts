import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** Fresh, isolated databases on one PostgreSQL server. */
export interface PostgresDatabases {
  /** The server's own URL (database `postgres`); use `createDatabase` for an isolated one. */
  url: string;
  port: number;
  /** A fresh, empty database on this server (a unique name unless given); resolves with its URL. */
  createDatabase(name?: string): Promise<string>;
}

/**
 * A real PostgreSQL server for tests, from Debian's `postgresql` package: `initdb` into a temp folder
 * and `pg_ctl` on a free loopback port, as the `postgres` OS user when the tests run as root (the
 * server refuses to run as root). There is no skip: without the package the tests fail, naming it.
 *
 * Most test files share the run's one server (`sharedPostgres` in shared-postgres.ts, started by the vitest global setup
 * in test/support/postgres-global-setup.ts); only a test that stops or crashes the server starts its own.
 */
export interface PostgresServer extends PostgresDatabases {
  dir: string;
  /** Stops the server (fast shutdown: open connections are cut, committed data stays). */
  stopServer(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts it again on the same port and data. */
  startServer(): Promise<void>;
  /** Stops the server and removes its folder. */
  stop(): Promise<void>;
}

export interface PostgresOptions {
  /**
   * Keep fsync on: only a test proving durability across a crash of the server needs it; the rest
   * run with fsync off, which is safe while the machine itself stays up.
   */
  durable?: boolean;
}

/** The binaries of the newest installed PostgreSQL major version, or a loud error naming the package. */
export function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error(`PostgreSQL is not installed (no ${root}/*/bin/initdb): install Debian's postgresql package (apt-get install postgresql); .ci/run does`);
  }
  return join(root, versions[0]!, 'bin');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function postgresIds(): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

/** Runs a PostgreSQL binary, as the `postgres` user when we are root. */
function asPostgres(bin: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
}

async function run(bin: string, args: string[], what: string): Promise<void> {
  const [file, argv] = asPostgres(bin, args);
  await new Promise<void>((resolve, reject) => {
    execFile(file, argv, { encoding: 'utf8', timeout: 120_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${what} failed: ${err.message}\n${stdout}\n${stderr}`));
      else resolve();
    });
  });
}

/** Starts a fresh PostgreSQL server; call `stop()` in `afterAll`. */
export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresServer> {
  const bin = postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'handoff-pg-'));
  if (process.getuid?.() === 0) {
    const { uid, gid } = postgresIds();
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  const port = await freePort();
  const settings = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c max_connections=200',
    ...(options.durable ? [] : ['-c fsync=off', '-c full_page_writes=off']),
  ].join(' ');
  const ctl = join(bin, 'pg_ctl');
  const startServer = () => run(ctl, ['-D', data, '-l', log, '-w', '-t', '60', '-o', settings, 'start'], `pg_ctl start (log: ${log})`);
  const stopServer = (mode: 'fast' | 'immediate' = 'fast') => run(ctl, ['-D', data, '-m', mode, '-w', '-t', '60', 'stop'], 'pg_ctl stop');

  await run(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', ...(options.durable ? [] : ['--no-sync'])], 'initdb');
  await startServer();
  let running = true;
  // A test process that dies without afterAll must not leave a server behind.
  const onExit = () => {
    if (!running) return;
    const [file, argv] = asPostgres(ctl, ['-D', data, '-m', 'immediate', 'stop']);
    spawnSync(file, argv, { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);

  return {
    ...databasesOn(port),
    dir,
    async stopServer(mode) {
      await stopServer(mode);
      running = false;
    },
    async startServer() {
      await startServer();
      running = true;
    },
    async stop() {
      if (running) await stopServer('fast');
      running = false;
      process.off('exit', onExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Databases on the server at `port`. Names carry the process id and a random part: test files in
 * several vitest workers create databases on one server at the same time.
 */
export function databasesOn(port: number): PostgresDatabases {
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const prefix = `handoff_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  let databases = 0;
  return {
    url,
    port,
    async createDatabase(name = `${prefix}_${++databases}`) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
  };
}
