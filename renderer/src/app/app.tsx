// The console shell: top bar (context, theme), side navigation, and the current screen.
import { useEffect, type ReactNode } from 'react';
import { Badge } from '../components/badge';
import { useOperation } from '../engine/engine-context';
import { BarrageScreen } from '../screens/barrage-screen';
import { ConnectScreen } from '../screens/connect-screen';
import { DeployScreen } from '../screens/deploy-screen';
import { EventingScreen } from '../screens/eventing-screen';
import { MonitorScreen } from '../screens/monitor-screen';
import { WorkloadsScreen } from '../screens/workloads-screen';
import { EngineRestartBanner } from './engine-restart-banner';
import { screens, useRoute, type Route } from './routes';
import { useSession } from './session';
import { SideNav } from './side-nav';
import { useTheme } from './theme';

export function App() {
  const [route, navigate] = useRoute();
  const { theme, toggle } = useTheme();
  const { session } = useSession();

  // Alt+1…6 opens a screen from anywhere.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      const screen = screens[Number(event.key) - 1];
      if (!screen) return;
      event.preventDefault();
      navigate({ screen: screen.id, params: [] });
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [navigate]);

  // Move focus to the screen's heading on navigation (also from a list to a detail and back), so keyboard and
  // screen-reader users land in the new view instead of on a row that is gone.
  const routeKey = [route.screen, ...route.params].join('/');
  useEffect(() => {
    document.querySelector<HTMLElement>('main.content h1')?.focus();
  }, [routeKey]);

  return (
    <div className="shell">
      {/* The app routes on the hash, so following href="#main" would open the Connect screen: focus instead. */}
      <a
        className="skip-link"
        href="#main"
        onClick={(event) => {
          event.preventDefault();
          document.querySelector<HTMLElement>('main.content h1')?.focus();
        }}
      >
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">knative-desk</span>
        <span className="muted" data-testid="current-context">
          {session.context
            ? `${session.context} / ${session.namespace ?? 'all namespaces'}`
            : 'not connected'}
        </span>
        <TopbarAccess />
        <span className="spacer" />
        <button
          type="button"
          className="btn"
          data-testid="theme-toggle"
          onClick={toggle}
          aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
        >
          {theme === 'dark' ? '☀ Light' : '☾ Dark'}
        </button>
      </header>
      <SideNav current={route.screen} onOpen={(screen) => navigate({ screen, params: [] })} />
      <main className="content" id="main" data-screen={route.screen}>
        <EngineRestartBanner />
        {renderScreen(route, navigate)}
      </main>
    </div>
  );
}

function renderScreen(route: Route, navigate: (route: Route) => void): ReactNode {
  switch (route.screen) {
    case 'connect':
      return <ConnectScreen />;
    case 'workloads':
      return <WorkloadsScreen params={route.params} navigate={navigate} />;
    case 'deploy':
      return <DeployScreen />;
    case 'monitor':
      return <MonitorScreen />;
    case 'barrage':
      return <BarrageScreen params={route.params} />;
    case 'eventing':
      return <EventingScreen />;
  }
}

export function AccessBadge({
  access,
  testId = 'access-badge',
}: {
  access: 'read-write' | 'read-only' | 'no-access' | 'unreachable';
  testId?: string;
}) {
  const tone = access === 'read-write' ? 'ok' : access === 'read-only' ? 'warn' : 'bad';
  return (
    <span data-testid={testId}>
      <Badge tone={tone}>{access}</Badge>
    </span>
  );
}

/**
 * The access badge of the top bar. Access depends on the namespace, so a new context or namespace clears it; the
 * Connect screen re-checks while it is open, and this checks too, so the badge comes back even when the user
 * leaves Connect before its check has answered.
 */
function TopbarAccess() {
  const { session, update } = useSession();
  const { context, namespace, access } = session;
  const pending = context !== null && access === null;
  const check = useOperation(
    'clusters:check',
    pending ? (namespace ? { context, namespace } : { context }) : null,
    pending ? `topbar-check:${context}:${namespace ?? ''}` : null,
  );
  // Only an answer for the context and namespace now chosen (the previous key's data lingers while a new one loads).
  const answer =
    check.data && check.data.context === context && check.data.namespace === (namespace ?? null)
      ? check.data.access
      : null;
  useEffect(() => {
    if (pending && answer) update({ access: answer });
  }, [pending, answer, update]);
  return access ? <AccessBadge access={access} testId="topbar-access" /> : null;
}
