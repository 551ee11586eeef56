// One line per figure, the format every bench prints and `npm run -s bench` passes through:
// `name: value unit (reference-name reference unit, ratio)`, the reference measured in the same run.
export function reportFigure(
  name: string,
  value: number,
  unit: string,
  referenceName: string,
  reference: number,
): void {
  const ratio = reference === 0 ? 'n/a' : (value / reference).toFixed(2);
  const format = (n: number) => n.toFixed(n < 10 ? 2 : 1);
  console.log(`${name}: ${format(value)} ${unit} (${referenceName} ${format(reference)} ${unit}, ${ratio})`);
}

/** One figure: its name, value and unit, and the reference measured in the same run (name, value). */
export type Figure = readonly [
  name: string,
  value: number,
  unit: string,
  referenceName: string,
  reference: number,
];

/** Reports figures listed as a table, one `reportFigure` line each. */
export function reportFigures(figures: readonly Figure[]): void {
  for (const figure of figures) reportFigure(...figure);
}
