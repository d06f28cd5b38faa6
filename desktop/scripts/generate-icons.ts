/**
 * Writes the tray and app icons as PNGs (node zlib, no image library):
 * tray-{idle,urgent,offline,error}.png at 16 px and @2x (32 px), and icon.png (512 px).
 * Run: `tsx desktop/scripts/generate-icons.ts`.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

type Rgba = [number, number, number, number];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

export function encodePng(size: number, pixel: (x: number, y: number) => Rgba): Buffer {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) raw.set(pixel(x, y), y * (size * 4 + 1) + 1 + x * 4);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const COLORS: Record<string, Rgba> = {
  idle: [46, 125, 50, 255],
  urgent: [198, 40, 40, 255],
  offline: [120, 130, 140, 255],
  error: [230, 120, 0, 255],
};

/** A filled circle (a "handset dot"); offline is a ring, error has a notch, urgent a white centre. */
function trayPixel(state: string, size: number) {
  const c = COLORS[state] ?? COLORS.idle!;
  return (x: number, y: number): Rgba => {
    const r = size / 2;
    const d = Math.hypot(x + 0.5 - r, y + 0.5 - r);
    const alpha = Math.max(0, Math.min(1, r - 0.5 - d + 0.5));
    if (alpha === 0) return [0, 0, 0, 0];
    if (state === 'offline' && d < r * 0.55) return [0, 0, 0, 0];
    if (state === 'urgent' && d < r * 0.3) return [255, 255, 255, 255];
    if (state === 'error' && Math.abs(x + 0.5 - r) < size / 10 && y > size * 0.2 && y < size * 0.62) return [255, 255, 255, 255];
    return [c[0], c[1], c[2], Math.round(255 * alpha)];
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = join(dirname(fileURLToPath(import.meta.url)), '../assets');
  mkdirSync(out, { recursive: true });
  for (const state of Object.keys(COLORS)) {
    writeFileSync(join(out, `tray-${state}.png`), encodePng(16, trayPixel(state, 16)));
    writeFileSync(join(out, `tray-${state}@2x.png`), encodePng(32, trayPixel(state, 32)));
  }
  writeFileSync(join(out, 'icon.png'), encodePng(512, trayPixel('idle', 512)));
  process.stdout.write(`icons written to ${out}\n`);
}
