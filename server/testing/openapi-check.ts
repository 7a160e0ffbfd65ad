/**
 * Holds the API to its document: every answer a test receives from a route
 * the OpenAPI document describes must have a documented status and a body
 * that validates against the documented schema (JSON Schema 2020-12, with
 * Ajv). A route that behaves otherwise than /api/openapi.json says fails the
 * test that met it.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { openApiDocument } from '../api/openapi';

const DOC_ID = 'https://payframe.test/openapi.json';

type Operation = { responses: Record<string, { content?: Record<string, unknown> }> };
type Doc = { paths: Record<string, Record<string, Operation>> };

let compiled: { doc: Doc; ajv: Ajv2020; cache: Map<string, ValidateFunction> } | undefined;

function setup() {
  if (compiled) return compiled;
  const doc = openApiDocument({ serverUrl: 'http://payframe.test', sandbox: true }) as unknown as Doc;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema({ ...doc, $id: DOC_ID });
  return (compiled = { doc, ajv, cache: new Map() });
}

const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

function validator(path: string): ValidateFunction {
  const { ajv, cache } = setup();
  let v = cache.get(path);
  if (!v) cache.set(path, (v = ajv.compile({ $ref: `${DOC_ID}#/${path}` })));
  return v;
}

/** The documented path template that `path` matches (`/api/checkout/{id}`), if any. */
function template(doc: Doc, path: string): string | undefined {
  return Object.keys(doc.paths).find((t) => new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path));
}

/** Throws when `res` is not what the document says `method path` answers. */
export async function expectMatchesOpenApi(method: string, path: string, res: Response): Promise<void> {
  const { doc } = setup();
  const t = template(doc, path);
  const operation = t ? doc.paths[t]?.[method.toLowerCase()] : undefined;
  const type = res.headers.get('content-type') ?? '';
  if (!operation) {
    // An undocumented route: its answer can only be the error body.
    if (type.startsWith('application/json') && res.status >= 400) check(validator(pointer('components', 'schemas', 'Error')), await res.text(), `${method} ${path}`);
    return;
  }
  const status = String(res.status);
  const documented = operation.responses[status] ?? operation.responses[`${status[0]}XX`];
  if (!documented) throw new Error(`${method} ${path} answered ${status}, which /api/openapi.json does not document for it`);
  if (!documented.content || !type.startsWith('application/json')) return;
  const key = operation.responses[status] ? status : `${status[0]}XX`;
  check(validator(pointer('paths', t!, method.toLowerCase(), 'responses', key, 'content', 'application/json', 'schema')), await res.text(), `${method} ${path} ${status}`);
}

function check(validate: ValidateFunction, text: string, what: string): void {
  if (validate(JSON.parse(text))) return;
  const errors = (validate.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message}`).join('; ');
  throw new Error(`${what}: the answer does not match /api/openapi.json: ${errors}\n${text.slice(0, 500)}`);
}
