// Screen navigation. Keyboard: the list is one tab stop; ArrowUp/ArrowDown/Home/End move focus, Enter or Space
// opens (roving tabindex). Alt+1…6 opens a screen from anywhere (handled in app.tsx).
import { useRef, type KeyboardEvent } from 'react';
import { screens, type ScreenId } from './routes';

export function SideNav({ current, onOpen }: { current: ScreenId; onOpen: (screen: ScreenId) => void }) {
  const listRef = useRef<HTMLUListElement>(null);

  function move(event: KeyboardEvent<HTMLButtonElement>, index: number): void {
    const buttons = [...(listRef.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])];
    let target: number | undefined;
    if (event.key === 'ArrowDown') target = (index + 1) % buttons.length;
    else if (event.key === 'ArrowUp') target = (index - 1 + buttons.length) % buttons.length;
    else if (event.key === 'Home') target = 0;
    else if (event.key === 'End') target = buttons.length - 1;
    if (target === undefined) return;
    event.preventDefault();
    buttons.forEach((button, i) => (button.tabIndex = i === target ? 0 : -1));
    buttons[target]?.focus();
  }

  return (
    <nav className="sidenav" aria-label="Screens">
      <ul ref={listRef}>
        {screens.map((screen, index) => (
          <li key={screen.id}>
            <button
              type="button"
              data-testid={`nav-${screen.id}`}
              aria-current={screen.id === current ? 'page' : undefined}
              tabIndex={screen.id === current ? 0 : -1}
              onClick={() => onOpen(screen.id)}
              onKeyDown={(event) => move(event, index)}
            >
              <span>{screen.label}</span>
              <kbd aria-hidden="true">Alt+{index + 1}</kbd>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
