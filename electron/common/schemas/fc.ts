// Function Compute: profiles (account, region, endpoint, keys — the secret never comes back) and listings.
import { z } from 'zod';
import { contextName, id, k8sName } from './primitives';
import { profileIdentity, profileSaveIdentity } from './profile';

export const fcProfile = z.object({
  ...profileIdentity,
  accountId: z.string(),
  region: z.string(),
  endpoint: z.string().nullable(),
  accessKeyId: z.string(),
  /** True when a secret is stored; the secret itself never leaves the engine. */
  hasSecret: z.boolean(),
});
export type FcProfile = z.infer<typeof fcProfile>;

export const fcProfilesResponse = z.object({ profiles: z.array(fcProfile) });

export const fcSaveProfileRequest = z.strictObject({
  ...profileSaveIdentity,
  accountId: z.string().regex(/^[0-9A-Za-z-]{1,64}$/, 'must be an Alibaba Cloud account id'),
  region: z.string().regex(/^[a-z]{2}-[a-z0-9-]{1,40}$/, 'must be a region id such as cn-shanghai'),
  endpoint: z
    .string()
    .regex(/^https?:\/\/[^\s]+$/, 'must be an http(s) URL')
    .max(2048)
    .optional(),
  accessKeyId: z.string().min(1).max(128),
  /** Absent on update keeps the stored secret. */
  accessKeySecret: z.string().min(1).max(256).optional(),
});
export const fcSaveProfileResponse = z.object({ profile: fcProfile });

export const profileIdRequest = z.strictObject({ id: id });

export const fcListRequest = z.strictObject({
  profileId: id,
  /** When given, functions named `kn_<ns>_<name>` are linked to the Knative Services found in this context. */
  context: contextName.optional(),
  namespace: k8sName.optional(),
});

export const fcFunction = z.object({
  name: z.string(),
  runtime: z.string().nullable(),
  handler: z.string().nullable(),
  memorySize: z.number().nullable(),
  timeout: z.number().nullable(),
  image: z.string().nullable(),
  lastModifiedTime: z.string().nullable(),
  /** The Knative Service this function was made from (by the `kn_<namespace>_<name>` naming), if any. */
  knative: z.object({ namespace: z.string(), name: z.string(), exists: z.boolean().nullable() }).nullable(),
});

export const fcService = z.object({
  name: z.string(),
  description: z.string().nullable(),
  lastModifiedTime: z.string().nullable(),
  functions: z.array(fcFunction),
});

export const fcCustomDomain = z.object({
  domainName: z.string(),
  protocol: z.string().nullable(),
  routes: z.array(z.object({ path: z.string(), serviceName: z.string(), functionName: z.string() })),
});

export const fcListResponse = z.object({
  services: z.array(fcService),
  customDomains: z.array(fcCustomDomain),
});
