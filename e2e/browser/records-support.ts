import type { Locator, Page } from 'playwright-core';
import en from '../../web/src/i18n/en/core.json' with { type: 'json' };

/**
 * Helpers of the records browser test: the Mantine inputs the record forms are made of, driven as
 * a keyboard or mouse user would (second factors and sign-in: harness.ts).
 */

const exact = (s: string) => new RegExp(`^${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*\\*?$`);

/** The input of a labelled field (required fields carry a "*" in their label). */
export function field(scope: Page | Locator, label: string): Locator {
  return scope
    .getByRole('textbox', { name: exact(label) })
    .or(scope.getByRole('combobox', { name: exact(label) }))
    .or(scope.locator('input').and(scope.getByLabel(exact(label))))
    .first();
}

/** Chooses an option of a (searchable) select by typing part of it and picking it from the list. */
export async function choose(page: Page, scope: Page | Locator, label: string, option: string, typed = option.slice(0, 4)): Promise<void> {
  const input = field(scope, label);
  if (await input.isEditable()) {
    // a multi-select's inner field may have no width left beside its chosen values: type into it
    await input.focus();
    await page.keyboard.type(typed);
  } else await input.click();
  await page.getByRole('option', { name: option, exact: true }).click();
  // a multi-select stays open for more: close it by leaving it (not with Escape: twice quickly hides the screen)
  await page.locator('h1').first().click();
}

/** Sets an approximate date: its precision, then the value in that precision's form. */
export async function fuzzyDate(page: Page, groupName: string, precision: string, value: string, labels: { precision: string; value: string }): Promise<void> {
  const group = page.getByRole('group', { name: exact(groupName) });
  await field(group, labels.precision).click();
  await page.getByRole('option', { name: precision, exact: true }).click();
  await field(group, labels.value).fill(value);
}
