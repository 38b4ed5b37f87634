import type { Locator, Page } from 'playwright-core';
import type { ApiClient } from './harness.js';

/** Helpers of the case workspace browser test. */

const exact = (s: string) => new RegExp(`^${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*\\*?$`);

/** The input of a labelled field (a required field's label ends in "*"). */
export function field(scope: Page | Locator, label: string): Locator {
  return scope
    .getByRole('textbox', { name: exact(label) })
    .or(scope.getByRole('combobox', { name: exact(label) }))
    .or(scope.locator('input').and(scope.getByLabel(exact(label))))
    .first();
}

/** Picks an option of a Mantine Select named by its label: opens it and clicks the option (the first when none is named). */
export async function choose(page: Page, scope: Page | Locator, label: string, option?: string): Promise<void> {
  await field(scope, label).click();
  await (option ? page.getByRole('option', { name: option, exact: true }) : page.getByRole('listbox').getByRole('option').first()).click();
}

/** Waits until the search API finds `q` among records of `type` (evidence is indexed by a job). */
export async function waitUntilFound(api: ApiClient, type: string, q: string, id: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await api.call<{ items: { id: string }[] }>('GET', `/api/v1/search?${new URLSearchParams({ q, type, limit: '10', facets: 'false' })}`);
    if (r.status === 200 && r.body.items.some((h) => h.id === id)) return;
    if (Date.now() > until) throw new Error(`search did not find ${type} ${id} by "${q}" within ${timeoutMs} ms: ${JSON.stringify(r.body)}`);
    await new Promise((ok) => setTimeout(ok, 300));
  }
}

/** An English vocabulary label by code. */
export async function termLabelEn(api: ApiClient, vocabulary: string, code: string): Promise<string> {
  const v = (await api.call<{ terms: { code: string; labels: { en: string } }[] }>('GET', `/api/v1/vocabularies/${vocabulary}`)).body;
  const term = v.terms.find((x) => x.code === code);
  if (!term) throw new Error(`no term ${code} in ${vocabulary}`);
  return term.labels.en;
}
