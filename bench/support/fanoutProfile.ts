/**
 * A CPU profile of this process (the API) while the replies fan out, for `BENCH_FANOUT_PROFILE=1`: written as a
 * .cpuprofile (open it in Chrome DevTools) and summarised as self time per package and per function.
 */
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  byPackage: [string, number][];
  byFunction: [string, number][];
}

const root = join(__dirname, '..', '..');

/** The package (or `src/<folder>`, or a V8 pseudo-frame) a frame belongs to. */
function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = path.slice(modules + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (path.startsWith('node:')) return 'node (core)';
  const inside = relative(root, path);
  if (!inside.startsWith('..')) return inside.split('/').slice(0, 3).join('/');
  return path;
}

export async function startProfile(): Promise<() => Promise<ProfileSummary>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
    session.disconnect();
    const file = join(tmpdir(), `practicehub-fanout-${Date.now()}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    const self = new Map<number, number>();
    const samples = profile.samples ?? [];
    const deltas = profile.timeDeltas ?? [];
    // A sample's time is the delta to the next sample.
    for (let i = 0; i < samples.length; i++) {
      const ms = (deltas[i + 1] ?? 0) / 1000;
      self.set(samples[i]!, (self.get(samples[i]!) ?? 0) + ms);
    }
    const byPackage = new Map<string, number>();
    const byFunction = new Map<string, number>();
    let totalMs = 0;
    for (const [id, ms] of self) {
      const frame = byId.get(id)!.callFrame;
      if (frame.functionName === '(idle)') continue;
      totalMs += ms;
      const pkg = packageOf(frame.url, frame.functionName);
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + ms);
      const name = `${frame.functionName || '(anonymous)'} ${pkg}:${frame.lineNumber + 1}`;
      byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
    }
    const top = (map: Map<string, number>, n: number) => [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
    return { file, totalMs, byPackage: top(byPackage, 12), byFunction: top(byFunction, 20) };
  };
}
