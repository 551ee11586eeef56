import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../../../test/support/temp-dirs';
import { GatewaySettings } from './gateway-settings';

const configDir = tempDirs('gateway-settings');

describe('GatewaySettings (the address typed per context)', () => {
  it('keeps an address per context across restarts, and forgets it on null', () => {
    const dir = configDir();
    new GatewaySettings(dir).set('ask-prod', 'http://198.51.100.4');
    new GatewaySettings(dir).set('other', 'http://127.0.0.1:8080');
    const again = new GatewaySettings(dir);
    expect(again.get('ask-prod')).toBe('http://198.51.100.4');
    expect(again.get('other')).toBe('http://127.0.0.1:8080');
    expect(again.get('toString')).toBeUndefined();
    again.set('ask-prod', null);
    expect(new GatewaySettings(dir).get('ask-prod')).toBeUndefined();
    expect(JSON.parse(readFileSync(join(dir, 'gateways.json'), 'utf8'))).toEqual({
      gateways: { other: 'http://127.0.0.1:8080' },
    });
  });

  it('reports a file that does not parse and keeps it aside instead of overwriting it', () => {
    const dir = configDir();
    writeFileSync(join(dir, 'gateways.json'), '{ not json');
    expect(() => new GatewaySettings(dir).get('x')).toThrow(/gateways\.json could not be read/);
    expect(new GatewaySettings(dir).get('x')).toBeUndefined();
  });
});
