import net from 'node:net';

export interface TcpProxy {
  port: number;
  /** Drops every connection at once, including the answers still held back: they never arrive. */
  cutAll(): void;
  close(): Promise<void>;
}

/**
 * A loopback TCP proxy to `upstreamPort` that holds the server's bytes back for `delayMs` before passing
 * them on (TLS stays end to end). Cutting it while answers are held back loses answers the server has
 * already sent — what a client sees when the network fails right after the server committed.
 */
export async function startDelayingProxy(upstreamPort: number, delayMs: number): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(upstreamPort, '127.0.0.1');
    track(client);
    track(upstream);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => setTimeout(() => client.destroy(), delayMs));
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      setTimeout(() => {
        if (!client.destroyed) client.write(chunk);
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  return {
    port: address.port,
    cutAll() {
      for (const s of sockets) s.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
