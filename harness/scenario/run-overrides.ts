// What a run sets over the steps as they are written (--stress-clients, --stress-roles): read
// here only, so that what runs, what a step's description says and how many backends the
// cluster is made for agree. A reproducer describes the step as written, without them.
import type { StepOf } from './model.ts';

export interface RunOverrides {
  /** --stress-clients: a stress step's clients. */
  readonly stressClients?: number;
  /** --stress-roles: a manyRoles step's roles. */
  readonly stressRoles?: number;
}

/** The clients a stress step runs. */
export const stressClients = (st: StepOf<'stress'>, run: RunOverrides | undefined): number => run?.stressClients ?? st.stress.clients;

/** The roles a manyRoles step makes. */
export const manyRolesCount = (st: StepOf<'manyRoles'>, run: RunOverrides | undefined): number => run?.stressRoles ?? st.manyRoles.roles;
