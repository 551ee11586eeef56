// The contract's `manage:` handlers, wired to the ManageService (kept apart from engine.ts so additions to either
// rebase cleanly).
import { finiteStream } from '../rpc/finite-stream';
import type { Handlers } from '../rpc/handlers';
import { runRollout } from './guarded-rollout';
import type { ManageService } from './manage-service';

type ManageHandlers = Pick<Handlers, Extract<keyof Handlers, `manage:${string}`>>;

export function manageHandlers(manage: ManageService): ManageHandlers {
  return {
    'manage:knative': async ({ context }) => manage.knative(context),
    'manage:access': async ({ context, namespace }) => manage.access(context, namespace),
    'manage:revisions': async ({ context, namespace, name }) => manage.revisions(context, namespace, name),
    'manage:setTraffic': async ({ context, namespace, name, rows, generation }) =>
      manage.setTraffic(context, namespace, name, rows, generation),
    'manage:rollback': async ({ context, namespace, name, revision, generation }) =>
      manage.rollback(context, namespace, name, revision, generation),
    'manage:rollForward': async ({ context, namespace, name, generation }) =>
      manage.rollForward(context, namespace, name, generation),
    'manage:deleteRevisions': async ({ context, namespace, name, revisions, confirm }) =>
      manage.deleteRevisions(context, namespace, name, revisions, confirm),
    'manage:compare': async ({ context, namespace, name, left, right }) =>
      manage.compare(context, namespace, name, left, right),
    'manage:form': async ({ context, namespace, name }) => manage.form(context, namespace, name),
    'manage:secrets': async ({ context, namespace }) => manage.secrets(context, namespace),
    'manage:plan': async (request) => manage.plan(request),
    'manage:apply': (request, sink) =>
      finiteStream(sink, (emit, signal) => manage.apply(request, emit, signal)),
    'manage:export': async ({ context, namespace, name, withRevisions }) =>
      manage.export(context, namespace, name, withRevisions),
    'manage:import': ({ context, namespace, yaml }, sink) =>
      finiteStream(sink, (emit, signal) => manage.import(context, namespace, yaml, emit, signal)),
    'manage:logs': (params, sink) => {
      void manage
        .logs(params, (event) => sink.emit(event), sink.signal)
        .then(
          () => (params.follow ? undefined : sink.end()),
          (error) => sink.end(error),
        );
    },
    'manage:events': async ({ context, namespace, name }) => ({
      events: await manage.events(context, namespace, name),
    }),
    'manage:why': async ({ context, namespace, name, revision }) =>
      manage.why(context, namespace, name, revision),
    'manage:coldStarts': async ({ context, namespace, name }) => manage.coldStarts(context, namespace, name),
    'manage:rollout': (params, sink) =>
      finiteStream(sink, (emit, signal) => runRollout(manage, params, emit, signal)),
  };
}
