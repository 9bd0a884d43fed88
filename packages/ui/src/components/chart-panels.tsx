import { EChart } from '../charts/echart.tsx';
import type { ChartOption } from '../charts/chart-option.ts';
import type { Theme } from '../theme.ts';
import { Panel } from './panel.tsx';
import { EmptyState, ErrorState, LoadingState } from './states.tsx';

/** The part of a react-query result a chart panel needs. */
export interface ChartQueryState {
  data?: readonly unknown[] | undefined;
  isPending: boolean;
  error?: unknown;
}

interface ChartPanelProps {
  title: string;
  className: string;
  query: ChartQueryState;
  option: ChartOption;
  theme: Theme;
  ariaLabel: string;
  onItemClick?: (data: unknown, name: string, at: { seriesIndex: number; dataIndex: number }) => void;
}

/** A panel holding one chart, with the shared loading / empty / error states. */
export function ChartPanel({ title, className, query, option, theme, ariaLabel, onItemClick }: ChartPanelProps) {
  let body;
  if (query.error) body = <ErrorState error={query.error} />;
  else if (query.data?.length) body = <EChart option={option} theme={theme} ariaLabel={ariaLabel} {...(onItemClick ? { onItemClick } : {})} />;
  else if (query.isPending) body = <LoadingState />;
  else body = <EmptyState />;
  return (
    <Panel title={title} className={className}>
      {body}
    </Panel>
  );
}

/** Ranking of child units whose bars drill into the clicked unit. */
export function ChildRankingPanel<Row extends { code: string; name: string }>(
  props: Omit<ChartPanelProps, 'onItemClick'> & { rows: readonly Row[]; onUnitClick: (code: string, name: string) => void },
) {
  const { rows, onUnitClick, ...panel } = props;
  return (
    <ChartPanel
      {...panel}
      onItemClick={(data) => {
        const row = rows.find((r) => r.code === (data as { code?: string } | undefined)?.code);
        if (row) onUnitClick(row.code, row.name);
      }}
    />
  );
}
