/** Types for imurmurhash (MurmurHash3, 32-bit), which ships none. */
declare module 'imurmurhash' {
  interface MurmurHash3 {
    hash(text: string): MurmurHash3;
    result(): number;
    reset(seed?: number): MurmurHash3;
  }
  function murmur(text?: string, seed?: number): MurmurHash3;
  export default murmur;
}
