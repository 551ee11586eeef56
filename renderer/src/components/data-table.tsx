// A table of rows with an optional selected row. Rows are reachable with the keyboard: the table body is one tab
// stop, ArrowUp/ArrowDown move between rows, Enter opens the focused one (a roving tabindex, as in WAI-ARIA grids).
import { useRef, type KeyboardEvent, type ReactNode } from 'react';

export interface Column<Row> {
  key: string;
  header: string;
  render: (row: Row) => ReactNode;
  width?: number | string;
}

export interface DataTableProps<Row> {
  caption: string;
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  selectedKey?: string | null;
  onOpen?: (row: Row) => void;
  testId?: string;
  /** Tighter cells for narrow side panels. */
  compact?: boolean;
  /** Shown instead of the table when there are no rows (an EmptyState saying why and what to do). */
  empty?: ReactNode;
}

export function DataTable<Row>({
  caption,
  columns,
  rows,
  rowKey,
  selectedKey,
  onOpen,
  testId,
  compact,
  empty,
}: DataTableProps<Row>) {
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  if (rows.length === 0 && empty !== undefined) return <>{empty}</>;

  function focusRow(index: number): void {
    const rowElements = bodyRef.current?.querySelectorAll<HTMLTableRowElement>('tr');
    if (!rowElements || rowElements.length === 0) return;
    const clamped = Math.max(0, Math.min(rowElements.length - 1, index));
    rowElements.forEach((element, i) => (element.tabIndex = i === clamped ? 0 : -1));
    rowElements[clamped]?.focus();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTableRowElement>, index: number, row: Row): void {
    if (event.key === 'ArrowDown') focusRow(index + 1);
    else if (event.key === 'ArrowUp') focusRow(index - 1);
    else if (event.key === 'Home') focusRow(0);
    else if (event.key === 'End') focusRow(rows.length - 1);
    else if ((event.key === 'Enter' || event.key === ' ') && onOpen) onOpen(row);
    else return;
    event.preventDefault();
  }

  const selectedIndex = rows.findIndex((row) => rowKey(row) === selectedKey);
  const tabStop = selectedIndex >= 0 ? selectedIndex : 0;

  return (
    <table className={compact ? 'data compact' : 'data'} data-testid={testId}>
      <caption className="skip-link">{caption}</caption>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column.key} scope="col" style={column.width ? { width: column.width } : undefined}>
              {column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody ref={bodyRef}>
        {rows.map((row, index) => {
          const key = rowKey(row);
          return (
            <tr
              key={key}
              data-row-key={key}
              className={onOpen ? 'clickable' : undefined}
              tabIndex={onOpen ? (index === tabStop ? 0 : -1) : undefined}
              aria-selected={onOpen ? key === selectedKey : undefined}
              onClick={onOpen ? () => onOpen(row) : undefined}
              onKeyDown={onOpen ? (event) => onKeyDown(event, index, row) : undefined}
            >
              {columns.map((column) => (
                <td key={column.key}>{column.render(row)}</td>
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
