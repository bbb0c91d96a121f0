import { logTo } from '../../src/logging/logger';

/** One JSON log line as written by the logger. */
export interface LogLine {
  level: string;
  msg: string;
  time: string;
  requestId?: string;
  subscriptionId?: string;
  job?: string;
  jobId?: string;
  err?: { type: string; message: string; stack: string };
  [key: string]: unknown;
}

/** Collects the log lines (instead of stdout) until `restore()`. */
export function captureLogs(): { lines: LogLine[]; includes(text: string, level?: string): boolean; restore(): void } {
  const lines: LogLine[] = [];
  logTo({ write: (line: string) => lines.push(JSON.parse(line) as LogLine) });
  return {
    lines,
    includes: (text, level) => lines.some((line) => line.msg.includes(text) && (!level || line.level === level)),
    restore: () => logTo(null),
  };
}
