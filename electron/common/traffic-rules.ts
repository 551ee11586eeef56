// The checks the traffic form makes before the server does (pure, shared by the engine and the UI so the form and
// the engine refuse the same rows with the same words): the percentages add up to 100, each tag names one target
// and keeps `<tag>-<service>` a DNS label, revisions exist, and a row without a tag carries traffic.
import { LATEST } from './schemas/manage';
import type { TrafficRow } from './schemas/manage';

/** Problems with the rows, each naming its row (`rows.2.tag`); empty when the server may be asked. */
export function trafficProblems(
  rows: TrafficRow[],
  service: string,
  revisions: readonly string[],
): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  const sum = rows.reduce((total, row) => total + row.percent, 0);
  if (sum !== 100) {
    problems.push({
      field: 'rows',
      message: `The percentages add up to ${sum}; they must add up to 100.`,
    });
  }
  const seenTags = new Map<string, number>();
  rows.forEach((row, index) => {
    if (row.revision !== LATEST && !revisions.includes(row.revision)) {
      problems.push({
        field: `rows.${index}.revision`,
        message: `No revision "${row.revision}" of ${service}.`,
      });
    }
    if (row.tag === '') {
      if (row.percent === 0) {
        problems.push({
          field: `rows.${index}.percent`,
          message: 'A row without a tag must carry traffic (give it a percent or a tag).',
        });
      }
      return;
    }
    const first = seenTags.get(row.tag);
    if (first !== undefined) {
      problems.push({
        field: `rows.${index}.tag`,
        message: `The tag "${row.tag}" is already used by row ${first + 1}; each tag names one target.`,
      });
    } else {
      seenTags.set(row.tag, index);
    }
    if (`${row.tag}-${service}`.length > 63) {
      problems.push({
        field: `rows.${index}.tag`,
        message: `"${row.tag}-${service}" would be longer than 63 characters (the tag's host name).`,
      });
    }
  });
  return problems;
}
