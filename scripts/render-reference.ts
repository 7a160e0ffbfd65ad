/** npm run docs:reference — writes docs/reference.md from the OpenAPI document. */
import { writeFileSync } from 'node:fs';
import { openApiDocument } from '../server/api/openapi';
import { renderReference } from '../server/api/reference';

const target = new URL('../docs/reference.md', import.meta.url);
writeFileSync(target, renderReference(openApiDocument({ serverUrl: 'https://pay.example.com', sandbox: false })));
console.log(`wrote ${target.pathname}`);
