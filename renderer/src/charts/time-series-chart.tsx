// One streaming line chart. Built for live data: animation off (a chart that re-animates every second never
// settles and burns frames), dots off, each series downsampled to the plot's pixel width, and the time axis
// domain given by the caller so several charts line up exactly on one timeline (plus recharts' syncId, which
// moves the tooltip cursor across all of them together).
import { memo, useMemo, useState, type MouseEvent } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceArea, Tooltip, XAxis, YAxis } from 'recharts';
import { downsampleMinMax, withinDomain, type SeriesPoint } from './downsample';
import { useElementWidth } from './use-element-width';

export interface ChartSeries {
  key: string;
  label: string;
  color: string;
  points: readonly SeriesPoint[];
  /** Step lines for counts (pods), straight for rates and latencies. */
  step?: boolean;
  dashed?: boolean;
}

export interface TimeSeriesChartProps {
  title: string;
  unit: string;
  series: readonly ChartSeries[];
  /** [from, to] in epoch ms, shared by every chart of a timeline. */
  domain: readonly [number, number];
  height?: number;
  syncId?: string;
  /** A highlighted span (e.g. while the sender ran). */
  highlight?: { from: number; to: number; label: string } | null;
  testId?: string;
  /** Drag across the plot to pick a time range (zoom); called with [from, to] in epoch ms. */
  onSelectRange?: (from: number, to: number) => void;
}

const plotMargin = { top: 6, right: 16, bottom: 0, left: 0 };
const yAxisWidth = 52;

function formatClock(t: number): string {
  return new Date(t).toLocaleTimeString([], { hour12: false });
}

export const TimeSeriesChart = memo(function TimeSeriesChart({
  title,
  unit,
  series,
  domain,
  height = 150,
  syncId,
  highlight,
  testId,
  onSelectRange,
}: TimeSeriesChartProps) {
  const [ref, width] = useElementWidth<HTMLDivElement>();
  const plotWidth = Math.max(50, width - yAxisWidth - plotMargin.right);

  const drawn = useMemo(
    () =>
      series.map((s) => ({
        ...s,
        data: downsampleMinMax(withinDomain(s.points, domain), plotWidth),
      })),
    [series, domain, plotWidth],
  );
  const empty = drawn.every((s) => s.data.length === 0);

  // Drag-to-zoom works on pixels of the plot area (left of it is the y axis), mapped linearly to the domain; this
  // does not depend on which series has a point under the cursor.
  const [drag, setDrag] = useState<{ startX: number; x: number } | null>(null);
  const plotLeft = yAxisWidth + plotMargin.left;
  const toTime = (x: number) =>
    domain[0] + (Math.min(Math.max(x - plotLeft, 0), plotWidth) / plotWidth) * (domain[1] - domain[0]);
  const offsetX = (event: MouseEvent<HTMLDivElement>) =>
    event.clientX - event.currentTarget.getBoundingClientRect().left;
  const dragHandlers = onSelectRange
    ? {
        onMouseDown: (event: MouseEvent<HTMLDivElement>) => {
          if (event.button === 0) setDrag({ startX: offsetX(event), x: offsetX(event) });
        },
        onMouseMove: (event: MouseEvent<HTMLDivElement>) => {
          if (drag) setDrag({ ...drag, x: offsetX(event) });
        },
        onMouseUp: () => {
          if (drag && Math.abs(drag.x - drag.startX) > 4) {
            const [a, b] = [toTime(drag.startX), toTime(drag.x)].sort((p, q) => p - q) as [number, number];
            onSelectRange(a, b);
          }
          setDrag(null);
        },
        onMouseLeave: () => setDrag(null),
      }
    : {};

  return (
    <figure
      className="chart-card"
      data-testid={testId}
      aria-label={`${title} chart`}
      style={{ margin: '0 0 10px' }}
    >
      <figcaption className="row" style={{ justifyContent: 'space-between' }}>
        <h3>{title}</h3>
        <span className="row" style={{ gap: 10, fontSize: 12 }}>
          {series.map((s) => (
            <span key={s.key} className="row" style={{ gap: 4 }}>
              <span
                aria-hidden="true"
                style={{ width: 10, height: 3, background: s.color, display: 'inline-block' }}
              />
              {s.label}
              <strong className="mono">{formatLast(s.points)}</strong>
            </span>
          ))}
        </span>
      </figcaption>
      <div
        ref={ref}
        style={{
          width: '100%',
          height,
          position: 'relative',
          cursor: onSelectRange ? 'crosshair' : undefined,
        }}
        {...dragHandlers}
      >
        {drag ? (
          <div
            aria-hidden="true"
            style={{
              position: 'absolute',
              top: 0,
              bottom: 0,
              left: Math.min(drag.startX, drag.x),
              width: Math.abs(drag.x - drag.startX),
              background: 'color-mix(in srgb, var(--accent) 20%, transparent)',
              pointerEvents: 'none',
              zIndex: 1,
            }}
          />
        ) : null}
        <LineChart width={width} height={height} margin={plotMargin} syncId={syncId}>
          <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
          <XAxis
            dataKey="t"
            type="number"
            domain={[domain[0], domain[1]]}
            allowDataOverflow
            tickFormatter={formatClock}
            stroke="var(--muted)"
            fontSize={11}
            minTickGap={40}
          />
          <YAxis width={yAxisWidth} stroke="var(--muted)" fontSize={11} allowDecimals={false} unit={unit} />
          <Tooltip
            isAnimationActive={false}
            labelFormatter={(value) => formatClock(Number(value))}
            contentStyle={{
              background: 'var(--panel)',
              border: '1px solid var(--border)',
              color: 'var(--text)',
            }}
          />
          {highlight ? (
            <ReferenceArea
              x1={Math.max(highlight.from, domain[0])}
              x2={Math.min(highlight.to, domain[1])}
              fill="var(--accent)"
              fillOpacity={0.08}
              ifOverflow="hidden"
            />
          ) : null}
          {drawn.map((s) => (
            <Line
              key={s.key}
              data={s.data}
              dataKey="v"
              name={s.label}
              type={s.step ? 'stepAfter' : 'linear'}
              stroke={s.color}
              strokeWidth={1.6}
              strokeDasharray={s.dashed ? '5 3' : undefined}
              dot={false}
              activeDot={false}
              isAnimationActive={false}
              connectNulls={false}
            />
          ))}
        </LineChart>
        {empty ? (
          <div
            className="muted"
            style={{ position: 'absolute', inset: 0, display: 'grid', placeItems: 'center' }}
          >
            No samples in this window yet
          </div>
        ) : null}
      </div>
    </figure>
  );
});

function formatLast(points: readonly SeriesPoint[]): string {
  const last = points[points.length - 1];
  if (!last) return '–';
  return Number.isInteger(last.v) ? String(last.v) : last.v.toFixed(1);
}
