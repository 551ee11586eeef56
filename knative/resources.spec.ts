import { describe, expect, it } from 'vitest';
import { annotations, spellingsOf } from './keys';
import { apiVersionOf, collectionPath, resources } from './resources';

describe('resources', () => {
  it('builds API versions and collection paths for grouped and core resources', () => {
    expect(apiVersionOf(resources.service)).toBe('serving.knative.dev/v1');
    expect(apiVersionOf(resources.pod)).toBe('v1');
    expect(collectionPath(resources.kafkaSource, 'a b')).toBe(
      '/apis/sources.knative.dev/v1/namespaces/a%20b/kafkasources',
    );
    expect(collectionPath(resources.pod)).toBe('/api/v1/pods');
  });
});

describe('spellingsOf', () => {
  it('lists the current key first, then the legacy spellings upstream still reads', () => {
    expect(spellingsOf(annotations.minScale)).toEqual([
      'autoscaling.knative.dev/min-scale',
      'autoscaling.knative.dev/minScale',
    ]);
    expect(spellingsOf(annotations.target)).toEqual(['autoscaling.knative.dev/target']);
  });
});
