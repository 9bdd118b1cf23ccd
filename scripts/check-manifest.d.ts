/** Types for scripts/check-manifest.js (plain JavaScript, run without a build step), for the tests. */
export declare const projectRoot: string;
export declare const manifestPath: string;
export declare const defaultSchemaPath: string;
/** Slack's schema file: MANIFEST_SCHEMA, or the copy vendored in scripts/slack-manifest-schema/. */
export declare function findSchemaPath(): string;

export interface ManifestProblem {
  /** JSON Pointer into the manifest, "/" for the root, e.g. "/features/slash_commands/0". */
  instancePath: string;
  message: string;
}

/** Validates a parsed manifest against a parsed schema; returns every problem (empty when valid). */
export declare function validateManifest(
  manifest: unknown,
  schema: Record<string, unknown>,
): ManifestProblem[];
