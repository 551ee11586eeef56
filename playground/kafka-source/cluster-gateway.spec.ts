import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../../test/support/temp-dirs';
import { runtimeFilePath } from '../info';
import { GatewayFromRuntimeFile } from './cluster-gateway';

const playgroundDir = tempDirs('cluster-gateway');

describe('GatewayFromRuntimeFile', () => {
  it('reads the gateway runtime.json names as ingress, and follows it to a new port', () => {
    const dir = playgroundDir();
    writeFileSync(runtimeFilePath(dir), JSON.stringify({ pid: 1, ingress: 'http://127.0.0.1:40123' }));
    const gateway = new GatewayFromRuntimeFile(dir);
    expect(gateway.refresh()).toBe(true);
    expect({ host: gateway.host, port: gateway.port }).toEqual({ host: '127.0.0.1', port: 40123 });
    writeFileSync(runtimeFilePath(dir), JSON.stringify({ pid: 2, ingress: 'http://10.0.0.7' }));
    expect(gateway.refresh()).toBe(true);
    expect({ host: gateway.host, port: gateway.port }).toEqual({ host: '10.0.0.7', port: 80 });
  });

  it('says false and keeps the last address while runtime.json is missing, half written or names no gateway', () => {
    const dir = playgroundDir();
    const gateway = new GatewayFromRuntimeFile(dir);
    expect(gateway.refresh()).toBe(false);
    writeFileSync(runtimeFilePath(dir), JSON.stringify({ ingress: 'http://127.0.0.1:5000' }));
    expect(gateway.refresh()).toBe(true);
    writeFileSync(runtimeFilePath(dir), '{"ingress": ');
    expect(gateway.refresh()).toBe(false);
    writeFileSync(runtimeFilePath(dir), JSON.stringify({ pid: 3 }));
    expect(gateway.refresh()).toBe(false);
    expect(gateway.port).toBe(5000);
  });
});
