// A contract double of Alibaba Tablestore (OTS) for tests — NOT Tablestore. An HTTP server on 127.0.0.1 that takes
// the requests the real `tablestore` SDK sends and answers them the way the service does, for the few operations
// the result store uses: ListTable, PutRow, GetRange, BatchGetRow. What it checks, as the service would:
// - the request: POST /<Operation>, `x-ots-apiversion: 2015-12-31`, `x-ots-instancename` = this instance,
//   `x-ots-date` within 15 minutes, `x-ots-contentmd5` = base64 MD5 of the body;
// - the signature: `x-ots-signature` = base64 HMAC-SHA1(secret, "<path>\n<method>\n\n" + sorted lowercase
//   `x-ots-*:value` lines except the signature, each ending "\n"), for a known `x-ots-accesskeyid`; a wrong key
//   or secret gets 403 OTSAuthFailed;
// - the body: protobuf decoded with the SDK's own generated classes (tablestore_compiled_proto.js); rows in
//   PlainBuffer decoded here, independently of the SDK's reader, with every cell and row CRC-8 checked;
// - the schema: primary key names, order and types per table; auto-increment columns only as the placeholder and
//   only with condition IGNORE; a missing table is 404 OTSObjectNotExist;
// - conditions: EXPECT_NOT_EXIST on an existing row (or EXPECT_EXIST on a missing one) is 403
//   OTSConditionCheckFail and writes nothing.
// Errors are answered as protobuf `Error {code, message}` like the service; codes follow Tablestore's error table,
// message texts are ours. `failNext` injects one error answer (a test's simulated crash or outage). Everything
// else (filters, versions beyond the latest, transactions, other operations) is refused with OTSParameterInvalid
// or OTSUnsupportOperation rather than silently ignored.
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import TableStore, { type AttributeInput, type PrimaryKeyInput } from 'tablestore';
import compiledProto from 'tablestore/lib/protocol/tablestore_compiled_proto.js';
import type { TablestorePrimaryKeySchema } from '../../workloads/store/tablestore-store';

const proto = compiledProto.main.proto;
const crc = TableStore.plainBufferCrc8;

// PlainBuffer constants (tablestore/lib/protocol/plain_buffer_consts.js).
const header = 0x75;
const tag = {
  rowPk: 0x1,
  rowData: 0x2,
  cell: 0x3,
  cellName: 0x4,
  cellValue: 0x5,
  cellType: 0x6,
  cellTimestamp: 0x7,
  deleteRowMarker: 0x8,
  rowChecksum: 0x9,
  cellChecksum: 0x0a,
} as const;
const vt = {
  integer: 0x0,
  double: 0x1,
  boolean: 0x2,
  string: 0x3,
  blob: 0x7,
  infMin: 0x9,
  infMax: 0xa,
  autoIncrement: 0xb,
} as const;

export type CellValue =
  | { type: 'INTEGER'; value: bigint }
  | { type: 'STRING'; value: string }
  | { type: 'BLOB'; value: Buffer }
  | { type: 'BOOLEAN'; value: boolean }
  | { type: 'DOUBLE'; value: number }
  | { type: 'INF_MIN' | 'INF_MAX' | 'AUTO_INCREMENT' };

export interface DecodedCell {
  readonly name: string;
  readonly value: CellValue;
  readonly timestamp?: bigint;
}

export interface DecodedPlainRow {
  readonly primaryKey: DecodedCell[];
  readonly attributes: DecodedCell[];
  readonly deleteMarker: boolean;
}

class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const invalid = (message: string) => new ServiceError(400, 'OTSParameterInvalid', message);

/** A PlainBuffer reader with CRC-8 checks (the format the SDK's plian_buffer_builder.js writes). */
class PlainBufferReader {
  #position = 0;
  #lastTag = 0;
  constructor(private readonly buffer: Buffer) {}

  atEnd(): boolean {
    return this.#position >= this.buffer.length;
  }
  #need(bytes: number): void {
    if (this.#position + bytes > this.buffer.length) throw invalid('PlainBuffer ended early');
  }
  #byte(): number {
    this.#need(1);
    return this.buffer[this.#position++]!;
  }
  #int32(): number {
    this.#need(4);
    const value = this.buffer.readInt32LE(this.#position);
    this.#position += 4;
    return value;
  }
  #bytes(length: number): Buffer {
    if (length < 0) throw invalid('negative PlainBuffer length');
    this.#need(length);
    const bytes = this.buffer.subarray(this.#position, this.#position + length);
    this.#position += length;
    return bytes;
  }
  #readTag(): number {
    this.#lastTag = this.atEnd() ? 0 : this.#byte();
    return this.#lastTag;
  }
  /** Whether the last tag read is `expected` (a call, so TypeScript does not narrow across reads). */
  #at(expected: number): boolean {
    return this.#lastTag === expected;
  }
  #expect(expected: number, what: string): void {
    if (this.#lastTag !== expected)
      throw invalid(`PlainBuffer: expected ${what}, found tag ${this.#lastTag}`);
  }

  readHeader(): void {
    if (this.#int32() !== header) throw invalid('PlainBuffer: bad header');
    this.#readTag();
  }

  /** Reads one row (after the header); the current tag is the first tag of the row. */
  readRow(): DecodedPlainRow {
    let rowChecksum = 0;
    const primaryKey: DecodedCell[] = [];
    const attributes: DecodedCell[] = [];
    this.#expect(tag.rowPk, 'TAG_ROW_PK');
    this.#readTag();
    while (this.#at(tag.cell)) {
      const { cell, checksum } = this.#readCell(true);
      primaryKey.push(cell);
      rowChecksum = crc.crcInt8(rowChecksum, checksum);
    }
    if (this.#at(tag.rowData)) {
      this.#readTag();
      while (this.#at(tag.cell)) {
        const { cell, checksum } = this.#readCell(false);
        attributes.push(cell);
        rowChecksum = crc.crcInt8(rowChecksum, checksum);
      }
    }
    let deleteMarker = false;
    if (this.#at(tag.deleteRowMarker)) {
      deleteMarker = true;
      this.#readTag();
    }
    rowChecksum = crc.crcInt8(rowChecksum, deleteMarker ? 1 : 0);
    this.#expect(tag.rowChecksum, 'TAG_ROW_CHECKSUM');
    if (this.#byte() !== rowChecksum) throw invalid('PlainBuffer: row checksum mismatch');
    this.#readTag();
    return { primaryKey, attributes, deleteMarker };
  }

  #readCell(isPrimaryKey: boolean): { cell: DecodedCell; checksum: number } {
    this.#readTag();
    this.#expect(tag.cellName, 'TAG_CELL_NAME');
    const nameBytes = this.#bytes(this.#int32());
    const name = nameBytes.toString('utf8');
    let checksum = crc.crcString(0, nameBytes);
    this.#readTag();
    let value: CellValue | undefined;
    if (this.#at(tag.cellValue)) {
      this.#int32(); // total length of type + payload
      const type = this.#byte();
      checksum = crc.crcInt8(checksum, type);
      if (type === vt.integer) {
        const bytes = this.#bytes(8);
        checksum = crc.crcInt64Buf(checksum, bytes);
        value = { type: 'INTEGER', value: bytes.readBigInt64LE(0) };
      } else if (type === vt.string || type === vt.blob) {
        const length = this.#int32();
        const bytes = this.#bytes(length);
        checksum = crc.crcInt32(checksum, length);
        checksum = crc.crcString(checksum, bytes);
        value =
          type === vt.string
            ? { type: 'STRING', value: bytes.toString('utf8') }
            : { type: 'BLOB', value: Buffer.from(bytes) };
      } else if (!isPrimaryKey && type === vt.boolean) {
        const flag = this.#byte();
        checksum = crc.crcInt8(checksum, flag);
        value = { type: 'BOOLEAN', value: flag !== 0 };
      } else if (!isPrimaryKey && type === vt.double) {
        const bytes = this.#bytes(8);
        checksum = crc.crcInt64Buf(checksum, bytes);
        value = { type: 'DOUBLE', value: bytes.readDoubleLE(0) };
      } else if (isPrimaryKey && type === vt.infMin) {
        value = { type: 'INF_MIN' };
      } else if (isPrimaryKey && type === vt.infMax) {
        value = { type: 'INF_MAX' };
      } else if (isPrimaryKey && type === vt.autoIncrement) {
        value = { type: 'AUTO_INCREMENT' };
      } else {
        throw invalid(`PlainBuffer: unsupported value type ${type} in column ${name}`);
      }
      this.#readTag();
    }
    if (value === undefined) throw invalid(`column ${name} has no value`);
    let timestamp: bigint | undefined;
    if (this.#at(tag.cellType)) throw invalid('cell operation types (UpdateRow) are not supported here');
    if (this.#at(tag.cellTimestamp)) {
      if (isPrimaryKey) throw invalid('a primary key column has no timestamp');
      const bytes = this.#bytes(8);
      checksum = crc.crcInt64Buf(checksum, bytes);
      timestamp = bytes.readBigInt64LE(0);
      this.#readTag();
    }
    this.#expect(tag.cellChecksum, 'TAG_CELL_CHECKSUM');
    if (this.#byte() !== checksum) throw invalid(`PlainBuffer: checksum mismatch in column ${name}`);
    this.#readTag();
    return { cell: timestamp === undefined ? { name, value } : { name, value, timestamp }, checksum };
  }
}

/** Decodes a PlainBuffer holding one row (PutRow's row, a primary key). */
export function decodePlainBufferRow(bytes: Uint8Array): DecodedPlainRow {
  const reader = new PlainBufferReader(Buffer.from(bytes));
  reader.readHeader();
  const row = reader.readRow();
  if (!reader.atEnd()) throw invalid('PlainBuffer: bytes after the row');
  return row;
}

function compareCells(left: CellValue, right: CellValue): number {
  const rank = (value: CellValue) => (value.type === 'INF_MIN' ? -1 : value.type === 'INF_MAX' ? 1 : 0);
  if (rank(left) !== 0 || rank(right) !== 0) return rank(left) - rank(right);
  if (left.type === 'INTEGER' && right.type === 'INTEGER') {
    return left.value < right.value ? -1 : left.value > right.value ? 1 : 0;
  }
  if (left.type === 'STRING' && right.type === 'STRING') {
    return Buffer.compare(Buffer.from(left.value, 'utf8'), Buffer.from(right.value, 'utf8'));
  }
  throw invalid(`cannot compare ${left.type} with ${right.type}`);
}

function compareKeys(left: CellValue[], right: CellValue[]): number {
  for (let index = 0; index < left.length; index += 1) {
    const order = compareCells(left[index]!, right[index]!);
    if (order !== 0) return order;
  }
  return 0;
}

function keyString(values: CellValue[]): string {
  return JSON.stringify(values.map((value) => ('value' in value ? String(value.value) : value.type)));
}

/** Cell value → what the SDK's builder takes (Int64 for integers). */
function sdkValue(value: CellValue): unknown {
  switch (value.type) {
    case 'INTEGER':
      return TableStore.Long.fromString(value.value.toString());
    case 'STRING':
    case 'BLOB':
    case 'BOOLEAN':
    case 'DOUBLE':
      return value.value;
    default:
      throw new Error(`${value.type} is not a stored value`);
  }
}

interface StoredRow {
  readonly key: CellValue[];
  readonly attributes: Map<string, { value: CellValue; timestamp: bigint }>;
}

interface DoubleTable {
  readonly schema: TablestorePrimaryKeySchema;
  readonly rows: Map<string, StoredRow>;
  nextAutoIncrement: bigint;
}

export interface TablestoreDoubleOptions {
  readonly instanceName: string;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  /** Tables by name with their primary keys. */
  readonly tables: Record<string, TablestorePrimaryKeySchema>;
  /** The address to listen on (default 127.0.0.1; a playground pod reaches the host at its bridge address). */
  readonly host?: string;
}

export interface TablestoreDoubleRequest {
  readonly operation: string;
  readonly table?: string;
  readonly rowExistence?: string;
  readonly status: number;
  readonly code?: string;
}

export interface TablestoreDoubleFault {
  readonly operation: string;
  readonly table: string;
  readonly status: number;
  readonly code: string;
}

export interface TablestoreDouble {
  /** `http://127.0.0.1:<port>`, for OTS_ENDPOINT. */
  readonly endpoint: string;
  /** Every request answered, in order (operation, table, condition, status, error code). */
  readonly requests: TablestoreDoubleRequest[];
  /** Row count of a table. */
  rowCount(table: string): number;
  /** Fault injection: the next request for `operation` on `table` fails with this error, writing nothing. */
  failNext(fault: TablestoreDoubleFault): void;
  /**
   * An outage: while on, every request is answered 503 OTSServerUnavailable (Tablestore's "server is not
   * available") at once, before anything is read or written.
   */
  setUnavailable(on: boolean): void;
  /** The primary keys of a table's rows (each as its column values, as strings). */
  rowKeys(table: string): string[][];
  close(): Promise<void>;
}

function signature(
  secret: string,
  path: string,
  method: string,
  headers: IncomingMessage['headers'],
): string {
  const lines = Object.keys(headers)
    .filter((name) => name.startsWith('x-ots-') && name !== 'x-ots-signature')
    .sort()
    .map((name) => `${name}:${String(headers[name])}\n`)
    .join('');
  return createHmac('sha1', secret).update(`${path}\n${method}\n\n${lines}`).digest('base64');
}

function sameText(left: string, right: string): boolean {
  const a = Buffer.from(left);
  const b = Buffer.from(right);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startTablestoreDouble(options: TablestoreDoubleOptions): Promise<TablestoreDouble> {
  const tables = new Map<string, DoubleTable>();
  for (const [name, schema] of Object.entries(options.tables)) {
    // Like the service, auto-increment values are large and increasing (it uses a time base); never 0, 1, 2…
    tables.set(name, { schema, rows: new Map(), nextAutoIncrement: BigInt(Date.now()) * 1000n });
  }
  const requests: TablestoreDoubleRequest[] = [];
  const faults: TablestoreDoubleFault[] = [];
  let unavailable = false;

  function injectFault(operation: string, table: string): void {
    const index = faults.findIndex((fault) => fault.operation === operation && fault.table === table);
    if (index < 0) return;
    const [fault] = faults.splice(index, 1);
    throw new ServiceError(fault!.status, fault!.code, `injected ${fault!.code}`);
  }

  function tableOf(name: unknown): DoubleTable {
    const table = typeof name === 'string' ? tables.get(name) : undefined;
    if (!table)
      throw new ServiceError(404, 'OTSObjectNotExist', `Requested table ${String(name)} does not exist.`);
    return table;
  }

  /** Checks a primary key against the schema; `mode` says which placeholders may appear. */
  function checkKey(table: DoubleTable, cells: DecodedCell[], mode: 'put' | 'get' | 'range'): CellValue[] {
    if (cells.length !== table.schema.length) {
      throw invalid(`primary key has ${cells.length} columns, the table has ${table.schema.length}`);
    }
    return cells.map((cell, index) => {
      const column = table.schema[index]!;
      if (cell.name !== column.name) {
        throw invalid(`primary key column ${index + 1} is ${column.name}, not ${cell.name}`);
      }
      const type = cell.value.type;
      if (type === 'INF_MIN' || type === 'INF_MAX') {
        if (mode !== 'range') throw invalid(`${type} is only allowed in a range, column ${cell.name}`);
        return cell.value;
      }
      if (type === 'AUTO_INCREMENT') {
        if (mode !== 'put' || !column.autoIncrement) {
          throw invalid(`column ${cell.name} is not an auto-increment column`);
        }
        return cell.value;
      }
      if (mode === 'put' && column.autoIncrement) {
        throw invalid(`auto-increment column ${cell.name} must be written as the AUTO_INCREMENT placeholder`);
      }
      if (type !== column.type) throw invalid(`column ${cell.name} must be ${column.type}, not ${type}`);
      return cell.value;
    });
  }

  function encodeRows(
    rows: { key: CellValue[]; schema: TablestorePrimaryKeySchema; row?: StoredRow }[],
    columns: string[],
  ): Buffer {
    const parts = rows.map(({ key, schema, row }, index) => {
      const primaryKey: PrimaryKeyInput = key.map((value, column) => ({
        [schema[column]!.name]: sdkValue(value) as string,
      }));
      const attributes: AttributeInput = [];
      for (const [name, cell] of row?.attributes ?? []) {
        if (columns.length > 0 && !columns.includes(name)) continue;
        attributes.push({ [name]: sdkValue(cell.value), timestamp: Number(cell.timestamp) });
      }
      const bytes = TableStore.PlainBufferBuilder.serializeForPutRow(primaryKey, attributes);
      return index === 0 ? bytes : bytes.subarray(4); // one header for the whole list
    });
    return Buffer.concat(parts);
  }

  const consumed = (read: number, write: number) => ({ capacityUnit: { read, write } });

  const operations: Record<
    string,
    (body: Buffer, log: { table?: string; rowExistence?: string }) => Uint8Array
  > = {
    ListTable: () =>
      proto
        .ListTableResponse!.encode(proto.ListTableResponse!.create({ tableNames: [...tables.keys()] }))
        .finish(),

    PutRow: (body, log) => {
      const request = proto.PutRowRequest!.decode(body) as {
        tableName: string;
        row: Uint8Array;
        condition: { rowExistence: number; columnCondition?: Uint8Array };
        returnContent?: { returnType?: number };
        transactionId?: string;
      };
      log.table = request.tableName;
      injectFault('PutRow', request.tableName);
      const expectation = ['IGNORE', 'EXPECT_EXIST', 'EXPECT_NOT_EXIST'][request.condition.rowExistence];
      log.rowExistence = expectation;
      const table = tableOf(request.tableName);
      if (expectation === undefined) throw invalid('unknown row existence expectation');
      if (request.condition.columnCondition?.length)
        throw invalid('column conditions are not supported here');
      if (request.transactionId) throw invalid('transactions are not supported here');
      const row = decodePlainBufferRow(request.row);
      if (row.deleteMarker) throw invalid('PutRow with a delete marker');
      let key = checkKey(table, row.primaryKey, 'put');
      const autoIncrement = key.some((value) => value.type === 'AUTO_INCREMENT');
      if (autoIncrement && expectation !== 'IGNORE') {
        throw invalid(
          'a row with an auto-increment primary key column must be written with condition IGNORE',
        );
      }
      if (autoIncrement) {
        const value = table.nextAutoIncrement;
        table.nextAutoIncrement += 1n;
        key = key.map((cell) => (cell.type === 'AUTO_INCREMENT' ? { type: 'INTEGER', value } : cell));
      }
      const id = keyString(key);
      const exists = table.rows.has(id);
      if ((expectation === 'EXPECT_NOT_EXIST' && exists) || (expectation === 'EXPECT_EXIST' && !exists)) {
        throw new ServiceError(403, 'OTSConditionCheckFail', 'Condition check failed.');
      }
      const now = BigInt(Date.now());
      const attributes = new Map<string, { value: CellValue; timestamp: bigint }>();
      for (const cell of row.attributes) {
        attributes.set(cell.name, { value: cell.value, timestamp: cell.timestamp ?? now });
      }
      table.rows.set(id, { key, attributes }); // PutRow replaces the whole row
      const returnRow =
        request.returnContent?.returnType === 1
          ? TableStore.PlainBufferBuilder.serializePrimaryKey(
              key.map((value, column) => ({ [table.schema[column]!.name]: sdkValue(value) as string })),
            )
          : Buffer.alloc(0);
      return proto
        .PutRowResponse!.encode(proto.PutRowResponse!.create({ consumed: consumed(0, 1), row: returnRow }))
        .finish();
    },

    GetRange: (body, log) => {
      const request = proto.GetRangeRequest!.decode(body) as {
        tableName: string;
        direction: number;
        columnsToGet: string[];
        maxVersions?: number;
        limit?: number;
        inclusiveStartPrimaryKey: Uint8Array;
        exclusiveEndPrimaryKey: Uint8Array;
        filter?: Uint8Array;
        timeRange?: unknown;
      };
      log.table = request.tableName;
      const table = tableOf(request.tableName);
      if (request.filter?.length) throw invalid('filters are not supported here');
      if (request.timeRange) throw invalid('time ranges are not supported here');
      if (request.maxVersions !== 1) throw invalid('GetRange needs max_versions = 1 here');
      const limit = request.limit ?? 5000;
      if (limit <= 0 || limit > 5000) throw invalid('limit must be 1..5000');
      const start = checkKey(
        table,
        decodePlainBufferRow(request.inclusiveStartPrimaryKey).primaryKey,
        'range',
      );
      const end = checkKey(table, decodePlainBufferRow(request.exclusiveEndPrimaryKey).primaryKey, 'range');
      const forward = request.direction === 0;
      if (forward ? compareKeys(start, end) > 0 : compareKeys(start, end) < 0) {
        throw invalid('the start primary key is past the end primary key for this direction');
      }
      const matching = [...table.rows.values()]
        .filter((row) =>
          forward
            ? compareKeys(row.key, start) >= 0 && compareKeys(row.key, end) < 0
            : compareKeys(row.key, start) <= 0 && compareKeys(row.key, end) > 0,
        )
        .sort((left, right) => (forward ? 1 : -1) * compareKeys(left.key, right.key));
      const page = matching.slice(0, limit);
      const next = matching[limit];
      return proto
        .GetRangeResponse!.encode(
          proto.GetRangeResponse!.create({
            consumed: consumed(page.length, 0),
            rows:
              page.length === 0
                ? Buffer.alloc(0)
                : encodeRows(
                    page.map((row) => ({ key: row.key, schema: table.schema, row })),
                    request.columnsToGet,
                  ),
            ...(next
              ? { nextStartPrimaryKey: encodeRows([{ key: next.key, schema: table.schema }], []) }
              : {}),
          }),
        )
        .finish();
    },

    BatchGetRow: (body, log) => {
      const request = proto.BatchGetRowRequest!.decode(body) as {
        tables: {
          tableName: string;
          primaryKey: Uint8Array[];
          columnsToGet: string[];
          maxVersions?: number;
          filter?: Uint8Array;
        }[];
      };
      log.table = request.tables.map((entry) => entry.tableName).join(',');
      const total = request.tables.reduce((sum, entry) => sum + entry.primaryKey.length, 0);
      if (total > 100) throw invalid('BatchGetRow takes at most 100 rows');
      const answer = request.tables.map((entry) => {
        const table = tableOf(entry.tableName);
        if (entry.filter?.length) throw invalid('filters are not supported here');
        if (entry.maxVersions !== 1) throw invalid('BatchGetRow needs max_versions = 1 here');
        return {
          tableName: entry.tableName,
          rows: entry.primaryKey.map((bytes) => {
            const key = checkKey(table, decodePlainBufferRow(bytes).primaryKey, 'get');
            const row = table.rows.get(keyString(key));
            return {
              isOk: true,
              consumed: consumed(1, 0),
              row: row
                ? encodeRows([{ key, schema: table.schema, row }], entry.columnsToGet)
                : Buffer.alloc(0),
            };
          }),
        };
      });
      return proto
        .BatchGetRowResponse!.encode(proto.BatchGetRowResponse!.create({ tables: answer }))
        .finish();
    },
  };

  function authenticate(request: IncomingMessage, path: string, body: Buffer): void {
    const headers = request.headers;
    if (headers['x-ots-apiversion'] !== '2015-12-31') {
      throw invalid(`x-ots-apiversion must be 2015-12-31, not ${String(headers['x-ots-apiversion'])}`);
    }
    const date = Date.parse(String(headers['x-ots-date'] ?? ''));
    if (Number.isNaN(date) || Math.abs(Date.now() - date) > 15 * 60_000) {
      throw new ServiceError(403, 'OTSAuthFailed', 'x-ots-date is missing or more than 15 minutes off.');
    }
    const md5 = createHash('md5').update(body).digest('base64');
    if (headers['x-ots-contentmd5'] !== md5) throw invalid('x-ots-contentmd5 does not match the body.');
    const given = String(headers['x-ots-signature'] ?? '');
    const keyId = String(headers['x-ots-accesskeyid'] ?? '');
    if (keyId !== options.accessKeyId) {
      throw new ServiceError(403, 'OTSAuthFailed', 'The AccessKeyID does not exist or is disabled.');
    }
    const expected = signature(options.accessKeySecret, path, request.method ?? '', headers);
    if (!sameText(given, expected)) {
      throw new ServiceError(403, 'OTSAuthFailed', 'Signature mismatch: check the AccessKeySecret.');
    }
    if (headers['x-ots-instancename'] !== options.instanceName) {
      throw new ServiceError(
        403,
        'OTSAuthFailed',
        `Instance ${String(headers['x-ots-instancename'])} is not this endpoint's instance.`,
      );
    }
  }

  function answer(response: ServerResponse, status: number, body: Uint8Array): void {
    response.writeHead(status, {
      'x-ots-requestid': randomUUID(),
      'x-ots-date': new Date().toISOString(),
      'x-ots-contenttype': 'protocol buffer',
      'content-length': body.length,
    });
    response.end(body);
  }

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= 8 * 1024 * 1024) chunks.push(chunk);
    });
    request.on('end', () => {
      const path = (request.url ?? '/').split('?')[0] ?? '/';
      const operation = path.slice(1);
      const log: { table?: string; rowExistence?: string } = {};
      try {
        if (size > 8 * 1024 * 1024) throw invalid('request body too large');
        const body = Buffer.concat(chunks);
        if (unavailable) throw new ServiceError(503, 'OTSServerUnavailable', 'Server is not available.');
        if (request.method !== 'POST') throw new ServiceError(405, 'OTSMethodNotAllowed', 'Use POST.');
        authenticate(request, path, body);
        const handler = Object.hasOwn(operations, operation) ? operations[operation] : undefined;
        if (!handler) {
          throw new ServiceError(400, 'OTSUnsupportOperation', `Unsupported operation: '${operation}'.`);
        }
        const result = handler(body, log);
        requests.push({ operation, ...log, status: 200 });
        answer(response, 200, result);
      } catch (error) {
        const failure =
          error instanceof ServiceError
            ? error
            : new ServiceError(
                400,
                'OTSParameterInvalid',
                `cannot decode request: ${(error as Error).message}`,
              );
        requests.push({ operation, ...log, status: failure.status, code: failure.code });
        answer(
          response,
          failure.status,
          proto.Error!.encode(proto.Error!.create({ code: failure.code, message: failure.message })).finish(),
        );
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${options.host ?? '127.0.0.1'}:${port}`,
    requests,
    rowCount: (table) => tableOf(table).rows.size,
    failNext: (fault) => faults.push(fault),
    setUnavailable: (on) => {
      unavailable = on;
    },
    rowKeys: (table) => [...tableOf(table).rows.keys()].map((key) => JSON.parse(key) as string[]),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
