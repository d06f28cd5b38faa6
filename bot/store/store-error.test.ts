import { describe, expect, it } from 'vitest';
import { pgStoreError } from './postgres/pg-errors.js';
import { sqliteStoreError } from './sqlite/sqlite-errors.js';
import { isStoreError, StoreError } from './store-error.js';

const coded = (code: string, message = 'driver error') => Object.assign(new Error(message), { code });

describe('store errors', () => {
  it.each([
    [coded('SQLITE_CONSTRAINT_PRIMARYKEY'), 'duplicate', 'SQLITE_CONSTRAINT_PRIMARYKEY'],
    [coded('SQLITE_CONSTRAINT_UNIQUE'), 'duplicate', 'SQLITE_CONSTRAINT_UNIQUE'],
    [coded('SQLITE_CONSTRAINT_FOREIGNKEY'), 'failed', 'SQLITE_CONSTRAINT_FOREIGNKEY'],
    [coded('SQLITE_BUSY'), 'unavailable', 'SQLITE_BUSY'],
    [coded('SQLITE_IOERR_FSYNC'), 'unavailable', 'SQLITE_IOERR_FSYNC'],
    [coded('SQLITE_FULL'), 'unavailable', 'SQLITE_FULL'],
    [coded('writer_died'), 'unavailable', 'writer_died'],
    [new TypeError('The database connection is not open'), 'unavailable', 'closed'],
    [new Error('no code at all'), 'failed', null],
  ])('SQLite: %s is %s', (err, code, detail) => {
    expect(sqliteStoreError(err)).toMatchObject({ name: 'StoreError', code, detail, cause: err });
  });

  it.each([
    [coded('23505'), 'duplicate', '23505'],
    [coded('23503'), 'failed', '23503'],
    [coded('42P01'), 'failed', '42P01'],
    [coded('57P01'), 'unavailable', '57P01'],
    [coded('08006'), 'unavailable', '08006'],
    [coded('53300'), 'unavailable', '53300'],
    [coded('40P01'), 'unavailable', '40P01'],
    [coded('ECONNREFUSED'), 'unavailable', 'ECONNREFUSED'],
    [coded('EPIPE'), 'unavailable', 'EPIPE'],
    [coded('EAI_AGAIN'), 'unavailable', 'EAI_AGAIN'],
    [new Error('Connection terminated unexpectedly'), 'unavailable', null],
    [new Error('timeout exceeded when trying to connect'), 'unavailable', null],
    [new Error('Cannot use a pool after calling end on the pool'), 'unavailable', null],
    [new Error('something else'), 'failed', null],
  ])('PostgreSQL: %s is %s', (err, code, detail) => {
    expect(pgStoreError(err)).toMatchObject({ name: 'StoreError', code, detail, cause: err });
  });

  it('keeps a StoreError as it is, and says so only for StoreErrors (of a code, when asked)', () => {
    const err = new StoreError('duplicate', '23505');
    expect(pgStoreError(err)).toBe(err);
    expect(sqliteStoreError(err)).toBe(err);
    expect(isStoreError(err)).toBe(true);
    expect(isStoreError(err, 'duplicate')).toBe(true);
    expect(isStoreError(err, 'unavailable')).toBe(false);
    expect(isStoreError(coded('23505'), 'duplicate')).toBe(false);
    expect(err.message).toBe('store duplicate (23505)');
  });
});
