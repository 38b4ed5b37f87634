import { Alert, Anchor, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCompartments } from '../api/session';
import { useSignedIn } from '../app/guards';
import { useVaultStatus } from '../api/vault';
import { ErrorNotice } from '../components/ErrorNotice';
import { useFormat } from '../i18n/format';
import { roleLabel } from '../i18n/roles';

/** Who you are: account role, compartments and your role in each, when the session ends. */
export function HomePage() {
  const { t } = useTranslation();
  const f = useFormat();
  const session = useSignedIn();
  const compartments = useCompartments();
  const isAdmin = session.user.role === 'administrator';
  const vault = useVaultStatus(isAdmin);
  const name = session.user.displayName ?? session.user.username;
  return (
    <Stack gap="lg" maw={900}>
      <Title order={1}>{t('home.welcome', { name })}</Title>
      {vault.data?.sealed && (
        <Alert color="orange" variant="light">
          {t('home.vaultSealed')}{' '}
          <Anchor component={Link} to="/unseal">
            {t('unseal.title')}
          </Anchor>
        </Alert>
      )}
      <Text>{t('home.accountRole', { role: roleLabel(t, session.user.role) })}</Text>
      {session.expiresAt && <Text>{t('home.sessionEnds', { time: f.dateTime(session.expiresAt) })}</Text>}
      <section aria-labelledby="compartments-title">
        <Title order={2} id="compartments-title" mb="sm">
          {t('home.compartments')}
        </Title>
        {compartments.isError && <ErrorNotice error={compartments.error} />}
        {compartments.data &&
          (compartments.data.length === 0 ? (
            <Text>{t('home.noCompartments')}</Text>
          ) : (
            <>
              <Text mb="sm">{t('home.compartmentCount', { count: compartments.data.filter((c) => c.myRole).length })}</Text>
              <Table striped withTableBorder>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('home.compartmentName')}</Table.Th>
                    <Table.Th scope="col">{t('home.compartmentRole')}</Table.Th>
                    <Table.Th scope="col">{t('home.compartmentMembers')}</Table.Th>
                    <Table.Th scope="col">{t('home.compartmentCreated')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {compartments.data.map((c) => (
                    <Table.Tr key={c.id}>
                      <Table.Td>{c.name}</Table.Td>
                      <Table.Td>{c.myRole ? roleLabel(t, c.myRole) : t('home.noRoleThere')}</Table.Td>
                      <Table.Td>{f.number(c.memberCount)}</Table.Td>
                      <Table.Td>{f.date(c.createdAt)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </>
          ))}
      </section>
      <Text>
        {t('home.nextPages')}{' '}
        <Anchor href="/api/docs">{t('nav.apiDocs')}</Anchor>
      </Text>
    </Stack>
  );
}
