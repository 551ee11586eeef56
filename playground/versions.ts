// The pinned versions of every part (playground/versions.json), validated so a typo fails with a clear message.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const versionsSchema = z.object({
  kubernetes: z.string().regex(/^v1\.\d+\.\d+$/),
  etcd: z.string().regex(/^v3\.\d+\.\d+$/),
  knativeServing: z.string().regex(/^v\d+\.\d+\.\d+$/),
  eventingKafkaBroker: z.string().regex(/^v\d+\.\d+\.\d+$/),
  kafka: z.string().regex(/^\d+\.\d+\.\d+$/),
  scala: z.string().regex(/^\d+\.\d+$/),
});

export type Versions = z.infer<typeof versionsSchema>;

export const versionsFile = fileURLToPath(new URL('./versions.json', import.meta.url));

export function loadVersions(path = versionsFile): Versions {
  const parsed = versionsSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
