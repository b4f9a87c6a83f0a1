import { test, expect, Page } from '@playwright/test';

async function signIn(page: Page) {
  await page.goto('/');
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible();
  await enter.click();
  await expect(
    page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
}

test('an example entity shows tier, skill trace, validation and cost', async ({
  page,
}) => {
  await signIn(page);
  await page.goto('/catalog/default/component/shop');
  await page.getByText('Deployment', { exact: true }).first().click();
  await expect(page).toHaveURL(/\/cloud-native$/);

  const visible = (text: string | RegExp) =>
    page.getByText(text).filter({ visible: true }).first();
  await expect(visible('Tier: T2')).toBeVisible();
  await expect(visible('kubernetes-manifest-generator')).toBeVisible();
  await expect(visible(/kubernetes.manifests/i)).toBeVisible();
  await expect(visible(/\$\s?[0-9,]+\.[0-9]{2}/)).toBeVisible();
  await page.screenshot({
    path: 'test-results/screenshots/entity-deployment-tab.png',
    fullPage: true,
  });
});

test('the Create flow generates a package and the new entity has its tab', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const name = `e2e-${Date.now().toString(36)}`;
  await signIn(page);
  await page.goto('/create');
  await page
    .getByRole('article')
    .filter({ hasText: 'Cloud-native deployment package' })
    .getByRole('button', { name: 'Choose' })
    .click();

  // Application
  await page.getByLabel('Name').first().fill(name);
  const owner = page.getByLabel('Owner').first();
  await owner.click();
  await owner.fill('platform-team');
  await page
    .getByRole('option', { name: /platform-team/ })
    .first()
    .click();
  await page.getByRole('button', { name: 'Next' }).click();
  // Platform and cloud: defaults (platform-agnostic, T2)
  await page.getByRole('button', { name: 'Next' }).click();
  // Services: the default service
  await page.getByRole('button', { name: 'Next' }).click();
  // Deployment plan: the live preview computed in the browser
  await expect(
    page.getByText(/kubernetes-manifest-generator/).first(),
  ).toBeVisible();
  await page.screenshot({
    path: 'test-results/screenshots/create-plan-preview.png',
    fullPage: true,
  });
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  const open = page
    .getByRole('link', { name: 'Open in the catalog' })
    .or(page.getByRole('button', { name: 'Open in the catalog' }))
    .first();
  await expect(open).toBeVisible({ timeout: 240_000 });
  await page.screenshot({
    path: 'test-results/screenshots/create-done.png',
    fullPage: true,
  });

  // The catalog processes the new file location within a few seconds
  await expect(async () => {
    await page.goto(`/catalog/default/component/${name}/cloud-native`);
    await expect(
      page
        .getByText('kubernetes-manifest-generator')
        .filter({ visible: true })
        .first(),
    ).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: 120_000 });
  await expect(
    page.getByText('Tier: T2').filter({ visible: true }).first(),
  ).toBeVisible();
  await page.screenshot({
    path: 'test-results/screenshots/created-entity-tab.png',
    fullPage: true,
  });
});
