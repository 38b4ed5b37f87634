import { Anchor, AppShell, Button, Group, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { useSignOut } from '../api/session';
import { useSignedIn } from './guards';
import { LanguageSwitcher } from '../components/LanguageSwitcher';
import { SessionLock } from '../components/protect/SessionLock';
import { QuickHideButton } from '../components/protect/QuickHide';

/**
 * The frame of every signed-in page: a header with the application's name, navigation, the
 * account, the language and sign-out; the page in <main>. Link only to pages that exist.
 */
export function Shell() {
  const { t } = useTranslation();
  const session = useSignedIn();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const name = session.user.displayName ?? session.user.username;
  return (
    <SessionLock username={session.user.username}>
    <AppShell header={{ height: 56 }} padding="md">
      <a href="#main" className="skip-link">
        {t('app.skipToContent')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="lg" wrap="nowrap">
            <Title order={2} size="h4" component="p">
              {t('app.name')}
            </Title>
            <Group component="nav" aria-label={t('nav.main')} gap="md">
              <Anchor component={NavLink} to="/" end>
                {t('nav.home')}
              </Anchor>
              <Anchor component={NavLink} to="/records">
                {t('nav.records')}
              </Anchor>
              <Anchor component={NavLink} to="/records/cases">
                {t('nav.cases')}
              </Anchor>
              <Anchor component={NavLink} to="/search">
                {t('nav.search')}
              </Anchor>
              <Anchor component={NavLink} to="/evidence/upload">
                {t('nav.addEvidence')}
              </Anchor>
              <Anchor component={NavLink} to="/dashboard">
                {t('nav.dashboard')}
              </Anchor>
              <Anchor component={NavLink} to="/timeline">
                {t('nav.timeline')}
              </Anchor>
              <Anchor component={NavLink} to="/map">
                {t('nav.map')}
              </Anchor>
              <Anchor component={NavLink} to="/network">
                {t('nav.network')}
              </Anchor>
              <Anchor component={NavLink} to="/intake">
                {t('nav.intake')}
              </Anchor>
              <Anchor href="/api/docs">{t('nav.apiDocs')}</Anchor>
            </Group>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" data-testid="signed-in-as">
              {t('header.signedInAs', { name })}
            </Text>
            <LanguageSwitcher />
            <QuickHideButton />
            <Button size="xs" variant="outline" loading={signOut.isPending} onClick={() => signOut.mutate(undefined, { onSettled: () => void navigate('/sign-in', { replace: true }) })}>
              {t('header.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main id="main">
        <Outlet context={session} />
      </AppShell.Main>
    </AppShell>
    </SessionLock>
  );
}
