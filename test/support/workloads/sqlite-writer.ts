// Test helper process: writes `count` results (ids derived from `seed`, every second one written twice, like a
// redelivery) into a shared SQLite store, then prints how many it created. Several of these run at once in
// sqlite-store.spec.ts to prove the store is safe with many writer processes (as 100 processing copies are).
// usage: node --import tsx test/support/workloads/sqlite-writer.ts <path> <seed> <count>
import { ulid } from 'ulid';
import { SqliteResultStore } from '../../../workloads/store/sqlite-store';

const [path, seedText, countText] = process.argv.slice(2);
if (!path || !seedText || !countText) {
  process.stderr.write('usage: sqlite-writer <path> <seed> <count>\n');
  process.exit(2);
}
const store = new SqliteResultStore(path);
const seed = Number(seedText);
let created = 0;
for (let index = 0; index < Number(countText); index += 1) {
  const result = {
    id: ulid(seed * 1_000_000 + index),
    text: `message ${seed}/${index}`,
    color: '#ffffff',
    mode: 'scroll' as const,
    user: `writer-${seed}`,
    sentAt: new Date(seed * 1_000_000 + index).toISOString(),
    flags: [],
    processedAt: new Date().toISOString(),
  };
  if ((await store.put(result)).created) created += 1;
  if (index % 2 === 0 && (await store.put(result)).created) created += 1;
}
await store.close();
process.stdout.write(`${created}\n`);
