/**
 * Counts the SQL the two store engines repeat: each statement written in the PostgreSQL folder that is
 * identical to one written in the SQLite folder after normalising placeholders, casts and spacing, or
 * at least 85% alike. Statements both engines take from one shared module count for neither.
 *
 *   npx tsx scripts/sql-twins.ts [--sqlite <dir|file>...] [--postgres <dir|file>...] [--list]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const ROOT = join(import.meta.dirname, '..');

function filesUnder(path: string): string[] {
  const full = join(ROOT, path);
  if (!statSync(full).isDirectory()) return [full];
  return readdirSync(full, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return e.name === 'migrations' ? [] : filesUnder(join(path, e.name));
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [join(full, e.name)] : [];
  });
}

const STATEMENT = /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b/i;

interface Found {
  file: string;
  line: number;
  text: string;
}

/** String and template literals of a file, with `${name}` replaced by the file's constant of that name when it has one. */
function statementsOf(file: string): Found[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const consts = new Map<string, ts.Expression>();
  const visitConsts = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer) consts.set(n.name.text, n.initializer);
    ts.forEachChild(n, visitConsts);
  };
  visitConsts(source);
  const textOf = (e: ts.Expression, depth = 0): string | null => {
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e.text;
    if (ts.isTemplateExpression(e)) {
      let out = e.head.text;
      for (const span of e.templateSpans) out += ((depth < 3 ? textOf(span.expression, depth + 1) : null) ?? ' $X ') + span.literal.text;
      return out;
    }
    if (ts.isIdentifier(e) && consts.has(e.text) && depth < 3) return textOf(consts.get(e.text)!, depth + 1);
    if (ts.isParenthesizedExpression(e)) return textOf(e.expression, depth);
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      const a = textOf(e.left, depth);
      const b = textOf(e.right, depth);
      return a !== null && b !== null ? a + b : null;
    }
    return null;
  };
  const found: Found[] = [];
  const seen = new Set<ts.Node>();
  const visit = (n: ts.Node): void => {
    // `updateWhere(..., set, where, params)`: the conditional UPDATE it runs, as one statement.
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'updateWhere') {
      const parts = n.arguments.flatMap((a) => {
        const t = textOf(a);
        return t === null ? [] : [{ node: a, text: t }];
      });
      const [setPart, wherePart] = parts.slice(-2);
      if (setPart && wherePart) {
        const [set, where] = [setPart.text, wherePart.text];
        seen.add(setPart.node).add(wherePart.node);
        found.push({ file, line: source.getLineAndCharacterOfPosition(n.getStart()).line + 1, text: `UPDATE handoffs SET ${set}, version = version + 1 WHERE id = @id AND (${where})` });
      }
    }
    if ((ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateExpression(n)) && !seen.has(n)) {
      const inConst = ts.isVariableDeclaration(n.parent);
      const text = textOf(n as ts.Expression);
      if (text !== null && STATEMENT.test(text) && !inConst) found.push({ file, line: source.getLineAndCharacterOfPosition(n.getStart()).line + 1, text });
      if (text !== null && STATEMENT.test(text) && inConst && !usedInTemplate(n.parent as ts.VariableDeclaration, source))
        found.push({ file, line: source.getLineAndCharacterOfPosition(n.getStart()).line + 1, text });
    }
    ts.forEachChild(n, visit);
  };
  visit(source);
  return found;
}

/** A constant statement spliced into another (a sub-select) is counted inside it, not on its own. */
function usedInTemplate(decl: ts.VariableDeclaration, source: ts.SourceFile): boolean {
  if (!ts.isIdentifier(decl.name)) return false;
  const name = decl.name.text;
  let used = false;
  const visit = (n: ts.Node): void => {
    if (ts.isTemplateSpan(n) && ts.isIdentifier(n.expression) && n.expression.text === name) used = true;
    ts.forEachChild(n, visit);
  };
  visit(source);
  return used;
}

/** Placeholders, casts, spacing, `!=`/`<>` and letter case made alike, so only real differences remain. */
export function normalise(sql: string): string {
  return sql
    .replace(/::\s*[a-z_][a-z0-9_]*(\s*\[\])?/gi, '')
    .replace(/@[a-zA-Z_]\w*|\$\d+|\?/g, '?')
    .replace(/!=/g, '<>')
    .replace(/\s+/g, ' ')
    .replace(/\s*([(),=<>])\s*/g, '$1')
    .trim()
    .toLowerCase();
}

/** Ratcliff/Obershelp similarity over tokens (Python's difflib ratio): 2 * matches / total. */
export function similarity(a: string, b: string): number {
  const x = a.split(/(?=[ (),=<>])|(?<=[ (),=<>])/).filter((t) => t !== ' ');
  const y = b.split(/(?=[ (),=<>])|(?<=[ (),=<>])/).filter((t) => t !== ' ');
  const matches = (a0: number, a1: number, b0: number, b1: number): number => {
    let best = 0;
    let bi = 0;
    let bj = 0;
    let prev = new Map<number, number>();
    for (let i = a0; i < a1; i++) {
      const cur = new Map<number, number>();
      for (let j = b0; j < b1; j++) {
        if (x[i] !== y[j]) continue;
        const k = (prev.get(j - 1) ?? 0) + 1;
        cur.set(j, k);
        if (k > best) {
          best = k;
          bi = i - k + 1;
          bj = j - k + 1;
        }
      }
      prev = cur;
    }
    if (best === 0) return 0;
    return best + matches(a0, bi, b0, bj) + matches(bi + best, a1, bj + best, b1);
  };
  return x.length + y.length === 0 ? 1 : (2 * matches(0, x.length, 0, y.length)) / (x.length + y.length);
}

export interface TwinCount {
  sqlite: number;
  postgres: number;
  identical: number;
  alike: number;
  pairs: { postgres: Found; sqlite: Found; ratio: number }[];
}

export function countTwins(sqlitePaths: readonly string[], postgresPaths: readonly string[], threshold = 0.85): TwinCount {
  const lite = sqlitePaths.flatMap(filesUnder).flatMap(statementsOf);
  const pg = postgresPaths.flatMap(filesUnder).flatMap(statementsOf);
  const liteNorm = lite.map((s) => normalise(s.text));
  const pairs: TwinCount['pairs'] = [];
  let identical = 0;
  let alike = 0;
  for (const p of pg) {
    const n = normalise(p.text);
    let best = -1;
    let ratio = 0;
    liteNorm.forEach((l, i) => {
      const r = l === n ? 1 : similarity(l, n);
      if (r > ratio) {
        ratio = r;
        best = i;
      }
    });
    if (ratio === 1) identical++;
    else if (ratio >= threshold) alike++;
    if (best >= 0) pairs.push({ postgres: p, sqlite: lite[best]!, ratio });
  }
  return { sqlite: lite.length, postgres: pg.length, identical, alike, pairs };
}

function main(argv: string[]): void {
  const take = (flag: string, fallback: string[]) => {
    const i = argv.indexOf(flag);
    if (i < 0) return fallback;
    const out: string[] = [];
    for (let j = i + 1; j < argv.length && !argv[j]!.startsWith('--'); j++) out.push(argv[j]!);
    return out;
  };
  const sqlite = take('--sqlite', ['bot/store/sqlite']);
  const postgres = take('--postgres', ['bot/store/postgres']);
  const c = countTwins(sqlite, postgres);
  if (argv.includes('--list')) {
    for (const p of [...c.pairs].sort((a, b) => b.ratio - a.ratio)) {
      console.log(`${p.ratio.toFixed(2)}  ${relative(ROOT, p.postgres.file)}:${p.postgres.line}  ~  ${relative(ROOT, p.sqlite.file)}:${p.sqlite.line}`);
    }
  }
  console.log(
    `SQLite statements: ${c.sqlite}; PostgreSQL statements: ${c.postgres}; identical after normalising: ${c.identical}; ` +
      `a further ${c.alike} at least 85% alike; repeated: ${c.identical + c.alike}`,
  );
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) main(process.argv.slice(2));
