import net from 'node:net';

/**
 * A TCP forwarder in front of a server (PostgreSQL in the tests) that can be frozen: it then keeps every
 * connection open and accepts new ones, but moves no bytes, as a hung database host, a stalled network path
 * or a stopped process behind a live kernel would. Thawed, it moves what waited and goes on; or, thawed with
 * `lost`, the connections that were frozen stay silent for good (a path that dropped them without a word,
 * a host that came back without their state) and only new ones work.
 */
export class FreezableProxy {
  private frozen = false;
  private readonly sockets = new Set<net.Socket>();
  /** Connections accepted while frozen: their upstream is opened once thawed. */
  private held: (() => void)[] = [];

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
  ) {}

  /** A proxy in front of the server a URL names (`postgres://…`), and the same URL through it. */
  static async inFrontOf(url: string, defaultPort = 5432): Promise<{ proxy: FreezableProxy; url: string }> {
    const direct = new URL(url);
    const proxy = await FreezableProxy.start({ host: direct.hostname, port: Number(direct.port || defaultPort) });
    const viaProxy = new URL(url);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    return { proxy, url: viaProxy.href };
  }

  static async start(target: { host: string; port: number }): Promise<FreezableProxy> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const proxy = new FreezableProxy(server, (server.address() as net.AddressInfo).port);
    server.on('connection', (client) => proxy.accept(client, target));
    return proxy;
  }

  freeze(): void {
    this.frozen = true;
    for (const socket of this.sockets) socket.pause();
  }

  thaw(options: { lost?: boolean } = {}): void {
    this.frozen = false;
    if (!options.lost) for (const socket of this.sockets) socket.resume();
    for (const open of this.held.splice(0)) open();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private accept(client: net.Socket, target: { host: string; port: number }): void {
    this.track(client);
    client.pause();
    const open = () => {
      if (client.destroyed) return;
      const upstream = net.connect(target.port, target.host);
      this.track(upstream);
      // Reading stops while frozen (pause), so nothing is forwarded and the bytes wait in the kernel.
      client.on('data', (chunk) => upstream.write(chunk));
      upstream.on('data', (chunk) => client.write(chunk));
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.resume();
    };
    if (this.frozen) this.held.push(open);
    else open();
  }

  private track(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
  }
}
