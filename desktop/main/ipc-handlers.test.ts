import { describe, expect, it } from 'vitest';
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import type { DesktopController } from '../core/desktop-controller.js';
import { registerIpcHandlers } from './ipc-handlers.js';

const RENDERER = 'file:///app/dist/desktop/renderer/index.html';
const OUR_FRAME = { url: RENDERER };

function setup() {
  const registered = new Map<string, (e: IpcMainInvokeEvent, raw: unknown) => unknown>();
  const ipcMain = {
    handle: (ch: string, fn: (e: IpcMainInvokeEvent, raw: unknown) => unknown) => void registered.set(ch, fn),
    removeHandler: (ch: string) => void registered.delete(ch),
  } as unknown as Pick<IpcMain, 'handle' | 'removeHandler'>;
  const claimed: string[] = [];
  const controller = { claim: async (id: string) => (claimed.push(id), { ok: true, data: {} }) } as unknown as DesktopController;
  const dispose = registerIpcHandlers({ ipcMain, controller, isOwnFrame: (f) => f === OUR_FRAME });
  const event = (frame: object | null) => ({ senderFrame: frame }) as unknown as IpcMainInvokeEvent;
  return { registered, claimed, dispose, event };
}

describe('IPC handlers', () => {
  it('registers every contract channel and removes them on dispose', () => {
    const s = setup();
    expect([...s.registered.keys()].every((c) => /^handoff:[a-z]+(-[a-z]+)*$/.test(c))).toBe(true);
    expect(s.registered.size).toBe(7);
    s.dispose();
    expect(s.registered.size).toBe(0);
  });

  it('passes a valid payload from our renderer to the controller', async () => {
    const s = setup();
    await s.registered.get('handoff:claim')?.(s.event(OUR_FRAME), { id: 'ho_a' });
    expect(s.claimed).toEqual(['ho_a']);
  });

  it.each([
    ['another frame showing our page', { url: RENDERER }],
    ['another file', { url: 'file:///tmp/evil.html' }],
    ['our frame navigated to a web page', null],
    ['no frame', null],
  ])('refuses %s', (name, frame) => {
    const s = setup();
    if (name.startsWith('our frame')) OUR_FRAME.url = 'https://evil.test/';
    try {
      expect(() => s.registered.get('handoff:claim')?.(s.event(frame ?? (name === 'no frame' ? null : OUR_FRAME)), { id: 'ho_a' })).toThrow('untrusted_sender');
    } finally {
      OUR_FRAME.url = RENDERER;
    }
    expect(s.claimed).toEqual([]);
  });

  it.each([[{ id: '../../etc' }], [{ id: 'ho_a', extra: 1 }], ['ho_a'], [{}]])('refuses the malformed payload %j', (payload) => {
    const s = setup();
    expect(() => s.registered.get('handoff:claim')?.(s.event(OUR_FRAME), payload)).toThrow('invalid_payload');
    expect(s.claimed).toEqual([]);
  });
});
