import { ConfigError, parseConfigText } from '../../bot/config/load-config.js';

/** The config errors a YAML text gets, as `path: message` lines; [] when it is valid. */
export function issuesOf(yaml: string): string[] {
  try {
    parseConfigText(yaml, 'test.yaml');
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map((i) => `${i.path}: ${i.message}`);
    throw err;
  }
  return [];
}
