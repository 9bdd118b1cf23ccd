// Validates manifest.yml against Slack's published app manifest JSON schema.
// Plain Node ESM (no build step): `npm run manifest:check`. The schema is vendored in
// scripts/slack-manifest-schema/ (Slack's slackapi/manifest-schema, MIT); MANIFEST_SCHEMA=<path> points at another copy.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import Ajv2019 from 'ajv/dist/2019.js';
import Ajv2020 from 'ajv/dist/2020.js';
import YAML from 'yaml';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const manifestPath = path.join(projectRoot, 'manifest.yml');
export const defaultSchemaPath = path.join(
  projectRoot,
  'scripts',
  'slack-manifest-schema',
  'manifest.schema.2.0.0.json',
);

/** Where Slack's schema is: MANIFEST_SCHEMA when set, otherwise the copy vendored with the project. */
export function findSchemaPath() {
  return process.env.MANIFEST_SCHEMA ? path.resolve(process.env.MANIFEST_SCHEMA) : defaultSchemaPath;
}

/** The Ajv class for the draft a schema declares in `$schema` (Slack's schemas declare draft-07). */
function ajvClassFor(schema) {
  const declared = typeof schema.$schema === 'string' ? schema.$schema : '';
  if (declared === '' || declared.includes('draft-07')) return Ajv;
  if (declared.includes('2019-09')) return Ajv2019;
  if (declared.includes('2020-12')) return Ajv2020;
  throw new Error(`the schema declares $schema "${declared}", which this check does not support`);
}

/** Ajv's message plus the detail it keeps in params (which property is unknown, which values are allowed). */
function describe(error) {
  const { params } = error;
  if (params.additionalProperty !== undefined) return `${error.message}: "${params.additionalProperty}"`;
  if (params.allowedValues !== undefined) return `${error.message}: ${JSON.stringify(params.allowedValues)}`;
  return error.message ?? 'is invalid';
}

/**
 * Validates a parsed manifest against a parsed schema; returns every problem (empty when valid).
 * @param {unknown} manifest
 * @param {Record<string, unknown>} schema
 * @returns {{ instancePath: string, message: string }[]}
 */
export function validateManifest(manifest, schema) {
  const AjvClass = ajvClassFor(schema);
  const ajv = new AjvClass({
    strict: false,
    allErrors: true,
    // The schema's only format; without a definition Ajv would warn on every run.
    formats: { uri: /^[a-z][a-z0-9+.-]*:\S*$/i },
  });
  // Slack's schema spells one pattern `regex` (display_information.background_color); honour it as `pattern`.
  ajv.addKeyword({
    keyword: 'regex',
    type: 'string',
    schemaType: 'string',
    macro: (regex) => ({ pattern: regex }),
  });
  const validate = ajv.compile(schema);
  if (validate(manifest)) return [];
  return (validate.errors ?? [])
    .filter((error) => error.keyword !== 'regex') // its expanded `pattern` has already reported the detail
    .map((error) => ({
      instancePath: error.instancePath === '' ? '/' : error.instancePath,
      message: describe(error),
    }));
}

function fail(lines) {
  for (const line of lines) console.error(line);
  process.exit(1);
}

function readJson(file, what) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return fail([`Cannot read ${what} ${file}: ${error.message}`]);
  }
}

function main() {
  const schemaPath = findSchemaPath();
  if (!existsSync(schemaPath)) fail([`Slack's manifest schema was not found at ${schemaPath}.`]);
  const schema = readJson(schemaPath, 'the schema');

  let manifest;
  try {
    manifest = YAML.parse(readFileSync(manifestPath, 'utf8'));
  } catch (error) {
    fail([`Cannot read ${path.relative(process.cwd(), manifestPath) || manifestPath}: ${error.message}`]);
  }

  let problems;
  try {
    problems = validateManifest(manifest, schema);
  } catch (error) {
    fail([`Cannot validate with ${schemaPath}: ${error.message}`]);
  }
  const schemaName = path.basename(schemaPath);
  if (problems.length === 0) {
    const version = /manifest\.schema\.(\d+\.\d+\.\d+)\.json$/.exec(schemaName)?.[1];
    console.log(
      version
        ? `manifest.yml is valid against Slack's manifest schema ${version}`
        : `manifest.yml is valid against ${schemaName}`,
    );
    return;
  }
  fail([
    `manifest.yml has ${problems.length} problem(s) against ${schemaName}:`,
    ...problems.map(({ instancePath, message }) => `  ${instancePath} ${message}`),
  ]);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
