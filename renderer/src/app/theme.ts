// Light/dark theme: follows the system until the user picks one, then remembers the pick. The theme is a
// data-theme attribute on <html>, so CSS variables switch everything at once (charts read them too).
import { useCallback, useEffect, useState } from 'react';

export type Theme = 'light' | 'dark';
const storageKey = 'knative-desk.theme';

function systemTheme(): Theme {
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

function storedTheme(): Theme | null {
  try {
    const value = window.localStorage.getItem(storageKey);
    return value === 'light' || value === 'dark' ? value : null;
  } catch {
    // Storage can be unavailable (file:// with strict settings); the system theme is a fine fallback.
    return null;
  }
}

export function useTheme(): { theme: Theme; toggle: () => void } {
  const [theme, setTheme] = useState<Theme>(() => storedTheme() ?? systemTheme());

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  // Until the user picks a theme, follow the system when it switches (e.g. at dusk).
  useEffect(() => {
    const query = window.matchMedia?.('(prefers-color-scheme: dark)');
    if (!query) return;
    const onChange = () => {
      if (storedTheme() === null) setTheme(query.matches ? 'dark' : 'light');
    };
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);

  const toggle = useCallback(() => {
    setTheme((current) => {
      const next: Theme = current === 'dark' ? 'light' : 'dark';
      try {
        window.localStorage.setItem(storageKey, next);
      } catch {
        /* not persisted; still switched for this session */
      }
      return next;
    });
  }, []);

  return { theme, toggle };
}

/** Reads a CSS variable of the current theme (charts need concrete colours). */
export function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}
