// Screens and the hash route that names them (#/monitor). A hash route works the same from file:// (Electron)
// and http:// (web mode), survives reloads, and lets tests open a screen directly.
import { useEffect, useState } from 'react';

export const screens = [
  { id: 'connect', label: 'Connect' },
  { id: 'workloads', label: 'Workloads' },
  { id: 'deploy', label: 'Deploy' },
  { id: 'monitor', label: 'Monitor' },
  { id: 'barrage', label: 'Barrage' },
  { id: 'eventing', label: 'Eventing' },
] as const;

export type ScreenId = (typeof screens)[number]['id'];

export interface Route {
  screen: ScreenId;
  /** Extra path segments, e.g. ['demo', 'barrage-processing'] for a workload's detail. */
  params: string[];
}

export function parseRoute(hash: string): Route {
  const parts = hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter(Boolean)
    .map((part) => decodeURIComponent(part));
  const screen = screens.find((candidate) => candidate.id === parts[0])?.id ?? 'connect';
  return { screen, params: screen === parts[0] ? parts.slice(1) : [] };
}

export function routeHash(route: Route): string {
  return `#/${[route.screen, ...route.params].map((part) => encodeURIComponent(part)).join('/')}`;
}

export function useRoute(): [Route, (route: Route) => void] {
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onHashChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);
  return [
    route,
    (next: Route) => {
      window.location.hash = routeHash(next);
    },
  ];
}
