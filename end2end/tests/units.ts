import type { APIRequestContext } from '@playwright/test';
import { DEMO, DEMO_PASSWORD, expect, uniqueSuffix } from './fixtures';

// Units made through the admin API, so that a test neither sees nor disturbs
// the other journeys.

async function call(request: APIRequestContext, endpoint: string, form: Record<string, string>) {
  const reply = await request.post(`/api/${endpoint}`, { form });
  expect(reply.status(), `${endpoint}: ${await reply.text()}`).toBe(200);
  return reply.json();
}

/** A new unit with `members` members of its own and a draft assessment in the demo's period. */
export async function freshUnit(request: APIRequestContext, members = 1) {
  const suffix = uniqueSuffix().toUpperCase();
  await call(request, 'login', { identifier: DEMO.admin.username, password: DEMO_PASSWORD });
  const code = `E2E-${suffix}`;
  const name = `Direktorat Uji ${suffix}`;
  const unit = await call(request, 'units/create', { code, name, kind: 'direktorat', parent: '' });
  const usernames: string[] = [];
  for (let n = 1; n <= members; n++) {
    const username = `uji${suffix.toLowerCase()}${n === 1 ? '' : n}`;
    await call(request, 'users/create', {
      username,
      email: '',
      full_name: `Anggota ${n} Uji ${suffix}`,
      password: DEMO_PASSWORD,
      confirm: DEMO_PASSWORD,
      role: 'unit_member',
      unit,
    });
    usernames.push(username);
  }
  const periods = await call(request, 'periods/list', {});
  await call(request, 'periods/assessments/create', { period: periods[0].id, unit, target: 'wbk' });
  await call(request, 'logout', {});
  return { username: usernames[0], usernames, name, suffix };
}
