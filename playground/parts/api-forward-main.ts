// A TCP forwarder from host addresses to kube-apiserver on loopback (started by playground/parts/upstream-serving.ts
// bundled, as `node <bundle>/main.mjs <target-port> <listen-ip>:<listen-port>...`). kube-apiserver listens on
// 127.0.0.1 only; the Knative components that run in network namespaces of their own (controller, autoscaler and
// activator, whose fixed upstream ports would clash on the host) reach it through this, each at the host end of its
// veth. Bytes are copied as they are: TLS is end to end, between the component and the apiserver.
import net from 'node:net';

const [targetPort, ...listens] = process.argv.slice(2);
const addresses = listens.map((listen) => /^(\d+\.\d+\.\d+\.\d+):(\d+)$/.exec(listen));
if (!targetPort || addresses.length === 0 || addresses.some((address) => !address)) {
  process.stderr.write(
    'usage: node <bundle of api-forward-main.ts> <target-port> <listen-ip>:<listen-port>...\n',
  );
  process.exit(2);
}

function forward(client: net.Socket): void {
  const upstream = net.connect({ host: '127.0.0.1', port: Number(targetPort) });
  client.pipe(upstream).pipe(client);
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', close);
  upstream.on('error', close);
  client.on('close', close);
  upstream.on('close', close);
}

const servers = addresses.map((address) => {
  const [, host, port] = address!;
  const server = net.createServer(forward);
  server.on('error', (error) => {
    process.stderr.write(`cannot listen on ${host}:${port}: ${error.message}\n`);
    process.exit(1);
  });
  server.listen(Number(port), host, () => {
    process.stdout.write(`forwarding ${host}:${port} → 127.0.0.1:${targetPort}\n`);
  });
  return server;
});
process.on('SIGTERM', () => {
  let open = servers.length;
  for (const server of servers) server.close(() => --open === 0 && process.exit(0));
});
