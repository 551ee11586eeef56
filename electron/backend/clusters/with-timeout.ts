// Kubernetes calls have no deadline of their own: a black-holed apiserver would hang a check forever.
import { EngineError } from '../errors';

export async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new EngineError('timeout', `${what} did not answer within ${ms / 1000} s.`)),
      ms,
    );
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
