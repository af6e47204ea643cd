import { createServer, type Server } from "node:net";

const HOST = "127.0.0.1";

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen({ host: HOST, port, exclusive: true }, () => resolve(server));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

function portOf(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("unexpected server address");
  return address.port;
}

/** An unused 127.0.0.1 TCP port (the OS picks it; it is released before returning). */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port as number;
}

/**
 * `count` distinct unused ports. All listeners are held open until every port is
 * picked, because calling freePort() repeatedly may hand back the same port twice.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) servers.push(await listen(0));
    return servers.map(portOf);
  } finally {
    await Promise.all(servers.map(close));
  }
}

/**
 * Fails with a readable message if something already listens on the port.
 * Checked before spawning anvil because otherwise the readiness probe could
 * happily talk to whatever else (e.g. a stale devnet) owns the port.
 */
export async function assertPortFree(port: number, what: string): Promise<void> {
  let server: Server;
  try {
    server = await listen(port);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") {
      throw new Error(
        `Cannot start ${what}: port ${port} on ${HOST} is already in use (another devnet or node still running?)`,
      );
    }
    throw new Error(`Cannot start ${what}: unable to bind ${HOST}:${port} (${code ?? String(err)})`);
  }
  await close(server);
}
