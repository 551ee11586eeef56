import { describe, expect, it } from 'vitest';
import { withServerSetAnnotations } from './server-set-annotations';

const live = {
  metadata: {
    name: 'a',
    annotations: {
      'serving.knative.dev/creator': 'alice',
      'serving.knative.dev/lastModifier': 'bob',
      'example.com/note': 'live',
    },
  },
};

describe('withServerSetAnnotations', () => {
  it("carries Knative's creator and lastModifier over from the live Service when the body has none", () => {
    const edited = withServerSetAnnotations(
      { metadata: { name: 'a', annotations: { 'example.com/mine': 'x' } } },
      live,
    );
    expect(edited.metadata?.annotations).toEqual({
      'example.com/mine': 'x',
      'serving.knative.dev/creator': 'alice',
      'serving.knative.dev/lastModifier': 'bob',
    });
  });

  it('keeps a value the body sets (the webhook then says whether it may change) and drops nothing else', () => {
    const body = { metadata: { name: 'a', annotations: { 'serving.knative.dev/creator': 'mallory' } } };
    expect(withServerSetAnnotations(body, live).metadata?.annotations).toEqual({
      'serving.knative.dev/creator': 'mallory',
      'serving.knative.dev/lastModifier': 'bob',
    });
  });

  it('changes nothing when the live Service has none (a cluster without the webhook)', () => {
    const body = { metadata: { name: 'a' } };
    expect(withServerSetAnnotations(body, { metadata: { name: 'a' } })).toBe(body);
  });
});
