/**
 * Compiles the test ERC-20 with solc-js (the npm package; no download) and
 * writes its ABI and bytecode next to the source.
 *   npm run build:test-token
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import solc from 'solc';

const dir = join(import.meta.dirname, '..', 'server', 'chains', 'evm', 'test-token');
const input = {
  language: 'Solidity',
  sources: { 'TestToken.sol': { content: readFileSync(join(dir, 'TestToken.sol'), 'utf8') } },
  settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: 'paris', outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } } },
};
const output = JSON.parse(solc.compile(JSON.stringify(input))) as {
  errors?: { severity: string; formattedMessage: string }[];
  contracts: Record<string, Record<string, { abi: unknown; evm: { bytecode: { object: string } } }>>;
};
const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
if (errors.length > 0) {
  console.error(errors.map((e) => e.formattedMessage).join('\n'));
  process.exit(1);
}
const contract = output.contracts['TestToken.sol']!['TestToken']!;
const artifact = { compiler: `solc ${solc.version()}`, abi: contract.abi, bytecode: `0x${contract.evm.bytecode.object}` };
writeFileSync(join(dir, 'TestToken.json'), `${JSON.stringify(artifact, null, 2)}\n`);
console.log(`wrote TestToken.json (${contract.evm.bytecode.object.length / 2} bytes of bytecode, ${artifact.compiler})`);
