import type { Profiler } from 'node:inspector';

export type CpuProfile = Profiler.Profile;

export interface ProfileSummaryOptions {
  /** How many rows each table shows. */
  top?: number;
  /** Absolute path of the repository: project files are shown relative to it. */
  root?: string;
}

interface Row {
  label: string;
  ms: number;
}

/** Self time (ms) per profile node id, from the sample stream (falls back to hit counts). */
function selfTimeByNode(profile: CpuProfile): Map<number, number> {
  const out = new Map<number, number>();
  const { samples, timeDeltas } = profile;
  if (samples && timeDeltas && samples.length === timeDeltas.length && samples.length > 0) {
    // timeDeltas[i] is the time before sample i; attribute it to the sample it leads to.
    for (let i = 0; i < samples.length; i++) out.set(samples[i]!, (out.get(samples[i]!) ?? 0) + Math.max(0, timeDeltas[i]!) / 1000);
    return out;
  }
  const hits = profile.nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0);
  const perHit = hits > 0 ? (profile.endTime - profile.startTime) / 1000 / hits : 0;
  for (const node of profile.nodes) out.set(node.id, (node.hitCount ?? 0) * perHit);
  return out;
}

/** Where a script lives: a project file, a package, a Node internal, or a V8 pseudo-frame. */
export function scriptGroup(url: string, functionName: string, root = ''): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const path = url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : url;
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + '/node_modules/'.length).split('/');
    return `pkg:${rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  if (path.startsWith('node:')) return path;
  if (root && path.startsWith(`${root}/`)) return path.slice(root.length + 1);
  return path;
}

function table(title: string, rows: Row[], total: number, top: number): string[] {
  const lines = [title];
  for (const r of rows.slice(0, top)) {
    lines.push(`  ${r.ms.toFixed(0).padStart(7)} ms ${((100 * r.ms) / total).toFixed(1).padStart(5)}%  ${r.label}`);
  }
  return lines;
}

function sorted(map: Map<string, number>): Row[] {
  return [...map].map(([label, ms]) => ({ label, ms })).sort((a, b) => b.ms - a.ms);
}

/**
 * Printable summary of a V8 CPU profile: where self time went, by function and by file/package.
 * Idle time is reported apart: percentages are of busy time (what the process spent working).
 */
export function summarizeProfile(profile: CpuProfile, opts: ProfileSummaryOptions = {}): string[] {
  const top = opts.top ?? 15;
  const self = selfTimeByNode(profile);
  const byFunction = new Map<string, number>();
  const byGroup = new Map<string, number>();
  let idle = 0;
  let busy = 0;
  for (const node of profile.nodes) {
    const ms = self.get(node.id) ?? 0;
    if (ms === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idle += ms;
      continue;
    }
    busy += ms;
    const group = scriptGroup(url, functionName, opts.root);
    const name = functionName || '(anonymous)';
    const label = url ? `${name}  ${group}:${lineNumber + 1}` : name;
    byFunction.set(label, (byFunction.get(label) ?? 0) + ms);
    byGroup.set(group, (byGroup.get(group) ?? 0) + ms);
  }
  const wall = (profile.endTime - profile.startTime) / 1000;
  return [
    `profile: ${wall.toFixed(0)} ms wall, ${busy.toFixed(0)} ms busy, ${idle.toFixed(0)} ms idle (${((100 * busy) / Math.max(wall, 1)).toFixed(0)}% of one core)`,
    ...table(`top ${top} functions by self time (% of busy):`, sorted(byFunction), busy || 1, top),
    ...table(`top ${top} files/packages by self time (% of busy):`, sorted(byGroup), busy || 1, top),
  ];
}
