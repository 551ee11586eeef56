// Per-file fixtures of integration tests. Each registers the beforeAll that makes it and the afterAll that releases
// it, so a test file states what it needs in one line. Vitest runs afterAll hooks in reverse order of registration
// (sequence.hooks 'stack'), so a fixture registered first is released last: a namespace registered before the
// file's own afterAll outlives the objects that afterAll deletes in it.
import type { Admin, Producer } from 'kafkajs';
import { afterAll, beforeAll, inject } from 'vitest';
import type { PlaygroundInfo } from '../../playground/info';
import { runtimeOf } from './runtime-helpers';
import { createUniqueNamespace, kafkaFor, kubeConfigFor } from './unique';

export interface TestNamespace {
  /** Set before the first test runs. */
  name: string;
  remove: () => Promise<void>;
}

/** A fresh namespace (as admin) for the tests of this file, removed after them. */
export function namespaceForFile(playground: PlaygroundInfo, prefix: string): TestNamespace {
  const namespace: TestNamespace = { name: '', remove: async () => {} };
  beforeAll(async () => {
    Object.assign(namespace, await createUniqueNamespace(playground, prefix));
  });
  afterAll(async () => {
    await namespace.remove();
  });
  return namespace;
}

/** A kafkajs admin and producer on the playground's broker, connected before the tests and disconnected after. */
export function kafkaClientsForFile(playground: PlaygroundInfo): { admin: Admin; producer: Producer } {
  const kafka = kafkaFor(playground);
  const admin = kafka.admin();
  const producer = kafka.producer();
  beforeAll(async () => {
    await Promise.all([admin.connect(), producer.connect()]);
  });
  afterAll(async () => {
    await Promise.all([admin.disconnect(), producer.disconnect()]);
  });
  return { admin, producer };
}

/** What a playground-runtime test starts from: the shared test playground, its runtime's endpoints, admin access. */
export function runtimeTestContext() {
  const playground = inject('playground');
  return { playground, runtime: runtimeOf(playground), kc: kubeConfigFor(playground, 'admin') };
}
