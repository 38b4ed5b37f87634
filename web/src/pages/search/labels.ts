import type { TFunction } from 'i18next';

/**
 * Names of record types and statuses in the UI's language (literal keys, so the catalog test can
 * check them); an unknown value from a newer server is shown as it is.
 */
export function typeLabel(t: TFunction, type: string): string {
  switch (type) {
    case 'evidence': return t('search.types.evidence');
    case 'events': return t('search.types.events');
    case 'persons': return t('search.types.persons');
    case 'person-names': return t('search.types.personNames');
    case 'units': return t('search.types.units');
    case 'positions': return t('search.types.positions');
    case 'places': return t('search.types.places');
    case 'facilities': return t('search.types.facilities');
    case 'acts': return t('search.types.acts');
    case 'detentions': return t('search.types.detentions');
    case 'custody-stays': return t('search.types.custodyStays');
    case 'proceedings': return t('search.types.proceedings');
    case 'charges': return t('search.types.charges');
    case 'sentences': return t('search.types.sentences');
    case 'involvements': return t('search.types.involvements');
    case 'information': return t('search.types.information');
    case 'consents': return t('search.types.consents');
    case 'testimonies': return t('search.types.testimonies');
    case 'medical-findings': return t('search.types.medicalFindings');
    case 'cases': return t('search.types.cases');
    case 'qualifications': return t('search.types.qualifications');
    case 'qualification-elements': return t('search.types.qualificationElements');
    case 'messages': return t('search.types.messages');
    default: return type;
  }
}

export function statusLabel(t: TFunction, status: string): string {
  switch (status) {
    case 'alleged': return t('search.statuses.alleged');
    case 'corroborated': return t('search.statuses.corroborated');
    case 'verified': return t('search.statuses.verified');
    case 'draft': return t('search.statuses.draft');
    case 'in-preparation': return t('search.statuses.inPreparation');
    case 'submitted': return t('search.statuses.submitted');
    case 'closed': return t('search.statuses.closed');
    default: return status;
  }
}

/** A date as the API gives it (YYYY, YYYY-MM or a full date/time): full dates through Intl, partial ones as they are. */
export function hitDate(date: string, formatDate: (iso: string) => string): string {
  return /^\d{4}-\d{2}-\d{2}/.test(date) ? formatDate(date.length === 10 ? `${date}T00:00:00` : date) : date;
}
