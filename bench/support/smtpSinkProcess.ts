/**
 * An SMTP sink in a process of its own (so that receiving mail does not eat the API's CPU in the measurement): it
 * accepts every message, counts them per recipient, and answers `stats` requests over IPC with the count, the
 * number of recipients that got more than one message with the same subject prefix, and the first and last arrival.
 */
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';

const perRecipient = new Map<string, number>();
let count = 0;
let first = 0;
let last = 0;

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  size: 5_000_000,
  onData(stream, session, callback) {
    stream.on('data', () => undefined);
    stream.on('end', () => {
      const now = Date.now();
      if (!first) first = now;
      last = now;
      count += 1;
      for (const rcpt of session.envelope.rcptTo) {
        const key = rcpt.address.toLowerCase();
        perRecipient.set(key, (perRecipient.get(key) ?? 0) + 1);
      }
      callback();
    });
  },
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.server.address() as AddressInfo;
  process.send?.({ type: 'ready', port });
});

process.on('message', (message: { type: string; prefix?: string }) => {
  if (message.type === 'stats') {
    let repeated = 0;
    for (const [address, n] of perRecipient) if (n > 1 && (!message.prefix || address.startsWith(message.prefix))) repeated += 1;
    process.send?.({ type: 'stats', count, recipients: perRecipient.size, repeated, first, last });
  } else if (message.type === 'reset') {
    perRecipient.clear();
    count = 0;
    first = 0;
    last = 0;
    process.send?.({ type: 'reset' });
  } else if (message.type === 'stop') {
    server.close(() => process.exit(0));
  }
});
