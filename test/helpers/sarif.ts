/** A validator for SARIF 2.1.0 logs, from the vendored schema (test/fixtures/sarif/SOURCE.md). */
import fs from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';

// The schema is draft-04; its keywords validate the same under Ajv's default draft once the draft-04
// `id` is renamed and `$schema` dropped. unicodeRegExp off: one pattern of the rtm.5 file (the
// language tag) is not valid under the u flag.
export function sarifValidator(): ValidateFunction {
  const schema = JSON.parse(fs.readFileSync(path.join(process.cwd(), 'test', 'fixtures', 'sarif', 'sarif-2.1.0-rtm.5.json'), 'utf8')) as Record<string, unknown>;
  const { $schema: _s, id, ...rest } = schema;
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false });
  return ajv.compile({ ...rest, $id: String(id) });
}
