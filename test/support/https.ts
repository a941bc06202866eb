import https from 'node:https';
import tls from 'node:tls';

export interface ClientIdentity {
  cert?: string;
  key?: string;
  pfx?: Buffer;
  passphrase?: string;
}

export interface HttpsResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json: any;
}

/** One HTTPS request on a fresh connection (unless an agent is given), trusting only the given CA. */
export function httpsRequest(options: {
  port: number;
  path: string;
  method?: string;
  ca: string;
  identity?: ClientIdentity;
  body?: unknown;
  /** Sent as is instead of `body` (the caller sets the content type), e.g. JSON too deep to stringify. */
  rawBody?: string;
  headers?: Record<string, string>;
  agent?: https.Agent;
  /** The client's own address, e.g. another 127.0.0.0/8 address to appear as another source. */
  localAddress?: string;
}): Promise<HttpsResult> {
  return new Promise((resolve, reject) => {
    const payload = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const req = https.request(
      {
        host: '127.0.0.1',
        servername: 'localhost',
        port: options.port,
        path: options.path,
        method: options.method ?? 'GET',
        ca: options.ca,
        ...(options.identity ?? {}),
        agent: options.agent ?? false,
        ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
        headers: {
          ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }),
          ...(options.headers ?? {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = body === '' ? undefined : JSON.parse(body);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json });
        });
      },
    );
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

export type HandshakeResult = { ok: true; protocol: string | null; cipher: string; authorized: boolean } | { ok: false; error: string };

/** A bare TLS handshake with the given client options; resolves with what was negotiated or why it failed. */
export function tlsHandshake(port: number, options: tls.ConnectionOptions & { localAddress?: string }): Promise<HandshakeResult> {
  return new Promise((resolve) => {
    const socket = tls.connect({ host: '127.0.0.1', servername: 'localhost', port, ...options });
    const done = (result: HandshakeResult) => {
      socket.destroy();
      resolve(result);
    };
    socket.once('secureConnect', () =>
      done({ ok: true, protocol: socket.getProtocol(), cipher: socket.getCipher().name, authorized: socket.authorized }),
    );
    socket.once('error', (error: NodeJS.ErrnoException) => done({ ok: false, error: error.code ?? error.message }));
    socket.setTimeout(5000, () => done({ ok: false, error: 'timeout' }));
  });
}
