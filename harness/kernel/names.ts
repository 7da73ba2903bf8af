/** The scenario session that is poolcheck's direct connection to the database (ground truth). */
export const OBSERVER = 'observer';
