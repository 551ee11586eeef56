// The few web-standard globals that exist in every runtime the portable layers (electron/common, knative/) run in —
// Node, the renderer, the preload — declared for their own type-checks, which have neither Node's nor the DOM's
// types (electron/common/tsconfig.json, knative/tsconfig.json). Declared only as narrowly as those layers use them,
// so reaching for anything more is a compile error there on purpose.
declare class URL {
  constructor(url: string, base?: string);
  readonly protocol: string;
  readonly username: string;
  readonly password: string;
  readonly hostname: string;
}

declare class TextEncoder {
  encode(input?: string): Uint8Array;
}

declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string;
}
