/** The two loopback networks, in pg_hba.conf's notation: every server poolcheck starts listens on both (a scenario logs in over ::1). */
export const LOOPBACKS = ['127.0.0.1/32', '::1/128'] as const;
