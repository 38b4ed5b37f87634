import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/**
 * THE BOUNDARY for a person's identity (issue 7, item 10: protect the person at the screen).
 * Record pages show persons by pseudonym only and render this component where the identity
 * belongs: on a person's page (`mode="detail"`, with whether an identity is stored and whether the
 * caller may reveal it, from the record's `hidden` and `permissions.revealIdentity`) and in the
 * person form (`mode="form"`). Revealing (POST /api/v1/persons/{id}/reveal with a reason) and
 * entering an identity are built here by item 10; until then it says where the identity is.
 */
export interface PersonIdentitySlotProps {
  mode: 'detail' | 'form';
  personId?: string;
  /** An identity is stored (the record's `hidden` lists `identity`). */
  hasIdentity?: boolean;
  /** The caller may reveal it (the record's `permissions.revealIdentity`). */
  canReveal?: boolean;
}

export function PersonIdentitySlot({ mode, hasIdentity }: PersonIdentitySlotProps) {
  const { t } = useTranslation();
  return (
    <Alert variant="light" color="gray" data-slot="person-identity" title={t('records.identity.title')}>
      {mode === 'form' ? t('records.identity.formNote') : hasIdentity ? t('records.identity.stored') : t('records.identity.none')}
    </Alert>
  );
}
