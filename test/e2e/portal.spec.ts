import { test, expect } from '@playwright/test';

test('guest signs in and sees this project in the catalog', async ({
  page,
  request,
}) => {
  await page.goto('/');

  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible();
  await enter.click();

  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await expect(
    nav.getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();

  // The catalog is the landing page: the project's own System is listed
  // under "Systems", its Components under the default kind.
  await expect(
    page.getByRole('link', { name: 'Cloud-Native Portal' }),
  ).toBeVisible();
  await page.screenshot({
    path: 'test-results/screenshots/catalog.png',
    fullPage: true,
  });

  await page.getByRole('link', { name: 'Cloud-Native Portal' }).click();
  await expect(
    page.getByText('cloud-native-orchestrator').first(),
  ).toBeVisible();

  // The scaffolder backend answers with its actions (guest token from the app)
  const token = await page.evaluate(async () => {
    const res = await fetch(
      'http://localhost:7007/api/auth/guest/refresh?optional&env=development',
      {
        credentials: 'include',
        headers: { 'x-requested-with': 'XMLHttpRequest' },
      },
    );
    const body = await res.json();
    return body.backstageIdentity.token as string;
  });
  const actions = await request.get(
    'http://localhost:7007/api/scaffolder/v2/actions',
    { headers: { Authorization: `Bearer ${token}` } },
  );
  expect(actions.ok()).toBe(true);
  const ids = ((await actions.json()) as { id: string }[]).map(a => a.id);
  expect(ids).toContain('fetch:template');
});
