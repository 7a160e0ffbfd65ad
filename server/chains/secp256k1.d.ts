/** The part of the secp256k1 package (libsecp256k1's Node bindings) hd.ts uses. */
declare module 'secp256k1/bindings' {
  /** `pubkey` + `tweak`·G (BIP-32's CKDpub step), serialized compressed (33 bytes) or not (65); throws for a tweak ≥ n or the point at infinity. */
  export function publicKeyTweakAdd(pubkey: Uint8Array, tweak: Uint8Array, compressed?: boolean): Uint8Array;
}
