// What the user picked on the Connect screen and every other screen uses: kube context and namespace, and the
// FC and Kafka profiles. Remembered in localStorage so a reload does not lose the choice.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

export interface Session {
  context: string | null;
  namespace: string | null;
  /** Access the last check found for `context`: read-only hides nothing but says why deploys will fail. */
  access: 'read-write' | 'read-only' | 'no-access' | 'unreachable' | null;
  fcProfileId: string | null;
  kafkaProfileId: string | null;
}

const emptySession: Session = {
  context: null,
  namespace: null,
  access: null,
  fcProfileId: null,
  kafkaProfileId: null,
};
const storageKey = 'knative-desk.session';

function loadSession(): Session {
  try {
    const stored = JSON.parse(window.localStorage.getItem(storageKey) ?? 'null') as Partial<Session> | null;
    return stored && typeof stored === 'object' ? { ...emptySession, ...stored } : emptySession;
  } catch {
    return emptySession;
  }
}

const SessionContext = createContext<{
  session: Session;
  update: (changes: Partial<Session>) => void;
} | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session>(loadSession);
  const update = useCallback((changes: Partial<Session>) => {
    setSession((previous) => {
      const next = { ...previous, ...changes };
      try {
        window.localStorage.setItem(storageKey, JSON.stringify(next));
      } catch {
        /* kept for this session only */
      }
      return next;
    });
  }, []);
  const value = useMemo(() => ({ session, update }), [session, update]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): { session: Session; update: (changes: Partial<Session>) => void } {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession() outside <SessionProvider>');
  return value;
}
