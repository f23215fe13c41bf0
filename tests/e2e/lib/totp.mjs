// RFC 6238 codes (HMAC-SHA1, 30 s steps, 6 digits), as an authenticator
// app shows them, for the admin and auditor sign-ins.

import crypto from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(text) {
  let bits = '';
  for (const c of text.toUpperCase().replace(/=+$/, '')) {
    const v = ALPHABET.indexOf(c);
    if (v < 0) throw new Error('totp: not base32: ' + c);
    bits += v.toString(2).padStart(5, '0');
  }
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

// The code of time step `step` (seconds since the epoch / 30).
export function totpAt(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = crypto.createHmac('sha1', base32(secret)).update(counter).digest();
  const off = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(off) & 0x7fffffff) % 1000000).padStart(6, '0');
}

// The server takes each code once, and accepts the next step's code too:
// a second sign-in within 30 s uses that one. `used` maps a secret to the
// last step handed out.
const used = new Map();
export function freshTotp(secret) {
  const now = Math.floor(Date.now() / 30000);
  const step = Math.max(now, (used.get(secret) ?? -1) + 1);
  if (step > now + 1) throw new Error('totp: no fresh code within the window; wait for the next step');
  used.set(secret, step);
  return totpAt(secret, step);
}
