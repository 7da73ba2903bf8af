/**
 * Facts about a scenario read from its data, so a profile can state a rule once ("statement
 * pooling refuses transaction blocks") instead of listing every scenario that meets it.
 */
export const TRAITS = {
  'transaction-block': 'a session opens a transaction (BEGIN / START TRANSACTION) that stays open after the statement ends',
  'driver-cancel': "a session cancels its running query with its driver's own cancel (a CancelRequest the driver sends on a connection of its own)",
} as const;
export type Trait = keyof typeof TRAITS;
