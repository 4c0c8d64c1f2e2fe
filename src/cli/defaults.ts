/** Default results store of `esdlab sweep` and `esdlab runs`. */
export const DEFAULT_STORE_PATH = 'runs/esdlab.db';
