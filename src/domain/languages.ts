/**
 * Language tags (BCP 47) as translations name their languages: the canonical form of a tag whose
 * first part is a 2–3 letter language (`BE-latn` → `be-Latn`), at most 35 characters; undefined for
 * anything else (`english`, `be_BY`, `und`, private use).
 *
 * @example canonicalLanguageTag('UK') // 'uk'
 */
export function canonicalLanguageTag(input: string): string | undefined {
  let tag: string | undefined;
  try {
    tag = input.length <= 35 ? Intl.getCanonicalLocales(input)[0] : undefined;
  } catch {
    return undefined;
  }
  if (!tag || !/^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(tag) || tag === 'und' || tag.startsWith('und-')) return undefined;
  return tag;
}

/** The languages translations are offered in when none are configured (LETAPIS_TRANSLATION_LANGUAGES). */
export const DEFAULT_TRANSLATION_LANGUAGES: readonly string[] = ['be', 'ru', 'en'];
