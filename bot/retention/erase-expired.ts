// Erasure is a store operation (its SQL lives in bot/store); retention schedules it.
export { DAY_MS, IDEMPOTENCY_KEEP_MS, eraseExpired, type ErasureCounts } from '../store/erase-expired.js';
