// Browsing one partition: from an offset, from the first record at or after a time, or the last `limit` records.
// Bounded and self-stopping: it stops at the limit of matching records, at the partition's end offset as read when
// browsing started (records produced meanwhile wait for the next page), or after a scan budget (records and
// fetches), whichever comes first; each fetch asks for at most 256 KiB.
import type { Admin } from 'kafkajs';
import type { BrowsedRecord, BrowseResponse } from '../../common/schemas/eventing';
import { EngineError } from '../errors';
import type { PartitionReader } from './partition-reader';
import { matchesFilter, viewRecord } from './record-view';

export const SCAN_BUDGET_RECORDS = 5000;
const SCAN_BUDGET_FETCHES = 50;
const FETCH_BYTES = 256 * 1024;

export type BrowseStart = { kind: 'offset'; offset: string } | { kind: 'time'; at: number } | { kind: 'end' };

export async function browsePartition(
  admin: Admin,
  reader: PartitionReader,
  request: { topic: string; partition: number; from: BrowseStart; limit: number; filter: string },
): Promise<BrowseResponse> {
  const offsets = await admin.fetchTopicOffsets(request.topic);
  const bounds = offsets.find((entry) => entry.partition === request.partition);
  if (!bounds) {
    throw new EngineError(
      'not-found',
      `topic ${request.topic} has no partition ${request.partition} (it has ${offsets.length})`,
    );
  }
  const low = BigInt(bounds.low);
  const end = BigInt(bounds.high);
  let next: bigint;
  if (request.from.kind === 'offset') next = BigInt(request.from.offset);
  else if (request.from.kind === 'end') next = end - BigInt(request.limit);
  else {
    const byTime = await admin.fetchTopicOffsetsByTimestamp(request.topic, request.from.at);
    const found = byTime.find((entry) => entry.partition === request.partition)?.offset;
    // -1: no record at or after that time.
    next = found === undefined || BigInt(found) < 0n ? end : BigInt(found);
  }
  if (next < low) next = low;
  if (next > end) next = end;

  const records: BrowsedRecord[] = [];
  let scanned = 0;
  let fetches = 0;
  let stoppedBy: BrowseResponse['stoppedBy'] = 'end';
  while (next < end) {
    if (records.length >= request.limit) {
      stoppedBy = 'limit';
      break;
    }
    if (scanned >= SCAN_BUDGET_RECORDS || fetches >= SCAN_BUDGET_FETCHES) {
      stoppedBy = 'budget';
      break;
    }
    fetches++;
    const page =
      (await reader.read(request.topic, new Map([[request.partition, next.toString()]]), FETCH_BYTES)).get(
        request.partition,
      ) ?? [];
    if (page.length === 0) {
      // A gap (compaction, transaction markers, deleted records): step past it rather than loop on it.
      next += 1n;
      continue;
    }
    for (const fetched of page) {
      const offset = BigInt(fetched.offset);
      if (offset >= end) break;
      next = offset + 1n;
      scanned++;
      const record = viewRecord(fetched);
      if (matchesFilter(record, request.filter)) records.push(record);
      if (records.length >= request.limit) break;
    }
  }
  if (records.length >= request.limit && next < end) stoppedBy = 'limit';
  return {
    records,
    nextOffset: next.toString(),
    endOffset: end.toString(),
    scanned,
    stoppedBy,
  };
}
