// A TCP forwarder from one host address to kube-apiserver on loopback (started by playground/parts/upstream-serving.ts
// as `node --import tsx api-forward-main.ts <listen-ip> <listen-port> <target-port>`). kube-apiserver listens on
// 127.0.0.1 only; a Knative component that runs in a network namespace of its own (the controller, whose fixed
// health-probe port :8080 would clash with the autoscaler's fixed :8080 on the host) reaches it through this, at the
// host end of its veth. Bytes are copied as they are: TLS is end to end, between the component and the apiserver.
import net from 'node:net';

const [listenIp, listenPort, targetPort] = process.argv.slice(2);
if (!listenIp || !listenPort || !targetPort) {
  process.stderr.write('usage: api-forward-main.ts <listen-ip> <listen-port> <target-port>\n');
  process.exit(2);
}

const server = net.createServer((client) => {
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
});
server.listen(Number(listenPort), listenIp, () => {
  process.stdout.write(`forwarding ${listenIp}:${listenPort} → 127.0.0.1:${targetPort}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
