import { describe, expect, it } from 'vitest';
import { parseChains } from './chains-file';
import { walletChains } from './wallet-chain';

const base = { chainId: 137, rpcUrl: 'https://polygon.example/KEY-SECRET', nativeCurrency: 'MATIC', finalConfirmations: 64 };

describe('walletChains', () => {
  it('gives EIP-3085 parameters, with the public walletRpcUrl and never the rpcUrl, for the EVM chains that have one', () => {
    const chains = walletChains(parseChains([{ ...base, name: 'polygon', walletRpcUrl: 'https://polygon-rpc.com' }, { ...base, name: 'private', chainId: 5, nativeCurrency: 'PRV' }]));
    expect([...chains.keys()]).toEqual(['polygon']);
    expect(chains.get('polygon')).toEqual({ chainId: '0x89', chainName: 'polygon', nativeCurrency: { name: 'MATIC', symbol: 'MATIC', decimals: 18 }, rpcUrls: ['https://polygon-rpc.com'] });
    expect(JSON.stringify(chains.get('polygon'))).not.toContain('KEY-SECRET');
  });

  it('refuses a walletRpcUrl that is not http(s)', () => {
    expect(() => parseChains([{ ...base, name: 'polygon', walletRpcUrl: 'javascript:alert(1)' }])).toThrow(/walletRpcUrl/);
  });
});
