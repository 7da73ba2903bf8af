import type { Capability, Driver } from '../drivers/session.ts';
import { OBSERVER, type Scenario } from './model.ts';

/** What a driver must be able to do to run this scenario: declared plus implied by its steps. */
export function requiredCapabilities(s: Scenario): Set<Capability> {
  const need = new Set<Capability>(s.needs ?? []);
  for (const spec of Object.values(s.sessions ?? {})) {
    if (spec.tls) need.add('tls');
    if (spec.startupParams) need.add('startupParams');
  }
  for (const st of s.steps) {
    if (st.session === OBSERVER) continue;
    if (st.named) need.add('namedPrepare');
    if (st.messages) need.add('protocol');
    if (st.cancel === true) need.add('cancel');
    if (st.cancel && st.cancel !== true) need.add('protocol');
    if (st.savePid) need.add('backendPid');
    if (st.expect?.parameterStatus) need.add('parameterStatus');
    if (st.waitNotification) need.add('notifications');
    if (st.expect?.notification?.pidEquals) need.add('notificationPid');
    if (st.expect?.notices) need.add('notices');
  }
  return need;
}

export function missingCapabilities(s: Scenario, driver: Driver): Capability[] {
  return [...requiredCapabilities(s)].filter((c) => !driver.capabilities.has(c));
}
