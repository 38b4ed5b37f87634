import { createBrowserRouter } from 'react-router';
import { RequireEnrolment, RequireSession, RequireSignedOut, RouteError } from './guards';
import { PublicLayout } from './PublicLayout';
import { Shell } from './Shell';
import { SignInPage } from '../pages/SignInPage';

/**
 * Every page of the application. Pages a user reaches only after signing in are loaded lazily, so
 * the first load fetches the sign-in page alone (measured by scripts/bundle-size.ts).
 *
 * To add a page: a component in pages/ (default export or named `Component`), a route below inside
 * the Shell (signed in) with `lazy`, a link in Shell's navigation, and its strings in i18n/*.json.
 */
export function createAppRouter() {
  return createBrowserRouter([
    {
      element: <PublicLayout />,
      errorElement: <RouteError />,
      children: [
        { element: <RequireSignedOut />, children: [{ path: '/sign-in', element: <SignInPage /> }] },
        { path: '/unseal', lazy: async () => ({ Component: (await import('../pages/UnsealPage')).UnsealPage }) },
        { element: <RequireEnrolment />, children: [{ path: '/enrol', lazy: async () => ({ Component: (await import('../pages/EnrolPage')).EnrolPage }) }] },
      ],
    },
    {
      element: <RequireSession />,
      errorElement: <RouteError />,
      children: [
        {
          element: <Shell />,
          children: [
            { path: '/', lazy: async () => ({ Component: (await import('../pages/HomePage')).HomePage }) },
            { path: '/dashboard', lazy: async () => ({ Component: (await import('../pages/dashboard/DashboardPage')).DashboardPage }) },
            { path: '/timeline', lazy: async () => ({ Component: (await import('../pages/views/TimelinePage')).TimelinePage }) },
            { path: '/map', lazy: async () => ({ Component: (await import('../pages/views/MapPage')).MapPage }) },
            { path: '/network', lazy: async () => ({ Component: (await import('../pages/views/NetworkPage')).NetworkPage }) },
            { path: '/intake', lazy: async () => ({ Component: (await import('../pages/intake/IntakePage')).IntakePage }) },
            { path: '/search', lazy: async () => ({ Component: (await import('../pages/search/SearchPage')).SearchPage }) },
            { path: '/evidence/upload', lazy: async () => ({ Component: (await import('../pages/evidence/EvidenceUploadPage')).EvidenceUploadPage }) },
            { path: '/evidence/:id', lazy: async () => ({ Component: (await import('../pages/evidence/EvidenceItemPage')).EvidenceItemPage }) },
            { path: '/evidence/:id/redact', lazy: async () => ({ Component: (await import('../pages/evidence/EvidenceRedactPage')).EvidenceRedactPage }) },
            { path: '/imports', lazy: async () => ({ Component: (await import('../pages/imports/ImportsHubPage')).ImportsHubPage }) },
            { path: '/imports/list', lazy: async () => ({ Component: (await import('../pages/imports/ListImportPage')).ListImportPage }) },
            { path: '/imports/telegram', lazy: async () => ({ Component: (await import('../pages/imports/TelegramImportPage')).TelegramImportPage }) },
            { path: '/imports/folder', lazy: async () => ({ Component: (await import('../pages/imports/FolderImportPage')).FolderImportPage }) },
            { path: '/imports/web-capture', lazy: async () => ({ Component: (await import('../pages/imports/WebCaptureImportPage')).WebCaptureImportPage }) },
            { path: '/imports/interchange', lazy: async () => ({ Component: (await import('../pages/imports/InterchangePage')).InterchangePage }) },
            { path: '/records', lazy: async () => ({ Component: (await import('../pages/records/RecordsIndexPage')).RecordsIndexPage }) },
            { path: '/records/:type', lazy: async () => ({ Component: (await import('../pages/records/RecordsListPage')).RecordsListPage }) },
            { path: '/records/:type/new', lazy: async () => ({ Component: (await import('../pages/records/RecordFormPage')).RecordFormPage }) },
            { path: '/records/:type/:id', lazy: async () => ({ Component: (await import('../pages/records/RecordDetailPage')).RecordDetailPage }) },
            { path: '/records/:type/:id/edit', lazy: async () => ({ Component: (await import('../pages/records/RecordFormPage')).RecordFormPage }) },
            { path: '/records/:type/:id/translate', lazy: async () => ({ Component: (await import('../pages/translations/TranslatePage')).TranslatePage }) },
            { path: '/translations', lazy: async () => ({ Component: (await import('../pages/translations/TranslationQueuePage')).TranslationQueuePage }) },
            { path: '/records/testimonies/:id/redact', lazy: async () => ({ Component: (await import('../pages/evidence/TestimonyRedactPage')).TestimonyRedactPage }) },
            { path: '/cases/:id', lazy: async () => ({ Component: (await import('../pages/cases/CaseWorkspacePage')).CaseWorkspacePage }) },
            { path: '/admin/users', lazy: async () => ({ Component: (await import('../pages/admin/UsersPage')).UsersPage }) },
            { path: '/admin/compartments', lazy: async () => ({ Component: (await import('../pages/admin/CompartmentsPage')).CompartmentsPage }) },
            { path: '/admin/vocabularies', lazy: async () => ({ Component: (await import('../pages/admin/VocabulariesPage')).VocabulariesPage }) },
            { path: '/admin/vault', lazy: async () => ({ Component: (await import('../pages/admin/VaultPage')).VaultPage }) },
            { path: '/admin/ledger', lazy: async () => ({ Component: (await import('../pages/admin/LedgerPage')).LedgerPage }) },
            { path: '/admin/jobs', lazy: async () => ({ Component: (await import('../pages/admin/JobsPage')).JobsPage }) },
            { path: '*', lazy: async () => ({ Component: (await import('../pages/NotFoundPage')).NotFoundPage }) },
          ],
        },
      ],
    },
  ]);
}
