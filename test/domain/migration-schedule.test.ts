import { describe, expect, it } from 'vitest';
import { MigrationRequestSchema } from '../../src/domain/migration-request.js';
import { redactWebhookUrl } from '../../src/domain/webhook-url.js';

const SUB = '6f1c2a8e-4b3d-4e5f-9a10-000000000001';
const issuesOf = (extra: Record<string, unknown>): string[] => {
  const result = MigrationRequestSchema.safeParse({ scope: { subscriptionIds: [SUB] }, ...extra });
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};
const window = (change: Record<string, unknown> = {}) => ({ days: ['Sat', 'Sun'], start: '01:00', end: '05:00', timeZone: 'Europe/Berlin', ...change });

describe('migration request: schedule and webhooks', () => {
  it('accepts maintenance windows with a batch size, across midnight and until 24:00', () => {
    expect(issuesOf({ schedule: { maintenanceWindows: [window(), window({ start: '22:00', end: '02:00' }), window({ start: '00:00', end: '24:00' })], batchSize: 10 } })).toEqual([]);
  });

  it.each([
    [{ timeZone: 'Europe/Berln' }, 'schedule.maintenanceWindows.0.timeZone: must be an IANA time zone name, e.g. Europe/Berlin'],
    [{ timeZone: '+01:00' }, 'schedule.maintenanceWindows.0.timeZone: must be an IANA time zone name, e.g. Europe/Berlin'],
    [{ start: '24:00' }, 'schedule.maintenanceWindows.0.start: must be a time 00:00-23:59'],
    [{ end: '25:00' }, 'schedule.maintenanceWindows.0.end: must be a time 00:00-24:00'],
    [{ start: '1:00' }, 'schedule.maintenanceWindows.0.start: must be HH:MM'],
    [{ end: '01:00' }, 'schedule.maintenanceWindows.0.end: start and end must differ (a whole day is 00:00-24:00)'],
    [{ days: ['Sat', 'Sat'] }, 'schedule.maintenanceWindows.0.days: must not repeat a day'],
    [{ days: [] }, 'schedule.maintenanceWindows.0.days: Too small: expected array to have >=1 items'],
  ])('refuses window %j', (change, issue) => {
    expect(issuesOf({ schedule: { maintenanceWindows: [window(change)], batchSize: 5 } })).toContain(issue);
  });

  it('refuses a schedule without windows, a bad batch size and unknown fields', () => {
    expect(issuesOf({ schedule: { maintenanceWindows: [], batchSize: 5 } }).length).toBe(1);
    expect(issuesOf({ schedule: { maintenanceWindows: [window()], batchSize: 0 } }).length).toBe(1);
    expect(issuesOf({ schedule: { maintenanceWindows: [window({ tz: 'x' })], batchSize: 1 } }).length).toBe(1);
  });

  it('accepts http(s) webhook URLs and refuses others', () => {
    expect(issuesOf({ webhookUrls: ['https://hooks.example.com/migrator?sig=s3cret', 'http://127.0.0.1:8080/x'] })).toEqual([]);
    expect(issuesOf({ webhookUrls: ['ftp://x'] })).toEqual(['webhookUrls.0: must be an http or https URL']);
    expect(issuesOf({ webhookUrls: ['/relative'] })).toEqual(['webhookUrls.0: must be an absolute http or https URL']);
    expect(issuesOf({ webhookUrls: ['https://x/#frag'] })).toEqual(['webhookUrls.0: must not have a #fragment']);
    expect(issuesOf({ webhookUrls: ['https://x/a\nb'] })).toEqual(['webhookUrls.0: must not contain control characters']);
    expect(issuesOf({ webhookUrls: Array(6).fill('https://x/') }).length).toBe(1);
  });

  it.each([
    ['DEL', 'https://hooks.example.com/a\u007fb', ['webhookUrls.0: must not contain control characters']],
    ['a tab', 'https://hooks.example.com/a\tb', ['webhookUrls.0: must not contain control characters']],
    ['a space, which is not a control character (sent as %20)', 'https://hooks.example.com/my hook', []],
  ])('webhook URL with %s', (_, url, issues) => {
    expect(issuesOf({ webhookUrls: [url] })).toEqual(issues);
  });

  it.each([
    ['a user name alone', 'https://user@hooks.example.com/a', 'https://redacted@hooks.example.com/a'],
    ['a password alone', 'https://:pw@hooks.example.com/a', 'https://redacted@hooks.example.com/a'],
  ])('redacts user info that is %s', (_, url, shown) => {
    expect(redactWebhookUrl(url)).toBe(shown);
  });

  it('redacts the query string and user info of a webhook URL', () => {
    expect(redactWebhookUrl('https://hooks.example.com:8443/migrator?sig=s3cret&x=1')).toBe('https://hooks.example.com:8443/migrator?redacted');
    expect(redactWebhookUrl('https://user:pw@hooks.example.com/a')).toBe('https://redacted@hooks.example.com/a');
    expect(redactWebhookUrl('http://127.0.0.1:9/x')).toBe('http://127.0.0.1:9/x');
    expect(redactWebhookUrl('not a url')).toBe('redacted');
  });
});
