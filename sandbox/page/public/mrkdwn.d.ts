// Types of mrkdwn.js for the Node tests (the page itself loads the .js directly).
export type Token =
  | { t: 'text'; v: string }
  | { t: 'br' }
  | { t: 'bold' | 'italic' | 'strike'; c: Token[] }
  | { t: 'code' | 'pre'; v: string }
  | { t: 'user'; id: string; label: string | null }
  | { t: 'channel'; id: string; label: string | null }
  | { t: 'group'; id: string; label: string | null }
  | { t: 'special'; v: string }
  | { t: 'date'; ts: number; format: string; fallback: string }
  | { t: 'link'; url: string; label: string }
  | { t: 'emoji'; name: string; char: string };
export declare const EMOJI: Record<string, string>;
export declare function decodeEntities(s: string): string;
export declare function parseAngle(inner: string): Token;
export declare function parseMrkdwn(text: string): Token[];
export declare function parsePlain(text: string): Token[];
