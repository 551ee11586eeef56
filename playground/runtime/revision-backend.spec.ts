// The request path in front of a revision's pods, without processes: which pod and address a request is sent to.
import { describe, expect, it } from 'vitest';
import { ActivationTimeoutError, RevisionBackend } from './revision-backend';

function backend(activationTimeoutMs = 60_000) {
  return new RevisionBackend({
    containerConcurrency: 2,
    activationTimeoutMs,
    maxQueued: 100,
    onDemandAtZero: () => {},
  });
}

describe('RevisionBackend', () => {
  it('sends requests to the port a crashed and restarted container listens on now', async () => {
    const revision = backend();
    revision.upsertPod({ podName: 'p-1', host: '127.0.0.1', port: 40001 }, true);
    const first = await revision.acquire();
    expect(first.endpoint.port).toBe(40001);
    first.release();

    // The container is killed: not ready at its old address, then ready again on a new port.
    revision.upsertPod({ podName: 'p-1', host: '127.0.0.1', port: 40001 }, false);
    const waiting = revision.acquire();
    revision.upsertPod({ podName: 'p-1', host: '127.0.0.1', port: 40077 }, true);
    const slot = await waiting;
    expect(slot.endpoint).toEqual({ podName: 'p-1', host: '127.0.0.1', port: 40077 });
    expect((await revision.acquire()).endpoint.port).toBe(40077);
  });

  it('gives requests waiting behind busy pods the activation timeout once the last pod stops being ready', async () => {
    const revision = backend(50);
    revision.upsertPod({ podName: 'p-1', host: '127.0.0.1', port: 40001 }, true);
    await revision.acquire();
    await revision.acquire();
    // Both slots taken: this one waits for a slot, with no activation timer (a pod is ready).
    const waiting = revision.acquire();
    revision.upsertPod({ podName: 'p-1', host: '127.0.0.1', port: 40001 }, false);
    await expect(waiting).rejects.toBeInstanceOf(ActivationTimeoutError);
  });
});
