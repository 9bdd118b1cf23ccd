import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root: one level above this module, whether it runs from src/ (tests) or dist/ (npm start). */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function readPackageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}
