/**
 * What an idle subscriber keeps on the heap, for `BENCH_FANOUT_HEAP=1`: a heap snapshot of this process before
 * and after the subscribers connect, compared by constructor (count and self size per subscriber).
 */
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

export type HeapCensus = Map<string, { count: number; bytes: number }>;

/** Self size and count per "type:name" (objects by constructor, closures by function name, strings, code…). */
export function heapCensus(): HeapCensus {
  const file = writeHeapSnapshot(join(tmpdir(), `practicehub-fanout-${process.pid}-${Date.now()}.heapsnapshot`));
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
    const fields = data.snapshot.meta.node_fields;
    const types = data.snapshot.meta.node_types[0];
    const width = fields.length;
    const typeAt = fields.indexOf('type');
    const nameAt = fields.indexOf('name');
    const sizeAt = fields.indexOf('self_size');
    const census: HeapCensus = new Map();
    for (let i = 0; i < data.nodes.length; i += width) {
      const type = types[data.nodes[i + typeAt]!]!;
      const name = type === 'object' || type === 'closure' || type === 'native' ? data.strings[data.nodes[i + nameAt]!]! : '';
      const key = `${type}:${name.length > 60 ? `${name.slice(0, 60)}…` : name}`;
      const entry = census.get(key) ?? { count: 0, bytes: 0 };
      entry.count += 1;
      entry.bytes += data.nodes[i + sizeAt]!;
      census.set(key, entry);
    }
    return census;
  } finally {
    rmSync(file, { force: true });
  }
}

/** The largest growths from `before` to `after`, per subscriber. */
export function censusGrowth(before: HeapCensus, after: HeapCensus, subscribers: number, top = 30): { key: string; perSubscriber: number; bytesPerSubscriber: number }[] {
  const rows: { key: string; perSubscriber: number; bytesPerSubscriber: number }[] = [];
  for (const [key, entry] of after) {
    const base = before.get(key) ?? { count: 0, bytes: 0 };
    rows.push({ key, perSubscriber: (entry.count - base.count) / subscribers, bytesPerSubscriber: (entry.bytes - base.bytes) / subscribers });
  }
  return rows.sort((a, b) => b.bytesPerSubscriber - a.bytesPerSubscriber).slice(0, top);
}
