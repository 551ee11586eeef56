// @vitest-environment happy-dom
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ResponseOf } from '../../../../electron/common/contract';
import { fakeEngine } from '../../testing/fake-engine';
import { renderScreen, playgroundSession } from '../../testing/render-screen';
import { GatewayPanel } from './gateway-panel';

type GatewayInfo = ResponseOf<'clusters:gateway'>;
const nothingFound: GatewayInfo = {
  context: 'ask-prod',
  address: null,
  source: 'none',
  typed: null,
  discovered: {
    address: null,
    reason: 'no known gateway Service for ingress class alb.ingress.networking.knative.dev',
  },
};

function gatewayEngine(initial: GatewayInfo = nothingFound) {
  let info = initial;
  return fakeEngine({
    'clusters:gateway': () => info,
    'clusters:setGateway': ({ address }) => {
      info = address
        ? { ...info, address, source: 'typed', typed: address }
        : { ...info, address: null, source: 'none', typed: null };
      return info;
    },
  });
}

describe('Gateway panel (Connect)', () => {
  it('says when no gateway is known and why, and uses an address typed for the context', async () => {
    const engine = gatewayEngine();
    renderScreen(<GatewayPanel context="ask-prod" />, engine, playgroundSession);
    await waitFor(() => expect(screen.getByTestId('gateway-in-use').textContent).toContain('no gateway'));
    expect(screen.getByTestId('gateway-discovered').textContent).toContain(
      'no known gateway Service for ingress class alb.ingress.networking.knative.dev',
    );
    fireEvent.change(screen.getByLabelText('Gateway address for this context'), {
      target: { value: ' http://203.0.113.7:8080/ ' },
    });
    fireEvent.click(screen.getByTestId('gateway-save'));
    await waitFor(() =>
      expect(screen.getByTestId('gateway-in-use').textContent).toContain('http://203.0.113.7:8080'),
    );
    expect(screen.getByTestId('gateway-in-use').textContent).toContain('typed for this context');
    // Trimmed and without the trailing slash, as the contract normalises it.
    expect(engine.callsOf('clusters:setGateway')).toEqual([
      { context: 'ask-prod', address: 'http://203.0.113.7:8080' },
    ]);
  });

  it('refuses an address that is not http(s)://host[:port] beside the field, and changes nothing', async () => {
    const engine = gatewayEngine();
    renderScreen(<GatewayPanel context="ask-prod" />, engine, playgroundSession);
    await waitFor(() => expect(screen.getByTestId('gateway-in-use')).toBeTruthy());
    fireEvent.change(screen.getByLabelText('Gateway address for this context'), {
      target: { value: 'kourier.kourier-system/path' },
    });
    fireEvent.click(screen.getByTestId('gateway-save'));
    await waitFor(() => expect(screen.getByText('must be http(s)://host[:port]')).toBeTruthy());
    expect(engine.callsOf('clusters:setGateway')).toEqual([]);
  });

  it('forgets the typed address when emptied, and asks the cluster again on "Discover again"', async () => {
    const typed = 'http://198.51.100.4';
    const engine = gatewayEngine({ ...nothingFound, address: typed, source: 'typed', typed });
    renderScreen(<GatewayPanel context="ask-prod" />, engine, playgroundSession);
    const field = screen.getByLabelText('Gateway address for this context') as HTMLInputElement;
    await waitFor(() => expect(field.value).toBe(typed));
    fireEvent.change(field, { target: { value: '' } });
    const save = screen.getByTestId('gateway-save') as HTMLButtonElement;
    expect(save.textContent).toBe('Forget the typed address');
    fireEvent.click(save);
    await waitFor(() => expect(screen.getByTestId('gateway-in-use').textContent).toContain('none known'));
    expect(engine.callsOf('clusters:setGateway')).toEqual([{ context: 'ask-prod', address: null }]);
    // Nothing typed and nothing to forget: the button has nothing to do.
    expect(save.disabled).toBe(true);
    fireEvent.click(screen.getByTestId('gateway-rediscover'));
    await waitFor(() =>
      expect(engine.callsOf('clusters:gateway')).toContainEqual({ context: 'ask-prod', refresh: true }),
    );
  });
});
