import type { Capability, Driver } from '../drivers/session.ts';
import { OBSERVER, type Scenario } from './model.ts';
import { expectVariants } from './expectations.ts';
import { kindOf } from './step-kinds.ts';

/** What a driver must be able to do to run this scenario: declared plus implied by its steps. */
export function requiredCapabilities(s: Scenario): Set<Capability> {
  const need = new Set<Capability>(s.needs ?? []);
  for (const spec of Object.values(s.sessions ?? {})) {
    if (spec.tls || spec.user === 'cert') need.add('tls');
    if (spec.user === 'cert') need.add('clientCert');
    if (spec.startupParams) need.add('startupParams');
    // Only a raw client reads NegotiateProtocolVersion, the answer to a newer version or a _pq_. option.
    if (spec.protocol !== undefined || Object.keys(spec.startupParams ?? {}).some((k) => k.startsWith('_pq_.'))) need.add('protocol');
    // Drivers put the operating system's user in place of an empty one; only a raw client sends it as it is.
    if (spec.user === 'empty') need.add('protocol');
  }
  for (const st of s.steps) {
    if (st.session === OBSERVER) continue;
    for (const c of kindOf(st).needs?.(st) ?? []) need.add(c);
    if (st.savePid) need.add('backendPid');
    for (const e of expectVariants(st.expect)) {
      if (e.parameterStatus) need.add('parameterStatus');
      if (e.notification?.pidEquals) need.add('notificationPid');
      if (e.notices) need.add('notices');
      if (e.commandTags) need.add('commandTags');
      if (e.parameterStatusMessages) need.add('parameterStatusLog');
    }
  }
  return need;
}

export function missingCapabilities(s: Scenario, driver: Driver): Capability[] {
  return [...requiredCapabilities(s)].filter((c) => !driver.capabilities.has(c));
}
