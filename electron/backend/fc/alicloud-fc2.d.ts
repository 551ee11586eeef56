// @alicloud/fc2 publishes no types. This declares only the part the engine uses; responses are typed `unknown`
// on purpose and parsed with zod in fc-client.ts, so a changed server answer is caught, not trusted.
declare module '@alicloud/fc2' {
  interface FcConfig {
    accessKeyID: string;
    accessKeySecret: string;
    region: string;
    endpoint?: string;
    secure?: boolean;
    timeout?: number;
    securityToken?: string;
  }
  interface FcResponse {
    headers: Record<string, string | string[] | undefined>;
    data: unknown;
  }
  interface PageOptions {
    limit?: number;
    prefix?: string;
    startKey?: string;
    nextToken?: string;
  }
  class FC {
    constructor(accountId: string, config: FcConfig);
    listServices(options?: PageOptions, headers?: Record<string, string>): Promise<FcResponse>;
    listFunctions(
      serviceName: string,
      options?: PageOptions,
      headers?: Record<string, string>,
    ): Promise<FcResponse>;
    getFunction(serviceName: string, functionName: string): Promise<FcResponse>;
    listInstances(
      serviceName: string,
      functionName: string,
      qualifier?: string,
      options?: Record<string, unknown>,
      headers?: Record<string, string>,
    ): Promise<FcResponse>;
    listCustomDomains(options?: PageOptions, headers?: Record<string, string>): Promise<FcResponse>;
  }
  export default FC;
}
