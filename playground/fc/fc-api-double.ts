// CONTRACT DOUBLE of Alibaba Cloud Function Compute 2.0's management API (no real FC can exist on this machine).
// It checks what real FC checks for the calls the console makes through @alicloud/fc2 2.6.x:
// - the request signature (`authorization: FC <id>:<HMAC-SHA256>`), recomputed from the request as received:
//   unknown key → 403 InvalidAccessKeyID, wrong secret or tampered request → 403 SignatureNotMatch;
// - `date` present and within 15 minutes (RequestTimeTooSkewed), `x-fc-account-id` equal to the account
//   (InvalidAccountID), and `content-md5` matching a request body (InvalidArgument);
// - FC-shaped answers: JSON bodies, `x-fc-request-id`, errors as `{ErrorCode, ErrorMessage}`, 404 ServiceNotFound /
//   FunctionNotFound / DomainNameNotFound, paging with `limit`, `prefix`, `startKey` and `nextToken`.
// What it serves comes from the playground's FC controller (fc-controller.ts), which publishes every Knative Service
// of class "fc" as service and function `kn_<namespace>_<name>` (plus its custom domain), the way Alibaba's Knative
// on ASK does. Instances (ListInstances) are the function's running instances (fc-instances.ts): the count the
// console shows for FC workloads. HTTP invocations under `/2016-08-15/proxy/<service>/<function>/…` go to an
// instance, like an anonymous HTTP trigger.

import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fcNameFor } from '../../knative/ask';
import {
  composeStringToSign,
  contentMd5,
  parseAuthorization,
  signStringToSign,
  signaturesEqual,
  type HeaderBag,
} from './fc-signature';

export const FC_API_VERSION = '2016-08-15';
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
const DEFAULT_PAGE = 20;
const MAX_PAGE = 100;

export interface FcCredentials {
  readonly accountId: string;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly region: string;
}

export interface FcPublication {
  readonly namespace: string;
  readonly name: string;
  readonly image: string;
  readonly environmentVariables: Record<string, string>;
  readonly instanceConcurrency: number;
  readonly caPort: number;
  readonly roleArn?: string;
  readonly codeSpace?: string;
  readonly customDomain?: { readonly domain: string; readonly path: string };
  readonly description?: string;
}

export interface FcInstance {
  readonly instanceId: string;
  readonly versionId: string;
}

export interface FcApiDoubleOptions {
  readonly credentials: FcCredentials;
  /** Running instances of a published service (its function's instances). */
  readonly instancesOf: (namespace: string, name: string) => FcInstance[];
  /**
   * Where HTTP invocations of a published function go (an instance the caller starts on demand); `release` is called once the invocation's answer is over.
   */
  readonly invocationTarget?: (
    namespace: string,
    name: string,
  ) => InvocationTarget | Promise<InvocationTarget>;
}

export interface InvocationTarget {
  readonly host: string;
  readonly port: number;
  readonly pathPrefix: string;
  readonly release?: () => void;
}

interface StoredService {
  readonly publication: FcPublication;
  readonly serviceName: string;
  readonly serviceId: string;
  readonly functionId: string;
  readonly createdTime: string;
  lastModifiedTime: string;
}

/** The FC service and function name Knative on ASK gives a Service (the vocabulary's `kn_<ns>_<name>`). */
export const fcResourceName = fcNameFor;

class FcError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

/** Pages a sorted list the way FC does: `startKey`/`nextToken` name the first item of the page. */
function page<T>(
  items: T[],
  keyOf: (item: T) => string,
  query: URLSearchParams,
): { items: T[]; nextToken?: string } {
  const prefix = query.get('prefix') ?? '';
  const startKey = query.get('nextToken') || query.get('startKey') || '';
  const rawLimit = query.get('limit');
  const limit = rawLimit === null ? DEFAULT_PAGE : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw new FcError(
      400,
      'InvalidArgument',
      `limit must be an integer between 1 and ${MAX_PAGE}, got "${rawLimit}"`,
    );
  }
  const sorted = items
    .filter((item) => keyOf(item).startsWith(prefix) && keyOf(item) >= startKey)
    .sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
  const next = sorted[limit];
  return next ? { items: sorted.slice(0, limit), nextToken: keyOf(next) } : { items: sorted };
}

export class FcApiDouble {
  private readonly services = new Map<string, StoredService>();
  private readonly server: http.Server;

  constructor(private readonly options: FcApiDoubleOptions) {
    this.server = http.createServer((request, response) => void this.handle(request, response));
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    return `http://${host}:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  publish(publication: FcPublication): void {
    const serviceName = fcResourceName(publication.namespace, publication.name);
    const now = new Date().toISOString();
    const existing = this.services.get(serviceName);
    if (existing) {
      this.services.set(serviceName, { ...existing, publication, lastModifiedTime: now });
      return;
    }
    this.services.set(serviceName, {
      publication,
      serviceName,
      serviceId: randomUUID(),
      functionId: randomUUID(),
      createdTime: now,
      lastModifiedTime: now,
    });
  }

  unpublish(namespace: string, name: string): void {
    this.services.delete(fcResourceName(namespace, name));
  }

  published(): string[] {
    return [...this.services.keys()];
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const requestId = randomUUID();
    try {
      const body = await readBody(request);
      const url = new URL(request.url ?? '/', 'http://fc.invalid');
      const prefix = `/${FC_API_VERSION}`;
      if (!url.pathname.startsWith(`${prefix}/`)) {
        throw new FcError(404, 'PathNotSupported', `path ${url.pathname} is not under ${prefix}/`);
      }
      const path = decodeURIComponent(url.pathname.slice(prefix.length));
      if (path.startsWith('/proxy/')) {
        const proxied = this.proxied(path);
        return await this.invoke(proxied.service, request, response, proxied.path, url.search, body);
      }
      this.authenticate(request, `${prefix}${path}`, body);
      if (request.method !== 'GET') {
        throw new FcError(
          405,
          'MethodNotAllowed',
          `the playground's FC is read-only: services are published by Knative`,
        );
      }
      send(response, 200, requestId, this.route(path, url.searchParams));
    } catch (error) {
      if (error instanceof FcError) {
        send(response, error.status, requestId, { ErrorCode: error.errorCode, ErrorMessage: error.message });
      } else {
        send(response, 500, requestId, {
          ErrorCode: 'InternalServerError',
          ErrorMessage: (error as Error).message,
        });
      }
    }
  }

  private authenticate(request: http.IncomingMessage, signedPath: string, body: Buffer): void {
    const { credentials } = this.options;
    const headers = request.headers as HeaderBag;
    const authorization = parseAuthorization(request.headers.authorization);
    if (!authorization) {
      throw new FcError(
        403,
        'InvalidArgument',
        'the "authorization" header is missing or not "FC <accessKeyID>:<signature>"',
      );
    }
    if (authorization.accessKeyId !== credentials.accessKeyId) {
      throw new FcError(
        403,
        'InvalidAccessKeyID',
        `the AccessKeyID "${authorization.accessKeyId}" does not exist`,
      );
    }
    const date = request.headers.date;
    const sent = date ? Date.parse(date) : NaN;
    if (Number.isNaN(sent))
      throw new FcError(400, 'MissingRequiredHeader', 'the "date" header is missing or invalid');
    if (Math.abs(Date.now() - sent) > MAX_CLOCK_SKEW_MS) {
      throw new FcError(
        403,
        'RequestTimeTooSkewed',
        `the request date "${date}" is more than 15 minutes from now`,
      );
    }
    if (body.length > 0 && request.headers['content-md5'] !== contentMd5(body)) {
      throw new FcError(400, 'InvalidArgument', 'content-md5 does not match the request body');
    }
    const expected = signStringToSign(
      composeStringToSign(request.method ?? 'GET', signedPath, headers),
      credentials.accessKeySecret,
    );
    if (!signaturesEqual(expected, authorization.signature)) {
      throw new FcError(
        403,
        'SignatureNotMatch',
        'the request signature we calculated does not match the signature you provided; check your AccessKeySecret',
      );
    }
    if (request.headers['x-fc-account-id'] !== credentials.accountId) {
      throw new FcError(
        403,
        'InvalidAccountID',
        `x-fc-account-id must be the account ${credentials.accountId}`,
      );
    }
  }

  private route(path: string, query: URLSearchParams): unknown {
    const segments = path.split('/').filter(Boolean);
    const [root, serviceSegment, child, functionName, grandChild] = segments;
    if (root === 'services' && segments.length === 1) {
      const result = page([...this.services.values()], (service) => service.serviceName, query);
      return {
        services: result.items.map((service) => this.serviceJson(service)),
        nextToken: result.nextToken,
      };
    }
    if (root === 'services' && serviceSegment) {
      const service = this.findService(serviceSegment);
      if (segments.length === 2) return this.serviceJson(service);
      if (child === 'functions' && segments.length === 3) {
        const result = page([service], () => service.serviceName, query);
        return {
          functions: result.items.map((item) => this.functionJson(item)),
          nextToken: result.nextToken,
        };
      }
      if (child === 'functions' && functionName) {
        if (functionName !== service.serviceName) {
          throw new FcError(
            404,
            'FunctionNotFound',
            `function "${functionName}" does not exist in service "${service.serviceName}"`,
          );
        }
        if (segments.length === 4) return this.functionJson(service);
        if (grandChild === 'instances' && segments.length === 5) {
          const { namespace, name } = service.publication;
          return { instances: this.options.instancesOf(namespace, name) };
        }
        if (grandChild === 'triggers' && segments.length === 5) {
          return { triggers: [this.triggerJson(service)] };
        }
      }
    }
    if (root === 'custom-domains' && segments.length === 1) {
      const domains = [...this.services.values()].filter((service) => service.publication.customDomain);
      const result = page(domains, (service) => service.publication.customDomain?.domain ?? '', query);
      return {
        customDomains: result.items.map((service) => this.domainJson(service)),
        nextToken: result.nextToken,
      };
    }
    if (root === 'custom-domains' && serviceSegment && segments.length === 2) {
      const match = [...this.services.values()].find(
        (service) => service.publication.customDomain?.domain === serviceSegment,
      );
      if (!match)
        throw new FcError(404, 'DomainNameNotFound', `custom domain "${serviceSegment}" does not exist`);
      return this.domainJson(match);
    }
    throw new FcError(404, 'PathNotSupported', `GET ${path} is not an FC 2.0 API the playground serves`);
  }

  private findService(segment: string): StoredService {
    // `<service>.<qualifier>`: the playground publishes only LATEST, so any qualifier resolves to it.
    const serviceName = segment.split('.')[0] ?? segment;
    const service = this.services.get(serviceName);
    if (!service) throw new FcError(404, 'ServiceNotFound', `service "${serviceName}" does not exist`);
    return service;
  }

  private serviceJson(service: StoredService): unknown {
    const { publication } = service;
    return {
      serviceName: service.serviceName,
      serviceId: service.serviceId,
      description: publication.description ?? `Knative Service ${publication.namespace}/${publication.name}`,
      role: publication.roleArn ?? '',
      internetAccess: true,
      logConfig: { project: '', logstore: '' },
      vpcConfig: { vpcId: '', vSwitchIds: [], securityGroupId: '' },
      createdTime: service.createdTime,
      lastModifiedTime: service.lastModifiedTime,
    };
  }

  private functionJson(service: StoredService): unknown {
    const { publication } = service;
    return {
      functionId: service.functionId,
      functionName: service.serviceName,
      description: `Knative Service ${publication.namespace}/${publication.name}`,
      runtime: 'custom-container',
      handler: 'index.handler',
      timeout: 60,
      memorySize: 1024,
      instanceConcurrency: publication.instanceConcurrency,
      caPort: publication.caPort,
      codeSize: 0,
      codeChecksum: '',
      environmentVariables: publication.environmentVariables,
      customContainerConfig: { image: publication.image, command: '', args: '' },
      createdTime: service.createdTime,
      lastModifiedTime: service.lastModifiedTime,
    };
  }

  private triggerJson(service: StoredService): unknown {
    return {
      triggerName: 'defaultTrigger',
      triggerType: 'http',
      triggerConfig: { authType: 'anonymous', methods: ['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'PATCH'] },
      createdTime: service.createdTime,
      lastModifiedTime: service.lastModifiedTime,
    };
  }

  private domainJson(service: StoredService): unknown {
    const domain = service.publication.customDomain;
    return {
      domainName: domain?.domain,
      accountId: this.options.credentials.accountId,
      protocol: 'HTTP',
      apiVersion: FC_API_VERSION,
      routeConfig: {
        routes: [
          {
            path: domain?.path ?? '/*',
            serviceName: service.serviceName,
            functionName: service.serviceName,
            qualifier: 'LATEST',
          },
        ],
      },
      createdTime: service.createdTime,
      lastModifiedTime: service.lastModifiedTime,
    };
  }

  /**
   * A function's own HTTP trigger address (what Knative's routing points at for an FC-class revision): any request
   * to it invokes the function `kn_<namespace>_<name>` with the request's own path, as the proxy path does.
   */
  async serveTrigger(
    namespace: string,
    name: string,
    request: http.IncomingMessage,
    response: http.ServerResponse,
  ): Promise<void> {
    try {
      const body = await readBody(request);
      const service = this.findService(fcResourceName(namespace, name));
      const url = new URL(request.url ?? '/', 'http://fc.invalid');
      await this.invoke(service, request, response, url.pathname, url.search, body);
    } catch (error) {
      const fcError =
        error instanceof FcError ? error : new FcError(500, 'InternalServerError', (error as Error).message);
      if (!response.headersSent) {
        send(response, fcError.status, randomUUID(), {
          ErrorCode: fcError.errorCode,
          ErrorMessage: fcError.message,
        });
      } else response.destroy();
    }
  }

  /** The service an invocation URL names and the path within the function: /proxy/<service>[.<qualifier>]/<function>/<rest>. */
  private proxied(path: string): { service: StoredService; path: string } {
    const [, , serviceSegment = '', functionName = '', ...rest] = path.split('/');
    const service = this.findService(serviceSegment);
    if (functionName !== service.serviceName) {
      throw new FcError(
        404,
        'FunctionNotFound',
        `function "${functionName}" does not exist in service "${service.serviceName}"`,
      );
    }
    return { service, path: `/${rest.join('/')}` };
  }

  private async invoke(
    service: StoredService,
    request: http.IncomingMessage,
    response: http.ServerResponse,
    path: string,
    search: string,
    body: Buffer,
  ): Promise<void> {
    if (!this.options.invocationTarget)
      throw new FcError(503, 'ServiceUnavailable', 'no invocation target is configured');
    const target = await this.options.invocationTarget(
      service.publication.namespace,
      service.publication.name,
    );
    let released = false;
    const release = () => {
      if (!released) target.release?.();
      released = true;
    };
    response.on('close', release);
    const upstream = http.request(
      {
        host: target.host,
        port: target.port,
        method: request.method,
        path: `${target.pathPrefix}${path}${search}`,
        headers: bodyHeaders(request.headers, `${target.host}:${target.port}`, body.length),
      },
      (upstreamResponse) => {
        response.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
        upstreamResponse.pipe(response);
      },
    );
    upstream.on('error', (error) => {
      release();
      if (!response.headersSent)
        send(response, 502, randomUUID(), { ErrorCode: 'FunctionNotReachable', ErrorMessage: error.message });
      else response.destroy();
    });
    upstream.end(body);
  }
}

const MAX_BODY = 6 * 1024 * 1024;

/** The caller's headers for a body sent whole: its length replaces any chunked framing the caller used. */
function bodyHeaders(
  headers: http.IncomingHttpHeaders,
  host: string,
  length: number,
): http.OutgoingHttpHeaders {
  const result: http.OutgoingHttpHeaders = { ...headers, host, 'content-length': String(length) };
  delete result['transfer-encoding'];
  return result;
}

function readBody(request: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new FcError(413, 'EntityTooLarge', `request body is larger than ${MAX_BODY} bytes`));
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function send(response: http.ServerResponse, status: number, requestId: string, payload: unknown): void {
  const text = JSON.stringify(payload);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-fc-request-id': requestId,
  });
  response.end(text);
}
