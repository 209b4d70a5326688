import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import { Review } from '../pages/Posture.jsx';

afterEach(cleanup);

const OUTPUT = {
  summary: { info: 1, high: 1, medium: 1, low: 0, critical: 0 },
  zones: [
    {
      zone_id: 'a1', zone_name: 'staging.example.dev',
      findings: [
        { id: 'hsts_off', severity: 'info', title: 'Informational', evidence: { setting: 'x' }, remediation: 'Nothing.' },
        { id: 'ssl_flexible', severity: 'high', title: 'SSL mode is Flexible', evidence: { setting: 'ssl', value: 'flexible' },
          remediation: 'Install a certificate on the origin.' },
        { id: 'min_tls', severity: 'medium', title: 'Minimum TLS is 1.0', evidence: { value: '1.0', wanted: '1.2' },
          remediation: 'Set it to 1.2.' },
      ],
      checks: [{ check: 'ssl_mode', status: 'failed' }],
      skipped: [{ check: 'dns', permission: 'DNS Read' }],
    },
  ],
};

describe('Review', () => {
  it('sums the findings by severity, worst first', () => {
    render(<Review output={OUTPUT} />);
    const summary = screen.getByRole('list', { name: 'Findings by severity' });
    expect(within(summary).getAllByRole('listitem').map((li) => li.textContent))
      .toEqual(['0 critical', '1 high', '1 medium', '0 low', '1 info']);
  });

  it('lists each zone\'s findings by severity with their evidence and remediation', () => {
    const { container } = render(<Review output={OUTPUT} />);
    expect(screen.getByRole('heading', { name: /staging\.example\.dev/ })).toBeTruthy();
    const findings = [...container.querySelectorAll('.finding')];
    expect(findings.map((f) => f.querySelector('code').textContent)).toEqual(['ssl_flexible', 'min_tls', 'hsts_off']);
    expect(findings[0].textContent).toContain('flexible');
    expect(findings[0].textContent).toContain('Install a certificate on the origin.');
    expect(container.textContent).toContain('DNS Read'); // skipped, with the permission that would enable it
  });
});
