import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';

export interface Machine {
  cpu: string;
  cpuCount: number;
  memoryGiB: number;
  os: string;
  node: string;
  postgres: string;
}

export function describeMachine(postgresVersion: string): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cpuCount: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    node: process.version,
    postgres: postgresVersion,
  };
}

const TITLE = '# PracticeHub benchmarks';
const INTRO =
  'Each section is written by its benchmark script; rerun the command to refresh it. Figures are from one machine ' +
  'and only comparable with each other.';

/**
 * Replaces the section that starts with `heading` (up to the next `## ` heading) or appends it; other sections
 * are kept as they are. Creates the file with a title when it does not exist.
 */
export function writeSection(file: string, heading: string, body: string): void {
  const section = `${heading}\n\n${body.trim()}\n`;
  if (!existsSync(file)) {
    writeFileSync(file, `${TITLE}\n\n${INTRO}\n\n${section}`);
    return;
  }
  const lines = readFileSync(file, 'utf8').split('\n');
  const start = lines.findIndex((line) => line.trim() === heading);
  if (start === -1) {
    const text = lines.join('\n').replace(/\s*$/, '');
    writeFileSync(file, `${text}\n\n${section}`);
    return;
  }
  let end = lines.findIndex((line, i) => i > start && /^## /.test(line));
  if (end === -1) end = lines.length;
  const before = lines.slice(0, start).join('\n').replace(/\s*$/, '');
  const after = lines.slice(end).join('\n').replace(/\s*$/, '');
  writeFileSync(file, `${before}\n\n${section}${after ? `\n${after}\n` : ''}`);
}

export const fixed = (value: number, digits = 1) => value.toFixed(digits);

/** A markdown table; cells must not contain `|`. */
export function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

