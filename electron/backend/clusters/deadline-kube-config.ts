// Every Kubernetes call the engine makes gets a deadline, in one place. @kubernetes/client-node has no timeout of
// its own for its generated API clients (a black-holed apiserver hangs a call forever), but each request passes
// through the KubeConfig's applySecurityAuthentication with its RequestContext, whose signal the HTTP layer hands to
// fetch. The engine's kubeconfigs are loaded as this class, so every client made from them (CoreV1Api,
// KubernetesObjectApi, AuthorizationV1Api, …, and the list of each watch) inherits the deadline. Watches and log
// follows use their own AbortController (and the library's own connect/inactivity timer) and are not cut short.
import { KubeConfig } from '@kubernetes/client-node';
import { EngineError } from '../errors';

export const KUBE_CALL_DEADLINE_MS = 30_000;

type RequestContext = Parameters<KubeConfig['applySecurityAuthentication']>[0];

export class DeadlineKubeConfig extends KubeConfig {
  constructor(readonly deadlineMs: number = KUBE_CALL_DEADLINE_MS) {
    super();
  }

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    // KubernetesObjectApi applies both its own and the default auth method to one request: one deadline is enough.
    if (context.getSignal()) return;
    const controller = new AbortController();
    const seconds = this.deadlineMs / 1000;
    const url = new URL(context.getUrl());
    // fetch rejects with the abort reason, so the caller (and the UI) reads what timed out and after how long.
    const timer = setTimeout(
      () =>
        controller.abort(
          new EngineError(
            'timeout',
            `The Kubernetes API at ${url.host} timed out after ${seconds} s (${context.getHttpMethod()} ${url.pathname}).`,
            { reason: 'Deadline' },
          ),
        ),
      this.deadlineMs,
    );
    // The timer must not keep the engine alive, and is harmless after the answer (aborting a finished fetch is a no-op).
    timer.unref();
    context.setSignal(controller.signal);
  }
}
