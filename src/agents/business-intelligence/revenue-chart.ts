import type { TopLevelSpec } from 'vega-lite';
import { compileVegaLite } from './vega-lite.loader.js';

export interface MonthlyPoint {
  month: string;
  currency: string;
  /** Major units, for drawing only (the figures themselves stay exact elsewhere). */
  amount: number;
}

/**
 * Monthly revenue as a PNG: a Vega-Lite bar chart rendered to SVG by Vega (no browser), then
 * rasterised by resvg. Months without revenue show as empty bars; currencies side by side.
 * The drawing libraries load with the first chart (vega-lite through its loader, see there why).
 */
export async function renderRevenueChart(points: MonthlyPoint[], months: string[], title: string): Promise<Buffer> {
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 560,
    height: 260,
    background: 'white',
    data: { values: points },
    mark: { type: 'bar', tooltip: false },
    encoding: {
      x: { field: 'month', type: 'ordinal', title: null, scale: { domain: months }, axis: { labelAngle: 0 } },
      xOffset: { field: 'currency' },
      y: { field: 'amount', type: 'quantitative', title: 'invoiced', axis: { format: ',.0f' } },
      color: { field: 'currency', type: 'nominal', title: null },
    },
  };
  // One after the other: vega-lite and vega share modules, and Jest's ESM loader trips over
  // overlapping graphs imported at once.
  const compiled = await compileVegaLite(spec);
  const vega = await import('vega');
  const { Resvg } = await import('@resvg/resvg-js');
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return Buffer.from(
    new Resvg(svg, { fitTo: { mode: 'zoom', value: 2 }, font: { loadSystemFonts: true } }).render().asPng(),
  );
}

/** The last `n` months as YYYY-MM, oldest first, ending with the month of `today` (YYYY-MM-DD). */
export function lastMonths(n: number, today: string): string[] {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7)) - 1;
  return Array.from({ length: n }, (_, i) => {
    const d = new Date(Date.UTC(year, month - (n - 1 - i), 1));
    return d.toISOString().slice(0, 7);
  });
}
