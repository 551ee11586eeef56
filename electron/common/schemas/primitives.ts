// Small shared schemas: Kubernetes names, identifiers, time stamps, and decimal strings for 64-bit numbers.
import { z } from 'zod';

/** RFC 1123 label, as Kubernetes requires for namespaces and most object names. */
export const k8sName = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a lowercase RFC 1123 label (a-z, 0-9, "-")');

/** A kubeconfig context name: free text in kubeconfig, but never empty and never huge. */
export const contextName = z.string().min(1).max(253);

/** Engine-chosen opaque ids (profiles, runs). */
export const id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:-]+$/, 'must be an id made of letters, digits, ".", "_", ":" or "-"');

/** ISO-8601 time stamp as Kubernetes writes it. */
export const isoTime = z.string().min(1).max(64);

/** Milliseconds since the epoch. */
export const epochMs = z.number().int().nonnegative();

/**
 * A non-negative 64-bit integer as a decimal string. Kafka offsets do not fit in a JS number, so they travel as
 * strings and the engine does the arithmetic in BigInt.
 */
export const int64String = z.string().regex(/^-?\d{1,20}$/, 'must be a decimal integer');

/** http(s) URL only: the sender and the viewer must never be pointed at file:, data: or other schemes. */
export const httpUrl = z
  .string()
  .max(2048)
  .url()
  .refine((value) => /^https?:\/\//i.test(value), 'must be an http:// or https:// URL');

export const workloadKind = z.enum(['ECI', 'FC']);
export type WorkloadKind = z.infer<typeof workloadKind>;

/** Kubernetes condition status. */
export const conditionStatus = z.enum(['True', 'False', 'Unknown']);

export const objectRef = z.object({
  apiVersion: z.string(),
  kind: z.string(),
  namespace: z.string().optional(),
  name: z.string(),
});
export type ObjectRef = z.infer<typeof objectRef>;

/** Empty request for operations that take nothing: strict, so stray fields are reported rather than ignored. */
export const empty = z.strictObject({});
