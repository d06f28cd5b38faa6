import type { Socket } from 'node:net';

/** How long a refused upload is still read (and thrown away) after its answer, before the socket closes. */
export const LINGER_MS = 2_000;

/**
 * Lets a client that is still sending a refused body read our answer (a 413 with `Connection: close`).
 * Node closes such a socket as soon as the answer is written; with the client's bytes still arriving,
 * that close makes the kernel send a reset, which throws away the answer unread in the client's buffer,
 * so the client sees only ECONNRESET/EPIPE. Instead: half-close after the answer (FIN), keep draining
 * what arrives, and close for good when the client hangs up or after `ms` (the drain keeps nothing).
 */
export function lingerAfterAnswer(socket: Socket | null | undefined, ms = LINGER_MS): void {
  if (!socket) return;
  socket.destroySoon = function lingeringDestroySoon(this: Socket): void {
    if (this.writable) this.end();
    const timer = setTimeout(() => this.destroy(), ms);
    timer.unref();
    this.once('close', () => clearTimeout(timer));
  };
}
