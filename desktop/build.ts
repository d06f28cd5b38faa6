/**
 * Builds the desktop app into dist/desktop with esbuild: main (ESM, one bundle with zod and
 * the rest inlined; only electron and the native better-sqlite3 stay external, so the packaged
 * app ships no other node_modules: see `files` in electron-builder.yml), preload (one CommonJS file: sandboxed preloads cannot load modules),
 * renderer (one browser ES module) plus its HTML and CSS.
 * Run: `tsx desktop/build.ts`.
 */
import { build } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export async function buildRenderer(outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  await build({
    entryPoints: [join(here, 'renderer/app.ts')],
    outfile: join(outDir, 'app.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome130',
    sourcemap: false,
    logLevel: 'warning',
  });
  await copyFile(join(here, 'renderer/index.html'), join(outDir, 'index.html'));
  await copyFile(join(here, 'renderer/styles.css'), join(outDir, 'styles.css'));
}

export async function buildDesktop(outRoot: string): Promise<void> {
  await build({
    entryPoints: [join(here, 'main/index.ts')],
    outfile: join(outRoot, 'main/index.js'),
    bundle: true,
    external: ['electron', 'better-sqlite3'],
    format: 'esm',
    platform: 'node',
    target: 'node22',
    logLevel: 'warning',
  });
  await build({
    entryPoints: [join(here, 'preload/index.ts')],
    outfile: join(outRoot, 'preload/index.cjs'),
    bundle: true,
    external: ['electron'],
    format: 'cjs',
    platform: 'node',
    target: 'node22',
    logLevel: 'warning',
  });
  await buildRenderer(join(outRoot, 'renderer'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildDesktop(join(here, '../dist/desktop'));
  process.stdout.write('built dist/desktop\n');
}
