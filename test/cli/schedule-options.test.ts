import { describe, expect, it } from 'vitest';
import { CliError, EXIT } from '../../src/cli/exit-codes.js';
import { buildRequest } from '../../src/cli/request-options.js';
import { parseWindow } from '../../src/cli/schedule-options.js';

const SUB = '6f1c2a8e-4b3d-4e5f-9a10-000000000001';

describe('start: schedule and webhook flags', () => {
  it('parses a window: days in any case, start-end, IANA zone', () => {
    expect(parseWindow('Sat,sun 01:00-05:00 Europe/Berlin')).toEqual({ days: ['Sat', 'Sun'], start: '01:00', end: '05:00', timeZone: 'Europe/Berlin' });
    expect(parseWindow(' Fri 22:00 - 02:00  America/New_York ')).toEqual({ days: ['Fri'], start: '22:00', end: '02:00', timeZone: 'America/New_York' });
    expect(() => parseWindow('weekends 01:00-05:00 Europe/Berlin')).toThrow(/expected e.g./);
    expect(() => parseWindow('Sat,Sab 01:00-05:00 Europe/Berlin')).toThrow(/days are Mon/);
  });

  it('puts the schedule and webhooks in the request, checked by the service schema', () => {
    const request = buildRequest({ subscription: [SUB], window: [parseWindow('Sun 01:00-05:00 Europe/Berlin')], batchSize: 10, webhook: ['https://hooks.example.com/x?sig=1'] }, false);
    expect(request.schedule).toEqual({ maintenanceWindows: [{ days: ['Sun'], start: '01:00', end: '05:00', timeZone: 'Europe/Berlin' }], batchSize: 10 });
    expect(request.webhookUrls).toEqual(['https://hooks.example.com/x?sig=1']);
  });

  it('refuses a bad zone, or a window without a batch size, as a usage error (exit 2) before sending anything', () => {
    const usage = (run: () => unknown): string => {
      try {
        run();
      } catch (error) {
        expect(error).toBeInstanceOf(CliError);
        expect((error as CliError).exitCode).toBe(EXIT.usage);
        return (error as Error).message;
      }
      throw new Error('accepted');
    };
    expect(usage(() => buildRequest({ subscription: [SUB], window: [parseWindow('Sun 01:00-05:00 Europe/Berln')], batchSize: 2 }, false))).toMatch(/schedule\.maintenanceWindows\.0\.timeZone: must be an IANA time zone/);
    expect(usage(() => buildRequest({ subscription: [SUB], window: [parseWindow('Sun 01:00-05:00 UTC')] }, false))).toMatch(/both --window .* and --batch-size/);
    expect(usage(() => buildRequest({ subscription: [SUB], webhook: ['ftp://x'] }, false))).toMatch(/webhookUrls\.0: must be an http or https URL/);
  });
});
