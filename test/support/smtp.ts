import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

/**
 * A real SMTP server for tests (smtp-server on a free loopback port, no TLS, AUTH optional): every accepted
 * message is parsed with mailparser and kept. `reject` makes it refuse messages (a 4xx or 5xx after DATA) until
 * set back to null, to test a failing mail server.
 */
export interface SmtpSink {
  port: number;
  /** SMTP_URL for the app. */
  url: string;
  messages: ParsedMail[];
  /** Messages refused so far (each refused DATA counts). */
  refused: number;
  reject: { code: number; message: string } | null;
  /** When set, messages beyond this many accepted are refused like `reject` (a server failing mid-batch). */
  acceptLimit: number | null;
  /** Waits until at least `count` messages arrived (bounded), and returns them all. */
  waitFor(count: number, timeoutMs?: number): Promise<ParsedMail[]>;
  /** Messages to an address. */
  to(address: string): ParsedMail[];
  clear(): void;
  close(): Promise<void>;
}

const addresses = (mail: ParsedMail): string[] => {
  const to = Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [];
  return to.flatMap((group) => group.value.map((entry) => (entry.address ?? '').toLowerCase()));
};

export async function startSmtpSink(): Promise<SmtpSink> {
  const sink: SmtpSink = {
    port: 0,
    url: '',
    messages: [],
    refused: 0,
    reject: null,
    acceptLimit: null,
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (sink.messages.length < count) {
        if (Date.now() > deadline) throw new Error(`Expected ${count} messages, got ${sink.messages.length}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return sink.messages;
    },
    to: (address) => sink.messages.filter((mail) => addresses(mail).includes(address.toLowerCase())),
    clear() {
      sink.messages.length = 0;
      sink.refused = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          const overLimit = sink.acceptLimit !== null && sink.messages.length >= sink.acceptLimit;
          if (sink.reject || overLimit) {
            sink.refused += 1;
            const refusal = sink.reject ?? { code: 451, message: 'Too many messages, try again later' };
            callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
            return;
          }
          sink.messages.push(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  sink.port = (server.server.address() as AddressInfo).port;
  sink.url = `smtp://127.0.0.1:${sink.port}`;
  return sink;
}

/** A header exactly as sent (mailparser turns List-* headers into objects; tests check the wire form). */
export function rawHeader(mail: ParsedMail, name: string): string | undefined {
  const line = mail.headerLines.find((entry) => entry.key === name.toLowerCase())?.line;
  return line?.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
}
