import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetch } from 'undici';
import { describe, expect, it } from 'vitest';
import { gatewayAwareAgent, isClusterLocalName, serviceTarget } from './service-target';

describe('serviceTarget', () => {
  it('sends a cluster-local Service URL to the gateway with the Service name as Host', () => {
    expect(
      serviceTarget('http://barrage-homepage.demo.svc.cluster.local/api/barrage', 'http://127.0.0.1:32885'),
    ).toEqual({
      url: 'http://127.0.0.1:32885/api/barrage',
      hostHeader: 'barrage-homepage.demo.svc.cluster.local',
    });
    expect(serviceTarget('http://hello.demo.svc/x?y=1', 'http://127.0.0.1:8080/')).toEqual({
      url: 'http://127.0.0.1:8080/x?y=1',
      hostHeader: 'hello.demo.svc',
    });
  });

  it('leaves a cluster-local URL alone when no gateway is known (the error then names the URL the user chose)', () => {
    expect(serviceTarget('http://hello.demo.svc.cluster.local/', null)).toEqual({
      url: 'http://hello.demo.svc.cluster.local/',
    });
  });

  it('keeps *.localhost on loopback and other URLs unchanged', () => {
    expect(serviceTarget('http://hello.demo.localhost:8080/a', 'http://127.0.0.1:1')).toEqual({
      url: 'http://127.0.0.1:8080/a',
      hostHeader: 'hello.demo.localhost:8080',
    });
    expect(serviceTarget('https://example.com/a', 'http://127.0.0.1:1')).toEqual({
      url: 'https://example.com/a',
    });
  });

  it('knows cluster-local names', () => {
    expect(isClusterLocalName('a.b.svc.cluster.local.')).toBe(true);
    expect(isClusterLocalName('a.b.svc')).toBe(true);
    expect(isClusterLocalName('svc.example.com')).toBe(false);
  });
});

describe('gatewayAwareAgent', () => {
  it('fetches a cluster-local URL from the gateway, the Service name in Host', async () => {
    const gateway = createServer((request, response) =>
      response.end(`${request.headers.host} ${request.url}`),
    );
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = gateway.address() as AddressInfo;
      const response = await fetch('http://barrage-homepage.demo.svc.cluster.local/api/stream?x=1', {
        dispatcher: gatewayAwareAgent(`http://127.0.0.1:${port}`),
      });
      expect(await response.text()).toBe('barrage-homepage.demo.svc.cluster.local /api/stream?x=1');
    } finally {
      gateway.close();
    }
  });
});
