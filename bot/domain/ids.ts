import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

function base32(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/** `ho_` + 10 time chars + 16 random chars: sortable by creation, unguessable. */
export function newHandoffId(nowMs: number): string {
  const time = Buffer.alloc(6);
  time.writeUIntBE(Math.max(0, Math.floor(nowMs)), 0, 6);
  return `ho_${base32(time)}${base32(randomBytes(10))}`;
}

export const HANDOFF_ID_PATTERN = /^ho_[0-9a-z]{26}$/;
