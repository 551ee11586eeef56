import { describe, expect, it } from 'vitest';
import { ConfigError, readHomepageConfig } from './config';

const base = { KAFKA_SERVER: 'b-1.example.com:9093' };

describe('readHomepageConfig: Kafka TLS', () => {
  it('is off unless KAFKA_TLS=true (as the template renders it for a TLS profile)', () => {
    expect(readHomepageConfig(base).kafkaTls).toBe(false);
    expect(readHomepageConfig({ ...base, KAFKA_TLS: 'false' }).kafkaTls).toBe(false);
    expect(readHomepageConfig({ ...base, KAFKA_TLS: 'true' }).kafkaTls).toBe(true);
  });

  it('refuses anything else with the variable named', () => {
    expect(() => readHomepageConfig({ ...base, KAFKA_TLS: 'yes' })).toThrow(ConfigError);
    expect(() => readHomepageConfig({ ...base, KAFKA_TLS: 'yes' })).toThrow(/KAFKA_TLS/);
  });
});
