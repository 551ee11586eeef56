// Function Compute 2.0 request signing, as @alicloud/fc2 2.6.x computes it (lib/helper.js composeStringToSign and
// lib/client.js signString). The FC double recomputes this from what arrives on the wire and compares, so a client
// with a wrong secret, a tampered header or body, or a different path fails exactly as against real FC.

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type HeaderBag = Record<string, string | string[] | number | undefined>;

function headerValue(headers: HeaderBag, name: string): string {
  const value = headers[name];
  if (value === undefined) return '';
  return Array.isArray(value) ? value.join(',') : String(value);
}

/**
 * The string FC signs: `METHOD\n<content-md5>\n<content-type>\n<date>\n` + sorted lowercase `x-fc-*` headers as
 * `k:v\n` + the path (with the API version prefix), then, only for `/proxy/` paths, the sorted `k=v` query lines.
 */
export function composeStringToSign(
  method: string,
  path: string,
  headers: HeaderBag,
  queries?: Record<string, string | string[]>,
): string {
  const lowered: HeaderBag = {};
  for (const [key, value] of Object.entries(headers)) lowered[key.toLowerCase().trim()] = value;
  const fcHeaders = Object.keys(lowered)
    .filter((key) => key.startsWith('x-fc-'))
    .sort()
    .map((key) => `${key}:${headerValue(lowered, key)}\n`)
    .join('');
  let text =
    `${method}\n${headerValue(lowered, 'content-md5')}\n${headerValue(lowered, 'content-type')}\n` +
    `${headerValue(lowered, 'date')}\n${fcHeaders}${path}`;
  if (queries) {
    const lines: string[] = [];
    for (const [key, values] of Object.entries(queries)) {
      for (const value of Array.isArray(values) ? values : [values]) lines.push(`${key}=${value}`);
    }
    lines.sort();
    text += `\n${lines.join('\n')}`;
  }
  return text;
}

export function signStringToSign(stringToSign: string, accessKeySecret: string): string {
  return createHmac('sha256', accessKeySecret).update(stringToSign, 'utf8').digest('base64');
}

/** `FC <accessKeyID>:<signature>` → its parts, or undefined when the header is not of that form. */
export function parseAuthorization(
  header: string | undefined,
): { accessKeyId: string; signature: string } | undefined {
  const match = /^FC ([^:\s]+):(\S+)$/.exec(header?.trim() ?? '');
  if (!match?.[1] || !match[2]) return undefined;
  return { accessKeyId: match[1], signature: match[2] };
}

export function signaturesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The SDK's content-md5: base64 of the hex MD5 string (not of the raw digest). */
export function contentMd5(body: Buffer): string {
  return Buffer.from(createHash('md5').update(body).digest('hex'), 'utf8').toString('base64');
}
