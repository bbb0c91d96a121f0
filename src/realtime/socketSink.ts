import type { Duplex } from 'node:stream';
import type { ExecutionResult, FormattedExecutionResult } from 'graphql';
import WebSocket from 'ws';
import type { ResultSink } from './follower';
import { CLOSE_SLOW_CONSUMER } from './closeCodes';
import { clientFacingError, defaultErrorLogger, formatError } from '../shared/errorBoundary';

/**
 * What a subscriber sees of a result: as is, or with its errors masked like every HTTP error (unexpected ones are
 * logged and reach the client as INTERNAL_SERVER_ERROR). Undefined when there is nothing to mask.
 */
export function clientResult(result: ExecutionResult): FormattedExecutionResult | undefined {
  if (!result.errors?.length) return undefined;
  for (const error of result.errors) {
    if (!clientFacingError({ message: error.message, extensions: error.extensions }, error)) defaultErrorLogger({ error });
  }
  return { ...result, errors: result.errors.map((error) => formatError({ message: error.message, path: error.path, extensions: error.extensions }, error)) };
}

/** One live event's result is shared by many subscribers: its JSON is made once, then copied into each frame. */
const payloads = new WeakMap<ExecutionResult, Buffer>();
function payloadOf(result: ExecutionResult): Buffer {
  let payload = payloads.get(result);
  if (!payload) {
    const { errors, ...withoutErrors } = result;
    payload = Buffer.from(JSON.stringify(errors ? clientResult(result) : withoutErrors));
    payloads.set(result, payload);
  }
  return payload;
}

/** An unmasked, final text frame (RFC 6455 5.2) holding `prefix`, `payload` and a closing brace. */
function textFrame(prefix: string, prefixBytes: number, payload: Buffer): Buffer {
  const length = prefixBytes + payload.length + 1;
  const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = 0x81;
  if (length < 126) {
    frame[1] = length;
  } else if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  frame.write(prefix, header, 'utf8');
  payload.copy(frame, header + prefixBytes);
  frame[frame.length - 1] = 0x7d;
  return frame;
}

/**
 * A live subscription's `next` messages (graphql-transport-ws: `{"id":…,"type":"next","payload":…}`), written
 * straight to its socket: the payload is serialised once per result, each socket gets one buffer holding the whole
 * frame. Going through `ws.send` instead costs each of 10,000 sockets a string conversion, a frame header of its
 * own and a two-buffer write; on a 2-core machine that alone took ~225 ms against ~110–140 ms (BENCHMARKS.md).
 *
 * Safe because the server runs without permessage-deflate: `ws` then writes every frame of its own (pings, close,
 * graphql-ws's other messages) to the socket at once and whole, so frames never interleave. The slow-consumer
 * bound is the one graphql-ws's path applies: a socket whose send buffer is past it is closed.
 */
export class SocketSink implements ResultSink {
  private readonly prefix: string;
  private readonly prefixBytes: number;

  constructor(
    private readonly socket: WebSocket,
    private readonly raw: Duplex,
    id: string,
    private readonly maxBufferedBytes: number,
  ) {
    this.prefix = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
    this.prefixBytes = Buffer.byteLength(this.prefix);
  }

  next(result: ExecutionResult): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    if (this.socket.bufferedAmount > this.maxBufferedBytes) {
      this.socket.close(CLOSE_SLOW_CONSUMER, 'Too slow: send buffer full');
      return;
    }
    this.raw.write(textFrame(this.prefix, this.prefixBytes, payloadOf(result)));
  }
}
