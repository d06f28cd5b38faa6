// Types of what the Node tests read from blocks.js (the page itself loads the .js directly).
export declare const DRAWN_KIT_TYPES: readonly string[];
