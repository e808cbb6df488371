// Shared fixtures and helpers of the end-to-end suite (not a spec file).
import {
  test as base,
  expect,
  type Browser,
  type BrowserContext,
  type ConsoleMessage,
  type Page,
} from '@playwright/test';

/** The password `zi demo` gives every demo account. */
export const DEMO_PASSWORD = 'zi-demo-2026';

/** The accounts `zi demo` seeds. */
export const DEMO = {
  admin: { username: 'admin', fullName: 'Administrator Instansi' },
  unit: { username: 'unit', fullName: 'Rina Anggota Unit' },
  aduan: { username: 'aduan', fullName: 'Dedi Anggota Pengaduan' },
  tpi: { username: 'tpi', fullName: 'Budi Penilai TPI' },
  pimpinan: { username: 'pimpinan', fullName: 'Sri Pimpinan' },
} as const;

export type Language = 'id' | 'en';

/** A code/username that no earlier test or retry has used. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
}

/** Sets the interface language the way the switch does: the `i18n_pref_locale` cookie. */
export async function pinLanguage(context: BrowserContext, baseURL: string, language: Language) {
  await context.clearCookies({ name: 'i18n_pref_locale' });
  await context.addCookies([{ name: 'i18n_pref_locale', value: language, url: baseURL }]);
}

/**
 * Marks the moment the app's wasm has been instantiated. The Leptos loader
 * instantiates the module and calls `hydrate()` in the same promise chain, so
 * a task queued after instantiation runs after hydration has happened.
 */
function hydrationProbe() {
  const w = window as unknown as { __e2eHydrated?: boolean };
  w.__e2eHydrated = false;
  // Frames without WebAssembly (the PDF viewer of an evidence preview) have nothing to hydrate.
  if (typeof WebAssembly === 'undefined') return;
  for (const name of ['instantiateStreaming', 'instantiate'] as const) {
    const original = WebAssembly[name] as (...args: unknown[]) => Promise<unknown>;
    if (typeof original !== 'function') continue;
    (WebAssembly as unknown as Record<string, unknown>)[name] = function (
      this: unknown,
      ...args: unknown[]
    ) {
      return original.apply(this, args).then((result) => {
        setTimeout(() => {
          w.__e2eHydrated = true;
        }, 0);
        return result;
      });
    };
  }
}

/** Whether the current document loads the browser app (only the interactive pages do). */
export async function loadsApp(page: Page): Promise<boolean> {
  return (await page.locator('link[rel="preload"][href$=".wasm"]').count()) > 0;
}

/**
 * Waits until the wasm app has hydrated the current document. A page that
 * loads no app (most pages: complete as HTML, forms posted without JavaScript)
 * is ready as it is.
 */
export async function waitForHydration(page: Page) {
  if (!(await loadsApp(page))) return;
  await page.waitForFunction(
    () => (window as unknown as { __e2eHydrated?: boolean }).__e2eHydrated === true,
    undefined,
    { timeout: 15_000 },
  );
}

/** Console output a test should not produce; form errors the server answers with 4xx are expected. */
export function isUnexpectedConsoleError(message: ConsoleMessage): boolean {
  if (message.type() !== 'error') return false;
  const url = message.location().url ?? '';
  if (/\/favicon\.ico$/.test(url)) return false;
  const text = message.text();
  if (/Failed to load resource: the server responded with a status of 4\d\d/.test(text)) {
    // A server function refusing a form (401 wrong password, 409 taken, 422 invalid …).
    if (/\/api\//.test(url)) return false;
  }
  return true;
}

type Fixtures = {
  /** The interface language the test starts in (cookie set before the first page). */
  language: Language;
  /** Console errors and uncaught page errors seen so far in this test. */
  pageProblems: string[];
  /** Signs in through the login form and checks the home page appears. */
  logIn: (page: Page, username: string, password?: string) => Promise<void>;
};

export const test = base.extend<Fixtures>({
  language: ['id', { option: true }],

  context: async ({ context, baseURL, language }, use) => {
    await context.clearCookies();
    await pinLanguage(context, baseURL!, language);
    await context.addInitScript(hydrationProbe);
    await use(context);
  },

  pageProblems: [
    async ({ context }, use, testInfo) => {
      const problems: string[] = [];
      context.on('console', (message) => {
        if (isUnexpectedConsoleError(message)) {
          problems.push(`console.error: ${message.text()} (${message.location().url})`);
        }
      });
      context.on('weberror', (error) => {
        problems.push(`page error: ${error.error().message}`);
      });
      await use(problems);
      // Every test also fails on a wasm panic or a script/resource error.
      if (testInfo.status === testInfo.expectedStatus) {
        expect(problems, 'console errors or page errors during the test').toEqual([]);
      }
    },
    { auto: true },
  ],

  logIn: async ({ language }, use) => {
    await use((page, username, password = DEMO_PASSWORD) =>
      logInAs(page, username, password, { language }),
    );
  },
});

export { expect };

/**
 * Signs in through the login form (a plain form: the login page loads no app)
 * and checks the home page appears.
 */
export async function logInAs(
  page: Page,
  username: string,
  password: string,
  { language }: { language: Language },
) {
  const t =
    language === 'en'
      ? { id: 'Username or e-mail', pw: 'Password', submit: 'Sign in', hello: 'Welcome' }
      : { id: 'Nama pengguna atau e-mail', pw: 'Kata sandi', submit: 'Masuk', hello: 'Selamat datang' };
  await page.goto('/login');
  await page.getByLabel(t.id, { exact: true }).fill(username);
  await page.getByLabel(t.pw, { exact: true }).fill(password);
  await page.getByRole('button', { name: t.submit, exact: true }).click();
  await expect(page).toHaveURL((url) => url.pathname === '/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(new RegExp(`^${t.hello}, `));
}

/** A second, independent browser session (own cookies), prepared like the test's own. */
export async function freshContext(browser: Browser, baseURL: string, language: Language) {
  const context = await browser.newContext({ baseURL, locale: language === 'en' ? 'en-US' : 'id-ID' });
  await pinLanguage(context, baseURL, language);
  await context.addInitScript(hydrationProbe);
  return context;
}

/** The header navigation of a signed-in user. */
export function mainNav(page: Page, language: Language = 'id') {
  return page.getByRole('navigation', {
    name: language === 'en' ? 'Main navigation' : 'Navigasi utama',
  });
}

/** The path of the current page, without query. */
export function pathOf(page: Page): string {
  return new URL(page.url()).pathname;
}
