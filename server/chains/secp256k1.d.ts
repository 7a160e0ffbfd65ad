/** The part of the secp256k1 package (libsecp256k1's Node bindings) hd.ts and the derive-ahead worker use. */
declare module 'secp256k1/bindings' {
  /** `pubkey` + `tweak`·G (BIP-32's CKDpub step), serialized compressed (33 bytes) or not (65); throws for a tweak ≥ n or the point at infinity. */
  /** `pubkey` serialized again, compressed (33 bytes) or not (65); throws for bytes that are not a point of the curve. */
  export function publicKeyConvert(pubkey: Uint8Array, compressed?: boolean): Uint8Array;
  export function publicKeyTweakAdd(pubkey: Uint8Array, tweak: Uint8Array, compressed?: boolean): Uint8Array;
}
