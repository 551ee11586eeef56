// Level-triggered reconcile passes for the playground's controllers (the KafkaSource's): a pass runs on demand,
// soon after a watch event (events within 100 ms share one pass), and never two at once; one asked for while a pass
// runs follows right after it. Watches restart themselves until stop().
import { Watch } from '@kubernetes/client-node';
import { describeError, type Kube, type Resource } from '../kube';

export class ReconcileLoop {
  private running = false;
  private again = false;
  private soonTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly watches: AbortController[] = [];

  constructor(
    private readonly name: string,
    private readonly reconcile: () => Promise<void>,
    private readonly log: (message: string) => void,
  ) {}

  readonly pass = async (): Promise<void> => {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      do {
        this.again = false;
        await this.reconcile().catch((error: unknown) =>
          this.log(`${this.name} pass: ${describeError(error)}`),
        );
      } while (this.again);
    } finally {
      this.running = false;
    }
  };

  readonly soon = (): void => {
    this.soonTimer ??= setTimeout(() => {
      this.soonTimer = undefined;
      void this.pass();
    }, 100);
  };

  /** Watches every object of `resource` (all namespaces); each event asks for a pass soon. */
  watch(kube: Kube, resource: Resource): void {
    const path = `/apis/${resource.group}/${resource.version}/${resource.plural}`;
    const start = () => {
      if (this.stopped) return;
      new Watch(kube.config)
        .watch(
          path,
          { timeoutSeconds: 60 },
          () => this.soon(),
          () => setTimeout(start, 1000),
        )
        .then((controller) => this.watches.push(controller))
        .catch(() => setTimeout(start, 2000));
    };
    start();
  }

  /** Stops the watches and any pass not yet started; a pass in flight finishes. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.soonTimer);
    for (const watch of this.watches) watch.abort();
  }
}
