/**
 * The desktop window's files for the browser: the real renderer built by
 * desktop/build.ts, the bridge bundled next to it, and index.html rewritten to load
 * the bridge first and to allow same-origin requests (the renderer's CSP forbids
 * any connection because in Electron it talks only to the preload).
 */
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildRenderer } from '../../desktop/build.js';

export interface DesktopAsset {
  body: Buffer;
  type: string;
}

const APP_SCRIPT = '<script type="module" src="app.js"></script>';
const CONNECT_NONE = "connect-src 'none'";

export class DesktopAssetsError extends Error {
  readonly code = 'desktop_html_changed';
}

/** Pure: the renderer's index.html as the browser gets it. Throws when the markers it relies on moved. */
export function rewriteRendererHtml(html: string): string {
  if (!html.includes(APP_SCRIPT) || !html.includes(CONNECT_NONE)) {
    throw new DesktopAssetsError('desktop/renderer/index.html no longer has the app.js script tag or connect-src the sandbox rewrites');
  }
  return html
    .replace(CONNECT_NONE, "connect-src 'self'")
    .replace(APP_SCRIPT, `<link rel="stylesheet" href="bridge.css" />\n    <script src="bridge.js"></script>\n    ${APP_SCRIPT}`);
}

export async function buildDesktopAssets(workDir: string): Promise<Map<string, DesktopAsset>> {
  await buildRenderer(workDir);
  const bridge = await build({
    entryPoints: [join(import.meta.dirname, 'bridge.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome130',
    logLevel: 'warning',
  });
  const js = 'text/javascript; charset=utf-8';
  const css = 'text/css; charset=utf-8';
  const html = await readFile(join(workDir, 'index.html'), 'utf8');
  return new Map<string, DesktopAsset>([
    ['index.html', { body: Buffer.from(rewriteRendererHtml(html)), type: 'text/html; charset=utf-8' }],
    ['app.js', { body: await readFile(join(workDir, 'app.js')), type: js }],
    ['styles.css', { body: await readFile(join(workDir, 'styles.css')), type: css }],
    ['bridge.js', { body: Buffer.from(bridge.outputFiles[0]!.contents), type: js }],
    ['bridge.css', { body: await readFile(join(import.meta.dirname, 'bridge.css')), type: css }],
  ]);
}
