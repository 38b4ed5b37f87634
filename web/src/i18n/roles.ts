import type { TFunction } from 'i18next';
import type { Role } from '../api/session';

/** A role's name in the UI's language: literal keys, so the catalog test sees each one used. */
export function roleLabel(t: TFunction, role: Role): string {
  switch (role) {
    case 'administrator':
      return t('role.administrator');
    case 'coordinator':
      return t('role.coordinator');
    case 'documenter':
      return t('role.documenter');
    case 'analyst':
      return t('role.analyst');
    case 'translator':
      return t('role.translator');
    case 'lawyer':
      return t('role.lawyer');
    case 'viewer':
      return t('role.viewer');
  }
}
