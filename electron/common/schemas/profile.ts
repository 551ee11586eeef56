// What every saved connection profile (FC, Kafka) has in common, as read back and as saved: an engine-chosen id, a
// name the user gives, and where it came from. Each kind adds its own endpoint and credential fields to these.
import { z } from 'zod';
import { id } from './primitives';

/** A profile as the engine lists it (secrets never included). */
export const profileIdentity = {
  id: z.string(),
  name: z.string(),
  /** `playground` profiles come from the running playground and cannot be edited. */
  origin: z.enum(['user', 'playground']),
};

/** A profile as the UI saves it. */
export const profileSaveIdentity = {
  /** Absent to create a new profile. */
  id: id.optional(),
  name: z.string().min(1).max(100),
};
