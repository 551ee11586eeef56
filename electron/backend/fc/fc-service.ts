// FC listings per profile, with each function linked to the Knative Service it was made from
// (`kn_<namespace>_<name>`), and the reverse link used by workload details.
import type { z } from 'zod';
import type { fcListResponse } from '../../common/schemas/fc';
import type { fcLink } from '../../common/schemas/workloads';
import type { ProfileStore } from '../config/profile-store';
import { EngineError, toEnvelope } from '../errors';
import { fcNameFor, knativeNameFromFc } from '../../../knative/ask';
import { FcClient } from './fc-client';

type ListResponse = z.infer<typeof fcListResponse>;

export class FcService {
  constructor(private readonly profiles: ProfileStore) {}

  private async client(profileId: string): Promise<FcClient> {
    return new FcClient(await this.profiles.fcConnection(profileId));
  }

  /**
   * Services, functions and custom domains. `knativeServices` (namespace/name keys) marks whether the linked
   * Knative Service exists in the context the UI is looking at; null when no context was given.
   */
  async list(profileId: string, knativeServices: Set<string> | null): Promise<ListResponse> {
    const client = await this.client(profileId);
    const [services, domains] = await Promise.all([client.listServices(), client.listCustomDomains()]);
    const withFunctions = await Promise.all(
      services.map(async (service) => {
        const functions = await client.listFunctions(service.serviceName);
        return {
          name: service.serviceName,
          description: service.description ?? null,
          lastModifiedTime: service.lastModifiedTime ?? null,
          functions: functions.map((fn) => {
            const knative = knativeNameFromFc(fn.functionName) ?? knativeNameFromFc(service.serviceName);
            return {
              name: fn.functionName,
              runtime: fn.runtime ?? null,
              handler: fn.handler ?? null,
              memorySize: fn.memorySize ?? null,
              timeout: fn.timeout ?? null,
              image: fn.customContainerConfig?.image ?? null,
              lastModifiedTime: fn.lastModifiedTime ?? null,
              knative: knative
                ? {
                    ...knative,
                    exists: knativeServices
                      ? knativeServices.has(`${knative.namespace}/${knative.name}`)
                      : null,
                  }
                : null,
            };
          }),
        };
      }),
    );
    return {
      services: withFunctions,
      customDomains: domains.map((d) => ({
        domainName: d.domainName,
        protocol: d.protocol ?? null,
        routes: (d.routeConfig?.routes ?? []).map((r) => ({
          path: r.path,
          serviceName: r.serviceName,
          functionName: r.functionName,
        })),
      })),
    };
  }

  /** The FC side of one FC-class Knative Service, through the first FC profile (the playground's when it runs). */
  async link(namespace: string, name: string): Promise<z.infer<typeof fcLink>> {
    const fcName = fcNameFor(namespace, name);
    const base = {
      serviceName: fcName,
      functionName: fcName,
      customDomains: [] as string[],
      instances: null as number | null,
    };
    const profileId = await this.profiles.defaultFcProfileId();
    if (!profileId) return { ...base, profileId: null, found: null, error: null };
    try {
      const client = await this.client(profileId);
      const [functions, domains] = await Promise.all([
        client.listFunctions(fcName).catch((error: unknown) => {
          // No FC service yet (the controller has not created it): the function is simply not there.
          if (error instanceof EngineError && error.code === 'not-found') return [];
          throw error;
        }),
        client.listCustomDomains(),
      ]);
      const found = functions.some((fn) => fn.functionName === fcName);
      const instances = found
        ? await client.listInstances(fcName, fcName).then(
            (list) => list.length,
            () => null,
          )
        : null;
      return {
        ...base,
        profileId,
        instances,
        found,
        customDomains: domains
          .filter((d) => (d.routeConfig?.routes ?? []).some((r) => r.serviceName === fcName))
          .map((d) => d.domainName),
        error: null,
      };
    } catch (error) {
      return { ...base, profileId, found: null, error: toEnvelope(error, 'fc:link') };
    }
  }

  /**
   * How many instances FC runs for an FC-class Knative Service (through the first FC profile, the playground's when
   * it runs); null when no profile is set up or FC does not know the function yet.
   */
  async instanceCount(namespace: string, name: string): Promise<number | null> {
    const profileId = await this.profiles.defaultFcProfileId();
    if (!profileId) return null;
    const fcName = fcNameFor(namespace, name);
    try {
      return (await (await this.client(profileId)).listInstances(fcName, fcName)).length;
    } catch (error) {
      if (error instanceof EngineError && error.code === 'not-found') return null;
      throw error;
    }
  }
}
