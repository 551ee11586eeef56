// Reads what processing stored in the playground's SQLite store (workloads/store/sqlite-store.ts), read-only, so a
// test or bench can check each accepted barrage was stored exactly once. No file yet means nothing stored yet.
import { existsSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';

/** The ids of every stored result, in insertion order (duplicates would show up twice). */
export function storedBarrageIds(sqliteFile: string): string[] {
  if (!existsSync(sqliteFile)) return [];
  const database = new DatabaseSync(sqliteFile, { readOnly: true });
  try {
    return (database.prepare('SELECT id FROM barrage_results').all() as { id: string }[]).map(
      (row) => row.id,
    );
  } finally {
    database.close();
  }
}
