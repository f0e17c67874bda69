import type { Socket } from 'node:net';
import { timer, type Subscription } from 'rxjs';
import { AuthenticationError } from '../../../errors/authentication-error.js';
import { BufferLimitError } from '../../../errors/buffer-limit-error.js';
import type { ByteBudget } from '../protocol/byte-budget.js';
import { FrameDecoder, type DecodedFrame } from '../protocol/frame-decoder.js';
import { encodeFrame } from '../protocol/frame-encoder.js';
import { errorResponse } from '../protocol/error-response.js';
import type { Response } from '../protocol/messages.js';
import { requestIdOf } from '../protocol/parse-request.js';

/** The answer to one decoded message, and whether the connection closes after sending it. */
export interface Answer {
  readonly response: Response;
  readonly close: boolean;
}

/** How a connection to a server with a token authenticates. */
export interface ConnectionAuth {
  /** True when a decoded message carries the right token. */
  check(message: unknown): boolean;
  /** Called for every failed authentication (a wrong or missing token, a malformed frame, the deadline). */
  failed(): void;
  /** Called once, when the first request with the right token arrives. */
  succeeded(): void;
  /** The first frame must arrive, with the right token, within this long of connecting. */
  readonly timeoutMs: number;
  /** Most bytes buffered for the connection before it authenticated. */
  readonly maxBufferedBytes: number;
}

/** Limits and behaviour of one server-side connection. */
export interface ConnectionOptions {
  readonly maxFrameBytes: number;
  /** The server-wide allowance for bytes of incomplete frames, shared by every connection. */
  readonly budget: ByteBudget;
  /** Present when the server has a token: every request must carry it. */
  readonly auth?: ConnectionAuth;
  /** Close the connection after this long without traffic and with no request in progress. */
  readonly idleTimeoutMs: number;
  /** Close the connection when a started frame is not complete after this long. */
  readonly frameTimeoutMs: number;
  /** Requests of one connection handled at the same time; reading pauses beyond it. */
  readonly maxInFlight: number;
  /** Answers one decoded message; must not reject. */
  readonly answer: (message: unknown) => Promise<Answer>;
}

/** How long a connection that is being closed may take to flush its last response. */
const CLOSE_GRACE_MS = 1000;

/**
 * How long a connection being closed waits for the answers of requests already taken (a submit may build its
 * job for `buildTimeoutMs`) before it is dropped with them.
 */
const DRAIN_GRACE_MS = 60_000;

/**
 * One client connection of the JobManager server: splits the byte stream into frames, hands every message to
 * `answer` (several may be in progress; responses go out as they are ready, each echoing its request_id),
 * and protects the server: a frame over the limit or held half-sent too long, or an idle connection, is
 * closed; reading pauses while `maxInFlight` requests run or while the client does not read its responses.
 * Bytes of incomplete frames are charged to the server's `budget` and given back when the connection closes.
 * A connection the server closes takes no more input, but the requests it already took are answered before
 * the last (error) frame and the close.
 *
 * With `auth`, every frame is checked before it is handled: a frame without the right token, or a malformed
 * frame before the first good one, gets one error response and the connection is closed, ignoring whatever
 * else it sent; so is a connection whose first good frame does not arrive within `auth.timeoutMs`, or that
 * buffers more than `auth.maxBufferedBytes` before it.
 *
 * @example
 * ```ts
 * net.createServer({ allowHalfOpen: true }, (socket) => {
 *   new Connection(socket, { maxFrameBytes, budget, idleTimeoutMs, frameTimeoutMs, maxInFlight, answer }, () => {});
 * });
 * ```
 */
export class Connection {
  private readonly decoder: FrameDecoder;
  private authenticated: boolean;
  private authTimer: Subscription | undefined;
  private inFlight = 0;
  private writeBlocked = false;
  private readEnded = false;
  /** No more input is taken; the answers of requests in flight still go out. */
  private closing = false;
  /** The socket was ended: nothing more is sent. */
  private ended = false;
  /** The error response sent last, once no request is in flight, when the server closes the connection. */
  private farewell: Response | undefined;
  private frameTimer: Subscription | undefined;
  private closeTimer: Subscription | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly options: ConnectionOptions,
    onClose: () => void,
  ) {
    this.authenticated = options.auth === undefined;
    this.decoder = new FrameDecoder(options.maxFrameBytes, {
      reserve: (bytes) => {
        const auth = options.auth;
        if (!this.authenticated && auth !== undefined && this.decoder.held + bytes > auth.maxBufferedBytes) {
          throw new BufferLimitError(auth.maxBufferedBytes, 'unauthenticated');
        }
        options.budget.reserve(bytes);
      },
      release: (bytes) => {
        options.budget.release(bytes);
      },
    });
    const auth = options.auth;
    if (auth !== undefined) {
      this.authTimer = timer(auth.timeoutMs).subscribe(() => {
        auth.failed();
        this.closeWith(
          null,
          `No request with the right token within ${auth.timeoutMs} ms of connecting: the connection is closed`,
          'AuthenticationError',
        );
      });
    }
    socket.setNoDelay(true);
    socket.setTimeout(options.idleTimeoutMs);
    socket.on('timeout', () => {
      if (this.inFlight === 0)
        this.closeWith(null, `Connection idle for ${options.idleTimeoutMs} ms: closed`);
    });
    socket.on('data', (chunk: Buffer) => {
      this.receive(chunk);
    });
    socket.on('drain', () => {
      this.writeBlocked = false;
      this.updateFlow();
    });
    socket.on('end', () => {
      this.readEnded = true;
      this.endedMidFrame();
      this.endIfDone();
    });
    socket.on('error', () => {
      socket.destroy();
    });
    socket.on('close', () => {
      this.frameTimer?.unsubscribe();
      this.closeTimer?.unsubscribe();
      this.authTimer?.unsubscribe();
      this.decoder.dispose();
      onClose();
    });
  }

  /** Closes the connection at once (server shutdown). */
  destroy(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    if (this.closing) return;
    let frames = 0;
    this.decoder.feed(chunk, (frame) => {
      frames++;
      this.handle(frame);
    });
    if (this.decoder.broken) return;
    if (frames > 0 || this.decoder.pending === 0) {
      this.frameTimer?.unsubscribe();
      this.frameTimer = undefined;
    }
    if (this.decoder.pending > 0 && this.frameTimer === undefined) {
      const pending = this.decoder.pending;
      this.frameTimer = timer(this.options.frameTimeoutMs).subscribe(() => {
        this.closeWith(
          null,
          `Incomplete frame: only part of a frame arrived (${pending}+ bytes) within ${this.options.frameTimeoutMs} ms; the connection is closed`,
          'ProtocolError',
        );
      });
    }
    this.updateFlow();
  }

  private handle(frame: DecodedFrame): void {
    const auth = this.options.auth;
    if (!frame.ok) {
      if (frame.error.fatal || !this.authenticated) {
        if (!this.authenticated) auth?.failed();
        this.closeWith(null, frame.error.message, frame.error.name);
      } else {
        this.send(errorResponse(null, frame.error.message, frame.error.name));
      }
      return;
    }
    if (auth !== undefined && !auth.check(frame.message)) {
      auth.failed();
      this.closeWith(
        errorResponse(requestIdOf(frame.message), new AuthenticationError().message, 'AuthenticationError'),
      );
      return;
    }
    if (!this.authenticated) {
      this.authenticated = true;
      this.authTimer?.unsubscribe();
      auth?.succeeded();
    }
    this.dispatch(frame.message);
  }

  private dispatch(message: unknown): void {
    this.inFlight++;
    this.options
      .answer(message)
      .catch((e: unknown): Answer => ({
        response: errorResponse(
          null,
          `Internal error: ${e instanceof Error ? e.message : String(e)}`,
          'Error',
        ),
        close: false,
      }))
      .then(
        ({ response, close }) => {
          this.inFlight--;
          if (close && !this.closing) {
            this.closeWith(response);
            return;
          }
          this.send(response);
          if (this.closing) {
            this.finishClosing();
          } else {
            this.updateFlow();
            this.endIfDone();
          }
        },
        () => undefined,
      );
  }

  private send(response: Response): void {
    if (this.ended || this.socket.destroyed) return;
    let frame: Buffer;
    try {
      frame = encodeFrame(response, this.options.maxFrameBytes);
    } catch (e) {
      frame = encodeFrame(
        errorResponse(
          response.request_id,
          `Cannot send the response: ${e instanceof Error ? e.message : String(e)}`,
        ),
      );
    }
    if (!this.socket.write(frame)) this.writeBlocked = true;
  }

  /**
   * Takes no more input and closes the connection with `response` (or an error of `message`) as its last
   * frame, sent once the requests already taken have been answered.
   */
  private closeWith(response: Response | null, message?: string, errorType?: string): void {
    if (this.closing || this.socket.destroyed) return;
    this.farewell = response ?? errorResponse(null, message ?? 'Connection closed by the server', errorType);
    this.closing = true;
    this.decoder.dispose();
    this.frameTimer?.unsubscribe();
    this.authTimer?.unsubscribe();
    if (this.inFlight > 0) {
      this.closeTimer = timer(DRAIN_GRACE_MS).subscribe(() => this.socket.destroy());
    }
    this.finishClosing();
  }

  /** Sends the farewell and ends the socket once no request is in flight. */
  private finishClosing(): void {
    if (this.inFlight > 0 || this.ended || this.socket.destroyed) return;
    if (this.farewell !== undefined) this.send(this.farewell);
    this.end();
  }

  private end(): void {
    this.ended = true;
    this.socket.end();
    this.closeTimer?.unsubscribe();
    this.closeTimer = timer(CLOSE_GRACE_MS).subscribe(() => this.socket.destroy());
  }

  /** A client that half-closes in the middle of a frame is told so (it may still read) before the close. */
  private endedMidFrame(): void {
    const pending = this.decoder.pending;
    if (this.closing || this.decoder.broken || pending === 0) return;
    this.frameTimer?.unsubscribe();
    this.frameTimer = undefined;
    this.decoder.dispose();
    this.send(
      errorResponse(
        null,
        `Incomplete frame: the connection ended after ${pending} bytes of a frame; send whole frames (a 4-byte big-endian length, then that many bytes of UTF-8 JSON)`,
        'ProtocolError',
      ),
    );
  }

  private endIfDone(): void {
    if (this.readEnded && this.inFlight === 0 && !this.closing) {
      this.closing = true;
      this.end();
    }
  }

  private updateFlow(): void {
    if (this.closing || this.socket.destroyed) return;
    const stop = this.writeBlocked || this.inFlight >= this.options.maxInFlight;
    if (stop && !this.socket.isPaused()) this.socket.pause();
    else if (!stop && this.socket.isPaused()) this.socket.resume();
  }
}
