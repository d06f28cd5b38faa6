'use strict';
// The writer thread: commits batches of write ops on its own connection, so the fsync of a group
// commit (and the statements before it) never blocks the event loop that parses and verifies
// requests. Plain CommonJS on purpose: it runs unchanged under tsx, vitest and a bundled build.
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqliteModule);

const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('foreign_keys = ON');
db.pragma(`busy_timeout = ${Number(workerData.busyTimeoutMs) || 0}`);
db.pragma('secure_delete = ON');

const statements = {};
for (const [name, sql] of Object.entries(workerData.statements)) statements[name] = db.prepare(sql);

// Inside the batch's transaction a nested transaction is a SAVEPOINT: a failing unit rolls back alone.
const unit = db.transaction((ops) => {
  for (const op of ops) statements[op.stmt].run(op.params);
});
const batch = db.transaction((units, results) => {
  for (const ops of units) {
    try {
      unit(ops);
      results.push(null);
    } catch (err) {
      results.push((err && err.code) || 'write_failed');
    }
  }
});

parentPort.on('message', (message) => {
  if (message.type === 'batch') {
    const results = [];
    try {
      batch.immediate(message.units, results);
      parentPort.postMessage({ type: 'committed', id: message.id, results });
    } catch (err) {
      parentPort.postMessage({ type: 'committed', id: message.id, error: (err && err.code) || 'write_failed' });
    }
  } else if (message.type === 'close') {
    db.close();
    parentPort.postMessage({ type: 'closed' });
  }
});
parentPort.postMessage({ type: 'ready' });
