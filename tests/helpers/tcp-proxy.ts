import net from 'node:net';

/**
 * A TCP relay on a loopback port to a server (PostgreSQL in the tests), which a test can cut (every connection
 * dropped, new ones refused: the database "goes down") and restore on the same port.
 */
export async function tcpProxy(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve((server.address() as net.AddressInfo).port);
      });
    });
  const port = await listen(0);
  const stop = async () => {
    for (const socket of sockets) socket.destroy();
    if (server.listening) await new Promise((resolve) => server.close(resolve));
  };
  return {
    port,
    /** The URL with the proxy's port in place of the server's. */
    url(base: string): string {
      const url = new URL(base);
      url.port = String(port);
      return url.href;
    },
    cut: stop,
    async restore(): Promise<void> {
      if (!server.listening) await listen(port);
    },
    close: stop,
  };
}
