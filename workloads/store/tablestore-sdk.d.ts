// The `tablestore` SDK (5.x) publishes no types. This declares only what the Tablestore result store and its
// contract double use; row values stay loosely typed (`unknown`) and are checked where they are read.
declare module 'tablestore' {
  /** 64-bit integer as the SDK passes it (int64-buffer's Int64LE). */
  interface Int64 {
    toString(radix?: number): string;
    toNumber(): number;
    toBuffer(): Buffer;
  }
  type Sentinel = Record<string, never>;
  type PrimaryKeyInput = Record<string, string | Int64 | Sentinel>[];
  type AttributeInput = Record<string, unknown>[];
  interface DecodedRow {
    primaryKey: { name: string; value: unknown }[];
    attributes: { columnName: string; columnValue: unknown; timestamp: unknown }[];
  }
  interface ClientConfig {
    accessKeyId: string;
    secretAccessKey: string;
    endpoint: string;
    instancename: string;
    maxRetries?: number;
    httpOptions?: { timeout?: number; maxSockets?: number };
  }
  class Client {
    constructor(config: ClientConfig);
    putRow(params: {
      tableName: string;
      condition: Condition;
      primaryKey: PrimaryKeyInput;
      attributeColumns: AttributeInput;
      returnContent?: { returnType: number };
    }): Promise<{ row: Partial<DecodedRow> }>;
    getRange(params: {
      tableName: string;
      direction: string;
      inclusiveStartPrimaryKey: PrimaryKeyInput;
      exclusiveEndPrimaryKey: PrimaryKeyInput;
      limit?: number;
      maxVersions?: number;
      columnsToGet?: string[];
    }): Promise<{ rows: DecodedRow[]; nextStartPrimaryKey: { name: string; value: unknown }[] | null }>;
    batchGetRow(params: {
      tables: {
        tableName: string;
        primaryKey: PrimaryKeyInput[];
        maxVersions?: number;
        columnsToGet?: string[];
      }[];
    }): Promise<{
      tables: {
        isOk: boolean;
        errorCode: string | null;
        errorMessage: string | null;
        primaryKey: DecodedRow['primaryKey'] | null;
        attributes: DecodedRow['attributes'] | null;
      }[][];
    }>;
    listTable(params: Record<string, never>): Promise<{ tableNames: string[] }>;
  }
  class Condition {
    constructor(rowExistenceExpectation: string, columnCondition: unknown);
  }
  const TableStore: {
    Client: typeof Client;
    Condition: typeof Condition;
    RowExistenceExpectation: Record<'IGNORE' | 'EXPECT_EXIST' | 'EXPECT_NOT_EXIST', string>;
    Direction: Record<'FORWARD' | 'BACKWARD', string>;
    ReturnType: { NONE: number; Primarykey: number; AfterModify: number };
    Long: { fromNumber(value: number): Int64; fromString(value: string): Int64 };
    INF_MIN: Sentinel;
    INF_MAX: Sentinel;
    PK_AUTO_INCR: Sentinel;
    // Internals the contract double reuses to encode responses and check checksums.
    PlainBufferBuilder: {
      serializePrimaryKey(primaryKey: PrimaryKeyInput): Buffer;
      serializeForPutRow(primaryKey: PrimaryKeyInput, attributeColumns: AttributeInput): Buffer;
    };
    plainBufferCrc8: {
      crcString(crc: number, bytes: string | Buffer): number;
      crcInt8(crc: number, byte: number): number;
      crcInt32(crc: number, value: number): number;
      crcInt64Buf(crc: number, bytes: Buffer): number;
    };
  };
  export default TableStore;
  export type { Int64, PrimaryKeyInput, AttributeInput, DecodedRow, Client, Condition };
}

declare module 'tablestore/lib/protocol/tablestore_compiled_proto.js' {
  /** protobufjs static message class, as generated into the SDK. */
  interface MessageClass {
    decode(bytes: Uint8Array): Record<string, unknown>;
    encode(message: unknown): { finish(): Uint8Array };
    create(properties: Record<string, unknown>): unknown;
    verify(message: Record<string, unknown>): string | null;
  }
  const compiled: { main: { proto: Record<string, MessageClass> } };
  export default compiled;
}
