import { Anchor, AppShell, Burger, Button, Group, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { useSignOut } from '../api/session';
import { useSignedIn } from './guards';
import { LanguageSwitcher } from '../components/LanguageSwitcher';
import { SessionLock } from '../components/protect/SessionLock';
import { QuickHideButton } from '../components/protect/QuickHide';

/**
 * The frame of every signed-in page: a header with the application's name, the account, the
 * language, quick hide and sign-out; the navigation in a column on the left (behind a button on
 * narrow screens); the page in <main>. Link only to pages that exist. Each link is one
 * `<Anchor component={NavLink}>` in the list below: add yours where it belongs.
 */
export function Shell() {
  const { t } = useTranslation();
  const session = useSignedIn();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const [opened, { toggle, close }] = useDisclosure(false);
  const name = session.user.displayName ?? session.user.username;
  return (
    <SessionLock username={session.user.username}>
      <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
        <a href="#main" className="skip-link">
          {t('app.skipToContent')}
        </a>
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap">
            <Group gap="sm" wrap="nowrap">
              <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.toggle')} aria-expanded={opened} aria-controls="main-navigation" />
              <Title order={2} size="h4" component="p">
                {t('app.name')}
              </Title>
            </Group>
            <Group gap="sm" wrap="nowrap">
              <Text size="sm" data-testid="signed-in-as" visibleFrom="md">
                {t('header.signedInAs', { name })}
              </Text>
              <LanguageSwitcher />
              <QuickHideButton />
              <Button size="xs" variant="outline" style={{ flexShrink: 0 }} loading={signOut.isPending} onClick={() => signOut.mutate(undefined, { onSettled: () => void navigate('/sign-in', { replace: true }) })}>
                {t('header.signOut')}
              </Button>
            </Group>
          </Group>
        </AppShell.Header>
        <AppShell.Navbar p="sm" component="nav" id="main-navigation" aria-label={t('nav.main')}>
          <Stack gap={2} className="main-nav" onClick={close}>
            <Anchor component={NavLink} to="/" end>
              {t('nav.home')}
            </Anchor>
            <Anchor component={NavLink} to="/dashboard">
              {t('nav.dashboard')}
            </Anchor>
            <Anchor component={NavLink} to="/intake">
              {t('nav.intake')}
            </Anchor>
            <Anchor component={NavLink} to="/evidence/upload">
              {t('nav.addEvidence')}
            </Anchor>
            <Anchor component={NavLink} to="/imports">
              {t('imports.nav')}
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
            <Anchor component={NavLink} to="/translations">
              {t('translations.nav')}
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
            {(session.user.role === 'administrator' || session.user.role === 'coordinator') && (
              <Anchor component={NavLink} to={session.user.role === 'administrator' ? '/admin/users' : '/admin/vocabularies'}>
                {t('nav.admin')}
              </Anchor>
            )}
            <Anchor href="/api/docs">{t('nav.apiDocs')}</Anchor>
          </Stack>
        </AppShell.Navbar>
        <AppShell.Main id="main">
          <Outlet context={session} />
        </AppShell.Main>
      </AppShell>
    </SessionLock>
  );
}
