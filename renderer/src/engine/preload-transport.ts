// Desktop mode: the contract through the preload facade (`window.knativeDesk`), which forwards over a MessagePort
// to the engine's utility process. The facade is itself generated from the contract, so this transport only maps
// `domain:verb` to `facade[domain][verb]`.
import { splitName } from '../../../electron/common/contract';
import type { PreloadFacade } from '../../../electron/common/facade';
import type { Settled } from '../../../electron/common/wire';
import { valueOf } from './router-transport';
import type { Transport } from './transport';

type LooseFacade = Record<string, Record<string, (...args: unknown[]) => unknown>>;

export class PreloadTransport implements Transport {
  private readonly facade: LooseFacade;

  constructor(facade: PreloadFacade) {
    this.facade = facade as unknown as LooseFacade;
  }

  private lookup(name: string): (...args: unknown[]) => unknown {
    const [domain, verb] = splitName(name);
    const fn = this.facade[domain]?.[verb];
    if (typeof fn !== 'function')
      throw new Error(`the preload exposes no ${name}; is the preload out of date?`);
    return fn;
  }

  call(name: string, payload: unknown): Promise<unknown> {
    return valueOf(this.lookup(name)(payload) as Promise<Settled<unknown>>);
  }

  readonly subscribe: Transport['subscribe'] = (name, params, onEvents, onEnd) =>
    this.lookup(name)(params, onEvents, onEnd) as () => void;
}
