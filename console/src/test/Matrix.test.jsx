import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import Matrix from '../components/Matrix.jsx';

afterEach(cleanup);

const REPORT = {
  connection: 'customer-a',
  verified: true,
  skills: [
    { id: 'cloudflare_list_dns_records', access: 'read', status: 'blocked',
      missing: [{ permission: 'DNS Read', scope: 'zone', resource: '829d' }], why: 'lacks (see modes)' },
    { id: 'cloudflare_get_zone_details', access: 'read', status: 'partly', missing: [],
      optional: [{ permission: 'Zone Settings Read', scope: 'zone', enables: 'include_settings', granted: 'no' },
        { permission: 'Zone Read', scope: 'zone', granted: 'yes' }],
      why: 'it runs, without what its missing optional permissions enable (see optional)' },
  ],
};

describe('Matrix', () => {
  it('tells an OAuth connection what to approve when reconnecting', () => {
    render(<Matrix report={REPORT} method="oauth" />);
    expect(screen.getByRole('columnheader', { name: 'What to approve' })).toBeTruthy();
    const row = screen.getByRole('row', { name: /cloudflare_list_dns_records/ });
    expect(row.textContent).toContain('Reconnect and approve the scope that grants DNS Read on zone 829d');
  });

  it('tells a token connection what to add to the token', () => {
    render(<Matrix report={REPORT} method="api_token" />);
    expect(screen.getByRole('columnheader', { name: 'What to add to the token' })).toBeTruthy();
    expect(screen.getByRole('row', { name: /cloudflare_list_dns_records/ }).textContent).toContain('DNS Read on zone 829d');
  });

  it('shows the optional permissions a partly skill lacks, and not those it holds', () => {
    render(<Matrix report={REPORT} method="api_token" />);
    const row = screen.getByRole('row', { name: /cloudflare_get_zone_details/ });
    expect(within(row).getByText('Optional, not held:')).toBeTruthy();
    expect(row.textContent).toContain('Zone Settings Read on zone (enables include_settings)');
    expect(row.textContent).not.toContain('Zone Read on');
    expect(row.textContent).not.toContain('(see optional)');
  });
});
