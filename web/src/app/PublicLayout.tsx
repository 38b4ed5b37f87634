import { Container, Group, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Outlet } from 'react-router';
import { LanguageSwitcher } from '../components/LanguageSwitcher';

/** Pages before the shell: sign-in, second-factor enrolment, unsealing. */
export function PublicLayout() {
  const { t } = useTranslation();
  return (
    <>
      <Group component="header" justify="space-between" px="md" py="sm" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <Title order={2} size="h4" component="p">
          {t('app.name')}
        </Title>
        <LanguageSwitcher />
      </Group>
      <Container component="main" size={460} py="xl" id="main">
        <Outlet />
      </Container>
    </>
  );
}
