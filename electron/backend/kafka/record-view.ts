// How a Kafka record's key, value and headers are shown (pure; unit-tested): JSON pretty-printed, UTF-8 text as
// text, anything else as hex (at most 4 KiB of it, with the full size given), and whether a record matches the
// browse filter (case-insensitive, in key, header values and value).
import type { BrowsedRecord, RecordValue } from '../../common/schemas/eventing';
import type { FetchedRecord } from './partition-reader';

const MAX_HEX_BYTES = 4096;
const MAX_TEXT_CHARS = 64 * 1024;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function looksLikeText(text: string): boolean {
  // Control characters other than tab/newline/CR mean bytes that only happen to decode.
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f) return false;
  }
  return true;
}

export function viewBytes(bytes: Buffer | null): RecordValue {
  if (bytes === null) return { kind: 'null' };
  let text: string | undefined;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    text = undefined;
  }
  if (text !== undefined && looksLikeText(text)) {
    const trimmed = text.trim();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      try {
        return { kind: 'json', text: JSON.stringify(JSON.parse(trimmed), null, 2).slice(0, MAX_TEXT_CHARS) };
      } catch {
        // Not JSON after all: shown as text.
      }
    }
    return { kind: 'text', text: text.slice(0, MAX_TEXT_CHARS) };
  }
  return { kind: 'binary', hex: bytes.subarray(0, MAX_HEX_BYTES).toString('hex'), bytes: bytes.length };
}

function headerPairs(headers: FetchedRecord['headers']): { name: string; value: string }[] {
  const pairs: { name: string; value: string }[] = [];
  for (const [name, raw] of Object.entries(headers)) {
    for (const value of Array.isArray(raw) ? raw : [raw]) {
      if (value === undefined) continue;
      pairs.push({ name, value: typeof value === 'string' ? value : value.toString('utf8') });
    }
  }
  return pairs;
}

export function viewRecord(record: FetchedRecord): BrowsedRecord {
  return {
    partition: record.partition,
    offset: record.offset,
    timestamp: record.timestamp,
    key: viewBytes(record.key),
    headers: headerPairs(record.headers),
    value: viewBytes(record.value),
  };
}

function searchable(value: RecordValue): string {
  if (value.kind === 'json' || value.kind === 'text') return value.text;
  if (value.kind === 'binary') return value.hex;
  return '';
}

export function matchesFilter(record: BrowsedRecord, filter: string): boolean {
  const needle = filter.trim().toLowerCase();
  if (needle === '') return true;
  return [
    searchable(record.key),
    searchable(record.value),
    ...record.headers.map((h) => `${h.name}: ${h.value}`),
  ]
    .join('\n')
    .toLowerCase()
    .includes(needle);
}
