// The timeline's charts, one TimeSeriesChart per entry of timelineCharts(): same domain, same sync id (the
// tooltip cursor moves across all of them), the same sender highlight, and drag-to-zoom on any of them.
import { forwardRef } from 'react';
import { TimeSeriesChart } from '../charts/time-series-chart';
import type { TimelineChart } from './timeline';

export const TimelineCharts = forwardRef<
  HTMLDivElement,
  {
    charts: readonly TimelineChart[];
    domain: readonly [number, number];
    highlight: { from: number; to: number; label: string } | null;
    onZoom: (from: number, to: number) => void;
  }
>(function TimelineCharts({ charts, domain, highlight, onZoom }, ref) {
  return (
    <div ref={ref} data-testid="timeline">
      {charts.map((chart) => (
        <TimeSeriesChart
          key={chart.id}
          title={chart.title}
          unit=""
          series={chart.series}
          domain={domain}
          syncId="timeline"
          onSelectRange={onZoom}
          highlight={highlight}
          testId={`chart-${chart.id}`}
        />
      ))}
    </div>
  );
});
