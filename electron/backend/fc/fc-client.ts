// Typed wrapper over @alicloud/fc2 (FC 2.0 API): paging for services, functions and custom domains, answers
// parsed with zod, and FC errors ({ErrorCode, ErrorMessage}, status in the SDK's message) mapped to engine errors.
import FC from '@alicloud/fc2';
import { z } from 'zod';
import type { FcConnection } from '../config/profile-store';
import { EngineError } from '../errors';
import type { ErrorCode } from '../../common/errors';

const service = z.looseObject({
  serviceName: z.string(),
  description: z.string().nullish(),
  lastModifiedTime: z.string().nullish(),
});
const fn = z.looseObject({
  functionName: z.string(),
  runtime: z.string().nullish(),
  handler: z.string().nullish(),
  memorySize: z.number().nullish(),
  timeout: z.number().nullish(),
  lastModifiedTime: z.string().nullish(),
  customContainerConfig: z.looseObject({ image: z.string().nullish() }).nullish(),
});
const domain = z.looseObject({
  domainName: z.string(),
  protocol: z.string().nullish(),
  routeConfig: z
    .looseObject({
      routes: z
        .array(z.looseObject({ path: z.string(), serviceName: z.string(), functionName: z.string() }))
        .nullish(),
    })
    .nullish(),
});

const instance = z.looseObject({ instanceId: z.string(), versionId: z.string().nullish() });
export type FcInstanceRecord = z.infer<typeof instance>;

export type FcServiceRecord = z.infer<typeof service>;
export type FcFunctionRecord = z.infer<typeof fn>;
export type FcDomainRecord = z.infer<typeof domain>;

const PAGE = 100;
/** Bound on pages followed, so a server that always returns a nextToken cannot loop us forever. */
const MAX_PAGES = 200;

const codeByStatus: Record<number, ErrorCode> = {
  400: 'invalid-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
};

function mapError(error: unknown): never {
  if (error instanceof EngineError) throw error;
  const record = error as { code?: unknown; message?: string; name?: string };
  const message = record?.message ?? String(error);
  const status = Number(/failed with (\d{3})/.exec(message)?.[1] ?? 0);
  const requestId = /requestid: ([\w-]+)/.exec(message)?.[1];
  if (status) {
    const reason = typeof record.code === 'string' ? record.code : undefined;
    const clean = /message: (.*)\.$/.exec(message)?.[1] ?? message;
    throw new EngineError(codeByStatus[status] ?? 'remote', `Function Compute: ${clean}`, {
      httpStatus: status,
      reason,
      ...(requestId ? { requestId } : {}),
    });
  }
  throw error; // network errors: toEnvelope classifies them (unreachable, timeout)
}

export class FcClient {
  private readonly client: FC;

  constructor(connection: FcConnection) {
    this.client = new FC(connection.accountId, {
      accessKeyID: connection.accessKeyId,
      accessKeySecret: connection.accessKeySecret,
      region: connection.region,
      ...(connection.endpoint ? { endpoint: connection.endpoint } : { secure: true }),
      timeout: 15_000,
    });
  }

  /** Follows `nextToken` until the listing ends. */
  private async paged<T>(
    fetchPage: (options: { limit: number; nextToken?: string }) => Promise<{ data: unknown }>,
    key: string,
    schema: z.ZodType<T>,
  ): Promise<T[]> {
    const items: T[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      let response: { data: unknown };
      try {
        response = await fetchPage({ limit: PAGE, ...(nextToken ? { nextToken } : {}) });
      } catch (error) {
        mapError(error);
      }
      const parsed = z
        .looseObject({ [key]: z.array(schema).nullish(), nextToken: z.string().nullish() })
        .safeParse(response.data);
      if (!parsed.success) {
        throw new EngineError(
          'remote',
          `Function Compute answered an unexpected ${key} listing: ${parsed.error.issues[0]?.message}`,
        );
      }
      items.push(...((parsed.data[key] as T[] | null | undefined) ?? []));
      nextToken = (parsed.data.nextToken as string | null | undefined) ?? undefined;
      if (!nextToken) return items;
    }
    throw new EngineError(
      'remote',
      `Function Compute kept paging ${key} past ${MAX_PAGES * PAGE} entries; stopped.`,
    );
  }

  listServices(): Promise<FcServiceRecord[]> {
    return this.paged((options) => this.client.listServices(options), 'services', service);
  }

  listFunctions(serviceName: string): Promise<FcFunctionRecord[]> {
    return this.paged((options) => this.client.listFunctions(serviceName, options), 'functions', fn);
  }

  /** The function's running instances (FC's `ListInstances`): on FC these are what pods are on ECI. */
  async listInstances(serviceName: string, functionName: string): Promise<FcInstanceRecord[]> {
    let response: { data: unknown };
    try {
      response = await this.client.listInstances(serviceName, functionName);
    } catch (error) {
      mapError(error);
    }
    const parsed = z.looseObject({ instances: z.array(instance).nullish() }).safeParse(response.data);
    if (!parsed.success) {
      throw new EngineError(
        'remote',
        `Function Compute answered an unexpected instances listing: ${parsed.error.issues[0]?.message}`,
      );
    }
    return parsed.data.instances ?? [];
  }

  listCustomDomains(): Promise<FcDomainRecord[]> {
    return this.paged((options) => this.client.listCustomDomains(options), 'customDomains', domain);
  }
}
