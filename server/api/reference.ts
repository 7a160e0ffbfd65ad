/**
 * docs/reference.md: the OpenAPI document (openapi.ts) rendered as a page a
 * merchant reads — every route with its payload and answer, every webhook
 * event with its fields. Written by `npm run docs:reference`; a test fails
 * when the committed page differs from the document.
 */
type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  description?: string;
  format?: string;
};
type Operation = {
  operationId: string;
  summary: string;
  description?: string;
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: Schema }> }>;
};
type Doc = {
  info: { description: string };
  paths: Record<string, Record<string, Operation>>;
  webhooks: Record<string, { post: Operation }>;
  components: { schemas: Record<string, Schema> };
};

export function renderReference(document: unknown): string {
  const doc = document as Doc;
  const refName = (ref: string) => ref.split('/').pop()!;
  const resolve = (s: Schema): Schema => (s.$ref ? resolve(doc.components.schemas[refName(s.$ref)]!) : s);

  function typeOf(s: Schema): string {
    if (s.$ref) return `[${refName(s.$ref)}](#${refName(s.$ref).toLowerCase()})`;
    if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
    if (s.enum) return s.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
    const alternatives = s.anyOf ?? s.oneOf;
    if (alternatives) return alternatives.map(typeOf).join(' or ');
    if (s.type === 'array' && s.items) return `${typeOf(s.items)}[]`;
    const type = Array.isArray(s.type) ? s.type.join(' or ') : (s.type ?? 'any');
    return s.format ? `${type} (${s.format})` : type;
  }

  function fields(schema: Schema): string[] {
    const s = resolve(schema);
    if (!s.properties) return [`(${typeOf(schema)})`, ''];
    const required = new Set(s.required ?? []);
    return [
      '| field | type | required | meaning |',
      '|---|---|---|---|',
      ...Object.entries(s.properties).map(
        ([name, p]) => `| \`${name}\` | ${typeOf(p)} | ${required.has(name) ? 'yes' : ''} | ${(p.description ?? resolve(p).description ?? '').replace(/\n/g, ' ')} |`,
      ),
      '',
    ];
  }

  const lines = ['# API reference', '', '<!-- Generated from /api/openapi.json by `npm run docs:reference`; do not edit by hand. -->', '', doc.info.description, ''];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      lines.push(`## \`${method.toUpperCase()} ${path}\``, '', `**${op.operationId}** — ${op.summary}`, '');
      if (op.description) lines.push(op.description, '');
      const body = op.requestBody?.content['application/json']?.schema;
      if (body) {
        const payload = resolve(body).properties?.payload;
        lines.push('Payload (inside `{timestamp, account, payload}`):', '', ...(payload ? fields(payload) : fields(body)));
      }
      const ok = Object.entries(op.responses).filter(([status]) => status.startsWith('2'));
      for (const [status, r] of ok) {
        const schema = r.content && Object.values(r.content)[0]?.schema;
        lines.push(`Answer ${status}: ${schema ? typeOf(schema) : r.description}`, '');
      }
      const errors = Object.entries(op.responses).filter(([status]) => /^[3-5]/.test(status));
      if (errors.length > 0) lines.push(`Other answers: ${errors.map(([status, r]) => `${status} (${r.description})`).join('; ')}.`, '');
    }
  }
  lines.push('## Webhooks', '', 'Each event is POSTed to the subscription’s url with the headers Key, Sign, webhook-id, webhook-timestamp and webhook-signature.', '');
  for (const [type, { post }] of Object.entries(doc.webhooks)) {
    const envelope = resolve(post.requestBody!.content['application/json']!.schema);
    lines.push(`### ${type}`, '', `\`data\`:`, '', ...fields(envelope.properties!.data!));
  }
  lines.push('## Schemas', '');
  for (const name of ['InvoiceDTO', 'InvoicePage', 'CheckoutView', 'WebhookSubscription', 'WebhookSubscriptionList', 'WebhookDelivery', 'WebhookDeliveryPage', 'Deleted', 'MerchantProfile', 'Error']) {
    const schema = doc.components.schemas[name];
    if (schema) lines.push(`### ${name}`, '', ...fields(schema));
  }
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
