// Sets form fields by their labels, as a user does: a select gets the option chosen, any other field is typed in.
// A label given as a string matches as Playwright's getByLabel does (a part of the label); a RegExp for exactness.
import type { Locator } from 'playwright-core';

export async function fillFields(
  scope: Locator,
  fields: [label: string | RegExp, value: string][],
): Promise<void> {
  for (const [label, value] of fields) {
    const field = scope.getByLabel(label);
    if ((await field.evaluate((element) => element.tagName)) === 'SELECT') await field.selectOption(value);
    else await field.fill(value);
  }
}
